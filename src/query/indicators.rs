//! Rows of one indicator (or target) across reports: the domain form of a
//! `QueryIndicators` request, the filters and thresholds it applies to rows
//! read from the (key, year) index, and their ordering and paging.

use std::cmp::Ordering;

use super::met_plan;
use crate::model::{Indicator, Level, Organization};
use crate::text::fold;

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

impl IndicatorQuery {
    /// Whether a row read from the index for this lookup and years passes
    /// the organisation filters and thresholds.
    pub fn matches(&self, row: &Row) -> bool {
        let org = &row.organization;
        let it = &row.indicator;
        let within =
            |value: Option<f64>, min: Option<f64>, max: Option<f64>| match (value, min, max) {
                (_, None, None) => true,
                (None, _, _) => false,
                (Some(v), min, max) => min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m),
            };
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
        let by_option = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            // Rows without the figure go last in either direction.
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
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

/// The province a row is filed under: the organisation's own, or else its parent's.
fn row_province(org: &Organization) -> String {
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
            lookup: Lookup::Key("grain_output".into()),
            targets: false,
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
            limit: 50,
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
