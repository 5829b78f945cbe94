//! Reading the `changes` log from a position: followers (the search index,
//! watchers) keep the sequence number of the first event they have not seen
//! yet, which is 0 before the first event (sled's ids start at 0, so "after
//! the last one seen" cannot express "from the very start").

use super::{CHANGES, Change, Store, StoreError};

impl Store {
    /// The events of the `changes` log from sequence `first` on, oldest
    /// first, at most `limit`.
    pub fn changes_from(&self, first: u64, limit: usize) -> Result<Vec<Change>, StoreError> {
        self.changes()
            .range(first.to_be_bytes()..)
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                Change::decode(&key, &value).ok_or(StoreError::Corrupt {
                    tree: CHANGES,
                    detail: "an event does not decode".into(),
                })
            })
            .collect()
    }

    /// The sequence number the next event will have at the earliest: one
    /// past the last logged event, or 0 when nothing was ever written.
    pub fn next_sequence(&self) -> Result<u64, StoreError> {
        let last = self.changes().last()?;
        Ok(match last {
            Some((key, _)) => {
                let bytes: [u8; 8] = key.as_ref().try_into().map_err(|_| StoreError::Corrupt {
                    tree: CHANGES,
                    detail: "a key is not a sequence".into(),
                })?;
                u64::from_be_bytes(bytes).saturating_add(1)
            }
            None => 0,
        })
    }
}
