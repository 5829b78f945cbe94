//! `-` on the command line: one text read from standard input, whole.

use std::io::Read;

use super::{Document, ReadError, txt};

/// Reads standard input to its end as one text submission named `-`.
/// Blocking.
pub fn read() -> Result<Document, ReadError> {
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes)?;
    txt::read("-", &bytes)
}
