//! Key and value encoding for every sled tree. Nothing outside `store`
//! sees these bytes.
//!
//! - `reports`: the 32-byte id → the prost-encoded FULL `tongket.v1.Report`.
//! - `idx_*`: `prefix ‖ id` → a [`Summary`] (or whatever the index stores).
//!   Names end in `0x00` and everything else is fixed-width, so a prefix
//!   scan never matches a longer value that starts the same way. The
//!   listing indexes put year and level after the name
//!   ([`placed_prefix`]).
//! - `changes`: big-endian sequence number → [`super::Change`].

use sha2::{Digest, Sha256};

use crate::model::{self, Report};
use crate::{proto, text};

/// A report's identity: the SHA-256 of its normalised text. Valid by
/// construction: made from a text or parsed from 64 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReportId([u8; 32]);

impl ReportId {
    /// The id of a normalised text.
    pub fn of_text(text: &text::Normalized) -> ReportId {
        // Tabs were made spaces before parser 0.3.1 kept those of table
        // rows; hashing them as spaces keeps every earlier id.
        let text = text.as_str();
        if text.contains('\t') {
            ReportId(Sha256::digest(text.replace('\t', " ").as_bytes()).into())
        } else {
            ReportId(Sha256::digest(text.as_bytes()).into())
        }
    }

    /// Reads 64 hex digits (either case).
    pub fn parse(hex_digits: &str) -> Option<ReportId> {
        if hex_digits.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_digits, &mut bytes).ok()?;
        Some(ReportId(bytes))
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<ReportId> {
        Some(ReportId(bytes.try_into().ok()?))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The lower-case hex form used on the wire.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl std::fmt::Display for ReportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The id bytes of a stored report. Reports reach the store only through
/// `Store::insert`, which checks the id, so a bad id here is a bug; it maps
/// to 32 zero bytes rather than a panic.
pub(crate) fn id_of(report: &Report) -> ReportId {
    ReportId::parse(&report.id).unwrap_or(ReportId([0; 32]))
}

/// `prefix ‖ id`: the key of one index entry.
pub fn entry_key(prefix: &[u8], id: &ReportId) -> Vec<u8> {
    let mut key = Vec::with_capacity(prefix.len() + 32);
    key.extend_from_slice(prefix);
    key.extend_from_slice(id.as_bytes());
    key
}

/// The id at the end of an index key.
pub fn id_suffix(key: &[u8]) -> Option<ReportId> {
    let start = key.len().checked_sub(32)?;
    ReportId::from_slice(&key[start..])
}

/// A name prefix: the folded name and a `0x00` terminator.
pub fn name_prefix(name: &str) -> Vec<u8> {
    let mut prefix = text::fold(name).into_bytes();
    prefix.push(0);
    prefix
}

/// `prefix ‖ year ‖ level`: where a name index files a report of that
/// year and level (see [`super::index`]).
pub fn placed_prefix(prefix: &[u8], year: i32, level: u8) -> Vec<u8> {
    let mut placed = Vec::with_capacity(prefix.len() + 5);
    placed.extend_from_slice(prefix);
    placed.extend_from_slice(&year_prefix(year));
    placed.push(level);
    placed
}

/// A year that sorts as bytes: big-endian with the sign bit flipped.
pub fn year_prefix(year: i32) -> [u8; 4] {
    ((year as u32) ^ 0x8000_0000).to_be_bytes()
}

pub fn kind_byte(kind: model::ReportKind) -> u8 {
    enum_byte(i32::from(proto::ReportKind::from(kind)))
}

pub fn level_byte(level: model::Level) -> u8 {
    enum_byte(i32::from(proto::OrganizationLevel::from(level)))
}

pub fn rating_byte(rating: model::Rating) -> u8 {
    enum_byte(i32::from(proto::Rating::from(rating)))
}

fn enum_byte(number: i32) -> u8 {
    u8::try_from(number).unwrap_or(u8::MAX)
}

/// What the built-in indexes store beside each key: every field `ListReports`
/// filters or sorts on, so a listing never reads a record it will not return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub kind: u8,
    pub level: u8,
    pub rating: u8,
    pub year: i32,
    pub submitted_at_ms: i64,
    /// The folded organisation name.
    pub organization: String,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let parsed = &report.parsed;
        Summary {
            kind: kind_byte(parsed.kind),
            level: level_byte(parsed.organization.level),
            rating: rating_byte(parsed.rating.rating),
            year: parsed.report_year,
            submitted_at_ms: report.source.submitted_at_ms,
            organization: text::fold(&parsed.organization.name),
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(15 + self.organization.len());
        bytes.extend_from_slice(&[self.kind, self.level, self.rating]);
        bytes.extend_from_slice(&self.year.to_be_bytes());
        bytes.extend_from_slice(&self.submitted_at_ms.to_be_bytes());
        bytes.extend_from_slice(self.organization.as_bytes());
        bytes
    }

    pub fn decode(bytes: &[u8]) -> Option<Summary> {
        if bytes.len() < 15 {
            return None;
        }
        Some(Summary {
            kind: bytes[0],
            level: bytes[1],
            rating: bytes[2],
            year: i32::from_be_bytes(bytes[3..7].try_into().ok()?),
            submitted_at_ms: i64::from_be_bytes(bytes[7..15].try_into().ok()?),
            organization: String::from_utf8(bytes[15..].to_vec()).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_row_s_tabs_hash_as_the_spaces_they_were_before() {
        let tabs = text::Normalized::new("Đàn bò\tcon\t800\t840");
        assert!(tabs.as_str().contains('\t'), "the row keeps its tabs");
        assert_eq!(
            ReportId::of_text(&tabs),
            ReportId::of_text(&text::Normalized::new("Đàn bò con 800 840"))
        );
    }

    #[test]
    fn years_sort_as_bytes() {
        let mut years = [2024, -1, 0, 1999, i32::MAX, i32::MIN];
        let mut encoded: Vec<[u8; 4]> = years.iter().map(|y| year_prefix(*y)).collect();
        years.sort();
        encoded.sort();
        assert_eq!(
            encoded,
            years.iter().map(|y| year_prefix(*y)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_summary_survives_encoding() {
        let summary = Summary {
            kind: 1,
            level: 2,
            rating: 3,
            year: -5,
            submitted_at_ms: 1_700_000_000_123,
            organization: "son lien".into(),
        };
        assert_eq!(Summary::decode(&summary.encode()), Some(summary));
    }

    #[test]
    fn ids_parse_only_from_64_hex_digits() {
        let id = ReportId::of_text(&text::Normalized::new("x"));
        assert_eq!(ReportId::parse(&id.to_hex()), Some(id));
        assert_eq!(ReportId::parse(&id.to_hex().to_uppercase()), Some(id));
        assert_eq!(ReportId::parse("abc"), None);
        assert_eq!(ReportId::parse(&"g".repeat(64)), None);
    }
}
