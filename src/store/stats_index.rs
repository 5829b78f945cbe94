//! The covering index behind statistics, export and watch filters.
//!
//! Tree `idx_stats`: `year ‖ id` → a prost-encoded [`Record`] holding every
//! field of [`crate::query::Summary`], so statistics over every report read
//! one small value per report and never a record with its text.

use prost::Message;

use super::index::Index;
use super::keys;
use super::{Store, StoreError};
use crate::model::{self, Report};
use crate::proto;
use crate::query::{Measure, Summary};

pub(crate) const TREE: &str = "idx_stats";

/// Years this many or fewer apart are read with one prefix scan each.
const MAX_YEAR_SCANS: i64 = 64;

pub(crate) struct ByYearSummary;

impl Index for ByYearSummary {
    fn tree(&self) -> &'static str {
        TREE
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        let summary = Summary::of(report);
        let key = keys::entry_key(
            &keys::year_prefix(summary.report_year),
            &keys::id_of(report),
        );
        vec![(key, Record::from(summary).encode_to_vec())]
    }
}

/// The stored form of a [`Summary`]. Enums are their wire numbers.
#[derive(Clone, PartialEq, Message)]
struct Record {
    #[prost(string, tag = "1")]
    id: String,
    #[prost(int32, tag = "2")]
    kind: i32,
    #[prost(int32, tag = "3")]
    report_year: i32,
    #[prost(int32, tag = "4")]
    level: i32,
    #[prost(string, tag = "5")]
    organization_name: String,
    #[prost(string, tag = "6")]
    organization_key: String,
    #[prost(string, tag = "7")]
    parent_name: String,
    #[prost(string, tag = "8")]
    parent_key: String,
    #[prost(string, tag = "9")]
    province: String,
    #[prost(string, tag = "10")]
    province_key: String,
    #[prost(int32, tag = "11")]
    rating: i32,
    #[prost(message, optional, tag = "12")]
    cell_ratings: Option<proto::RatingCounts>,
    #[prost(message, optional, tag = "13")]
    member_ratings: Option<proto::RatingCounts>,
    #[prost(int64, tag = "14")]
    submitted_at_ms: i64,
    #[prost(message, repeated, tag = "15")]
    indicators: Vec<MeasureRecord>,
}

#[derive(Clone, PartialEq, Message)]
struct MeasureRecord {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(double, optional, tag = "2")]
    value: Option<f64>,
    #[prost(string, tag = "3")]
    unit: String,
    #[prost(double, optional, tag = "4")]
    percent_of_plan: Option<f64>,
    #[prost(bool, optional, tag = "5")]
    met: Option<bool>,
}

fn wire<W: From<D> + Into<i32>, D>(value: D) -> i32 {
    W::from(value).into()
}

fn domain<W: TryFrom<i32> + Default, D: From<W>>(number: i32) -> D {
    D::from(W::try_from(number).unwrap_or_default())
}

impl From<Summary> for Record {
    fn from(s: Summary) -> Record {
        Record {
            id: s.id,
            kind: wire::<proto::ReportKind, _>(s.kind),
            report_year: s.report_year,
            level: wire::<proto::OrganizationLevel, _>(s.level),
            organization_name: s.organization_name,
            organization_key: s.organization_key,
            parent_name: s.parent_name,
            parent_key: s.parent_key,
            province: s.province,
            province_key: s.province_key,
            rating: wire::<proto::Rating, _>(s.rating),
            cell_ratings: Some(s.cell_ratings.into()),
            member_ratings: Some(s.member_ratings.into()),
            submitted_at_ms: s.submitted_at_ms,
            indicators: s
                .indicators
                .into_iter()
                .map(|m| MeasureRecord {
                    key: m.key,
                    value: m.value,
                    unit: m.unit,
                    percent_of_plan: m.percent_of_plan,
                    met: m.met,
                })
                .collect(),
        }
    }
}

impl From<Record> for Summary {
    fn from(r: Record) -> Summary {
        let counts =
            |c: Option<proto::RatingCounts>| c.map(model::RatingCounts::from).unwrap_or_default();
        Summary {
            id: r.id,
            kind: domain::<proto::ReportKind, _>(r.kind),
            report_year: r.report_year,
            level: domain::<proto::OrganizationLevel, _>(r.level),
            organization_name: r.organization_name,
            organization_key: r.organization_key,
            parent_name: r.parent_name,
            parent_key: r.parent_key,
            province: r.province,
            province_key: r.province_key,
            rating: domain::<proto::Rating, _>(r.rating),
            cell_ratings: counts(r.cell_ratings),
            member_ratings: counts(r.member_ratings),
            submitted_at_ms: r.submitted_at_ms,
            indicators: r
                .indicators
                .into_iter()
                .map(|m| Measure {
                    key: m.key,
                    value: m.value,
                    unit: m.unit,
                    percent_of_plan: m.percent_of_plan,
                    met: m.met,
                })
                .collect(),
        }
    }
}

impl Store {
    /// The summaries of every report whose year under review is within the
    /// inclusive range, in (year, id) order.
    pub fn summaries(&self, years: (i32, i32)) -> Result<Vec<Summary>, StoreError> {
        let (from, to) = years;
        let prefixes: Vec<Vec<u8>> =
            if from <= to && i64::from(to) - i64::from(from) < MAX_YEAR_SCANS {
                (from..=to)
                    .map(|year| keys::year_prefix(year).to_vec())
                    .collect()
            } else {
                vec![Vec::new()]
            };
        let mut summaries = Vec::new();
        for prefix in prefixes {
            for (_, value) in self.scan_index(TREE, &prefix)?.unwrap_or_default() {
                let record =
                    Record::decode(value.as_slice()).map_err(|error| StoreError::Corrupt {
                        tree: TREE,
                        detail: error.to_string(),
                    })?;
                let summary = Summary::from(record);
                if (from..=to).contains(&summary.report_year) {
                    summaries.push(summary);
                }
            }
        }
        Ok(summaries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Level, ParsedReport, Rating, RatingCounts, ReportKind};

    #[test]
    fn a_summary_survives_its_stored_form() {
        let report = Report {
            id: "0".repeat(64),
            parsed: ParsedReport {
                kind: ReportKind::OfficialReport,
                report_year: 2023,
                organization: model::Organization {
                    level: Level::Ward,
                    name: "Phú Hòa".into(),
                    ..Default::default()
                },
                rating: model::OrganizationRating {
                    rating: Rating::Good,
                    rated_by: String::new(),
                },
                member_ratings: RatingCounts {
                    excellent: 23,
                    total: 23,
                    ..Default::default()
                },
                indicators: vec![model::Indicator {
                    key: "grain_output".into(),
                    value: Some(466.8),
                    percent_of_plan: Some(105.35),
                    unit: "tấn".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            ..Default::default()
        };
        let summary = Summary::of(&report);
        let stored = Record::from(summary.clone()).encode_to_vec();
        assert_eq!(
            Summary::from(Record::decode(stored.as_slice()).unwrap()),
            summary
        );
        assert_eq!(ByYearSummary.entries(&report).len(), 1);
    }
}
