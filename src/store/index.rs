//! Secondary indexes: the [`Index`] trait and the registry [`all`].
//!
//! **Invariant:** an index's entries are a pure function of the report, so
//! delete removes exactly what insert wrote and a check can recompute them.
//! Adding an index is one new type (here or in its own file under
//! `src/store/`), one line in [`all`] and a bump of [`FORMAT`]; `Store`
//! writes and removes the entries of every registered index in the record's
//! own transaction.
//!
//! The built-in indexes below serve `ListReports`. Their values are the
//! report's [`Summary`], so a listing filters and sorts without reading
//! records. The name indexes key an entry `name ‖ 0x00 ‖ year ‖ level ‖ id`,
//! `idx_year` `year ‖ level ‖ id` and `idx_level` `level ‖ year ‖ id`, so the
//! filters users combine (a district's communes in one year, a province's
//! reports of a year range) are one prefix or range read of their own rows.

use super::keys::{self, Summary};
use crate::model::Report;

/// One secondary index: a sled tree whose entries are derived from a report alone.
pub(crate) trait Index: Send + Sync {
    /// The sled tree name ("idx_org", "idx_indicator", …).
    fn tree(&self) -> &'static str;
    /// Every (key, value) this report contributes. Must be a pure function of the report,
    /// so that delete removes exactly what insert wrote and `check` can recompute them.
    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)>;
}

/// The shape of what the registered indexes write. Bump it whenever an index
/// is added or removed or its entries change: a store written under another
/// format rebuilds every index from the records when it opens
/// ([`super::Store::open`]), so an upgraded server never answers from stale
/// or missing entries.
/// 1: the first session's; 2: `idx_province` added; 3: slim `idx_indicator`
/// values and compact `idx_stats` summaries; 4: year and level inside the
/// keys of the name, year and level indexes; 5: `idx_indicator_count`.
pub(crate) const FORMAT: u32 = 5;

/// Every registered index, in a fixed order.
pub(crate) fn all() -> Vec<Box<dyn Index>> {
    vec![
        Box::new(ByYear),
        Box::new(ByKind),
        Box::new(ByOrganization),
        Box::new(ByParent),
        Box::new(ByProvince),
        Box::new(ByLevel),
        Box::new(ByRating),
        Box::new(super::indicator_index::ByIndicator),
        Box::new(super::stats_index::ByYearSummary),
    ]
}

pub(crate) const YEAR: &str = "idx_year";
pub(crate) const KIND: &str = "idx_kind";
pub(crate) const ORGANIZATION: &str = "idx_org";
pub(crate) const PARENT: &str = "idx_parent";
pub(crate) const PROVINCE: &str = "idx_province";
pub(crate) const LEVEL: &str = "idx_level";
pub(crate) const RATING: &str = "idx_rating";

fn summarised(prefix: &[u8], report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
    vec![(
        keys::entry_key(prefix, &keys::id_of(report)),
        Summary::of(report).encode(),
    )]
}

/// An entry under `prefix ‖ year ‖ level`, so one prefix read finds a
/// year's (and a level's) rows of the name.
fn placed(prefix: &[u8], report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
    let summary = Summary::of(report);
    summarised(
        &keys::placed_prefix(prefix, summary.year, summary.level),
        report,
    )
}

/// Every report under its year under review (0 when unknown), then its
/// level: the index every listing can fall back on.
struct ByYear;

impl Index for ByYear {
    fn tree(&self) -> &'static str {
        YEAR
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut prefix = keys::year_prefix(report.parsed.report_year).to_vec();
        prefix.push(keys::level_byte(report.parsed.organization.level));
        summarised(&prefix, report)
    }
}

/// Every report under its kind, so NOT_A_REPORT texts are skipped by prefix.
struct ByKind;

impl Index for ByKind {
    fn tree(&self) -> &'static str {
        KIND
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        summarised(&[keys::kind_byte(report.parsed.kind)], report)
    }
}

/// Reports whose organisation is named, under the folded name.
struct ByOrganization;

impl Index for ByOrganization {
    fn tree(&self) -> &'static str {
        ORGANIZATION
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        let name = &report.parsed.organization.name;
        if crate::text::fold(name).is_empty() {
            return Vec::new();
        }
        placed(&keys::name_prefix(name), report)
    }
}

/// Reports whose organisation's parent unit is named, under the folded name.
struct ByParent;

impl Index for ByParent {
    fn tree(&self) -> &'static str {
        PARENT
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        match &report.parsed.organization.parent {
            Some(parent) if !crate::text::fold(&parent.name).is_empty() => {
                placed(&keys::name_prefix(&parent.name), report)
            }
            _ => Vec::new(),
        }
    }
}

/// Reports whose organisation's province is known, under the folded name.
struct ByProvince;

impl Index for ByProvince {
    fn tree(&self) -> &'static str {
        PROVINCE
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        let province = &report.parsed.organization.province;
        if crate::text::fold(province).is_empty() {
            Vec::new()
        } else {
            placed(&keys::name_prefix(province), report)
        }
    }
}

/// Reports under their organisation's level, then their year.
struct ByLevel;

impl Index for ByLevel {
    fn tree(&self) -> &'static str {
        LEVEL
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut prefix = vec![keys::level_byte(report.parsed.organization.level)];
        prefix.extend_from_slice(&keys::year_prefix(report.parsed.report_year));
        summarised(&prefix, report)
    }
}

/// Reports under the rating their organisation received.
struct ByRating;

impl Index for ByRating {
    fn tree(&self) -> &'static str {
        RATING
    }

    fn entries(&self, report: &Report) -> Vec<(Vec<u8>, Vec<u8>)> {
        summarised(&[keys::rating_byte(report.parsed.rating.rating)], report)
    }
}
