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

/// The rating verb first: "Ban Thường vụ Huyện ủy tự đánh giá Đảng bộ
/// huyện: Hoàn thành tốt nhiệm vụ".
static ORG_RATED: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"^(?P<by>[^.;:]{{0,60}}?)\b(?:xep loai|danh gia)\s+(?:chat luong\s+)?(?:dang bo|dang uy)\b[^.;:,]{{0,30}}?\s*[:\-–]\s*["“]?(?P<level>{LEVELS})"#
    ))
    .expect("organisation rated pattern")
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
            // "Toàn Đảng bộ có 28 tổ chức cơ sở đảng, 24/28 … được đánh giá":
            // the rating is of its units.
            if [
                "chi bo",
                "to chuc co so dang",
                "to chuc dang",
                "tccsd",
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
        let bullet = folded.len() - folded.trim_start_matches(['-', '+', '*', ' ']).len();
        if let Some(caps) = ORG_RATED.captures(&folded[bullet..]) {
            let by = caps.name("by").map_or(0..0, |m| m.range());
            let by = folded_range.start + bullet + by.start..folded_range.start + bullet + by.end;
            let rated_by = doc.text[doc.text_range(by)].trim();
            let rated_by = rated_by.strip_suffix(" tự").unwrap_or(rated_by).trim();
            return OrganizationRating {
                rating: rating_of(caps.name("level").map_or("", |m| m.as_str())),
                rated_by: rated_by.to_string(),
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

/// Counts of party cells ("chi bộ") and members ("đảng viên") by rating:
/// "3 chi bộ hoàn thành xuất sắc nhiệm vụ", "98 đ/c HTXSNV", and under a
/// label naming who is counted, "- Chi bộ: 4 HTXSNV; 20 HTTNV; 3 HTNV".
pub(crate) fn counts(doc: &Doc<'_>) -> (RatingCounts, RatingCounts) {
    let mut cells = Vec::new();
    let mut members = Vec::new();
    let mut cell_total = None;
    for sentence in &doc.sentences {
        let sentence_folded = doc.folded_of(sentence.clone());
        // Commendations and targets count cells and members too.
        let other = [
            "khen thuong",
            "bieu duong",
            "giay khen",
            "bang khen",
            "phan dau",
            "chi tieu",
        ]
        .iter()
        .any(|w| sentence_folded.contains(w))
            && !sentence_folded.contains("xep loai");
        for q in quantities(doc.text, sentence.clone()) {
            let unit = fold(&q.unit);
            let counted = match unit.as_str() {
                u if CELL_NOUNS.contains(&u) => Counted::Cells,
                "dang vien" => Counted::Members,
                // "Về đánh giá đảng viên: 35 đồng chí hoàn thành xuất sắc …"
                "dong chi" if sentence_folded.contains("dang vien") => Counted::Members,
                _ => continue,
            };
            let after_range = q.range.end..doc.boundary(sentence.end.min(q.range.end + 90));
            let after = doc.folded_of(after_range).trim_start();
            // How many cells there are: "21 chi bộ trực thuộc", "Đảng bộ có
            // 14 chi bộ với 389 đảng viên", "có 52 tổ chức cơ sở đảng và chi
            // bộ trực thuộc".
            let cell_unit = unit == "chi bo" || unit == "to chuc co so dang";
            if cell_unit
                && q.second.is_none()
                && (after.starts_with("truc thuoc")
                    || after.starts_with("va chi bo truc thuoc")
                    || ends_with_word(
                        doc.folded_of(sentence.start..q.range.start).trim_end(),
                        "co",
                    ) && sentence_folded.contains("dang bo")
                        && !LEVEL_WORDS.is_match(first_clause(after)))
            {
                cell_total.get_or_insert(q.value as u32);
                continue;
            }
            if other {
                continue;
            }
            let Some(caps) = LEVEL_WORDS.captures(first_clause(after)) else {
                continue;
            };
            counted.push(
                CountMention {
                    level: rating_of(caps.name("level").map_or("", |m| m.as_str())),
                    count: q.value as u32,
                    total: q.second.map(|s| s as u32),
                    at_least: caps.name("plus").is_some(),
                },
                (&mut cells, &mut members),
            );
        }
        if !other {
            abbreviated(sentence_folded, &mut cells, &mut members);
            level_first(sentence_folded, &mut cells, &mut members);
        }
    }
    let mut cell_counts = resolve(&cells);
    if cell_counts.total == 0 && !cells.is_empty() {
        cell_counts.total = cell_total.unwrap_or(0);
    }
    (cell_counts, resolve(&members))
}

/// A count written with an abbreviation: "98 đ/c HTXSNV", "35/38 TCCSĐ
/// hoàn thành tốt nhiệm vụ trở lên", or a bare count under a label naming
/// who is counted: "- Chi bộ: 4 HTXSNV; 20 HTTNV; 3 HTNV".
static ABBREVIATED: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"(?P<count>\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:/(?P<total>\d{{1,3}}(?:\.\d{{3}})+|\d+))?\s*(?:(?P<noun>d/c|dc|tccsd)\s+(?:(?:duoc )?(?:danh gia,? )?xep loai\s+)?(?P<level>{LEVELS})|(?P<short>htxsnv|httnv|htnv|khtnv|htxs))\b(?P<plus>[\s"”'’»]*tro len)?"#
    ))
    .expect("abbreviated count pattern")
});

