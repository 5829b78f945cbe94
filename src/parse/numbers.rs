//! Numbers as Vietnamese texts write them, and the quantities they form
//! with a unit: decimal comma with dot thousands ("3.184.308", "466,8"),
//! decimal point ("94.32%"), the ambiguous "1.500" and "2,450" decided from
//! context (the text's own number style, a count that cannot be fractional,
//! a rate per hectare or per person that cannot be thousands), glued units ("970con", "61,61triệuđồng/người/năm"), spaced
//! and malformed decimals ("21, 72 tỷ", "152,% KH"), amounts in words and
//! mixed ("218 tỷ 477 triệu đồng", tỷ/tỉ, nghìn/ngàn) and slash pairs
//! ("8.215/8.100ha", "171/416 hộ", "16/19 tiêu chí").

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::is_alphanumeric;

use super::doc::floor;

/// One number with its unit, as found in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantity {
    /// The text range of the number and its unit.
    pub range: Range<usize>,
    pub value: f64,
    /// The number after a slash ("171/416 hộ" → 416).
    pub second: Option<f64>,
    /// The unit as written, spaces tidied ("triệu đồng/năm", "%").
    pub unit: String,
    /// A dot-grouped number that could also be read as a decimal ("1.500").
    pub ambiguous: bool,
    /// `second` is marked as the plan ("12.450 triệu đồng/KH 11.200 triệu
    /// đồng", "5.640 tấn (KH 5.500 tấn)").
    pub planned: bool,
}

impl Quantity {
    pub fn is_percent(&self) -> bool {
        self.unit.starts_with('%') || self.unit.starts_with('‰')
    }
}

const NUM: &str = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?";

const COUNT_UNITS: &str = r"hội viên|hội nghị|hộ kinh doanh|hộ|khu phố|khóm|ấp|bản|buôn|bon|plei|sóc|làng nghề|làng|người|lao động|đảng viên|chi bộ|tiêu chí|chỉ tiêu|thôn|xóm|tổ dân phố|khu dân cư|xã|phường|thị trấn|trường hợp|trường|sản phẩm|công trình|lượt lao động|lượt người bệnh|lượt người|lượt hộ|lượt học sinh|lượt khách|lượt bệnh nhân|lượt|ca|cây|cháu|học sinh|hồ sơ|tập thể|cá nhân|đồng chí|doanh nghiệp|HTX|hợp tác xã|tổ hợp tác|mô hình|cơ sở|thẻ|suất quà|suất|phần quà|ngôi nhà|căn nhà|căn|nhà|tuyến ngõ|tuyến hẻm|tuyến phố|tuyến|buổi|cuộc|lớp|vụ|đơn thư|đơn vị|đơn|thanh niên|tân binh|quân nhân|công dân|nhân khẩu|khẩu|đoàn viên|quần chúng ưu tú|quần chúng|học viên|cán bộ|gia đình|bệnh nhân|tổ chức cơ sở đảng|tổ chức đảng|tổ chức|đảng bộ|dự án|ý kiến|bài viết|tin bài|đối tượng|tài khoản|viên chức|viên|giấy phép|giấy chứng nhận|kiệt|hẻm|mũi|liều|khối phố|khối|ngày công|tụ điểm|bóng|giáo viên|giải|tàu|lồng|trang trại|gia trại|khách hàng|kỹ thuật|sáng kiến|khu vực|chùa|mã số|chiếc|phương tiện|văn bản|vườn mẫu|chợ|cánh đồng|đập|cầu|bồn|giường bệnh|con";

/// Whether `unit` counts things ("cầu", "hộ", "thôn, tổ dân phố") rather
/// than measuring an amount ("ha", "tỷ đồng", "%").
pub(crate) fn is_count_unit(unit: &str) -> bool {
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(?i)^(?:{COUNT_UNITS})(?:,.*)?$")).expect("count unit pattern")
    });
    COUNT.is_match(unit)
}

const MEASURE_UNITS: &str =
    r"tấn|tạ|kg|gam|gram|yến|héc[\s-]?ta|hec[\s-]?ta|ha|km2|km²|km|m2|m²|m3|m³|mét|lít";

