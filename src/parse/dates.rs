//! Dates, always day first, in every form the texts use: "20/12/2023",
//! "29/12" (year inferred), "ngày 20 tháng 12 năm 2023", "tháng bốn",
//! "16-04-2021", "31.10.2023", "23 - 12 - 2023"; and the period facts built
//! on them: meeting date and part of day, session number, publication date,
//! document date, period kind, year under review and plan year.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{PartOfDay, PeriodKind};

use super::doc::{Doc, floor};
use super::pattern::WordRegex;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DateMention {
    /// Folded range.
    pub range: Range<usize>,
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
}

impl DateMention {
    pub fn iso(&self, year: i32) -> String {
        format!("{year:04}-{:02}-{:02}", self.month, self.day)
    }
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ngay\s+(?P<wd>\d{1,2})\s+thang\s+(?P<wm>\d{1,2}|[a-z]+(?:\s+(?:mot|hai))?)(?:\s*(?:,\s*)?nam\s+(?P<wy>\d{4}))?
      | (?P<fd>\d{1,2})\s+thang\s+(?P<fm>\d{1,2})(?:\s*,\s*(?:nam\s+)?(?P<fy>\d{4})|\s+nam\s+(?P<fy2>\d{4}))?
      | (?P<d>\d{1,2})\s{0,2}(?P<sep>[/.-])\s{0,2}(?P<m>\d{1,2})(?:\s{0,2}(?P<sep2>[/.-])\s{0,2}(?P<y>\d{4}|\d{2}))?
        ",
    )
    .expect("date pattern")
});

const MONTH_WORDS: &[(&str, u32)] = &[
    ("muoi mot", 11),
    ("muoi hai", 12),
    ("gieng", 1),
    ("mot", 1),
    ("hai", 2),
    ("ba", 3),
    ("tu", 4),
    ("bon", 4),
    ("nam", 5),
    ("sau", 6),
    ("bay", 7),
    ("tam", 8),
    ("chin", 9),
    ("muoi", 10),
    ("chap", 12),
];

/// Every date in a folded slice starting at folded offset `base`.
pub(crate) fn dates_in(folded: &str, base: usize) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(caps) = DATE.captures_at(folded, at) {
        let whole = caps.get(0).expect("group 0");
        // A rejected match lets the next position try, so "10:15 - 03/01/2024"
        // still yields its date after "15 - 03/01" is turned down.
        at = whole.start()
            + folded[whole.start()..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        let before = folded[..whole.start()].chars().next_back();
        let after = folded[whole.end()..].chars().next();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '/' || c == ',' || c == '.')
            || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '/' || c == '%')
        {
            continue;
        }
        let (day, month, year) = if let Some(d) = caps.name("wd") {
            let month_text = caps.name("wm").map_or("", |m| m.as_str());
            let month = month_text.parse().ok().or_else(|| {
                MONTH_WORDS
                    .iter()
                    .find(|(w, _)| month_text == *w || month_text.starts_with(&format!("{w} ")))
                    .map(|(_, m)| *m)
            });
            (
                d.as_str().parse().ok(),
                month,
                caps.name("wy").and_then(|y| y.as_str().parse().ok()),
            )
        } else if let Some(d) = caps.name("fd") {
            // "27 tháng 12, 2024", "Sáng 27 tháng 12": no "ngày", the month
            // in digits.
            (
                d.as_str().parse().ok(),
                caps.name("fm").and_then(|m| m.as_str().parse().ok()),
                caps.name("fy")
                    .or(caps.name("fy2"))
                    .and_then(|y| y.as_str().parse().ok()),
            )
        } else {
            let sep = caps.name("sep").map_or("", |m| m.as_str());
            // "15 - 03/01" mixes two separators: a time and a date run
            // together, not one date.
            if caps.name("sep2").is_some_and(|s| s.as_str() != sep) {
                continue;
            }
            let year = caps
                .name("y")
                .and_then(|y| y.as_str().parse::<i32>().ok())
                .map(|y| if y < 100 { 2000 + y } else { y });
            // "31.10" or "16-04" without a year read as numbers or ranges,
            // unless a day word introduces them ("Sáng 8-10", "ngày 15.12").
            if sep != "/" && year.is_none() && !introduced(&folded[..whole.start()]) {
                continue;
            }
            (
                caps.name("d").and_then(|d| d.as_str().parse().ok()),
                caps.name("m").and_then(|m| m.as_str().parse().ok()),
                year,
            )
        };
        let (Some(day), Some(month)) = (day, month) else {
            continue;
        };
        if !(1..=31).contains(&day)
            || !(1..=12).contains(&month)
            || year.is_some_and(|y| !(1945..=2100).contains(&y))
        {
            continue;
        }
        at = whole.end();
        out.push(DateMention {
            range: base + whole.start()..base + whole.end(),
            day,
            month,
            year,
        });
    }
    out
}

