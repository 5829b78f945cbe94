//! The parser: a normalised text in, a [`ParsedReport`] out.
//!
//! **Invariant:** parsing is pure and total. It does no I/O, never fails and
//! never panics; what it is unsure of goes into `warnings`. Nothing here
//! imports tonic, prost, tokio or sled. Data files (the indicator catalogue
//! and the gazetteer) are compiled in, and every automaton is built once.
//!
//! # Layout
//! - [`doc`]: the folded view of the text, its lines and sentences;
//!   [`chrome`] marks the page chrome they must not be read from.
//! - [`numbers`], [`dates`]: the value grammar; [`spelled`] turns counts
//!   written in words into digits first.
//! - [`org`] with [`gazetteer`]; [`people`]; [`indicators`] with
//!   [`catalogue`]; [`ratings`]; [`sections`]; [`kind`].
//! - [`pattern`]: the word-boundary regexes the rules match with, kept on
//!   the regex crate's fast engines.

mod catalogue;
mod chrome;
mod dates;
mod doc;
mod gazetteer;
mod indicators;
mod kind;
mod numbers;
mod org;
mod pattern;
mod people;
mod ratings;
mod sections;
mod spelled;
mod summary;
mod tables;

use std::ops::Range;
use std::sync::LazyLock;

use crate::model::{Meeting, ParsedReport, PeriodKind, ReportKind};
use crate::text::{Normalized, ends_with_word, is_alphabetic, is_alphanumeric};

use doc::{Doc, trim_range};
use pattern::WordRegex;

/// Recorded with every stored report; bump it when extraction changes.
pub const PARSER_VERSION: &str = "0.3.52";

/// Extracts every field of the contract that the text states.
pub fn parse(text: &Normalized) -> ParsedReport {
    let spelled = spelled::Spelled::new(text.as_str());
    let mut report = read(&spelled.text);
    if matches!(spelled.text, std::borrow::Cow::Owned(_)) {
        let people_titles = report.people.iter_mut().flat_map(|p| p.titles.iter_mut());
        let names = report
            .indicators
            .iter_mut()
            .chain(report.targets.iter_mut())
            .map(|i| &mut i.name);
        for s in std::iter::once(&mut report.title)
            .chain(report.limitations.iter_mut())
            .chain(report.directions.iter_mut())
            .chain(people_titles)
            .chain(names)
        {
            spelled.restore(s);
        }
    }
    one_line_each(&mut report);
    report
}

/// Every field, read from a text whose spelled counts are digits.
fn read(text: &str) -> ParsedReport {
    let doc = Doc::new(text);
    let mut report = ParsedReport::default();
    let head = head(&doc);
    report.title = head.title.clone();

    let mut lead = crate::text::fold(&report.title);
    // A web page's lead is what follows its headline, not the site's name
    // and menus above it; a document's header lines belong to its lead.
    let lead_start = match &head.title_range {
        Some(title) if head.header.is_empty() => title.end,
        _ => 0,
    };
    // A page's sentences, not the widgets between ("🔊 Nghe bài viết", "Cỡ
    // chữ A- A+").
    let prose = |s: &&Range<usize>| {
        !head.header.is_empty() || doc.text[(*s).clone()].split_whitespace().count() >= 6
    };
    for sentence in doc
        .sentences
        .iter()
        .filter(|s| s.end > lead_start)
        .filter(prose)
        .take(3)
    {
        lead.push(' ');
        lead.push_str(doc.folded_of(sentence.clone()));
    }
    let period = dates::period(&lead);
    report.period_kind = period.kind;
    report.report_year = period.report_year;
    report.plan_year = period.plan_year;

    let number = kind::document_number(&doc);
    if let Some((number, _)) = &number {
        report.document_number = number.clone();
    }
    let document_date = dates::document_date(&doc);
    if let Some((date, _)) = &document_date {
        report.document_date = date.iso(date.year.unwrap_or_default());
    }

    let document_line = document_date
        .as_ref()
        .map(|(_, line)| doc.folded_range(line.clone()));
    let (meeting_date, part_of_day, meeting_warning) =
        dates::meeting(&doc, report.report_year, document_line);
    report.warnings.extend(meeting_warning);
    if report.report_year == 0 {
        // No "tổng kết … năm N": a December meeting reviews its own year.
        let anchor = meeting_date
            .as_ref()
            .and_then(|d| d.year.map(|y| (d.month, y)))
            .or_else(|| {
                document_date
                    .as_ref()
                    .and_then(|(d, _)| d.year.map(|y| (d.month, y)))
            });
        if let Some((month, year)) = anchor {
            report.report_year = if month >= 7 { year } else { year - 1 };
            report.warnings.push(format!(
                "year under review not named; took {} from the date",
                report.report_year
            ));
            if report.plan_year == 0 && report.period_kind == PeriodKind::Year {
                report.plan_year = report.report_year + 1;
            }
        }
    }
    let published = dates::published(&doc);
    let mut meeting = Meeting {
        part_of_day,
        session_number: session_number(&doc, &head, &lead),
        ..Default::default()
    };
    if let Some(date) = meeting_date {
        let year = match date.year {
            Some(year) => year,
            None if report.report_year > 0 => {
                let year = dates::infer_year(date.month, report.report_year, report.period_kind);
                report.warnings.push(format!(
                    "the meeting date gives no year; {year} inferred from the year under review ({})",
                    report.report_year
                ));
                year
            }
            None => match published
                .as_ref()
                .and_then(|p| p.year.map(|y| (p.month, y)))
            {
                // Published in January about "Chiều 29/12": the year before.
                Some((month, year)) => year - i32::from(date.month > month),
                None => 0,
            },
        };
        if year > 0 {
            meeting.date = date.iso(year);
        }
    }
    report.meeting = meeting;
    if let Some(published) = published {
        report.published_on = published.iso(published.year.unwrap_or_default());
    }

    let dated = [
        &report.meeting.date,
        &report.document_date,
        &report.published_on,
    ]
    .into_iter()
    .find(|d| !d.is_empty())
    .map(|d| d.as_str() >= "2025-07-01");
    let era_new = dated.unwrap_or(
        report.report_year >= 2026
            || report.report_year == 2025 && report.period_kind == PeriodKind::Year,
    );
    let found = org::find(
        &doc,
        head.title_range.clone(),
        &head.header,
        era_new,
        report.report_year,
    );
    report.organization = found.organization;
    report.warnings.extend(found.warnings);

    let lead_names = org::lead_unit_names(&doc, head.title_range.clone());
    let (kind, why) = kind::decide(
        &doc,
        &lead,
        &report.title,
        number.as_ref().map(|(_, t)| t.as_str()),
        kind::distinct(&lead_names),
    );
    report.kind = kind;
    if let Some(why) = why {
        report
            .warnings
            .push(format!("not counted as a year-end report: {why}"));
    }
    if kind == ReportKind::OfficialReport && report.title.is_empty() {
        report
            .warnings
            .push("official report without a title line".into());
    }

    report.people = people::find(&doc);
    let target_ranges = sections::target_ranges(&doc, report.plan_year, head.title_range.as_ref());
    // Read once: indicators and rating counts both come from the tables.
    let tables = tables::all(&doc);
    let context = indicators::Context {
        report_year: report.report_year,
        plan_year: report.plan_year,
        target_ranges: &target_ranges,
        tables: &tables,
    };
    let found = indicators::find(&doc, &context);
    report.indicators = found.indicators;
    report.targets = found.targets;
    report.warnings.extend(found.warnings);
    if let Some(title) = &head.title_range {
        drop_headline_repeats(&mut report.indicators, title);
    }
    indicators::merge_repeats(doc.text, &mut report.indicators);
    indicators::merge_repeats(doc.text, &mut report.targets);

    report.rating = ratings::organization_rating(&doc, report.report_year);
    let (cells, members) = ratings::counts(&doc, &tables);
    report.cell_ratings = cells;
    report.member_ratings = members;
    report.awards = ratings::awards(&doc);
    report.target_summary = summary::target_summary(&doc);
    report.limitations = sections::limitations(&doc);
    report.directions = sections::directions(&doc, &target_ranges, report.report_year);
    if kind == ReportKind::NotAReport {
        // Not a review: its numbers must never feed indicator statistics.
        report.indicators.clear();
        report.targets.clear();
        report.rating = Default::default();
        report.cell_ratings = Default::default();
        report.member_ratings = Default::default();
        report.awards = Default::default();
        report.target_summary = Default::default();
        report.limitations.clear();
        report.directions.clear();
    }
    if report.organization.name.is_empty() && kind != ReportKind::NotAReport {
        report
            .warnings
            .push("the organisation could not be identified".into());
    }
    report
}

/// Words read out of a sentence that goes on across lines keep its line
/// breaks ("Phó\nChủ tịch UBND huyện"); every extracted phrase is one line
/// with single spaces.
fn one_line_each(report: &mut ParsedReport) {
    fn tidy(s: &mut String) {
        if s.contains(['\n', '\t', '\r']) || s.contains("  ") {
            *s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    tidy(&mut report.title);
    tidy(&mut report.rating.rated_by);
    for person in &mut report.people {
        tidy(&mut person.name);
        person.titles.iter_mut().for_each(tidy);
    }
    for indicator in report.indicators.iter_mut().chain(&mut report.targets) {
        tidy(&mut indicator.name);
        tidy(&mut indicator.unit);
    }
    report.limitations.iter_mut().for_each(tidy);
    report.directions.iter_mut().for_each(tidy);
}

/// The top of the text: header lines naming the issuing committee and its
/// superior, and the title (a headline, or "BÁO CÁO" and its summary line).
struct Head {
    header: Vec<Range<usize>>,
    title: String,
    title_range: Option<Range<usize>>,
}

/// Whether a folded line opens on a section number: "I. …", "2) …", "III- …",
/// "Phần I. …", "PHẦN THỨ NHẤT".
fn numbered_heading(folded: &str) -> bool {
    if let Some(part) = folded.strip_prefix("phan ") {
        let number = part.split([' ', '.', ':', '-', ')']).next().unwrap_or("");
        return number == "thu"
            || !number.is_empty()
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, 'i' | 'v' | 'x'));
    }
    let rest = folded.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.len() == folded.len() {
        folded.trim_start_matches(['i', 'v', 'x', 'l'])
    } else {
        rest
    };
    rest.len() < folded.len()
        && rest
            .strip_prefix(['.', ')', '-'])
            .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_digit()))
}

fn head(doc: &Doc<'_>) -> Head {
    const HEADER_WORDS: &[&str] = &[
        "dang bo",
        "dang uy",
        "huyen uy",
        "tinh uy",
        "thanh uy",
        "quan uy",
        "thi uy",
        "chi bo",
        "ban chap hanh",
        "ban thuong vu",
        "dang cong san",
    ];
    let mut header = Vec::new();
    // The index of the line that last gave the header a line.
    let mut issuing_at = None;
    let mut title = String::new();
    let mut title_range = None;
    let lines: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.range.start < doc.body_end)
        .take(40)
        .collect();
    // A site's name above its menu or breadcrumb ("BỘ CHỈ HUY QUÂN SỰ TỈNH
    // …" over "Trang chủ | Giới thiệu | …"), or a page's name above its
    // post's age ("2 ngày · 🌏"), is no headline: on a web page the headline
    // comes after them.
    let navigation_end = lines
        .iter()
        .take(12)
        .rposition(|l| {
            let range = trim_range(doc.text, l.range.clone());
            menu_line(&doc.text[range.clone()]) || dates::POST_AGE.is_match(doc.folded_of(range))
        })
        .map_or(0, |at| at + 1);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let range = without_marks(doc.text, trim_range(doc.text, line.range.clone()));
        let text = &doc.text[range.clone()];
        if text.is_empty() || line.chrome {
            continue;
        }
        let folded = doc.folded_of(range.clone()).to_string();
        let letters: Vec<char> = text.chars().filter(|&c| is_alphabetic(c)).collect();
        let capitals = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
        // "ĐẢNG ỦY XÃ PHÚ LỘC TỔNG KẾT CÔNG TÁC NĂM 2023" is a headline in
        // capitals, not the issuing committee's header line.
        let spaced = format!("{folded} ");
        let headline = [
            " tong ket ",
            " so ket ",
            " to chuc ",
            " hoi nghi ",
            " trien khai ",
        ]
        .iter()
        .any(|w| spaced.contains(w));
        // "HUYỆN ỦY QUỲNH NHAI - TRANG THÔNG TIN ĐIỆN TỬ": the committee's
        // website, not its document's header.
        let website = [
            "trang thong tin",
            "cong thong tin",
            "trang tin dien tu",
            "dien tu",
        ]
        .iter()
        .any(|w| spaced.contains(w));
        if capitals
            && !headline
            && !website
            && HEADER_WORDS
                .iter()
                .any(|w| folded.starts_with(w) || folded.contains(&format!(", {w}")))
        {
            header.push(range);
            issuing_at = Some(i - 1);
            continue;
        }
        // "ĐẢNG ỦY CÔNG TY CỔ PHẦN / VẬT LIỆU XÂY DỰNG SÔNG MÃ": a committee's
        // long name goes on to the next line in capitals.
        if capitals
            && !headline
            && !website
            && issuing_at.is_some_and(|at| at + 2 == i)
            && !report_line(&folded, text, capitals)
            && !text.contains(|c: char| c.is_ascii_digit() || c == '\t')
            && text.split_whitespace().count() <= 8
            && let Some(last) = header.last_mut()
            && ["dang uy ", "dang bo ", "chi bo "]
                .iter()
                .any(|w| doc.folded_of(last.clone()).starts_with(w))
        {
            last.end = range.end;
            issuing_at = None;
            continue;
        }
        if text.chars().all(|c| !is_alphanumeric(c))
            || folded.starts_with("so") && folded.contains('/') && text.len() < 60
        {
            continue;
        }
        if folded.contains(", ngay ") && folded.contains(" thang ") && text.len() < 80 {
            continue;
        }
        if report_line(&folded, text, capitals) {
            let (written, range, _) = report_title(doc, &lines, i - 1);
            (title, title_range) = (written, Some(range));
            break;
        }
        if title_range.is_none()
            && i < 12
            && (i <= navigation_end || menu_line(text) || masthead(&folded, capitals))
        {
            // "SGGP Online > Chính trị > Xây dựng Đảng", "Chính trị | Kinh
            // tế | Xã hội", "BÁO LAI CHÂU ĐIỆN TỬ": the site, not the headline.
            continue;
        }
        let words = text
            .split_whitespace()
            .filter(|w| w.chars().any(is_alphabetic))
            .count();
        if words < 5 && title_range.is_none() && i < 12 {
            // Menu items above the headline ("Trang chủ", "Giới thiệu").
            continue;
        }
        if text.chars().count() <= 300 && !starts_with_time(&folded) {
            let range = if header.is_empty() {
                let (range, next) = headline_goes_on(doc, &lines, range, i);
                i = next;
                range
            } else {
                range
            };
            let text = &doc.text[range.clone()];
            title = text.to_string();
            title_range = Some(range.clone());
            let later = (i..lines.len().min(i + 30)).filter(|&at| !lines[at].chrome);
            let folded_at = |at: usize| {
                let range = trim_range(doc.text, lines[at].range.clone());
                let written = &doc.text[range.clone()];
                let capitals =
                    written.chars().any(is_alphabetic) && !written.chars().any(char::is_lowercase);
                (doc.folded_of(range), written, capitals)
            };
            if !header.is_empty() {
                // A congress document's banner ("ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ XÃ
                // … / LẦN THỨ I, NHIỆM KỲ 2025 - 2030") stands above its
                // "BÁO CÁO CHÍNH TRỊ": the report's title is the latter.
                // Another document ("KẾ HOẠCH …") keeps its own title.
                if folded.starts_with("dai hoi")
                    && let Some(at) = later.clone().find(|&at| {
                        let (folded, written, capitals) = folded_at(at);
                        report_line(folded, written, capitals)
                    })
                {
                    let (written, range, _) = report_title(doc, &lines, at);
                    (title, title_range) = (written, Some(range));
                }
            } else if !names_review(&folded) {
                // A section's label ("Chính trị - Xây dựng Đảng") gives way
                // to the headline under it that names a Party unit, even
                // without naming the review ("Đảng bộ thị trấn … đạt và vượt
                // 15/16 chỉ tiêu năm 2023"), or the review without the unit
                // ("Đàm Thủy: Tổng kết công tác xây dựng Đảng năm 2024").
                let label = words <= 6 && !names_party(&folded);
                // "CHƯƠNG TRÌNH PHÁT THANH NGÀY 20/12/2024", "Chuyên mục:
                // Xây dựng Đảng": a line of the page above the headline,
                // which names the Party unit and its review. The headline
                // comes before the article's first paragraph; a caption
                // after it is no headline.
                if let Some(at) = later
                    .take(10)
                    .take_while(|&at| {
                        let (folded, written, _) = folded_at(at);
                        let length = written.chars().count();
                        // A broadcast's greeting and announcement ("Thưa bà
                        // con!", "Sau đây là Bản tin thời sự …") come before
                        // its first item's headline.
                        let announcement = ["thua ", "kinh thua ", "sau day la "]
                            .iter()
                            .any(|w| folded.starts_with(w));
                        announcement || length <= 200 && !(length >= 60 && written.ends_with('.'))
                    })
                    .find(|&at| {
                        let (folded, written, _) = folded_at(at);
                        !written.ends_with(['.', ':', ';'])
                            && !starts_with_time(folded)
                            && (names_a_review(folded)
                                || label && (names_party(folded) || names_review(folded)))
                    })
                {
                    let (mut range, _) = headline_goes_on(
                        doc,
                        &lines,
                        without_marks(doc.text, trim_range(doc.text, lines[at].range.clone())),
                        at + 1,
                    );
                    // "TIN THỨ NHẤT: ĐẢNG ỦY XÃ … TỔNG KẾT …": the item's
                    // number is no part of its headline.
                    if let Some(label) = ITEM_LABEL.find(doc.folded_of(range.clone())) {
                        let folded_start = doc.folded_range(range.clone()).start;
                        range.start = doc
                            .text_range(folded_start + label.end()..folded_start + label.end())
                            .start;
                    }
                    title = doc.text[range.clone()].to_string();
                    title_range = Some(range);
                }
            }
        }
        break;
    }
    Head {
        header,
        title,
        title_range,
    }
}

