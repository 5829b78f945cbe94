//! Ratings: the organisation's own rating and who gave it ("Đảng bộ xã
//! Thạch Sơn được Ban Thường vụ Huyện ủy xếp loại Hoàn thành xuất sắc nhiệm
//! vụ"), the counts of party cells and members by rating ("01 chi bộ hoàn
//! thành xuất sắc nhiệm vụ, 04 chi bộ hoàn thành tốt nhiệm vụ"), awards
//! ("khen thưởng 3 chi bộ và 29 cá nhân"). The year's target summary is in
//! `summary.rs`.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

use crate::model::{Awards, OrganizationRating, Rating, RatingCounts};
use crate::text::{ends_with_word, fold};

use super::doc::Doc;
use super::numbers::quantities;
use super::pattern::WordRegex;

/// The levels, folded; words may stand apart by more than one space where a
/// page break was blanked out between them.
const LEVELS: &str = r"hoan\s+thanh\s+xuat\s+sac\s+nhiem\s+vu|hoan\s+thanh\s+tot\s+nhiem\s+vu|khong\s+hoan\s+thanh\s+nhiem\s+vu|hoan\s+thanh\s+nhiem\s+vu|htxsnv|httnv|htnv|khtnv|htxs|trong\s+sach,?\s+vung\s+manh";

static ORG_RATING: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"\b(?:dang bo|dang uy)\b(?P<between>[^.;]{{0,80}}?)\b(?:xep loai|danh gia|cong nhan|dat)\b(?:\s*(?:la|dat|muc|chat luong))*[\s:"“”']*(?P<level>{LEVELS})"#
    ))
    .expect("organisation rating pattern")
});

/// The rating verb first: "Ban Thường vụ Huyện ủy tự đánh giá Đảng bộ
/// huyện: Hoàn thành tốt nhiệm vụ", "Đảng ủy tự đánh giá, đề nghị Ban
/// Thường vụ Huyện ủy xếp loại Đảng bộ năm 2023: Hoàn thành xuất sắc nhiệm
/// vụ".
static ORG_RATED: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"^(?P<by>[^.;:]{{0,100}}?)\b(?:xep loai|danh gia)\s+(?:chat luong\s+)?(?:dang bo|dang uy)\b[^.;:,]{{0,30}}?\s*[:\-–]\s*["“]?(?P<level>{LEVELS})"#
    ))
    .expect("organisation rated pattern")
});

/// A committee or a cell rating itself: "Chi bộ tự đánh giá, xếp loại:
/// Hoàn thành tốt nhiệm vụ", "Đảng ủy tự xếp loại hoàn thành xuất sắc",
/// "Đảng ủy xã tự đánh giá, đề nghị xếp loại: Hoàn thành tốt nhiệm vụ",
/// "… tự đánh giá, xếp loại Đảng bộ năm 2022: Hoàn thành tốt nhiệm vụ",
/// "… xếp loại mức "Hoàn thành xuất sắc nhiệm vụ"".
static ORG_SELF: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"\b(?P<by>(?:dang bo|dang uy|chi bo)\b[^.;:\d]{{0,40}}?)\s+(?:tu cham [\d.,]+ diem,?\s+)?tu (?:danh gia|xep loai)\b(?:,?\s*(?:de nghi\s+(?:[^.;:\d,]{{0,40}}?\s)?)?(?:xep loai|cong nhan))?(?:\s+(?:dang bo|dang uy|chi bo)(?:\s+(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh))?\b)?(?:\s*chat luong)?(?:\s*nam \d{{4}})?[\s:"“]*(?:la\s+|dat\s+|o\s+)?(?:muc\b)?[\s:"“]*(?P<level>{LEVELS})"#
    ))
    .expect("organisation self-rating pattern")
});

