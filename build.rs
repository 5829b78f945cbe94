//! Compiles `proto/` into `OUT_DIR` with protox (no system `protoc`), and
//! writes the encoded descriptor set that server reflection serves.

use std::{env, path::PathBuf};

use prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    println!("cargo:rerun-if-changed=proto");
    let file_descriptors = protox::compile(["tongket/v1/tongket.proto"], ["proto"])?;
    std::fs::write(
        out_dir.join("tongket_descriptor.bin"),
        file_descriptors.encode_to_vec(),
    )?;
    // Type names let `convert::to_json` find any message's descriptor.
    let mut config = tonic_prost_build::Config::new();
    config.enable_type_names();
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds_with_config(file_descriptors, config)?;
    Ok(())
}
