//! The index on (indicator key, year) that serves `QueryIndicators`.
//!
//! Tree `idx_indicator`: `section ‖ lookup ‖ name ‖ 0x00 ‖ year ‖ status ‖ id ‖
//! ordinal` → a slim [`Entry`] value: the figures a query filters and sorts
//! on (value, percent of plan) and the organisation as level and name
//! fingerprints, about 40 bytes. A query filters, counts and orders these
//! without reading records, then reads the records of the one page it
//! returns (the row is the report's indicator at `ordinal`).
//! `status` is whether the plan was met ([`crate::query::met_plan`]: 0
//! unknown, 1 missed, 2 met), so "who missed their target in 2023" reads
//! only the rows that missed it. `section` is `i` (results of the year under
//! review) or `t` (targets, under their plan year); `lookup` is `k` for the
//! catalogue key or `n` for the folded name as written. Every indicator is
//! filed under its name, catalogued ones under their key too.
//!
//! Tree `idx_indicator_count`: `section ‖ lookup ‖ name ‖ 0x00 ‖ year ‖
//! status` (a row key without its `id ‖ ordinal` tail: one *bucket*) → how
//! many rows the bucket holds (u64, big-endian; absent when none). The
//! counts change in the transaction that writes or removes the rows, so a
//! query without filters beyond lookup, years and status takes its
//! `total_size` from a few counts and reads only the rows of its page.
//! sled 0.34 runs write transactions one at a time (a global lock), so the
//! shared counts cannot make concurrent writers retry.
//!
//! **Invariant:** NOT_A_REPORT texts contribute no rows. Every bucket's
//! count is the number of its rows in `idx_indicator`.

use std::collections::BTreeMap;

use sled::transaction::{ConflictableTransactionResult, TransactionalTree};

use super::index::Index;
use super::keys::{self, ReportId};
use super::{Store, StoreError};
use crate::model::{Level, Report, ReportKind};
use crate::proto;
use crate::query::indicators::{Candidate, Lookup, Row, name_print, row_province};
use crate::query::met_plan;
use prost::Message;

pub(crate) const TREE: &str = "idx_indicator";
/// The row counts of every bucket of [`TREE`].
pub(crate) const COUNTS: &str = "idx_indicator_count";

/// The `id ‖ ordinal` tail of a row key after its bucket.
const ROW_TAIL: usize = 34;

/// Years this many or fewer apart are read with one prefix scan each;
/// wider ranges read the whole lookup and filter.
const MAX_YEAR_SCANS: i64 = 64;

const HAS_VALUE: u8 = 1;
const HAS_PERCENT: u8 = 2;

pub(crate) struct ByIndicator;

impl Index for ByIndicator {
    fn tree(&self) -> &'static str {
        TREE
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        if report.parsed.kind == ReportKind::NotAReport {
            return Vec::new();
        }
        let id = keys::id_of(report);
        let org = &report.parsed.organization;
        let prints = [
            name_print(&crate::text::fold(&org.name)),
            name_print(&crate::text::fold(
                org.parent.as_ref().map_or("", |p| p.name.as_str()),
            )),
            name_print(&crate::text::fold(&row_province(org))),
        ];
        let level = keys::level_byte(org.level);
        let sections = [
            (false, &report.parsed.indicators),
            (true, &report.parsed.targets),
        ];
        let mut entries = Vec::new();
        for (target, indicators) in sections {
            for (ordinal, indicator) in indicators.iter().enumerate() {
                let year = if target && indicator.year != 0 {
                    indicator.year
                } else {
                    report.parsed.report_year
                };
                let value = encode(level, indicator.value, indicator.percent_of_plan, &prints);
                let mut lookups = vec![Lookup::Name(crate::text::fold(&indicator.name))];
                if !indicator.key.is_empty() {
                    lookups.push(Lookup::Key(indicator.key.clone()));
                }
                for lookup in lookups {
                    let mut key = prefix(target, &lookup);
                    key.extend_from_slice(&keys::year_prefix(year));
                    key.push(status_byte(met_plan(indicator)));
                    key.extend_from_slice(id.as_bytes());
                    key.extend_from_slice(
                        &u16::try_from(ordinal).unwrap_or(u16::MAX).to_be_bytes(),
                    );
                    entries.push((key, value.clone()));
                }
            }
        }
        entries
    }
}

