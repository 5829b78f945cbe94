//! The one integration test binary.

mod backup;
mod bad_input;
mod client_cli;
mod daemon;
mod golden;
mod grpcurl;
mod helpers;
mod import;
mod queries;
mod reports;
mod security;
mod shutdown;
mod tidy;
mod validation;