/// Whether the words just before a date introduce it as a day.
fn introduced(before: &str) -> bool {
    let before = before
        .trim_end()
        .trim_end_matches(['(', ',', ':'])
        .trim_end();
    DAY_WORDS.iter().any(|w| {
        before
            .strip_suffix(w)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', '(', ',']))
    })
}

const DAY_WORDS: &[&str] = &[
    "ngay",
    "sang",
    "chieu",
    "toi",
    "hom nay",
    "vao",
    "trua",
    "dem",
    "sang nay",
    "chieu nay",
    "toi nay",
    "hom qua",
    "sang qua",
    "chieu qua",
    "toi qua",
];

/// What the period step decides.
#[derive(Debug, Default)]
pub(crate) struct Period {
    pub kind: PeriodKind,
    pub report_year: i32,
    pub plan_year: i32,
}

static REVIEW_YEAR: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:tong ket|so ket|kiem diem|danh gia|ket qua|thuc hien|tinh hinh)\b[^.;:]{0,140}?\bnam (\d{4})\b")
        .expect("review year pattern")
});
static PLAN_YEAR: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:phuong huong|nhiem vu|chi tieu|ke hoach|muc tieu|giai phap|trien khai)\b[^.;]{0,100}?\bnam (\d{4})\b")
        .expect("plan year pattern")
});
static QUARTER: LazyLock<WordRegex> =
    LazyLock::new(|| WordRegex::new(r"\bquy (?:i|ii|iii|iv|1|2|3|4)\b").expect("quarter pattern"));
static TERM_CONGRESS: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"\bdai hoi\b[^.;]{0,80}?\bdang bo\b[^.;]{0,80}?\bnhiem ky (\d{4}) ?[-–] ?(\d{4})|\bdang bo\b[^.;]{0,80}?\bdai hoi\b[^.;]{0,60}?\bnhiem ky (\d{4}) ?[-–] ?(\d{4})",
    )
    .expect("congress pattern")
});

/// The period a review covers, from the title and the lead.
pub(crate) fn period(lead: &str) -> Period {
    let mut out = Period::default();
    let has = |p: &str| lead.contains(p);
    let review = has("tong ket")
        || has("so ket")
        || has("kiem diem")
        || has("danh gia")
        || has("ket qua lanh dao")
        || has("ket qua thuc hien nhiem vu")
        || has("nhiem vu trong tam");
    out.kind = if has("giua nhiem ky") {
        PeriodKind::MidTerm
    } else if (has("6 thang") || has("06 thang") || has("sau thang"))
        && (has("so ket") || has("dau nam"))
    {
        PeriodKind::HalfYear
    } else if has("9 thang") || has("09 thang") || has("chin thang") {
        PeriodKind::NineMonths
    } else if QUARTER.is_match(lead) && has("so ket") {
        PeriodKind::Quarter
    } else if TERM_CONGRESS.is_match(lead)
        && !has("tong ket cong tac")
        && !a_year_within_the_term(lead)
    {
        PeriodKind::Term
    } else if review || has("phuong huong") {
        PeriodKind::Year
    } else {
        PeriodKind::Unspecified
    };
    if out.kind == PeriodKind::Term {
        if let Some(caps) = TERM_CONGRESS.captures(lead) {
            let start: i32 = caps
                .get(1)
                .or(caps.get(3))
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(0);
            out.report_year = start;
            out.plan_year = start;
        }
        return out;
    }
    if let Some(caps) = REVIEW_YEAR.captures(lead) {
        out.report_year = caps
            .get(1)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
    }
    for caps in PLAN_YEAR.captures_iter(lead) {
        let year: i32 = caps
            .get(1)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
        let fits = match out.kind {
            PeriodKind::Year | PeriodKind::Unspecified => {
                out.report_year == 0 || year > out.report_year
            }
            _ => out.report_year == 0 || year >= out.report_year,
        };
        if fits {
            out.plan_year = year;
            break;
        }
    }
    if out.report_year == 0 && out.plan_year > 0 && out.kind == PeriodKind::Year {
        out.report_year = out.plan_year - 1;
    }
    if out.plan_year == 0 && out.report_year > 0 {
        out.plan_year = match out.kind {
            PeriodKind::Year | PeriodKind::MidTerm => out.report_year + 1,
            _ => out.report_year,
        };
    }
    out
}