/// The quantity pattern, with `short_dong` for the short "đ" of "đồng".
fn quantity_pattern(short_dong: &str) -> String {
    let spaced = |units: &str| units.replace(' ', r"\s+");
    let (count_units, measure_units) = (spaced(COUNT_UNITS), spaced(MEASURE_UNITS));
    format!(
        r"(?xi)
        (?P<a>{NUM})
        (?: \s*/\s*(?P<b>{NUM}) )?
        (?: ,\s(?P<frac>\d{{1,2}}) )?
        \s*
        (?P<unit>
            ,?\s*%|‰|(?P<points>điểm\s+phần\s+trăm|điểm\s*%)
          | (?P<big>nghìn\s+tỷ|ngàn\s+tỷ|nghìn\s+tỉ|ngàn\s+tỉ|tỷ|tỉ|triệu|nghìn|ngàn)
            (?: \s*(?P<c>\d{{1,3}})\s*(?P<small>triệu|nghìn|ngàn) )?
            (?: \s*(?:đồng|{short_dong}|VNĐ|VND|USD) | \s+(?P<scaled>m2|m²|m3|km|ha|tấn|con|người|lượt\s+khách|lượt\s+người|lượt|cây|viên|hộ|lao\s+động|lít|trái|quả|liều) )?
          | {measure_units}
          | (?P<count>{count_units})
          | tr\.?\s?đồng | tr\.?\s?đ | đồng | USD
        )
        (?P<per> (?: \s*/\s*(?:người|hộ|năm|tháng|ha|con|lao\s+động|khẩu|sào|km|vụ) )* )
        "
    )
}

/// "đ" for "đồng" must end a word ("5 tỷ đ", not the "đ" of "5 tỷ đất").
/// A Unicode `\b` keeps the regex crate's lazy DFA off any non-ASCII text,
/// so a pattern with one is run by its backtracker over the whole clause,
/// which cost more than half the parser's time. QUANTITY writes the short
/// "đ" without `\b` and runs on the DFA; a match ending in that "đ" is the
/// only kind that can differ, and it is read again with EXACT.
static QUANTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&quantity_pattern("đ")).expect("quantity pattern"));
static EXACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&quantity_pattern(r"đ\b")).expect("quantity pattern"));

/// How a text writes its decimals.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) enum Style {
    /// "466,8" and "3.184.308" (the Vietnamese norm; also texts that mix in
    /// a few "94.32%").
    #[default]
    DecimalComma,
    /// "58.5", "6.2%" and "2,450": decimals with a point and never a
    /// decimal comma, so a comma groups thousands and "3.125" is a decimal.
    DecimalPoint,
}

/// The number style of a whole text, from its unambiguous numbers.
pub(crate) fn style_of(text: &str) -> Style {
    static SEPARATED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+([.,])(\d+)").expect("separated number pattern"));
    let (mut point, mut comma) = (0, 0);
    for caps in SEPARATED.captures_iter(text) {
        let whole = caps.get(0).expect("group 0");
        let head = &text[..whole.start()];
        let rest = &text[whole.end()..];
        let separator = |c: char| matches!(c, '.' | ',' | '/' | ':');
        // Dates ("27.12.2024"), grouped thousands ("3.184.308"), phone
        // numbers and lists chain their separators: no evidence.
        let chained_before = head.ends_with(separator);
        let mut after = rest.chars();
        let chained_after =
            after.next().is_some_and(separator) && after.next().is_some_and(|c| c.is_ascii_digit());
        if chained_before || chained_after {
            continue;
        }
        match (&caps[1], caps[2].len()) {
            (".", 1 | 2) => point += 1,
            (",", 1 | 2) => comma += 1,
            _ => {}
        }
    }
    if point > 0 && comma == 0 {
        Style::DecimalPoint
    } else {
        Style::DecimalComma
    }
}

/// Every quantity in `range` of `text`, in order, read in the Vietnamese
/// number style.
pub(crate) fn quantities(text: &str, range: Range<usize>) -> Vec<Quantity> {
    quantities_in_style(text, range, Style::DecimalComma)
}

