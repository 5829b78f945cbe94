//! Listing reports from the index trees: filters, orders and keyset cursors.
//!
//! A listing scans the one index that narrows the query most (by prefix or
//! range), checks the remaining filters against the [`Summary`] stored beside
//! each entry (or with a point lookup for names), sorts the matches by the
//! requested order and returns the page strictly after the cursor. Sort keys
//! never change once a report is stored, and every order ends in the id, so
//! paging while reports are added or removed never repeats a report and
//! never skips one that existed for the whole walk.

use std::cmp::Ordering;

use super::index;
use super::keys::{self, ReportId, Summary};
use crate::model::{Level, Rating, ReportKind};

/// How a listing is sorted. Every order breaks ties by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Newest year under review first (the default).
    #[default]
    YearDesc,
    YearAsc,
    SubmittedAsc,
    SubmittedDesc,
    OrganizationAsc,
    OrganizationDesc,
}

impl Order {
    /// Reads an AIP-132 `order_by` value; an empty string is the default.
    pub fn parse(order_by: &str) -> Option<Order> {
        let words: Vec<String> = order_by
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            [] | ["report_year", "desc"] => Some(Order::YearDesc),
            ["report_year"] | ["report_year", "asc"] => Some(Order::YearAsc),
            ["submitted_at"] | ["submitted_at", "asc"] => Some(Order::SubmittedAsc),
            ["submitted_at", "desc"] => Some(Order::SubmittedDesc),
            ["organization_name"] | ["organization_name", "asc"] => Some(Order::OrganizationAsc),
            ["organization_name", "desc"] => Some(Order::OrganizationDesc),
            _ => None,
        }
    }

    /// A stable name, part of a page token's query fingerprint.
    pub fn name(self) -> &'static str {
        match self {
            Order::YearDesc => "report_year desc",
            Order::YearAsc => "report_year",
            Order::SubmittedAsc => "submitted_at",
            Order::SubmittedDesc => "submitted_at desc",
            Order::OrganizationAsc => "organization_name",
            Order::OrganizationDesc => "organization_name desc",
        }
    }

    fn compare(self, a: &Entry, b: &Entry) -> Ordering {
        let (x, y) = (&a.summary, &b.summary);
        let primary = match self {
            Order::YearDesc => y
                .year
                .cmp(&x.year)
                .then(y.submitted_at_ms.cmp(&x.submitted_at_ms)),
            Order::YearAsc => x
                .year
                .cmp(&y.year)
                .then(x.submitted_at_ms.cmp(&y.submitted_at_ms)),
            Order::SubmittedAsc => x.submitted_at_ms.cmp(&y.submitted_at_ms),
            Order::SubmittedDesc => y.submitted_at_ms.cmp(&x.submitted_at_ms),
            Order::OrganizationAsc => x
                .organization
                .cmp(&y.organization)
                .then(y.year.cmp(&x.year)),
            Order::OrganizationDesc => y
                .organization
                .cmp(&x.organization)
                .then(y.year.cmp(&x.year)),
        };
        primary.then(a.id.cmp(&b.id))
    }
}

/// Which reports to list. Empty strings and `None` mean "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    pub organization_name: String,
    pub level: Option<Level>,
    pub parent_name: String,
    /// The province's name, matched like the parent's.
    pub province: String,
    pub report_year: Option<i32>,
    /// Inclusive bounds on the year under review; reports of unknown year
    /// (0) never fall in a range.
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// `None` lists every kind except NOT_A_REPORT.
    pub kind: Option<ReportKind>,
    pub rating: Option<Rating>,
    pub order: Order,
    pub page_size: usize,
    /// Continue strictly after this position.
    pub after: Option<Cursor>,
}

/// A position in a listing: the last report returned and its sort keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(Entry);

impl Cursor {
    /// The position just after a report, in any order.
    pub fn after(report: &crate::model::Report) -> Cursor {
        Cursor(Entry {
            id: keys::id_of(report),
            summary: Summary::of(report),
        })
    }

