//! The covering index behind statistics, export and watch filters.
//!
//! Tree `idx_stats`: `year ‖ id` → a compact [`Summary`]: fixed-width enums,
//! year, time and rating counts, then length-prefixed names and the
//! catalogued indicators. Statistics read it in place, borrowing the names
//! from the stored bytes, so counting every report allocates nothing per
//! report and never reads a record with its text.

use super::index::Index;
use super::keys;
use super::{Store, StoreError};
use crate::model::{self, Report};
use crate::proto;
use crate::query::stats::{Accumulator, ReportFacts, Statistics};
use crate::query::{Filter, Measure, Summary, SummaryKeys};

pub(crate) const TREE: &str = "idx_stats";

/// Years this many or fewer apart are read with one prefix scan each.
const MAX_YEAR_SCANS: i64 = 64;

const HAS_VALUE: u8 = 1;
const HAS_PERCENT: u8 = 2;
const HAS_MET: u8 = 4;
const MET: u8 = 8;

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
        vec![(key, encode(&summary))]
    }
}

fn counts(bytes: &mut Vec<u8>, counts: &model::RatingCounts) {
    for n in [
        counts.excellent,
        counts.good,
        counts.completed,
        counts.not_completed,
        counts.total,
    ] {
        bytes.extend_from_slice(&n.to_be_bytes());
    }
}

fn string(bytes: &mut Vec<u8>, text: &str) {
    // Names are far below 64 KiB; a longer one is cut at a character boundary.
    let mut end = text.len().min(usize::from(u16::MAX));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    bytes.extend_from_slice(&u16::try_from(end).unwrap_or(u16::MAX).to_be_bytes());
    bytes.extend_from_slice(&text.as_bytes()[..end]);
}

/// `kind ‖ level ‖ rating ‖ year ‖ submitted_at ‖ 10 × u32 counts ‖ 6 names
/// ‖ u16 n ‖ n × (key ‖ flags ‖ [value] ‖ [percent] ‖ unit)`.
fn encode(s: &Summary) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(128);
    bytes.extend_from_slice(&[
        keys::kind_byte(s.kind),
        keys::level_byte(s.level),
        keys::rating_byte(s.rating),
    ]);
    bytes.extend_from_slice(&s.report_year.to_be_bytes());
    bytes.extend_from_slice(&s.submitted_at_ms.to_be_bytes());
    counts(&mut bytes, &s.cell_ratings);
    counts(&mut bytes, &s.member_ratings);
    for name in [
        &s.organization_name,
        &s.organization_key,
        &s.parent_name,
        &s.parent_key,
        &s.province,
        &s.province_key,
    ] {
        string(&mut bytes, name);
    }
    let n = s.indicators.len().min(usize::from(u16::MAX));
    bytes.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
    for m in &s.indicators[..n] {
        string(&mut bytes, &m.key);
        let flags = u8::from(m.value.is_some()) * HAS_VALUE
            + u8::from(m.percent_of_plan.is_some()) * HAS_PERCENT
            + u8::from(m.met.is_some()) * HAS_MET
            + u8::from(m.met == Some(true)) * MET;
        bytes.push(flags);
        for figure in [m.value, m.percent_of_plan].into_iter().flatten() {
            bytes.extend_from_slice(&figure.to_be_bytes());
        }
        string(&mut bytes, &m.unit);
    }
    bytes
}

/// Reads the stored bytes in place.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.array()?))
    }

    fn counts(&mut self) -> Option<model::RatingCounts> {
        let mut n = || Some(u32::from_be_bytes(self.array()?));
        Some(model::RatingCounts {
            excellent: n()?,
            good: n()?,
            completed: n()?,
            not_completed: n()?,
            total: n()?,
        })
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::from(self.u16()?);
        std::str::from_utf8(self.take(len)?).ok()
    }

    fn figure(&mut self, present: bool) -> Option<Option<f64>> {
        if !present {
            return Some(None);
        }
        Some(Some(f64::from_be_bytes(self.array()?)))
    }
}