/// Every quantity in `range` of `text`, in order, read in `style`.
pub(crate) fn quantities_in_style(text: &str, range: Range<usize>, style: Style) -> Vec<Quantity> {
    let slice = &text[range.clone()];
    let mut out = Vec::new();
    // The end of a pair written with its unit twice ("1.120 ha/1.100 ha"),
    // whose second half is no quantity of its own.
    let mut paired_until = 0;
    for fast in QUANTITY.captures_iter(slice) {
        let found = fast.get(0).expect("group 0");
        // Both patterns match at the same place (the short "đ" is optional
        // and nothing but it can differ), so EXACT finds one right there, and
        // the next match begins with a digit, after what this one skipped.
        let caps = if found.as_str().ends_with(['đ', 'Đ']) {
            match EXACT.captures_at(slice, found.start()) {
                Some(caps) => caps,
                None => continue,
            }
        } else {
            fast
        };
        let mut whole = caps.get(0).expect("group 0").range();
        if whole.start < paired_until {
            continue;
        }
        let repeated = caps
            .name("b")
            .is_none()
            .then(|| repeated_unit_pair(&slice[whole.end..], caps.name("unit")?.as_str()))
            .flatten();
        if let Some((_, length, _)) = repeated {
            whole.end += length;
            paired_until = whole.end;
        }
        let before = slice[..whole.start].chars().next_back();
        let after = slice[whole.end..].chars().next();
        // Part of a word ("TW4"), of a date ("20/12/2023") or of a longer word
        // after the unit ("hai", "người" in "ngườii").
        // A code's number after a hyphen ("Covid-19 xã", "COVID-19 mũi 3").
        let coded = slice[..whole.start]
            .strip_suffix('-')
            .and_then(|head| head.chars().next_back())
            .is_some_and(char::is_alphabetic);
        if before.is_some_and(|c| is_alphanumeric(c) || c == '/' || c == '.')
            || after.is_some_and(|c| is_alphanumeric(c) || c == '/')
            || coded
        {
            continue;
        }
        // "tăng 9 - 10%", "3-5%", "8 - 10 đảng viên": a range, whose lower
        // bound is the quantity (what a plan commits to), read below.
        let low = caps
            .name("b")
            .is_none()
            .then(|| lower_bound(&slice[..whole.start]))
            .flatten();
        if low.is_none()
            && slice[..whole.start].ends_with('-')
            && slice[..whole.start]
                .trim_end_matches('-')
                .ends_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let mut unit_text = caps.name("unit").map_or("", |m| m.as_str());
        // "16/18 thôn, tổ dân phố": kindred units listed together are one.
        if caps.name("count").is_some() && caps.name("per").is_none_or(|p| p.as_str().is_empty()) {
            let listed = kindred_units(unit_text, &slice[whole.end..]);
            if listed > 0 {
                let unit_start = caps.name("unit").map_or(whole.end, |m| m.start());
                whole.end += listed;
                unit_text = &slice[unit_start..whole.end];
            }
        }
        // "giảm 0,2 điểm phần trăm": percentage points, read as a rate's
        // change.
        let points = caps.name("points").is_some();
        let is_percent = unit_text.ends_with('%') || unit_text == "‰" || points;
        let unit_text = if unit_text.ends_with('%') || points {
            "%"
        } else {
            unit_text
        };
        let head = &slice[..whole.start];
        if caps.name("b").is_some() {
            // "Sáng ngày 29/12, …" is a date, whatever follows it.
            let recent = crate::text::fold(&head[floor(head, head.len().saturating_sub(16))..]);
            if ["ngay", "sang", "chieu", "toi", "nay", "trua"]
                .iter()
                .any(|w| recent.trim_end().ends_with(w))
            {
                continue;
            }
        }
        let a = caps.name("a").map_or("", |m| m.as_str());
        let per_text = caps.name("per").map_or("", |m| m.as_str());
        let reading = Reading {
            percent: is_percent,
            count: caps.name("count").is_some() && per_text.is_empty(),
            measure: is_measure(unit_text) && per_text.is_empty(),
            style,
            ceiling: ceiling(unit_text, per_text),
        };
        let Some((mut value, ambiguous)) = read_number(a, reading) else {
            continue;
        };
        if let Some(low) = low.clone()
            && let Some((lower, _)) = read_number(&slice[low.clone()], reading)
            && lower < value
            && !(1900.0..=2100.0).contains(&lower)
        {
            value = lower;
            whole.start = low.start;
        } else if low.is_some() && slice[..whole.start].ends_with('-') {
            continue;
        }
        if let Some(frac) = caps.name("frac") {
            // "21, 72 tỷ": a decimal comma with a stray space.
            if a.contains([',', '.']) {
                continue;
            }
            let Ok(parsed) = format!("{a}.{}", frac.as_str()).parse::<f64>() else {
                continue;
            };
            value = parsed;
        }
        let second = caps
            .name("b")
            .map(|b| b.as_str())
            .or(repeated.map(|(b, _, _)| b))
            .and_then(|b| read_number(b, reading))
            .map(|(v, _)| v);
        let mut unit = tidy_unit(unit_text);
        if let (Some(c), Some(big)) = (caps.name("c"), caps.name("big")) {
            // "218 tỷ 477 triệu đồng" → 218,477 tỷ đồng.
            let step = match (
                crate::text::fold(big.as_str()).as_str(),
                caps.name("small").map(|s| crate::text::fold(s.as_str())),
            ) {
                ("ty", Some(s)) if s == "trieu" => 1_000.0,
                ("trieu", Some(s)) if s == "nghin" || s == "ngan" => 1_000.0,
                ("ty", Some(_)) => 1_000_000.0,
                _ => 1_000.0,
            };
            let Ok(small) = c.as_str().parse::<f64>() else {
                continue;
            };
            value += small / step;
            let money =
                unit_text.trim_end().ends_with("đồng") || unit_text.to_lowercase().contains("vn");
            unit = format!(
                "{} {}",
                tidy_unit(big.as_str()),
                if money { "đồng" } else { "" }
            )
            .trim()
            .to_string();
        }
        if let (Some(scaled), Some(big)) = (caps.name("scaled"), caps.name("big")) {
            // "2,35 triệu con", "12 nghìn m2": the amount as written, the
            // multiplier part of the unit.
            unit = tidy_unit(&format!("{} {}", big.as_str(), scaled.as_str()));
        }
        if let Some(big) = caps.name("big")
            && caps.name("scaled").is_none()
            && caps.name("c").is_none()
        {
            // "1,2 nghìn tỷ đồng" → 1200 tỷ đồng: one unit for every amount.
            let folded = crate::text::fold(big.as_str());
            if let Some(rest) = folded
                .strip_prefix("nghin ")
                .or_else(|| folded.strip_prefix("ngan "))
            {
                value *= 1e3;
                let billions = if rest.trim() == "ty" { "tỷ" } else { "tỉ" };
                unit = tidy_unit(&unit_text.replacen(big.as_str(), billions, 1));
            }
        }
        // "tiêm đủ 2 mũi vắc xin": how many doses make a full course, not
        // an amount done.
        if matches!(unit.as_str(), "mũi" | "liều")
            && crate::text::fold(head).trim_end().ends_with(" du")
        {
            continue;
        }
        let per = caps
            .name("per")
            .map_or(String::new(), |m| tidy_unit(m.as_str()));
        unit.push_str(&per);
        // A year is not an amount ("năm 2023 người dân").
        if second.is_none() && (1900.0..=2100.0).contains(&value) && !a.contains(['.', ',']) {
            let recent = crate::text::fold(&head[floor(head, head.len().saturating_sub(24))..]);
            if recent.trim_end().ends_with("nam")
                || recent.contains("nhiem ky")
                || recent.trim_end().ends_with("ngay")
            {
                continue;
            }
        }
        out.push(Quantity {
            range: range.start + whole.start..range.start + whole.end,
            value,
            second,
            unit,
            ambiguous,
            planned: repeated.is_some_and(|(_, _, marked)| marked),
        });
    }
    out
}

