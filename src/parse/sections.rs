//! The parts of a text: where the directions for the plan year are (their
//! quantities are targets), the shortcomings named (tồn tại, hạn chế) and the
//! directions themselves, one phrase each. Official reports mark these with
//! numbered headings ("II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024"); news articles
//! introduce them in a sentence ("đề ra phương hướng nhiệm vụ năm 2024 với
//! các chỉ tiêu chủ yếu: …").

use std::ops::Range;
use std::sync::LazyLock;

use super::doc::{Doc, trim_range};
use super::pattern::WordRegex;
use crate::text::is_alphabetic;

static HEADING: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"^(?:phan (?:thu )?[a-z]+\b|[ivx]+\s*[.\-/)]|[0-9]{1,2}\s*[.\-/)]|[a-d]\s*\)|[a-z ,\-]{0,3}$)")
        .expect("heading pattern")
});

/// A line that is a section heading: numbered, or short and in capitals.
fn heading(doc: &Doc<'_>, range: Range<usize>) -> bool {
    let text = doc.text[range.clone()].trim();
    if text.is_empty() || text.chars().count() > 140 {
        return false;
    }
    let folded = doc.folded_of(range).trim().to_string();
    let letters: Vec<char> = text.chars().filter(|&c| is_alphabetic(c)).collect();
    let capitals = letters.len() >= 6 && letters.iter().all(|c| c.is_uppercase());
    capitals
        || (HEADING.is_match(&folded) && !text.ends_with([';', ',']) && text.chars().count() < 100)
}

fn is_directions_heading(folded: &str, plan_year: i32) -> bool {
    // "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2023" reviews the
    // period, though it names the plan year of a half-year review.
    let review = folded.contains("ket qua") || folded.contains("dau nam");
    // "TỔNG KẾT CÔNG TÁC … NĂM 2025 – QUYẾT TÂM THỰC HIỆN THẮNG LỢI NHIỆM
    // VỤ NĂM 2026": a review's headline, not its directions.
    let headline = folded.contains("tong ket") || folded.contains("so ket");
    !headline
        && (folded.contains("phuong huong")
            || (folded.contains("nhiem vu")
                || folded.contains("chi tieu")
                || folded.contains("muc tieu"))
                && !review
                && plan_year > 0
                && folded.contains(&plan_year.to_string()))
}

/// Text ranges whose quantities are targets for the plan year. A title
/// ("BÁO CÁO … NĂM 2023, / PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024") opens no section.
pub(crate) fn target_ranges(
    doc: &Doc<'_>,
    plan_year: i32,
    title: Option<&Range<usize>>,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Official reports: from a directions heading to the end of the body.
    for line in doc.body_lines() {
        if title.is_some_and(|title| line.range.start < title.end) {
            continue;
        }
        if heading(doc, line.range.clone())
            && is_directions_heading(doc.folded_of(line.range.clone()), plan_year)
        {
            let trimmed = trim_range(doc.text, line.range.clone());
            if doc
                .sentences
                .first()
                .is_some_and(|s| s.contains(&trimmed.start))
            {
                continue;
            }
            out.push(line.range.start..signature_start(doc, line.range.end));
            return out;
        }
    }
    // News: a sentence that introduces the directions and their targets.
    static INTRO: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(r"\b(?:phuong huong|nhiem vu|chi tieu|muc tieu)\b[^.:]{0,80}?\b(?:nam (\d{4})|nhiem ky (?:toi|moi|\d{4})|thoi gian toi)\b[^.:]{0,60}:|^\W*(?:trong )?nam (\d{4})\b[^.:]{0,80}?\b(?:phuong huong|nhiem vu|chi tieu|muc tieu)\b[^.:]{0,60}:|^\W*(?:trong )?nhiem ky (\d{4}) ?[-–] ?\d{4}\b[^.:]{0,80}?\b(?:phuong huong|nhiem vu|chi tieu|muc tieu)\b[^.:]{0,60}:|^\W*(?:phuong huong,? )?nhiem vu (?:(?:trong )?(?:\d+|ba|sau) thang cuoi nam|quy (?:[ivx]+|\d)|thoi gian toi)\b")
            .expect("directions intro pattern")
    });
    for (index, sentence) in doc.sentences.iter().enumerate() {
        let folded_range = doc.folded_range(sentence.clone());
        let folded = &doc.folded[folded_range.clone()];
        if index == 0 && (folded.contains("tong ket") || folded.contains("so ket")) {
            continue;
        }
        // Every introduction names the directions, tasks or targets.
        if !["phuong huong", "nhiem vu", "chi tieu", "muc tieu"]
            .iter()
            .any(|w| folded.contains(w))
        {
            continue;
        }
        if let Some(caps) = INTRO.captures(folded) {
            let m = caps.get(0).expect("group 0");
            let year: i32 = caps
                .get(1)
                .or(caps.get(2))
                .or(caps.get(3))
                .and_then(|y| y.as_str().parse().ok())
                .unwrap_or(0);
            if year > 0 && plan_year > 0 && year < plan_year {
                continue;
            }
            let start = doc
                .text_range(folded_range.start + m.start()..folded_range.start + m.end())
                .start;
            let paragraph_end = doc.text[start..]
                .find("\n")
                .map_or(doc.body_end, |i| start + i);
            out.push(start..paragraph_end.max(sentence.end));
        }
    }
    out
}