/// A stored summary, borrowed.
struct View<'a> {
    kind: model::ReportKind,
    level: model::Level,
    rating: model::Rating,
    report_year: i32,
    submitted_at_ms: i64,
    cell_ratings: model::RatingCounts,
    member_ratings: model::RatingCounts,
    names: [&'a str; 6],
    /// The indicators, still encoded.
    rest: Reader<'a>,
}

struct MeasureView<'a> {
    key: &'a str,
    value: Option<f64>,
    percent_of_plan: Option<f64>,
    met: Option<bool>,
    unit: &'a str,
}

fn domain<W: TryFrom<i32> + Default, D: From<W>>(byte: u8) -> D {
    D::from(W::try_from(i32::from(byte)).unwrap_or_default())
}

impl<'a> View<'a> {
    fn read(bytes: &'a [u8]) -> Option<View<'a>> {
        let mut r = Reader(bytes);
        let [kind, level, rating] = r.array()?;
        let report_year = i32::from_be_bytes(r.array()?);
        let submitted_at_ms = i64::from_be_bytes(r.array()?);
        let cell_ratings = r.counts()?;
        let member_ratings = r.counts()?;
        let names = [r.str()?, r.str()?, r.str()?, r.str()?, r.str()?, r.str()?];
        Some(View {
            kind: domain::<proto::ReportKind, _>(kind),
            level: domain::<proto::OrganizationLevel, _>(level),
            rating: domain::<proto::Rating, _>(rating),
            report_year,
            submitted_at_ms,
            cell_ratings,
            member_ratings,
            names,
            rest: r,
        })
    }

    fn keys(&self) -> SummaryKeys<'a> {
        SummaryKeys {
            kind: self.kind,
            report_year: self.report_year,
            level: self.level,
            rating: self.rating,
            organization_key: self.names[1],
            parent_key: self.names[3],
            province_key: self.names[5],
        }
    }

