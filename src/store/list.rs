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

    /// The report at this position.
    pub fn id(&self) -> &ReportId {
        &self.0.id
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub id: ReportId,
    pub summary: Summary,
}

/// The reports of one page, in order, each as the position just after it
/// (its id and sort keys), and what is needed to continue.
#[derive(Debug)]
pub(crate) struct PageIds {
    pub rows: Vec<Cursor>,
    pub next: Option<Cursor>,
    pub total: usize,
}

/// Where to start: one index tree and the key range to scan in it.
#[derive(Debug, PartialEq)]
pub(crate) struct Scan {
    pub tree: &'static str,
    pub prefixes: Vec<Vec<u8>>,
    /// For a year range: start and end (exclusive) keys instead of prefixes.
    pub range: Option<(Vec<u8>, Option<Vec<u8>>)>,
}

impl Scan {
    fn prefixes(tree: &'static str, prefixes: Vec<Vec<u8>>) -> Scan {
        Scan {
            tree,
            prefixes,
            range: None,
        }
    }
}

/// The first key after every key that starts with `prefix` (`None` when
/// there is none: the prefix is empty or all `0xFF`).
fn successor(mut prefix: Vec<u8>) -> Option<Vec<u8>> {
    while let Some(last) = prefix.pop() {
        if last < u8::MAX {
            prefix.push(last + 1);
            return Some(prefix);
        }
    }
    None
}

