//! The tongket server. Reads flags and calls into `tongket::server`.
fn main() {}