/// Whether the lead reviews one year inside the term it names ("kết quả
/// thực hiện nhiệm vụ năm 2019, đánh giá 5 năm thực hiện Nghị quyết Đại hội
/// …, nhiệm kỳ 2015 - 2020"): a year's review that also looks back on the
/// term, not the term's own review.
fn a_year_within_the_term(lead: &str) -> bool {
    let year = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<i32>().ok());
    let Some(term) = TERM_CONGRESS.captures(lead) else {
        return false;
    };
    let (Some(start), Some(end)) = (
        year(term.get(1).or(term.get(3))),
        year(term.get(2).or(term.get(4))),
    ) else {
        return false;
    };
    REVIEW_YEAR
        .captures(lead)
        .and_then(|caps| year(caps.get(1)))
        .is_some_and(|reviewed| start < reviewed && reviewed < end)
}

/// The year of a date that has none, from the year under review: a year's
/// review meets from July on in that year or from January to March in the
/// next; a review of part of a year (a quarter, six or nine months, half a
/// term) meets within it.
pub(crate) fn infer_year(month: u32, report_year: i32, kind: PeriodKind) -> i32 {
    let whole_year = matches!(
        kind,
        PeriodKind::Year | PeriodKind::Term | PeriodKind::Unspecified
    );
    if month <= 3 && whole_year {
        report_year + 1
    } else {
        report_year
    }
}

static DOCUMENT_REFERENCE: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"(?:\bso\s*:?\s*\d+|\d+\s*[-–]?\s*[a-z]{1,5}\s*/\s*[a-z]{1,8})[^,;()]*$")
        .expect("document reference pattern")
});

/// The meeting's date and part of day: the first date of the lead that is
/// introduced as a day ("Ngày 20/12/2023", "Sáng ngày 29/12", "Hôm nay
/// (24/12/2021)", "Chiều 13/12").
/// `skip`: the folded range of an official report's own place-and-date line.
pub(crate) fn meeting(
    doc: &Doc<'_>,
    report_year: i32,
    skip: Option<Range<usize>>,
) -> (Option<DateMention>, PartOfDay, Option<String>) {
    let mut first_lead: Option<(DateMention, PartOfDay)> = None;
    for (index, sentence) in doc.sentences.iter().enumerate() {
        let range = doc.folded_range(sentence.clone());
        let folded = &doc.folded[range.clone()];
        for date in dates_in(folded, range.start) {
            if skip.as_ref().is_some_and(|s| s.contains(&date.range.start)) {
                continue;
            }
            let back_start = floor(
                &doc.folded,
                date.range.start.saturating_sub(32).max(range.start),
            );
            let back = doc.folded[back_start..date.range.start].trim_end();
            let back = back.trim_end_matches(['(', ',', ':']).trim_end();
            // "CHƯƠNG TRÌNH PHÁT THANH NGÀY 26/12/2024": the broadcast's day.
            let broadcast = back.contains("phat thanh") || back.contains("ban tin");
            if broadcast || DOCUMENT_REFERENCE.is_match(back) {
                // "Quyết định số 1234-QĐ/TU ngày 30/6/2025": a document's date.
                continue;
            }
            let part = part_of_day(back);
            let introduced = doc.folded[date.range.clone()].starts_with("ngay")
                || DAY_WORDS.iter().any(|w| back.ends_with(w))
                || part != PartOfDay::Unspecified;
            let recent_year = date
                .year
                .is_none_or(|y| report_year == 0 || (y - report_year).abs() <= 1);
            if introduced && recent_year {
                return (Some(date), part, None);
            }
            if index < 3 && first_lead.is_none() && recent_year && date.year.is_some() {
                first_lead = Some((date, part));
            }
        }
    }
    match first_lead {
        Some((date, part)) => (
            Some(date),
            part,
            Some("meeting date taken from the first full date of the lead".into()),
        ),
        None => (None, PartOfDay::Unspecified, None),
    }
}