fn abbreviated(folded: &str, cells: &mut Vec<CountMention>, members: &mut Vec<CountMention>) {
    for caps in ABBREVIATED.captures_iter(folded) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        if folded[..whole.start].ends_with(|c: char| c.is_ascii_digit() || ",./".contains(c)) {
            continue;
        }
        let noun = caps.name("noun").map(|m| m.as_str());
        let Some(counted) = Counted::of(noun, &folded[..whole.start]) else {
            continue;
        };
        let number = |name: &str| caps.name(name).and_then(|m| count_value(m.as_str()));
        let Some(count) = number("count") else {
            continue;
        };
        let level = caps
            .name("level")
            .or_else(|| caps.name("short"))
            .map_or("", |m| m.as_str());
        let mention = CountMention {
            level: rating_of(level),
            count,
            total: number("total"),
            at_least: caps.name("plus").is_some(),
        };
        counted.push(mention, (cells, members));
    }
}

/// The level before its count: "HTXSNV 4 chi bộ, HTTNV 18 chi bộ", "Hoàn
/// thành xuất sắc nhiệm vụ: 05 chi bộ", "- HTTNV: 410 đồng chí".
static LEVEL_FIRST: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"\b(?P<level>{LEVELS})\s*(?P<colon>[:\-–]\s*)?(?:co\s+)?(?P<count>\d{{1,3}}(?:\.\d{{3}})+|\d+)\s*(?P<noun>chi bo|to chuc co so dang|tccsd|dang vien|dong chi|d/c)?\b"#
    ))
    .expect("level-first count pattern")
});

fn level_first(folded: &str, cells: &mut Vec<CountMention>, members: &mut Vec<CountMention>) {
    for caps in LEVEL_FIRST.captures_iter(folded) {
        let level = caps.name("level").map_or("", |m| m.as_str());
        let short = !level.contains(' ');
        let noun = caps.name("noun").map(|m| m.as_str());
        // A level in words needs the noun or a colon to head a count:
        // "hoàn thành tốt nhiệm vụ 3 năm liền" counts no one.
        if !short && noun.is_none() && caps.name("colon").is_none() {
            continue;
        }
        let start = caps.get(0).map_or(0, |m| m.start());
        let Some(counted) = Counted::of(noun, &folded[..start]) else {
            continue;
        };
        let Some(count) = caps.name("count").and_then(|m| count_value(m.as_str())) else {
            continue;
        };
        let mention = CountMention {
            level: rating_of(level),
            count,
            total: None,
            at_least: false,
        };
        counted.push(mention, (cells, members));
    }
}

/// A count as written, dot-grouped or not: "4.126" → 4126.
fn count_value(written: &str) -> Option<u32> {
    written.replace('.', "").parse().ok()
}

/// The nouns that count party cells, folded; "đảng viên", "đồng chí" and
/// "đ/c" count members.
const CELL_NOUNS: &[&str] = &["chi bo", "to chuc co so dang", "to chuc dang", "tccsd"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Counted {
    Cells,
    Members,
}

impl Counted {
    /// Who a count counts: its noun ("98 đ/c", "5 TCCSĐ"), or else the
    /// population of the label before it.
    fn of(noun: Option<&str>, before: &str) -> Option<Counted> {
        match noun {
            Some(noun) if CELL_NOUNS.contains(&noun) => Some(Counted::Cells),
            Some(_) => Some(Counted::Members),
            None => counted_before(before),
        }
    }

    fn push(
        self,
        mention: CountMention,
        (cells, members): (&mut Vec<CountMention>, &mut Vec<CountMention>),
    ) {
        match self {
            Counted::Cells => cells.push(mention),
            Counted::Members => members.push(mention),
        }
    }
}

/// Who the counts of a label count: the last population named before them
/// ("- Chi bộ: 4 HTXSNV", "Đảng viên: 4.126 đồng chí được đánh giá; 612
/// HTXSNV").
fn counted_before(before: &str) -> Option<Counted> {
    let last = |words: &[&str]| words.iter().filter_map(|w| before.rfind(w)).max();
    let cells = last(CELL_NOUNS);
    let members = last(&["dang vien", "dong chi", "d/c"]);
    match (cells, members) {
        (Some(c), Some(m)) => Some(if c > m {
            Counted::Cells
        } else {
            Counted::Members
        }),
        (Some(_), None) => Some(Counted::Cells),
        (None, Some(_)) => Some(Counted::Members),
        (None, None) => None,
    }
}

/// What follows a count up to the next number or clause: its level is
/// there, if any.
fn first_clause(after: &str) -> &str {
    after
        .split(|c: char| matches!(c, ',' | ';' | '.' | ':') || c.is_ascii_digit())
        .next()
        .unwrap_or("")
}

fn ends_with_word(folded: &str, word: &str) -> bool {
    folded
        .strip_suffix(word)
        .is_some_and(|head| head.is_empty() || head.ends_with(' '))
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