impl ListQuery {
    /// The index that narrows this query most, and the narrowest key range
    /// in it: the name indexes and `idx_year` carry year and level in their
    /// keys (see [`index`]), so a named place's reports of one year and
    /// level are one prefix read.
    pub(crate) fn scan(&self) -> Scan {
        let level = self.level.map(keys::level_byte);
        for (tree, name) in [
            (index::ORGANIZATION, &self.organization_name),
            (index::PARENT, &self.parent_name),
            (index::PROVINCE, &self.province),
        ] {
            if !crate::text::fold(name).is_empty() {
                return self.by_year(tree, keys::name_prefix(name), level);
            }
        }
        if self.report_year.is_some() {
            return self.by_year(index::YEAR, Vec::new(), level);
        }
        if let Some(level) = level.filter(|_| self.year_from.is_some() || self.year_to.is_some()) {
            return self.by_year(index::LEVEL, vec![level], None);
        }
        if self.year_from.is_some() || self.year_to.is_some() {
            return self.by_year(index::YEAR, Vec::new(), None);
        }
        if let Some(rating) = self.rating {
            return Scan::prefixes(index::RATING, vec![vec![keys::rating_byte(rating)]]);
        }
        if let Some(level) = level {
            return Scan::prefixes(index::LEVEL, vec![vec![level]]);
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
        Scan::prefixes(index::KIND, kinds)
    }

    /// The rows under `base` (keys `base ‖ year ‖ …`) of the query's year or
    /// year range; with one year, `level` (when given) narrows the prefix too.
    fn by_year(&self, tree: &'static str, base: Vec<u8>, level: Option<u8>) -> Scan {
        if let Some(year) = self.report_year {
            let mut prefix = base;
            prefix.extend_from_slice(&keys::year_prefix(year));
            prefix.extend(level);
            return Scan::prefixes(tree, vec![prefix]);
        }
        if self.year_from.is_none() && self.year_to.is_none() {
            return Scan::prefixes(tree, vec![base]);
        }
        let mut start = base.clone();
        start.extend_from_slice(&keys::year_prefix(self.year_from.unwrap_or(1).max(1)));
        let end = match self.year_to.and_then(|to| to.checked_add(1)) {
            Some(end) => {
                let mut end_key = base;
                end_key.extend_from_slice(&keys::year_prefix(end));
                Some(end_key)
            }
            None => successor(base),
        };
        Scan {
            tree,
            prefixes: Vec::new(),
            range: Some((start, end)),
        }
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
        let rows: Vec<Cursor> = rest.into_iter().map(Cursor).collect();
        PageIds {
            next: rows.last().filter(|_| more).cloned(),
            rows,
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
                seen.extend(page.rows.iter().map(|row| *row.id()));
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
    fn a_place_year_and_level_is_one_prefix_of_its_own_rows() {
        let query = ListQuery {
            parent_name: "Sơn Tây".into(),
            report_year: Some(2023),
            level: Some(Level::Commune),
            ..Default::default()
        };
        let prefix = keys::placed_prefix(
            &keys::name_prefix("son tay"),
            2023,
            keys::level_byte(Level::Commune),
        );
        assert_eq!(query.scan(), Scan::prefixes(index::PARENT, vec![prefix]));
        let range = ListQuery {
            province: "Quảng Ngãi".into(),
            year_from: Some(2021),
            ..Default::default()
        };
        let mut start = keys::name_prefix("quang ngai");
        start.extend_from_slice(&keys::year_prefix(2021));
        let scan = range.scan();
        assert_eq!(scan.tree, index::PROVINCE);
        assert_eq!(scan.range, Some((start, Some(b"quang ngai\x01".to_vec()))));
    }

    /// A report placed by the fields the listing indexes file it under.
    fn placed(n: usize) -> crate::model::Report {
        use crate::model::{AdminUnit, Organization, OrganizationRating, ParsedReport, Report};
        let levels = [Level::Commune, Level::Ward, Level::District];
        let kinds = [
            ReportKind::OfficialReport,
            ReportKind::NewsArticle,
            ReportKind::NotAReport,
        ];
        let ratings = [Rating::Excellent, Rating::Good, Rating::Unspecified];
        let text = format!("report {n}");
        Report {
            id: ReportId::of_text(&crate::text::Normalized::new(&text)).to_hex(),
            parsed: ParsedReport {
                kind: kinds[n % 7 % 3],
                report_year: [0, 2021, 2022, 2023][n % 4],
                organization: Organization {
                    level: levels[n % 3],
                    name: ["Sơn Liên", "Sơn Long", ""][n % 5 % 3].into(),
                    parent: (!n.is_multiple_of(6)).then(|| AdminUnit {
                        name: ["Sơn Tây", "Núi Thành"][n % 2].into(),
                        ..Default::default()
                    }),
                    province: ["Quảng Ngãi", "Quảng Nam", ""][n / 3 % 3].into(),
                    ..Default::default()
                },
                rating: OrganizationRating {
                    rating: ratings[n % 11 % 3],
                    ..Default::default()
                },
                ..Default::default()
            },
            source: crate::model::Source {
                submitted_at_ms: (n * 7 % 13) as i64,
                ..Default::default()
            },
            text,
            ..Default::default()
        }
    }

    #[test]
    fn every_filter_combination_lists_what_a_full_scan_finds_page_by_page() {
        let store = crate::store::Store::temporary().unwrap();
        let reports: Vec<_> = (0..120).map(placed).collect();
        for report in &reports {
            store.insert(report).unwrap();
        }
        let names = ["", "son lien", "SƠN TÂY", "quang ngai", "nui thanh"];
        let mut queries = Vec::new();
        for (name, parent, province) in [
            (names[0], names[0], names[0]),
            (names[1], names[0], names[0]),
            (names[0], names[2], names[0]),
            (names[0], names[0], names[3]),
            (names[0], names[4], names[3]),
            (names[1], names[2], names[3]),
        ] {
            for (year, from, to) in [
                (None, None, None),
                (Some(2022), None, None),
                (Some(0), None, None),
                (None, Some(2022), None),
                (None, None, Some(2022)),
                (None, Some(2021), Some(2022)),
                (Some(2023), Some(2021), Some(2022)),
            ] {
                for level in [None, Some(Level::Commune), Some(Level::District)] {
                    for rating in [None, Some(Rating::Good)] {
                        queries.push(ListQuery {
                            organization_name: name.into(),
                            parent_name: parent.into(),
                            province: province.into(),
                            report_year: year,
                            year_from: from,
                            year_to: to,
                            level,
                            rating,
                            kind: rating.map(|_| ReportKind::NewsArticle),
                            page_size: 4,
                            ..Default::default()
                        });
                    }
                }
            }
        }
        for mut query in queries {
            let fold = crate::text::fold;
            let wanted = |report: &crate::model::Report| {
                let org = &report.parsed.organization;
                let summary = Summary::of(report);
                query.admits(&summary, &fold(&query.organization_name))
                    && (fold(&query.parent_name).is_empty()
                        || org
                            .parent
                            .as_ref()
                            .is_some_and(|p| fold(&p.name) == fold(&query.parent_name)))
                    && (fold(&query.province).is_empty()
                        || fold(&org.province) == fold(&query.province))
            };
            let mut expected: Vec<Entry> = reports
                .iter()
                .filter(|report| wanted(report))
                .map(|report| Entry {
                    id: keys::id_of(report),
                    summary: Summary::of(report),
                })
                .collect();
            expected.sort_by(|a, b| query.order.compare(a, b));
            let expected: Vec<ReportId> = expected.iter().map(|entry| entry.id).collect();
            let mut listed = Vec::new();
            loop {
                let page = store.list(&query, false).unwrap();
                assert_eq!(page.total, expected.len(), "{query:?}");
                for row in &page.reports {
                    // What a listing sends is what the domain round trip
                    // (the way before) gives, and the cursor that report's.
                    let report = crate::model::Report::from(row.report.clone());
                    assert_eq!(crate::proto::Report::from(report.clone()), row.report);
                    assert_eq!(row.after, Cursor::after(&report));
                    listed.push(*row.after.id());
                }
                match page.next {
                    Some(cursor) => query.after = Some(cursor),
                    None => break,
                }
            }
            assert_eq!(listed, expected, "{query:?}");
        }
        let page = |with_text| {
            let query = ListQuery {
                page_size: 5,
                ..Default::default()
            };
            store.list(&query, with_text).unwrap().reports
        };
        assert!(page(false).iter().all(|row| row.report.text.is_empty()));
        assert!(
            page(true)
                .iter()
                .all(|row| row.report.text.starts_with("report "))
        );
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