/// The rating under a label: "Đánh giá, xếp loại năm 2023: Đảng bộ xã hoàn
/// thành tốt nhiệm vụ; 2/11 chi bộ …".
static ORG_LABELLED: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"\b(?:xep loai|danh gia)\b[^.;:]{{0,40}}:\s*(?:dang bo|dang uy)\b[^.;:,\d]{{0,30}}?\s(?:duoc xep loai\s+|dat\s+)?(?P<level>{LEVELS})"#
    ))
    .expect("organisation labelled rating pattern")
});

static LEVEL_WORDS: LazyLock<WordRegex> = LazyLock::new(|| {
    // "hoàn thành tốt nhiệm vụ" trở lên: the level may be quoted.
    WordRegex::new(&format!(
        r#"\b(?P<level>{LEVELS})\b(?P<plus>[\s"”'’»]*tro len)?"#
    ))
    .expect("rating levels pattern")
});

fn rating_of(words: &str) -> Rating {
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    match words.as_str() {
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

/// The rating of the organisation for `report_year` (0 when unknown). A
/// clause about earlier years only ("Năm 2021, Đảng bộ phường được xếp
/// loại hoàn thành tốt nhiệm vụ") is history.
pub(crate) fn organization_rating(doc: &Doc<'_>, report_year: i32) -> OrganizationRating {
    static YEAR: LazyLock<WordRegex> =
        LazyLock::new(|| WordRegex::new(r"\bnam ((?:19|20)\d\d)\b").expect("year pattern"));
    for sentence in &doc.sentences {
        let folded_range = doc.folded_range(sentence.clone());
        let folded = &doc.folded[folded_range.clone()];
        // Each pattern below ends on a level ("hoàn thành …", "HTTNV",
        // "trong sạch, vững mạnh").
        if !LEVEL_HINTS.is_match(folded) {
            continue;
        }
        // Whether the clause of a match ending at `end` names earlier years
        // only ("Năm 2020, Đảng bộ xã được … xếp loại …; năm 2021, …").
        let history = |end: usize| {
            let clause = &folded[..end];
            let clause = &clause[clause.rfind(';').map_or(0, |at| at + 1)..];
            let mut years = YEAR
                .captures_iter(clause)
                .filter_map(|c| c.get(1)?.as_str().parse::<i32>().ok())
                .peekable();
            report_year > 0 && years.peek().is_some() && years.all(|y| y < report_year)
        };
        for caps in ORG_RATING.captures_iter(folded) {
            if history(caps.get(0).map_or(0, |m| m.end())) {
                continue;
            }
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
        if let Some(caps) = ORG_RATED
            .captures(&folded[bullet..])
            .filter(|caps| !history(bullet + caps.get(0).map_or(0, |m| m.end())))
        {
            let by = caps.name("by").map_or(0..0, |m| m.range());
            let by = folded_range.start + bullet + by.start..folded_range.start + bullet + by.end;
            let rated_by = doc.text[doc.text_range(by)].trim();
            // "Đảng ủy tự đánh giá, đề nghị …": the committee rates itself.
            let rated_by = rated_by
                .find(" tự đánh giá")
                .map_or(rated_by, |at| &rated_by[..at]);
            let rated_by = rated_by.strip_suffix(" tự").unwrap_or(rated_by).trim();
            return OrganizationRating {
                rating: rating_of(caps.name("level").map_or("", |m| m.as_str())),
                rated_by: rated_by.to_string(),
            };
        }
        if let Some(caps) = ORG_SELF.captures(folded).filter(|caps| {
            !folded[..caps.get(0).map_or(0, |m| m.start())]
                .trim_end()
                .ends_with(|c: char| c.is_ascii_digit())
                && !history(caps.get(0).map_or(0, |m| m.end()))
        }) {
            let by = caps.name("by").map_or(0..0, |m| m.range());
            let by = folded_range.start + by.start..folded_range.start + by.end;
            return OrganizationRating {
                rating: rating_of(caps.name("level").map_or("", |m| m.as_str())),
                rated_by: doc.text[doc.text_range(by)].trim().to_string(),
            };
        }
        if let Some(caps) = ORG_LABELLED
            .captures(folded)
            .filter(|caps| !history(caps.get(0).map_or(0, |m| m.end())))
        {
            return OrganizationRating {
                rating: rating_of(caps.name("level").map_or("", |m| m.as_str())),
                rated_by: String::new(),
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
pub(crate) fn counts(
    doc: &Doc<'_>,
    tables: &[super::tables::Table],
) -> (RatingCounts, RatingCounts) {
    let mut cells = Vec::new();
    let mut members = Vec::new();
    let mut cell_total = None;
    // Counts that may be the whole when the ratings add up to them: "15 chi
    // bộ trực thuộc với 246 đảng viên", "sinh hoạt ở 18 chi bộ", "trong tổng
    // số 41 tổ chức cơ sở đảng".
    let mut wholes: (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    // How many cells and members were rated, where the text says so.
    let mut rated: (Option<u32>, Option<u32>) = (None, None);
    for sentence in &doc.sentences {
        let sentence_folded = doc.folded_of(sentence.clone());
        // Every reading below needs a rating's level, the words for rating,
        // or a noun counting cells or members.
        if !RATING_WORDS.is_match(sentence_folded) {
            continue;
        }
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
        // Only a count of cells or members is read below.
        let counted_nouns = COUNTED_NOUNS.is_match(sentence_folded);
        for q in counted_nouns
            .then(|| quantities(doc.text, sentence.clone()))
            .into_iter()
            .flatten()
        {
            let unit = fold(&q.unit);
            let counted = match unit.as_str() {
                u if CELL_NOUNS.contains(&u) => Counted::Cells,
                "dang vien" => Counted::Members,
                // "Về đánh giá đảng viên: 35 đồng chí hoàn thành xuất sắc …"
                "dong chi"
                    if ["dang vien", "danh gia", "xep loai"]
                        .iter()
                        .any(|w| sentence_folded.contains(w)) =>
                {
                    Counted::Members
                }
                _ => continue,
            };
            let after_range = q.range.end..doc.boundary(sentence.end.min(q.range.end + 90));
            let after = doc.folded_of(after_range).trim_start();
            let before = doc.folded_of(sentence.start..q.range.start).trim_end();
            if q.second.is_none()
                && ["voi", "co", "gom", "o", "tai", "len", "so"]
                    .iter()
                    .any(|w| ends_with_word(before, w))
                && !LEVEL_WORDS.is_match(first_clause(after))
            {
                match counted {
                    Counted::Cells => wholes.0.push(q.value as u32),
                    Counted::Members => wholes.1.push(q.value as u32),
                }
            }
            // How many cells there are: "21 chi bộ trực thuộc", "Đảng bộ có
            // 14 chi bộ với 389 đảng viên", "có 52 tổ chức cơ sở đảng và chi
            // bộ trực thuộc", "41 chi bộ, trong đó: …".
            let cell_unit = unit == "chi bo" || unit == "to chuc co so dang";
            if cell_unit
                && q.second.is_none()
                && (after.starts_with("truc thuoc")
                    || after.starts_with("va chi bo truc thuoc")
                    // "Tổ chức đảng: 41 chi bộ, trong đó: hoàn thành …"
                    || after.starts_with(", trong do")
                    || ends_with_word(
                        doc.folded_of(sentence.start..q.range.start).trim_end(),
                        "co",
                    ) && sentence_folded.contains("dang bo")
                        && !LEVEL_WORDS.is_match(first_clause(after))
                    // "trong 41 tổ chức cơ sở đảng có 8 …"
                    || ends_with_word(
                        doc.folded_of(sentence.start..q.range.start).trim_end(),
                        "trong",
                    ) && !LEVEL_WORDS.is_match(first_clause(after)))
            {
                cell_total.get_or_insert(q.value as u32);
                continue;
            }
            if other {
                continue;
            }
            let clause = first_clause(after);
            let level = match LEVEL_WORDS.captures(clause) {
                Some(caps) => (
                    rating_of(caps.name("level").map_or("", |m| m.as_str())),
                    caps.name("plus").is_some(),
                ),
                // "02 chi bộ hoàn thành xuất sắc, 07 chi bộ hoàn thành tốt,
                // 01 chi bộ hoàn thành nhiệm vụ": a level whose "nhiệm vụ"
                // is left out when nothing else follows it in the clause.
                None => match clause.trim() {
                    "hoan thanh xuat sac" => (Rating::Excellent, false),
                    "hoan thanh tot" => (Rating::Good, false),
                    "hoan thanh tot tro len" => (Rating::Good, true),
                    _ => continue,
                },
            };
            counted.push(
                CountMention {
                    level: level.0,
                    count: q.value as u32,
                    total: q.second.map(|s| s as u32),
                    at_least: level.1,
                },
                (&mut cells, &mut members),
            );
        }
        if !other {
            abbreviated(sentence_folded, &mut cells, &mut members);
            level_first(sentence_folded, &mut cells, &mut members);
            elliptical(sentence_folded, &mut cells, &mut members);
            for (counted, total) in rated_totals(sentence_folded) {
                let slot = match counted {
                    Counted::Cells => &mut rated.0,
                    Counted::Members => &mut rated.1,
                };
                slot.get_or_insert(total);
            }
        }
    }
    table_counts(doc, tables, &mut cells, &mut members);
    let sum_among = |counts: &RatingCounts, wholes: &[u32]| {
        let sum = counts.excellent + counts.good + counts.completed + counts.not_completed;
        wholes.iter().copied().find(|&whole| whole == sum)
    };
    let mut cell_counts = resolve(&cells);
    if cell_counts.total == 0 && !cells.is_empty() {
        cell_counts.total = rated
            .0
            .or(cell_total)
            .or_else(|| sum_among(&cell_counts, &wholes.0))
            .unwrap_or(0);
    }
    let mut member_counts = resolve(&members);
    if member_counts.total == 0 && !members.is_empty() {
        member_counts.total = rated
            .1
            .or_else(|| sum_among(&member_counts, &wholes.1))
            .unwrap_or(0);
    }
    (cell_counts, member_counts)
}

/// How many were rated, where the text says so: "205 đồng chí được đánh
/// giá", "Đảng viên được đánh giá 512", "689/712 đ/c được đánh giá",
/// "1.102 đảng viên được xếp loại", "đánh giá 641 đồng chí". A
/// count followed by its level ("24 chi bộ được đánh giá hoàn thành tốt
/// nhiệm vụ") is a rating count, not the total.
fn rated_totals(folded: &str) -> Vec<(Counted, u32)> {
    static RATED: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(
            r"(?:\b(?P<count>\d{1,3}(?:\.\d{3})+|\d+)(?:/(?:\d{1,3}(?:\.\d{3})+|\d+))?\s*(?P<noun>dang vien|dong chi|d/c|chi bo|to chuc co so dang|tccsd)|\b(?P<label>dang vien|chi bo|to chuc co so dang))\s+(?:duoc\s+|tham gia\s+)?(?:danh gia|xep loai)\b(?:,?\s*xep loai\b)?(?:\s*(?:chat luong|nam \d{4}))*(?P<after>\s*(?::\s*)?(?:la\s+)?(?P<then>\d{1,3}(?:\.\d{3})+|\d+)?)",
        )
        .expect("rated total pattern")
    });
    // "Đảng viên: đánh giá 641 đồng chí; HTXSNV 93 đ/c, …"
    static VERB_FIRST: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(
            r"\b(?:danh gia|xep loai)\s+(?:chat luong\s+)?(?P<count>\d{1,3}(?:\.\d{3})+|\d+)\s*(?P<noun>dang vien|dong chi|d/c|chi bo|to chuc co so dang|tccsd)\b",
        )
        .expect("rated total, verb first, pattern")
    });
    // "Tổng số chi bộ: 18; trong đó HTXSNV: 03; …": a total split into
    // levels right after it.
    static SPLIT_TOTAL: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(
            r"\btong so (?P<noun>dang vien|chi bo|to chuc co so dang|tccsd)\b[^\d.;]{0,30}?(?P<count>\d{1,3}(?:\.\d{3})+|\d+)(?:\s*(?:dang vien|dong chi|d/c|chi bo|to chuc))?\s*[,;:]?\s*trong do\b",
        )
        .expect("split total pattern")
    });
    let mut out = Vec::new();
    for caps in SPLIT_TOTAL.captures_iter(folded) {
        let count = caps.name("count").and_then(|m| count_value(m.as_str()));
        let counted = Counted::of(caps.name("noun").map(|m| m.as_str()), "");
        out.extend(count.zip(counted).map(|(count, counted)| (counted, count)));
    }
    for caps in VERB_FIRST.captures_iter(folded) {
        let (start, end) = caps.get(0).map_or((0, 0), |m| (m.start(), m.end()));
        // "(miễn đánh giá 27 đồng chí)": those left out of the rating.
        let exempted = ["mien ", "khong ", "chua "]
            .iter()
            .any(|w| folded[..start].ends_with(w));
        if exempted || LEVEL_WORDS.is_match(first_clause(&folded[end..])) {
            continue;
        }
        let count = caps.name("count").and_then(|m| count_value(m.as_str()));
        let counted = Counted::of(caps.name("noun").map(|m| m.as_str()), "");
        out.extend(count.zip(counted).map(|(count, counted)| (counted, count)));
    }
    for caps in RATED.captures_iter(folded) {
        let after_end = caps.get(0).map_or(0, |m| m.end());
        if caps.name("label").is_some() {
            // "Đảng viên được đánh giá 512 (…): 78 HTXSNV, …", "đảng viên
            // được đánh giá, xếp loại là 83/86 đồng chí".
            let Some(count) = caps.name("then").and_then(|m| count_value(m.as_str())) else {
                continue;
            };
            let counted = Counted::of(caps.name("label").map(|m| m.as_str()), "");
            out.extend(counted.map(|c| (c, count)));
            continue;
        }
        if caps.name("then").is_some() || LEVEL_WORDS.is_match(first_clause(&folded[after_end..])) {
            continue;
        }
        let Some(count) = caps.name("count").and_then(|m| count_value(m.as_str())) else {
            continue;
        };
        let counted = Counted::of(caps.name("noun").map(|m| m.as_str()), "");
        out.extend(counted.map(|c| (c, count)));
    }
    out
}

/// Counts whose noun is left out after the first: "8 tổ chức cơ sở đảng
/// hoàn thành xuất sắc nhiệm vụ, 29 hoàn thành tốt nhiệm vụ, 3 hoàn thành
/// nhiệm vụ và 1 không hoàn thành nhiệm vụ". They count what the last
/// count before them counted.
fn elliptical(folded: &str, cells: &mut Vec<CountMention>, members: &mut Vec<CountMention>) {
    static BARE: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(&format!(
            r#"(?:[,;]\s*|\bva\s+|(?P<split>\btrong do\s*:?\s*))(?P<count>\d{{1,3}}(?:\.\d{{3}})+|\d+)\s+(?:duoc\s+(?:danh gia,?\s*)?xep loai\s+)?(?P<level>{LEVELS})\b"#
        ))
        .expect("elliptical count pattern")
    });
    for caps in BARE.captures_iter(folded) {
        let start = caps.get(0).map_or(0, |m| m.start());
        let before = &folded[..start];
        // The population named by the nearest count before: a noun right
        // after a number.
        let Some(counted) = counted_before(before) else {
            continue;
        };
        // "đánh giá 2.790 đồng chí, trong đó 405 hoàn thành xuất sắc nhiệm
        // vụ": the count before is the whole being split.
        let named_count = caps.name("split").is_some()
            || before
                .rfind(|c: char| c.is_ascii_digit())
                .is_some_and(|at| LEVEL_WORDS.is_match(&before[at..]));
        if !named_count {
            continue;
        }
        let Some(count) = caps.name("count").and_then(|m| count_value(m.as_str())) else {
            continue;
        };
        let mention = CountMention {
            level: rating_of(caps.name("level").map_or("", |m| m.as_str())),
            count,
            total: None,
            at_least: false,
        };
        counted.push(mention, (cells, members));
    }
}

