//! Rewriting a stored report in place, for re-parsing after a parser
//! upgrade: the id, text and source stay (the text is not rewritten); the
//! parsed fields, the `parser_version` and every index entry are replaced in
//! ONE transaction.
//!
//! A replacement is not a created or deleted event, so it writes nothing to
//! the `changes` log; whoever replaces records rebuilds what follows the log.

use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::{FIRST_INDEX, Store, StoreError, decode_record, from_transaction, keys, texts};
use crate::model::Report;

impl Store {
    /// Replaces the stored report with the same id. Returns false (and
    /// writes nothing) when no report has this id.
    pub fn replace(&self, report: &Report) -> Result<bool, StoreError> {
        let id = keys::id_of(report);
        let record = texts::record(report);
        let indexes = &self.inner.indexes;
        let new_entries: Vec<Vec<(Vec<u8>, Vec<u8>)>> =
            indexes.iter().map(|index| index.entries(report)).collect();
        let outcome = self.inner.trees.as_slice().transaction(|trees| {
            let Some(existing) = trees[0].get(id.as_bytes())? else {
                return Ok(false);
            };
            let old = decode_record(&existing).map_err(ConflictableTransactionError::Abort)?;
            for ((tree, index), entries) in
                trees[FIRST_INDEX..].iter().zip(indexes).zip(&new_entries)
            {
                for (key, _) in index.entries(&old) {
                    tree.remove(key)?;
                }
                for (key, value) in entries {
                    tree.insert(key.as_slice(), value.as_slice())?;
                }
            }
            super::indicator_index::count_rows(super::counts(trees), &old, true)?;
            super::indicator_index::count_rows(super::counts(trees), report, false)?;
            trees[0].insert(id.as_bytes(), record.as_slice())?;
            Ok(true)
        });
        let replaced = outcome.map_err(from_transaction)?;
        if replaced {
            // Counted as a write so the next flush covers it.
            self.inner
                .written
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        Ok(replaced)
    }
}
