//! Report texts, kept apart from the records: the `texts` tree maps a
//! report id to its normalised text, lz4-compressed, so reads that do not
//! need the text (BASIC views, listings, index rebuilds, checks) never touch
//! its bytes. Also the record format number and the upgrade that moves the
//! texts out of records written by older builds.
//!
//! **Invariant:** every record has exactly one entry here, written and
//! removed in the record's own transaction (see [`super::Store::insert`]).

use sled::Tree;

use super::{REPORTS, Store, StoreError};
use crate::proto;
use prost::Message;

pub(crate) const TEXTS: &str = "texts";

/// The layout of the `reports` tree. 1 (or nothing recorded): the text
/// inside the prost record; 2: the record without its text, the text
/// compressed in the `texts` tree. A store written under 1 is upgraded when
/// it is opened ([`Store::upgrade_records`]).
pub(crate) const RECORD_FORMAT: u32 = 2;

/// Where the default tree records the [`RECORD_FORMAT`].
const RECORD_FORMAT_KEY: &[u8] = b"record_format";

/// Longer texts are taken for damage: far above any `--max-text-bytes`.
const MAX_TEXT_BYTES: usize = 1 << 30;

/// Only the `text` field of `tongket.v1.Report` (its last field): decoding
/// a record into it skips every other field, and encoding it gives the bytes
/// prost writes for the text at the end of an encoded `Report`.
#[derive(Clone, PartialEq, prost::Message)]
struct TextField {
    #[prost(string, tag = "25")]
    text: String,
}

/// A text as the `texts` tree keeps it.
pub(crate) fn compress(text: &str) -> Vec<u8> {
    lz4_flex::compress_prepend_size(text.as_bytes())
}

/// A text as [`compress`] wrote it.
pub(crate) fn decompress(bytes: &[u8]) -> Result<String, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        tree: TEXTS,
        detail,
    };
    // The length lz4_flex prepends is checked first: damaged bytes must not
    // make a read allocate gigabytes.
    let (length, block) = bytes
        .split_first_chunk::<4>()
        .ok_or_else(|| corrupt("a text is shorter than its length".into()))?;
    let length = u32::from_le_bytes(*length) as usize;
    if length > MAX_TEXT_BYTES {
        return Err(corrupt(format!("a text claims {length} bytes")));
    }
    let raw = lz4_flex::block::decompress(block, length).map_err(|e| corrupt(e.to_string()))?;
    String::from_utf8(raw).map_err(|e| corrupt(e.to_string()))
}

/// A report's record as the `reports` tree keeps it: the prost record
/// without the text.
pub(crate) fn record(report: &crate::model::Report) -> Vec<u8> {
    let mut wire = proto::Report::from(report.clone());
    wire.text = String::new();
    wire.encode_to_vec()
}

/// A report in its stored form: the record and the compressed text.
pub(crate) fn split(report: &crate::model::Report) -> (Vec<u8>, Vec<u8>) {
    (record(report), compress(&report.text))
}

impl Store {
    pub(super) fn texts(&self) -> &Tree {
        &self.inner.trees[2]
    }

    /// The stored text of the report with this id.
    pub fn text(&self, id: &super::ReportId) -> Result<Option<String>, StoreError> {
        self.texts()
            .get(id.as_bytes())?
            .map(|bytes| decompress(&bytes))
            .transpose()
    }

    /// The stored report with this id as an encoded FULL `tongket.v1.Report`
    /// (with its text only when `with_text`): the same bytes as encoding
    /// what [`Store::get_wire`] returns, made without decoding the record. A
    /// record is stored as prost wrote it, fields in number order, and the
    /// text is the last field, so it is the record followed by the text.
    pub fn get_encoded(
        &self,
        id: &super::ReportId,
        with_text: bool,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(record) = self.reports().get(id.as_bytes())? else {
            return Ok(None);
        };
        let holds_text = TextField::decode(record.as_ref()).map_or(true, |t| !t.text.is_empty());
        if holds_text {
            // A record of format 1 (or damaged): the long way, which strips
            // or keeps its text and reports damage.
            return Ok(self
                .get_wire(id, with_text)?
                .map(|wire| wire.encode_to_vec()));
        }
        let mut encoded = record.to_vec();
        if with_text {
            let text = self.text(id)?.ok_or_else(|| StoreError::Corrupt {
                tree: TEXTS,
                detail: format!("record {} has no text", id.to_hex()),
            })?;
            let field = TextField { text };
            encoded.reserve(field.encoded_len());
            // A Vec grows as needed: encoding into it cannot run out of room.
            field
                .encode(&mut encoded)
                .map_err(|error| StoreError::Corrupt {
                    tree: TEXTS,
                    detail: error.to_string(),
                })?;
        }
        Ok(Some(encoded))
    }