/// A line without the pictographs and bullets a post decks it with ("📌
/// TỔNG KẾT …", "🇻🇳🇻🇳 Sáng nay 27/12, …", "• Đảng bộ …", "… NĂM 2025
/// 🔴🔴").
fn without_marks(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let mark = |c: char| c.is_whitespace() || crate::text::is_mark(c);
    let rest = slice.trim_start_matches(mark);
    let start = range.start + (slice.len() - rest.len());
    start..start + rest.trim_end_matches(mark).len()
}

/// "… tổng kết công tác năm / 2023": a headline broken by a hard line break
/// goes on at line `next` in lower case, or with the year it names. The
/// headline's range and the index of the line after it.
fn headline_goes_on(
    doc: &Doc<'_>,
    lines: &[&doc::Line],
    range: Range<usize>,
    next: usize,
) -> (Range<usize>, usize) {
    if let Some(line) = lines.get(next) {
        let next_range = trim_range(doc.text, line.range.clone());
        let next_text = &doc.text[next_range.clone()];
        let goes_on = next_text.starts_with(char::is_lowercase)
            || ends_with_word(doc.folded_of(range.clone()), "nam")
                && YEAR_START.is_match(doc.folded_of(next_range.clone()));
        if goes_on && next_text.split_whitespace().count() <= 12 {
            return (range.start..next_range.end, next + 1);
        }
    }
    (range, next)
}

/// A line that opens on a year and ends there or goes on: "2023", "2023,
/// triển khai …".
static YEAR_START: LazyLock<WordRegex> =
    LazyLock::new(|| WordRegex::new(r"^\d{4}\b").expect("year start pattern"));

/// A broadcast item's number before its headline: "TIN THỨ NHẤT:", "Tin 2:".
static ITEM_LABEL: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"^(?:ban )?tin (?:thu [a-z]+|so \d+|\d+)\s*:\s*").expect("item label pattern")
});

/// A headline's figure that the body gives again ("…, thu ngân sách đạt
/// 128,6% dự toán" over "Thu ngân sách trên địa bàn 36,154 tỷ đồng, đạt
/// 128,6% dự toán") is one fact: the body's, which says more.
fn drop_headline_repeats(indicators: &mut Vec<crate::model::Indicator>, title: &Range<usize>) {
    let in_title =
        |i: &crate::model::Indicator| title.contains(&(i.span.start as usize)) && !i.key.is_empty();
    let agrees = |a: Option<f64>, b: Option<f64>| a.is_none() || a == b;
    let repeats: Vec<bool> = indicators
        .iter()
        .map(|h| {
            in_title(h)
                && indicators.iter().any(|b| {
                    !in_title(b)
                        && b.key == h.key
                        && agrees(h.value, b.value)
                        && agrees(h.percent, b.percent)
                        && agrees(h.percent_of_plan, b.percent_of_plan)
                        && agrees(h.change_percent, b.change_percent)
                })
        })
        .collect();
    let mut at = 0;
    indicators.retain(|_| {
        at += 1;
        !repeats[at - 1]
    });
}

/// Whether a line opens an official report's title: "BÁO CÁO", "BÁO CÁO
/// CHÍNH TRỊ".
fn report_line(folded: &str, written: &str, capitals: bool) -> bool {
    // "BÁO CAO BẰNG ĐIỆN TỬ" is a newspaper's name: the tone marks tell.
    let written_so = written
        .split_whitespace()
        .take(2)
        .map(str::to_lowercase)
        .eq(["báo", "cáo"]);
    // Past "báo cáo", a subject on the same line asks for capitals.
    written_so && (folded == "bao cao" || capitals)
}

/// "BÁO CÁO" (or "BÁO CÁO CHÍNH TRỊ" and the like) at `at` with the subject
/// lines under it, as one title; and the index of the line after them.
fn report_title(doc: &Doc<'_>, lines: &[&doc::Line], at: usize) -> (String, Range<usize>, usize) {
    let first = trim_range(doc.text, lines[at].range.clone());
    let mut parts = vec![&doc.text[first.clone()]];
    let mut end = first.end;
    let mut i = at + 1;
    while i < lines.len() && parts.len() < 4 {
        let next = trim_range(doc.text, lines[i].range.clone());
        let next_text = &doc.text[next.clone()];
        // The summary ends at a blank line, a rule, the first numbered
        // section ("I. KẾT QUẢ …"), a table row or a note in brackets
        // ("(Tài liệu trình Đại hội)").
        if next_text.is_empty()
            || next_text.starts_with('(') && next_text.ends_with(')')
            || next_text.chars().all(|c| !is_alphanumeric(c))
            || numbered_heading(doc.folded_of(next.clone()))
            || tables::separator_of(next_text).is_some()
        {
            break;
        }
        parts.push(next_text);
        end = next.end;
        i += 1;
    }
    // "BÁO CÁO" names the kind of document; the title is the subject
    // after it ("Tổng kết công tác xây dựng Đảng năm 2023 …"). A kind with
    // a name of its own ("BÁO CÁO CHÍNH TRỊ") is kept whole.
    let subject = parts[0]
        .split_once(char::is_whitespace)
        .map(|(_, rest)| rest.trim_start())
        .and_then(|rest| rest.split_once(char::is_whitespace).map(|(_, r)| r))
        .unwrap_or("")
        .trim_start();
    let own_name = ["chinh tri", "tom tat"]
        .iter()
        .any(|w| crate::text::fold(subject).starts_with(w));
    if !subject.is_empty() && !own_name {
        parts[0] = subject;
    } else if subject.is_empty() && parts.len() > 1 {
        parts.remove(0);
    }
    (parts.join(" "), first.start..end, i)
}

/// Whether a headline names a Party unit's review: "Đảng bộ xã Thanh Chăn
/// tổng kết công tác xây dựng Đảng năm 2024".
fn names_a_review(folded: &str) -> bool {
    names_party(folded) && names_review(folded)
}

/// Whether a line names a Party unit: "Đảng bộ xã …", "Huyện ủy …".
fn names_party(folded: &str) -> bool {
    [
        "dang bo", "dang uy", "huyen uy", "tinh uy", "thanh uy", "quan uy", "thi uy",
    ]
    .iter()
    .any(|w| folded.contains(w))
}

/// Whether a line names a review ("tổng kết", "sơ kết") or a term.
pub(super) fn names_review(folded: &str) -> bool {
    let padded = format!(" {folded}");
    [" tong ket", " so ket", " nhiem ky"]
        .iter()
        .any(|w| padded.contains(w))
}

/// The session of the meeting, from the lead; in a document, whose lead is
/// spent on its header lines, also from the preamble after the title
/// ("Ban Thường vụ báo cáo Hội nghị lần thứ mười bốn Ban Chấp hành …").
fn session_number(doc: &Doc<'_>, head: &Head, lead: &str) -> i32 {
    let number = dates::session_number(lead);
    match &head.title_range {
        Some(title) if number == 0 && !head.header.is_empty() => doc
            .sentences
            .iter()
            .filter(|s| s.start >= title.end)
            .take(2)
            .map(|s| dates::session_number(doc.folded_of(s.clone())))
            .find(|&n| n > 0)
            .unwrap_or(0),
        _ => number,
    }
}

/// A breadcrumb or a menu: short items without digits split by '>', '»' or
/// '›' ("Chính trị › Xây dựng Đảng"), three or more split by '|' or '/'
/// ("Trang chủ / Tin tức - Sự kiện / Hoạt động") or two on a short line
/// ("Chính trị | Xây dựng Đảng"), or four or more set apart
/// by runs of spaces ("Thời sự  Kinh tế  Xã hội  Video").
fn menu_line(text: &str) -> bool {
    let text = text.trim();
    // A paragraph is no menu: each item has at most six words.
    if text.len() > 400 || text.ends_with(['.', '!', '?']) {
        return false;
    }
    let lower = text.to_lowercase();
    const ARTICLE_TOOLS: &[&str] = &[
        "chia sẻ",
        "facebook",
        "zalo",
        "twitter",
        "cỡ chữ",
        "in trang",
        "in bài",
        "bản in",
        "gửi email",
        "gửi bài",
        "lưu tin",
        "lưu bài",
        "nghe đọc",
        "đọc bài",
        "phóng to",
        "thu nhỏ",
    ];
    if ARTICLE_TOOLS.iter().any(|w| lower.contains(w)) {
        // A share bar ("Chia sẻ: Facebook | Zalo | Sao chép liên kết") or
        // an article's tools ("Cỡ chữ: A- A A+ | In trang | Gửi email")
        // stand under the headline, not above it.
        return false;
    }
    let spaced = !text.contains(['>', '»', '|', '/', '›']) && text.contains("  ");
    let items: Vec<&str> = if spaced {
        // Items set apart by runs of spaces: "Thời sự  Kinh tế  Xã hội  …".
        text.split("  ")
            .filter(|item| !item.trim().is_empty())
            .collect()
    } else {
        text.split(['>', '»', '|', '/', '›']).collect()
    };
    // "Tin tức - Sự kiện / Tin phường": a path with spaced slashes.
    let breadcrumb = text.contains(['>', '»', '›']) || text.contains(" / ");
    let least = match (breadcrumb, spaced) {
        (true, _) => 2,
        (false, true) => 4,
        // "Chính trị  |  Xây dựng Đảng": a short bar-split pair.
        (false, false) if text.contains('|') && text.chars().count() < 60 => 2,
        (false, false) => 3,
    };
    // Figures belong to text, not menus; a long menu may name one item with
    // a figure ("Gia Lai 48h").
    let with_figures = items
        .iter()
        .filter(|item| item.chars().any(|c| c.is_ascii_digit()))
        .count();
    items.len() >= least
        && (!spaced || !text.contains([',', ';', ':']))
        && (with_figures == 0 || items.len() >= 5 && with_figures == 1)
        && items
            .iter()
            .all(|item| (1..=6).contains(&item.split_whitespace().count()))
}

/// A newspaper's or portal's name over the page: "BÁO LAI CHÂU ĐIỆN TỬ",
/// "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN CHÂU THÀNH", "Tạp chí Xây dựng Đảng".
fn masthead(folded: &str, capitals: bool) -> bool {
    const OUTLETS: &[&str] = &[
        "cong thong tin",
        "trang thong tin",
        "trang tin dien tu",
        "tap chi ",
        "dai phat thanh",
        "dai truyen hinh",
        "dai truyen thanh",
        "thong tan xa",
    ];
    let folded = folded
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start();
    let words = folded.split_whitespace().count();
    let online = folded.ends_with(" dien tu") || folded.contains(" online");
    // "THỊ TRẤN NGHÈN - HUYỆN CAN LỘC - TỈNH HÀ TĨNH": a local site's name.
    const PLACES: &[&str] = &[
        "xa ",
        "phuong ",
        "thi tran ",
        "huyen ",
        "quan ",
        "thi xa ",
        "thanh pho ",
        "tinh ",
        "ubnd ",
        "uy ban nhan dan ",
    ];
    let places = capitals
        && folded
            .split(['-', '–'])
            .all(|part| PLACES.iter().any(|w| part.trim().starts_with(w)));
    words <= 14
        && !folded.contains(['.', ':', ','])
        && (OUTLETS.iter().any(|w| folded.starts_with(w))
            || places
            || folded.starts_with("bao ") && !folded.starts_with("bao cao") && (capitals || online))
}

