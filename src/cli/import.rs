//! `tongket import`: walks the given paths, reads each file through
//! [`crate::ingest`] and streams the texts to the server's `ImportReports`.
