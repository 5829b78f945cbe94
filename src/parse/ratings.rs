//! Ratings: the organisation's own rating and who gave it ("Đảng bộ xã
//! Thạch Sơn được Ban Thường vụ Huyện ủy xếp loại Hoàn thành xuất sắc nhiệm
//! vụ"), the counts of party cells and members by rating ("01 chi bộ hoàn
//! thành xuất sắc nhiệm vụ, 04 chi bộ hoàn thành tốt nhiệm vụ"), awards
//! ("khen thưởng 3 chi bộ và 29 cá nhân"). The year's target summary is in
//! `summary.rs`.

use std::sync::LazyLock;

use crate::model::{Awards, OrganizationRating, Rating, RatingCounts};
use crate::text::fold;

use super::doc::Doc;
use super::numbers::quantities;
use super::pattern::WordRegex;

const LEVELS: &str = r"hoan thanh xuat sac nhiem vu|hoan thanh tot nhiem vu|khong hoan thanh nhiem vu|hoan thanh nhiem vu|htxsnv|httnv|htnv|khtnv|htxs|trong sach,? vung manh";

static ORG_RATING: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"\b(?:dang bo|dang uy)\b(?P<between>[^.;]{{0,80}}?)\b(?:xep loai|danh gia|cong nhan|dat)\b(?:\s*(?:la|dat|muc|chat luong))*[\s:"“”']*(?P<level>{LEVELS})"#
    ))
    .expect("organisation rating pattern")
});

static LEVEL_WORDS: LazyLock<WordRegex> = LazyLock::new(|| {
    // "hoàn thành tốt nhiệm vụ" trở lên: the level may be quoted.
    WordRegex::new(&format!(
        r#"\b(?P<level>{LEVELS})\b(?P<plus>[\s"”'’»]*tro len)?"#
    ))
    .expect("rating levels pattern")
});

fn rating_of(words: &str) -> Rating {
    match words {
        w if w.contains("xuat sac")
            || w == "htxsnv"
            || w == "htxs"
            || w.starts_with("trong sach") =>
        {
            Rating::Excellent
        }
        w if w.contains("khong") || w == "khtnv" => Rating::NotCompleted,
        w if w.contains(" tot ") || w == "httnv" => Rating::Good,
        _ => Rating::Completed,
    }
}

pub(crate) fn organization_rating(doc: &Doc<'_>) -> OrganizationRating {
    for sentence in &doc.sentences {
        let folded_range = doc.folded_range(sentence.clone());
        let folded = &doc.folded[folded_range.clone()];
        for caps in ORG_RATING.captures_iter(folded) {
            let between = caps.name("between").map_or("", |m| m.as_str());
            // "đề nghị Ban Thường vụ Huyện ủy xếp loại …" asks for a rating.
            if [
                "chi bo",
                "dang vien",
                "khen thuong",
                "tap the",
                "ca nhan",
                "de nghi",
                "phan dau",
                "du kien",
            ]
            .iter()
            .any(|w| between.contains(w))
            {
                continue;
            }
            let level = caps.name("level").map_or("", |m| m.as_str());
            let mut rated_by = String::new();
            if let Some(at) = between.find("duoc ") {
                let start =
                    folded_range.start + caps.name("between").map_or(0, |m| m.start()) + at + 5;
                let end = folded_range.start + caps.name("between").map_or(0, |m| m.end());
                let range = doc.text_range(start..end);
                let written = doc.text[range].trim();
                let cut = ["đánh giá", "xếp loại", "công nhận", ","]
                    .iter()
                    .filter_map(|w| written.find(w))
                    .min()
                    .unwrap_or(written.len());
                rated_by = written[..cut].trim().to_string();
            }
            return OrganizationRating {
                rating: rating_of(level),
                rated_by,
            };
        }
    }
    OrganizationRating::default()
}

#[derive(Debug, Clone, Copy)]
struct CountMention {
    level: Rating,
    count: u32,
    total: Option<u32>,
    at_least: bool,
}

