//! The spreadsheet form of reports: CSV with one row per indicator or target
//! (a report without any still gets one row, so no report is lost), quoted
//! by the `csv` crate. Numbers are written in their shortest exact form with
//! a decimal point; absent values are empty cells.

use std::io::Write;

use crate::model::{Base, Indicator, Level, Qualifier, Rating, Report, ReportKind};

/// The header row, in column order.
pub const CSV_HEADER: [&str; 26] = [
    "report_id",
    "kind",
    "organization_level",
    "organization",
    "parent_level",
    "parent",
    "province",
    "report_year",
    "plan_year",
    "rating",
    "section",
    "key",
    "name",
    "value",
    "unit",
    "total",
    "plan_value",
    "percent",
    "percent_of_plan",
    "base",
    "change_percent",
    "qualifier",
    "met",
    "year",
    "category",
    "source_url",
];

/// Writes reports as CSV rows under one header.
pub struct CsvExport<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvExport<W> {
    pub fn new(out: W) -> Result<CsvExport<W>, csv::Error> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(CSV_HEADER)?;
        Ok(CsvExport { writer })
    }

    /// Writes one row per indicator and target of the report.
    pub fn write(&mut self, report: &Report) -> Result<(), csv::Error> {
        let sections = report
            .parsed
            .indicators
            .iter()
            .map(|it| ("indicator", Some(it)))
            .chain(report.parsed.targets.iter().map(|it| ("target", Some(it))));
        let mut wrote = false;
        for (section, indicator) in sections {
            self.writer.write_record(row(report, section, indicator))?;
            wrote = true;
        }
        if !wrote {
            self.writer.write_record(row(report, "", None))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, csv::Error> {
        self.writer.flush()?;
        self.writer
            .into_inner()
            .map_err(|error| csv::Error::from(error.into_error()))
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn year(value: i32) -> String {
    if value == 0 {
        String::new()
    } else {
        value.to_string()
    }
}

fn row(report: &Report, section: &str, indicator: Option<&Indicator>) -> Vec<String> {
    let parsed = &report.parsed;
    let org = &parsed.organization;
    let parent = org.parent.clone().unwrap_or_default();
    let province = if org.province.is_empty() {
        parent.province.clone()
    } else {
        org.province.clone()
    };
    let it = indicator.cloned().unwrap_or_default();
    vec![
        report.id.clone(),
        kind_name(parsed.kind).into(),
        level_name(org.level).into(),
        org.name.clone(),
        level_name(parent.level).into(),
        parent.name,
        province,
        year(parsed.report_year),
        year(parsed.plan_year),
        rating_name(parsed.rating.rating).into(),
        section.into(),
        it.key,
        it.name,
        number(it.value),
        it.unit,
        number(it.total),
        number(it.plan_value),
        number(it.percent),
        number(it.percent_of_plan),
        base_name(it.base).into(),
        number(it.change_percent),
        qualifier_name(it.qualifier).into(),
        it.met.map(|met| met.to_string()).unwrap_or_default(),
        year(it.year),
        it.category,
        report.source.url.clone(),
    ]
}

pub fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Unspecified => "",
        ReportKind::NewsArticle => "news_article",
        ReportKind::OfficialReport => "official_report",
        ReportKind::NotAReport => "not_a_report",
    }
}

pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Unspecified => "",
        Level::Commune => "commune",
        Level::Ward => "ward",
        Level::Township => "township",
        Level::District => "district",
        Level::UrbanDistrict => "urban_district",
        Level::Town => "town",
        Level::ProvincialCity => "provincial_city",
        Level::Province => "province",
        Level::Agency => "agency",
        Level::SpecialZone => "special_zone",
    }
}

pub fn rating_name(rating: Rating) -> &'static str {
    match rating {
        Rating::Unspecified => "",
        Rating::Excellent => "excellent",
        Rating::Good => "good",
        Rating::Completed => "completed",
        Rating::NotCompleted => "not_completed",
    }
}

fn base_name(base: Base) -> &'static str {
    match base {
        Base::Unspecified => "",
        Base::Plan => "plan",
        Base::Resolution => "resolution",
        Base::BudgetEstimate => "budget_estimate",
        Base::SamePeriod => "same_period",
    }
}

fn qualifier_name(qualifier: Qualifier) -> &'static str {
    match qualifier {
        Qualifier::Unspecified => "",
        Qualifier::Over => "over",
        Qualifier::Under => "under",
        Qualifier::AtLeast => "at_least",
        Qualifier::AtMost => "at_most",
        Qualifier::About => "about",
        Qualifier::Estimate => "estimate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Organization, ParsedReport};

    #[test]
    fn names_with_commas_and_quotes_survive_the_round_trip() {
        let report = Report {
            id: "r1".into(),
            parsed: ParsedReport {
                kind: ReportKind::NewsArticle,
                report_year: 2023,
                organization: Organization {
                    level: Level::Commune,
                    name: "Sơn Liên".into(),
                    ..Default::default()
                },
                indicators: vec![Indicator {
                    key: "grain_output".into(),
                    name: "Cây lương thực có hạt, \"tổng\"".into(),
                    value: Some(466.8),
                    unit: "tấn".into(),
                    percent_of_plan: Some(105.35),
                    ..Default::default()
                }],
                ..Default::default()
            },
            ..Default::default()
        };
        let mut export = CsvExport::new(Vec::new()).unwrap();
        export.write(&report).unwrap();
        export
            .write(&Report {
                id: "empty".into(),
                ..Default::default()
            })
            .unwrap();
        let bytes = export.finish().unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER.to_vec()
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][12], "Cây lương thực có hạt, \"tổng\"");
        assert_eq!(rows[0][13].parse::<f64>().unwrap(), 466.8);
        assert_eq!(&rows[0][18], "105.35");
        assert_eq!((&rows[1][0], &rows[1][11]), ("empty", ""));
    }
}