/// `level ‖ flags ‖ [value f64] ‖ [percent f64] ‖ 3 × u64 name prints`.
fn encode(level: u8, value: Option<f64>, percent: Option<f64>, prints: &[u64; 3]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(42);
    let flags = u8::from(value.is_some()) * HAS_VALUE + u8::from(percent.is_some()) * HAS_PERCENT;
    bytes.extend_from_slice(&[level, flags]);
    for figure in [value, percent].into_iter().flatten() {
        bytes.extend_from_slice(&figure.to_be_bytes());
    }
    for print in prints {
        bytes.extend_from_slice(&print.to_be_bytes());
    }
    bytes
}

/// Reads one entry back; `None` when the bytes are not an entry.
fn decode(key: &[u8], value: &[u8]) -> Option<Candidate> {
    // The key ends in year ‖ status ‖ id ‖ ordinal.
    let tail = key.get(key.len().checked_sub(39)?..)?;
    let year = i32::from_be_bytes(tail[0..4].try_into().ok()?) ^ i32::MIN;
    let met = match tail[4] {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        _ => return None,
    };
    let report = ReportId::from_slice(&tail[5..37])?;
    let ordinal = u16::from_be_bytes(tail[37..39].try_into().ok()?);
    let (&level, rest) = value.split_first()?;
    let level = Level::from(proto::OrganizationLevel::try_from(i32::from(level)).ok()?);
    let (&flags, mut rest) = rest.split_first()?;
    let mut figure = |present: bool| -> Option<Option<f64>> {
        if !present {
            return Some(None);
        }
        let (bytes, tail) = rest.split_at_checked(8)?;
        rest = tail;
        Some(Some(f64::from_be_bytes(bytes.try_into().ok()?)))
    };
    let value = figure(flags & HAS_VALUE != 0)?;
    let percent_of_plan = figure(flags & HAS_PERCENT != 0)?;
    if rest.len() != 24 {
        return None;
    }
    let print = |at: usize| u64::from_be_bytes(rest[at..at + 8].try_into().unwrap_or_default());
    Some(Candidate {
        report,
        ordinal,
        year,
        met,
        level,
        value,
        percent_of_plan,
        organization: print(0),
        parent: print(8),
        province: print(16),
    })
}

fn status_byte(met: Option<bool>) -> u8 {
    match met {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    }
}

/// `section ‖ lookup ‖ name ‖ 0x00`: every row of one lookup.
fn prefix(target: bool, lookup: &Lookup) -> Vec<u8> {
    let (tag, name) = match lookup {
        Lookup::Key(key) => (b'k', key.as_str()),
        Lookup::Name(name) => (b'n', name.as_str()),
    };
    let mut prefix = vec![if target { b't' } else { b'i' }, tag];
    prefix.extend_from_slice(name.as_bytes());
    prefix.push(0);
    prefix
}

/// One bucket of rows: all rows of one lookup, year and plan status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    key: Vec<u8>,
    /// The year the rows are filed under.
    pub year: i32,
    /// How many rows it holds.
    pub rows: usize,
}

