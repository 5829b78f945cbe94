//! tongket turns Vietnamese Party committees' year-end review reports into
//! structured, queryable records and serves them over gRPC.
//!
//! # Layout
//!
//! - [`text`]: Unicode normalisation at the boundary and folded match keys.
//! - [`ingest`]: reading files of every supported format into submissions.
//! - [`model`]: the domain types of a parsed report (no prost, tonic or sled).
//! - [`parse`]: the pure, total parser: normalised text in, [`model::Report`] out.
//! - [`cli`]: the `tongket` client's subcommands.
//! - [`client`]: connecting to a server from the client side.
//! - [`convert`]: every proto ↔ domain conversion and the proto3 JSON form.
//! - [`proto`]: the code generated from `proto/tongket/v1/tongket.proto`.
//! - [`query`]: search (tantivy), indicator rows, statistics, history and CSV export.
//! - [`synth`]: a generator of realistic synthetic report texts for benchmarks.
//! - [`store`]: sled storage: records, secondary indexes, the changes log.
//! - [`service`]: the `tongket.v1.ReportService` handlers.
//! - [`server`]: serving gRPC (service, health, reflection) and the graceful stop.
//! - [`error`]: the service's error enum and its one mapping to `tonic::Status`.
//! - [`auth`]: optional bearer-token roles checked in front of the service.
//! - [`config`]: `tongketd`'s flags and the validated server configuration.
//! - [`telemetry`]: building the tracing subscriber.
//!
//! The binaries in `src/bin/` only read flags and call into this library.

pub mod auth;
pub mod cli;
pub mod client;
pub mod config;
pub mod convert;
pub mod error;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod proto;
pub mod query;
pub mod server;
pub mod service;
pub mod store;
pub mod synth;
pub mod telemetry;
pub mod text;

/// The address `tongketd` listens on and `tongket` connects to by default.
pub const DEFAULT_LISTEN_ADDR: &str = "127.0.0.1:50051";