/// The number that opens a range ending where `head` ends ("9 - ", "0,8–",
/// "3-"), as a range of `head`; not a number that is part of a date, a code
/// or another range ("20/12-", "1.2-", "II-").
fn lower_bound(head: &str) -> Option<Range<usize>> {
    static LOW: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{1,3}(?:,\d{1,2})?) ?[-–] ?$").expect("range pattern"));
    let from = floor(head, head.len().saturating_sub(12));
    let found = LOW.captures(&head[from..])?.get(1)?;
    let start = from + found.start();
    let before = head[..start].chars().next_back();
    if before.is_some_and(|c| is_alphanumeric(c) || matches!(c, '/' | '.' | ',' | '-' | '–')) {
        return None;
    }
    Some(start..from + found.end())
}

/// The places a commune or ward is made of: "14 thôn, buôn", "16/18 thôn,
/// tổ dân phố".
pub(crate) const SETTLEMENTS: &[&str] = &[
    "thôn",
    "làng",
    "xóm",
    "bản",
    "buôn",
    "bon",
    "plei",
    "sóc",
    "ấp",
    "khóm",
    "tổ dân phố",
    "khu phố",
    "khu dân cư",
    "kiệt",
    "hẻm",
    "khối phố",
    "khối",
];

/// The bytes after a count's unit that list kindred units with it: ",
/// tổ dân phố" after "thôn", ", hợp tác xã" after "doanh nghiệp", ", công
/// chức" after "cán bộ". Other words after a comma are not the unit's.
fn kindred_units(unit: &str, rest: &str) -> usize {
    const FAMILIES: &[&[&str]] = &[
        SETTLEMENTS,
        &["xã", "phường", "thị trấn", "đặc khu"],
        &["doanh nghiệp", "hợp tác xã", "htx", "tổ hợp tác"],
        &["cán bộ", "công chức", "viên chức", "giáo viên", "nhân viên"],
    ];
    let lower = unit
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let Some(family) = FAMILIES.iter().find(|f| f.contains(&lower.as_str())) else {
        return 0;
    };
    let mut used = 0;
    while let Some(after_comma) = rest[used..].strip_prefix(',') {
        let word_at = used + 1 + (after_comma.len() - after_comma.trim_start_matches(' ').len());
        let next = &rest[word_at..];
        let Some(word) = family
            .iter()
            .filter(|w| {
                next.get(..w.len())
                    .is_some_and(|head| head.to_lowercase() == **w)
            })
            .max_by_key(|w| w.len())
        else {
            break;
        };
        let end = word_at + word.len();
        if rest[end..].chars().next().is_some_and(is_alphanumeric) {
            break;
        }
        used = end;
    }
    used
}

