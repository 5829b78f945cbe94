//! One organisation's history: its reports year by year, one report read per
//! year, with each catalogued indicator's change from the closest earlier
//! year that has it.
//!
//! Texts that are not year-end reports and reports with no known year never
//! enter a history.

use std::collections::BTreeMap;

use crate::model::{Indicator, Organization, Rating, RatingCounts, Report, ReportKind};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub organization: Organization,
    pub years: Vec<HistoryYear>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryYear {
    pub report_year: i32,
    pub report_id: String,
    pub rating: Rating,
    pub cell_ratings: RatingCounts,
    pub member_ratings: RatingCounts,
    pub indicators: Vec<IndicatorChange>,
    pub other_report_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndicatorChange {
    pub key: String,
    pub indicator: Indicator,
    pub previous_year: i32,
    pub previous_value: Option<f64>,
    pub change: Option<f64>,
    pub change_percent: Option<f64>,
}

/// How strongly a report speaks for its year: official reports before news
/// articles, then the latest submitted.
fn precedence(report: &Report) -> (bool, i64) {
    (
        report.parsed.kind == ReportKind::OfficialReport,
        report.source.submitted_at_ms,
    )
}

/// Builds the history from the organisation's reports (in any order).
/// Returns `None` when none of them is a year-end report with a known year.
pub fn build(reports: Vec<Report>) -> Option<History> {
    let mut by_year: BTreeMap<i32, Vec<Report>> = BTreeMap::new();
    for report in reports {
        let parsed = &report.parsed;
        if parsed.kind == ReportKind::NotAReport || parsed.report_year == 0 {
            continue;
        }
        by_year.entry(parsed.report_year).or_default().push(report);
    }
    let mut history = History::default();
    // The latest value seen for each key, with its year.
    let mut previous: BTreeMap<String, (i32, Option<f64>)> = BTreeMap::new();
    for (year, mut reports) in by_year {
        reports.sort_by_key(|report| std::cmp::Reverse(precedence(report)));
        let chosen = reports.remove(0);
        let mut firsts: BTreeMap<String, Indicator> = BTreeMap::new();
        for indicator in &chosen.parsed.indicators {
            if !indicator.key.is_empty() {
                firsts
                    .entry(indicator.key.clone())
                    .or_insert_with(|| indicator.clone());
            }
        }
        let indicators = firsts
            .into_iter()
            .map(|(key, indicator)| {
                let (previous_year, previous_value) =
                    previous.get(&key).copied().unwrap_or((0, None));
                let change = indicator
                    .value
                    .zip(previous_value)
                    .map(|(now, before)| now - before);
                let change_percent = change
                    .zip(previous_value)
                    .filter(|&(_, before)| before != 0.0)
                    .map(|(change, before)| change / before.abs() * 100.0);
                previous.insert(key.clone(), (year, indicator.value));
                IndicatorChange {
                    key,
                    indicator,
                    previous_year,
                    previous_value,
                    change,
                    change_percent,
                }
            })
            .collect();
        history.organization = chosen.parsed.organization.clone();
        history.years.push(HistoryYear {
            report_year: year,
            report_id: chosen.id.clone(),
            rating: chosen.parsed.rating.rating,
            cell_ratings: chosen.parsed.cell_ratings,
            member_ratings: chosen.parsed.member_ratings,
            indicators,
            other_report_ids: reports.into_iter().map(|report| report.id).collect(),
        });
    }
    (!history.years.is_empty()).then_some(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParsedReport;

    fn report(id: &str, year: i32, kind: ReportKind, poor: Option<f64>) -> Report {
        Report {
            id: id.into(),
            parsed: ParsedReport {
                kind,
                report_year: year,
                indicators: poor
                    .map(|value| Indicator {
                        key: "poor_households".into(),
                        value: Some(value),
                        ..Default::default()
                    })
                    .into_iter()
                    .collect(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn changes_are_measured_from_the_closest_earlier_year_with_the_key() {
        let history = build(vec![
            report("2023", 2023, ReportKind::NewsArticle, Some(150.0)),
            report("2021", 2021, ReportKind::NewsArticle, Some(200.0)),
            report("2022", 2022, ReportKind::NewsArticle, None),
        ])
        .unwrap();
        let years: Vec<i32> = history.years.iter().map(|y| y.report_year).collect();
        assert_eq!(years, vec![2021, 2022, 2023]);
        let last = &history.years[2].indicators[0];
        assert_eq!(
            (last.previous_year, last.previous_value, last.change),
            (2021, Some(200.0), Some(-50.0))
        );
        assert_eq!(last.change_percent, Some(-25.0));
        assert_eq!(history.years[0].indicators[0].change, None);
    }

    #[test]
    fn an_official_report_speaks_for_its_year_and_other_texts_stay_out() {
        let history = build(vec![
            report("news", 2023, ReportKind::NewsArticle, Some(1.0)),
            report("official", 2023, ReportKind::OfficialReport, Some(2.0)),
            report("sports", 2023, ReportKind::NotAReport, Some(3.0)),
        ])
        .unwrap();
        assert_eq!(history.years.len(), 1);
        assert_eq!(history.years[0].report_id, "official");
        assert_eq!(history.years[0].other_report_ids, vec!["news"]);
        assert!(build(vec![report("sports", 2023, ReportKind::NotAReport, None)]).is_none());
    }
}