    /// Calls `each` for every indicator; `None` if the bytes are damaged.
    fn measures(mut self, mut each: impl FnMut(MeasureView<'a>)) -> Option<()> {
        let r = &mut self.rest;
        for _ in 0..r.u16()? {
            let key = r.str()?;
            let flags = r.u8()?;
            let value = r.figure(flags & HAS_VALUE != 0)?;
            let percent_of_plan = r.figure(flags & HAS_PERCENT != 0)?;
            let unit = r.str()?;
            each(MeasureView {
                key,
                value,
                percent_of_plan,
                met: (flags & HAS_MET != 0).then_some(flags & MET != 0),
                unit,
            });
        }
        r.0.is_empty().then_some(())
    }

    fn into_summary(self, id: String) -> Option<Summary> {
        let [
            organization_name,
            organization_key,
            parent_name,
            parent_key,
            province,
            province_key,
        ] = self.names.map(str::to_owned);
        let mut summary = Summary {
            id,
            kind: self.kind,
            report_year: self.report_year,
            level: self.level,
            organization_name,
            organization_key,
            parent_name,
            parent_key,
            province,
            province_key,
            rating: self.rating,
            cell_ratings: self.cell_ratings,
            member_ratings: self.member_ratings,
            submitted_at_ms: self.submitted_at_ms,
            indicators: Vec::new(),
        };
        let mut indicators = Vec::new();
        self.measures(|m| {
            indicators.push(Measure {
                key: m.key.to_owned(),
                value: m.value,
                unit: m.unit.to_owned(),
                percent_of_plan: m.percent_of_plan,
                met: m.met,
            })
        })?;
        summary.indicators = indicators;
        Some(summary)
    }
}

fn corrupt() -> StoreError {
    StoreError::Corrupt {
        tree: TREE,
        detail: "a summary does not decode".into(),
    }
}

impl Store {
    /// Calls `each` with every stored summary whose year under review is
    /// within the inclusive range, in (year, id) order.
    fn each_summary(
        &self,
        years: (i32, i32),
        mut each: impl FnMut(&[u8], View<'_>) -> Option<()>,
    ) -> Result<(), StoreError> {
        let tree = self.index_tree(TREE).ok_or_else(corrupt)?;
        let (from, to) = years;
        let prefixes: Vec<Vec<u8>> =
            if from <= to && i64::from(to) - i64::from(from) < MAX_YEAR_SCANS {
                (from..=to)
                    .map(|year| keys::year_prefix(year).to_vec())
                    .collect()
            } else {
                vec![Vec::new()]
            };
        for prefix in prefixes {
            for item in tree.scan_prefix(prefix) {
                let (key, value) = item?;
                let view = View::read(&value).ok_or_else(corrupt)?;
                if (from..=to).contains(&view.report_year) {
                    each(&key, view).ok_or_else(corrupt)?;
                }
            }
        }
        Ok(())
    }

    /// The summaries of every report whose year under review is within the
    /// inclusive range, in (year, id) order.
    pub fn summaries(&self, years: (i32, i32)) -> Result<Vec<Summary>, StoreError> {
        let mut summaries = Vec::new();
        self.each_summary(years, |key, view| {
            let id = keys::id_suffix(key)?.to_hex();
            summaries.push(view.into_summary(id)?);
            Some(())
        })?;
        Ok(summaries)
    }

    /// Statistics over every report the filter matches, read from the
    /// summaries in place. The stored years are split in two halves read
    /// on two threads, and the halves merged in year order, so the figures
    /// are exactly those of one pass.
    pub fn statistics(&self, filter: &Filter) -> Result<Statistics, StoreError> {
        let Some((from, to)) = self.stored_years(filter.years())? else {
            return Ok(Accumulator::default().finish());
        };
        let halves = if from < to {
            let middle = from + (to - from) / 2;
            vec![(from, middle), (middle + 1, to)]
        } else {
            vec![(from, to)]
        };
        let parts: Vec<Result<Accumulator, StoreError>> = std::thread::scope(|scope| {
            let running: Vec<_> = halves
                .into_iter()
                .map(|years| scope.spawn(move || self.accumulate(filter, years)))
                .collect();
            running
                .into_iter()
                .map(|half| {
                    half.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let mut total = Accumulator::default();
        for part in parts {
            total.merge(part?);
        }
        Ok(total.finish())
    }

    /// The years within `years` that summaries are stored under, as an
    /// inclusive range; `None` when there are none.
    fn stored_years(&self, years: (i32, i32)) -> Result<Option<(i32, i32)>, StoreError> {
        let tree = self.index_tree(TREE).ok_or_else(corrupt)?;
        let year_of = |key: &[u8]| -> Result<i32, StoreError> {
            let bytes: [u8; 4] = key
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(corrupt)?;
            Ok(i32::from_be_bytes(bytes) ^ i32::MIN)
        };
        let (Some((first, _)), Some((last, _))) = (tree.first()?, tree.last()?) else {
            return Ok(None);
        };
        let from = years.0.max(year_of(&first)?);
        let to = years.1.min(year_of(&last)?);
        Ok((from <= to).then_some((from, to)))
    }

    fn accumulate(&self, filter: &Filter, years: (i32, i32)) -> Result<Accumulator, StoreError> {
        let mut acc = Accumulator::default();
        self.each_summary(years, |_, view| {
            if !filter.admits(&view.keys()) {
                return Some(());
            }
            acc.add_report(&ReportFacts {
                kind: view.kind,
                report_year: view.report_year,
                level: view.level,
                province: view.names[4],
                rating: view.rating,
                cell_ratings: view.cell_ratings,
                member_ratings: view.member_ratings,
            });
            view.measures(|m| acc.add_measure(m.key, m.value, m.unit, m.percent_of_plan, m.met))
        })?;
        Ok(acc)
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
        let stored = encode(&summary);
        assert_eq!(
            View::read(&stored).unwrap().into_summary(report.id.clone()),
            Some(summary)
        );
        assert_eq!(ByYearSummary.entries(&report).len(), 1);
    }
}