/// The second half of a pair after "1.120 ha": "/1.100 ha", or the plan
/// marked as such, "/KH 1.100 ha" or "(KH: 1.100 ha)" → (the number, the
/// pair's byte length, whether it is marked as the plan). Only measures and
/// counts, never a date: an unmarked pair must repeat the unit; a rate
/// pairs right after its slash ("96,2%/KH 97%", "96,2%/97%").
fn repeated_unit_pair<'a>(rest: &'a str, unit: &str) -> Option<(&'a str, usize, bool)> {
    static SECOND: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^\s*(?:/\s*(?P<marked>(?i:kh|kế hoạch)\s*:?\s*)?|(?P<open>\(\s*(?i:kh|kế hoạch|nq|nghị quyết|chỉ tiêu)\s*:?\s*))({NUM})\s*"
        ))
        .expect("pair pattern")
    });
    let unit = unit.trim();
    if unit.is_empty() || unit.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // A rate pairs only with its plan marked after a slash: "96,2%/KH 97%".
    let rate = unit.contains('%');
    // "8 đảng viên mới/KH 8": one word may describe the count before a
    // marked plan.
    let (skipped, caps) = match SECOND.captures(rest) {
        Some(caps) => (0, caps),
        None => {
            let word_at = rest.len() - rest.trim_start().len();
            let word = rest[word_at..]
                .split(|c: char| !is_alphanumeric(c))
                .next()
                .unwrap_or("");
            let skipped = word_at + word.len();
            let caps = SECOND.captures(&rest[skipped..])?;
            if word_at == 0
                || word.is_empty()
                || caps.name("marked").is_none() && caps.name("open").is_none()
            {
                return None;
            }
            (skipped, caps)
        }
    };
    let rest = &rest[skipped..];
    let number = caps.get(3)?.as_str();
    let open = caps.name("open").is_some();

    let marked = open || caps.name("marked").is_some();
    let mut length = caps.get(0)?.end();
    let after = &rest[length..];
    let repeats = after.get(..unit.len()).is_some_and(|head| {
        head.to_lowercase() == unit.to_lowercase()
            && after[unit.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_alphanumeric(c))
    });
    if rate && (skipped > 0 || open || !(repeats || caps.name("marked").is_some())) {
        return None;
    }
    if repeats {
        length += unit.len();
    } else if !marked {
        return None;
    }
    if open {
        let close = rest[length..].len() - rest[length..].trim_start().len();
        if !rest[length + close..].starts_with(')') {
            return None;
        }
        length += close + 1;
    } else if !repeats
        && rest[length..]
            .chars()
            .next()
            .is_some_and(|c| is_alphanumeric(c) || c == '/')
    {
        return None;
    }
    Some((number, skipped + length, marked))
}

/// Collapses spaces in a unit and around its slashes: "triệu đồng/ năm" →
/// "triệu đồng/năm".
fn tidy_unit(unit: &str) -> String {
    static GLUED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(tỷ|tỉ|triệu|nghìn|ngàn)(đồng)").expect("glued money unit")
    });
    let spaced = GLUED.replace_all(unit, "$1 $2");
    let joined = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    // "58 căn nhà" counts houses as "căn", the way "58 căn" does.
    if joined == "căn nhà" {
        return "căn".to_string();
    }
    joined
        .replace(" / ", "/")
        .replace("/ ", "/")
        .replace(" /", "/")
}

/// The number a table cell holds ("8.215", "dưới 2,5", "101,4%", "50 trở
/// lên"), read in `style` for a column whose unit is `unit`; None when the
/// cell is not one number.
pub(crate) fn read_cell(cell: &str, unit: &str, style: Style) -> Option<f64> {
    static CELL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)^[<>≥≤~]?\s*(?:(?:dưới|trên|hơn|khoảng|gần|ít nhất|tối thiểu|tối đa|không quá|ước|đạt|bằng|từ)\s*)?[<>≥≤~]?\s*({NUM})\s*(?:%|‰)?(?:\s*(?:trở lên|\p{{L}}+(?:/\p{{L}}+)*))?$"
        ))
        .expect("cell pattern")
    });
    let cell = cell.trim();
    let number = CELL.captures(cell)?.get(1)?.as_str();
    let unit = unit.trim();
    let reading = Reading {
        percent: unit == "%" || cell.ends_with('%'),
        count: is_count_unit(unit),
        measure: is_measure(unit),
        style,
        ceiling: ceiling(unit, ""),
    };
    read_number(number, reading).map(|(v, _)| v)
}