fn part_of_day(back: &str) -> PartOfDay {
    let tail: String = back
        .chars()
        .rev()
        .take(16)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    if tail.contains("sang") {
        PartOfDay::Morning
    } else if tail.contains("chieu") || tail.contains("trua") {
        PartOfDay::Afternoon
    } else if tail.contains("toi") || tail.contains("dem") {
        PartOfDay::Evening
    } else {
        PartOfDay::Unspecified
    }
}

/// A byline's weekday, after the outlet's code or the author if any:
/// "Thứ hai", "SGGPO Thứ sáu", "(LĐ) - Thứ ba", "HOÀNG LIÊN | Thứ Sáu"
/// (folded). The chrome patterns use it too.
pub(crate) const BYLINE_WEEKDAY: &str =
    r"(?:[a-z .]{2,40}\|\s*|\(?[a-z]{2,8}\)?\s*-?\s*)?(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)";

static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:dang ngay|ngay dang|ngay cap nhat|cap nhat|xuat ban|thoi gian dang|ngay)\s*:?\s*|^{BYLINE_WEEKDAY}\s*[,-]?\s*(?:ngay\s*)?"))
        .expect("published pattern")
});

/// When a social-media post went up: "3 ngày · 🌏", "5 giờ trước", "22
/// tháng 12 lúc 19:30 · 🌏", "27 tháng 12, 2024 · 🌏", "Hôm qua lúc 20:15";
/// a date alone under a headline ("28 tháng 12, 2023") is no post's.
pub(crate) static POST_AGE: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"^(?:\d{1,2} ?(?:phut|gio|ngay|tuan|thang)(?: truoc)?\s*(?:·|$)|(?:\d{1,2} thang \d{1,2}(?:,? \d{4})?|hom qua|hom nay)(?: luc \d{1,2}:\d{2}\s*(?:·|$)|\s*·))")
        .expect("post age pattern")
});

/// The page's own publication date: a byline ("Đăng ngày 23 - 12 - 2023",
/// "Thứ hai - 22/05/2023 03:32", after an outlet's code or the author:
/// "SGGPO Thứ sáu, 05-07-2024 16:20", "HOÀNG LIÊN | Thứ Sáu, 29/12/2023")
/// in the first lines or a chrome line. A stamp that says what it dates
/// ("Cập nhật: 18:30, 29/12/2025") beats a weekday's date above it, which
/// may be the site's date bar ("Thứ Ba, 30/12/2025 | Hotline …").
pub(crate) fn published(doc: &Doc<'_>) -> Option<DateMention> {
    const STAMPS: &[&str] = &[
        "dang ngay",
        "ngay dang",
        "ngay cap nhat",
        "cap nhat",
        "xuat ban",
        "thoi gian dang",
    ];
    let mut weekday = None;
    for (index, line) in doc.lines.iter().enumerate() {
        let range = doc.folded_range(line.range.clone());
        let folded = doc.folded[range.clone()].trim();
        if folded.is_empty() || folded.len() > 80 {
            continue;
        }
        let byline = PUBLISHED
            .find(folded)
            .is_some_and(|m| !m.as_str().trim().is_empty() && !folded.starts_with("ngay "))
            || folded.starts_with("dang ngay")
            || folded.starts_with("ngay dang")
            // "CHƯƠNG TRÌNH PHÁT THANH NGÀY 28/12/2023": a broadcast's day.
            || (index < 8 && folded.starts_with("chuong trinh phat thanh"))
            || (index < 8 && line.chrome)
            // "27 tháng 12, 2024 · 🌏" under a page's name.
            || (index < 4 && POST_AGE.is_match(folded));
        if !byline || line.range.start >= doc.body_end {
            continue;
        }
        let offset = range.start
            + (doc.folded[range.clone()].len() - doc.folded[range.clone()].trim_start().len());
        if let Some(date) = dates_in(folded, offset)
            .into_iter()
            .find(|d| d.year.is_some())
        {
            if STAMPS.iter().any(|s| folded.starts_with(s)) || POST_AGE.is_match(folded) {
                return Some(date);
            }
            weekday.get_or_insert(date);
        }
    }
    weekday
}

