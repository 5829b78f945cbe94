//! The query layer over stored reports: the filters every query shares, and
//! the pure computations behind the query calls — full-text search
//! ([`search`]), per-indicator rows ([`indicators`]), statistics ([`stats`]),
//! organisation history ([`history`]) and CSV export ([`export`]).
//!
//! **Invariant:** NOT_A_REPORT texts never count in statistics, history or
//! indicator rows; they match a [`Filter`] only when it asks for them by kind.
//! Nothing here knows sled: the store hands over [`Summary`] records and
//! reports, and the search index lives in its own directory beside sled.

pub mod export;
pub mod history;
pub mod indicators;
pub mod search;
pub mod stats;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::model::{Indicator, Level, Rating, RatingCounts, Report, ReportKind};
use crate::text::fold;

/// Which reports a query is about. Names are kept folded (see
/// [`crate::text::fold`]); zero, empty and unspecified values match anything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub organization_name: String,
    pub level: Level,
    pub parent_name: String,
    pub province: String,
    pub report_year: i32,
    pub year_from: i32,
    pub year_to: i32,
    pub kind: ReportKind,
    pub rating: Rating,
}

impl Filter {
    /// Folds the names so that matching compares like with like.
    pub fn folded(mut self) -> Filter {
        self.organization_name = fold(&self.organization_name);
        self.parent_name = fold(&self.parent_name);
        self.province = fold(&self.province);
        self
    }

    /// The inclusive range of years this filter allows (`i32::MIN..=i32::MAX` when open).
    pub fn years(&self) -> (i32, i32) {
        if self.report_year != 0 {
            return (self.report_year, self.report_year);
        }
        let from = if self.year_from == 0 {
            i32::MIN
        } else {
            self.year_from
        };
        let to = if self.year_to == 0 {
            i32::MAX
        } else {
            self.year_to
        };
        (from, to)
    }

    pub fn matches(&self, summary: &Summary) -> bool {
        self.admits(&SummaryKeys {
            kind: summary.kind,
            report_year: summary.report_year,
            level: summary.level,
            rating: summary.rating,
            organization_key: &summary.organization_key,
            parent_key: &summary.parent_key,
            province_key: &summary.province_key,
        })
    }

    /// Whether a report with these facts matches.
    pub fn admits(&self, summary: &SummaryKeys<'_>) -> bool {
        let (from, to) = self.years();
        let kind_ok = match self.kind {
            ReportKind::Unspecified => summary.kind != ReportKind::NotAReport,
            kind => summary.kind == kind,
        };
        kind_ok
            && (from..=to).contains(&summary.report_year)
            && (self.level == Level::Unspecified || self.level == summary.level)
            && (self.rating == Rating::Unspecified || self.rating == summary.rating)
            && (self.organization_name.is_empty()
                || self.organization_name == summary.organization_key)
            && (self.parent_name.is_empty() || self.parent_name == summary.parent_key)
            && (self.province.is_empty() || self.province == summary.province_key)
    }

    pub fn matches_report(&self, report: &Report) -> bool {
        self.matches(&Summary::of(report))
    }
}

/// The facts a [`Filter`] looks at, borrowed (folded names).
#[derive(Debug, Clone, Copy)]
pub struct SummaryKeys<'a> {
    pub kind: ReportKind,
    pub report_year: i32,
    pub level: Level,
    pub rating: Rating,
    pub organization_key: &'a str,
    pub parent_key: &'a str,
    pub province_key: &'a str,
}

/// The facts about one report that filters, statistics and history read,
/// small enough to keep one per report in a covering index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub id: String,
    pub kind: ReportKind,
    pub report_year: i32,
    pub level: Level,
    pub organization_name: String,
    pub organization_key: String,
    pub parent_name: String,
    pub parent_key: String,
    pub province: String,
    pub province_key: String,
    pub rating: Rating,
    pub cell_ratings: RatingCounts,
    pub member_ratings: RatingCounts,
    pub submitted_at_ms: i64,
    /// Catalogued indicators only: statistics group by key.
    pub indicators: Vec<Measure>,
}

/// One catalogued indicator as statistics see it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measure {
    pub key: String,
    pub value: Option<f64>,
    pub unit: String,
    pub percent_of_plan: Option<f64>,
    pub met: Option<bool>,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let parsed = &report.parsed;
        let org = &parsed.organization;
        let parent_name = org
            .parent
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let province = if org.province.is_empty() {
            org.parent
                .as_ref()
                .map(|p| p.province.clone())
                .unwrap_or_default()
        } else {
            org.province.clone()
        };
        Summary {
            id: report.id.clone(),
            kind: parsed.kind,
            report_year: parsed.report_year,
            level: org.level,
            organization_key: fold(&org.name),
            organization_name: org.name.clone(),
            parent_key: fold(&parent_name),
            parent_name,
            province_key: fold(&province),
            province,
            rating: parsed.rating.rating,
            cell_ratings: parsed.cell_ratings,
            member_ratings: parsed.member_ratings,
            submitted_at_ms: report.source.submitted_at_ms,
            indicators: parsed
                .indicators
                .iter()
                .filter(|it| !it.key.is_empty())
                .map(|it| Measure {
                    key: it.key.clone(),
                    value: it.value,
                    unit: it.unit.clone(),
                    percent_of_plan: it.percent_of_plan,
                    met: met_plan(it),
                })
                .collect(),
        }
    }
}

