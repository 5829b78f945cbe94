//! Opaque page tokens (AIP-158): a version byte, a fingerprint of the query
//! the token belongs to, and the store's cursor, in unpadded URL-safe base64.
//!
//! The fingerprint covers every filter and `order_by` but not `page_size`
//! or `view`, so a caller may change those between pages; a token used with
//! any other query is refused rather than silently misapplied.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::store::{Cursor, ListQuery};
use crate::text;

const VERSION: u8 = 1;

/// Why a page token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenError {
    /// Not a token this server issued (or damaged).
    Malformed,
    /// Issued for a query with other filters or another order.
    OtherQuery,
}

/// Makes the token that continues `query` after `cursor`.
pub(super) fn encode(query: &ListQuery, cursor: &Cursor) -> String {
    let mut bytes = vec![VERSION];
    bytes.extend_from_slice(&fingerprint(query));
    bytes.extend_from_slice(&cursor.to_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads a token given with `query`.
pub(super) fn decode(query: &ListQuery, token: &str) -> Result<Cursor, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| TokenError::Malformed)?;
    let (version, rest) = bytes.split_first().ok_or(TokenError::Malformed)?;
    if *version != VERSION || rest.len() < 8 {
        return Err(TokenError::Malformed);
    }
    let (print, cursor) = rest.split_at(8);
    let cursor = Cursor::from_bytes(cursor).ok_or(TokenError::Malformed)?;
    if print != fingerprint(query) {
        return Err(TokenError::OtherQuery);
    }
    Ok(cursor)
}

fn fingerprint(query: &ListQuery) -> [u8; 8] {
    let canonical = format!(
        "{}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}",
        text::fold(&query.organization_name),
        query.level,
        text::fold(&query.parent_name),
        text::fold(&query.province),
        query.report_year,
        query.year_from,
        query.year_to,
        query.kind,
        query.rating,
        query.order.name(),
    );
    let digest = Sha256::digest(canonical.as_bytes());
    digest[..8].try_into().unwrap_or_default()
}