static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // The number may share the line: "Số 15-BC/CB Tam Đảo, ngày 16 …".
    Regex::new(
        r"^(?:so\s*:?\s*\d[^\s]*\s+)?[a-z][a-z0-9 .]{1,40}, ngay \d{1,2} thang \d{1,2} nam \d{4}",
    )
    .expect("place-date pattern")
});

/// An official report's own date: the place-and-date line ("Sơn Liên, ngày
/// 20 tháng 12 năm 2023") near the top.
pub(crate) fn document_date(doc: &Doc<'_>) -> Option<(DateMention, Range<usize>)> {
    for line in doc.lines.iter().take(40) {
        // "*\t\tXuân Ninh, ngày 15 tháng 12 năm 2023": the line may sit in
        // the right-hand column, beside the header's star.
        let column = super::doc::last_column(doc.text, line.range.clone());
        let columns = (column != line.range).then_some(column);
        for whole in std::iter::once(line.range.clone()).chain(columns) {
            let range = doc.folded_range(whole);
            let raw = &doc.folded[range.clone()];
            let folded = raw.trim();
            let offset = range.start + (raw.len() - raw.trim_start().len());
            if PLACE_DATE.is_match(folded)
                && let Some(date) = dates_in(folded, offset).into_iter().next()
            {
                return Some((date, line.range.clone()));
            }
        }
    }
    None
}

static SESSION: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"\bhoi nghi\b[^.;]{0,60}?\blan thu\s+(\d{1,2}|[ivxl]+\b|[a-z]+(?:\s+[a-z]+){0,2})",
    )
    .expect("session pattern")
});

/// "Hội nghị lần thứ bảy" → 7, "Hội nghị BCH lần thứ 15" → 15, also when a
/// hard line break falls inside ("lần thứ\nhai mươi" → 20).
pub(crate) fn session_number(folded: &str) -> i32 {
    SESSION
        .captures(folded)
        .and_then(|c| c.get(1))
        .and_then(|m| ordinal(&m.as_str().split_whitespace().collect::<Vec<_>>().join(" ")))
        .unwrap_or(0)
}

/// A number written in digits, Roman numerals or Vietnamese words.
pub(crate) fn ordinal(s: &str) -> Option<i32> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i32>() {
        return Some(n);
    }
    if !s.is_empty() && s.chars().all(|c| "ivxl".contains(c)) {
        return roman(s);
    }
    let unit = |w: &str| -> Option<i32> {
        Some(match w {
            "nhat" | "mot" | "mốt" => 1,
            "hai" => 2,
            "ba" => 3,
            "tu" | "bon" => 4,
            "nam" | "lam" => 5,
            "sau" => 6,
            "bay" => 7,
            "tam" => 8,
            "chin" => 9,
            _ => return None,
        })
    };
    let words: Vec<&str> = s.split(' ').collect();
    match words.as_slice() {
        ["muoi", rest @ ..] => Some(10 + rest.first().and_then(|w| unit(w)).unwrap_or(0)),
        [tens, "muoi", rest @ ..] => {
            Some(unit(tens)? * 10 + rest.first().and_then(|w| unit(w)).unwrap_or(0))
        }
        [one, ..] => unit(one),
        [] => None,
    }
}