/// Whether a unit is a physical measure: area, weight, length, volume.
fn is_measure(unit: &str) -> bool {
    const MEASURES: &[&str] = &[
        "ha", "hec ta", "hecta", "hec-ta", "tan", "ta", "kg", "yen", "km", "m2", "m3", "met",
        "lit", "gam", "gram",
    ];
    MEASURES.contains(&crate::text::fold(unit.trim()).as_str())
}

/// The largest amount a rate can plausibly reach in its unit: yields per
/// hectare and incomes per person are never in the thousands.
fn ceiling(unit: &str, per: &str) -> Option<f64> {
    let unit = crate::text::fold(unit);
    let per = crate::text::fold(per);
    let first = unit.split_whitespace().next().unwrap_or("");
    if per.contains("ha") || unit.contains("/ha") {
        return match first {
            "tan" => Some(100.0),
            "ta" => Some(1_000.0),
            _ => None,
        };
    }
    if ["nguoi", "ho", "khau", "lao dong"].iter().any(|w| {
        per.contains(w)
            || unit
                .match_indices('/')
                .any(|(at, _)| unit[at + 1..].starts_with(w))
    }) && first == "trieu"
    {
        return Some(1_000.0);
    }
    None
}

/// What is known about a number before it is read.
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    percent: bool,
    /// Counted in whole things ("con", "hộ"): never a fraction.
    count: bool,
    /// A physical measure ("ha", "tấn"): "5.864 ha" is thousands even in a
    /// text that writes decimal points ("100.8% KH").
    measure: bool,
    style: Style,
    ceiling: Option<f64>,
}

/// Reads one number in the Vietnamese style. Returns the value and whether
/// a dot-grouped reading was a guess ("1.500" → 1500, but 1.5 when it is a
/// percentage).
#[cfg(test)]
pub(crate) fn parse_number(s: &str, percent: bool) -> Option<(f64, bool)> {
    read_number(
        s,
        Reading {
            percent,
            ..Reading::default()
        },
    )
}

/// Reads one number in context. "a.bcd" and "a,bcd" (one separator, three
/// digits after it) are the doubtful ones: a count is never a fraction, a
/// percentage or a rate above its ceiling is never thousands, and otherwise
/// the text's own style decides.
fn read_number(s: &str, reading: Reading) -> Option<(f64, bool)> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let parsed = |t: String| t.parse::<f64>().ok().filter(|v| v.is_finite());
    let grouped = |sep: char| {
        s.split_once(sep)
            .filter(|(int, frac)| frac.len() == 3 && int.len() <= 3 && !int.is_empty())
            .map(|(int, frac)| (int.to_string(), frac.to_string()))
    };
    let (dots, commas) = (s.matches('.').count(), s.matches(',').count());
    if dots + commas == 1 {
        let sep = if dots == 1 { '.' } else { ',' };
        if let Some((int, frac)) = grouped(sep) {
            let thousands = parsed(format!("{int}{frac}"))?;
            let decimal = parsed(format!("{int}.{frac}"))?;
            let over_ceiling = reading.ceiling.is_some_and(|c| thousands > c);
            let as_thousands = if reading.count || reading.measure && sep == '.' {
                true
            } else if reading.percent || over_ceiling {
                false
            } else {
                matches!(
                    (reading.style, sep),
                    (Style::DecimalComma, '.') | (Style::DecimalPoint, ',')
                )
            };
            let guess = sep == '.' && !reading.count && as_thousands;
            return Some(if as_thousands {
                (thousands, guess)
            } else {
                (decimal, false)
            });
        }
    }
    parse_number_plain(s)
}

