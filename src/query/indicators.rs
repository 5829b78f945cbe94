//! Rows of one indicator (or target) across reports: the domain form of a
//! `QueryIndicators` request, the filters and thresholds it applies to the
//! slim [`Candidate`] entries of the (key, year) index and to full rows, and
//! their ordering and paging.

use std::cmp::Ordering;

use sha2::{Digest, Sha256};

use super::met_plan;
use crate::model::{Indicator, Level, Organization};
use crate::store::ReportId;
use crate::text::fold;

/// One entry of the (key, year) index before its report is read: the
/// figures filters and orders need, and the organisation as its level and
/// fingerprints ([`name_print`]) of its folded name, parent and province.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub report: ReportId,
    /// The indicator's position in the report's indicators (or targets).
    pub ordinal: u16,
    /// The year the row is filed under (see [`Row::year`]).
    pub year: i32,
    pub met: Option<bool>,
    pub level: Level,
    pub value: Option<f64>,
    pub percent_of_plan: Option<f64>,
    pub organization: u64,
    pub parent: u64,
    pub province: u64,
}

/// A 64-bit fingerprint of a folded name, so the index can filter by
/// organisation without storing names. Rows of the returned page are
/// checked against their real names too ([`IndicatorQuery::matches`]).
pub fn name_print(folded: &str) -> u64 {
    let digest = Sha256::digest(folded.as_bytes());
    u64::from_be_bytes(digest[..8].try_into().unwrap_or_default())
}

/// One indicator or target of one report, as the (key, year) index keeps it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub report_id: String,
    pub organization: Organization,
    pub report_year: i32,
    pub indicator: Indicator,
    pub target: bool,
}

impl Row {
    /// The year a row is indexed and filtered under: the year under review
    /// for results, the plan year for targets.
    pub fn year(&self) -> i32 {
        if self.target && self.indicator.year != 0 {
            self.indicator.year
        } else {
            self.report_year
        }
    }
}

/// What a row is looked up by in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A catalogue key ("cattle_herd").
    Key(String),
    /// A folded name as written ("dan bo").
    Name(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Year,
    YearDesc,
    Value,
    ValueDesc,
    PercentOfPlan,
    PercentOfPlanDesc,
    OrganizationName,
}

impl Order {
    /// Reads an `order_by` string; `None` for one this call does not know.
    pub fn parse(order_by: &str) -> Option<Order> {
        let words: Vec<&str> = order_by.split_whitespace().collect();
        let order = match words.as_slice() {
            [] | ["report_year"] | ["report_year", "asc"] => Order::Year,
            ["report_year", "desc"] => Order::YearDesc,
            ["value"] | ["value", "asc"] => Order::Value,
            ["value", "desc"] => Order::ValueDesc,
            ["percent_of_plan"] | ["percent_of_plan", "asc"] => Order::PercentOfPlan,
            ["percent_of_plan", "desc"] => Order::PercentOfPlanDesc,
            ["organization_name"] | ["organization_name", "asc"] => Order::OrganizationName,
            _ => return None,
        };
        Some(order)
    }
}

/// A `QueryIndicators` request with names folded.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorQuery {
    pub lookup: Lookup,
    pub targets: bool,
    pub year_from: i32,
    pub year_to: i32,
    pub organization_name: String,
    pub level: Level,
    pub parent_name: String,
    pub province: String,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub min_percent_of_plan: Option<f64>,
    pub max_percent_of_plan: Option<f64>,
    pub met: Option<bool>,
    pub order: Order,
    pub offset: usize,
    pub limit: usize,
}

/// The fingerprints of a query's organisation, parent and province filters
/// (`None` where the filter is empty).
#[derive(Debug, Clone, Copy)]
pub struct Prints([Option<u64>; 3]);

impl IndicatorQuery {
    /// Every row of `lookup` (results, or targets), all years, in year order,
    /// five to a page: what tests start from.
    #[cfg(test)]
    pub(crate) fn unfiltered(lookup: Lookup, targets: bool) -> IndicatorQuery {
        IndicatorQuery {
            lookup,
            targets,
            year_from: i32::MIN,
            year_to: i32::MAX,
            organization_name: String::new(),
            level: Level::Unspecified,
            parent_name: String::new(),
            province: String::new(),
            min_value: None,
            max_value: None,
            min_percent_of_plan: None,
            max_percent_of_plan: None,
            met: None,
            order: Order::Year,
            offset: 0,
            limit: 5,
        }
    }

