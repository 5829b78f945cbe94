//! Indicators and targets: each measured quantity with its name, value and
//! unit, the second number of a slash pair, the rates written beside it and
//! what they are measured against. A sentence is cut into clauses at ";";
//! in a clause every quantity either starts a new item (the words before it
//! name one: "Đàn bò: 840 con") or adds to the item before it (only
//! connecting words stand between: ", đạt 100,11% KH giao"). Quantities for
//! the plan year or read in a directions section become targets.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Base, Indicator, Qualifier, Span};
use crate::text::{ends_with_word, fold, is_alphabetic, is_alphanumeric};

use super::catalogue;
use super::doc::Doc;
use super::numbers::{SETTLEMENTS, Style, quantities_in_style, style_of};
use super::pattern::WordRegex;
use super::tables;

pub(crate) struct Context<'r> {
    pub report_year: i32,
    pub plan_year: i32,
    /// Text ranges whose quantities are targets (directions sections).
    pub target_ranges: &'r [Range<usize>],
    /// The body's tables ([`tables::all`]).
    pub tables: &'r [tables::Table],
}

#[derive(Default)]
pub(crate) struct Found {
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Indicator>,
    pub warnings: Vec<String>,
}

/// Words that join a number to the item before it or to its name.
const CONNECTORS: &[&str] = &[
    "nang tong so len",
    "nang tong so",
    "nang len",
    "nang",
    "co them",
    "them",
    "dat duoc",
    "dat",
    "la",
    "duoc",
    "co",
    "voi",
    "bang",
    "chiem",
    "tuong duong",
    "tuong ung",
    "con",
    "giam",
    "tang",
    "tren",
    "hon",
    "duoi",
    "khoang",
    "gan",
    "uoc dat",
    "uoc thuc hien",
    "uoc tinh",
    "uoc",
    "xap xi",
    "len",
    "xuong",
    "muc",
    "ty le",
    "ti le",
    "vuot",
    "tong cong",
    "tong so",
    "trong do",
    "dat ty le",
    "dat muc",
    "so luong",
    "so",
    "thuc hien",
    "hoan thanh",
    "it nhat",
    "toi thieu",
    "toi da",
    "tro len",
    "dat tren",
    "cho",
    "cua",
    "tai",
    "va",
    "hoac",
    "tu",
    "o",
    "duy tri",
    "giu vung",
];

const FILLERS: &[&str] = &[
    // "… 96% KH và tỷ lệ trẻ em …": the last rate's base.
    "kh va",
    "nq va",
    "trong do",
    "trong nam",
    "dac biet",
    "da",
    "dong thoi",
    "ben canh do",
    "ngoai ra",
    "cu the",
    "nhu",
    "gom",
    "co",
    "la",
    "voi",
    "va",
    "nhat la",
    "rieng",
    "tong cong",
    "ket qua",
    "theo do",
    "tuy nhien",
    "hien nay",
    "den nay",
    "tinh den nay",
    "nam qua",
    "trong ky",
    "mot so",
    "cac",
    "chi tieu",
    "so voi",
    "nen",
    "de",
    "tiep tuc",
    "phan dau",
    "ca nam",
    "toan xa",
    "toan phuong",
    "toan thi tran",
    "toan thi xa",
    "toan huyen",
    "toan dang bo",
    "hien co",
    "ca nhiem ky",
    "trong nhiem ky",
    "nhiem ky qua",
    "moi nam",
    "hang nam",
];

static BASE: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"^\s*[,(]?\s*(?:so voi |so |cua |theo |tren |ke hoach |)?(ke hoach|kh\b|chi tieu|nghi quyet|nq\b|du toan|cung ky)",
    )
    .expect("base pattern")
});

static PLAN_CONTEXT: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"so voi (?:ke hoach|kh\b|chi tieu|nghi quyet|nq\b)|(?:ke hoach|kh|chi tieu)(?: huyen| tinh| cap tren)? giao")
        .expect("plan context pattern")
});

const PRODUCTION: &[&str] = &[
    "san luong",
    "dien tich",
    "nang suat",
    "thu ngan sach",
    "thu ",
    "gia tri",
    "phat trien",
    "ket nap",
    "giai ngan",
    "von",
    "tong",
    "chi ",
    "xay dung",
    "giao quan",
    "tuyen quan",
    "trong rung",
    "doanh thu",
    "dan ",
    "dat ke hoach",
];

/// Names of quantities that are themselves rates ("tốc độ tăng trưởng … đạt
/// 8,35%" is a rate, not 8,35% of a plan).
const RATE_WORDS: &[&str] = &[
    "ty le",
    "ti le",
    "muc",
    "bao phu",
    "che phu",
    "ty trong",
    "toc do",
    "ty suat",
    "cong suat",
    "hieu suat",
    "chi so",
    "su hai long",
];

const MEASURE: &[&str] = &[
    "tan", "ta", "kg", "yen", "ha", "hec ta", "hecta", "km", "km2", "m2", "m3", "met", "lit", "ty",
    "ti", "trieu", "nghin", "ngan", "dong", "usd",
];

/// How the text writes its numbers, read once per text.
#[derive(Debug, Clone, Copy)]
struct Numbers {
    style: Style,
    /// Decimal points beside dot-grouped thousands: a "1.500" is a doubt.
    mixed: bool,
}

#[derive(Debug)]
struct Item {
    name: String,
    indicator: Indicator,
    sink: bool,
    target: bool,
}

pub(crate) fn find(doc: &Doc<'_>, ctx: &Context<'_>) -> Found {
    let mut found = Found::default();
    let body = &doc.text[..doc.body_end];
    let numbers = Numbers {
        style: style_of(body),
        mixed: mixed_style(body),
    };
    let table = tables::read(
        doc,
        ctx.tables,
        numbers.style,
        ctx.report_year,
        ctx.plan_year,
    );
    for sentence in &doc.sentences {
        let sentence_folded = doc.folded_of(sentence.clone()).to_string();
        let introducer = sentence_folded.split(':').next().unwrap_or("");
        // "mục tiêu đến năm 2030: …": the year the targets are for.
        static HORIZON: LazyLock<WordRegex> = LazyLock::new(|| {
            WordRegex::new(r"\b(?:(?:den|toi|vao|trong) nam|giai doan \d{4}\s*[-–]|nhiem ky \d{4}\s*[-–])\s*(\d{4})\b")
                .expect("horizon pattern")
        });
        let horizon = HORIZON
            .captures(introducer)
            .and_then(|c| c[1].parse::<i32>().ok())
            .filter(|&y| ctx.plan_year > 0 && y > ctx.plan_year);
        let list_plan = sentence_folded.contains(':') && PLAN_CONTEXT.is_match(introducer);
        let targets_from = targets_from(doc, sentence.clone(), ctx);
        for clause in clauses(doc.text, sentence.clone()) {
            let sentence_target = targets_from.is_some_and(|from| from <= clause.end);
            let items = clause_items(
                doc,
                clause.clone(),
                ctx,
                (list_plan, sentence_target),
                (numbers, &table),
                &mut found.warnings,
            );
            for item in items.into_iter().filter(|i| !i.sink) {
                let mut indicator = item.indicator;
                indicator.name = item.name;
                if indicator.name.is_empty()
                    || (indicator.value.is_none()
                        && indicator.percent.is_none()
                        && indicator.percent_of_plan.is_none()
                        && indicator.change_percent.is_none())
                {
                    continue;
                }
                catalogued(&mut indicator, &mut found.warnings);
                if item.target {
                    if indicator.year == 0 {
                        indicator.year = horizon.unwrap_or(ctx.plan_year);
                    }
                    found.targets.push(indicator);
                } else {
                    found.indicators.push(indicator);
                }
            }
        }
    }
    for mut indicator in table.indicators {
        catalogued(&mut indicator, &mut found.warnings);
        found.indicators.push(indicator);
    }
    for mut indicator in table.targets {
        catalogued(&mut indicator, &mut found.warnings);
        found.targets.push(indicator);
    }
    // Table rows and prose in text order.
    found.indicators.sort_by_key(|i| i.span.start);
    found.targets.sort_by_key(|i| i.span.start);
    found
}

