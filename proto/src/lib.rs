//! EDU24 contracts: gRPC services between the EDU24 services, and the payloads of the
//! events they publish. Subjects follow `edu24.<service>.<aggregate>.<event>.v1`.
#![allow(clippy::all, clippy::pedantic)]

pub mod common {
    pub mod v1 {
        tonic::include_proto!("edu24.common.v1");
    }
}
pub mod identity {
    pub mod v1 {
        tonic::include_proto!("edu24.identity.v1");
    }
}
pub mod catalogue {
    pub mod v1 {
        tonic::include_proto!("edu24.catalogue.v1");
    }
}
pub mod curriculum {
    pub mod v1 {
        tonic::include_proto!("edu24.curriculum.v1");
    }
}
pub mod records {
    pub mod v1 {
        tonic::include_proto!("edu24.records.v1");
    }
}
pub mod diploma {
    pub mod v1 {
        tonic::include_proto!("edu24.diploma.v1");
    }
}
