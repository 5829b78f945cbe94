//! Every conversion between the wire types of [`crate::proto`] and the domain
//! types of [`crate::model`], and the proto3 JSON form of a report. No other
//! module maps one to the other.

use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage};

use crate::model;
use crate::proto;
use crate::query;

// ---------------------------------------------------------------- enums

macro_rules! enum_map {
    ($domain:ty, $wire:ty, $($variant:ident),+ $(,)?) => {
        impl From<$domain> for $wire {
            fn from(value: $domain) -> $wire {
                match value {
                    $(<$domain>::$variant => <$wire>::$variant,)+
                }
            }
        }
        impl From<$wire> for $domain {
            fn from(value: $wire) -> $domain {
                match value {
                    $(<$wire>::$variant => <$domain>::$variant,)+
                }
            }
        }
    };
}

enum_map!(
    model::ReportKind,
    proto::ReportKind,
    Unspecified,
    NewsArticle,
    OfficialReport,
    NotAReport
);
enum_map!(
    model::Level,
    proto::OrganizationLevel,
    Unspecified,
    Commune,
    Ward,
    Township,
    District,
    UrbanDistrict,
    Town,
    ProvincialCity,
    Province,
    Agency,
    SpecialZone,
);
enum_map!(
    model::PeriodKind,
    proto::PeriodKind,
    Unspecified,
    Year,
    HalfYear,
    NineMonths,
    Quarter,
    MidTerm,
    Term
);
enum_map!(
    model::PartOfDay,
    proto::PartOfDay,
    Unspecified,
    Morning,
    Afternoon,
    Evening
);
enum_map!(
    model::Rating,
    proto::Rating,
    Unspecified,
    Excellent,
    Good,
    Completed,
    NotCompleted
);
enum_map!(
    model::Provenance,
    proto::Provenance,
    Unspecified,
    Stated,
    Inferred
);
enum_map!(
    model::Base,
    proto::Base,
    Unspecified,
    Plan,
    Resolution,
    BudgetEstimate,
    SamePeriod
);
enum_map!(
    model::Qualifier,
    proto::Qualifier,
    Unspecified,
    Over,
    Under,
    AtLeast,
    AtMost,
    About,
    Estimate
);

/// Reads a wire enum number, mapping numbers this build does not know to the
/// unspecified value (prost keeps unknown numbers as raw `i32`s).
fn wire_enum<W, D>(number: i32) -> D
where
    W: TryFrom<i32> + Default,
    D: From<W>,
{
    D::from(W::try_from(number).unwrap_or_default())
}

fn number<W: Into<i32>, D: Into<W>>(value: D) -> i32 {
    value.into().into()
}

// ---------------------------------------------------------------- domain → wire

impl From<model::Span> for proto::Span {
    fn from(span: model::Span) -> proto::Span {
        proto::Span {
            start: span.start,
            end: span.end,
        }
    }
}

impl From<model::AdminUnit> for proto::AdminUnit {
    fn from(unit: model::AdminUnit) -> proto::AdminUnit {
        proto::AdminUnit {
            level: number::<proto::OrganizationLevel, _>(unit.level),
            name: unit.name,
            code: unit.code,
            province: unit.province,
            source: number::<proto::Provenance, _>(unit.source),
        }
    }
}

impl From<model::Organization> for proto::Organization {
    fn from(org: model::Organization) -> proto::Organization {
        proto::Organization {
            level: number::<proto::OrganizationLevel, _>(org.level),
            name: org.name,
            parent: org.parent.map(Into::into),
            province: org.province,
            term: org.term,
            term_period: org.term_period,
            code: org.code,
            code_source: number::<proto::Provenance, _>(org.code_source),
            province_source: number::<proto::Provenance, _>(org.province_source),
            successor: org.successor.map(Into::into),
        }
    }
}

impl From<model::Person> for proto::Person {
    fn from(person: model::Person) -> proto::Person {
        proto::Person {
            name: person.name,
            titles: person.titles,
            span: Some(person.span.into()),
        }
    }
}

