//! Verifying (and repairing) the secondary indexes against the records.
//! Also that every record has its text in `texts` and every text a record.
//!
//! Every index entry is a pure function of its report, so the expected
//! content of each index tree can be recomputed from the `reports` tree and
//! compared with what is on disk. `tongketd check` runs this offline (sled
//! allows one opener, so never beside a running server); `--repair` rewrites
//! the disagreeing entries. The search index is not in sled: `tongketd
//! check` verifies it with `crate::service::check_search`, and the server
//! rebuilds it from the records when it is missing or from another store.

use std::collections::BTreeMap;

use super::texts::TEXTS;
use super::{REPORTS, Store, StoreError, decode_record};

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Records read.
    pub records: usize,
    /// Records that do not decode or have no text (never repaired: they need a person).
    pub undecodable: usize,
    /// Index entries a record implies that were absent or held another value.
    pub missing: usize,
    /// Index entries no record implies.
    pub stale: usize,
    /// Whether the disagreements were rewritten.
    pub repaired: bool,
    /// One line per disagreement, at most [`MAX_DETAILS`].
    pub details: Vec<String>,
}

/// How many disagreements a report describes one by one.
pub const MAX_DETAILS: usize = 50;

impl CheckReport {
    /// True when records and indexes agree (or were made to agree).
    pub fn consistent(&self) -> bool {
        self.undecodable == 0 && (self.repaired || (self.missing == 0 && self.stale == 0))
    }

    fn note(&mut self, detail: String) {
        if self.details.len() < MAX_DETAILS {
            self.details.push(detail);
        }
    }
}

type Entries = BTreeMap<Vec<u8>, Vec<u8>>;

