//! The domain types of a parsed report: what the parser produces, the store
//! keeps and the service converts to and from the wire types in `convert`.
//!
//! These types mirror the extraction contract (`shared/spec/REPORT.md`).
//! They know nothing of prost, tonic or sled. Dates are ISO-8601 strings
//! ("2023-12-20"); empty strings, zero years and `None` mean "not stated".

/// What kind of text a submission is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReportKind {
    #[default]
    Unspecified,
    /// A news article about the year-end conference.
    NewsArticle,
    /// An official report (báo cáo) in the Party's document format.
    OfficialReport,
    /// Anything else: stored, but never counted as a year-end report.
    NotAReport,
}

/// The administrative level of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Level {
    #[default]
    Unspecified,
    /// xã
    Commune,
    /// phường
    Ward,
    /// thị trấn
    Township,
    /// huyện
    District,
    /// quận
    UrbanDistrict,
    /// thị xã
    Town,
    /// thành phố thuộc tỉnh
    ProvincialCity,
    /// tỉnh, thành phố trực thuộc Trung ương
    Province,
    /// a Party unit of an agency, school, company…
    Agency,
    /// đặc khu
    SpecialZone,
}

/// What period a review covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PeriodKind {
    #[default]
    Unspecified,
    Year,
    HalfYear,
    NineMonths,
    Quarter,
    MidTerm,
    Term,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PartOfDay {
    #[default]
    Unspecified,
    Morning,
    Afternoon,
    Evening,
}

/// The four-level rating of Party organisations and members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Rating {
    #[default]
    Unspecified,
    Excellent,
    Good,
    Completed,
    NotCompleted,
}

/// How a fact about the organisation was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Provenance {
    #[default]
    Unspecified,
    /// Named in the text.
    Stated,
    /// Looked up in the gazetteer from what the text names.
    Inferred,
}

/// What a `percent_of_plan` is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Base {
    #[default]
    Unspecified,
    Plan,
    Resolution,
    BudgetEstimate,
    SamePeriod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Qualifier {
    #[default]
    Unspecified,
    Over,
    Under,
    AtLeast,
    AtMost,
    About,
    Estimate,
}

/// Byte offsets of a phrase in the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdminUnit {
    pub level: Level,
    pub name: String,
    pub code: String,
    pub province: String,
    pub source: Provenance,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Organization {
    pub level: Level,
    /// The proper name without the level word ("Sơn Liên").
    pub name: String,
    pub parent: Option<AdminUnit>,
    pub province: String,
    pub province_source: Provenance,
    /// Roman numerals ("XIII").
    pub term: String,
    /// "2020-2025".
    pub term_period: String,
    pub code: String,
    pub code_source: Provenance,
    pub successor: Option<AdminUnit>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meeting {
    pub date: String,
    pub part_of_day: PartOfDay,
    pub session_number: i32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Person {
    pub name: String,
    pub titles: Vec<String>,
    pub span: Span,
}

/// One measured (indicator) or planned (target) quantity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indicator {
    pub key: String,
    pub name: String,
    pub value: Option<f64>,
    pub unit: String,
    pub total: Option<f64>,
    pub plan_value: Option<f64>,
    pub percent: Option<f64>,
    pub percent_of_plan: Option<f64>,
    pub base: Base,
    pub change_percent: Option<f64>,
    pub qualifier: Qualifier,
    pub met: Option<bool>,
    pub year: i32,
    pub span: Span,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrganizationRating {
    pub rating: Rating,
    pub rated_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingCounts {
    pub excellent: u32,
    pub good: u32,
    pub completed: u32,
    pub not_completed: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Awards {
    pub collectives: u32,
    pub individuals: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetSummary {
    pub total: u32,
    pub met: u32,
    pub exceeded: u32,
}

/// Everything the parser extracts from one text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedReport {
    pub kind: ReportKind,
    pub title: String,
    pub organization: Organization,
    pub meeting: Meeting,
    pub published_on: String,
    pub period_kind: PeriodKind,
    pub report_year: i32,
    pub plan_year: i32,
    pub document_number: String,
    pub document_date: String,
    pub people: Vec<Person>,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Indicator>,
    pub rating: OrganizationRating,
    pub cell_ratings: RatingCounts,
    pub member_ratings: RatingCounts,
    pub awards: Awards,
    pub target_summary: TargetSummary,
    pub limitations: Vec<String>,
    pub directions: Vec<String>,
    pub warnings: Vec<String>,
}

/// Where a stored text came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    pub url: String,
    pub name: String,
    /// Milliseconds since the Unix epoch.
    pub submitted_at_ms: i64,
    pub sha256: String,
    pub chars: u32,
}

/// A stored report: the parsed record plus its identity and provenance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Hex SHA-256 of the normalised text.
    pub id: String,
    pub parsed: ParsedReport,
    pub source: Source,
    pub parser_version: String,
    /// The normalised text.
    pub text: String,
}