impl From<model::Indicator> for proto::Indicator {
    fn from(it: model::Indicator) -> proto::Indicator {
        proto::Indicator {
            key: it.key,
            name: it.name,
            value: it.value,
            unit: it.unit,
            total: it.total,
            plan_value: it.plan_value,
            percent: it.percent,
            percent_of_plan: it.percent_of_plan,
            base: number::<proto::Base, _>(it.base),
            change_percent: it.change_percent,
            qualifier: number::<proto::Qualifier, _>(it.qualifier),
            met: it.met,
            year: it.year,
            span: Some(it.span.into()),
            category: it.category,
        }
    }
}

impl From<model::RatingCounts> for proto::RatingCounts {
    fn from(c: model::RatingCounts) -> proto::RatingCounts {
        proto::RatingCounts {
            excellent: c.excellent,
            good: c.good,
            completed: c.completed,
            not_completed: c.not_completed,
            total: c.total,
        }
    }
}

/// An all-zero group is left out of the wire form, as proto3 JSON would
/// leave out its fields anyway.
fn non_empty<D: PartialEq + Default, W: From<D>>(value: D) -> Option<W> {
    (value != D::default()).then(|| value.into())
}

impl From<model::Awards> for proto::Awards {
    fn from(a: model::Awards) -> proto::Awards {
        proto::Awards {
            collectives: a.collectives,
            individuals: a.individuals,
        }
    }
}

impl From<model::TargetSummary> for proto::TargetSummary {
    fn from(t: model::TargetSummary) -> proto::TargetSummary {
        proto::TargetSummary {
            total: t.total,
            met: t.met,
            exceeded: t.exceeded,
        }
    }
}

impl From<model::OrganizationRating> for proto::OrganizationRating {
    fn from(r: model::OrganizationRating) -> proto::OrganizationRating {
        proto::OrganizationRating {
            organization_rating: number::<proto::Rating, _>(r.rating),
            rated_by: r.rated_by,
        }
    }
}

impl From<model::Source> for proto::Source {
    fn from(s: model::Source) -> proto::Source {
        proto::Source {
            url: s.url,
            name: s.name,
            submitted_at: (s.submitted_at_ms != 0).then(|| prost_types::Timestamp {
                seconds: s.submitted_at_ms.div_euclid(1000),
                nanos: (s.submitted_at_ms.rem_euclid(1000) * 1_000_000) as i32,
            }),
            sha256: s.sha256,
            chars: s.chars,
        }
    }
}

/// The wire form of a parsed text that has no identity yet (ParseReport).
impl From<model::ParsedReport> for proto::Report {
    fn from(p: model::ParsedReport) -> proto::Report {
        proto::Report {
            id: String::new(),
            kind: number::<proto::ReportKind, _>(p.kind),
            title: p.title,
            organization: Some(p.organization.into()),
            meeting: Some(proto::Meeting {
                date: p.meeting.date,
                part_of_day: number::<proto::PartOfDay, _>(p.meeting.part_of_day),
                session_number: p.meeting.session_number,
            }),
            published_on: p.published_on,
            period_kind: number::<proto::PeriodKind, _>(p.period_kind),
            report_year: p.report_year,
            plan_year: p.plan_year,
            document_number: p.document_number,
            document_date: p.document_date,
            people: p.people.into_iter().map(Into::into).collect(),
            indicators: p.indicators.into_iter().map(Into::into).collect(),
            targets: p.targets.into_iter().map(Into::into).collect(),
            rating: non_empty(p.rating),
            cell_ratings: non_empty(p.cell_ratings),
            member_ratings: non_empty(p.member_ratings),
            awards: non_empty(p.awards),
            target_summary: non_empty(p.target_summary),
            limitations: p.limitations,
            directions: p.directions,
            warnings: p.warnings,
            source: None,
            parser_version: String::new(),
            text: String::new(),
        }
    }
}

impl From<model::Report> for proto::Report {
    fn from(r: model::Report) -> proto::Report {
        let mut wire = proto::Report::from(r.parsed);
        wire.id = r.id;
        wire.source = Some(r.source.into());
        wire.parser_version = r.parser_version;
        wire.text = r.text;
        wire
    }
}

// ---------------------------------------------------------------- wire → domain

impl From<proto::Span> for model::Span {
    fn from(span: proto::Span) -> model::Span {
        model::Span {
            start: span.start,
            end: span.end,
        }
    }
}

