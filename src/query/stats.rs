//! Statistics over a set of report [`Summary`] records: counts by year,
//! level, kind and province, the rating distribution, summed cell and member
//! ratings, and per indicator key the n, min, max, mean and median of the
//! value and of the percent of plan with the share that met the plan.
//!
//! The caller hands over only reports its filter matched, so NOT_A_REPORT
//! texts are already left out unless the filter asked for them by kind.

use std::collections::BTreeMap;

use super::Summary;
use crate::model::{Level, Rating, RatingCounts, ReportKind};

/// n, min, max, mean and median of a list of numbers; all zero when empty.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub n: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub median: f64,
}

impl Figures {
    pub fn of(mut values: Vec<f64>) -> Figures {
        values.retain(|v| v.is_finite());
        if values.is_empty() {
            return Figures::default();
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Figures {
            n,
            min: values[0],
            max: values[n - 1],
            mean: values.iter().sum::<f64>() / n as f64,
            median,
        }
    }
}

/// Figures for one indicator key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndicatorFigures {
    pub key: String,
    pub count: usize,
    pub value: Figures,
    pub percent_of_plan: Figures,
    pub with_plan_status: usize,
    pub met: usize,
    pub unit: String,
}

impl IndicatorFigures {
    pub fn met_share(&self) -> f64 {
        if self.with_plan_status == 0 {
            0.0
        } else {
            self.met as f64 / self.with_plan_status as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statistics {
    pub report_count: usize,
    pub by_year: BTreeMap<i32, usize>,
    pub by_level: BTreeMap<Level, usize>,
    pub by_kind: Vec<(ReportKind, usize)>,
    pub by_province: BTreeMap<String, usize>,
    pub ratings: BTreeMap<Rating, usize>,
    pub cell_ratings: RatingCounts,
    pub member_ratings: RatingCounts,
    pub indicators: Vec<IndicatorFigures>,
}

#[derive(Default)]
struct KeyAccumulator {
    count: usize,
    values: Vec<f64>,
    percents: Vec<f64>,
    with_plan_status: usize,
    met: usize,
    units: BTreeMap<String, usize>,
}

fn add(sum: &mut RatingCounts, counts: &RatingCounts) {
    sum.excellent += counts.excellent;
    sum.good += counts.good;
    sum.completed += counts.completed;
    sum.not_completed += counts.not_completed;
    sum.total += counts.total;
}

/// The facts of one report that statistics count, borrowed from wherever
/// they are stored.
#[derive(Debug, Clone, Copy)]
pub struct ReportFacts<'a> {
    pub kind: ReportKind,
    pub report_year: i32,
    pub level: Level,
    pub province: &'a str,
    pub rating: Rating,
    pub cell_ratings: RatingCounts,
    pub member_ratings: RatingCounts,
}

/// Statistics built one report at a time, so a caller can feed it straight
/// from stored bytes without building a [`Summary`] per report.
#[derive(Default)]
pub struct Accumulator {
    stats: Statistics,
    kinds: BTreeMap<u8, (ReportKind, usize)>,
    keys: BTreeMap<String, KeyAccumulator>,
}

impl Accumulator {
    /// Adds one report's summary: its facts and every measure.
    pub fn add_summary(&mut self, summary: &Summary) {
        self.add_report(&ReportFacts {
            kind: summary.kind,
            report_year: summary.report_year,
            level: summary.level,
            province: &summary.province,
            rating: summary.rating,
            cell_ratings: summary.cell_ratings,
            member_ratings: summary.member_ratings,
        });
        for m in &summary.indicators {
            self.add_measure(&m.key, m.value, &m.unit, m.percent_of_plan, m.met);
        }
    }

    /// Counts one report; its catalogued indicators follow through
    /// [`Accumulator::add_measure`].
    pub fn add_report(&mut self, report: &ReportFacts<'_>) {
        let stats = &mut self.stats;
        stats.report_count += 1;
        *stats.by_year.entry(report.report_year).or_default() += 1;
        *stats.by_level.entry(report.level).or_default() += 1;
        self.kinds
            .entry(kind_order(report.kind))
            .or_insert((report.kind, 0))
            .1 += 1;
        match stats.by_province.get_mut(report.province) {
            Some(count) => *count += 1,
            None => {
                stats.by_province.insert(report.province.to_owned(), 1);
            }
        }
        if report.rating != Rating::Unspecified {
            *stats.ratings.entry(report.rating).or_default() += 1;
        }
        add(&mut stats.cell_ratings, &report.cell_ratings);
        add(&mut stats.member_ratings, &report.member_ratings);
    }

    /// Counts one catalogued indicator of the report added last.
    pub fn add_measure(
        &mut self,
        key: &str,
        value: Option<f64>,
        unit: &str,
        percent_of_plan: Option<f64>,
        met: Option<bool>,
    ) {
        let acc = match self.keys.get_mut(key) {
            Some(acc) => acc,
            None => self.keys.entry(key.to_owned()).or_default(),
        };
        acc.count += 1;
        acc.values.extend(value);
        acc.percents.extend(percent_of_plan);
        if let Some(met) = met {
            acc.with_plan_status += 1;
            acc.met += usize::from(met);
        }
        if !unit.is_empty() {
            match acc.units.get_mut(unit) {
                Some(n) => *n += 1,
                None => {
                    acc.units.insert(unit.to_owned(), 1);
                }
            }
        }
    }

    /// Adds what `later` counted after what this one counted, as if one
    /// accumulator had seen both in that order (so sums, and therefore
    /// means, come out bit for bit the same).
    pub fn merge(&mut self, later: Accumulator) {
        let (stats, other) = (&mut self.stats, later.stats);
        stats.report_count += other.report_count;
        for (year, n) in other.by_year {
            *stats.by_year.entry(year).or_default() += n;
        }
        for (level, n) in other.by_level {
            *stats.by_level.entry(level).or_default() += n;
        }
        for (province, n) in other.by_province {
            *stats.by_province.entry(province).or_default() += n;
        }
        for (rating, n) in other.ratings {
            *stats.ratings.entry(rating).or_default() += n;
        }
        add(&mut stats.cell_ratings, &other.cell_ratings);
        add(&mut stats.member_ratings, &other.member_ratings);
        for (order, (kind, n)) in later.kinds {
            self.kinds.entry(order).or_insert((kind, 0)).1 += n;
        }
        for (key, theirs) in later.keys {
            let ours = self.keys.entry(key).or_default();
            ours.count += theirs.count;
            ours.values.extend(theirs.values);
            ours.percents.extend(theirs.percents);
            ours.with_plan_status += theirs.with_plan_status;
            ours.met += theirs.met;
            for (unit, n) in theirs.units {
                *ours.units.entry(unit).or_default() += n;
            }
        }
    }

    pub fn finish(self) -> Statistics {
        let mut stats = self.stats;
        stats.by_kind = self.kinds.into_values().collect();
        stats.indicators = self
            .keys
            .into_iter()
            .map(|(key, acc)| IndicatorFigures {
                key,
                count: acc.count,
                value: Figures::of(acc.values),
                percent_of_plan: Figures::of(acc.percents),
                with_plan_status: acc.with_plan_status,
                met: acc.met,
                // The most frequent unit; the first in order among equals.
                unit: acc
                    .units
                    .into_iter()
                    .fold((String::new(), 0), |best, (unit, n)| {
                        if n > best.1 { (unit, n) } else { best }
                    })
                    .0,
            })
            .collect();
        stats
    }
}

/// Computes every figure in one pass over the summaries.
pub fn compute<'a>(summaries: impl IntoIterator<Item = &'a Summary>) -> Statistics {
    let mut acc = Accumulator::default();
    for summary in summaries {
        acc.add_summary(summary);
    }
    acc.finish()
}

fn kind_order(kind: ReportKind) -> u8 {
    match kind {
        ReportKind::Unspecified => 0,
        ReportKind::NewsArticle => 1,
        ReportKind::OfficialReport => 2,
        ReportKind::NotAReport => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Measure;

    fn measure(key: &str, value: f64, pop: Option<f64>) -> Measure {
        Measure {
            key: key.into(),
            value: Some(value),
            unit: "con".into(),
            percent_of_plan: pop,
            met: pop.map(|p| p >= 100.0),
        }
    }

    #[test]
    fn merged_accumulators_give_what_one_gives() {
        let summaries: Vec<Summary> = (0..7)
            .map(|i| Summary {
                report_year: 2020 + i,
                level: Level::Commune,
                kind: ReportKind::NewsArticle,
                province: ["Quảng Ngãi", "Bình Định"][i as usize % 2].into(),
                rating: Rating::Good,
                indicators: vec![measure(
                    "cattle_herd",
                    0.1 * f64::from(i),
                    Some(99.0 + f64::from(i)),
                )],
                ..Default::default()
            })
            .collect();
        let feed = |part: &[Summary]| {
            let mut acc = Accumulator::default();
            for s in part {
                acc.add_summary(s);
            }
            acc
        };
        let mut first = feed(&summaries[..3]);
        first.merge(feed(&summaries[3..]));
        assert_eq!(first.finish(), compute(&summaries));
    }

    #[test]
    fn figures_of_odd_and_even_lists() {
        let odd = Figures::of(vec![3.0, 1.0, 2.0]);
        assert_eq!(
            (odd.n, odd.min, odd.max, odd.mean, odd.median),
            (3, 1.0, 3.0, 2.0, 2.0)
        );
        let even = Figures::of(vec![4.0, 1.0, 2.0, 3.0]);
        assert_eq!((even.median, even.mean), (2.5, 2.5));
        assert_eq!(Figures::of(Vec::new()), Figures::default());
    }

    #[test]
    fn compute_counts_sums_and_groups_by_key() {
        let a = Summary {
            report_year: 2023,
            level: Level::Commune,
            kind: ReportKind::NewsArticle,
            province: "Quảng Ngãi".into(),
            rating: Rating::Excellent,
            cell_ratings: RatingCounts {
                excellent: 1,
                good: 4,
                total: 5,
                ..Default::default()
            },
            indicators: vec![
                measure("cattle_herd", 840.0, Some(100.11)),
                measure("goat_herd", 257.0, None),
            ],
            ..Default::default()
        };
        let b = Summary {
            report_year: 2022,
            level: Level::Commune,
            kind: ReportKind::OfficialReport,
            rating: Rating::Good,
            cell_ratings: RatingCounts {
                excellent: 2,
                good: 1,
                total: 3,
                ..Default::default()
            },
            indicators: vec![measure("cattle_herd", 600.0, Some(90.0))],
            ..Default::default()
        };
        let stats = compute([&a, &b]);
        assert_eq!(stats.report_count, 2);
        assert_eq!(stats.by_year.get(&2023), Some(&1));
        assert_eq!(stats.by_level.get(&Level::Commune), Some(&2));
        assert_eq!(
            stats.by_kind,
            vec![
                (ReportKind::NewsArticle, 1),
                (ReportKind::OfficialReport, 1)
            ]
        );
        assert_eq!(
            stats.cell_ratings,
            RatingCounts {
                excellent: 3,
                good: 5,
                total: 8,
                ..Default::default()
            }
        );
        let cattle = &stats.indicators[0];
        assert_eq!(cattle.key, "cattle_herd");
        assert_eq!(
            (
                cattle.value.n,
                cattle.value.min,
                cattle.value.max,
                cattle.value.mean
            ),
            (2, 600.0, 840.0, 720.0)
        );
        assert_eq!(
            (cattle.with_plan_status, cattle.met, cattle.met_share()),
            (2, 1, 0.5)
        );
        assert_eq!(stats.indicators[1].percent_of_plan.n, 0);
    }
}
