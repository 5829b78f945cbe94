//! Durable storage in sled: the only module that knows sled exists.
//!
//! **Invariants:**
//! - A report, every entry of every registered `index::Index` and its
//!   `changes` event are written (and deleted) in ONE multi-tree
//!   transaction, so no crash or error leaves a partial write.
//! - A write is acknowledged to a caller only after [`Store::flush`] has
//!   returned; concurrent writers share one flush (group commit).
//! - Records are the prost-encoded FULL `tongket.v1.Report` without its
//!   text, so they evolve with the proto; the text is kept compressed in
//!   `texts` (see [`texts`]), so reads without it never touch its bytes. The
//!   API speaks [`crate::model::Report`].
//!
//! Trees: `reports` (id → record), `changes` (sequence number →
//! created/deleted event, for replay and watchers), `texts` (id → compressed
//! text), one `idx_*` tree per index, and last `idx_indicator_count` (row
//! counts kept beside `idx_indicator`, see `indicator_index`).
//! The API is synchronous; async callers use `spawn_blocking` for work that
//! may be long (listing, bulk writes).

pub mod check;
pub(crate) mod index;
mod indicator_index;
pub mod keys;
pub mod list;
mod log;
mod replace;
mod stats_index;
mod texts;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use prost::Message;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::{Transactional, Tree};
use tokio::sync::{Mutex, broadcast, watch};

use crate::model::Report;
use crate::proto;

pub use check::CheckReport;
pub use keys::ReportId;
pub use list::{Cursor, ListQuery, Order};

const REPORTS: &str = "reports";
const CHANGES: &str = "changes";
/// Where the index trees start in `Inner::trees`.
const FIRST_INDEX: usize = 3;
/// sled's page cache when nothing else is configured: enough for the hot
/// index pages of 100,000 reports while keeping the process well under
/// 300 MB (sled's own default is 1 GiB).
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
    /// Bytes on disk that do not decode: a bug or a damaged database.
    #[error("damaged {tree} entry: {detail}")]
    Corrupt { tree: &'static str, detail: String },
}

type Result<T> = std::result::Result<T, StoreError>;

/// (key, value) pairs read from an index tree.
pub type IndexEntries = Vec<(Vec<u8>, Vec<u8>)>;

/// The outcome of [`Store::insert`].
#[derive(Debug, Clone, PartialEq)]
pub struct Inserted {
    /// False when a report with the same id was already stored.
    pub created: bool,
    /// The stored report: the new one, or the one stored before.
    pub report: Report,
}

/// One page of a listing: its reports decoded (`proto::Report`) or as
/// stored (`Vec<u8>`, see [`Store::list_encoded`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R = proto::Report> {
    pub reports: Vec<Listed<R>>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
    /// How many reports match the query.
    pub total: usize,
}

/// A report of a listing page as the `reports` tree keeps it (the wire
/// form a response sends, text only when asked for) and the position just
/// after it, from its index entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<R = proto::Report> {
    pub report: R,
    pub after: Cursor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Deleted,
}

/// One event of the `changes` log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Increases with every write; never reused.
    pub seq: u64,
    pub kind: ChangeKind,
    pub id: ReportId,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
}

impl Change {
    fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(41);
        bytes.push(match self.kind {
            ChangeKind::Created => 1,
            ChangeKind::Deleted => 2,
        });
        bytes.extend_from_slice(self.id.as_bytes());
        bytes.extend_from_slice(&self.at_ms.to_be_bytes());
        bytes
    }

    fn decode(key: &[u8], value: &[u8]) -> Option<Change> {
        let seq = u64::from_be_bytes(key.try_into().ok()?);
        let kind = match value.first()? {
            1 => ChangeKind::Created,
            2 => ChangeKind::Deleted,
            _ => return None,
        };
        let id = ReportId::from_slice(value.get(1..33)?)?;
        let at_ms = i64::from_be_bytes(value.get(33..41)?.try_into().ok()?);
        Some(Change {
            seq,
            kind,
            id,
            at_ms,
        })
    }
}

/// Where the default tree records the [`index::FORMAT`] the indexes were written under.
const INDEX_FORMAT_KEY: &[u8] = b"index_format";

