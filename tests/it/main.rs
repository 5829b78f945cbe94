//! The one integration test binary.

mod helpers;
mod tidy;
