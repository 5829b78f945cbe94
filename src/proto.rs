//! The code generated from `proto/tongket/v1/tongket.proto` and the encoded
//! descriptor set that server reflection serves. Nothing else includes
//! generated code.

#![allow(clippy::derive_partial_eq_without_eq, clippy::large_enum_variant)]

tonic::include_proto!("tongket.v1");

/// The encoded `FileDescriptorSet` of the tongket protos.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("tongket_descriptor");