    /// Opaque bytes for a page token.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = self.0.id.as_bytes().to_vec();
        bytes.extend_from_slice(&self.0.summary.encode());
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Cursor> {
        let id = ReportId::from_slice(bytes.get(..32)?)?;
        let summary = Summary::decode(bytes.get(32..)?)?;
        Some(Cursor(Entry { id, summary }))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub id: ReportId,
    pub summary: Summary,
}

/// The ids of one page, in order, and what is needed to continue.
#[derive(Debug)]
pub(crate) struct PageIds {
    pub ids: Vec<ReportId>,
    pub next: Option<Cursor>,
    pub total: usize,
}

/// Where to start: one index tree and the key range to scan in it.
pub(crate) struct Scan {
    pub tree: &'static str,
    pub prefixes: Vec<Vec<u8>>,
    /// For a year range: start and end (exclusive) keys instead of prefixes.
    pub range: Option<(Vec<u8>, Option<Vec<u8>>)>,
}

impl ListQuery {
    /// The index that narrows this query most.
    pub(crate) fn scan(&self) -> Scan {
        let prefixes = |tree, prefixes| Scan {
            tree,
            prefixes,
            range: None,
        };
        if !crate::text::fold(&self.organization_name).is_empty() {
            return prefixes(
                index::ORGANIZATION,
                vec![keys::name_prefix(&self.organization_name)],
            );
        }
        if !crate::text::fold(&self.parent_name).is_empty() {
            return prefixes(index::PARENT, vec![keys::name_prefix(&self.parent_name)]);
        }
        if !crate::text::fold(&self.province).is_empty() {
            return prefixes(index::PROVINCE, vec![keys::name_prefix(&self.province)]);
        }
        if let Some(year) = self.report_year {
            return prefixes(index::YEAR, vec![keys::year_prefix(year).to_vec()]);
        }
        if self.year_from.is_some() || self.year_to.is_some() {
            let from = self.year_from.unwrap_or(1).max(1);
            let end = self
                .year_to
                .and_then(|to| to.checked_add(1))
                .map(|end| keys::year_prefix(end).to_vec());
            return Scan {
                tree: index::YEAR,
                prefixes: Vec::new(),
                range: Some((keys::year_prefix(from).to_vec(), end)),
            };
        }
        if let Some(rating) = self.rating {
            return prefixes(index::RATING, vec![vec![keys::rating_byte(rating)]]);
        }
        if let Some(level) = self.level {
            return prefixes(index::LEVEL, vec![vec![keys::level_byte(level)]]);
        }
        let kinds: Vec<Vec<u8>> = match self.kind {
            Some(kind) => vec![vec![keys::kind_byte(kind)]],
            None => [
                ReportKind::Unspecified,
                ReportKind::NewsArticle,
                ReportKind::OfficialReport,
            ]
            .into_iter()
            .map(|kind| vec![keys::kind_byte(kind)])
            .collect(),
        };
        prefixes(index::KIND, kinds)
    }

    /// Whether an entry's summary passes the filters a summary can decide,
    /// given the query's folded organisation name. The parent's and the
    /// province's names are checked by the caller against their indexes.
    pub(crate) fn admits(&self, summary: &Summary, organization: &str) -> bool {
        let kind_ok = match self.kind {
            Some(kind) => summary.kind == keys::kind_byte(kind),
            None => summary.kind != keys::kind_byte(ReportKind::NotAReport),
        };
        let year_ok = self.report_year.is_none_or(|year| summary.year == year);
        let range_ok = (self.year_from.is_none() && self.year_to.is_none())
            || (summary.year >= self.year_from.unwrap_or(1).max(1)
                && summary.year <= self.year_to.unwrap_or(i32::MAX));
        kind_ok
            && year_ok
            && range_ok
            && self
                .level
                .is_none_or(|level| summary.level == keys::level_byte(level))
            && self
                .rating
                .is_none_or(|rating| summary.rating == keys::rating_byte(rating))
            && (organization.is_empty() || summary.organization == organization)
    }