/// One entry per measured quantity: a figure told again (a table row and
/// the prose under it, a summary and its section) is merged into its first
/// telling, which gains the rates only the repeat gives.
pub(crate) fn merge_repeats(text: &str, items: &mut Vec<Indicator>) {
    // A sentence names two like quantities side by side ("1 xã đạt chuẩn
    // nông thôn mới và 1 xã đạt chuẩn nông thôn mới nâng cao"); a repeat
    // stands in another sentence or line. Breaks are found once, so every
    // pair is told apart in logarithmic time.
    let mut breaks: Vec<(usize, usize)> = text
        .match_indices('\n')
        .map(|(at, _)| (at, 1))
        .chain(text.match_indices(". ").map(|(at, _)| (at, 2)))
        .collect();
    breaks.sort_unstable();
    let apart = |a: &Indicator, b: &Indicator| {
        let (from, to) = (a.span.end as usize, b.span.start as usize);
        breaks[breaks.partition_point(|&(at, _)| at < from)..]
            .first()
            .is_some_and(|&(at, len)| at + len <= to)
    };
    // Only items of one amount (or one rate) can be one quantity; a few
    // earlier tellings of an amount are enough to look at.
    let amount = |i: &Indicator| match (i.value, i.percent) {
        (Some(value), _) => Some((false, value.to_bits())),
        (None, Some(rate)) => Some((true, rate.to_bits())),
        (None, None) => None,
    };
    let mut by_amount: HashMap<(bool, u64), Vec<usize>> = HashMap::new();
    let mut kept: Vec<Indicator> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        let Some(key) = amount(&item) else {
            kept.push(item);
            continue;
        };
        let earlier = by_amount.entry(key).or_default();
        let first = earlier
            .iter()
            .take(8)
            .copied()
            .find(|&at| apart(&kept[at], &item) && same_quantity(&kept[at], &item));
        match first {
            Some(at) => {
                let first = &mut kept[at];
                first.total = first.total.or(item.total);
                first.plan_value = first.plan_value.or(item.plan_value);
                first.percent = first.percent.or(item.percent);
                first.percent_of_plan = first.percent_of_plan.or(item.percent_of_plan);
                first.change_percent = first.change_percent.or(item.change_percent);
                first.met = first.met.or(item.met);
                if first.percent_of_plan.is_some() && first.base == Base::default() {
                    first.base = item.base;
                }
            }
            None => {
                earlier.push(kept.len());
                kept.push(item);
            }
        }
    }
    *items = kept;
}

/// Whether two items tell the same quantity: the same amount in the same
/// unit (or the same rate where there is no amount), no figure on which they
/// disagree, the same whole for a part ("142 đảng viên" is not "142/142
/// đảng viên …"), and names that are one catalogue key or one inside the
/// other ("Kết nạp" and "Kết nạp đảng viên mới").
/// Whether two units are one as written in full or short: "Tr.đồng/người/năm"
/// and "triệu đồng/người/năm", "Tấn" and "tấn".
fn same_unit(a: &str, b: &str) -> bool {
    let canonical = |unit: &str| {
        let folded = fold(unit).replace(' ', "");
        ["tr.dong", "trdong", "tr.d", "trd"]
            .iter()
            .find_map(|short| folded.strip_prefix(short))
            .map_or(folded.clone(), |rest| format!("trieudong{rest}"))
    };
    canonical(a) == canonical(b)
}

fn same_quantity(a: &Indicator, b: &Indicator) -> bool {
    let agree = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => true,
    };
    let amount = match (a.value, b.value) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9 && same_unit(&a.unit, &b.unit),
        (None, None) => a.percent.is_some() && a.percent == b.percent,
        _ => false,
    };
    if !amount {
        return false;
    }
    let names = if !a.key.is_empty() && !b.key.is_empty() {
        a.key == b.key
    } else {
        let (x, y) = (fold(&a.name), fold(&b.name));
        let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        // A name that is only the unit ("142 đảng viên") names no quantity.
        !short.is_empty()
            && short != fold(&a.unit)
            && format!(" {long} ").contains(&format!(" {short} "))
    };
    names
        && a.year == b.year
        && a.total == b.total
        && agree(a.plan_value, b.plan_value)
        && agree(a.percent, b.percent)
        && agree(a.percent_of_plan, b.percent_of_plan)
        && agree(a.change_percent, b.change_percent)
}

/// Gives an indicator its catalogue key and category, and warns when its
/// unit does not fit the catalogued quantity.
fn catalogued(indicator: &mut Indicator, warnings: &mut Vec<String>) {
    // "phát triển 9 đảng viên": the unit completes a short name.
    let entry = catalogue::lookup(&indicator.name).or_else(|| {
        (!indicator.unit.is_empty() && indicator.name.split_whitespace().count() <= 3)
            .then(|| catalogue::lookup(&format!("{} {}", indicator.name, indicator.unit)))
            .flatten()
    });
    let Some(entry) = entry else { return };
    // "phương tiện khai thác thủy sản" counts boats, not the catch: a key
    // promises one quantity, so a unit of another kind gets none.
    if !unit_fits(entry.unit_family, &indicator.unit) {
        warnings.push(format!(
            "\"{}\" reads like {} but its unit \"{}\" is not how that is measured; left without a key",
            indicator.name, entry.key, indicator.unit
        ));
        return;
    }
    indicator.key = entry.key.to_string();
    indicator.category = entry.category.to_string();
}

/// Where in a sentence the quantities start being targets: at "phấn đấu"
/// (not "đã phấn đấu", which reports), or from the start when the sentence
/// opens on the plan year or the coming period ("Năm 2024, …", "Trong năm
/// tới, …", "Giai đoạn 2025–2030, …").
fn targets_from(doc: &Doc<'_>, sentence: Range<usize>, ctx: &Context<'_>) -> Option<usize> {
    static OPENING: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(r"^\W*(?:trong |den |muc tieu |chi tieu )?(?:nam (?P<year>\d{4})\b|(?:nam|thoi gian|nhiem ky) (?:toi|den)\b|giai doan (?P<from>\d{4})\s*[-–]\s*\d{4})")
            .expect("target opening pattern")
    });
    static STRIVING: LazyLock<WordRegex> =
        LazyLock::new(|| WordRegex::new(r"\bphan dau\b").expect("striving pattern"));
    let folded_range = doc.folded_range(sentence.clone());
    let folded = &doc.folded[folded_range.clone()];
    if let Some(caps) = OPENING.captures(folded) {
        let year = caps
            .name("year")
            .or(caps.name("from"))
            .and_then(|m| m.as_str().parse::<i32>().ok());
        let ahead = match year {
            Some(year) => ctx.plan_year > ctx.report_year && year >= ctx.plan_year,
            None => true,
        };
        if ahead {
            return Some(sentence.start);
        }
    }
    STRIVING
        .find_iter(folded)
        .find(|m| {
            !folded[..m.start()].trim_end().ends_with(" da")
                && !folded[..m.start()].trim_end().ends_with("nhung")
        })
        .map(|m| {
            doc.text_range(folded_range.start + m.start()..folded_range.start + m.end())
                .start
        })
}