impl From<proto::AdminUnit> for model::AdminUnit {
    fn from(unit: proto::AdminUnit) -> model::AdminUnit {
        model::AdminUnit {
            level: wire_enum::<proto::OrganizationLevel, _>(unit.level),
            name: unit.name,
            code: unit.code,
            province: unit.province,
            source: wire_enum::<proto::Provenance, _>(unit.source),
        }
    }
}

impl From<proto::Organization> for model::Organization {
    fn from(org: proto::Organization) -> model::Organization {
        model::Organization {
            level: wire_enum::<proto::OrganizationLevel, _>(org.level),
            name: org.name,
            parent: org.parent.map(Into::into),
            province: org.province,
            province_source: wire_enum::<proto::Provenance, _>(org.province_source),
            term: org.term,
            term_period: org.term_period,
            code: org.code,
            code_source: wire_enum::<proto::Provenance, _>(org.code_source),
            successor: org.successor.map(Into::into),
        }
    }
}

impl From<proto::Person> for model::Person {
    fn from(person: proto::Person) -> model::Person {
        model::Person {
            name: person.name,
            titles: person.titles,
            span: person.span.map(Into::into).unwrap_or_default(),
        }
    }
}

impl From<proto::Indicator> for model::Indicator {
    fn from(it: proto::Indicator) -> model::Indicator {
        model::Indicator {
            key: it.key,
            name: it.name,
            value: it.value,
            unit: it.unit,
            total: it.total,
            plan_value: it.plan_value,
            percent: it.percent,
            percent_of_plan: it.percent_of_plan,
            base: wire_enum::<proto::Base, _>(it.base),
            change_percent: it.change_percent,
            qualifier: wire_enum::<proto::Qualifier, _>(it.qualifier),
            met: it.met,
            year: it.year,
            span: it.span.map(Into::into).unwrap_or_default(),
            category: it.category,
        }
    }
}

impl From<proto::RatingCounts> for model::RatingCounts {
    fn from(c: proto::RatingCounts) -> model::RatingCounts {
        model::RatingCounts {
            excellent: c.excellent,
            good: c.good,
            completed: c.completed,
            not_completed: c.not_completed,
            total: c.total,
        }
    }
}

impl From<proto::Report> for model::Report {
    fn from(r: proto::Report) -> model::Report {
        let meeting = r.meeting.unwrap_or_default();
        let rating = r.rating.unwrap_or_default();
        let awards = r.awards.unwrap_or_default();
        let summary = r.target_summary.unwrap_or_default();
        let source = r.source.unwrap_or_default();
        let submitted_at_ms = source
            .submitted_at
            .map(|t| t.seconds * 1000 + i64::from(t.nanos) / 1_000_000)
            .unwrap_or_default();
        model::Report {
            id: r.id,
            parsed: model::ParsedReport {
                kind: wire_enum::<proto::ReportKind, _>(r.kind),
                title: r.title,
                organization: r.organization.map(Into::into).unwrap_or_default(),
                meeting: model::Meeting {
                    date: meeting.date,
                    part_of_day: wire_enum::<proto::PartOfDay, _>(meeting.part_of_day),
                    session_number: meeting.session_number,
                },
                published_on: r.published_on,
                period_kind: wire_enum::<proto::PeriodKind, _>(r.period_kind),
                report_year: r.report_year,
                plan_year: r.plan_year,
                document_number: r.document_number,
                document_date: r.document_date,
                people: r.people.into_iter().map(Into::into).collect(),
                indicators: r.indicators.into_iter().map(Into::into).collect(),
                targets: r.targets.into_iter().map(Into::into).collect(),
                rating: model::OrganizationRating {
                    rating: wire_enum::<proto::Rating, _>(rating.organization_rating),
                    rated_by: rating.rated_by,
                },
                cell_ratings: r.cell_ratings.map(Into::into).unwrap_or_default(),
                member_ratings: r.member_ratings.map(Into::into).unwrap_or_default(),
                awards: model::Awards {
                    collectives: awards.collectives,
                    individuals: awards.individuals,
                },
                target_summary: model::TargetSummary {
                    total: summary.total,
                    met: summary.met,
                    exceeded: summary.exceeded,
                },
                limitations: r.limitations,
                directions: r.directions,
                warnings: r.warnings,
            },
            source: model::Source {
                url: source.url,
                name: source.name,
                submitted_at_ms,
                sha256: source.sha256,
                chars: source.chars,
            },
            parser_version: r.parser_version,
            text: r.text,
        }
    }
}