    pub fn prints(&self) -> Prints {
        let print = |name: &str| (!name.is_empty()).then(|| name_print(name));
        Prints([
            print(&self.organization_name),
            print(&self.parent_name),
            print(&self.province),
        ])
    }

    /// Whether the rows this query asks for are whole buckets of the index
    /// (no filter beyond lookup, years and plan status) taken in an order
    /// the buckets keep (by year): its total is then a sum of bucket counts
    /// and a page a slice of the buckets' rows.
    pub fn whole_buckets(&self) -> bool {
        self.level == Level::Unspecified
            && self.organization_name.is_empty()
            && self.parent_name.is_empty()
            && self.province.is_empty()
            && [
                self.min_value,
                self.max_value,
                self.min_percent_of_plan,
                self.max_percent_of_plan,
            ]
            .iter()
            .all(Option::is_none)
            && matches!(self.order, Order::Year | Order::YearDesc)
    }

    /// Whether an index entry passes the filters and thresholds, judged from
    /// the entry alone (names by fingerprint).
    pub fn admits(&self, candidate: &Candidate, prints: &Prints) -> bool {
        let [organization, parent, province] = prints.0;
        (self.year_from..=self.year_to).contains(&candidate.year)
            && (self.level == Level::Unspecified || self.level == candidate.level)
            && organization.is_none_or(|p| p == candidate.organization)
            && parent.is_none_or(|p| p == candidate.parent)
            && province.is_none_or(|p| p == candidate.province)
            && within(candidate.value, self.min_value, self.max_value)
            && within(
                candidate.percent_of_plan,
                self.min_percent_of_plan,
                self.max_percent_of_plan,
            )
            && (self.met.is_none() || candidate.met == self.met)
    }

    /// Puts admitted entries in the requested order, as [`IndicatorQuery::select`]
    /// orders rows (stable, from index order). Returns false for the one
    /// order that needs names ([`Order::OrganizationName`]): the caller then
    /// reads every row and uses `select`.
    pub fn order_candidates(&self, candidates: &mut [Candidate]) -> bool {
        match self.order {
            Order::Year => candidates.sort_by_key(|c| c.year),
            Order::YearDesc => candidates.sort_by_key(|c| std::cmp::Reverse(c.year)),
            Order::Value => candidates.sort_by(|a, b| by_option(a.value, b.value)),
            Order::ValueDesc => {
                candidates.sort_by(|a, b| by_option(a.value.map(|v| -v), b.value.map(|v| -v)))
            }
            Order::PercentOfPlan => {
                candidates.sort_by(|a, b| by_option(a.percent_of_plan, b.percent_of_plan))
            }
            Order::PercentOfPlanDesc => candidates.sort_by(|a, b| {
                by_option(a.percent_of_plan.map(|v| -v), b.percent_of_plan.map(|v| -v))
            }),
            Order::OrganizationName => return false,
        }
        true
    }

    /// Whether a row read from the index for this lookup and years passes
    /// the organisation filters and thresholds.
    pub fn matches(&self, row: &Row) -> bool {
        let org = &row.organization;
        let it = &row.indicator;
        (self.year_from..=self.year_to).contains(&row.year())
            && (self.level == Level::Unspecified || self.level == org.level)
            && (self.organization_name.is_empty() || self.organization_name == fold(&org.name))
            && (self.parent_name.is_empty()
                || org
                    .parent
                    .as_ref()
                    .is_some_and(|p| self.parent_name == fold(&p.name)))
            && (self.province.is_empty() || self.province == fold(&row_province(org)))
            && within(it.value, self.min_value, self.max_value)
            && within(
                it.percent_of_plan,
                self.min_percent_of_plan,
                self.max_percent_of_plan,
            )
            && (self.met.is_none() || met_plan(it) == self.met)
    }