pub(crate) fn roman(s: &str) -> Option<i32> {
    let mut total = 0;
    let mut previous = 0;
    for c in s.chars().rev() {
        let v = match c.to_ascii_lowercase() {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            'l' => 50,
            'c' => 100,
            _ => return None,
        };
        if v < previous {
            total -= v
        } else {
            total += v;
            previous = v
        }
    }
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn one(text: &str) -> (u32, u32, Option<i32>) {
        let folded = fold(text);
        let d = dates_in(&folded, 0).into_iter().next().expect("a date");
        (d.day, d.month, d.year)
    }

    #[test]
    fn every_written_form_of_a_date() {
        assert_eq!(one("Ngày 20/12/2023, Đảng bộ"), (20, 12, Some(2023)));
        assert_eq!(one("Sáng ngày 29/12, Đảng bộ"), (29, 12, None));
        assert_eq!(
            one("Sơn Liên, ngày 20 tháng 12 năm 2023"),
            (20, 12, Some(2023))
        );
        assert_eq!(one("ngày 03 tháng tư năm 2018"), (3, 4, Some(2018)));
        assert_eq!(one("ngày 16-04-2021"), (16, 4, Some(2021)));
        assert_eq!(one("ngày 31.10.2023"), (31, 10, Some(2023)));
        assert_eq!(one("Đăng ngày 23 - 12 - 2023"), (23, 12, Some(2023)));
        assert_eq!(one("Thứ hai - 22/05/2023 03:32"), (22, 5, Some(2023)));
        // A time run into the date: "15 - 03/01" is no date, "03/01/2024" is.
        assert_eq!(one("Cập nhật lúc: 10:15 - 03/01/2024"), (3, 1, Some(2024)));
        assert_eq!(one("08:05 - 22/12/2023"), (22, 12, Some(2023)));
        assert_eq!(one("Sáng 8-10, Đảng ủy phường"), (8, 10, None));
        assert_eq!(one("chiều ngày 20.12, tại hội trường"), (20, 12, None));
        assert!(dates_in(&fold("giảm 8-10 con"), 0).is_empty());
    }

    #[test]
    fn pairs_and_decimals_are_not_dates() {
        assert!(dates_in(&fold("171/416 hộ và 94.32%"), 0).is_empty());
        assert!(dates_in(&fold("đạt 16/19 tiêu chí"), 0).is_empty());
    }

    #[test]
    fn a_year_is_inferred_from_the_year_under_review() {
        assert_eq!(infer_year(12, 2023, PeriodKind::Year), 2023);
        assert_eq!(infer_year(1, 2023, PeriodKind::Year), 2024);
        assert_eq!(infer_year(3, 2024, PeriodKind::Quarter), 2024);
    }

    #[test]
    fn ordinals_in_words_digits_and_roman() {
        assert_eq!(ordinal("bay"), Some(7));
        assert_eq!(ordinal("muoi lam"), Some(15));
        assert_eq!(ordinal("hai muoi mot"), Some(21));
        assert_eq!(session_number("hoi nghi lan thu\nhai muoi (mo rong)"), 20);
        assert_eq!(
            session_number("hoi nghi ban chap hanh lan thu  15 tong ket"),
            15
        );
        assert_eq!(ordinal("xv"), Some(15));
        assert_eq!(ordinal("7"), Some(7));
    }

    #[test]
    fn period_kinds_and_years() {
        let p = period(&fold(
            "Hội nghị tổng kết công tác Đảng năm 2023 và phương hướng nhiệm vụ năm 2024",
        ));
        assert_eq!(
            (p.kind, p.report_year, p.plan_year),
            (PeriodKind::Year, 2023, 2024)
        );
        let p = period(&fold(
            "Hội nghị sơ kết 6 tháng đầu năm 2024, nhiệm vụ 6 tháng cuối năm 2024",
        ));
        assert_eq!(
            (p.kind, p.report_year, p.plan_year),
            (PeriodKind::HalfYear, 2024, 2024)
        );
        let p = period(&fold(
            "Hội nghị sơ kết giữa nhiệm kỳ thực hiện Nghị quyết, năm 2023",
        ));
        assert_eq!(p.kind, PeriodKind::MidTerm);
        let p = period(&fold(
            "Đại hội đại biểu Đảng bộ xã Hòa Bình lần thứ XV, nhiệm kỳ 2025 - 2030",
        ));
        assert_eq!((p.kind, p.report_year), (PeriodKind::Term, 2025));
        // A year's review that also looks back on the term it ends.
        let p = period(&fold(
            "BÁO CÁO kết quả thực hiện nhiệm vụ năm 2019, đánh giá 5 năm thực hiện Nghị quyết \
             Đại hội Đảng bộ xã lần thứ XXIII, nhiệm kỳ 2015 - 2020; phương hướng, nhiệm vụ năm 2020",
        ));
        assert_eq!(
            (p.kind, p.report_year, p.plan_year),
            (PeriodKind::Year, 2019, 2020)
        );
    }
}