// ---------------------------------------------------------------- query results

impl From<query::indicators::Row> for proto::IndicatorRow {
    fn from(row: query::indicators::Row) -> proto::IndicatorRow {
        proto::IndicatorRow {
            report_id: row.report_id,
            organization: Some(row.organization.into()),
            report_year: row.report_year,
            indicator: Some(row.indicator.into()),
            target: row.target,
        }
    }
}

impl From<proto::IndicatorRow> for query::indicators::Row {
    fn from(row: proto::IndicatorRow) -> query::indicators::Row {
        query::indicators::Row {
            report_id: row.report_id,
            organization: row.organization.map(Into::into).unwrap_or_default(),
            report_year: row.report_year,
            indicator: row.indicator.map(Into::into).unwrap_or_default(),
            target: row.target,
        }
    }
}

impl From<query::search::Hit> for proto::SearchHit {
    fn from(hit: query::search::Hit) -> proto::SearchHit {
        proto::SearchHit {
            report_id: hit.report_id,
            organization: Some(hit.organization.into()),
            report_year: hit.report_year,
            kind: number::<proto::ReportKind, _>(hit.kind),
            title: hit.title,
            score: hit.score,
            snippets: hit
                .snippets
                .into_iter()
                .map(|snippet| proto::Snippet {
                    fragment: snippet.fragment,
                    highlights: snippet
                        .highlights
                        .into_iter()
                        .map(|(start, end)| proto::Span {
                            start: u32::try_from(start).unwrap_or(u32::MAX),
                            end: u32::try_from(end).unwrap_or(u32::MAX),
                        })
                        .collect(),
                    html: snippet.html,
                })
                .collect(),
        }
    }
}

