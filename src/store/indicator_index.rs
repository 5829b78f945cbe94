//! The index on (indicator key, year) that serves `QueryIndicators`.
//!
//! Tree `idx_indicator`: `section ‖ lookup ‖ name ‖ 0x00 ‖ year ‖ status ‖ id ‖
//! ordinal` → the prost-encoded `tongket.v1.IndicatorRow`, so a query reads
//! rows without touching records. `status` is whether the plan was met
//! ([`crate::query::met_plan`]: 0 unknown, 1 missed, 2 met), so "who missed
//! their target in 2023" reads only the rows that missed it. `section` is `i` (results of the year under
//! review) or `t` (targets, under their plan year); `lookup` is `k` for the
//! catalogue key or `n` for the folded name as written. Every indicator is
//! filed under its name, catalogued ones under their key too.
//!
//! **Invariant:** NOT_A_REPORT texts contribute no rows.

use prost::Message;

use super::index::Index;
use super::keys;
use super::{Store, StoreError};
use crate::model::{Report, ReportKind};
use crate::proto;
use crate::query::indicators::{Lookup, Row};
use crate::query::met_plan;

pub(crate) const TREE: &str = "idx_indicator";

/// Years this many or fewer apart are read with one prefix scan each;
/// wider ranges read the whole lookup and filter.
const MAX_YEAR_SCANS: i64 = 64;

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
        let sections = [
            (false, &report.parsed.indicators),
            (true, &report.parsed.targets),
        ];
        let mut entries = Vec::new();
        for (target, indicators) in sections {
            for (ordinal, indicator) in indicators.iter().enumerate() {
                let row = Row {
                    report_id: report.id.clone(),
                    organization: report.parsed.organization.clone(),
                    report_year: report.parsed.report_year,
                    indicator: indicator.clone(),
                    target,
                };
                let value = proto::IndicatorRow::from(row.clone()).encode_to_vec();
                let mut lookups = vec![Lookup::Name(crate::text::fold(&indicator.name))];
                if !indicator.key.is_empty() {
                    lookups.push(Lookup::Key(indicator.key.clone()));
                }
                for lookup in lookups {
                    let mut key = prefix(target, &lookup);
                    key.extend_from_slice(&keys::year_prefix(row.year()));
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

impl Store {
    /// The rows of one lookup within the inclusive year range (and, when
    /// `met` is given, with that plan status), in (year, status, report id,
    /// position) order, read from the (key, year, status) index. Rows of
    /// other years or status may come along for wide ranges; callers filter.
    pub fn indicator_rows(
        &self,
        target: bool,
        lookup: &Lookup,
        years: (i32, i32),
        met: Option<bool>,
    ) -> Result<Vec<Row>, StoreError> {
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
        let mut rows = Vec::new();
        for prefix in prefixes {
            let entries = self.scan_index(TREE, &prefix)?.unwrap_or_default();
            for (key, value) in entries {
                let wire = proto::IndicatorRow::decode(value.as_slice()).map_err(|error| {
                    StoreError::Corrupt {
                        tree: TREE,
                        detail: format!("{error} at {}", String::from_utf8_lossy(&key)),
                    }
                })?;
                rows.push(Row::from(wire));
            }
        }
        Ok(rows)
    }
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
    fn texts_that_are_not_reports_contribute_no_rows() {
        assert!(
            ByIndicator
                .entries(&report(ReportKind::NotAReport))
                .is_empty()
        );
    }
}