/// Whether the text also writes decimals with a point ("94.32%"), which makes
/// a dot-grouped "1.500" a real doubt.
fn mixed_style(text: &str) -> bool {
    static DECIMAL_POINT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d\.(?:\d{1,2}|\d{4,})(?:[^\d./]|$)").expect("decimal point pattern")
    });
    DECIMAL_POINT.is_match(text)
}

/// Whether a unit as written belongs to a catalogue unit family.
fn unit_fits(family: &str, unit: &str) -> bool {
    let unit = fold(unit);
    // "héc-ta", "tr đồng".
    let mut words = unit.split(['/', ' ', '-', '.']);
    let mut first = words.next().unwrap_or("");
    // "35,2 ngàn tấn", "2,35 triệu con": a multiplier before the unit.
    if family != "money" && ["nghin", "ngan", "trieu"].contains(&first) {
        first = words.next().unwrap_or("");
    }
    match family {
        _ if unit.is_empty() || unit.starts_with('%') => true,
        "mass" => ["tan", "ta", "kg", "yen"].contains(&first),
        "area" => ["ha", "hec", "hecta", "m2", "km2"].contains(&first),
        "money" => [
            "ty", "ti", "trieu", "nghin", "ngan", "dong", "tr", "tr.d", "trd", "usd",
        ]
        .contains(&first),
        "head" => ["con"].contains(&first),
        "length" => ["km", "m", "met"].contains(&first),
        _ => true,
    }
}

/// A sentence's clauses: cut at ";" outside parentheses.
fn clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = sentence.start;
    let mut depth = 0i32;
    for (at, c) in text[sentence.clone()].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            ';' if depth == 0 => {
                out.push(start..sentence.start + at);
                start = sentence.start + at + 1;
            }
            _ => {}
        }
    }
    out.push(start..sentence.end);
    out
}