    /// Sorts the matches and cuts the page after the cursor.
    pub(crate) fn page(&self, matches: Vec<Entry>) -> PageIds {
        let total = matches.len();
        let compare = |a: &Entry, b: &Entry| self.order.compare(a, b);
        let mut rest: Vec<Entry> = match &self.after {
            Some(Cursor(after)) => matches
                .into_iter()
                .filter(|entry| compare(entry, after) == Ordering::Greater)
                .collect(),
            None => matches,
        };
        let page_size = self.page_size.max(1);
        let more = rest.len() > page_size;
        if more {
            // Only the page itself needs sorting: select it first, in O(n).
            rest.select_nth_unstable_by(page_size - 1, compare);
            rest.truncate(page_size);
        }
        rest.sort_by(compare);
        let next = match more {
            true => rest.last().cloned().map(Cursor),
            false => None,
        };
        PageIds {
            ids: rest.iter().map(|entry| entry.id).collect(),
            next,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_accepts_the_documented_values_and_nothing_else() {
        assert_eq!(Order::parse(""), Some(Order::YearDesc));
        assert_eq!(Order::parse("report_year desc"), Some(Order::YearDesc));
        assert_eq!(
            Order::parse("  Submitted_At   DESC "),
            Some(Order::SubmittedDesc)
        );
        assert_eq!(
            Order::parse("organization_name"),
            Some(Order::OrganizationAsc)
        );
        assert_eq!(Order::parse("title"), None);
        assert_eq!(Order::parse("report_year sideways"), None);
        for order in [
            Order::YearDesc,
            Order::YearAsc,
            Order::SubmittedAsc,
            Order::SubmittedDesc,
            Order::OrganizationAsc,
            Order::OrganizationDesc,
        ] {
            assert_eq!(Order::parse(order.name()), Some(order));
        }
    }

    #[test]
    fn pages_follow_each_other_without_repeats_or_gaps() {
        let entries: Vec<Entry> = (0..23)
            .map(|n: i32| Entry {
                id: ReportId::of_text(&crate::text::Normalized::new(&n.to_string())),
                summary: Summary {
                    kind: 1,
                    level: 1,
                    rating: 0,
                    year: 2000 + n % 4,
                    submitted_at_ms: i64::from(n % 5),
                    organization: format!("org {}", n % 3),
                },
            })
            .collect();
        for order in [
            Order::YearDesc,
            Order::SubmittedAsc,
            Order::OrganizationDesc,
        ] {
            let mut query = ListQuery {
                order,
                page_size: 4,
                ..Default::default()
            };
            let mut seen = Vec::new();
            loop {
                let page = query.page(entries.clone());
                assert_eq!(page.total, 23);
                seen.extend(page.ids);
                match page.next {
                    Some(cursor) => query.after = Some(cursor),
                    None => break,
                }
            }
            let mut expected = entries.clone();
            expected.sort_by(|a, b| order.compare(a, b));
            assert_eq!(
                seen,
                expected.iter().map(|entry| entry.id).collect::<Vec<_>>(),
                "{order:?}"
            );
        }
    }

    #[test]
    fn a_cursor_survives_its_byte_form() {
        let cursor = Cursor(Entry {
            id: ReportId::of_text(&crate::text::Normalized::new("a")),
            summary: Summary {
                kind: 1,
                level: 1,
                rating: 0,
                year: 2023,
                submitted_at_ms: 5,
                organization: "son lien".into(),
            },
        });
        assert_eq!(Cursor::from_bytes(&cursor.to_bytes()), Some(cursor));
        assert_eq!(Cursor::from_bytes(b"short"), None);
    }
}