/// A cheap, cloneable handle to the open database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: sled::Db,
    /// `reports`, `changes`, `texts`, then one tree per index, in registry
    /// order, then `idx_indicator_count`: the trees of every write transaction.
    trees: Vec<Tree>,
    indexes: Vec<Box<dyn index::Index>>,
    /// Change notifications; `None` once [`Store::close`] has been called.
    events: std::sync::Mutex<Option<broadcast::Sender<Change>>>,
    /// Dropped with the last handle: what [`Store::released`] waits for.
    release: watch::Sender<()>,
    /// Writes committed so far; `flushed` is how many are known durable.
    written: AtomicU64,
    flushed: Mutex<u64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("trees", &self.inner.trees.len())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the database in `path` with the default cache.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, DEFAULT_CACHE_BYTES)
    }

    /// Opens (or creates) the database in `path`, giving sled's page cache
    /// at most `cache_bytes`. Indexes written under another
    /// [`index::FORMAT`] are rebuilt from the records before this returns.
    pub fn open_with(path: &Path, cache_bytes: u64) -> Result<Store> {
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(cache_bytes)
            .open()?;
        Store::from_db(db)
    }

    /// A database that lives in a temporary directory and vanishes on drop.
    pub fn temporary() -> Result<Store> {
        let db = sled::Config::new()
            .temporary(true)
            .cache_capacity(DEFAULT_CACHE_BYTES)
            .open()?;
        Store::from_db(db)
    }

    /// Empties every index tree and refills it from the records; returns
    /// how many records were read. Offline work (start-up, repair).
    pub(crate) fn rebuild_indexes(&self) -> Result<usize> {
        const BATCH: usize = 2000;
        for tree in &self.inner.trees[FIRST_INDEX..] {
            tree.clear()?;
        }
        let mut batches: Vec<sled::Batch> = vec![sled::Batch::default(); self.inner.indexes.len()];
        let mut records = 0;
        for item in self.reports().iter() {
            let (_, value) = item?;
            let report = decode_record(&value)?;
            records += 1;
            for (index, batch) in self.inner.indexes.iter().zip(batches.iter_mut()) {
                for (key, value) in index.entries(&report) {
                    batch.insert(key, value);
                }
            }
            if records % BATCH == 0 {
                for (tree, batch) in self.inner.trees[FIRST_INDEX..]
                    .iter()
                    .zip(batches.iter_mut())
                {
                    tree.apply_batch(std::mem::take(batch))?;
                }
            }
        }
        for (tree, batch) in self.inner.trees[FIRST_INDEX..].iter().zip(batches) {
            tree.apply_batch(batch)?;
        }
        self.recount_indicator_rows()?;
        Ok(records)
    }

    fn from_db(db: sled::Db) -> Result<Store> {
        let indexes = index::all();
        let mut trees = vec![
            db.open_tree(REPORTS)?,
            db.open_tree(CHANGES)?,
            db.open_tree(texts::TEXTS)?,
        ];
        for index in &indexes {
            trees.push(db.open_tree(index.tree())?);
        }
        trees.push(db.open_tree(indicator_index::COUNTS)?);
        let (events, _) = broadcast::channel(1024);
        let inner = Inner {
            db,
            trees,
            indexes,
            events: std::sync::Mutex::new(Some(events)),
            release: watch::Sender::new(()),
            written: AtomicU64::new(0),
            flushed: Mutex::new(0),
        };
        let store = Store {
            inner: Arc::new(inner),
        };
        store.upgrade_records()?;
        store.upgrade_indexes()?;
        Ok(store)
    }

    /// Rebuilds every index from the records when the store was written
    /// under another [`index::FORMAT`] (an older server, or one from before
    /// formats were recorded), then records the current format.
    fn upgrade_indexes(&self) -> Result<()> {
        let current = index::FORMAT.to_be_bytes();
        let stored = self.inner.db.get(INDEX_FORMAT_KEY)?;
        if stored.as_deref() == Some(current.as_slice()) {
            return Ok(());
        }
        if !self.reports().is_empty() {
            // Emptied and refilled in batches: memory stays bounded however
            // many records there are. A crash part-way leaves the old format
            // recorded, so the next start does it again.
            let records = self.rebuild_indexes()?;
            tracing::info!(
                records,
                "rebuilt the indexes for index format {}",
                index::FORMAT
            );
        }
        self.inner.db.insert(INDEX_FORMAT_KEY, current.as_slice())?;
        self.inner.db.flush()?;
        Ok(())
    }

    fn reports(&self) -> &Tree {
        &self.inner.trees[0]
    }

    fn changes(&self) -> &Tree {
        &self.inner.trees[1]
    }

    fn index_tree(&self, name: &str) -> Option<&Tree> {
        let position = self
            .inner
            .indexes
            .iter()
            .position(|index| index.tree() == name)?;
        Some(&self.inner.trees[FIRST_INDEX + position])
    }

    /// Stores a report with its index entries unless its id is stored
    /// already. Idempotent: the second insert of an id changes nothing and
    /// returns the report stored first.
    pub fn insert(&self, report: &Report) -> Result<Inserted> {
        let id = keys::id_of(report);
        let (record, text) = texts::split(report);
        let entries: Vec<Vec<(Vec<u8>, Vec<u8>)>> = self
            .inner
            .indexes
            .iter()
            .map(|index| index.entries(report))
            .collect();
        let at_ms = now_ms();
        let outcome = self.inner.trees.as_slice().transaction(|trees| {
            if let Some(existing) = trees[0].get(id.as_bytes())? {
                return Ok(Err(existing));
            }
            trees[0].insert(id.as_bytes(), record.as_slice())?;
            trees[2].insert(id.as_bytes(), text.as_slice())?;
            for (tree, entries) in trees[FIRST_INDEX..].iter().zip(&entries) {
                for (key, value) in entries {
                    tree.insert(key.as_slice(), value.as_slice())?;
                }
            }
            indicator_index::count_rows(counts(trees), report, false)?;
            let change = log_change(&trees[1], ChangeKind::Created, id, at_ms)?;
            Ok(Ok(change))
        });
        match outcome.map_err(from_transaction)? {
            Ok(change) => {
                self.committed(change);
                Ok(Inserted {
                    created: true,
                    report: report.clone(),
                })
            }
            Err(existing) => Ok(Inserted {
                created: false,
                report: Report::from(self.with_text(&id, decode_wire(&existing)?)?),
            }),
        }
    }

    /// Removes a report and every index entry it had. Returns false if no
    /// report had this id.
    pub fn delete(&self, id: &ReportId) -> Result<bool> {
        let at_ms = now_ms();
        let indexes = &self.inner.indexes;
        let outcome = self.inner.trees.as_slice().transaction(|trees| {
            let Some(existing) = trees[0].get(id.as_bytes())? else {
                return Ok(None);
            };
            let report = decode_record(&existing).map_err(ConflictableTransactionError::Abort)?;
            for (tree, index) in trees[FIRST_INDEX..].iter().zip(indexes) {
                for (key, _) in index.entries(&report) {
                    tree.remove(key)?;
                }
            }
            indicator_index::count_rows(counts(trees), &report, true)?;
            trees[0].remove(id.as_bytes())?;
            trees[2].remove(id.as_bytes())?;
            Ok(Some(log_change(
                &trees[1],
                ChangeKind::Deleted,
                *id,
                at_ms,
            )?))
        });
        match outcome.map_err(from_transaction)? {
            Some(change) => {
                self.committed(change);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn committed(&self, change: Change) {
        self.inner.written.fetch_add(1, Ordering::SeqCst);
        if let Some(events) = self.events().as_ref() {
            // Nobody listening is fine: the log on disk is the record.
            let _ = events.send(change);
        }
    }

    fn events(&self) -> std::sync::MutexGuard<'_, Option<broadcast::Sender<Change>>> {
        // The guarded value is a plain Option; a panic elsewhere cannot leave it torn.
        self.inner
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends change notifications: every subscriber sees its channel close,
    /// which tells followers (such as the search index) to let go of the
    /// store. Writes still work. Called by the server when it stops.
    pub fn close(&self) {
        self.events().take();
    }

    /// Completes once every handle to this database has been dropped, so
    /// the directory can be opened again (sled allows one opener at a time).
    pub fn released(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut release = self.inner.release.subscribe();
        async move { while release.changed().await.is_ok() {} }
    }

    /// Returns once every write committed before the call is on disk. One
    /// flush covers every writer that was waiting for it.
    pub async fn flush(&self) -> Result<()> {
        let target = self.inner.written.load(Ordering::SeqCst);
        let mut flushed = self.inner.flushed.lock().await;
        if *flushed >= target {
            return Ok(());
        }
        let covering = self.inner.written.load(Ordering::SeqCst);
        self.inner.db.flush_async().await?;
        *flushed = covering;
        Ok(())
    }

    /// The stored report with this id, text included.
    pub fn get(&self, id: &ReportId) -> Result<Option<Report>> {
        Ok(self.get_wire(id, true)?.map(Report::from))
    }

    /// The stored report with this id without its text (`text` is empty):
    /// the text's bytes are not read.
    pub fn get_fields(&self, id: &ReportId) -> Result<Option<Report>> {
        Ok(self.get_wire(id, false)?.map(Report::from))
    }

    /// The stored record with this id in the FULL wire form, without the
    /// detour through the domain type (what `GetReport` sends); with its
    /// text only when `with_text`.
    pub fn get_wire(&self, id: &ReportId, with_text: bool) -> Result<Option<proto::Report>> {
        let Some(bytes) = self.reports().get(id.as_bytes())? else {
            return Ok(None);
        };
        let mut wire = decode_wire(&bytes)?;
        if with_text {
            wire = self.with_text(id, wire)?;
        } else {
            wire.text.clear();
        }
        Ok(Some(wire))
    }

    /// Whether a report with this id is stored.
    pub fn contains(&self, id: &ReportId) -> Result<bool> {
        Ok(self.reports().contains_key(id.as_bytes())?)
    }

    /// How many reports are stored (counts the records; O(n)).
    pub fn len(&self) -> Result<usize> {
        let mut count = 0;
        for key in self.reports().iter().keys() {
            key?;
            count += 1;
        }
        Ok(count)
    }

    pub fn is_empty(&self) -> bool {
        self.reports().is_empty()
    }

    /// Every stored id, in id order (for reparse and check).
    pub fn all_ids(&self) -> Result<Vec<ReportId>> {
        self.reports()
            .iter()
            .keys()
            .map(|key| {
                let key = key?;
                ReportId::from_slice(&key).ok_or(StoreError::Corrupt {
                    tree: REPORTS,
                    detail: "a key is not an id".into(),
                })
            })
            .collect()
    }

    /// Every (key, value) of a registered index tree whose key starts with
    /// `prefix`, in key order. `None` if no index has this tree name.
    pub fn scan_index(&self, tree: &str, prefix: &[u8]) -> Result<Option<IndexEntries>> {
        let Some(tree) = self.index_tree(tree) else {
            return Ok(None);
        };
        let entries = tree
            .scan_prefix(prefix)
            .map(|item| item.map(|(key, value)| (key.to_vec(), value.to_vec())))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Some(entries))
    }

    /// The events of the `changes` log after `seq`, oldest first, at most `limit`.
    pub fn changes_after(&self, seq: u64, limit: usize) -> Result<Vec<Change>> {
        let start = seq.saturating_add(1).to_be_bytes();
        self.changes()
            .range(start..)
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

    /// Events committed from now on. A receiver that lags is told how many
    /// it missed and can catch up with [`Store::changes_after`].
    /// After [`Store::close`] the receiver is closed at once.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        match self.events().as_ref() {
            Some(events) => events.subscribe(),
            None => broadcast::channel(1).1,
        }
    }

    /// One page of the reports matching `query`, served from the index
    /// trees; the reports carry their texts only when `with_text` (a BASIC
    /// page reads no text).
    pub fn list(&self, query: &ListQuery, with_text: bool) -> Result<Page> {
        self.list_with(query, |id| self.get_wire(id, with_text))
    }

    /// [`Store::list`] with each report as the bytes prost would encode for
    /// it ([`Store::get_encoded`]), so a response is written without
    /// decoding the records.
    pub fn list_encoded(&self, query: &ListQuery, with_text: bool) -> Result<Page<Vec<u8>>> {
        self.list_with(query, |id| self.get_encoded(id, with_text))
    }

    fn list_with<R>(
        &self,
        query: &ListQuery,
        read: impl Fn(&ReportId) -> Result<Option<R>>,
    ) -> Result<Page<R>> {
        let scan = query.scan();
        let tree = self.index_tree(scan.tree).ok_or(StoreError::Corrupt {
            tree: REPORTS,
            detail: format!("index {} is not registered", scan.tree),
        })?;
        let organization = crate::text::fold(&query.organization_name);
        // Names the scanned index does not decide are point lookups in their own index.
        let lookups: Vec<(Vec<u8>, Option<&Tree>)> = [
            (index::PARENT, &query.parent_name),
            (index::PROVINCE, &query.province),
        ]
        .into_iter()
        .filter(|(name_index, name)| {
            *name_index != scan.tree && !crate::text::fold(name).is_empty()
        })
        .map(|(name_index, name)| (keys::name_prefix(name), self.index_tree(name_index)))
        .collect();
        let entries: Box<dyn Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> =
            match scan.range {
                Some((start, Some(end))) => Box::new(tree.range(start..end)),
                Some((start, None)) => Box::new(tree.range(start..)),
                None => Box::new(
                    scan.prefixes
                        .into_iter()
                        .flat_map(|prefix| tree.scan_prefix(prefix)),
                ),
            };
        let mut matches = Vec::new();
        for entry in entries {
            let (key, value) = entry?;
            let corrupt = || StoreError::Corrupt {
                tree: scan.tree,
                detail: "an index entry does not decode".into(),
            };
            let id = keys::id_suffix(&key).ok_or_else(corrupt)?;
            let summary = keys::Summary::decode(&value).ok_or_else(corrupt)?;
            if !query.admits(&summary, &organization) {
                continue;
            }
            let mut listed = true;
            for (prefix, name_tree) in &lookups {
                listed = match name_tree {
                    Some(name_tree) => name_tree.contains_key(keys::entry_key(
                        &keys::placed_prefix(prefix, summary.year, summary.level),
                        &id,
                    ))?,
                    None => false,
                };
                if !listed {
                    break;
                }
            }
            if !listed {
                continue;
            }
            matches.push(list::Entry { id, summary });
        }
        let page = query.page(matches);
        let mut reports = Vec::with_capacity(page.rows.len());
        for after in page.rows {
            // A report deleted since the scan is simply left out. The record
            // is sent as stored: no detour through the domain type.
            if let Some(report) = read(after.id())? {
                reports.push(Listed { report, after });
            }
        }
        Ok(Page {
            reports,
            next: page.next,
            total: page.total,
        })
    }
}