fn clause_items(
    doc: &Doc<'_>,
    clause: Range<usize>,
    ctx: &Context<'_>,
    (list_plan, sentence_target): (bool, bool),
    (numbers, table): (Numbers, &tables::Tables),
    warnings: &mut Vec<String>,
) -> Vec<Item> {
    let text = doc.text;
    let clause_folded = doc.folded_of(clause.clone()).to_string();
    let rating_clause = clause_folded.contains("hoan thanh")
        && clause_folded.contains("nhiem vu")
        && !clause_folded.contains("dat")
        || clause_folded.contains("xep loai");
    let award_clause = [
        "khen thuong",
        "bieu duong",
        "giay khen",
        "bang khen",
        "tang co",
        "danh hieu",
    ]
    .iter()
    .any(|w| clause_folded.contains(w));
    let plan_context = list_plan || PLAN_CONTEXT.is_match(&clause_folded);
    let in_target_range = |at: usize| ctx.target_ranges.iter().any(|r| r.contains(&at));
    let plan_year_named = ctx.plan_year > 0
        && names_year(&clause_folded, ctx.plan_year)
        && !names_year(&clause_folded, ctx.report_year);
    let striving = clause_folded.contains("phan dau");
    let clause_target = plan_year_named || striving || sentence_target;

    let mut found = quantities_in_style(text, clause.clone(), numbers.style);
    // Table rows are read by their columns, not as prose.
    found.retain(|q| !table.in_row(q.range.start));
    let mut items: Vec<Item> = Vec::new();
    let mut cursor = clause.start;
    for (index, q) in found.iter().enumerate() {
        let mut left = &text[cursor..q.range.start];
        let glued_to_previous = index > 0 && !left.contains([',', ':']);
        if index > 0 {
            // "12 đảng viên mới, đạt 120%": up to the comma, the words finish
            // the quantity before.
            if let Some(comma) = left.find(',') {
                left = &left[comma + 1..];
            }
        }
        let next_start = found.get(index + 1).map_or(clause.end, |n| n.range.start);
        let right = &text[q.range.end..next_start];
        let right_folded = fold(right);
        let left_folded = fold(left);
        // "giá trị thu hoạch trên 1 ha đất canh tác đạt 165 triệu đồng": one
        // unit of reference inside the next quantity's name, not a result.
        let reference = left_folded
            .trim_end()
            .rsplit(' ')
            .next()
            .is_some_and(|w| w == "tren" || w == "moi");
        if reference
            && q.value == 1.0
            && q.second.is_none()
            && !q.unit.is_empty()
            && !q.is_percent()
        {
            continue;
        }
        // "Diện tích lúa gieo trồng 3 vụ là 2.146 ha", "gieo cấy 2 vụ: 196,4
        // ha": a count of seasons or rounds right before "là", "đạt" or a
        // colon and an amount is part of its name.
        let inner = ["vu", "lan", "dot", "dau"].contains(&fold(&q.unit).as_str())
            && q.second.is_none()
            && INNER_BRIDGE.is_match(right_folded.trim())
            && found.get(index + 1).is_some();
        if inner {
            continue;
        }
        cursor = q.range.end;
        if q.ambiguous && numbers.mixed {
            warnings.push(format!(
                "\"{}\" read as {} (dot as thousands separator); check it",
                &text[q.range.clone()],
                q.value
            ));
        }
        let target = clause_target || in_target_range(q.range.start);
        let unit = fold(&q.unit);
        let (name, tail) = clean_name(left);
        let tail_has = |w: &str| tail.iter().any(|t| t == w);

        // Counts that belong to target summaries, ratings and awards.
        let unit_word = unit.split('/').next().unwrap_or("").trim().to_string();
        let rating_unit = [
            "chi bo",
            "dang vien",
            "tap the",
            "ca nhan",
            "to chuc co so dang",
            "to chuc dang",
            "to chuc",
            "dong chi",
            "dang bo",
        ]
        .contains(&unit_word.as_str());
        // "25 chi bộ trực thuộc", "24 chi bộ với 486 đảng viên": the
        // organisation's make-up; "bầu Ban Chấp hành gồm 15 đồng chí": an
        // election.
        let right_words: Vec<&str> = right_folded.split_whitespace().collect();
        let first_word = right_words.first().copied().unwrap_or("");
        // "được thành lập trên cơ sở sắp xếp 3 xã", "số liệu của 3 xã trước
        // sắp xếp": how the unit was formed, not a result.
        let merger = [
            "xa",
            "phuong",
            "thi tran",
            "huyen",
            "thon",
            "ap",
            "to dan pho",
        ]
        .contains(&unit_word.as_str())
            && ["sap xep", "sap nhap", "hop nhat", "thanh lap", "chia tach"]
                .iter()
                .any(|w| clause_folded.contains(w));
        // "Ea Tiêu … có 14 thôn, buôn, trong đó …": the place's make-up,
        // not a result.
        let make_up = q.second.is_none()
            && (tail_has("co") || tail_has("gom"))
            && {
                static FOLDED: LazyLock<Vec<String>> =
                    LazyLock::new(|| SETTLEMENTS.iter().map(|place| fold(place)).collect());
                let first = unit_word.split(',').next().unwrap_or("").trim();
                FOLDED.iter().any(|place| place == first)
            }
            && {
                // Nothing said of them: no result follows ("có 3 thôn được
                // công nhận" is one).
                let after = format!(" {} ", right_folded.replace([',', ';', '.', '(', ')'], " "));
                ![
                    " dat ",
                    " duoc ",
                    " hoan thanh ",
                    " cong nhan ",
                    " xay dung ",
                    " ra mat ",
                    " xep loai ",
                    " tang ",
                    " giam ",
                ]
                .iter()
                .any(|w| after.contains(w))
            };
        // "41 chi bộ trực thuộc (32 chi bộ thôn, khu phố; 9 chi bộ cơ quan)",
        // "58 tổ chức đảng (51 chi bộ, 7 đảng bộ bộ phận)": the kinds the
        // count before is made of.
        let party_unit = ["chi bo", "dang bo", "to chuc dang", "to chuc co so dang"];
        let breakdown = party_unit.contains(&unit_word.as_str())
            && index > 0
            && party_unit
                .iter()
                .any(|u| fold(&found[index - 1].unit).starts_with(u))
            && {
                let before = &text[doc.boundary(q.range.start.saturating_sub(160))..q.range.start];
                before
                    .rfind('(')
                    .is_some_and(|open| !before[open..].contains(')'))
            };
        let structure = make_up
            || breakdown
            || unit_word == "chi bo"
                && (right_folded.trim_start().starts_with("truc thuoc")
                    || ["voi", "gom"].contains(&first_word)
                    || tail_has("tai"))
            || rating_unit
                && (clause_folded.contains(" bau ") || clause_folded.starts_with("bau "))
            || merger;
        if unit_word == "chi tieu"
            || structure
            || (rating_unit
                && (rating_clause
                    // "47/47 tổ chức cơ sở đảng được đánh giá": how many were rated.
                    || right_folded.trim_start().starts_with("duoc danh gia")
                    || award_clause
                    || rates_duties(&right_folded)
                    || rates_duties(&fold(&name))))
        {
            items.push(Item {
                name: String::new(),
                indicator: Indicator::default(),
                sink: true,
                target,
            });
            continue;
        }
        let span = Span {
            start: q.range.start as u32,
            end: q.range.end as u32,
        };
        let qualifier = qualifier_of(&tail, &right_folded);
        let towards = right_words.iter().enumerate().any(|(i, w)| {
            *w == "xuong" || *w == "con" || (*w == "len" && (i == 0 || right_words[i - 1] != "tro"))
        });
        // "Hộ nghèo giảm 48 hộ, còn 152 hộ": the first amount is the change;
        // the item waits for its level.
        let level_follows = {
            let after = right_folded.trim_start().trim_start_matches(',').trim();
            ["con", "xuong con", "con lai", "len", "tang len"].contains(&after)
        };
        let change_then_level = !q.is_percent()
            && q.second.is_none()
            && (tail_has("giam") || tail_has("tang"))
            && level_follows
            && !name.is_empty();
        if (tail_has("tu") && towards) || change_then_level {
            // "giảm từ 5,2% xuống còn 3,1%": the first is the old level; the
            // item waits for the new one.
            let (name, _, year) = name_facts(&name, &left_folded);
            let indicator = Indicator {
                span,
                year,
                ..Default::default()
            };
            items.push(Item {
                name,
                indicator,
                sink: false,
                target,
            });
            continue;
        }

        if q.is_percent() {
            let folded_name = fold(&name);
            // "28 đồng chí HTXSNV (chiếm 13,5%)", "61 HTXSNV (chiếm 12,2%)":
            // the share of a rating count.
            let count_rated = folded_name
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
            let counted =
                items.last().is_some_and(|i| i.sink) || count_rated.len() < folded_name.len();
            // "44/47 TCCSĐ (93,62%) hoàn thành tốt nhiệm vụ trở lên": the
            // level after the share.
            let next = right_folded.trim_start_matches(|c: char| !c.is_alphanumeric());
            let level_next = ["hoan thanh", "khong hoan thanh", "ht", "khtnv"]
                .iter()
                .any(|w| next.starts_with(w))
                && rates_duties(next);
            if counted && (rates_duties(count_rated) || level_next) {
                continue;
            }
            // "giảm tỷ lệ hộ nghèo từ 1% trở lên": a verb before the name
            // makes the rate a change ("tăng trưởng", "tăng cường" are no verbs
            // of change).
            let lead_verb = ["giam", "tang"].into_iter().find(|verb| {
                let mut words = folded_name.split(' ');
                words.next() == Some(*verb)
                    && words
                        .next()
                        .is_some_and(|next| !["truong", "cuong", "gia", "ca"].contains(&next))
            });
            let name = match (lead_verb, name.split_once(' ')) {
                (Some(_), Some((_, rest))) => rest.to_string(),
                _ => name,
            };
            let mut value = q.value;
            // "1,8% (KH dưới 2%)": a bracket that goes on to the next amount
            // states the plan; it is no base of this rate.
            let bracketed_plan = (right_folded.trim_start().starts_with('(')
                && !right_folded.contains(')')
                // "93,75%, KH 95%": the plan's own figure after a comma.
                || PLAN_FIGURE.is_match(&right_folded))
                && index + 1 < found.len();
            let base = (!bracketed_plan)
                .then(|| BASE.captures(&right_folded))
                .flatten()
                .and_then(|c| c.get(1))
                .map(|m| match m.as_str() {
                    "nghi quyet" | "nq" => Base::Resolution,
                    "du toan" => Base::BudgetEstimate,
                    "cung ky" => Base::SamePeriod,
                    _ => Base::Plan,
                });
            // "vượt 8,3% dự toán" is 108,3% of it; "vượt 5% so với cùng kỳ"
            // is a rise.
            let beyond = tail.first().is_some_and(|t| t == "vuot") && value < 100.0;
            if beyond && base.is_some_and(|b| b != Base::SamePeriod) {
                value += 100.0;
            }
            let change = (tail_has("tang")
                || tail_has("giam")
                || lead_verb.is_some()
                || beyond && base == Some(Base::SamePeriod))
                && !tail_has("con")
                && !tail_has("xuong");
            let sign = if tail_has("giam") || lead_verb == Some("giam") {
                -1.0
            } else {
                1.0
            };
            let current_name = if name.is_empty() {
                items
                    .last()
                    .filter(|i| !i.sink)
                    .map(|i| fold(&i.name))
                    .unwrap_or_default()
            } else {
                fold(&name)
            };
            let rate_name = RATE_WORDS
                .iter()
                .any(|w| current_name.contains(w) || left_folded.contains(w));
            let achieved =
                tail_has("dat") || tail_has("vuot") || tail_has("hoan thanh") || tail_has("bang");
            #[derive(PartialEq)]
            enum Slot {
                Percent,
                OfPlan(Base),
                Change,
            }
            // "đạt 96,5/97% KH", "96,2%/KH 97%": the rate reached and the
            // planned rate; the plan is the pair's base, not the rate's.
            let rate_pair = q.second.filter(|_| !change);
            let slot = if rate_pair.is_some() {
                Slot::Percent
            } else if change && base != Some(Base::Plan) && base != Some(Base::Resolution) {
                Slot::Change
            } else if let Some(base) = base {
                Slot::OfPlan(base)
            } else if achieved && !rate_name {
                let production = PRODUCTION.iter().any(|w| current_name.contains(w));
                if plan_context || production || value > 100.0 {
                    Slot::OfPlan(if plan_context {
                        Base::Plan
                    } else {
                        Base::Unspecified
                    })
                } else {
                    Slot::Percent
                }
            } else {
                Slot::Percent
            };
            let fill = |indicator: &mut Indicator| -> bool {
                match &slot {
                    Slot::Percent if indicator.percent.is_none() => indicator.percent = Some(value),
                    Slot::OfPlan(base) if indicator.percent_of_plan.is_none() => {
                        indicator.percent_of_plan = Some(value);
                        indicator.base = *base;
                    }
                    Slot::Change if indicator.change_percent.is_none() => {
                        indicator.change_percent = Some(sign * value)
                    }
                    _ => return false,
                }
                if let Some(plan) = rate_pair {
                    indicator.plan_value.get_or_insert(plan);
                }
                if indicator.qualifier == Qualifier::Unspecified {
                    indicator.qualifier = qualifier;
                }
                if indicator.unit.is_empty() && indicator.value.is_none() && q.unit != "%" {
                    indicator.unit = q.unit.clone();
                }
                true
            };
            // "đạt 92,41%, chỉ tiêu 93%": the plan's own rate; "(chỉ tiêu
            // quận giao 92,8%)" too, though its name keeps "quận giao".
            // "tăng 10,2% (KH 12%)": the plan for the rate of growth.
            if names_only_the_plan(&left_folded)
                && plan_of_last(&mut items, value, holds_a_rate).is_some()
            {
                continue;
            }
            if name.is_empty() {
                if let Some(last) = items.last_mut()
                    && (last.sink || fill(&mut last.indicator))
                {
                    // "đạt 115% chỉ tiêu (23/20)": the actual and the plan.
                    if !last.sink
                        && last.indicator.plan_value.is_none()
                        && let Some(plan) = actual_over_plan(right, last.indicator.value)
                    {
                        last.indicator.plan_value = Some(plan);
                    }
                    continue;
                }
                // "đạt 100,44% dự toán, bằng 93,8% so với cùng kỳ": the same
                // item measured against a second base is a fact of its own.
                if let Slot::OfPlan(second_base) = slot
                    && let Some(last) = items.last()
                    && !last.sink
                    && last.indicator.percent_of_plan.is_some()
                    && last.indicator.base != second_base
                {
                    let name = if second_base == Base::SamePeriod {
                        format!("{} so với cùng kỳ", last.name)
                    } else {
                        last.name.clone()
                    };
                    let target = last.target;
                    let indicator = Indicator {
                        span,
                        percent_of_plan: Some(value),
                        base: second_base,
                        ..Default::default()
                    };
                    items.push(Item {
                        name,
                        indicator,
                        sink: false,
                        target,
                    });
                    continue;
                }
                // "100% cán bộ, đảng viên học tập …": the name follows, also
                // after its qualifier ("80% trở lên chi bộ được xếp loại …").
                let after =
                    right_name(right.trim_start().strip_prefix("trở lên ").unwrap_or(right));
                if after.is_empty() {
                    continue;
                }
                let mut indicator = Indicator {
                    span,
                    ..Default::default()
                };
                fill(&mut indicator);
                items.push(Item {
                    name: after,
                    indicator,
                    sink: false,
                    target,
                });
            } else {
                let mut indicator = Indicator {
                    span,
                    ..Default::default()
                };
                fill(&mut indicator);
                let (name, met, year) = name_facts(&name, &left_folded);
                // "đạt 92,4%, chưa đạt kế hoạch (94%)": the rate the plan set
                // for the item before, not a quantity of its own.
                if names_only_the_plan(&name)
                    && let Some(last) = plan_of_last(&mut items, value, holds_a_rate)
                {
                    if met.is_some() {
                        last.met = met;
                    }
                    continue;
                }
                indicator.met = met;
                indicator.year = year;
                let target = target
                    || (year > 0 && year == ctx.plan_year && ctx.plan_year > ctx.report_year);
                items.push(Item {
                    name,
                    indicator,
                    sink: false,
                    target,
                });
            }
            continue;
        }

        // "kết nạp 14 đảng viên, đạt 116,67% chỉ tiêu Nghị quyết (12 đảng
        // viên)": the plan's own figure for the item before, in its unit.
        if q.second.is_none()
            && (names_only_the_plan(&name) || name.is_empty() && names_only_the_plan(&left_folded))
            && plan_of_last(&mut items, q.value, |last| {
                last.value.is_some() && last.total.is_none() && last.unit == q.unit
            })
            .is_some()
        {
            continue;
        }
        // An amount with a unit.
        let (value_plan, value_total) = match q.second {
            Some(second) => {
                let measure = MEASURE.contains(&unit_word.split(' ').next().unwrap_or(""));
                if q.planned
                    || q.value > second
                    || measure
                    || right_folded.contains("ke hoach")
                    || right_folded.contains("kh ")
                {
                    (Some(second), None)
                } else {
                    (None, Some(second))
                }
            }
            None => (None, None),
        };
        let mut indicator = Indicator {
            value: Some(q.value),
            unit: q.unit.clone(),
            plan_value: value_plan,
            total: value_total,
            qualifier,
            span,
            ..Default::default()
        };
        let count_unit = !MEASURE.contains(&unit_word.split(' ').next().unwrap_or(""));
        // "trong đó có 145 ha khóm và 95 ha mít Thái": the words before the
        // second amount are the first one's name, said after it.
        let name = if !name.is_empty()
            && name.split_whitespace().count() <= 3
            && items.last().is_some_and(|last| {
                !last.sink
                    && last.indicator.value.is_some()
                    && fold(&last.name).ends_with(&fold(&name))
            }) {
            String::new()
        } else {
            name
        };
        // "25 chi bộ trực thuộc với 850 đảng viên": a few words between two
        // counts finish the first; the second is named by its unit.
        let short_bridge = glued_to_previous && name.split_whitespace().count() <= 2;
        // "đã tổ chức 4 hội nghị thường kỳ": what was held names the count.
        let held = {
            let folded = fold(&name);
            folded == "to chuc" || folded.ends_with(" to chuc")
        };
        let counted_after = (tail_has("co")
            || tail_has("con")
            || tail_has("cho")
            || tail_has("duoc")
            || short_bridge
            || held)
            && count_unit
            || unit_word == "tieu chi";
        if name.is_empty() || counted_after {
            if name.is_empty()
                && let Some(last) = items.last_mut()
                && !last.sink
                && last.indicator.value.is_none()
            {
                last.indicator.value = indicator.value;
                last.indicator.unit = indicator.unit;
                last.indicator.plan_value = indicator.plan_value;
                last.indicator.total = indicator.total;
                continue;
            }
            // "có 11 hộ nghèo": the unit and the words after it name the count.
            let after = right_name(right);
            let named = match (after.is_empty(), name.is_empty()) {
                // "145 ha khóm": a measure is no part of the name.
                (false, _) if !count_unit => after,
                (false, _) => format!("{} {}", q.unit, after),
                (true, false) if !short_bridge => name.clone(),
                (true, _) => q.unit.clone(),
            };
            if named.is_empty() {
                continue;
            }
            items.push(Item {
                name: named,
                indicator,
                sink: false,
                target,
            });
            continue;
        }
        let (name, met, year) = name_facts(&name, &left_folded);
        let name = with_object(name, &indicator.unit, right);
        indicator.met = met;
        indicator.year = year;
        let target =
            target || (year > 0 && year == ctx.plan_year && ctx.plan_year > ctx.report_year);
        items.push(Item {
            name,
            indicator,
            sink: false,
            target,
        });
    }
    // "… đạt 95% KH, chưa đạt": a miss said anywhere after an item in its
    // clause. The last such word in the clause is found once, so a long
    // clause costs linear time, not a scan per item.
    let clause_start = doc.folded_range(clause.clone()).start;
    let last_miss = ["chua dat", "khong dat"]
        .iter()
        .filter_map(|w| clause_folded.rfind(w))
        .max()
        .map(|at| clause_start + at);
    for item in &mut items {
        if item.indicator.met.is_none() && item.indicator.percent_of_plan.is_some() {
            let start = doc
                .folded_range(item.indicator.span.start as usize..clause.end)
                .start;
            if last_miss.is_some_and(|miss| miss >= start) {
                item.indicator.met = Some(false);
            }
        }
    }
    items
}