    /// Fills in the text of a record read from the `reports` tree (a record
    /// of format 1 brings its own).
    pub(super) fn with_text(
        &self,
        id: &super::ReportId,
        mut wire: proto::Report,
    ) -> Result<proto::Report, StoreError> {
        if wire.text.is_empty() {
            wire.text = self.text(id)?.ok_or_else(|| StoreError::Corrupt {
                tree: TEXTS,
                detail: format!("record {} has no text", id.to_hex()),
            })?;
        }
        Ok(wire)
    }

    /// Moves the texts out of records written under an older
    /// [`RECORD_FORMAT`], then records the current one. In batches, texts
    /// before records: a crash part-way leaves records that still hold their
    /// text (read as before) and the old format recorded, so the next start
    /// goes on.
    pub(super) fn upgrade_records(&self) -> Result<(), StoreError> {
        const BATCH: usize = 2000;
        let current = RECORD_FORMAT.to_be_bytes();
        let stored = self.inner.db.get(RECORD_FORMAT_KEY)?;
        if stored.as_deref() == Some(current.as_slice()) {
            return Ok(());
        }
        let mut texts = sled::Batch::default();
        let mut records = sled::Batch::default();
        let mut pending = 0;
        let mut moved = 0;
        for item in self.reports().iter() {
            let (key, value) = item?;
            let mut wire =
                proto::Report::decode(value.as_ref()).map_err(|error| StoreError::Corrupt {
                    tree: REPORTS,
                    detail: error.to_string(),
                })?;
            if wire.text.is_empty() {
                continue;
            }
            texts.insert(key.as_ref(), compress(&std::mem::take(&mut wire.text)));
            records.insert(key, wire.encode_to_vec());
            pending += 1;
            if pending == BATCH {
                self.texts().apply_batch(std::mem::take(&mut texts))?;
                self.reports().apply_batch(std::mem::take(&mut records))?;
                moved += pending;
                pending = 0;
            }
        }
        self.texts().apply_batch(texts)?;
        self.reports().apply_batch(records)?;
        moved += pending;
        if moved > 0 {
            tracing::info!(
                records = moved,
                "moved the texts out of the records for record format {RECORD_FORMAT}"
            );
        }
        self.inner
            .db
            .insert(RECORD_FORMAT_KEY, current.as_slice())?;
        self.inner.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Report;
    use crate::store::ReportId;

    fn report(text: &str, name: &str) -> Report {
        super::super::sample_report(text, name, 2023)
    }

    #[test]
    fn texts_round_trip_through_compression() {
        let text = "BÁO CÁO tổng kết công tác Đảng năm 2023\n".repeat(40);
        let compressed = compress(&text);
        assert!(compressed.len() < text.len() / 4, "{}", compressed.len());
        assert_eq!(decompress(&compressed).unwrap(), text);
        assert!(decompress(&compressed[..compressed.len() / 2]).is_err());
        assert!(decompress(b"\xff\xff\xff\xffnot lz4").is_err());
        assert!(decompress(b"\x01").is_err());
    }

    /// Whether the stored record of `id` was written without its text.
    fn record_holds_no_text(store: &Store, id: &ReportId) -> bool {
        let record = store.reports().get(id.as_bytes()).unwrap().unwrap();
        proto::Report::decode(record.as_ref())
            .unwrap()
            .text
            .is_empty()
    }

    #[test]
    fn records_keep_the_fields_and_reads_choose_whether_to_bring_the_text() {
        let store = Store::temporary().unwrap();
        let stored = report("Đảng bộ xã Sơn Liên tổng kết năm 2023", "Sơn Liên");
        let id = ReportId::parse(&stored.id).unwrap();
        store.insert(&stored).unwrap();

        assert!(record_holds_no_text(&store, &id));
        assert_eq!(store.get(&id).unwrap(), Some(stored.clone()));
        assert_eq!(
            store.get_wire(&id, true).unwrap().unwrap().text,
            stored.text
        );
        let basic = store.get_wire(&id, false).unwrap().unwrap();
        assert_eq!(
            (basic.text.as_str(), basic.id.as_str()),
            ("", stored.id.as_str())
        );
        let fields = store.get_fields(&id).unwrap().unwrap();
        assert_eq!(fields.parsed, stored.parsed);
        assert!(fields.text.is_empty());

        assert!(store.delete(&id).unwrap());
        assert!(store.texts().is_empty());
    }

    /// A synthetic text parsed by the real parser, with a source.
    fn parsed(i: usize) -> Report {
        let text = crate::text::Normalized::new(&crate::synth::Generator::new(11).generate(i).text);
        Report {
            id: ReportId::of_text(&text).to_hex(),
            parsed: crate::parse::parse(&text),
            text: text.into_string(),
            source: crate::model::Source {
                name: format!("synthetic-{i}.txt"),
                submitted_at_ms: 1_700_000_000_000 + i as i64,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn encoded_reads_are_the_bytes_of_encoding_the_decoded_record() {
        let store = Store::temporary().unwrap();
        // Reports of every kind (official, news, not a report) and size.
        let reports: Vec<Report> = (0..60).map(|i| parsed(i * 7)).collect();
        for stored in &reports {
            store.insert(stored).unwrap();
        }
        // One record as an older build wrote it: its text inside.
        let old = &reports[3];
        let old_id = ReportId::parse(&old.id).unwrap();
        let whole = proto::Report::from(old.clone()).encode_to_vec();
        store.reports().insert(old_id.as_bytes(), whole).unwrap();

        for stored in &reports {
            let id = ReportId::parse(&stored.id).unwrap();
            for with_text in [false, true] {
                let encoded = store.get_encoded(&id, with_text).unwrap().unwrap();
                let wire = store.get_wire(&id, with_text).unwrap().unwrap();
                assert_eq!(encoded, wire.encode_to_vec(), "{} {with_text}", stored.id);
                let decoded = proto::Report::decode(encoded.as_slice()).unwrap();
                assert_eq!(decoded.text.is_empty(), !with_text);
                assert_eq!(decoded.id, stored.id);
            }
        }
        let missing = ReportId::of_text(&crate::text::Normalized::new("never stored"));
        assert_eq!(store.get_encoded(&missing, false).unwrap(), None);
    }

    #[test]
    fn a_record_without_its_text_is_reported_damaged_by_a_full_encoded_read() {
        let store = Store::temporary().unwrap();
        let stored = parsed(5);
        let id = ReportId::parse(&stored.id).unwrap();
        store.insert(&stored).unwrap();
        store.texts().remove(id.as_bytes()).unwrap();

        assert!(store.get_encoded(&id, false).unwrap().is_some());
        assert!(matches!(
            store.get_encoded(&id, true),
            Err(StoreError::Corrupt { tree: TEXTS, .. })
        ));
    }

    #[test]
    fn records_of_format_1_are_upgraded_on_open_and_read_the_same() {
        // One sled database opened twice through the path `Store::open`
        // takes (`from_db`), without a second opener of the files.
        let db = sled::Config::new().temporary(true).open().unwrap();
        let reports = [
            report("Đảng bộ xã Sơn Liên tổng kết năm 2023", "Sơn Liên"),
            report("Chi bộ thôn 3 tổng kết năm 2022", "Thôn 3"),
        ];
        {
            // What an older build wrote: the whole prost record, text
            // included, and no record format.
            let store = Store::from_db(db.clone()).unwrap();
            for stored in &reports {
                store.insert(stored).unwrap();
                let id = ReportId::parse(&stored.id).unwrap();
                let whole = proto::Report::from(stored.clone()).encode_to_vec();
                store.reports().insert(id.as_bytes(), whole).unwrap();
                store.texts().remove(id.as_bytes()).unwrap();
            }
            store.inner.db.remove(RECORD_FORMAT_KEY).unwrap();
            store.inner.db.flush().unwrap();
        }

        let store = Store::from_db(db).unwrap();

        assert_eq!(
            store.inner.db.get(RECORD_FORMAT_KEY).unwrap().as_deref(),
            Some(RECORD_FORMAT.to_be_bytes().as_slice())
        );
        assert_eq!(store.texts().len(), 2);
        for stored in &reports {
            let id = ReportId::parse(&stored.id).unwrap();
            assert!(record_holds_no_text(&store, &id));
            assert_eq!(store.get(&id).unwrap().as_ref(), Some(stored));
        }
        assert!(store.check(false).unwrap().consistent());
    }
}