/// Where the signature block or the distribution list ("T/M ĐẢNG ỦY",
/// "Nơi nhận:") starts after `from`, or the end of the body.
fn signature_start(doc: &Doc<'_>, from: usize) -> usize {
    static SIGNATURE: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(r"^\s*(?:t/m|tm\.|kt\.|noi nhan\b|thay mat\b)").expect("signature pattern")
    });
    // The list and the signature are chrome when an appendix follows them.
    doc.lines
        .iter()
        .filter(|line| line.range.start >= from && line.range.start < doc.body_end)
        .find(|line| SIGNATURE.is_match(doc.folded_of(line.range.clone())))
        .map_or(doc.body_end, |line| line.range.start)
}

const LIMITATION_WORDS: &[&str] = &[
    "ton tai",
    "han che",
    "yeu kem",
    "bat cap",
    "khuyet diem",
    "kho khan, vuong mac",
];

/// The shortcomings named, one phrase each.
pub(crate) fn limitations(doc: &Doc<'_>) -> Vec<String> {
    let mut out = Vec::new();
    // Official reports: the lines under a "Hạn chế" heading.
    let lines: Vec<_> = doc.body_lines().cloned().collect();
    for (i, line) in lines.iter().enumerate() {
        let folded = doc.folded_of(line.range.clone());
        if heading(doc, line.range.clone()) && LIMITATION_WORDS.iter().any(|w| folded.contains(w)) {
            for next in &lines[i + 1..] {
                if heading(doc, next.range.clone()) {
                    break;
                }
                push_phrases(&doc.text[next.range.clone()], &mut out);
            }
        }
    }
    if !out.is_empty() {
        return out;
    }
    // News: the sentence that names them and the ones after it in its paragraph.
    let mut active: Option<usize> = None;
    for sentence in &doc.sentences {
        let folded = doc.folded_of(sentence.clone());
        let text = &doc.text[sentence.clone()];
        let new_paragraph = doc.text[..sentence.start]
            .trim_end_matches([' ', '\t'])
            .ends_with('\n');
        if (active.is_some() && new_paragraph)
            || ["phuong huong", "nguyen nhan", "nhiem vu", "giai phap"]
                .iter()
                .any(|w| folded.contains(w))
        {
            active = None;
        }
        if active.is_none()
            && LIMITATION_WORDS.iter().any(|w| folded.contains(w))
            && text.contains(':')
        {
            let after = &text[text.find(':').map_or(0, |i| i + 1)..];
            push_phrases(after, &mut out);
            active = Some(sentence.start);
            continue;
        }
        // "Tuy nhiên, việc chuyển đổi số còn chậm; …": shortcomings named
        // without a heading word.
        let however = folded.trim_start().starts_with("tuy nhien")
            && [" con ", " chua "].iter().any(|w| folded.contains(w));
        if active.is_none() && however {
            // Past "Tuy nhiên" (two words) and its comma.
            let after = text.trim_start().splitn(3, ' ').nth(2).unwrap_or("");
            let after = match text.trim_start().split_once(',') {
                Some((lead, rest)) if lead.split_whitespace().count() <= 2 => rest,
                _ => after,
            };
            push_phrases(after.trim_start(), &mut out);
            continue;
        }
        if active.is_some() {
            push_phrases(text, &mut out);
        }
    }
    out
}

/// The directions for the plan year, one phrase each.
pub(crate) fn directions(doc: &Doc<'_>, targets: &[Range<usize>], report_year: i32) -> Vec<String> {
    let this_year = format!("nam {report_year}");
    let mut out = Vec::new();
    let mut listing = false;
    for sentence in &doc.sentences {
        let in_range = targets
            .iter()
            .any(|r| r.contains(&sentence.start) || sentence.contains(&r.start));
        let folded = doc.folded_of(sentence.clone());
        let text = &doc.text[sentence.clone()];
        let new_paragraph = doc.text[..sentence.start]
            .trim_end_matches([' ', '\t'])
            .ends_with("\n\n");
        if new_paragraph || folded.contains("nam qua") || folded.contains("da dat") {
            listing = false;
        }
        let request = [
            "de nghi",
            "yeu cau",
            "phan dau",
            "muc tieu chu yeu",
            "nhiem vu trong tam",
        ]
        .iter()
        .any(|w| folded.contains(w))
            && !folded.contains("dap ung yeu cau")
            && !folded.contains("da phan dau")
            && (report_year == 0 || !folded.contains(&this_year))
            && !folded.contains("ket qua")
            && !folded.contains("tong ket")
            && !folded.contains("nam qua");
        if request && text.trim_end().ends_with(':') {
            listing = true;
            continue;
        }
        if in_range || request || listing {
            let body = match text.find(':') {
                Some(i) if i + 1 < text.len() => &text[i + 1..],
                _ => text,
            };
            push_phrases(body, &mut out);
        }
    }
    out
}

fn push_phrases(text: &str, out: &mut Vec<String>) {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for phrase in joined.split(';') {
        let phrase = phrase
            .trim()
            .trim_start_matches(['-', '+', '•', '*'])
            .trim();
        let phrase = phrase.trim_end_matches(['.', '…', ',', '/', ' ']);
        // A table row is data, not a phrase.
        if phrase.contains(" | ") {
            continue;
        }
        let capitals = phrase
            .chars()
            .filter(|&c| is_alphabetic(c))
            .all(|c| c.is_uppercase());
        if !capitals
            && phrase.chars().count() >= 12
            && phrase.chars().count() <= 400
            && !out.iter().any(|p| p == phrase)
        {
            out.push(phrase.to_string());
        }
    }
}