/// Whether folded text holds "nam {year}" (also where more digits follow,
/// as a substring test would find it).
fn names_year(folded: &str, year: i32) -> bool {
    let year = year.to_string();
    folded
        .match_indices("nam ")
        .any(|(at, _)| folded[at + 4..].starts_with(&year))
}

/// A long "Label: value" label that names a quantity: it opens on what is
/// measured ("- Sản lượng mủ cao su khai thác: 21.436 tấn", "Thu nhập bình
/// quân người lao động: 11,4 triệu đồng"), where a lead-in to a list does
/// not ("… đạt được nhiều kết quả nổi bật: 100% …").
fn long_label(label: &str) -> bool {
    let folded = fold(label.trim_start_matches(|c: char| !c.is_alphanumeric()));
    folded.split_whitespace().count() <= 16
        && PRODUCTION
            .iter()
            .chain(RATE_WORDS)
            .chain(&["thu nhap", "so ", "binh quan"])
            .any(|head| folded.starts_with(head))
}

/// Cleans the words before a quantity into a name. Returns the name and the
/// connecting words stripped from its end (folded), nearest first.
fn clean_name(left: &str) -> (String, Vec<String>) {
    // "+ Đàn bò: 840 con", "- Thu ngân sách …", "🔹 Thu ngân sách …": a list
    // item's bullet is no part of the name.
    let left = left
        .trim_start_matches(|c: char| {
            c.is_whitespace() || crate::text::is_mark(c) || matches!(c, '-' | '+' | '*' | '–' | '·')
        })
        .trim_start();
    // "từ 48 đến 50 triệu đồng", "150 - 200 lao động": the range's first
    // bound is no part of the name.
    static RANGE_START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\btừ\s+)?\d[\d.,]*\s*(?:-|–|đến|tới)\s*$").expect("range start pattern")
    });
    let trimmed = left.trim_end();
    let left =
        if trimmed.ends_with(['-', '–']) || trimmed.ends_with("đến") || trimmed.ends_with("tới")
        {
            RANGE_START.find(left).map_or(left, |m| &left[..m.start()])
        } else {
            left
        };
    let raw = left.trim_end();
    let mut labelled = false;
    if let Some(before) = raw.strip_suffix(':') {
        // "Đàn bò: 840 con" names the number; a long lead-in before a colon
        // ("… đạt được nhiều kết quả nổi bật: 100% …") introduces a list.
        // A remark in brackets ends a label: "Tổng thu ngân sách (không kể
        // thu tiền sử dụng đất): 38 tỷ đồng".
        let before = before.trim_end();
        let before = match before.strip_suffix(')').and_then(|b| b.rfind('(')) {
            Some(open) if !before[..open].trim().is_empty() => &before[..open],
            _ => before,
        };
        let label = before.rsplit([',', ';', '(', '.']).next().unwrap_or(before);
        let words = label.split_whitespace().count();
        labelled = words > 6 && long_label(label);
        if words > 6 && !labelled {
            return (String::new(), Vec::new());
        }
    }
    let mut name = left.trim().to_string();
    let mut tail = Vec::new();
    loop {
        let trimmed = name
            .trim_end_matches([' ', ',', ':', '-', '–', '(', '.', '/'])
            .to_string();
        let folded = fold(&trimmed);
        let Some(word) = CONNECTORS.iter().find(|w| ends_with_word(&folded, w)) else {
            name = trimmed;
            break;
        };
        tail.push((*word).to_string());
        let words = word.split(' ').count();
        let mut cut = trimmed.clone();
        for _ in 0..words {
            cut = cut
                .trim_end()
                .rsplit_once(' ')
                .map_or(String::new(), |(head, _)| head.to_string());
        }
        name = cut;
    }
    // "Tỷ lệ hộ nghèo (theo chuẩn mới) 2,35%": a closing remark in
    // brackets qualifies the name before it.
    let trimmed = name.trim_end();
    if trimmed.ends_with(')')
        && let Some(open) = trimmed.rfind('(')
        && !trimmed[..open].trim().is_empty()
    {
        name = trimmed[..open].to_string();
    }
    // Keep what follows the last separator of the clause, unless that is
    // only an adverb: "giải ngân vốn đầu tư công đạt thấp (mới đạt 71,4%)".
    while let Some(at) = name.rfind([',', ':', '(', ')', '.', '…']) {
        let separator = name[at..].chars().next().map_or(1, char::len_utf8);
        let after = &name[at + separator..];
        let adverbs_only = fold(after)
            .split_whitespace()
            .all(|w| ["moi", "chi", "da", "van", "con", "chua", "cung", "deu"].contains(&w))
            && !after.trim().is_empty();
        if !adverbs_only {
            name = match listed_with(&name[..at], after) {
                Some(head) => format!("{}, {}", head.trim(), after.trim()),
                None => after.to_string(),
            };
            break;
        }
        name.truncate(at);
    }
    // "… cho hộ nghèo với tổng kinh phí trên 7,4 tỷ đồng": the amount
    // introduced by "với" is named after it.
    if let Some(at) = name.rfind(" với ") {
        let rest = &name[at + " với ".len()..];
        const AMOUNTS: &[&str] = &[
            "tong kinh phi",
            "kinh phi",
            "tong von",
            "tong so tien",
            "so tien",
            "tong gia tri",
            "tong dien tich",
            "dien tich",
            "tong muc dau tu",
            "tong so",
        ];
        let folded = fold(rest);
        if AMOUNTS.iter().any(|w| folded.starts_with(w)) {
            name = rest.to_string();
        }
    }
    // "thị trấn phấn đấu thu nhập …": what is striven for is the name.
    static STRIVING_LEAD: LazyLock<WordRegex> = LazyLock::new(|| {
        WordRegex::new(r"(?i)^.{0,60}?\bphấn đấu(?: (?:đến|để|cho))?(?:\s+|$)")
            .expect("striving lead pattern")
    });
    static YEAR_LEAD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(?:trong )?năm \d{4},?\s*").expect("year lead pattern"));
    // A leading subject ("Đảng bộ thị trấn kết nạp") is not the name.
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:toàn )?(?:Đảng bộ|Đảng ủy|Đảng uỷ|Ban Chấp hành)(?: (?:xã|phường|thị trấn|huyện|thị xã|tỉnh))?|(?:[Tt]oàn )?(?:[Xx]ã|[Pp]hường|[Tt]hị trấn|[Hh]uyện|[Tt]hị xã))(?: \p{Lu}\p{Ll}*)*(?:\s+|$)")
            .expect("subject pattern")
    });
    let mut name = name.trim().to_string();
    loop {
        let before = name.clone();
        name = YEAR_LEAD.replace(&name, "").trim().to_string();
        if fold(&name).contains("phan dau") {
            name = STRIVING_LEAD.replace(&name, "").trim().to_string();
        }
        name = SUBJECT.replace(&name, "").trim().to_string();
        let folded = fold(&name);
        if let Some(word) = FILLERS.iter().find(|w| {
            folded
                .strip_prefix(**w)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        }) {
            let words = word.split(' ').count();
            name = name
                .splitn(words + 1, ' ')
                .nth(words)
                .unwrap_or("")
                .trim()
                .to_string();
        }
        if name == before {
            break;
        }
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let name = if words.len() > 14 && !(labelled && words.len() <= 16) {
        words[words.len() - 12..].join(" ")
    } else {
        words.join(" ")
    };
    let name = if name.chars().any(is_alphabetic) {
        name
    } else {
        String::new()
    };
    (name, tail)
}