/// How many rows each bucket gets from these row keys.
pub(crate) fn bucket_counts<'a>(
    row_keys: impl IntoIterator<Item = &'a [u8]>,
) -> BTreeMap<Vec<u8>, u64> {
    let mut counts = BTreeMap::new();
    for key in row_keys {
        let bucket = &key[..key.len().saturating_sub(ROW_TAIL)];
        *counts.entry(bucket.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Adds a report's rows to the bucket counts (subtracts them when
/// `removed`), inside the transaction that writes or removes the rows.
pub(crate) fn count_rows(
    counts: &TransactionalTree,
    report: &Report,
    removed: bool,
) -> ConflictableTransactionResult<(), StoreError> {
    let entries = ByIndicator.entries(report);
    for (bucket, rows) in bucket_counts(entries.iter().map(|(key, _)| key.as_slice())) {
        let stored = counts.get(&bucket)?.map_or(0, |bytes| count_of(&bytes));
        let count = match removed {
            true => stored.saturating_sub(rows),
            false => stored + rows,
        };
        match count {
            0 => counts.remove(bucket)?,
            count => counts.insert(bucket, &count.to_be_bytes())?,
        };
    }
    Ok(())
}

/// A stored count; damaged bytes read as 0 (and `check` reports them).
fn count_of(bytes: &[u8]) -> u64 {
    bytes.try_into().map_or(0, u64::from_be_bytes)
}

impl Store {
    fn indicator_tree(&self, name: &'static str) -> Result<&sled::Tree, StoreError> {
        let tree = match name {
            COUNTS => self.inner.trees.last(),
            _ => self.index_tree(name),
        };
        tree.ok_or(StoreError::Corrupt {
            tree: name,
            detail: "the index is not registered".into(),
        })
    }

    /// Replaces every bucket count by a count of the rows in `idx_indicator`
    /// (after the indexes were rebuilt).
    pub(crate) fn recount_indicator_rows(&self) -> Result<(), StoreError> {
        let rows = self.indicator_tree(TREE)?;
        let mut keys = Vec::new();
        for key in rows.iter().keys() {
            keys.push(key?);
        }
        let counts = self.indicator_tree(COUNTS)?;
        counts.clear()?;
        let mut batch = sled::Batch::default();
        for (bucket, count) in bucket_counts(keys.iter().map(|key| key.as_ref())) {
            batch.insert(bucket, &count.to_be_bytes());
        }
        counts.apply_batch(batch)?;
        Ok(())
    }

    /// Compares the stored bucket counts with the counts of `expected` row
    /// keys (those the records imply); with `repair`, rewrites them. Returns
    /// one line per disagreeing bucket.
    pub(crate) fn check_indicator_counts<'a>(
        &self,
        expected: impl IntoIterator<Item = &'a [u8]>,
        repair: bool,
    ) -> Result<Vec<String>, StoreError> {
        let mut wanted = bucket_counts(expected);
        let counts = self.indicator_tree(COUNTS)?;
        let mut fixes = sled::Batch::default();
        let mut disagreements = Vec::new();
        for item in counts.iter() {
            let (bucket, stored) = item?;
            let expected = wanted.remove(bucket.as_ref());
            if expected == Some(count_of(&stored)) && stored.len() == 8 {
                continue;
            }
            disagreements.push(format!(
                "{COUNTS}: bucket {} counts {} rows, not {}",
                hex::encode(&bucket),
                count_of(&stored),
                expected.unwrap_or(0)
            ));
            match expected {
                Some(count) => fixes.insert(bucket.as_ref(), &count.to_be_bytes()),
                None => fixes.remove(bucket.as_ref()),
            }
        }
        for (bucket, count) in wanted {
            disagreements.push(format!(
                "{COUNTS}: bucket {} is missing ({count} rows)",
                hex::encode(&bucket)
            ));
            fixes.insert(bucket, &count.to_be_bytes());
        }
        if repair {
            counts.apply_batch(fixes)?;
        }
        Ok(disagreements)
    }

    /// The non-empty buckets of one lookup within the inclusive year range
    /// (and with plan status `met` when given), in key order: year, then
    /// status. Reads counts only.
    pub fn indicator_buckets(
        &self,
        target: bool,
        lookup: &Lookup,
        years: (i32, i32),
        met: Option<bool>,
    ) -> Result<Vec<Bucket>, StoreError> {
        let base = prefix(target, lookup);
        let mut buckets = Vec::new();
        for item in self.indicator_tree(COUNTS)?.scan_prefix(&base) {
            let (key, count) = item?;
            let corrupt = || StoreError::Corrupt {
                tree: COUNTS,
                detail: format!("a bucket does not decode: {}", hex::encode(&key)),
            };
            let tail = key.get(base.len()..).ok_or_else(corrupt)?;
            let [y0, y1, y2, y3, status] = *tail else {
                return Err(corrupt());
            };
            let year = i32::from_be_bytes([y0, y1, y2, y3]) ^ i32::MIN;
            if !(years.0..=years.1).contains(&year)
                || met.is_some_and(|met| status != status_byte(Some(met)))
            {
                continue;
            }
            buckets.push(Bucket {
                key: key.to_vec(),
                year,
                rows: usize::try_from(count_of(&count)).unwrap_or(usize::MAX),
            });
        }
        Ok(buckets)
    }

    /// The rows `offset..offset + limit` of these buckets taken in the
    /// order given (each bucket in key order), skipping whole buckets by
    /// their counts. No record is read.
    pub fn indicator_slice(
        &self,
        buckets: &[Bucket],
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        let tree = self.indicator_tree(TREE)?;
        let mut skip = offset;
        let mut slice = Vec::with_capacity(limit.min(1024));
        for bucket in buckets {
            if slice.len() >= limit {
                break;
            }
            if skip >= bucket.rows {
                skip -= bucket.rows;
                continue;
            }
            let wanted = limit - slice.len();
            for item in tree.scan_prefix(&bucket.key).skip(skip).take(wanted) {
                let (key, value) = item?;
                slice.push(decode(&key, &value).ok_or_else(|| StoreError::Corrupt {
                    tree: TREE,
                    detail: format!("an entry does not decode at {}", hex::encode(&key)),
                })?);
            }
            skip = 0;
        }
        Ok(slice)
    }

    /// The slim entries of one lookup within the inclusive year range (and,
    /// when `met` is given, with that plan status), in (year, status, report
    /// id, position) order, each passed to `keep`; the kept ones are
    /// returned. Entries of other years or status may come along for wide
    /// ranges; `keep` filters. No record is read.
    pub fn indicator_candidates(
        &self,
        target: bool,
        lookup: &Lookup,
        years: (i32, i32),
        met: Option<bool>,
        mut keep: impl FnMut(&Candidate) -> bool,
    ) -> Result<Vec<Candidate>, StoreError> {
        let tree = self.index_tree(TREE).ok_or(StoreError::Corrupt {
            tree: TREE,
            detail: "the index is not registered".into(),
        })?;
        let base = prefix(target, lookup);
        let (from, to) = years;
        let prefixes: Vec<Vec<u8>> =
            if from <= to && i64::from(to) - i64::from(from) < MAX_YEAR_SCANS {
                (from..=to)
                    .map(|year| {
                        let mut prefix = base.clone();
                        prefix.extend_from_slice(&keys::year_prefix(year));
                        if met.is_some() {
                            prefix.push(status_byte(met));
                        }
                        prefix
                    })
                    .collect()
            } else {
                vec![base]
            };
        let mut kept = Vec::new();
        for prefix in prefixes {
            for item in tree.scan_prefix(prefix) {
                let (key, value) = item?;
                let candidate = decode(&key, &value).ok_or_else(|| StoreError::Corrupt {
                    tree: TREE,
                    detail: format!(
                        "an entry does not decode at {}",
                        String::from_utf8_lossy(&key)
                    ),
                })?;
                if keep(&candidate) {
                    kept.push(candidate);
                }
            }
        }
        Ok(kept)
    }

    /// The full row an entry stands for, read from its report; `None` when
    /// the report was deleted (or replaced) since the entry was read.
    /// The row `candidate` points at, read from its report's record without
    /// decoding the fields a row does not carry (people, texts, the other
    /// section, the other indicators); `None` when the report is gone.
    pub fn indicator_row(
        &self,
        candidate: &Candidate,
        target: bool,
    ) -> Result<Option<Row>, StoreError> {
        let Some(bytes) = self.reports().get(candidate.report.as_bytes())? else {
            return Ok(None);
        };
        let corrupt = |error: prost::DecodeError| StoreError::Corrupt {
            tree: super::REPORTS,
            detail: error.to_string(),
        };
        let fields = RowFields::decode(bytes.as_ref()).map_err(corrupt)?;
        let section = match target {
            true => fields.targets,
            false => fields.indicators,
        };
        let Some(indicator) = section.get(usize::from(candidate.ordinal)) else {
            return Ok(None);
        };
        let indicator = proto::Indicator::decode(indicator.as_slice()).map_err(corrupt)?;
        Ok(Some(Row {
            report_id: fields.id,
            organization: fields.organization.map(Into::into).unwrap_or_default(),
            report_year: fields.report_year,
            indicator: indicator.into(),
            target,
        }))
    }
}

/// What an indicator row needs of a stored record (a `proto::Report`, same
/// field numbers): each indicator of a section stays undecoded bytes until
/// the row's own is picked, and every other field (people, text, …) is
/// skipped, so a row costs a fraction of decoding the whole report.
#[derive(Clone, PartialEq, prost::Message)]
struct RowFields {
    #[prost(string, tag = "1")]
    id: String,
    #[prost(message, optional, tag = "4")]
    organization: Option<proto::Organization>,
    #[prost(int32, tag = "8")]
    report_year: i32,
    #[prost(bytes = "vec", repeated, tag = "13")]
    indicators: Vec<Vec<u8>>,
    #[prost(bytes = "vec", repeated, tag = "14")]
    targets: Vec<Vec<u8>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, ParsedReport};
    use crate::store::ReportId;

    /// The id part of a row key.
    fn id_in(key: &[u8]) -> Option<ReportId> {
        let start = key.len().checked_sub(34)?;
        ReportId::from_slice(&key[start..start + 32])
    }

    fn report(kind: ReportKind) -> Report {
        let id = ReportId::of_text(&crate::text::Normalized::new("x"));
        Report {
            id: id.to_hex(),
            parsed: ParsedReport {
                kind,
                report_year: 2023,
                plan_year: 2024,
                indicators: vec![
                    Indicator {
                        key: "cattle_herd".into(),
                        name: "Đàn bò".into(),
                        value: Some(840.0),
                        ..Default::default()
                    },
                    Indicator {
                        name: "Đàn hươu".into(),
                        value: Some(12.0),
                        ..Default::default()
                    },
                ],
                targets: vec![Indicator {
                    key: "cattle_herd".into(),
                    name: "Đàn bò".into(),
                    year: 2024,
                    ..Default::default()
                }],
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn indicators_are_filed_under_name_and_key_targets_under_their_plan_year() {
        let entries = ByIndicator.entries(&report(ReportKind::NewsArticle));
        assert_eq!(entries.len(), 5);
        let mut cattle = prefix(false, &Lookup::Key("cattle_herd".into()));
        cattle.extend_from_slice(&keys::year_prefix(2023));
        assert_eq!(
            entries
                .iter()
                .filter(|(key, _)| key.starts_with(&cattle))
                .count(),
            1
        );
        let mut target = prefix(true, &Lookup::Key("cattle_herd".into()));
        target.extend_from_slice(&keys::year_prefix(2024));
        assert_eq!(
            entries
                .iter()
                .filter(|(key, _)| key.starts_with(&target))
                .count(),
            1
        );
        assert!(entries.iter().all(|(key, _)| id_in(key).is_some()));
    }

    #[test]
    fn bucket_counts_follow_writes_and_a_check_repairs_a_wrong_one() {
        let store = Store::temporary().unwrap();
        let first = report(ReportKind::NewsArticle);
        let mut second = first.clone();
        second.id = ReportId::of_text(&crate::text::Normalized::new("y")).to_hex();
        store.insert(&first).unwrap();
        store.insert(&second).unwrap();
        let cattle = |store: &Store| {
            store
                .indicator_buckets(
                    false,
                    &Lookup::Key("cattle_herd".into()),
                    (2023, 2023),
                    None,
                )
                .unwrap()
                .iter()
                .map(|bucket| bucket.rows)
                .collect::<Vec<_>>()
        };
        assert_eq!(cattle(&store), vec![2]);
        store.delete(&keys::id_of(&first)).unwrap();
        assert_eq!(cattle(&store), vec![1]);

        let counts = store.indicator_tree(COUNTS).unwrap();
        let (bucket, _) = counts.iter().next().unwrap().unwrap();
        counts.insert(&bucket, &7u64.to_be_bytes()).unwrap();
        counts.insert(b"i\x00nothing", &1u64.to_be_bytes()).unwrap();
        let checked = store.check(false).unwrap();
        assert_eq!((checked.missing, checked.consistent()), (2, false));
        assert!(store.check(true).unwrap().consistent());
        assert_eq!(store.check(false).unwrap().missing, 0);
        assert_eq!(cattle(&store), vec![1]);
        store.delete(&keys::id_of(&second)).unwrap();
        assert!(cattle(&store).is_empty());
        assert!(counts.is_empty());
    }

    #[test]
    fn a_row_read_from_part_of_a_record_is_the_row_of_the_whole_report() {
        let store = Store::temporary().unwrap();
        let template = ByIndicator
            .entries(&report(ReportKind::NewsArticle))
            .first()
            .and_then(|(key, value)| decode(key, value))
            .unwrap();
        let generator = crate::synth::Generator::new(11);
        let mut rows = 0;
        for i in 0..12 {
            let text = crate::text::Normalized::new(&generator.generate(i).text);
            let mut report = Report {
                id: ReportId::of_text(&text).to_hex(),
                parsed: crate::parse::parse(&text),
                text: text.into_string(),
                ..Default::default()
            };
            report.parsed.people.push(crate::model::Person {
                name: "Nguyễn Văn A".into(),
                ..Default::default()
            });
            store.insert(&report).unwrap();
            let stored = store.get(&keys::id_of(&report)).unwrap().unwrap();
            for target in [false, true] {
                let section = match target {
                    true => &stored.parsed.targets,
                    false => &stored.parsed.indicators,
                };
                for ordinal in 0..=section.len() {
                    let candidate = Candidate {
                        report: keys::id_of(&report),
                        ordinal: u16::try_from(ordinal).unwrap(),
                        ..template.clone()
                    };
                    let expected = section.get(ordinal).map(|indicator| Row {
                        report_id: stored.id.clone(),
                        organization: stored.parsed.organization.clone(),
                        report_year: stored.parsed.report_year,
                        indicator: indicator.clone(),
                        target,
                    });
                    rows += usize::from(expected.is_some());
                    assert_eq!(store.indicator_row(&candidate, target).unwrap(), expected);
                }
            }
        }
        assert!(rows > 24, "{rows} rows compared");
        let gone = Candidate {
            report: ReportId::of_text(&crate::text::Normalized::new("never stored")),
            ..template
        };
        assert_eq!(store.indicator_row(&gone, false).unwrap(), None);
    }

    #[test]
    fn texts_that_are_not_reports_contribute_no_rows() {
        assert!(
            ByIndicator
                .entries(&report(ReportKind::NotAReport))
                .is_empty()
        );
    }
}