/// A count written with an abbreviation: "98 đ/c HTXSNV", "35/38 TCCSĐ
/// hoàn thành tốt nhiệm vụ trở lên", or a bare count under a label naming
/// who is counted: "- Chi bộ: 4 HTXSNV; 20 HTTNV; 3 HTNV".
static ABBREVIATED: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r#"(?P<count>\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:/(?P<total>\d{{1,3}}(?:\.\d{{3}})+|\d+))?\s*(?:(?P<noun>d/c|dc|tccsd)\s+(?:\([^)]{{0,20}}\)\s*)?(?:(?:duoc )?(?:danh gia,? )?xep loai\s+)?(?P<level>{LEVELS})|(?P<short>htxsnv|httnv|htnv|khtnv|htxs))\b(?P<plus>[\s"”'’»]*tro len)?"#
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
/// thành xuất sắc nhiệm vụ: 05 chi bộ", "- HTTNV: 410 đồng chí", "41 chi
/// bộ, trong đó: hoàn thành xuất sắc nhiệm vụ 06; hoàn thành tốt nhiệm vụ
/// 30".
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
        // A level in words needs the noun, a colon or the end of a list's
        // item to head a count: "hoàn thành tốt nhiệm vụ 3 năm liền" counts
        // no one, "hoàn thành tốt nhiệm vụ 30; hoàn thành nhiệm vụ 04" does.
        let end = caps.get(0).map_or(folded.len(), |m| m.end());
        let item_ends = folded[end..]
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ';' | ',' | '.'));
        if !short && noun.is_none() && caps.name("colon").is_none() && !item_ends {
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

/// Counts in a table, either way round: levels down the side and the
/// counted across the top ("| Xếp loại | Chi bộ | Đảng viên |" over "|
/// Hoàn thành tốt nhiệm vụ | 20 | 1.067 |"), or levels across the top and
/// the counted down the side ("| | HTXSNV | HTTNV |" over "| Chi bộ | 4 | 20
/// |"). A "Tổng số" row or column is the total; rate columns are skipped.
fn table_counts(
    doc: &Doc<'_>,
    tables: &[super::tables::Table],
    cells: &mut Vec<CountMention>,
    members: &mut Vec<CountMention>,
) {
    /// What a header or side cell names.
    #[derive(Clone, Copy, PartialEq)]
    enum Label {
        Level(Rating),
        Total,
        Counted(Counted),
        Other,
    }
    let label = |folded: &str| {
        let folded = folded.trim();
        if folded.contains('%') || folded.contains("ty le") {
            Label::Other
        } else if let Some(caps) = LEVEL_WORDS
            .captures(folded)
            .filter(|caps| caps.get(0).is_some_and(|m| m.start() == 0))
        {
            Label::Level(rating_of(caps.name("level").map_or("", |m| m.as_str())))
        } else if folded.starts_with("tong") {
            Label::Total
        } else {
            counted_before(folded)
                .filter(|_| folded.split_whitespace().count() <= 6)
                .map_or(Label::Other, Label::Counted)
        }
    };
    for table in tables {
        let grid = &table.grid;
        let labels: Vec<Vec<Label>> = grid
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| label(doc.folded_of(c.clone())))
                    .collect()
            })
            .collect();
        let Some(top) = labels.first() else {
            continue;
        };
        let counted_columns = top.iter().any(|l| matches!(l, Label::Counted(_)));
        let level_columns = top.iter().any(|l| matches!(l, Label::Level(_)));
        if counted_columns == level_columns {
            continue;
        }
        // Each count with the side cell and the top cell that name it.
        let mut found: Vec<(Label, Label, u32)> = Vec::new();
        for (row, row_labels) in grid.iter().zip(&labels).skip(1) {
            let Some(side) = row_labels.iter().copied().find(|l| *l != Label::Other) else {
                continue;
            };
            for (cell, heading) in row.iter().zip(top) {
                let written = doc.text[cell.clone()].trim();
                let digits = written
                    .find(|c: char| !c.is_ascii_digit() && c != '.')
                    .map_or(written, |end| &written[..end]);
                if let Some(count) = count_value(digits).filter(|_| !digits.is_empty()) {
                    found.push((side, *heading, count));
                }
            }
        }
        for counted in [Counted::Cells, Counted::Members] {
            let mine = found.iter().filter_map(|&(side, heading, count)| {
                let (level, of) = if counted_columns {
                    (side, heading)
                } else {
                    (heading, side)
                };
                (of == Label::Counted(counted)).then_some((level, count))
            });
            let mine: Vec<(Label, u32)> = mine.collect();
            let total = mine
                .iter()
                .find_map(|&(level, count)| (level == Label::Total).then_some(count));
            for &(level, count) in &mine {
                if let Label::Level(level) = level {
                    let mention = CountMention {
                        level,
                        count,
                        total,
                        at_least: false,
                    };
                    counted.push(mention, (&mut *cells, &mut *members));
                }
            }
        }
    }
}