/// "Sản lượng lúa, ngô", "Tỷ lệ hộ nghèo, cận nghèo": one or two words
/// after a comma that list another thing measured by the quantity before
/// it. The quantity's phrase (the part of `before` after its own last
/// separator) when it opens on a measure's head word.
fn listed_with<'a>(before: &'a str, after: &str) -> Option<&'a str> {
    const HEADS: &[&str] = &[
        "san luong",
        "dien tich",
        "ty le",
        "nang suat",
        "gia tri",
        "tong dan",
        "tong san luong",
        "tong dien tich",
        "tong gia tri",
    ];
    let words: Vec<&str> = after.split_whitespace().collect();
    let listed = (1..=2).contains(&words.len())
        && words[0].starts_with(char::is_lowercase)
        && words.iter().all(|w| w.chars().all(is_alphabetic));
    let head = before
        .rfind([',', ':', '(', ')', '.', '…', ';'])
        .map_or(before, |at| {
            &before[at + before[at..].chars().next().map_or(1, char::len_utf8)..]
        });
    let folded = fold(head.trim_start());
    let opens = |h: &&str| {
        folded
            .strip_prefix(*h)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    (listed && HEADS.iter().any(opens)).then_some(head)
}

/// "Trồng mới 25 ha rừng tập trung", "Bê tông hóa 3,5 km đường giao thông",
/// "đón trên 520.000 lượt khách tham quan", "giải quyết 3.410 hồ sơ thủ
/// tục hành chính": a name that is only the work done takes the object
/// written after the amount.
fn with_object(name: String, unit: &str, right: &str) -> String {
    const WORKS: &[&str] = &[
        "trong moi",
        "trong",
        "xay dung",
        "xay dung moi",
        "xay moi",
        "lam moi",
        "lam",
        "mo moi",
        "mo rong",
        "nang cap",
        "cai tao",
        "sua chua",
        "be tong hoa",
        "cung hoa",
        "kien co hoa",
        "nao vet",
        "chuyen doi",
        "cap",
        "cap moi",
        "ho tro",
        "don",
        "tiep nhan",
        "giai quyet",
        "tiep nhan va giai quyet",
        "kham",
        "kham chua benh",
        "tiem",
    ];
    if !WORKS.contains(&fold(&name).as_str()) {
        return name;
    }
    let object = right_name(right);
    let object = object.trim();
    // "lượt khách tham quan": the counted noun of a "lượt" unit belongs to
    // the object, as does a counted thing ("Xây dựng 2 cầu bê tông").
    let counted = match unit.split_once(' ') {
        Some((head, noun)) if fold(head) == "luot" => noun,
        _ if unit != "lượt" && super::numbers::is_count_unit(unit) => unit,
        _ => "",
    };
    match (counted.is_empty(), object.is_empty()) {
        (true, true) => name,
        (true, false) => format!("{name} {object}"),
        (false, true) => format!("{name} {counted}"),
        (false, false) => format!("{name} {counted} {object}"),
    }
}

