//! The one integration test binary.

mod helpers;
mod tidy;
mod client_cli;
mod grpcurl;
mod reports;
mod shutdown;
mod validation;
mod daemon;
mod golden;
mod queries;
mod import;
mod security;
mod bad_input;