    /// Filters, orders and pages rows; returns the page and the number of
    /// rows that matched.
    pub fn select(&self, rows: impl IntoIterator<Item = Row>) -> (Vec<Row>, usize) {
        let mut matched: Vec<Row> = rows.into_iter().filter(|row| self.matches(row)).collect();
        let total = matched.len();
        match self.order {
            Order::Year => matched.sort_by_key(|row| row.year()),
            Order::YearDesc => matched.sort_by_key(|row| std::cmp::Reverse(row.year())),
            Order::Value => matched.sort_by(|a, b| by_option(a.indicator.value, b.indicator.value)),
            Order::ValueDesc => matched.sort_by(|a, b| {
                by_option(a.indicator.value.map(|v| -v), b.indicator.value.map(|v| -v))
            }),
            Order::PercentOfPlan => matched.sort_by(|a, b| {
                by_option(a.indicator.percent_of_plan, b.indicator.percent_of_plan)
            }),
            Order::PercentOfPlanDesc => matched.sort_by(|a, b| {
                by_option(
                    a.indicator.percent_of_plan.map(|v| -v),
                    b.indicator.percent_of_plan.map(|v| -v),
                )
            }),
            Order::OrganizationName => {
                matched.sort_by_cached_key(|row| fold(&row.organization.name))
            }
        }
        let page = matched
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        (page, total)
    }
}

fn within(value: Option<f64>, min: Option<f64>, max: Option<f64>) -> bool {
    match (value, min, max) {
        (_, None, None) => true,
        (None, _, _) => false,
        (Some(v), min, max) => min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m),
    }
}

fn by_option(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        // Rows without the figure go last in either direction.
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The province a row is filed under: the organisation's own, or else its parent's.
pub fn row_province(org: &Organization) -> String {
    if org.province.is_empty() {
        org.parent
            .as_ref()
            .map(|p| p.province.clone())
            .unwrap_or_default()
    } else {
        org.province.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, year: i32, value: f64, pop: Option<f64>) -> Row {
        Row {
            report_id: format!("{name}{year}"),
            organization: Organization {
                level: Level::Commune,
                name: name.into(),
                ..Default::default()
            },
            report_year: year,
            indicator: Indicator {
                key: "grain_output".into(),
                value: Some(value),
                percent_of_plan: pop,
                ..Default::default()
            },
            target: false,
        }
    }

    fn query() -> IndicatorQuery {
        IndicatorQuery {
            limit: 50,
            ..IndicatorQuery::unfiltered(Lookup::Key("grain_output".into()), false)
        }
    }

    fn rows() -> Vec<Row> {
        vec![
            row("Sơn Liên", 2023, 466.8, Some(105.35)),
            row("Sơn Trà", 2023, 300.0, Some(94.0)),
            row("Sơn Long", 2022, 520.0, None),
        ]
    }

    fn names(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.organization.name.as_str()).collect()
    }

    #[test]
    fn thresholds_are_inclusive_and_rows_without_the_figure_never_match_a_bound() {
        let q = IndicatorQuery {
            min_percent_of_plan: Some(94.0),
            ..query()
        };
        assert_eq!(names(&q.select(rows()).0), vec!["Sơn Liên", "Sơn Trà"]);
        let q = IndicatorQuery {
            max_value: Some(466.8),
            ..query()
        };
        assert_eq!(names(&q.select(rows()).0), vec!["Sơn Liên", "Sơn Trà"]);
    }

    #[test]
    fn met_false_finds_the_communes_that_missed_their_target() {
        let q = IndicatorQuery {
            met: Some(false),
            ..query()
        };
        assert_eq!(names(&q.select(rows()).0), vec!["Sơn Trà"]);
    }

    #[test]
    fn ordering_and_paging_keep_the_total() {
        let q = IndicatorQuery {
            order: Order::ValueDesc,
            offset: 1,
            limit: 1,
            ..query()
        };
        let (page, total) = q.select(rows());
        assert_eq!((names(&page), total), (vec!["Sơn Liên"], 3));
        assert_eq!(
            Order::parse("percent_of_plan desc"),
            Some(Order::PercentOfPlanDesc)
        );
        assert_eq!(Order::parse("height"), None);
    }

    #[test]
    fn organisation_names_match_folded() {
        let q = IndicatorQuery {
            organization_name: fold("SON LIEN"),
            ..query()
        };
        assert_eq!(names(&q.select(rows()).0), vec!["Sơn Liên"]);
    }
}