/// A count as written, dot-grouped or not: "4.126" → 4126.
fn count_value(written: &str) -> Option<u32> {
    written.replace('.', "").parse().ok()
}

/// The nouns that count party cells, folded; "đảng viên", "đồng chí" and
/// "đ/c" count members.
const CELL_NOUNS: &[&str] = &[
    "chi bo",
    "to chuc co so dang",
    "to chuc dang",
    "tccsd",
    // "trong 55 tổ chức cơ sở đảng có 9 tổ chức hoàn thành xuất sắc …"
    "to chuc",
];

/// What every level in [`LEVELS`] contains, to pass over sentences quickly.
static LEVEL_HINTS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(["hoan", "ht", "trong sach"]).expect("level hints"));

/// The nouns of the cells and members [`counts`] counts.
static COUNTED_NOUNS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(["dang vien", "dong chi"].iter().chain(CELL_NOUNS)).expect("counted nouns")
});

/// What a sentence needs for [`counts`] to read anything in it: a level,
/// the words for rating or a total, or a noun counting cells or members.
static RATING_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(
        [
            "hoan",
            "ht",
            "trong sach",
            "danh gia",
            "xep loai",
            "tong so",
            "dang vien",
            "dong chi",
        ]
        .iter()
        .chain(CELL_NOUNS),
    )
    .expect("rating words")
});

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
    // "4.516 đảng viên (96,04%) hoàn thành tốt nhiệm vụ": the share in
    // brackets is no clause of its own.
    let after = after
        .strip_prefix('(')
        .and_then(|inner| inner.split_once(')'))
        .filter(|(share, _)| {
            share
                .chars()
                .all(|c| c.is_ascii_digit() || ",.% ".contains(c))
        })
        .map_or(after, |(_, rest)| rest.trim_start());
    after
        .split(|c: char| matches!(c, ',' | ';' | '.' | ':') || c.is_ascii_digit())
        .next()
        .unwrap_or("")
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
    let slot_of = |m: &CountMention| levels.iter().position(|l| *l == m.level).unwrap_or(0);
    let mut cumulative: Vec<CountMention> = Vec::new();
    let mut exact = [None::<u32>; 4];
    for m in mentions {
        let whole = m.total.is_some_and(|t| t == m.count) && distinct > 1;
        if (m.at_least || whole) && m.level != Rating::Excellent {
            cumulative.push(*m);
            continue;
        }
        exact[slot_of(m)] = Some(m.count);
    }
    // From the highest level down, so that each level takes off all those
    // above it: "26/26 … hoàn thành nhiệm vụ trở lên, trong đó 21 … hoàn
    // thành tốt nhiệm vụ trở lên (5 … hoàn thành xuất sắc)" → 5, 16, 5.
    cumulative.sort_by_key(slot_of);
    for m in cumulative {
        let slot = slot_of(&m);
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