/// A report created or deleted, as watchers see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    /// Where to resume to see the events after this one (its change
    /// sequence number plus one, so that 0 means "from the first event").
    pub cursor: u64,
    pub report_id: String,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The report, for created events while it is still stored.
    pub report: Option<Report>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Deleted,
}

/// Whether an indicator met its plan: the text's own word when it says the
/// plan was not reached, or else an achievement of at least 100% of plan.
/// `None` when the text says neither.
pub fn met_plan(indicator: &Indicator) -> Option<bool> {
    match (indicator.met, indicator.percent_of_plan) {
        (Some(false), _) => Some(false),
        (_, Some(percent)) => Some(percent >= 100.0),
        (met, None) => met,
    }
}

/// An opaque page token: a version byte, a fingerprint of the request it
/// continues (every filter and the order, not the paging) and the offset of
/// the next page's first item, in unpadded URL-safe base64.
pub fn page_token(request: &str, offset: usize) -> String {
    let mut bytes = vec![TOKEN_VERSION];
    bytes.extend_from_slice(&fingerprint(request));
    bytes.extend_from_slice(&(offset as u64).to_be_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads a page token written by [`page_token`] for the same request; empty
/// means the first page. `None` for a damaged token or another request's.
pub fn page_offset(request: &str, token: &str) -> Option<usize> {
    if token.is_empty() {
        return Some(0);
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let (version, rest) = bytes.split_first()?;
    if *version != TOKEN_VERSION || rest.len() != 16 || rest[..8] != fingerprint(request) {
        return None;
    }
    usize::try_from(u64::from_be_bytes(rest[8..].try_into().ok()?)).ok()
}

const TOKEN_VERSION: u8 = 1;

fn fingerprint(request: &str) -> [u8; 8] {
    let digest = Sha256::digest(request.as_bytes());
    let mut print = [0u8; 8];
    print.copy_from_slice(&digest[..8]);
    print
}

/// A page size as requested: 0 means `default`, values above `max` become `max`.
pub fn page_size(requested: i32, default: usize, max: usize) -> Option<usize> {
    match requested {
        0 => Some(default),
        n if n < 0 => None,
        n => Some((n as usize).min(max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AdminUnit, Organization, ParsedReport};

    fn report(name: &str, kind: ReportKind, year: i32) -> Report {
        Report {
            id: format!("{name}-{year}"),
            parsed: ParsedReport {
                kind,
                report_year: year,
                organization: Organization {
                    level: Level::Commune,
                    name: name.into(),
                    parent: Some(AdminUnit {
                        level: Level::District,
                        name: "Sơn Tây".into(),
                        ..Default::default()
                    }),
                    province: "Quảng Ngãi".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn filter_matches_names_folded_and_leaves_out_texts_that_are_not_reports() {
        let filter = Filter {
            organization_name: "SON LIEN".into(),
            parent_name: "sơn tây".into(),
            ..Default::default()
        }
        .folded();
        assert!(filter.matches_report(&report("Sơn Liên", ReportKind::NewsArticle, 2023)));
        assert!(!filter.matches_report(&report("Sơn Liên", ReportKind::NotAReport, 2023)));
        assert!(!filter.matches_report(&report("Sơn Trà", ReportKind::NewsArticle, 2023)));
        let asked = Filter {
            kind: ReportKind::NotAReport,
            ..filter
        };
        assert!(asked.matches_report(&report("Sơn Liên", ReportKind::NotAReport, 2023)));
    }

    #[test]
    fn filter_year_range_is_inclusive() {
        let filter = Filter {
            year_from: 2022,
            year_to: 2023,
            ..Default::default()
        };
        assert!(!filter.matches_report(&report("A", ReportKind::NewsArticle, 2021)));
        assert!(filter.matches_report(&report("A", ReportKind::NewsArticle, 2022)));
        assert!(filter.matches_report(&report("A", ReportKind::NewsArticle, 2023)));
        assert!(!filter.matches_report(&report("A", ReportKind::NewsArticle, 2024)));
    }

    #[test]
    fn met_plan_prefers_the_texts_own_word_then_the_percentage() {
        let it = |met, pop| Indicator {
            met,
            percent_of_plan: pop,
            ..Default::default()
        };
        assert_eq!(met_plan(&it(Some(false), Some(120.0))), Some(false));
        assert_eq!(met_plan(&it(None, Some(100.0))), Some(true));
        assert_eq!(met_plan(&it(None, Some(94.32))), Some(false));
        assert_eq!(met_plan(&it(None, None)), None);
        assert_eq!(met_plan(&it(Some(true), None)), Some(true));
    }

    #[test]
    fn page_tokens_round_trip_and_reject_garbage() {
        assert_eq!(page_offset("q", &page_token("q", 120)), Some(120));
        assert_eq!(page_offset("q", ""), Some(0));
        assert_eq!(page_offset("q", "x1"), None);
        assert_eq!(page_offset("other", &page_token("q", 120)), None);
        assert_eq!(page_size(0, 50, 1000), Some(50));
        assert_eq!(page_size(5000, 50, 1000), Some(1000));
        assert_eq!(page_size(-1, 50, 1000), None);
    }
}
