//! Numbers as Vietnamese texts write them, and the quantities they form
//! with a unit: decimal comma with dot thousands ("3.184.308", "466,8"),
//! decimal point ("94.32%"), the ambiguous "1.500" (thousands unless it is a
//! percentage), glued units ("970con", "61,61triệuđồng/người/năm"), spaced
//! and malformed decimals ("21, 72 tỷ", "152,% KH"), amounts in words and
//! mixed ("218 tỷ 477 triệu đồng", tỷ/tỉ, nghìn/ngàn) and slash pairs
//! ("8.215/8.100ha", "171/416 hộ", "16/19 tiêu chí").

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

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
}

impl Quantity {
    pub fn is_percent(&self) -> bool {
        self.unit.starts_with('%') || self.unit.starts_with('‰')
    }
}

const NUM: &str = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?";

const COUNT_UNITS: &str = r"hộ gia đình|hộ|người|lao động|đảng viên|chi bộ|tiêu chí|chỉ tiêu|thôn|xóm|tổ dân phố|khu dân cư|xã|phường|trường|sản phẩm|công trình|lượt|ca|cây|cháu|học sinh|hồ sơ|tập thể|cá nhân|đồng chí|doanh nghiệp|HTX|hợp tác xã|tổ hợp tác|mô hình|cơ sở|thẻ|suất|phần quà|ngôi nhà|căn nhà|căn|nhà|tuyến|buổi|cuộc|lớp|vụ|đơn thư|đơn|thanh niên|tân binh|công dân|nhân khẩu|khẩu|hội viên|đoàn viên|cán bộ|gia đình|bệnh nhân|tổ chức cơ sở đảng|tổ chức đảng|đảng bộ|dự án|ý kiến|bài viết|tin bài|con";

const MEASURE_UNITS: &str = r"tấn|tạ|kg|yến|héc\s?ta|hecta|ha|km2|km²|km|m2|m²|m3|m³|mét|lít";

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    let spaced = |units: &str| units.replace(' ', r"\s+");
    let (count_units, measure_units) = (spaced(COUNT_UNITS), spaced(MEASURE_UNITS));
    let pattern = format!(
        r"(?xi)
        (?P<a>{NUM})
        (?: \s*/\s*(?P<b>{NUM}) )?
        (?: ,\s(?P<frac>\d{{1,2}}) )?
        \s*
        (?P<unit>
            ,?\s*%|‰
          | (?P<big>nghìn\s+tỷ|ngàn\s+tỷ|nghìn\s+tỉ|ngàn\s+tỉ|tỷ|tỉ|triệu|nghìn|ngàn)
            (?: \s*(?P<c>\d{{1,3}})\s*(?P<small>triệu|nghìn|ngàn) )?
            (?: \s*(?:đồng|đ\b|VNĐ|VND|USD) | \s+(?P<scaled>m2|m²|m3|km|ha|tấn|con|người|lượt|cây|hộ|lao\s+động|lít) )?
          | tr\.?\s?đ | đồng | USD
          | {measure_units}
          | {count_units}
        )
        (?P<per> (?: \s*/\s*(?:người|hộ|năm|tháng|ha|con|lao\s+động|khẩu|sào|km) )* )
        "
    );
    Regex::new(&pattern).expect("quantity pattern")
});

/// Every quantity in `range` of `text`, in order.
pub(crate) fn quantities(text: &str, range: Range<usize>) -> Vec<Quantity> {
    let slice = &text[range.clone()];
    let mut out = Vec::new();
    for caps in QUANTITY.captures_iter(slice) {
        let whole = caps.get(0).expect("group 0");
        let before = slice[..whole.start()].chars().next_back();
        let after = slice[whole.end()..].chars().next();
        // Part of a word ("TW4"), of a date ("20/12/2023") or of a longer word
        // after the unit ("hai", "người" in "ngườii").
        if before.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.')
            || after.is_some_and(|c| c.is_alphanumeric() || c == '/')
        {
            continue;
        }
        if slice[..whole.start()].ends_with('-')
            && slice[..whole.start()]
                .trim_end_matches('-')
                .ends_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let unit_text = caps.name("unit").map_or("", |m| m.as_str());
        let is_percent = unit_text.ends_with('%') || unit_text == "‰";
        let unit_text = if unit_text.ends_with('%') {
            "%"
        } else {
            unit_text
        };
        let head = &slice[..whole.start()];
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
        let Some((mut value, ambiguous)) = parse_number(a, is_percent) else {
            continue;
        };
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
            .and_then(|b| parse_number(b.as_str(), is_percent))
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
            // "12 nghìn m2" → 12000 m2.
            let factor = match crate::text::fold(big.as_str()).as_str() {
                "nghin" | "ngan" => 1e3,
                "trieu" => 1e6,
                _ => 1e9,
            };
            value *= factor;
            unit = tidy_unit(scaled.as_str());
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
            range: range.start + whole.start()..range.start + whole.end(),
            value,
            second,
            unit,
            ambiguous,
        });
    }
    out
}

fn floor(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Collapses spaces in a unit and around its slashes: "triệu đồng/ năm" →
/// "triệu đồng/năm".
fn tidy_unit(unit: &str) -> String {
    static GLUED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(tỷ|tỉ|triệu|nghìn|ngàn)(đồng)").expect("glued money unit")
    });
    let spaced = GLUED.replace_all(unit, "$1 $2");
    let joined = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace(" / ", "/")
        .replace("/ ", "/")
        .replace(" /", "/")
}

/// Reads one number. Returns the value and whether a dot-grouped reading
/// was a guess ("1.500" → 1500, but 1.5 when it is a percentage).
pub(crate) fn parse_number(s: &str, percent: bool) -> Option<(f64, bool)> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let parsed = |t: String| t.parse::<f64>().ok().filter(|v| v.is_finite());
    match (dots, commas) {
        (0, 0) => parsed(s.to_string()).map(|v| (v, false)),
        (0, 1) => parsed(s.replace(',', ".")).map(|v| (v, false)),
        (0, _) => parsed(s.replace(',', "")).map(|v| (v, false)),
        (1, 0) => {
            let (int, frac) = s.split_once('.')?;
            if frac.len() == 3 && int.len() <= 3 && !percent {
                parsed(format!("{int}{frac}")).map(|v| (v, true))
            } else {
                parsed(s.to_string()).map(|v| (v, false))
            }
        }
        (_, 0) => parsed(s.replace('.', "")).map(|v| (v, false)),
        (_, 1) if s.rfind(',') > s.rfind('.') => {
            parsed(s.replace('.', "").replace(',', ".")).map(|v| (v, false))
        }
        _ => parsed(s.replace(',', "")).map(|v| (v, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<Quantity> {
        quantities(text, 0..text.len()).into_iter().next()
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
        let q = first("xây dựng 12 nghìn m2 đường").unwrap();
        assert_eq!((q.value, q.unit.as_str()), (12000.0, "m2"));
        let q = first("70 triệu đồng/ năm").unwrap();
        assert_eq!(q.unit, "triệu đồng/năm");
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