/// Facts a name carries: "chưa đạt" (not met) and a year ("năm 2022").
fn name_facts(name: &str, left_folded: &str) -> (String, Option<bool>, i32) {
    static NOT_MET: LazyLock<WordRegex> =
        LazyLock::new(|| WordRegex::new(r"(?i)\s*(?:chưa|không) đạt\b").expect("not met pattern"));
    static YEAR: LazyLock<WordRegex> =
        LazyLock::new(|| WordRegex::new(r"(?i)\s*năm (\d{4})\b").expect("year pattern"));
    let met =
        (left_folded.contains("chua dat") || left_folded.contains("khong dat")).then_some(false);
    static DANGLING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s+(?:chưa|không|đến|tới)$").expect("dangling negation pattern")
    });
    // The regexes only run where their words are.
    let folded = fold(name);
    let cleaned = if folded.contains(" dat") {
        NOT_MET.replace_all(name, "").to_string()
    } else {
        name.to_string()
    };
    let (year, cleaned) = if folded.contains("nam ") {
        let year = YEAR
            .captures(&cleaned)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
        (year, YEAR.replace_all(&cleaned, "").trim().to_string())
    } else {
        (0, cleaned.trim().to_string())
    };
    let cleaned = DANGLING.replace(&cleaned, "").to_string();
    // "02 chỉ tiêu chưa đạt là tỷ lệ …": the copula before the name.
    let cleaned = match cleaned.split_once(' ') {
        Some((first, rest)) if met.is_some() && ["là", "gồm"].contains(&first) => {
            rest.to_string()
        }
        _ => cleaned,
    };
    let cleaned = if cleaned.is_empty() {
        name.to_string()
    } else {
        cleaned
    };
    (cleaned, met, year)
}

/// The words after a count or a rate that name it ("hộ nghèo", "cán bộ,
/// đảng viên học tập Nghị quyết"), up to a verb, a number or the clause end.
/// Whether words after a count of members or cells rate how they did their
/// duties ("… hoàn thành tốt nhiệm vụ"), rather than say a plan was carried
/// out ("kết nạp 6 đảng viên, hoàn thành 100% chỉ tiêu").
fn rates_duties(right_folded: &str) -> bool {
    // "3 chi bộ HTXSNV, 16 chi bộ HTTNV": the levels' abbreviations.
    let abbreviated = right_folded
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .is_some_and(|w| ["htxsnv", "httnv", "htnv", "khtnv", "htxs", "htt", "ht"].contains(&w));
    abbreviated
        || right_folded.match_indices("hoan thanh").any(|(at, found)| {
            let next: Vec<&str> = right_folded[at + found.len()..]
                .split_whitespace()
                .take(3)
                .collect();
            next.first()
                .is_some_and(|w| ["xuat", "tot", "nhiem", "nv"].contains(w))
                || next.windows(2).any(|w| w == ["nhiem", "vu"])
        })
}