impl Store {
    /// Compares every index tree with the entries the records imply; with
    /// `repair`, removes stale entries and writes missing ones, then flushes.
    pub fn check(&self, repair: bool) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let mut expected: Vec<Entries> = vec![Entries::new(); self.inner.indexes.len()];
        for item in self.reports().iter() {
            let (key, value) = item?;
            report.records += 1;
            match decode_record(&value) {
                Ok(record) => {
                    if record.text.is_empty() && !self.texts().contains_key(&key)? {
                        report.undecodable += 1;
                        report.note(format!("{TEXTS}: record {} has no text", hex::encode(&key)));
                    }
                    for (index, wanted) in self.inner.indexes.iter().zip(expected.iter_mut()) {
                        wanted.extend(index.entries(&record));
                    }
                }
                Err(error) => {
                    report.undecodable += 1;
                    report.note(format!(
                        "{REPORTS}: record {} does not decode: {error}",
                        hex::encode(&key)
                    ));
                }
            }
        }
        let mut orphans = sled::Batch::default();
        for key in self.texts().iter().keys() {
            let key = key?;
            if !self.reports().contains_key(&key)? {
                report.stale += 1;
                report.note(format!(
                    "{TEXTS}: text {} belongs to no record",
                    hex::encode(&key)
                ));
                orphans.remove(key);
            }
        }
        if repair {
            self.texts().apply_batch(orphans)?;
        }
        // The row counts of `idx_indicator` follow the rows the records imply.
        if let Some(rows) = self
            .inner
            .indexes
            .iter()
            .position(|index| index.tree() == super::indicator_index::TREE)
        {
            let implied = expected[rows].keys().map(Vec::as_slice);
            for detail in self.check_indicator_counts(implied, repair)? {
                report.missing += 1;
                report.note(detail);
            }
        }
        for (position, wanted) in expected.into_iter().enumerate() {
            let name = self.inner.indexes[position].tree();
            let tree = &self.inner.trees[super::FIRST_INDEX + position];
            let mut fixes = sled::Batch::default();
            let mut remaining = wanted;
            for item in tree.iter() {
                let (key, value) = item?;
                match remaining.remove(key.as_ref()) {
                    Some(wanted_value) if wanted_value == value.as_ref() => {}
                    Some(wanted_value) => {
                        report.missing += 1;
                        report.note(format!(
                            "{name}: entry {} holds a stale value",
                            hex::encode(&key)
                        ));
                        fixes.insert(key.as_ref(), wanted_value);
                    }
                    None => {
                        report.stale += 1;
                        report.note(format!(
                            "{name}: entry {} belongs to no record",
                            hex::encode(&key)
                        ));
                        fixes.remove(key.as_ref());
                    }
                }
            }
            for (key, value) in remaining {
                report.missing += 1;
                report.note(format!("{name}: entry {} is missing", hex::encode(&key)));
                fixes.insert(key, value);
            }
            if repair {
                tree.apply_batch(fixes)?;
            }
        }
        if repair {
            self.inner.db.flush()?;
            report.repaired = true;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Report;
    use crate::store::ReportId;

    fn report(text: &str, name: &str, year: i32) -> Report {
        super::super::sample_report(text, name, year)
    }

    #[test]
    fn a_fresh_store_with_reports_is_consistent() {
        let store = Store::temporary().unwrap();
        store.insert(&report("a", "Sơn Liên", 2023)).unwrap();
        store.insert(&report("b", "Thạch Sơn", 2021)).unwrap();

        let checked = store.check(false).unwrap();

        assert_eq!(checked.records, 2);
        assert!(checked.consistent(), "{checked:?}");
        assert_eq!((checked.missing, checked.stale), (0, 0));
    }

    #[test]
    fn missing_and_stale_entries_are_found_and_repaired() {
        let store = Store::temporary().unwrap();
        let kept = report("a", "Sơn Liên", 2023);
        store.insert(&kept).unwrap();
        let organization_tree = store
            .index_tree(crate::store::index::ORGANIZATION)
            .unwrap()
            .clone();
        let (key, _) = organization_tree.iter().next().unwrap().unwrap();
        organization_tree.remove(&key).unwrap();
        organization_tree
            .insert(b"ghost\0entry", b"x".as_slice())
            .unwrap();

        let checked = store.check(false).unwrap();
        assert_eq!(
            (checked.missing, checked.stale, checked.consistent()),
            (1, 1, false)
        );

        let repaired = store.check(true).unwrap();
        assert!(repaired.consistent());
        assert_eq!(
            store.get(&ReportId::parse(&kept.id).unwrap()).unwrap(),
            Some(kept.clone())
        );
        let again = store.check(false).unwrap();
        assert_eq!(
            (again.missing, again.stale, again.consistent()),
            (0, 0, true)
        );
    }

    #[test]
    fn texts_without_records_are_removed_and_records_without_texts_reported() {
        let store = Store::temporary().unwrap();
        let kept = report("a", "Sơn Liên", 2023);
        let bare = report("b", "Thạch Sơn", 2021);
        store.insert(&kept).unwrap();
        store.insert(&bare).unwrap();
        let bare_id = ReportId::parse(&bare.id).unwrap();
        store.texts().remove(bare_id.as_bytes()).unwrap();
        store
            .texts()
            .insert([7u8; 32], super::super::texts::compress("lạc"))
            .unwrap();

        let checked = store.check(true).unwrap();
        assert_eq!((checked.undecodable, checked.stale), (1, 1), "{checked:?}");
        assert!(!checked.consistent());
        assert_eq!(store.texts().len(), 1);
        let kept_id = ReportId::parse(&kept.id).unwrap();
        assert_eq!(store.get(&kept_id).unwrap(), Some(kept));
        assert!(store.get(&bare_id).is_err());
        assert_eq!(
            store.get_fields(&bare_id).unwrap().unwrap().parsed,
            bare.parsed
        );
    }

    #[test]
    fn delete_removes_every_index_entry_insert_wrote() {
        let store = Store::temporary().unwrap();
        let first = report("a", "Sơn Liên", 2023);
        store.insert(&first).unwrap();
        store.insert(&report("b", "Sơn Liên", 2023)).unwrap();

        assert!(store.delete(&ReportId::parse(&first.id).unwrap()).unwrap());

        for index in &store.inner.indexes {
            let tree = store.index_tree(index.tree()).unwrap();
            for item in tree.iter() {
                let (key, _) = item.unwrap();
                assert_ne!(
                    crate::store::keys::id_suffix(&key).map(|id| id.to_hex()),
                    Some(first.id.clone())
                );
            }
        }
        assert!(store.check(false).unwrap().consistent());
        let events = store.changes_after(0, 10).unwrap();
        let kinds: Vec<_> = events.iter().map(|change| change.kind).collect();
        use crate::store::ChangeKind::{Created, Deleted};
        assert_eq!(kinds, vec![Created, Created, Deleted]);
    }
}