impl From<query::history::History> for proto::OrganizationHistory {
    fn from(history: query::history::History) -> proto::OrganizationHistory {
        proto::OrganizationHistory {
            organization: Some(history.organization.into()),
            years: history
                .years
                .into_iter()
                .map(|year| proto::HistoryYear {
                    report_year: year.report_year,
                    report_id: year.report_id,
                    rating: number::<proto::Rating, _>(year.rating),
                    cell_ratings: non_empty(year.cell_ratings),
                    member_ratings: non_empty(year.member_ratings),
                    indicators: year
                        .indicators
                        .into_iter()
                        .map(|change| proto::IndicatorChange {
                            key: change.key,
                            indicator: Some(change.indicator.into()),
                            previous_year: change.previous_year,
                            previous_value: change.previous_value,
                            change: change.change,
                            change_percent: change.change_percent,
                        })
                        .collect(),
                    other_report_ids: year.other_report_ids,
                })
                .collect(),
        }
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<query::stats::Figures> for proto::Summary {
    fn from(f: query::stats::Figures) -> proto::Summary {
        proto::Summary {
            n: count(f.n),
            min: f.min,
            max: f.max,
            mean: f.mean,
            median: f.median,
        }
    }
}

impl From<query::stats::Statistics> for proto::Statistics {
    fn from(s: query::stats::Statistics) -> proto::Statistics {
        proto::Statistics {
            report_count: count(s.report_count),
            by_year: s
                .by_year
                .into_iter()
                .map(|(year, n)| proto::YearCount {
                    year,
                    count: count(n),
                })
                .collect(),
            by_level: s
                .by_level
                .into_iter()
                .map(|(level, n)| proto::LevelCount {
                    level: number::<proto::OrganizationLevel, _>(level),
                    count: count(n),
                })
                .collect(),
            by_kind: s
                .by_kind
                .into_iter()
                .map(|(kind, n)| proto::KindCount {
                    kind: number::<proto::ReportKind, _>(kind),
                    count: count(n),
                })
                .collect(),
            by_province: s
                .by_province
                .into_iter()
                .map(|(province, n)| proto::ProvinceCount {
                    province,
                    count: count(n),
                })
                .collect(),
            ratings: s
                .ratings
                .into_iter()
                .map(|(rating, n)| proto::RatingCount {
                    rating: number::<proto::Rating, _>(rating),
                    count: count(n),
                })
                .collect(),
            cell_ratings: Some(s.cell_ratings.into()),
            member_ratings: Some(s.member_ratings.into()),
            indicators: s
                .indicators
                .into_iter()
                .map(|figures| proto::IndicatorStatistics {
                    met_share: figures.met_share(),
                    key: figures.key,
                    count: count(figures.count),
                    value: Some(figures.value.into()),
                    percent_of_plan: Some(figures.percent_of_plan.into()),
                    with_plan_status: count(figures.with_plan_status),
                    met: count(figures.met),
                    unit: figures.unit,
                })
                .collect(),
        }
    }
}

/// A watch event; `full` keeps the report's text.
pub fn report_event(event: query::Event, full: bool) -> proto::ReportEvent {
    let kind = match event.kind {
        query::EventKind::Created => proto::ReportEventType::Created,
        query::EventKind::Deleted => proto::ReportEventType::Deleted,
    };
    proto::ReportEvent {
        r#type: kind.into(),
        cursor: event.cursor.to_string(),
        report_id: event.report_id,
        time: Some(prost_types::Timestamp {
            seconds: event.at_ms.div_euclid(1000),
            nanos: (event.at_ms.rem_euclid(1000) * 1_000_000) as i32,
        }),
        report: event.report.map(|report| {
            let mut wire = proto::Report::from(report);
            if !full {
                wire.text.clear();
            }
            wire
        }),
    }
}

// ---------------------------------------------------------------- JSON

/// The proto3 JSON form of any tongket message (enum names, camelCase keys,
/// zero values left out), as `score.py` and grpcurl read it.
pub fn to_json<M: Message + prost::Name>(message: &M) -> serde_json::Value {
    let pool = descriptor_pool();
    let descriptor = pool
        .get_message_by_name(&M::full_name())
        .expect("every tongket message is in the compiled descriptor set");
    let dynamic = DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice())
        .expect("a message decodes with its own descriptor");
    serde_json::to_value(&dynamic).expect("a dynamic message serialises")
}

fn descriptor_pool() -> &'static DescriptorPool {
    static POOL: std::sync::OnceLock<DescriptorPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        DescriptorPool::decode(proto::FILE_DESCRIPTOR_SET)
            .expect("the compiled descriptor set decodes")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_survives_the_round_trip_through_the_wire_form() {
        let report = model::Report {
            id: "ab".into(),
            parsed: model::ParsedReport {
                kind: model::ReportKind::NewsArticle,
                organization: model::Organization {
                    level: model::Level::Commune,
                    name: "Sơn Liên".into(),
                    parent: Some(model::AdminUnit {
                        level: model::Level::District,
                        name: "Sơn Tây".into(),
                        source: model::Provenance::Stated,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                indicators: vec![model::Indicator {
                    name: "Đàn bò".into(),
                    value: Some(840.0),
                    unit: "con".into(),
                    percent_of_plan: Some(100.11),
                    base: model::Base::Plan,
                    span: model::Span { start: 3, end: 9 },
                    ..Default::default()
                }],
                cell_ratings: model::RatingCounts {
                    excellent: 1,
                    good: 5,
                    total: 6,
                    ..Default::default()
                },
                ..Default::default()
            },
            source: model::Source {
                submitted_at_ms: 1_700_000_000_123,
                ..Default::default()
            },
            parser_version: "1".into(),
            text: "t".into(),
        };
        let back = model::Report::from(proto::Report::from(report.clone()));
        assert_eq!(back, report);
    }

    #[test]
    fn json_uses_enum_names_and_leaves_zero_values_out() {
        let parsed = model::ParsedReport {
            kind: model::ReportKind::NewsArticle,
            report_year: 2023,
            ..Default::default()
        };
        let json = to_json(&proto::Report::from(parsed));
        assert_eq!(json["kind"], "REPORT_KIND_NEWS_ARTICLE");
        assert_eq!(json["reportYear"], 2023);
        assert!(json.get("planYear").is_none());
    }
}