/// What stands between a rate and the plan's own figure after it: ", KH"
/// in "93,75%, KH 95%".
static PLAN_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*,\s*(?:kh|ke hoach|chi tieu|muc tieu)(?: nghi quyet| nq| de ra| giao)*\s*:?\s*$",
    )
    .expect("plan figure pattern")
});

/// What may stand between a count inside a name and the amount it names:
/// "là", "đạt", a colon, also after the unit's own place ("lúa 3 vụ của xã
/// đạt 6.820 ha"), or nothing at all ("lúa 2 vụ 3.860 ha").
static INNER_BRIDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:cua|tren dia ban) (?:toan )?(?:xa|phuong|thi tran|huyen|dia ban) )?(?:la|dat)$|^:?$")
        .expect("inner bridge pattern")
});

/// The plan in a bracketed "(actual/plan)" pair that opens `right` and
/// repeats `value`: "(23/20)" after "đạt 115% chỉ tiêu".
fn actual_over_plan(right: &str, value: Option<f64>) -> Option<f64> {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[^(),;]{0,40}\(\s*(\d{1,6})\s*/\s*(\d{1,6})\s*\)").expect("pair pattern")
    });
    let caps = PAIR.captures(right)?;
    let actual: f64 = caps[1].parse().ok()?;
    (Some(actual) == value)
        .then(|| caps[2].parse().ok())
        .flatten()
}

/// Gives the result before the plan's own figure ("đạt 92,41%, chỉ tiêu
/// 93%", "kết nạp 14 đảng viên, đạt 116,67% chỉ tiêu (12 đảng viên)") when
/// it has no plan yet and `fits` the figure; returns it for further facts.
fn plan_of_last(
    items: &mut [Item],
    plan: f64,
    fits: impl Fn(&Indicator) -> bool,
) -> Option<&mut Indicator> {
    let last = items.last_mut()?;
    if last.sink || last.indicator.plan_value.is_some() || !fits(&last.indicator) {
        return None;
    }
    last.indicator.plan_value = Some(plan);
    Some(&mut last.indicator)
}

/// Whether an item holds a rate a plan's percentage can be for: its level
/// ("đạt 92,41%") or its growth ("tăng 10,2%").
fn holds_a_rate(indicator: &Indicator) -> bool {
    indicator.percent.is_some() || indicator.change_percent.is_some()
}

/// Whether a name says no more than "the plan": "kế hoạch", "KH", "chỉ
/// tiêu Nghị quyết đề ra", "kế hoạch huyện giao".
pub(crate) fn names_only_the_plan(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "ke", "hoach", "kh", "chi", "tieu", "nghi", "quyet", "nq", "de", "ra", "giao", "huyen",
        "tinh", "xa", "so", "voi", "cua", "quan", "thanh", "pho", "thi", "cap", "tren", "nam",
    ];
    let folded = fold(name);
    let mut words = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    words
        .peek()
        .is_some_and(|w| ["ke", "kh", "chi", "nghi", "nq"].contains(w))
        && words.all(|w| WORDS.contains(&w))
}

fn right_name(right: &str) -> String {
    if right.trim_start().starts_with([',', ';', '.', ':']) {
        return String::new();
    }
    let right = right.trim_start();
    let right = &right[..right
        .find([';', '.', '(', ':', '\n'])
        .unwrap_or(right.len())];
    const STOPS: &[&str] = &[
        "dat", "tang", "giam", "so", "trong", "tren", "la", "va", "bang", "chiem", "voi",
    ];
    const PAIRS: &[&str] = &["co mat", "dia ban", "nang cao", "nhieu chi", "nang tong"];
    let words: Vec<&str> = right.split(' ').filter(|w| !w.is_empty()).collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let folded = fold(word.trim_matches(|c: char| !is_alphanumeric(c)));
        let pair = words
            .get(i + 1)
            .map(|next| format!("{folded} {}", fold(next)));
        // "đạt chuẩn", "đạt danh hiệu" name a kind of unit, not a result.
        // "cơ sở" is a word of its own ("tổ chức cơ sở đảng"), not "so với".
        let standard = folded == "dat"
            && words
                .get(i + 1)
                .is_some_and(|n| ["chuan", "danh"].contains(&fold(n).as_str()))
            || folded == "so" && i > 0 && fold(words[i - 1]) == "co"
            // "giảm 50% số hộ nghèo": "số" (the number of), not "so với".
            || folded == "so"
                && words
                    .get(i + 1)
                    .is_some_and(|n| !["voi", "cung"].contains(&fold(n).as_str()));
        // "1.000 lao động trở lên": the qualifier right after the unit.
        let qualifier = i == 0 && folded == "tro";
        // "98 hộ nghèo, tỷ lệ 1,87%": a rate of its own follows; "giảm 2%
        // tỷ lệ hộ nghèo" is named by it.
        let rate = i > 0 && pair.as_deref() == Some("ty le");
        if qualifier
            || rate
            || !standard
                && (STOPS.contains(&folded.as_str())
                    || pair.is_some_and(|p| PAIRS.contains(&p.as_str())))
        {
            break;
        }
        kept.push(word);
        if kept.len() >= 12 {
            break;
        }
    }
    // "đảng viên sinh hoạt tại 19 chi bộ": a dangling preposition is not
    // part of the name.
    while kept.last().is_some_and(|w| {
        [
            "tai", "o", "cua", "cho", "voi", "va", "trong", "tu", "den", "thuoc",
        ]
        .contains(&fold(w).as_str())
    }) {
        kept.pop();
    }
    let name = kept.join(" ");
    let mut name = name.trim().trim_end_matches([',', '…']).trim_end();
    // A bracket or quote that closes nothing opened in the name is dropped:
    // "(100%)" is cut before, '"Gia đình văn hóa"' is whole.
    for (open, close) in [('(', ')'), ('"', '"'), ('“', '”')] {
        let opened = name.matches(open).count();
        let closed = name.matches(close).count();
        let unmatched = if open == close {
            opened % 2 == 1
        } else {
            closed > opened
        };
        if unmatched && let Some(cut) = name.strip_suffix(close) {
            name = cut.trim_end_matches([',', '…']).trim_end();
        }
    }
    if name.chars().next().is_some_and(is_alphabetic) {
        name.to_string()
    } else {
        String::new()
    }
}

fn qualifier_of(tail: &[String], right_folded: &str) -> Qualifier {
    let right = right_folded.trim_start();
    if right.starts_with("tro len") || tail.iter().any(|t| t == "it nhat" || t == "toi thieu") {
        return Qualifier::AtLeast;
    }
    for t in tail {
        match t.as_str() {
            "tren" | "hon" | "dat tren" => return Qualifier::Over,
            "duoi" => return Qualifier::Under,
            "khoang" | "gan" | "xap xi" => return Qualifier::About,
            "uoc" | "uoc dat" | "uoc thuc hien" | "uoc tinh" => return Qualifier::Estimate,
            "toi da" => return Qualifier::AtMost,
            _ => {}
        }
    }
    Qualifier::Unspecified
}
