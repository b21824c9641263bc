//! gRPC adapters of identity: the tonic server and the client implementing
//! [`IdentityApi`]. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::common::v1::LocalizedText;
use edu24_proto::identity::v1 as pb;
use edu24_proto::identity::v1::identity_client::IdentityClient as PbClient;
use edu24_proto::identity::v1::identity_server::{Identity, IdentityServer};
use edu24_shared::auth::{CallCtx, Role};
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

use crate::IdentityApi;
use crate::domain::*;

pub struct IdentityGrpc {
    inner: Arc<dyn IdentityApi>,
}

impl IdentityGrpc {
    pub fn server(inner: Arc<dyn IdentityApi>) -> IdentityServer<Self> {
        IdentityServer::new(Self { inner })
    }
}

#[tonic::async_trait]
impl Identity for IdentityGrpc {
    async fn login(&self, req: Request<pb::LoginRequest>) -> Result<Response<pb::LoginResponse>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let out = self
            .inner
            .login(
                &ctx,
                LoginRequest {
                    login: r.login,
                    password: r.password,
                    client_address: r.client_address,
                    user_agent: r.user_agent,
                },
            )
            .await
            .map_err(status_from)?;
        Ok(Response::new(pb::LoginResponse {
            session_secret: out.session_secret,
            idle_expires_at_ms: out.idle_expires_at_ms,
            absolute_expires_at_ms: out.absolute_expires_at_ms,
            must_change_password: out.must_change_password,
        }))
    }

    async fn logout(&self, req: Request<pb::SessionRequest>) -> Result<Response<pb::LogoutResponse>, Status> {
        let ctx = ctx_from(&req);
        self.inner.logout(&ctx, &req.get_ref().session_secret).await.map_err(status_from)?;
        Ok(Response::new(pb::LogoutResponse {}))
    }

    async fn session_token(
        &self,
        req: Request<pb::SessionRequest>,
    ) -> Result<Response<pb::SessionTokenResponse>, Status> {
        let ctx = ctx_from(&req);
        let t = self.inner.session_token(&ctx, &req.get_ref().session_secret).await.map_err(status_from)?;
        Ok(Response::new(pb::SessionTokenResponse { access_token: t.token, expires_at_ms: t.expires_at_ms }))
    }

    async fn me(&self, req: Request<pb::MeRequest>) -> Result<Response<pb::Account>, Status> {
        let ctx = ctx_from(&req);
        let a = self.inner.me(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::Account {
            id: a.id,
            login: a.login,
            display_name: a.display_name,
            roles: a
                .roles
                .into_iter()
                .map(|r| pb::RoleGrant {
                    role: r.role.as_str().to_owned(),
                    institution_id: r.institution_id.unwrap_or_default(),
                    institution_name: r.institution_name.map(|n| LocalizedText { ky: n.ky, ru: n.ru, en: n.en }),
                })
                .collect(),
            must_change_password: a.must_change_password,
            created_at_ms: a.created_at_ms,
        }))
    }

    async fn verification_keys(
        &self,
        _req: Request<pb::VerificationKeysRequest>,
    ) -> Result<Response<pb::VerificationKeysResponse>, Status> {
        let keys = self.inner.verification_keys().await.map_err(status_from)?;
        Ok(Response::new(pb::VerificationKeysResponse {
            keys: keys.into_iter().map(|(kid, pk)| pb::VerificationKey { kid, public_key: pk.to_vec() }).collect(),
        }))
    }
}

/// [`IdentityApi`] over gRPC.
#[derive(Clone)]
pub struct IdentityClient {
    client: PbClient<Channel>,
}

impl IdentityClient {
    pub fn new(channel: Channel) -> Self {
        Self { client: PbClient::new(channel) }
    }
}

#[async_trait]
impl IdentityApi for IdentityClient {
    async fn login(&self, ctx: &CallCtx, req: LoginRequest) -> ApiResult<LoginOutcome> {
        let msg = pb::LoginRequest {
            login: req.login,
            password: req.password,
            client_address: req.client_address,
            user_agent: req.user_agent,
        };
        let r = self.client.clone().login(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(LoginOutcome {
            session_secret: r.session_secret,
            idle_expires_at_ms: r.idle_expires_at_ms,
            absolute_expires_at_ms: r.absolute_expires_at_ms,
            must_change_password: r.must_change_password,
        })
    }

    async fn logout(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<()> {
        let msg = pb::SessionRequest { session_secret: session_secret.to_owned() };
        self.client.clone().logout(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn session_token(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<AccessToken> {
        let msg = pb::SessionRequest { session_secret: session_secret.to_owned() };
        let r = self.client.clone().session_token(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(AccessToken { token: r.access_token, expires_at_ms: r.expires_at_ms })
    }

    async fn me(&self, ctx: &CallCtx) -> ApiResult<Account> {
        let a = self.client.clone().me(request(pb::MeRequest {}, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Account {
            id: a.id,
            login: a.login,
            display_name: a.display_name,
            roles: a
                .roles
                .into_iter()
                .map(|r| {
                    Ok(RoleView {
                        role: Role::parse(&r.role).ok_or_else(|| ApiError::invalid("role", "unknown role"))?,
                        institution_id: (!r.institution_id.is_empty()).then_some(r.institution_id),
                        institution_name: r.institution_name.map(|n| Localized { ky: n.ky, ru: n.ru, en: n.en }),
                    })
                })
                .collect::<ApiResult<_>>()?,
            must_change_password: a.must_change_password,
            created_at_ms: a.created_at_ms,
        })
    }

    async fn verification_keys(&self) -> ApiResult<Vec<(String, [u8; 32])>> {
        let r = self
            .client
            .clone()
            .verification_keys(request(pb::VerificationKeysRequest {}, &CallCtx::anonymous()))
            .await
            .map_err(error_from)?
            .into_inner();
        r.keys
            .into_iter()
            .map(|k| {
                let pk: [u8; 32] = k.public_key.as_slice().try_into().map_err(|_| ApiError::internal())?;
                Ok((k.kid, pk))
            })
            .collect()
    }
}
