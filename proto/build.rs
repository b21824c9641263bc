//! Compiles every `.proto` under `edu24/` with protox (pure Rust, no protoc) and
//! generates prost messages and tonic clients/servers.
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read proto dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("edu24"), &mut files);
    files.sort();
    println!("cargo:rerun-if-changed=edu24");
    let fds = protox::compile(&files, [&root]).expect("proto files compile");
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)
        .expect("generate rust from protos");
}