fn starts_with_time(folded: &str) -> bool {
    [
        "ngay ",
        "sang ",
        "chieu ",
        "toi ",
        "hom nay",
        "vao ",
        "trong ngay",
        "tu ngay",
    ]
    .iter()
    .any(|w| folded.starts_with(w))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_figure_told_in_a_table_and_again_in_prose_is_one_indicator() {
        let report = parse(&Normalized::new(
            "ĐẢNG ỦY XÃ AN BÌNH\nSố: 12-BC/ĐU\n\nBÁO CÁO\nTổng kết công tác năm 2023\n\n\
             TT | Chỉ tiêu | ĐVT | KH | TH | % KH\n\
             1 | Kết nạp đảng viên mới | đảng viên | 10 | 12 | 120\n\n\
             Kết nạp 12 đảng viên mới, đạt 120% KH. Hộ nghèo 40 hộ. Có 40 hộ nghèo được hỗ trợ.\n\
             Xã có 1 thôn đạt chuẩn nông thôn mới và 1 thôn đạt chuẩn nông thôn mới nâng cao.\n",
        ));
        let named = |name: &str| {
            report
                .indicators
                .iter()
                .filter(|i| crate::text::fold(&i.name).contains(name))
                .count()
        };
        // The row and its prose are one; the title keeps the subject only.
        assert_eq!(named("ket nap"), 1, "{:#?}", report.indicators);
        assert_eq!(report.title, "Tổng kết công tác năm 2023");
        // Two like quantities in one sentence stay two.
        assert_eq!(
            named("dat chuan nong thon moi"),
            2,
            "{:#?}",
            report.indicators
        );
    }

    #[test]
    fn a_post_keeps_its_headline_without_pictographs_and_its_date_stamp() {
        let report = parse(&Normalized::new(
            "Đảng ủy xã An Bình\n27 tháng 12, 2024 lúc 11:42 · 🌏\n\n\
             📌 ĐẢNG BỘ XÃ AN BÌNH TỔNG KẾT CÔNG TÁC NĂM 2024 – QUYẾT TÂM THỰC HIỆN NHIỆM VỤ NĂM 2025 🔴\n\n\
             Sáng 27/12, Ban Chấp hành Đảng bộ xã An Bình (TP. Huế) khóa XX, nhiệm kỳ 2020 - 2025 tổ chức hội nghị tổng kết công tác năm 2024.\n\
             🔹 Thu ngân sách đạt 12,5 tỷ đồng\n",
        ));
        assert_eq!(
            report.title,
            "ĐẢNG BỘ XÃ AN BÌNH TỔNG KẾT CÔNG TÁC NĂM 2024 – QUYẾT TÂM THỰC HIỆN NHIỆM VỤ NĂM 2025"
        );
        assert_eq!(report.published_on, "2024-12-27");
        assert_eq!(report.organization.term, "XX");
        // The headline's "nhiệm vụ năm 2025" opens no directions section.
        assert_eq!(report.indicators.len(), 1, "{:#?}", report);
        assert_eq!(report.indicators[0].name, "Thu ngân sách");
        // A date alone under a headline is no post's stamp: the headline
        // above it is no page name.
        let report = parse(&Normalized::new(
            "Đảng bộ xã An Bình tổng kết công tác xây dựng Đảng năm 2023\n28 tháng 12, 2023\n\n\
             Sáng 27/12, Đảng bộ xã An Bình tổ chức hội nghị tổng kết công tác năm 2023.\n",
        ));
        assert_eq!(
            report.title,
            "Đảng bộ xã An Bình tổng kết công tác xây dựng Đảng năm 2023"
        );
    }

    #[test]
    fn a_newspaper_named_like_a_report_is_no_title_and_a_broken_headline_is_joined() {
        let report = parse(&Normalized::new(
            "BÁO CAO BẰNG ĐIỆN TỬ\nThời sự   Chính trị   Kinh tế\nCao Bằng 14°C  Nhiều mây\n\n\
             Quang Hán: Tổng kết công tác xây dựng Đảng năm\n2024\n10:05 | 21/12/2024\n\n\
             Ngày 20/12, Đảng ủy xã Quang Hán tổ chức hội nghị tổng kết công tác năm 2024.\n",
        ));
        assert_eq!(
            report.title,
            "Quang Hán: Tổng kết công tác xây dựng Đảng năm 2024"
        );
        assert_ne!(report.kind, ReportKind::OfficialReport);
    }

    #[test]
    fn section_numbers_open_a_heading_but_amounts_and_words_do_not() {
        for folded in [
            "i. ket qua",
            "iii- phuong huong",
            "2) nhiem vu",
            "ii.ket qua",
            "4.",
            "phan i. ket qua",
            "phan thu nhat",
            "phan 2: phuong huong",
        ] {
            assert!(numbered_heading(folded), "{folded}");
        }
        for folded in [
            "1.230 con",
            "phan lon cac chi tieu",
            "vi du",
            "nam 2023, phuong huong",
            "xa son lien",
            "",
        ] {
            assert!(!numbered_heading(folded), "{folded}");
        }
    }

    /// A text copied from a PDF: lines cut at a fixed width wherever a word
    /// ends, so a sentence, a title or a rating level runs across lines.
    const HARD_WRAPPED: &str = "Đảng bộ xã Tân Hòa tổ chức hội nghị tổng kết công tác xây dựng Đảng\n\
        năm 2023. Dự hội nghị có đồng chí Hoàng Văn Tiến - Ủy viên Ban Thường vụ\n\
        Huyện ủy, Phó Chủ tịch UBND huyện. Đảng bộ xã được Ban Thường vụ Huyện\n\
        ủy xếp loại hoàn thành tốt nhiệm vụ; có 12/16 chi bộ hoàn thành tốt\n\
        nhiệm vụ trở lên.\n";

    #[test]
    fn hard_wrapped_lines_join_into_sentences_that_fold_as_one_line() {
        let doc = Doc::new(HARD_WRAPPED);
        // The width is the longest line that breaks before lower case (the
        // third, 70 chars); the second breaks before "Huyện" and is not counted.
        assert_eq!(doc.wrapped, Some(70));
        assert_eq!(doc.sentences.len(), 3, "{:?}", doc.sentences);
        // Inside a sentence a line break folds to a space, offsets unchanged.
        let third = doc.folded_of(doc.sentences[2].clone());
        assert!(third.contains("ban thuong vu huyen uy xep loai"), "{third}");
        assert!(third.contains("hoan thanh tot nhiem vu tro len"), "{third}");
        assert_eq!(
            doc.folded.len(),
            Doc::new(&HARD_WRAPPED.replace('\n', " ")).folded.len()
        );
        // Lines of ordinary width ending in full stops are no wrapped text.
        let plain = Doc::new("Tiêu đề ngắn\nDòng một kết thúc.\nDòng hai kết thúc.\n");
        assert_eq!(plain.wrapped, None);
    }

    #[test]
    fn phrases_read_across_lines_come_out_on_one_line() {
        let report = parse(&Normalized::new(HARD_WRAPPED));
        let person = &report.people[0];
        assert_eq!(person.name, "Hoàng Văn Tiến");
        assert_eq!(
            person.titles,
            ["Ủy viên Ban Thường vụ Huyện ủy", "Phó Chủ tịch UBND huyện"]
        );
        assert_eq!(report.rating.rated_by, "Ban Thường vụ Huyện ủy");
        assert_eq!(report.rating.rating, crate::model::Rating::Good);
        assert_eq!(
            (report.cell_ratings.good, report.cell_ratings.total),
            (12, 16)
        );
    }

    #[test]
    fn a_bracketed_plan_rate_belongs_to_the_rate_before_it() {
        let text = Normalized::new(
            "Đảng bộ xã A tổng kết năm 2023. Tỷ lệ tham gia bảo hiểm y tế đạt 92,4%, chưa đạt kế hoạch (94%).",
        );
        let report = parse(&text);
        assert_eq!(report.indicators.len(), 1, "{:?}", report.indicators);
        let rate = &report.indicators[0];
        assert_eq!(
            (rate.percent, rate.plan_value, rate.met),
            (Some(92.4), Some(94.0), Some(false))
        );
        assert!(indicators::names_only_the_plan("chỉ tiêu Nghị quyết đề ra"));
        assert!(indicators::names_only_the_plan("KH"));
        assert!(!indicators::names_only_the_plan("tỷ lệ hộ nghèo"));
        assert!(!indicators::names_only_the_plan("đề ra"));
    }

    /// Each item's name and value, in order.
    fn named_values(items: &[crate::model::Indicator]) -> Vec<(&str, Option<f64>)> {
        items.iter().map(|i| (i.name.as_str(), i.value)).collect()
    }

    #[test]
    fn a_site_name_a_menu_and_a_breadcrumb_are_no_headline() {
        for top in [
            "BÁO LAI CHÂU ĐIỆN TỬ\nChính trị | Kinh tế | Xã hội | Văn hóa\n",
            "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN CHÂU THÀNH - TỈNH HẬU GIANG\n",
            "SGGP Online > Chính trị > Xây dựng Đảng\n",
            "Chính trị › Xây dựng Đảng\n",
            "BỘ CHỈ HUY QUÂN SỰ TỈNH QUẢNG NINH\nTrang chủ | Giới thiệu | Tin tức | Liên hệ\n",
            "ĐÀI PHÁT THANH HÀ GIANG\nThời sự  Kinh tế  Xã hội  Video  Podcast\nThời sự\n",
        ] {
            let report = parse(&Normalized::new(&format!(
                "{top}Huyện ủy Mường Tè: Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ mười sáu\n\
                 SGGPO Thứ hai, 08-01-2024 09:12\n\
                 Ngày 6/1, Ban Chấp hành Đảng bộ huyện Mường Tè tổ chức hội nghị để đánh giá kết quả \
                 thực hiện nhiệm vụ năm 2023, triển khai nhiệm vụ năm 2024.\n"
            )));
            assert_eq!(
                report.title,
                "Huyện ủy Mường Tè: Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ mười sáu",
                "{top}"
            );
            assert_eq!(report.kind, ReportKind::NewsArticle, "{top}");
            assert_eq!(report.published_on, "2024-01-08", "{top}");
            assert!(report.people.is_empty(), "{top}: {:?}", report.people);
        }
        assert!(!menu_line("Trang chủ"));
        // A caption after the first paragraph is no headline.
        let report = parse(&Normalized::new(
            "Xã Sủng Trà triển khai nhiệm vụ năm 2024\n\
             HGTV - Sáng nay 5/1, Đảng ủy xã Sủng Trà, huyện Mèo Vạc tổ chức hội nghị tổng kết công \
             tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024 với sự tham dự của lãnh đạo \
             huyện và các thôn.\n\
             Lãnh đạo Đảng ủy xã trao khen thưởng tại hội nghị tổng kết\n",
        ));
        assert_eq!(report.title, "Xã Sủng Trà triển khai nhiệm vụ năm 2024");
        assert!(!menu_line("Tổng kết năm 2023 | Báo Lai Châu"));
        assert!(!menu_line(
            "ĐẢNG BỘ HUYỆN QUỲNH LƯU      ĐẢNG CỘNG SẢN VIỆT NAM"
        ));
        assert!(!menu_line(
            "Chi bộ:  4 HTXSNV;  20 HTTNV;  2 HTNV;  0 KHTNV"
        ));
        assert!(!masthead("bao cao tong ket", true));
        assert!(!masthead("bao dam an ninh trat tu", false));
    }

    /// The indicators' units, leaving out counts of members.
    fn units_besides_members(report: &ParsedReport) -> Vec<&str> {
        report
            .indicators
            .iter()
            .filter(|i| i.unit != "đảng viên")
            .map(|i| i.unit.as_str())
            .collect()
    }

    /// Each person's name with their titles, in order.
    fn people_titles(report: &ParsedReport) -> Vec<(&str, Vec<&str>)> {
        report
            .people
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.titles.iter().map(String::as_str).collect(),
                )
            })
            .collect()
    }

    /// A commune's review of 27 cells and 682 members, then `text`.
    fn an_hoa(text: &str) -> ParsedReport {
        parse(&Normalized::new(&format!(
            "Đảng bộ xã An Hòa tổng kết công tác xây dựng Đảng năm 2023\n\
             Đảng bộ có 27 chi bộ trực thuộc với 682 đảng viên.\n{text}\n"
        )))
    }

    #[test]
    fn rating_counts_under_a_label_or_with_an_abbreviated_noun() {
        let count = |text: &str| {
            let report = an_hoa(text);
            let (c, m) = (report.cell_ratings, report.member_ratings);
            (
                [c.excellent, c.good, c.completed, c.not_completed, c.total],
                [m.excellent, m.good, m.completed, m.not_completed],
                // "(chiếm 14,9%)" is the share of a rating count.
                report.indicators.iter().any(|i| i.percent.is_some()),
            )
        };
        assert_eq!(
            count(
                "- Chi bộ: 4 HTXSNV; 20 HTTNV; 3 HTNV; 0 KHTNV.\n\
                 - Đảng viên (643/682 đồng chí được đánh giá, 39 đồng chí miễn đánh giá): \
                 96 HTXSNV (chiếm 14,9%); 514 HTTNV; 31 HTNV; 2 KHTNV."
            ),
            ([4, 20, 3, 0, 27], [96, 514, 31, 2], false)
        );
        assert_eq!(
            count(
                "+ Tổ chức đảng: 4 chi bộ HTXSNV; 23 chi bộ HTTNV.\n\
                 + Đảng viên: 98 đ/c HTXSNV; 548 đ/c HTTNV; 4 đ/c KHTNV."
            ),
            ([4, 23, 0, 0, 27], [98, 548, 0, 4], false)
        );
        assert_eq!(
            count(
                "- Tổ chức cơ sở đảng: 25/27 TCCSĐ hoàn thành tốt nhiệm vụ trở lên (trong đó 5 \
                 TCCSĐ hoàn thành xuất sắc nhiệm vụ); 2 TCCSĐ hoàn thành nhiệm vụ."
            ),
            ([5, 20, 2, 0, 27], [0; 4], false)
        );
        assert_eq!(
            count(
                "Tổ chức đảng: HTXSNV 4 chi bộ, HTTNV 18 chi bộ, HTNV 2 chi bộ. Đảng viên: HTXSNV \
                 52 đồng chí; HTTNV 410 đồng chí; KHTNV 3 đồng chí."
            ),
            ([4, 18, 2, 0, 27], [52, 410, 0, 3], false)
        );
        assert_eq!(
            count(
                "- Hoàn thành xuất sắc nhiệm vụ: 05 chi bộ (chiếm 20%).\n\
                 - Hoàn thành tốt nhiệm vụ: 410 đảng viên (chiếm 83%).\n\
                 Đảng bộ xã hoàn thành tốt nhiệm vụ 3 năm liền."
            ),
            ([5, 0, 0, 0, 27], [0, 410, 0, 0], false)
        );
        // The number of cells is no rating count on its own.
        assert_eq!(
            count("Đảng bộ có 4 chi bộ hoàn thành xuất sắc nhiệm vụ.").0,
            [4, 0, 0, 0, 27]
        );
        assert_eq!(count("").0, [0; 5]);
    }

    #[test]
    fn counts_with_their_noun_left_out_and_the_number_rated() {
        let ratings = |text: &str| {
            let report = parse(&Normalized::new(&format!(
                "Huyện ủy Văn Lâm tổng kết công tác xây dựng Đảng năm 2023\n\
                 Ngày 15/12, Ban Chấp hành Đảng bộ huyện Văn Lâm tổ chức hội nghị tổng kết.\n{text}\n"
            )));
            let (c, m) = (report.cell_ratings, report.member_ratings);
            (
                [c.excellent, c.good, c.completed, c.not_completed, c.total],
                [m.excellent, m.good, m.completed, m.not_completed, m.total],
            )
        };
        assert_eq!(
            ratings(
                "Kết quả xếp loại năm 2023, trong 41 tổ chức cơ sở đảng có 8 tổ chức cơ sở đảng \
                 hoàn thành xuất sắc nhiệm vụ, 29 hoàn thành tốt nhiệm vụ, 3 hoàn thành nhiệm vụ \
                 và 1 không hoàn thành nhiệm vụ."
            ),
            ([8, 29, 3, 1, 41], [0; 5])
        );
        assert_eq!(
            ratings(
                "Về đánh giá: có 205 đồng chí được đánh giá (09 đồng chí được miễn đánh giá); \
                 38 đồng chí hoàn thành xuất sắc nhiệm vụ, 163 hoàn thành tốt nhiệm vụ, 04 \
                 hoàn thành nhiệm vụ."
            ),
            ([0; 5], [38, 163, 4, 0, 205])
        );
        assert_eq!(
            ratings(
                "- Đảng viên được đánh giá 512 (41 đồng chí miễn đánh giá): 78 HTXSNV, 395 HTTNV."
            )
            .1,
            [78, 395, 0, 0, 512]
        );
        // Counts followed by their level are counts, not the number rated;
        // a number before a level with no count before it counts nothing.
        assert_eq!(
            ratings(
                "24 chi bộ được đánh giá hoàn thành tốt nhiệm vụ; 3 chi bộ hoàn thành nhiệm vụ."
            )
            .0,
            [0, 24, 3, 0, 0]
        );
        assert_eq!(
            ratings("Đảng bộ có 3 năm liền, 2 hoàn thành tốt nhiệm vụ.").0,
            [0; 5]
        );
    }

    #[test]
    fn the_number_rated_said_with_the_verb_first_or_as_classified() {
        let totals = |text: &str| {
            let report = an_hoa(text);
            (report.cell_ratings.total, report.member_ratings.total)
        };
        assert_eq!(
            totals("+ Đảng viên: đánh giá 641 đồng chí; HTXSNV 93 đ/c, HTTNV 512 đ/c."),
            (0, 641)
        );
        assert_eq!(
            totals("1.102 đảng viên được xếp loại, có 164 đảng viên HTXSNV, 895 đảng viên HTTNV."),
            (0, 1102)
        );
    }

    #[test]
    fn an_organisation_rates_itself_or_is_rated_under_a_label() {
        let rating = |text: &str| {
            let report = an_hoa(text);
            (report.rating.rating, report.rating.rated_by)
        };
        use crate::model::Rating;
        assert_eq!(
            rating("b) Chi bộ tự đánh giá, xếp loại: Hoàn thành tốt nhiệm vụ."),
            (Rating::Good, "Chi bộ".to_string())
        );
        assert_eq!(
            rating("c) Đảng ủy xã tự đánh giá, đề nghị xếp loại: Hoàn thành tốt nhiệm vụ.").0,
            Rating::Good
        );
        assert_eq!(
            rating(
                "+ Đảng ủy tự đánh giá, đề nghị Ban Thường vụ Huyện ủy xếp loại Đảng bộ xã năm \
                 2023: Hoàn thành xuất sắc nhiệm vụ."
            ),
            (Rating::Excellent, "Đảng ủy".to_string())
        );
        assert_eq!(
            rating(
                "Đánh giá, xếp loại năm 2023: Đảng bộ xã hoàn thành tốt nhiệm vụ; 2/27 chi bộ HTXSNV."
            ),
            (Rating::Good, String::new())
        );
        assert_eq!(
            rating(
                "3. Tự đánh giá: Đảng ủy xã tự đánh giá, xếp loại Đảng bộ năm 2023: Hoàn thành \
                 tốt nhiệm vụ."
            ),
            (Rating::Good, "Đảng ủy xã".to_string())
        );
        assert_eq!(
            rating("- Tập thể: Chi bộ tự đánh giá, xếp loại mức \"Hoàn thành xuất sắc nhiệm vụ\"."),
            (Rating::Excellent, "Chi bộ".to_string())
        );
        // Cells rating themselves are counts, not the committee's rating.
        assert_eq!(
            rating("Có 3 chi bộ tự đánh giá, xếp loại hoàn thành xuất sắc nhiệm vụ.").0,
            Rating::Unspecified
        );
    }

    #[test]
    fn a_long_label_before_its_colon_names_the_quantity() {
        let report = parse(&Normalized::new(
            "ĐẢNG ỦY CÔNG TY\n\nBÁO CÁO\nTổng kết công tác năm 2023\n\n\
             - Sản lượng mủ cao su khai thác: 21.436 tấn, đạt 104,2% kế hoạch.\n\
             - Tổng thu ngân sách nhà nước trên địa bàn (không kể thu tiền sử dụng đất): 38 tỷ \
             215 triệu đồng.\n\
             - Năm 2023, công ty đạt được nhiều kết quả nổi bật trên các mặt: 100% người lao động \
             có việc làm.\n",
        ));
        let names: Vec<&str> = report.indicators.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Sản lượng mủ cao su khai thác",
                "Tổng thu ngân sách nhà nước trên địa bàn",
                "người lao động có việc làm",
            ]
        );
    }

    #[test]
    fn an_enterprise_on_the_issuing_line_is_the_organisation() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH BÌNH PHƯỚC\nĐẢNG ỦY CÔNG TY TNHH MTV CAO SU PHÚ RIỀNG\n\
             *\nSố 87-BC/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\nPhú Riềng, ngày 05 tháng 01 năm 2024\n\n\
             BÁO CÁO\nTổng kết công tác xây dựng Đảng năm 2023\n\n\
             - Sản lượng mủ cao su khai thác: 21.436 tấn.\n",
        ));
        assert_eq!(report.organization.level, crate::model::Level::Agency);
        assert_eq!(
            report.organization.name,
            "Công ty TNHH MTV Cao Su Phú Riềng"
        );
    }

    #[test]
    fn a_political_report_under_a_congress_banner_is_an_official_report() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ TỈNH LÀO CAI\nĐẢNG BỘ XÃ TRẤN YÊN\n*\nĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ XÃ TRẤN YÊN\n\
             LẦN THỨ I, NHIỆM KỲ 2025 - 2030\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\
             Trấn Yên, ngày 05 tháng 8 năm 2025\n\nBÁO CÁO CHÍNH TRỊ\n\
             của Ban Chấp hành Đảng bộ xã trình Đại hội đại biểu Đảng bộ xã Trấn Yên lần thứ I, \
             nhiệm kỳ 2025 - 2030\n(Tài liệu trình Đại hội)\n\n\
             Giai đoạn 2020 - 2025, tổng thu ngân sách trên địa bàn đạt 186,42 tỷ đồng.\n",
        ));
        assert_eq!(report.kind, ReportKind::OfficialReport);
        assert_eq!(
            report.title,
            "BÁO CÁO CHÍNH TRỊ của Ban Chấp hành Đảng bộ xã trình Đại hội đại biểu Đảng bộ xã \
             Trấn Yên lần thứ I, nhiệm kỳ 2025 - 2030"
        );
        assert_eq!(report.period_kind, PeriodKind::Term);
    }

    #[test]
    fn a_half_year_review_s_results_heading_opens_no_targets() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ THÀNH PHỐ BIÊN HÒA\nĐẢNG ỦY PHƯỜNG TÂN PHONG\nSố 142-BC/ĐU\n\nBÁO CÁO\n\
             Sơ kết công tác 6 tháng đầu năm 2023; phương hướng, nhiệm vụ 6 tháng cuối năm 2023\n\n\
             I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2023\n\
             - Kết nạp 5 đảng viên mới, đạt 41,7% chỉ tiêu năm.\n\
             II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2023\n\
             - Kết nạp 7 đảng viên mới.\n",
        ));
        assert_eq!(report.period_kind, PeriodKind::HalfYear);
        assert_eq!(named_values(&report.indicators), [("Kết nạp", Some(5.0))]);
        assert_eq!(named_values(&report.targets), [("Kết nạp", Some(7.0))]);
    }

    #[test]
    fn a_heading_in_capitals_is_no_person_and_a_place_keeps_its_apostrophe() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ HUYỆN EA H’LEO\nĐẢNG ỦY THỊ TRẤN EA DRĂNG\nSố 12-BC/ĐU\n\nBÁO CÁO\n\
             Tổng kết công tác năm 2023\n\nPHẦN THỨ NHẤT: KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023\n\
             - Sản lượng dừa đạt 42,6 triệu trái.\n",
        ));
        assert!(report.people.is_empty(), "{:?}", report.people);
        let parent = report.organization.parent.expect("a parent");
        assert_eq!(parent.name, "Ea H’Leo");
        assert_eq!(
            (
                report.indicators[0].value,
                report.indicators[0].unit.as_str()
            ),
            (Some(42.6), "triệu trái")
        );
    }

    #[test]
    fn a_person_after_a_capitalised_marker_and_a_place_named_like_a_person() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Khánh Bình Đông tổng kết công tác năm 2021\n\
             Chiều 22-12, Đảng bộ xã Khánh Bình Đông, huyện Trần Văn Thời tổ chức hội nghị tổng \
             kết công tác năm 2021. Ông Trần Văn Thoại, Ủy viên Ban Thường vụ Huyện ủy Trần Văn \
             Thời dự hội nghị.\n",
        ));
        let names: Vec<&str> = report.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Trần Văn Thoại"]);
    }

    #[test]
    fn private_people_a_village_elder_a_passive_verb_and_a_place_named_ba() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Ia Ka tổng kết công tác năm 2023\n\
             Mô hình trang trại của hộ anh Lê Văn Sáu cho thu nhập cao; chị Nguyễn Thị Hoa nuôi \
             200 con bò. Chi bộ thôn 2 và Anh Sơn không có gì. Già làng Rơ Mah Brông (làng Ia Ka) \
             phát biểu. Đồng chí Hoàng Thị Nhung, Chủ tịch UBND xã được Chủ tịch UBND tỉnh tặng \
             Bằng khen. Đồng chí Hà Minh Tuấn, Chủ tịch UBND huyện Thanh Ba dự hội nghị.\n",
        ));
        assert_eq!(
            people_titles(&report),
            [
                ("Lê Văn Sáu", vec![]),
                ("Nguyễn Thị Hoa", vec![]),
                ("Rơ Mah Brông", vec!["Già làng"]),
                ("Hoàng Thị Nhung", vec!["Chủ tịch UBND xã"]),
                ("Hà Minh Tuấn", vec!["Chủ tịch UBND huyện Thanh Ba"]),
            ]
        );
    }

    #[test]
    fn after_the_reform_a_commune_s_parent_is_its_province_not_its_old_district() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Mường Bi tổng kết công tác năm 2025\n\
             Ngày 18/12/2025, Đảng bộ xã Mường Bi, tỉnh Phú Thọ tổ chức hội nghị tổng kết công tác \
             năm 2025. Xã Mường Bi được thành lập trên cơ sở sáp nhập ba xã của huyện Tân Lạc, \
             tỉnh Hòa Bình (cũ).\n",
        ));
        let parent = report.organization.parent.expect("a parent");
        assert_eq!(
            (parent.level, parent.name.as_str()),
            (crate::model::Level::Province, "Phú Thọ")
        );
    }

    #[test]
    fn a_split_abbreviation_of_a_body_joins_its_office_and_a_verb_ends_a_title() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Hải Ninh tổng kết công tác năm 2023\n\
             Dự hội nghị có bà Phan Thị Thu, CT- UBMTTQVN xã. Đồng chí Đặng Văn Nam, Bí thư Chi bộ \
             thôn Tân Định chia sẻ kinh nghiệm.\n",
        ));
        assert_eq!(
            people_titles(&report),
            [
                ("Phan Thị Thu", vec!["CT UBMTTQVN xã"]),
                ("Đặng Văn Nam", vec!["Bí thư Chi bộ thôn Tân Định"]),
            ]
        );
    }

    #[test]
    fn an_issuing_line_without_a_level_takes_it_from_the_text() {
        let report = parse(&Normalized::new(
            "HUYỆN ỦY CAN LỘC\nĐẢNG BỘ PHÚ LỘC\nSố 12-BC/ĐU\n\nBÁO CÁO\n\
             Tổng kết công tác xây dựng Đảng năm 2023\n\n\
             Năm 2023, Đảng bộ xã Phú Lộc lãnh đạo thực hiện nhiệm vụ đạt kết quả.\n",
        ));
        assert_eq!(report.organization.name, "Phú Lộc");
        assert_eq!(report.organization.level, crate::model::Level::Commune);
    }

    #[test]
    fn shorter_agency_names_count_for_the_fullest() {
        let text = Normalized::new(
            "📌 ĐẢNG BỘ QUÂN SỰ SƠ KẾT CÔNG TÁC 9 THÁNG ĐẦU NĂM 2024\n\
             Ngày 28/9, Đảng ủy Quân sự huyện Bảo Lạc tổ chức hội nghị sơ kết công tác 9 tháng. \
             Đảng ủy Quân sự huyện đã lãnh đạo hoàn thành các chỉ tiêu. Đảng ủy Quân sự huyện \
             Bảo Lạc kết nạp 3 đảng viên mới.\n",
        );
        for _ in 0..20 {
            let report = parse(&text);
            assert_eq!(report.organization.name, "Quân sự huyện Bảo Lạc");
        }
    }

    #[test]
    fn an_agency_named_by_its_level_word_takes_the_unit_above_it() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ HUYỆN QUỲNH LƯU      ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY CÔNG AN HUYỆN\n\
             Số 86-BC/ĐU\n\nBÁO CÁO\nTổng kết công tác xây dựng Đảng năm 2023\n\n\
             Thực hiện Nghị quyết Đại hội Đảng bộ Công an huyện lần thứ XIX, Đảng ủy báo cáo:\n\
             - Xử lý vi phạm trật tự an toàn giao thông: 9.436 trường hợp.\n",
        ));
        assert_eq!(report.organization.level, crate::model::Level::Agency);
        assert_eq!(report.organization.name, "Công an huyện Quỳnh Lưu");
        // The agency's own congress, named without its place.
        assert_eq!(report.organization.term, "XIX");
        assert_eq!(report.indicators[0].unit, "trường hợp");
    }

    #[test]
    fn a_congress_names_its_new_term_and_the_term_s_targets() {
        let report = parse(&Normalized::new(
            "Đại hội Đảng bộ phường Nam Hồng lần thứ XVI\n\n\
             (Baohatinh.vn) - Ngày 11/6, Đảng bộ phường Nam Hồng tổ chức Đại hội đại biểu lần thứ \
             XVI, nhiệm kỳ 2020 - 2025.\n\
             Báo cáo nêu rõ: nhiệm kỳ 2015 - 2020, Đảng bộ phường kết nạp 46 đảng viên mới.\n\
             Nhiệm kỳ 2020 - 2025, Đảng bộ phường đề ra 19 chỉ tiêu chủ yếu, trong đó: thu nhập \
             bình quân đầu người đến năm 2025 đạt 85 triệu đồng trở lên.\n",
        ));
        assert_eq!(report.period_kind, PeriodKind::Term);
        assert_eq!(report.report_year, 2020);
        assert_eq!(report.organization.term_period, "2020-2025");
        let targets: Vec<Option<f64>> = report.targets.iter().map(|t| t.value).collect();
        assert_eq!(targets, [Some(85.0)]);
    }

    #[test]
    fn shortcomings_after_however_and_units_rated_are_not_the_committee() {
        let report = parse(&Normalized::new(
            "Huyện ủy Mường Tè tổng kết công tác năm 2023\n\
             Ngày 6/1, Ban Chấp hành Đảng bộ huyện Mường Tè tổ chức hội nghị tổng kết công tác \
             năm 2023. Quận đã giải quyết việc làm cho 6.420 lượt lao động. Toàn Đảng bộ có 28 tổ \
             chức cơ sở đảng, 24/28 tổ chức cơ sở đảng được đánh giá hoàn thành tốt nhiệm vụ trở \
             lên. Tiến độ giải ngân vốn đầu tư công còn thấp (mới đạt 71,4%).\n\
             Tuy nhiên, việc chuyển đổi số ở một số thôn còn chậm; tình trạng lấn chiếm đất rừng \
             chưa được ngăn chặn triệt để.\n",
        ));
        assert_eq!(report.rating.rating, crate::model::Rating::Unspecified);
        assert_eq!(
            report.limitations,
            [
                "việc chuyển đổi số ở một số thôn còn chậm",
                "tình trạng lấn chiếm đất rừng chưa được ngăn chặn triệt để"
            ]
        );
        let jobs = &report.indicators[0];
        assert_eq!(
            (jobs.unit.as_str(), jobs.value),
            ("lượt lao động", Some(6420.0))
        );
        assert!(
            report
                .indicators
                .iter()
                .any(|i| i.name.starts_with("Tiến độ giải ngân vốn đầu tư công")),
            "{:?}",
            report.indicators
        );
    }

    #[test]
    fn names_inside_an_amount_after_with_and_after_a_part() {
        let report = parse(&Normalized::new(
            "Đảng bộ thị trấn Ngã Sáu tổng kết công tác xây dựng Đảng năm 2024\n\
             Diện tích lúa gieo trồng 3 vụ là 2.146 ha. Hỗ trợ xây dựng 12 căn nhà cho hộ nghèo với \
             tổng kinh phí trên 7,4 tỷ đồng. Diện tích cây ăn trái 812ha, trong đó có 145 ha khóm và \
             95ha mít Thái.\n+ Tổng diện tích gieo cấy 2 vụ: 196,4 ha.\n",
        ));
        assert_eq!(
            named_values(&report.indicators),
            [
                ("Diện tích lúa gieo trồng 3 vụ", Some(2146.0)),
                ("Hỗ trợ xây dựng", Some(12.0)),
                ("tổng kinh phí", Some(7.4)),
                ("Diện tích cây ăn trái", Some(812.0)),
                ("khóm", Some(145.0)),
                ("mít Thái", Some(95.0)),
                ("Tổng diện tích gieo cấy 2 vụ", Some(196.4)),
            ]
        );
    }

    #[test]
    fn an_appendix_after_the_signature_is_read_but_the_signature_is_not() {
        let report = parse(&Normalized::new(
            "HUYỆN ỦY TRÀ CÚ\nSố 312-BC/HU\n\nBÁO CÁO\nTổng kết công tác xây dựng Đảng năm 2022, \
             phương hướng, nhiệm vụ năm 2023\n\nI. KẾT QUẢ NĂM 2022\n\
             - Tổng diện tích gieo trồng lúa cả năm trên địa bàn huyện: 48.650 ha, đạt 101% kế hoạch.\n\
             - Ban Thường vụ Huyện ủy tự đánh giá Đảng bộ huyện: Hoàn thành tốt nhiệm vụ.\n\
             II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023\n- Kết nạp 300 đảng viên mới.\n\n\
             Nơi nhận:\n- Ban Thường vụ Tỉnh ủy,\n- Lưu.\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nThạch Sa Mol\n\n\
             PHỤ LỤC\nSTT\tChỉ tiêu\tĐVT\tNQ 2022\tTH 2022\t% so NQ\n\
             1\tSản lượng lúa\ttấn\t268.000\t268.540\t100,2\n",
        ));
        assert_eq!(
            named_values(&report.indicators),
            [
                (
                    "Tổng diện tích gieo trồng lúa cả năm trên địa bàn huyện",
                    Some(48650.0)
                ),
                ("Sản lượng lúa", Some(268540.0)),
            ]
        );
        assert_eq!(report.targets.len(), 1);
        assert_eq!(report.rating.rating, crate::model::Rating::Good);
        assert_eq!(report.rating.rated_by, "Ban Thường vụ Huyện ủy");
        assert_eq!(report.people.len(), 1);
        assert_eq!(report.people[0].titles, ["Bí thư"]);
    }

    #[test]
    fn a_multi_line_title_naming_the_plan_year_opens_no_target_section() {
        let text = Normalized::new(
            "ĐẢNG ỦY XÃ AN HÒA\nSố 12-BC/ĐU\n\nBÁO CÁO\nKẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023,\n\
             PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024\n\nI. KẾT QUẢ\n+ Đàn bò: 840 con.\n\
             II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024\n- Đàn bò đạt 900 con.\n",
        );
        let report = parse(&text);
        let names = |items: &[crate::model::Indicator]| -> Vec<(String, Option<f64>)> {
            items.iter().map(|i| (i.name.clone(), i.value)).collect()
        };
        assert_eq!(
            names(&report.indicators),
            [("Đàn bò".to_string(), Some(840.0))]
        );
        assert_eq!(
            names(&report.targets),
            [("Đàn bò".to_string(), Some(900.0))]
        );
    }

    #[test]
    fn surnames_that_open_organisation_names_are_read_by_the_word_after() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết năm 2023. Dự hội nghị có đồng chí Nông Quang Nhất, Bí thư Huyện ủy; \
             đồng chí Lò Văn Hậu, Chủ tịch Hội Nông dân huyện.",
        ));
        let people: Vec<&str> = report.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, ["Nông Quang Nhất", "Lò Văn Hậu"]);
        assert_eq!(report.people[1].titles, ["Chủ tịch Hội Nông dân huyện"]);
    }

    #[test]
    fn a_stated_district_tells_the_province_of_a_unit_not_found() {
        // "Sông Thao" is not a township of Cẩm Khê in the gazetteer; Cẩm Khê
        // is a district only Phú Thọ has.
        let report = parse(&Normalized::new(
            "Đảng bộ thị trấn Sông Thao (huyện Cẩm Khê) tổng kết công tác năm 2023.",
        ));
        let org = &report.organization;
        assert_eq!(
            (org.name.as_str(), org.province.as_str()),
            ("Sông Thao", "Phú Thọ")
        );
        assert_eq!(org.province_source, crate::model::Provenance::Inferred);
        assert!(org.code.is_empty());
        let parent = org.parent.as_ref().expect("stated district");
        assert_eq!(
            (parent.name.as_str(), parent.province.as_str()),
            ("Cẩm Khê", "Phú Thọ")
        );
    }

    #[test]
    fn a_place_name_may_hold_a_word_that_ends_other_names() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ XÃ VŨ HỘI TỔNG KẾT CÔNG TÁC NĂM 2023\nĐảng bộ xã Vũ Hội (huyện Vũ Thư) tổ chức hội nghị tổng kết năm 2023.",
        ));
        assert_eq!(report.organization.name, "Vũ Hội");
        assert_eq!(report.organization.province, "Thái Bình");
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ XÃ SƠN LIÊN HỘI NGHỊ TỔNG KẾT NĂM 2023\nNgày 20/12/2023, Đảng bộ xã Sơn Liên tổ chức hội nghị.",
        ));
        assert_eq!(report.organization.name, "Sơn Liên");
    }

    #[test]
    fn works_take_their_object_ranges_lose_their_first_bound_and_abbreviated_levels_are_ratings() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết công tác năm 2023, phương hướng năm 2024. Hôm qua (28/12), Đảng bộ xã A tổ chức hội nghị. \
             Trồng mới 25 ha rừng tập trung; bê tông hóa 3,2 km đường giao thông nông thôn. \
             Có 3/21 chi bộ HTXSNV, 16 chi bộ HTTNV. \
             Năm 2024, phấn đấu thu nhập bình quân đầu người từ 48 đến 50 triệu đồng; giải quyết việc làm cho 150 - 200 lao động; \
             tỷ lệ che phủ rừng duy trì ở mức 65%.",
        ));
        assert_eq!(report.meeting.date, "2023-12-28");
        let named = |items: &[crate::model::Indicator]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|i| (i.name.clone(), i.key.clone()))
                .collect()
        };
        let pair = |name: &str, key: &str| (name.to_string(), key.to_string());
        assert_eq!(
            named(&report.indicators),
            [
                pair("Trồng mới rừng tập trung", "planted_forest"),
                pair("bê tông hóa đường giao thông nông thôn", "rural_roads"),
            ]
        );
        assert_eq!(
            named(&report.targets),
            [
                pair("thu nhập bình quân đầu người", "income_per_capita"),
                pair("giải quyết việc làm", "jobs_created"),
                pair("tỷ lệ che phủ rừng", "forest_cover"),
            ]
        );
        let cells = &report.cell_ratings;
        assert_eq!((cells.excellent, cells.good, cells.total), (3, 16, 21));
    }

    #[test]
    fn a_change_followed_by_its_level_gives_the_level() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết năm 2023. Hộ nghèo giảm 48 hộ, còn 152 hộ (tỷ lệ 5,1%). \
             Phường có 98,7% hộ gia đình đạt danh hiệu gia đình văn hóa, nâng tổng số lên 3 khu phố.",
        ));
        let poor = &report.indicators[0];
        assert_eq!(
            (poor.name.as_str(), poor.value, poor.percent),
            ("Hộ nghèo", Some(152.0), Some(5.1))
        );
        assert_eq!(
            report.indicators[1].name,
            "hộ gia đình đạt danh hiệu gia đình văn hóa"
        );
        assert_eq!(report.indicators[1].key, "cultural_families");
        // "hộ" counts households; "gia đình" belongs to what is counted.
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết năm 2023. Có 4.812/5.030 hộ gia đình đạt danh hiệu gia đình văn hóa.",
        ));
        let families = &report.indicators[0];
        assert_eq!(
            (families.unit.as_str(), families.value, families.total),
            ("hộ", Some(4812.0), Some(5030.0))
        );
        assert!(families.name.starts_with("hộ gia đình"), "{families:?}");
    }

    #[test]
    fn a_verb_before_a_rate_makes_it_a_change_and_a_rating_share_is_no_indicator() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết năm 2023, phương hướng năm 2024. Kết quả xếp loại đảng viên: có 28 đồng chí HTXSNV \
             (chiếm 13,5%), 165 đồng chí HTTNV. Năm 2024, phấn đấu giảm tỷ lệ hộ nghèo từ 1% trở lên; \
             tốc độ tăng trưởng kinh tế đạt 7%; chỉ số hài lòng của người dân đạt 95%.",
        ));
        assert!(report.indicators.is_empty(), "{:?}", report.indicators);
        assert_eq!(
            (report.member_ratings.excellent, report.member_ratings.good),
            (28, 165)
        );
        let poor = &report.targets[0];
        assert_eq!(
            (poor.name.as_str(), poor.change_percent, poor.percent),
            ("tỷ lệ hộ nghèo", Some(-1.0), None)
        );
        let growth = &report.targets[1];
        assert_eq!((growth.percent, growth.change_percent), (Some(7.0), None));
        // An index ("chỉ số") is a rate, not a share of a plan.
        let index = &report.targets[2];
        assert_eq!((index.percent, index.percent_of_plan), (Some(95.0), None));
    }

    #[test]
    fn a_base_unit_of_the_party_keeps_its_whole_name() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết năm 2023, phương hướng năm 2024. Năm 2024, phấn đấu 100% tổ chức cơ sở đảng hoàn thành nhiệm vụ.",
        ));
        assert_eq!(
            report.targets[0].name,
            "tổ chức cơ sở đảng hoàn thành nhiệm vụ"
        );
    }

    fn spans(report: &ParsedReport) -> Vec<crate::model::Span> {
        let mut out: Vec<_> = report.people.iter().map(|p| p.span).collect();
        out.extend(
            report
                .indicators
                .iter()
                .chain(&report.targets)
                .map(|i| i.span),
        );
        out
    }

    fn spans_are_inside(text: &Normalized, report: &ParsedReport) -> bool {
        let s = text.as_str();
        spans(report).iter().all(|span| {
            let (start, end) = (span.start as usize, span.end as usize);
            start <= end && end <= s.len() && s.is_char_boundary(start) && s.is_char_boundary(end)
        })
    }

    /// Text made of the pieces parsing cares about, glued at random.
    fn vietnamese_ish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Đảng bộ xã Sơn Liên ",
            "ĐẢNG ỦY XÃ ",
            "đồng chí Nguyễn Văn A - ",
            "Đc. Trần Hải Châu, ",
            "Đ/c. ",
            "TP.",
            "HUV, Bí thư – CT- HĐND xã",
            "Đ/c ",
            "466,8 tấn",
            "171/416 hộ",
            "8.215/8.100ha",
            "152,% KH",
            "21, 72 tỷ",
            "218 tỷ 477 triệu đồng",
            "đạt ",
            "tăng ",
            "ngày 20 tháng 12 năm 2023",
            "29/12",
            "Sáng ngày ",
            "; ",
            ", ",
            ". ",
            "\n",
            ":",
            "(",
            ")",
            "&amp;",
            "&#7843;",
            "\u{a0}",
            "Ð",
            "uỷ",
            "hoà",
            "khóa XIII",
            "nhiệm kỳ 2020 - 2025",
            "hoàn thành xuất sắc nhiệm vụ",
            "chi bộ",
            "phương hướng, nhiệm vụ năm 2024: ",
            "Tin liên quan",
            "Số: 68-BC/ĐU",
            "BÁO CÁO",
            "% ",
            "1.500",
            "2,450",
            " | ",
            "\nChỉ tiêu | ĐVT | Kế hoạch 2023 | Thực hiện | % so KH | Kế hoạch 2024\n",
            "Đàn bò | con | 800 | 840 | 105 | trên 850\n",
            "| |",
            "hoàn thành 15/17 chỉ tiêu, trong đó 6 chỉ tiêu vượt",
            "phấn đấu ",
            "1,2 nghìn tỷ",
            "…",
            "–",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_unicode_never_panics_and_spans_stay_inside(raw in any::<String>()) {
            let text = Normalized::new(&raw);
            let report = parse(&text);
            prop_assert!(spans_are_inside(&text, &report));
        }

        #[test]
        fn parsing_report_like_text_never_panics_and_spans_stay_inside(raw in vietnamese_ish()) {
            let text = Normalized::new(&raw);
            let report = parse(&text);
            prop_assert!(spans_are_inside(&text, &report));
        }

        #[test]
        fn a_flattened_header_before_any_text_never_panics(raw in prop_oneof![any::<String>(), vietnamese_ish()]) {
            // Over 1000 bytes on one line, a document header first: the
            // flattened layout is split into lines.
            let flat = format!(
                "ĐẢNG BỘ HUYỆN A ĐẢNG ỦY XÃ B * Số 1-BC/ĐU ĐẢNG CỘNG SẢN VIỆT NAM B, ngày 1 \
                 tháng 1 năm 2024 BÁO CÁO Tổng kết năm 2023 {} II. PHƯƠNG HƯỚNG - Á {}",
                raw.replace('\n', " "),
                "Đạt 5 tỷ đồng. ".repeat(70),
            );
            let text = Normalized::new(&flat);
            let report = parse(&text);
            prop_assert!(spans_are_inside(&text, &report));
        }

        #[test]
        fn normalising_is_idempotent(raw in prop_oneof![any::<String>(), vietnamese_ish()]) {
            let once = Normalized::new(&raw);
            prop_assert_eq!(Normalized::new(once.as_str()), once);
        }
    }

    #[test]
    fn a_mebibyte_of_digits_and_slashes_parses() {
        let raw: String = "12/3/2023 4.5/6,7 8/9 ".repeat(1 << 20 >> 5);
        let report = parse(&Normalized::new(&raw));
        assert!(spans_are_inside(&Normalized::new(&raw), &report));
    }

    #[test]
    fn a_mebibyte_of_table_rows_and_bars_parses() {
        let rows = "Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | % so KH\n".to_string()
            + &"Đàn bò | con | 800 | 840 | 105\n".repeat(1 << 20 >> 5);
        let text = Normalized::new(&rows);
        let report = parse(&text);
        assert!(spans_are_inside(&text, &report));
        let bars = "| ".repeat(1 << 19) + "\n" + &"x | 1\n".repeat(1 << 17);
        let text = Normalized::new(&bars);
        assert!(spans_are_inside(&text, &parse(&text)));
    }

    #[test]
    fn megabytes_of_punctuation_parse() {
        let raw = ".,;:!?…–-()/%&".repeat(200_000);
        let text = Normalized::new(&raw);
        let report = parse(&text);
        assert!(report.indicators.is_empty() && report.people.is_empty());
    }

    #[test]
    fn the_same_text_in_nfd_old_tone_marks_eth_and_entities_parses_alike() {
        use unicode_normalization::UnicodeNormalization;
        let plain = "Đảng ủy xã Hòa Bình tổng kết công tác Đảng năm 2023\nNgày 20/12/2023, Đảng ủy xã Hòa Bình tổ chức hội nghị tổng kết công tác Đảng năm 2023. Đàn bò đạt 840 con, đạt 100,11% KH giao.";
        let variant: String = plain
            .replace("Đảng", "&#208;ảng")
            .replace("ủy", "uỷ")
            .replace(", ", ",\u{a0}")
            .nfd()
            .collect();
        let a = parse(&Normalized::new(plain));
        let b = parse(&Normalized::new(&variant));
        assert_eq!(
            crate::text::fold(&a.organization.name),
            crate::text::fold(&b.organization.name)
        );
        assert_eq!(a.meeting, b.meeting);
        assert_eq!(a.indicators.len(), b.indicators.len());
        assert_eq!(a.indicators[0].value, b.indicators[0].value);
        assert_eq!(
            a.indicators[0].percent_of_plan,
            b.indicators[0].percent_of_plan
        );
    }

    #[test]
    fn an_articles_tools_under_its_headline_leave_the_headline_standing() {
        let report = parse(&Normalized::new(
            "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN CAI LẬY\n\
             Trang chủ » Tin tức - Sự kiện » Hoạt động xã, thị trấn\n\n\
             Mỹ Thành Bắc: Tổng kết công tác xây dựng Đảng năm 2024\n\
             Đăng lúc: 25/12/2024 16:40 - Lượt xem: 1.024\n\
             Cỡ chữ: A- A A+  |  In trang  |  Gửi email\n\n\
             Sáng ngày 24/12/2024, Đảng bộ xã Mỹ Thành Bắc tổ chức Hội nghị tổng kết công tác xây \
             dựng Đảng năm 2024 và triển khai phương hướng, nhiệm vụ năm 2025.\n\
             Kết quả đánh giá chất lượng năm 2024: 19/19 chi bộ HTNV trở lên, trong đó có 4 chi bộ \
             HTXSNV, 13 chi bộ HTTNV, 2 chi bộ HTNV. Có 312 đảng viên (96,3%) hoàn thành tốt \
             nhiệm vụ trở lên, trong đó 52 đảng viên (16,1%) hoàn thành xuất sắc nhiệm vụ.\n",
        ));
        assert_eq!(
            report.title,
            "Mỹ Thành Bắc: Tổng kết công tác xây dựng Đảng năm 2024"
        );
        assert_eq!(report.kind, ReportKind::NewsArticle);
        // "chi bộ HTNV" rates cells; it names no cell.
        assert_eq!(report.organization.name, "Mỹ Thành Bắc");
        assert_eq!(report.cell_ratings.excellent, 4);
        // A share in brackets between a count and its level.
        assert_eq!(
            (report.member_ratings.excellent, report.member_ratings.good),
            (52, 260)
        );
        assert!(!menu_line("Cỡ chữ: A- A A+  |  In trang  |  Gửi email"));
        assert!(menu_line("Trang chủ | Giới thiệu | Tin tức | Liên hệ"));
        assert!(menu_line(
            "Chính trị | Xã hội | Kinh tế | Văn hóa | Thể thao | Du lịch | Gia Lai 48h"
        ));
    }

    #[test]
    fn a_sections_label_gives_way_to_the_headline_that_names_the_unit() {
        let report = parse(&Normalized::new(
            "BÁO BÀ RỊA - VŨNG TÀU ĐIỆN TỬ\n\
             Trang chủ   Chính trị   Kinh tế   Xã hội   Pháp luật   Văn hóa\n\
             Thứ Bảy, 06/01/2024, 10:32 [GMT+7]\n\n\
             Chính trị - Xây dựng Đảng\n\n\
             Đảng bộ thị trấn Phước Bửu đạt và vượt 15/16 chỉ tiêu năm 2023\n\n\
             (BR-VT) - Ngày 5/1, Ban Chấp hành Đảng bộ thị trấn Phước Bửu (huyện Xuyên Mộc) tổ \
             chức Hội nghị tổng kết công tác xây dựng Đảng năm 2023 và triển khai phương hướng, \
             nhiệm vụ năm 2024.\n",
        ));
        assert_eq!(
            report.title,
            "Đảng bộ thị trấn Phước Bửu đạt và vượt 15/16 chỉ tiêu năm 2023"
        );
        assert_eq!(report.organization.name, "Phước Bửu");
    }

    #[test]
    fn many_units_holding_their_reviews_are_a_round_up() {
        let kind = |lead: &str| {
            parse(&Normalized::new(&format!(
                "{lead}\nThu ngân sách đạt 14,6 tỷ đồng, bằng 121,5% dự toán.\n"
            )))
            .kind
        };
        for lead in [
            "Nho Quan: Các đảng bộ cơ sở tổng kết công tác xây dựng Đảng năm 2021",
            "Từ ngày 24/12/2021 đến ngày 4/1/2022, các đảng bộ xã, thị trấn trên địa bàn huyện \
             Nho Quan đã tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2021.",
        ] {
            assert_eq!(kind(lead), ReportKind::NotAReport, "{lead}");
        }
        // A unit that leads its cells, or directs them, reviews its own year.
        for lead in [
            "Ngày 20/12/2023, Đảng ủy xã Gia Lâm tổ chức hội nghị tổng kết công tác xây dựng \
             Đảng năm 2023; Đảng ủy đã lãnh đạo các chi bộ hoàn thành nhiệm vụ.",
            "Ngày 20/12/2023, Đảng ủy xã Gia Lâm tổng kết công tác năm 2023, chỉ đạo các đảng \
             bộ, chi bộ trực thuộc tổ chức tổng kết.",
        ] {
            assert_eq!(kind(lead), ReportKind::NewsArticle, "{lead}");
        }
    }

    #[test]
    fn a_review_of_one_field_of_party_work_is_no_year_end_report() {
        let kind = |title: &str| {
            parse(&Normalized::new(&format!(
                "{title}\nSáng 22/12, Đảng ủy xã Đức Trọng tổ chức hội nghị tổng kết năm 2025, \
                 triển khai nhiệm vụ năm 2026. Năm 2025 kết nạp 12 đảng viên.\n"
            )))
            .kind
        };
        for title in [
            "Đảng ủy xã Đức Trọng tổng kết công tác dân vận năm 2025",
            "Đảng ủy xã Đức Trọng tổng kết công tác kiểm tra, giám sát năm 2025",
            "Đảng ủy xã Đức Trọng sơ kết công tác tuyên giáo năm 2025",
            "Đức Trọng tổng kết công tác tuyển chọn, gọi công dân nhập ngũ năm 2025",
            "Đức Trọng tổng kết công tác quốc phòng năm 2025",
            "Đồng Phú: 11/11 đảng bộ xã, thị trấn hoàn thành hội nghị tổng kết năm 2021",
        ] {
            assert_eq!(kind(title), ReportKind::NotAReport, "{title}");
        }
        for title in [
            "Đảng ủy xã Đức Trọng tổng kết công tác xây dựng Đảng năm 2025",
            "Đảng ủy xã Đức Trọng tổng kết công tác Đảng, công tác dân vận năm 2025",
        ] {
            assert_eq!(kind(title), ReportKind::NewsArticle, "{title}");
        }
    }

    #[test]
    fn plans_in_brackets_after_a_rate_or_a_count() {
        let report = an_hoa(
            "Kết nạp 5 đảng viên mới, đạt 125% chỉ tiêu (chỉ tiêu 4 đảng viên). Giá trị sản xuất \
             công nghiệp tăng 10,2% (KH 12%). Giao 12/12 quân nhân, đạt 100% chỉ tiêu.",
        );
        type Fact = (Option<f64>, Option<f64>, Option<f64>, Option<f64>);
        let facts: Vec<Fact> = report
            .indicators
            .iter()
            .skip(1)
            .map(|i| (i.value, i.change_percent, i.plan_value, i.total))
            .collect();
        assert_eq!(
            facts,
            [
                (Some(5.0), None, Some(4.0), None),
                (None, Some(10.2), Some(12.0), None),
                (Some(12.0), None, None, Some(12.0)),
            ]
        );
    }

    #[test]
    fn a_training_course_is_no_report() {
        let report = parse(&Normalized::new(
            "Huyện ủy Châu Thành bồi dưỡng nghiệp vụ công tác Đảng cho cấp ủy cơ sở năm 2024\n\
             Sáng 14/11, Ban Thường vụ Huyện ủy Châu Thành khai giảng lớp bồi dưỡng cho 165 học \
             viên. Năm 2023, toàn Đảng bộ kết nạp 312 đảng viên, tổng kết công tác năm đạt kết \
             quả tốt.\n",
        ));
        assert_eq!(report.kind, ReportKind::NotAReport);
    }

    #[test]
    fn a_place_before_a_name_is_no_part_of_it() {
        let report = an_hoa(
            "Bí thư Đảng ủy xã Tăng Thành Phan Đình Lực cho biết, Đảng bộ kết nạp 9 đảng viên. \
             Dự hội nghị có các đồng chí: Hoàng Thị Kim Cúc, Phó Bí thư Thường trực Tỉnh ủy; Vy \
             Văn Sơn, Phó Bí thư Tỉnh ủy. Phát biểu chỉ đạo, Phó Bí thư Thường trực Huyện ủy \
             Lạng Giang Ngô Thị Thanh Hà đề nghị chuẩn bị tốt đại hội; Bí thư Đảng ủy xã Thân \
             Văn Hải khẳng định quyết tâm.",
        );
        let names: Vec<&str> = report.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Phan Đình Lực",
                "Hoàng Thị Kim Cúc",
                "Vy Văn Sơn",
                "Ngô Thị Thanh Hà",
                "Thân Văn Hải"
            ]
        );
    }

    #[test]
    fn a_banks_branch_is_an_agency() {
        let report = parse(&Normalized::new(
            "Đảng bộ Agribank Chi nhánh thành phố Cần Thơ tổng kết công tác Đảng năm 2023\n\
             Ngày 28/12, Đảng bộ Agribank Chi nhánh thành phố Cần Thơ tổ chức Hội nghị tổng kết \
             công tác xây dựng Đảng năm 2023. Tổng nguồn vốn huy động đạt 12.450 tỷ đồng.\n",
        ));
        assert_eq!(report.organization.level, crate::model::Level::Agency);
        assert_eq!(
            report.organization.name,
            "Agribank Chi nhánh thành phố Cần Thơ"
        );
    }

    #[test]
    fn a_stated_count_is_the_rated_total_only_when_the_ratings_add_up_to_it() {
        let members = |count: &str| {
            parse(&Normalized::new(&format!(
                "Đảng bộ Công an quận Sơn Trà tổng kết công tác xây dựng Đảng năm 2024\n\
                 Đảng bộ hiện có 15 chi bộ trực thuộc với {count} đảng viên. Kết quả đánh giá, \
                 xếp loại năm 2024 có 38 đảng viên hoàn thành xuất sắc nhiệm vụ, 201 đảng viên \
                 hoàn thành tốt nhiệm vụ, 7 đảng viên hoàn thành nhiệm vụ.\n"
            )))
            .member_ratings
        };
        assert_eq!(members("246").total, 246);
        // Some members were not rated: the count is no total of the ratings.
        assert_eq!(members("260").total, 0);
        assert_eq!(members("260").excellent, 38);
    }

    #[test]
    fn a_titles_abbreviation_with_a_dot_does_not_end_the_sentence() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Mỹ Thành Bắc tổng kết công tác xây dựng Đảng năm 2024\n\
             Tham dự hội nghị có Đ/c Nguyễn Thị Bé Tư - Bí thư Đảng ủy xã; Đ/c Trương Văn Lộc - \
             PBT. TT Đảng ủy xã; Đ/c Huỳnh Minh Trí - PBT, CT. UBND xã.\n",
        ));
        assert_eq!(
            people_titles(&report),
            [
                ("Nguyễn Thị Bé Tư", vec!["Bí thư Đảng ủy xã"]),
                ("Trương Văn Lộc", vec!["PBT. TT Đảng ủy xã"]),
                ("Huỳnh Minh Trí", vec!["PBT", "CT. UBND xã"]),
            ]
        );
    }

    #[test]
    fn a_self_rating_put_to_a_superior_and_a_total_split_into_levels() {
        let report = an_hoa(
            "Tập thể Ban Chấp hành Đảng bộ xã tự đánh giá, đề nghị Ban Thường vụ Tỉnh ủy xếp loại \
             hoàn thành tốt nhiệm vụ.\n\
             * Tổng số chi bộ: 18; trong đó HTXSNV: 03; HTTNV: 13; HTNV: 02; KHTNV: 0.\n\
             * Hoàn thành xóa 58/58 căn nhà tạm; chỉnh trang 6 tuyến ngõ.",
        );
        assert_eq!(report.rating.rating, crate::model::Rating::Good);
        let c = &report.cell_ratings;
        assert_eq!([c.excellent, c.good, c.completed, c.total], [3, 13, 2, 18]);
        let units = units_besides_members(&report);
        assert_eq!(units, ["căn", "tuyến ngõ"]);
    }

    #[test]
    fn kindred_units_listed_together_are_one_unit_and_organisations_are_cells() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã An Hòa tổng kết công tác xây dựng Đảng năm 2023\n\
             Có 16/18 thôn, tổ dân phố được công nhận đạt danh hiệu văn hóa; 12 doanh nghiệp, \
             hợp tác xã mới thành lập; 1.200 hộ, 3 thôn đạt chuẩn.\n\
             Kết quả đánh giá, xếp loại năm 2023: trong 55 tổ chức cơ sở đảng có 9 tổ chức hoàn \
             thành xuất sắc nhiệm vụ, 41 tổ chức hoàn thành tốt nhiệm vụ, 4 tổ chức hoàn thành \
             nhiệm vụ, 1 tổ chức không hoàn thành nhiệm vụ.",
        ));
        let units = units_besides_members(&report);
        assert_eq!(
            units,
            ["thôn, tổ dân phố", "doanh nghiệp, hợp tác xã", "hộ", "thôn"]
        );
        let c = &report.cell_ratings;
        assert_eq!(
            [c.excellent, c.good, c.completed, c.not_completed, c.total],
            [9, 41, 4, 1, 55]
        );
    }

    #[test]
    fn the_current_term_is_the_latest_begun_and_a_congress_to_come_is_none() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Tứ Xã tổng kết công tác năm 2020\n\
             Năm 2020 là năm cuối thực hiện Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2015 - 2020 và \
             là năm tổ chức thành công Đại hội Đảng bộ xã lần thứ XXIV, nhiệm kỳ 2020 - 2025.\n",
        ));
        assert_eq!(report.organization.term_period, "2020-2025");
        assert_eq!(report.organization.term, "XXIV");
        let report = parse(&Normalized::new(
            "Đảng bộ xã Mỹ Thành Bắc tổng kết công tác năm 2024\n\
             Năm 2024 là năm cuối thực hiện Nghị quyết Đại hội Đảng bộ xã lần thứ XI, nhiệm kỳ \
             2020 - 2025. Năm 2025, tổ chức thành công Đại hội Đảng bộ xã lần thứ XII, nhiệm kỳ \
             2025 - 2030.\n",
        ));
        assert_eq!(report.organization.term_period, "2020-2025");
        assert_eq!(report.organization.term, "XI");
    }

    #[test]
    fn an_enterprises_party_unit_in_a_news_article() {
        let report = parse(&Normalized::new(
            "Đảng bộ Công ty Xổ số kiến thiết Sóc Trăng: 6/6 chỉ tiêu năm 2024 vượt kế hoạch\n\
             (STO) - Chiều 13-1, Đảng bộ Công ty TNHH MTV Xổ số kiến thiết Sóc Trăng tổ chức hội \
             nghị tổng kết công tác Đảng năm 2024.\n\
             Dự hội nghị có đồng chí Sơn Thị Sô Phia, Phó Bí thư Đảng ủy Khối Doanh nghiệp tỉnh.\n",
        ));
        assert_eq!(
            report.organization.name,
            "Công ty TNHH MTV Xổ số kiến thiết Sóc Trăng"
        );
        assert_eq!(report.organization.level, crate::model::Level::Agency);
    }

    #[test]
    fn a_path_with_slashes_is_no_headline_and_a_ten_year_review_is_no_report() {
        let report = parse(&Normalized::new(
            "CỔNG THÔNG TIN ĐIỆN TỬ QUẬN DƯƠNG KINH\n\
             Tin tức - Sự kiện / Tin phường\n\n\
             Phường Hòa Nghĩa: Năm 2021 hoàn thành 12/12 chỉ tiêu\n\n\
             Ngày 28/12, Đảng bộ phường Hòa Nghĩa tổ chức hội nghị tổng kết công tác xây dựng \
             Đảng năm 2021.\n",
        ));
        assert_eq!(
            report.title,
            "Phường Hòa Nghĩa: Năm 2021 hoàn thành 12/12 chỉ tiêu"
        );
        let report = parse(&Normalized::new(
            "Diên Lạc tổng kết 10 năm thực hiện Nghị quyết Trung ương 7 (khóa X)\n\
             Sáng 21/11, Đảng ủy xã Diên Lạc tổ chức hội nghị tổng kết 10 năm thực hiện Nghị \
             quyết số 26-NQ/TW về nông nghiệp, nông dân, nông thôn.\n",
        ));
        assert_eq!(report.kind, ReportKind::NotAReport);
    }

    #[test]
    fn a_headlines_figure_repeated_in_the_body_is_one_fact() {
        let report = parse(&Normalized::new(
            "Phường Hòa Nghĩa: Năm 2021 hoàn thành 12/12 chỉ tiêu, thu ngân sách đạt 128,6% dự toán\n\n\
             Ngày 28/12, Đảng bộ phường Hòa Nghĩa tổ chức hội nghị tổng kết công tác xây dựng Đảng \
             năm 2021. Thu ngân sách trên địa bàn đạt 36,154 tỷ đồng, đạt 128,6% dự toán.\n",
        ));
        let budget: Vec<(Option<f64>, Option<f64>)> = report
            .indicators
            .iter()
            .filter(|i| i.key == "budget_revenue")
            .map(|i| (i.value, i.percent_of_plan))
            .collect();
        assert_eq!(budget, [(Some(36.154), Some(128.6))]);
        // A headline's figure the body does not give stays.
        let report = parse(&Normalized::new(
            "Phường Hòa Nghĩa: thu ngân sách đạt 128,6% dự toán\n\n\
             Ngày 28/12, Đảng bộ phường Hòa Nghĩa tổ chức hội nghị tổng kết công tác xây dựng Đảng \
             năm 2021.\n",
        ));
        assert_eq!(
            report
                .indicators
                .iter()
                .filter(|i| i.key == "budget_revenue")
                .count(),
            1
        );
    }

    #[test]
    fn a_rate_beside_the_plans_figure_after_a_comma() {
        let report = an_hoa(
            "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 93,75%, KH 95%; giải ngân vốn đầu tư công \
             486,7 tỷ đồng, đạt 91,4% kế hoạch.",
        );
        let facts: Vec<(Option<f64>, Option<f64>, Option<f64>)> = report
            .indicators
            .iter()
            .filter(|i| i.unit != "đảng viên")
            .map(|i| (i.percent, i.percent_of_plan, i.plan_value))
            .collect();
        assert_eq!(
            facts,
            [(Some(93.75), None, Some(95.0)), (None, Some(91.4), None)]
        );
    }

    #[test]
    fn a_deputy_signing_for_the_secretary_and_a_full_course_of_doses() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ HUYỆN MƯỜNG LA\nĐẢNG ỦY XÃ MƯỜNG BÚ\n\nBÁO CÁO\nTổng kết công tác Đảng năm 2024\n\n\
             Năm 2024, 98,6% người từ 18 tuổi trở lên được tiêm đủ 2 mũi vắc xin; chỉnh trang \
             14 kiệt, hẻm.\n\n\
             T/M ĐẢNG ỦY\nK/T BÍ THƯ\nPHÓ BÍ THƯ\n\nLò Văn Biên\n",
        ));
        assert_eq!(
            people_titles(&report),
            [("Lò Văn Biên", vec!["Phó Bí thư"])]
        );
        let facts: Vec<(Option<f64>, &str)> = report
            .indicators
            .iter()
            .map(|i| (i.value.or(i.percent), i.unit.as_str()))
            .collect();
        assert_eq!(facts, [(Some(98.6), ""), (Some(14.0), "kiệt, hẻm")]);
    }

    #[test]
    fn ranks_before_names_are_titles_and_end_the_previous_person() {
        let report = parse(&Normalized::new(
            "Đảng bộ Công an huyện Krông Pắc tổng kết công tác xây dựng Đảng năm 2023\n\n\
             Dự hội nghị có Đại tá Trần Văn Khoa - Ủy viên Ban Thường vụ Đảng ủy, Phó Giám đốc \
             Công an tỉnh. Chủ trì hội nghị có Thượng tá Nguyễn Văn Bình, HUV, Bí thư Đảng ủy, \
             Trưởng Công an huyện và Trung tá Phạm Đức Long – Phó Bí thư Đảng ủy, Cục trưởng \
             Cục Thuế. Tổng số đảng viên là 184 đồng chí. Trao Huy hiệu Đảng cho 14 đồng chí.\n",
        ));
        assert_eq!(
            people_titles(&report),
            [
                (
                    "Trần Văn Khoa",
                    vec![
                        "Đại tá",
                        "Ủy viên Ban Thường vụ Đảng ủy",
                        "Phó Giám đốc Công an tỉnh"
                    ]
                ),
                (
                    "Nguyễn Văn Bình",
                    vec!["Thượng tá", "HUV", "Bí thư Đảng ủy", "Trưởng Công an huyện"]
                ),
                (
                    "Phạm Đức Long",
                    vec!["Trung tá", "Phó Bí thư Đảng ủy", "Cục trưởng Cục Thuế"]
                ),
            ]
        );
    }

    #[test]
    fn levels_without_nhiệm_vụ_a_scored_self_rating_a_deity_and_a_term_after_a_council() {
        let report = parse(&Normalized::new(
            "Đảng bộ phường Vĩnh Phước tổng kết công tác năm 2022\n\
             Về phía phường có đồng chí Hứa Minh Phát (Phó Bí thư Thường trực Đảng uỷ, Chủ tịch \
             HĐND phường) cùng các đồng chí trong Ban Chấp hành Đảng bộ phường khoá XII. \
             Đảng uỷ chỉ đạo tổ chức tốt lễ Vía Bà Thiên Hậu của đồng bào Hoa. Kết quả xếp loại \
             năm 2022: 02 chi bộ hoàn thành xuất sắc, 07 chi bộ hoàn thành tốt, 01 chi bộ hoàn \
             thành nhiệm vụ. Ban Chấp hành Đảng bộ phường tự chấm 86,5 điểm, tự xếp loại Đảng bộ \
             phường hoàn thành tốt nhiệm vụ.\n",
        ));
        let cells = &report.cell_ratings;
        assert_eq!((cells.excellent, cells.good, cells.completed), (2, 7, 1));
        assert_eq!(report.rating.rating, crate::model::Rating::Good);
        assert_eq!(report.organization.term, "XII");
        let names: Vec<&str> = report.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Hứa Minh Phát"]);
    }

    #[test]
    fn a_plan_named_with_its_giver_a_longer_summary_and_a_post_held_as_well() {
        let report = parse(&Normalized::new(
            "Đảng bộ phường Thạch Bàn tổng kết công tác năm 2023.\n\
             Năm 2023, 18/18 chỉ tiêu Nghị quyết của Đảng ủy phường đều đạt và vượt (12 chỉ tiêu vượt).\n\
             Tỷ lệ dân số tham gia BHYT đạt 93,2% (chỉ tiêu quận giao 92,8%).\n\
             Ban Chỉ đạo có đồng chí Nguyễn Văn Cường, PBT, Chủ tịch UBND phường làm Trưởng ban.\n\
             Dự có đồng chí Huỳnh Thị Ngọc Trâm-HUV-Bí thư Đảng ủy xã; đồng chí Lê Văn Tư, CT-HĐND xã.\n",
        ));
        let summary = &report.target_summary;
        assert_eq!((summary.met, summary.total, summary.exceeded), (18, 18, 12));
        let rate = &report.indicators[0];
        assert_eq!(
            (rate.percent, rate.plan_value, report.indicators.len()),
            (Some(93.2), Some(92.8), 1)
        );
        assert_eq!(
            people_titles(&report),
            [
                ("Nguyễn Văn Cường", vec!["PBT", "Chủ tịch UBND phường"]),
                // A hyphen without spaces parts titles, not a body's name.
                ("Huỳnh Thị Ngọc Trâm", vec!["HUV", "Bí thư Đảng ủy xã"]),
                ("Lê Văn Tư", vec!["CT-HĐND xã"]),
            ]
        );
    }

    #[test]
    fn tables_flattened_to_a_cell_a_line_or_without_their_corner_are_read() {
        let counts = |report: &ParsedReport| {
            let (c, m) = (&report.cell_ratings, &report.member_ratings);
            (
                [c.excellent, c.good, c.completed, c.not_completed, c.total],
                [m.excellent, m.good, m.completed, m.not_completed, m.total],
            )
        };
        // A PDF's text layer: one cell per line, the header with its corner.
        let report = parse(&Normalized::new(
            "ĐẢNG ỦY XÃ TÂN CƯƠNG\nBÁO CÁO\nTổng kết công tác năm 2024\n\
             Kết quả xếp loại chất lượng năm 2024:\nNội dung\nTổng số\nHTXSNV\nHTTNV\nHTNV\nKHTNV\n\
             Chi bộ\n21\n3\n16\n2\n0\nĐảng viên\n427\n61\n339\n25\n2\nTrang 3/5\n",
        ));
        assert_eq!(counts(&report), ([3, 16, 2, 0, 21], [61, 339, 25, 2, 427]));
        // Columns set apart by spaces, the header without its corner cell.
        let report = parse(&Normalized::new(
            "ĐẢNG ỦY PHƯỜNG THẠCH BÀN\nBÁO CÁO\nTổng kết công tác năm 2023\n\n\
             \x20                HTXSNV      HTTNV      HTNV      KHTNV      Tổng số\n\
             Chi bộ           4           25         2         0          31\n\
             Đảng viên        142         861        49        3          1.055\n",
        ));
        assert_eq!(
            counts(&report),
            ([4, 25, 2, 0, 31], [142, 861, 49, 3, 1055])
        );
        // Rows that open on their numbers, a year under its label, a "%"
        // alone on its line; the table's figures join the prose's.
        let report = parse(&Normalized::new(
            "ĐẢNG ỦY XÃ TÂN CƯƠNG\nBÁO CÁO\nTổng kết công tác năm 2024, phương hướng năm 2025\n\
             I. KẾT QUẢ\nNăm 2024, thu nhập bình quân đầu người đạt 78,5 triệu đồng/người/năm.\n\n\
             PHỤ LỤC\nTT\nChỉ tiêu\nĐVT\nKH 2024\nTH 2024\nSo KH (%)\nChỉ tiêu\n2025\n\
             1\nThu nhập bình quân đầu người\nTr.đồng/người/năm\n76\n78,5\n103,3\n83\n\
             2\nTỷ lệ hộ nghèo\n%\n0,5\n0,38\nĐạt\n< 0,3\n",
        ));
        // Each item's unit, amount (or rate), plan and rate of plan.
        type Row = (String, Option<f64>, Option<f64>, Option<f64>);
        let found = |items: &[crate::model::Indicator]| -> Vec<Row> {
            items
                .iter()
                .map(|i| {
                    let amount = i.value.or(i.percent);
                    (i.unit.clone(), amount, i.plan_value, i.percent_of_plan)
                })
                .collect()
        };
        assert_eq!(
            found(&report.indicators),
            [
                (
                    "triệu đồng/người/năm".into(),
                    Some(78.5),
                    Some(76.0),
                    Some(103.3)
                ),
                (String::new(), Some(0.38), Some(0.5), None),
            ]
        );
        assert_eq!(
            found(&report.targets),
            [
                ("Tr.đồng/người/năm".into(), Some(83.0), None, None),
                (String::new(), Some(0.3), None, None),
            ]
        );
        assert_eq!(report.targets[1].qualifier, crate::model::Qualifier::Under);
    }

    #[test]
    fn listed_things_codes_and_counted_nouns() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã A tổng kết công tác năm 2023.\n\
             Sản lượng gạch, gốm ước đạt 36 triệu viên. Tổng đàn trâu, bò 1.245 con. \
             Có 13/14 thôn, bon, tổ dân phố đạt danh hiệu văn hóa. Tỷ lệ tiêm vắc xin phòng \
             Covid-19 mũi 3 đạt 95%. Xây dựng 2 cầu bê tông. \
             Có 1.142 phương tiện khai thác thủy sản.\n",
        ));
        let found: Vec<(&str, Option<f64>, &str, &str)> = report
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.value, i.unit.as_str(), i.key.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("Sản lượng gạch, gốm", Some(36.0), "triệu viên", ""),
                (
                    "Tổng đàn trâu, bò",
                    Some(1245.0),
                    "con",
                    "cattle_buffalo_herd"
                ),
                (
                    "thôn, bon, tổ dân phố đạt danh hiệu văn hóa",
                    Some(13.0),
                    "thôn, bon, tổ dân phố",
                    "cultural_villages"
                ),
                // "Covid-19" names a disease, not 19 of anything.
                (
                    "Tỷ lệ tiêm vắc xin phòng Covid-19 mũi 3",
                    None,
                    "",
                    "covid_vaccination"
                ),
                ("Xây dựng cầu bê tông", Some(2.0), "cầu", ""),
                // Boats, not the catch: no key that promises tonnes.
                (
                    "phương tiện khai thác thủy sản",
                    Some(1142.0),
                    "phương tiện",
                    ""
                ),
            ],
            "{:#?}",
            report.indicators
        );
        assert!(
            report.warnings.iter().any(|w| w.contains("fishing_output")),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn titles_after_và_that_end_on_a_name_are_that_persons() {
        let report = parse(&Normalized::new(
            "Đảng bộ xã Tam Thanh tổng kết công tác xây dựng Đảng năm 2021\n\n\
             Chủ trì hội nghị có đ/c Trần Văn Mười, HUV, Bí thư Đảng ủy xã; đc Nguyễn Ngọc Ánh, \
             PBT TT ĐU xã và CT. UBND xã Lê Quang Vinh. Dự có đồng chí Lê Văn Hai, Bí thư Đảng \
             ủy và Chủ tịch UBND xã.\n",
        ));
        assert_eq!(
            people_titles(&report),
            [
                ("Trần Văn Mười", vec!["HUV", "Bí thư Đảng ủy xã"]),
                ("Nguyễn Ngọc Ánh", vec!["PBT TT ĐU xã"]),
                ("Lê Quang Vinh", vec!["CT. UBND xã"]),
                // Both titles of one person: no name after "và".
                ("Lê Văn Hai", vec!["Bí thư Đảng ủy và Chủ tịch UBND xã"]),
            ]
        );
    }

    #[test]
    fn a_site_banner_gives_way_to_the_headline_and_its_unit() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH LONG AN\n\
             Trang chủ / Tin tức / Hoạt động các đảng bộ\n\n\
             Đảng bộ Cục Thuế tỉnh Long An tổng kết công tác xây dựng Đảng năm 2023\n\n\
             Sáng 28/12/2023, Đảng bộ Cục Thuế tỉnh Long An tổ chức hội nghị tổng kết công tác \
             xây dựng Đảng năm 2023. Đến dự có đồng chí Võ Thanh Tùng, Phó Bí thư Đảng ủy Khối \
             các cơ quan và doanh nghiệp tỉnh.\n",
        ));
        assert_eq!(report.organization.name, "Cục Thuế tỉnh Long An");
        assert_eq!(report.organization.level, crate::model::Level::Agency);

        let report = parse(&Normalized::new(
            "THỊ TRẤN NGHÈN - HUYỆN CAN LỘC - TỈNH HÀ TĨNH\n\
             Trang chủ / Tin tức\n\n\
             Thị trấn Nghèn tổng kết công tác xây dựng Đảng năm 2024, triển khai nhiệm vụ năm 2025\n\
             Sáng 20/12, Ban Chấp hành Đảng bộ thị trấn Nghèn tổ chức Hội nghị tổng kết công tác \
             xây dựng Đảng năm 2024.\n",
        ));
        assert_eq!(
            report.title,
            "Thị trấn Nghèn tổng kết công tác xây dựng Đảng năm 2024, triển khai nhiệm vụ năm 2025"
        );
    }

    #[test]
    fn plans_stated_beside_results() {
        let report = an_hoa(
            "Kết nạp 14 đảng viên mới, đạt 116,67% chỉ tiêu Nghị quyết (12 đảng viên). Tỷ lệ \
             dân số tham gia BHYT đạt 92,41%, chỉ tiêu 93%. Trồng mới 23 ha rừng, đạt 115% kế \
             hoạch (23/20). Diện tích gieo trồng lúa 3 vụ của xã đạt 6.820 ha; nhân dân đóng góp \
             1.215 ngày công; 12/12 xã, phường đạt chuẩn. Thôn Bản Ngọc kết nạp 8 đảng viên \
             mới/KH 8.",
        );
        type Fact<'a> = (Option<f64>, Option<f64>, Option<f64>, &'a str);
        let facts: Vec<Fact> = report
            .indicators
            .iter()
            .skip(1)
            .map(|i| (i.value, i.percent, i.plan_value, i.unit.as_str()))
            .collect();
        assert_eq!(
            facts,
            [
                (Some(14.0), None, Some(12.0), "đảng viên"),
                (None, Some(92.41), Some(93.0), ""),
                (Some(23.0), None, Some(20.0), "ha"),
                (Some(6820.0), None, None, "ha"),
                (Some(1215.0), None, None, "ngày công"),
                (Some(12.0), None, None, "xã, phường"),
                (Some(8.0), None, Some(8.0), "đảng viên"),
            ]
        );
        assert!(report.indicators[4].name.contains("3 vụ"));
    }

    #[test]
    fn a_signature_printed_beside_the_distribution_list() {
        let signed = |gap: &str| {
            let text = format!(
                "ĐẢNG BỘ HUYỆN TĨNH GIA\nĐẢNG ỦY XÃ XUÂN NINH\n\nBÁO CÁO\nTổng kết công tác xây \
                 dựng Đảng năm 2023\n\nNăm 2023, Đảng bộ xã kết nạp 12 đảng viên mới.\n\n\
                 Nơi nhận:{gap}T/M ĐẢNG ỦY\n- Ban Thường vụ Huyện ủy (b/c);{gap}BÍ THƯ\n\
                 - Các đồng chí Đảng ủy viên;{gap}(đã ký)\n\
                 - Lưu Văn phòng Đảng ủy.{gap}Trần Văn Hưng\n"
            );
            let report = parse(&Normalized::new(&text));
            report
                .people
                .iter()
                .map(|p| (p.name.clone(), p.titles.clone()))
                .collect::<Vec<_>>()
        };
        let signer = [("Trần Văn Hưng".to_string(), vec!["Bí thư".to_string()])];
        assert_eq!(signed("\t\t\t\t"), signer);
        assert_eq!(signed("                         "), signer);
    }

    #[test]
    fn a_place_and_date_line_beside_the_headers_star() {
        let report = parse(&Normalized::new(
            "ĐẢNG BỘ HUYỆN TĨNH GIA\t\tĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY XÃ XUÂN NINH\n\
             \t*\t\tXuân Ninh, ngày 15 tháng 12 năm 2023\nSố 52-BC/ĐU\n\nBÁO CÁO\n\
             Tổng kết công tác xây dựng Đảng năm 2023\n\nNăm 2023, Đảng bộ xã kết nạp 12 đảng \
             viên mới.\n",
        ));
        assert_eq!(report.document_date, "2023-12-15");
        assert_eq!(report.meeting.date, "");
    }

    #[test]
    fn counts_spelled_out_in_words() {
        let report = an_hoa(
            "Hỗ trợ sửa chữa hai mươi lăm căn nhà cho hộ nghèo; có ba mươi sáu hộ thoát nghèo. \
             Kết quả xếp loại năm 2023: hai chi bộ hoàn thành xuất sắc nhiệm vụ, mười một chi bộ \
             hoàn thành tốt nhiệm vụ, một chi bộ hoàn thành nhiệm vụ. Về đảng viên: 385 đồng chí \
             được đánh giá (miễn đánh giá 27 đồng chí), trong đó 57 đồng chí HTXSNV. Khen thưởng \
             04 tập thể và mười cá nhân. Nhân dân đóng góp gần hai mươi tỉ đồng làm đường.",
        );
        let values: Vec<(Option<f64>, &str)> = report
            .indicators
            .iter()
            .map(|i| (i.value, i.unit.as_str()))
            .filter(|(_, unit)| ["căn", "hộ", "tỉ đồng"].contains(unit))
            .collect();
        assert_eq!(
            values,
            [
                (Some(25.0), "căn"),
                (Some(36.0), "hộ"),
                (Some(20.0), "tỉ đồng")
            ]
        );
        let cells = &report.cell_ratings;
        assert_eq!((cells.excellent, cells.good, cells.completed), (2, 11, 1));
        assert_eq!(report.member_ratings.total, 385);
        assert_eq!(
            (report.awards.collectives, report.awards.individuals),
            (4, 10)
        );
    }

    #[test]
    fn a_second_base_and_a_places_make_up() {
        let report = an_hoa(
            "Xã An Hòa có 14 thôn, buôn, trong đó có 6 buôn đồng bào dân tộc thiểu số. Thu ngân \
             sách nhà nước trên địa bàn đạt 21,5 tỷ đồng, đạt 100,44% dự toán tỉnh giao, bằng \
             93,8% so với cùng kỳ. Có 9/11 thôn đạt chuẩn nông thôn mới.",
        );
        let facts: Vec<(&str, Option<f64>, Option<f64>, crate::model::Base)> = report
            .indicators
            .iter()
            .skip(1)
            .map(|i| (i.name.as_str(), i.value, i.percent_of_plan, i.base))
            .collect();
        assert_eq!(
            facts,
            [
                (
                    "Thu ngân sách nhà nước trên địa bàn",
                    Some(21.5),
                    Some(100.44),
                    crate::model::Base::BudgetEstimate
                ),
                (
                    "Thu ngân sách nhà nước trên địa bàn so với cùng kỳ",
                    None,
                    Some(93.8),
                    crate::model::Base::SamePeriod
                ),
                (
                    "thôn đạt chuẩn nông thôn mới",
                    Some(9.0),
                    None,
                    crate::model::Base::Unspecified
                ),
            ]
        );
    }

    #[test]
    fn a_committees_website_is_no_header_and_a_title_before_a_name_is_no_unit() {
        let report = parse(&Normalized::new(
            "HUYỆN ỦY QUỲNH NHAI - TRANG THÔNG TIN ĐIỆN TỬ\n\
             Trang chủ | Tin hoạt động | Xây dựng Đảng | Văn bản\n\n\
             Đảng ủy xã Chiềng Ơn tổ chức Hội nghị Ban Chấp hành Đảng bộ xã lần thứ 26\n\n\
             Ngày 23/12/2024, Ban Chấp hành Đảng bộ xã Chiềng Ơn tổ chức Hội nghị lần thứ 26 \
             tổng kết công tác lãnh đạo, chỉ đạo thực hiện nhiệm vụ năm 2024, triển khai \
             phương hướng, nhiệm vụ năm 2025. Bí thư Đảng ủy xã Lò Văn Thanh cho biết, năm 2024 \
             Đảng bộ xã hoàn thành 16/18 chỉ tiêu.\n",
        ));
        assert_eq!(report.kind, ReportKind::NewsArticle);
        assert_eq!(report.report_year, 2024);
        assert_eq!(report.organization.name, "Chiềng Ơn");
    }
}