/// Counts of party cells ("chi bộ") and members ("đảng viên") by rating.
pub(crate) fn counts(doc: &Doc<'_>) -> (RatingCounts, RatingCounts) {
    let mut cells = Vec::new();
    let mut members = Vec::new();
    let mut cell_total = None;
    for sentence in &doc.sentences {
        let sentence_folded = doc.folded_of(sentence.clone());
        if [
            "khen thuong",
            "bieu duong",
            "giay khen",
            "bang khen",
            "phan dau",
            "chi tieu",
        ]
        .iter()
        .any(|w| sentence_folded.contains(w))
            && !sentence_folded.contains("xep loai")
        {
            continue;
        }
        for q in quantities(doc.text, sentence.clone()) {
            let unit = fold(&q.unit);
            let into = match unit.as_str() {
                "chi bo" | "to chuc co so dang" | "to chuc dang" => &mut cells,
                "dang vien" => &mut members,
                // "Về đánh giá đảng viên: 35 đồng chí hoàn thành xuất sắc …"
                "dong chi" if sentence_folded.contains("dang vien") => &mut members,
                _ => continue,
            };
            let after_range = q.range.end..doc.boundary(sentence.end.min(q.range.end + 90));
            let after = doc.folded_of(after_range);
            let after = after.split([',', ';', '.']).next().unwrap_or("");
            let Some(caps) = LEVEL_WORDS.captures(after) else {
                if unit == "chi bo" && after.trim_start().starts_with("truc thuoc") {
                    cell_total.get_or_insert(q.value as u32);
                }
                continue;
            };
            into.push(CountMention {
                level: rating_of(caps.name("level").map_or("", |m| m.as_str())),
                count: q.value as u32,
                total: q.second.map(|s| s as u32),
                at_least: caps.name("plus").is_some(),
            });
        }
    }
    let mut cell_counts = resolve(&cells);
    if cell_counts.total == 0 {
        cell_counts.total = cell_total.unwrap_or(0);
    }
    (cell_counts, resolve(&members))
}

/// Exact counts per rating. A count that covers the whole ("6/6 chi bộ
/// hoàn thành tốt nhiệm vụ") or says "trở lên" is cumulative when another
/// rating is counted too; it then only fixes what the others leave.
fn resolve(mentions: &[CountMention]) -> RatingCounts {
    let mut out = RatingCounts::default();
    if mentions.is_empty() {
        return out;
    }
    out.total = mentions.iter().filter_map(|m| m.total).max().unwrap_or(0);
    let levels = [
        Rating::Excellent,
        Rating::Good,
        Rating::Completed,
        Rating::NotCompleted,
    ];
    let distinct = levels
        .iter()
        .filter(|l| mentions.iter().any(|m| m.level == **l))
        .count();
    let mut cumulative: Vec<CountMention> = Vec::new();
    let mut exact = [None::<u32>; 4];
    for m in mentions {
        let whole = m.total.is_some_and(|t| t == m.count) && distinct > 1;
        if (m.at_least || whole) && m.level != Rating::Excellent {
            cumulative.push(*m);
            continue;
        }
        let slot = levels.iter().position(|l| *l == m.level).unwrap_or(0);
        exact[slot] = Some(m.count);
    }
    for m in cumulative {
        let slot = levels.iter().position(|l| *l == m.level).unwrap_or(0);
        if exact[slot].is_none() {
            let above: u32 = exact[..slot].iter().flatten().sum();
            exact[slot] = Some(m.count.saturating_sub(above));
        }
    }
    out.excellent = exact[0].unwrap_or(0);
    out.good = exact[1].unwrap_or(0);
    out.completed = exact[2].unwrap_or(0);
    out.not_completed = exact[3].unwrap_or(0);
    out
}

/// Commendations given at the conference: collectives and individuals.
pub(crate) fn awards(doc: &Doc<'_>) -> Awards {
    let mut out = Awards::default();
    for sentence in &doc.sentences {
        let folded = doc.folded_of(sentence.clone());
        const GIVING: &[&str] = &[
            "khen thuong",
            "bieu duong",
            "giay khen",
            "bang khen",
            "tang thuong",
        ];
        if !GIVING.iter().any(|w| folded.contains(w)) {
            continue;
        }
        let sentence_start = doc.folded_range(sentence.clone()).start;
        for q in quantities(doc.text, sentence.clone()) {
            if q.second.is_some() {
                continue;
            }
            // "trao Huy hiệu 40 năm tuổi Đảng cho 2 đồng chí và khen thưởng
            // 4 tập thể": a badge is not a commendation.
            let at = doc
                .folded_range(q.range.clone())
                .start
                .saturating_sub(sentence_start);
            let before = folded.get(..at).unwrap_or("");
            let giving = GIVING.iter().filter_map(|w| before.rfind(w)).max();
            if before
                .rfind("huy hieu")
                .is_some_and(|b| giving.is_none_or(|g| b > g))
            {
                continue;
            }
            match fold(&q.unit).as_str() {
                "tap the" | "chi bo" | "dang bo" | "to chuc co so dang" | "to chuc dang"
                | "don vi" => out.collectives += q.value as u32,
                "ca nhan" | "dang vien" | "dong chi" | "nguoi" => out.individuals += q.value as u32,
                _ => {}
            }
        }
    }
    out
}