/// The row counts of `idx_indicator` (`indicator_index::COUNTS`): the last
/// tree of every write transaction.
fn counts(trees: &[TransactionalTree]) -> &TransactionalTree {
    &trees[trees.len() - 1]
}

fn log_change(
    changes: &TransactionalTree,
    kind: ChangeKind,
    id: ReportId,
    at_ms: i64,
) -> std::result::Result<Change, ConflictableTransactionError<StoreError>> {
    // Sequence numbers start at 1, so "after 0" means "from the start".
    let seq = changes.generate_id()? + 1;
    let change = Change {
        seq,
        kind,
        id,
        at_ms,
    };
    changes.insert(&seq.to_be_bytes(), change.encode())?;
    Ok(change)
}

/// A record as the `reports` tree keeps it, without its text (unless
/// written under record format 1).
fn decode_wire(bytes: &[u8]) -> Result<proto::Report> {
    proto::Report::decode(bytes).map_err(|error| StoreError::Corrupt {
        tree: REPORTS,
        detail: error.to_string(),
    })
}

/// A record's fields, for what the indexes derive from them.
fn decode_record(bytes: &[u8]) -> Result<Report> {
    decode_wire(bytes).map(Report::from)
}

fn from_transaction(error: TransactionError<StoreError>) -> StoreError {
    match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(error) => StoreError::Sled(error),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// A stored report with only a name and a year parsed, for the store's tests.
#[cfg(test)]
pub(crate) fn sample_report(text: &str, name: &str, year: i32) -> Report {
    Report {
        id: ReportId::of_text(&crate::text::Normalized::new(text)).to_hex(),
        parsed: crate::model::ParsedReport {
            report_year: year,
            organization: crate::model::Organization {
                name: name.into(),
                ..Default::default()
            },
            ..Default::default()
        },
        text: text.into(),
        ..Default::default()
    }
}