/// Reads one number whose separators are not in doubt.
fn parse_number_plain(s: &str) -> Option<(f64, bool)> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let parsed = |t: String| t.parse::<f64>().ok().filter(|v| v.is_finite());
    let value = match (dots, commas) {
        (0, 0) | (1, 0) => parsed(s.to_string()),
        (0, 1) => parsed(s.replace(',', ".")),
        (0, _) | (_, 0) => parsed(s.replace([',', '.'], "")),
        (_, 1) if s.rfind(',') > s.rfind('.') => parsed(s.replace('.', "").replace(',', ".")),
        _ => parsed(s.replace(',', "")),
    };
    value.map(|v| (v, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<Quantity> {
        quantities_of(text).into_iter().next()
    }

    #[test]
    fn no_unit_is_hidden_by_an_earlier_one_that_begins_it() {
        // The pattern takes the first alternative that matches: "hộ" listed
        // before "hội viên" would match there, and the word check after the
        // unit would then drop the count.
        for list in [COUNT_UNITS, MEASURE_UNITS] {
            let units: Vec<String> = list.split('|').map(str::to_lowercase).collect();
            for (i, unit) in units.iter().enumerate() {
                for earlier in &units[..i] {
                    let hidden = unit
                        .strip_prefix(earlier.as_str())
                        .and_then(|rest| rest.chars().next())
                        .is_some_and(|c| c.is_alphanumeric());
                    assert!(!hidden, "\"{unit}\" is hidden by \"{earlier}\"");
                }
            }
        }
        let units = |text: &str| -> Vec<String> {
            quantities_of(text).into_iter().map(|q| q.unit).collect()
        };
        assert_eq!(
            units("kết nạp 1.200 hội viên; tổ chức 14 hội nghị; 12 trang trại"),
            ["hội viên", "hội nghị", "trang trại"]
        );
    }

    fn quantities_of(text: &str) -> Vec<Quantity> {
        quantities(text, 0..text.len())
    }

    #[test]
    fn numbers_in_both_conventions() {
        assert_eq!(parse_number("3.184.308", false), Some((3_184_308.0, false)));
        assert_eq!(parse_number("466,8", false), Some((466.8, false)));
        assert_eq!(parse_number("94.32", true), Some((94.32, false)));
        assert_eq!(parse_number("1.500", false), Some((1500.0, true)));
        assert_eq!(parse_number("1.500", true), Some((1.5, false)));
        assert_eq!(parse_number("1.234,5", false), Some((1234.5, false)));
        assert_eq!(parse_number("1,234,567", false), Some((1_234_567.0, false)));
        // One comma group before a decimal point is the English style, whole.
        let whole = |text: &str| {
            let q = quantities_of(text);
            assert_eq!(q.len(), 1, "{text}: {q:?}");
            (q[0].value, q[0].unit.clone())
        };
        assert_eq!(whole("đạt 6,820.4 ha"), (6820.4, "ha".to_string()));
        assert_eq!(whole("đạt 41,385.7 tấn"), (41385.7, "tấn".to_string()));
    }

    #[test]
    fn doubtful_separators_are_read_from_context() {
        let point = "Thu nhập đạt 58.5 triệu đồng, tăng 6.2%; diện tích 2,450 ha";
        assert_eq!(style_of(point), Style::DecimalPoint);
        assert_eq!(
            style_of("đạt 466,8 tấn, 94.32%; 3.184.308 lượt"),
            Style::DecimalComma
        );
        assert_eq!(
            style_of("ngày 27.12.2024, gọi 0236.3821.456"),
            Style::DecimalComma
        );
        let read = |text: &str, style| {
            let q = quantities_in_style(text, 0..text.len(), style)
                .into_iter()
                .next()
                .unwrap();
            (q.value, q.ambiguous)
        };
        // The text's style decides a lone "a,bcd" or "a.bcd" …
        assert_eq!(read("đạt 2,450 ha", Style::DecimalPoint), (2450.0, false));
        assert_eq!(
            read("đạt 3.125 tỷ đồng", Style::DecimalPoint),
            (3.125, false)
        );
        // … but a measure's dot-grouped thousands stay thousands beside
        // decimal points elsewhere ("100.8% KH"), and are flagged.
        assert_eq!(read("đạt 3.125 tấn", Style::DecimalPoint), (3125.0, true));
        assert_eq!(
            read("gieo trồng 5.864 ha", Style::DecimalPoint),
            (5864.0, true)
        );
        assert_eq!(read("đạt 1.500 tấn", Style::DecimalComma), (1500.0, true));
        // … but a head count is never a fraction, and a yield per hectare or
        // an income per person is never thousands.
        assert_eq!(
            read("đàn heo 4,215 con", Style::DecimalComma),
            (4215.0, false)
        );
        assert_eq!(
            read("năng suất 6.125 tấn/ha", Style::DecimalComma),
            (6.125, false)
        );
        assert_eq!(
            read("đạt 52.500 triệu đồng/người/năm", Style::DecimalComma),
            (52.5, false)
        );
        assert_eq!(read("đạt 1.250 tạ/ha", Style::DecimalComma), (1.25, false));
        assert_eq!(read("đạt 62.500 tạ", Style::DecimalComma), (62500.0, true));
    }

    #[test]
    fn glued_spaced_and_mixed_amounts() {
        let q = first("đạt 970con").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (970.0, "con"));
        let q = first("đạt 61,61triệuđồng/người/năm").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (61.61, "triệu đồng/người/năm"));
        let q = first("thu 21, 72 tỷ đồng").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (21.72, "tỷ đồng"));
        let q = first("đạt 152,% KH").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (152.0, "%"));
        let q = first("thu 218 tỷ 477 triệu đồng").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (218.477, "tỷ đồng"));
        let q = first("gần 4 tỉ đồng").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (4.0, "tỉ đồng"));
        let q = first("ước đạt 1,2 nghìn tỷ đồng").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (1200.0, "tỷ đồng"));
        let q = first("gồm 15 đồng chí").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (15.0, "đồng chí"));
        let q = first("xây dựng 12 nghìn m2 đường").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (12.0, "nghìn m2"));
        let q = first("đạt 36,8tr đồng/người/năm").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (36.8, "tr đồng/người/năm"));
        let q = first("đạt 66,2tạ/ha/vụ").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (66.2, "tạ/ha/vụ"));
        let q = first("giảm 0,2 điểm phần trăm").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (0.2, "%"));
        let q = first("đàn gia cầm 2,35 triệu con").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (2.35, "triệu con"));
        let q = first("70 triệu đồng/ năm").unwrap();
        assert_eq!(q.unit, "triệu đồng/năm");
    }

    #[test]
    fn a_range_is_read_as_its_lower_bound() {
        let values = |text: &str| {
            quantities_of(text)
                .iter()
                .map(|q| (q.value, q.unit.clone(), &text[q.range.clone()]))
                .map(|(v, u, t)| (v, u, t.to_string()))
                .collect::<Vec<_>>()
        };
        let q = |v: f64, u: &str, t: &str| (v, u.to_string(), t.to_string());
        assert_eq!(
            values("tăng 9 - 10% so với năm 2019; giảm 0,8–1%; từ 3-5%; kết nạp 8 - 10 đảng viên"),
            vec![
                q(9.0, "%", "9 - 10%"),
                q(0.8, "%", "0,8–1%"),
                q(3.0, "%", "3-5%"),
                q(8.0, "đảng viên", "8 - 10 đảng viên"),
            ]
        );
        // Not ranges: a date or a year before a dash, a falling pair.
        assert!(values("ngày 20/12-15 hộ").is_empty());
        assert_eq!(
            values("giai đoạn 2021 - 25 hộ"),
            vec![q(25.0, "hộ", "25 hộ")]
        );
        assert_eq!(values("từ 12 - 3 hộ"), vec![q(3.0, "hộ", "3 hộ")]);
    }

    #[test]
    fn slash_pairs_keep_both_numbers() {
        let q = first("trồng rừng 8.215/8.100ha").unwrap();
        assert_eq!(
            (q.value, q.second, q.unit.as_str()),
            (8215.0, Some(8100.0), "ha")
        );
        let q = first("đạt 16/19 tiêu chí").unwrap();
        assert_eq!((q.value, q.second), (16.0, Some(19.0)));
        let all = quantities_of("gieo trồng 1.120 ha/1.100 ha, đạt 101,8%");
        assert_eq!(
            all.iter()
                .map(|q| (q.value, q.second, q.unit.as_str()))
                .collect::<Vec<_>>(),
            vec![(1120.0, Some(1100.0), "ha"), (101.8, None, "%")]
        );
        let all = quantities_of("có 98 hộ/102 hộ, 5 tấn/ha");
        assert_eq!(
            all.iter()
                .map(|q| (q.value, q.second, q.unit.as_str()))
                .collect::<Vec<_>>(),
            vec![(98.0, Some(102.0), "hộ"), (5.0, None, "tấn/ha")]
        );
        // Another unit after the slash is no pair.
        assert!(
            quantities_of("12 ha/3 hộ")
                .iter()
                .all(|q| q.second.is_none())
        );
    }

    #[test]
    fn a_plan_marked_after_the_result_is_its_pair() {
        let marked = |text: &str| {
            quantities_of(text)
                .iter()
                .map(|q| (q.value, q.second, q.unit.clone(), q.planned))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            marked("thu 12.450 triệu đồng/KH 11.200 triệu đồng, đạt 111,2%")[0],
            (12450.0, Some(11200.0), "triệu đồng".to_string(), true)
        );
        assert_eq!(
            marked("kết nạp 9 đảng viên (KH: 10), đạt 90%")[0],
            (9.0, Some(10.0), "đảng viên".to_string(), true)
        );
        assert_eq!(
            marked("sản lượng 5.640 tấn (KH 5.500 tấn), đạt 102,5%")[0],
            (5640.0, Some(5500.0), "tấn".to_string(), true)
        );
        // A bracket that is not closed after the plan, or another unit after
        // it, is no pair.
        assert_eq!(marked("5.640 tấn (KH 5.500 ha)")[0].1, None);
        assert_eq!(marked("5.640 tấn/KH 5.500 ha")[0].1, None);
    }

    #[test]
    fn dates_years_and_codes_are_not_quantities() {
        assert_eq!(first("ngày 20/12/2023 hộ"), None);
        assert_eq!(first("năm 2023 người dân"), None);
        assert_eq!(first("Nghị quyết TW4 con"), None);
        assert_eq!(first("trẻ em dưới 5 tuổi"), None);
        assert_eq!(first("đi 2 hai"), None);
    }
}
