//! Numbers written in a way the number grammar does not read, rewritten as
//! plain digits before anything reads the text: counts spelled out in words
//! ("hai mươi lăm căn nhà", "mười một chi bộ hoàn thành tốt nhiệm vụ",
//! "kết nạp mười hai đảng viên") and thousands grouped with spaces ("31 250
//! tấn", "1 860 tỷ đồng", the no-break spaces of a word processor having
//! become plain ones in normalisation).
//!
//! The rewrite keeps every byte offset: a spelled number is always longer
//! than its digits, so the digits are written right-aligned in the words'
//! place, after spaces; grouped digits are closed up to the left, the
//! spaces moved after them. Every reader sees "25 căn nhà", and every span the
//! parser reports still points into the submitted text. [`Spelled::restore`]
//! gives back the written words in strings copied out of the rewritten text.
//!
//! Only numbers right before a counted noun are rewritten, and words that
//! are also common words are left alone unless the context makes them a
//! number: "năm" alone is a year, "một" alone is an article ("một mô hình
//! hay") unless it stands in a list ("…, một chi bộ hoàn thành nhiệm vụ").

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::is_alphanumeric;

/// The counted nouns after which a spelled number is a count.
const NOUNS: &str = "chi bộ|đảng viên|đồng chí|tập thể|cá nhân|tổ chức cơ sở đảng|tổ chức đảng|hộ gia đình|hộ|người|căn nhà|ngôi nhà|căn|thôn|xóm|bản|buôn|ấp|khóm|tổ dân phố|khu phố|xã|phường|thị trấn|công trình|mô hình|doanh nghiệp|hợp tác xã|thanh niên|tân binh|lao động|học sinh|trường hợp|trường|cuộc|lớp|vụ|tiêu chí|chỉ tiêu|sản phẩm|cơ sở|dự án|tỷ|tỉ|triệu";

const WORDS: &str =
    "một|mốt|hai|ba|bốn|tư|năm|lăm|nhăm|sáu|bảy|bẩy|tám|chín|mười|mươi|trăm|linh|lẻ|nghìn|ngàn";

static SPELLED: LazyLock<Regex> = LazyLock::new(|| {
    let nouns = NOUNS.replace(' ', r"\s+");
    Regex::new(&format!(
        r"(?i)(?P<number>(?:{WORDS})(?:[ ]+(?:{WORDS}))*)[ ]+(?P<noun>{nouns})"
    ))
    .expect("spelled number pattern")
});

/// "35 trên 36 thôn", as a broadcast reads "35/36 thôn".
static SPOKEN_RATIO: LazyLock<Regex> = LazyLock::new(|| {
    let nouns = NOUNS.replace(' ', r"\s+");
    Regex::new(&format!(r"(?i)\d(?P<over>[ ]+trên[ ]+)\d+[ ]+(?:{nouns})"))
        .expect("spoken ratio pattern")
});

/// Thousands grouped with spaces, right before a unit ("31 250 tấn"); the
/// unit rules out a table's or a list's separate numbers ("450 500 111,1").
static SPACED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<number>\d{1,3}(?: \d{3})+) ?\p{L}").expect("spaced number pattern")
});

/// Words after which a number is a label, not an amount: "thôn 3 120 hộ"
/// would be thôn 3's 120 households.
const LABELS: &[&str] = &[
    "thon", "to", "xom", "ap", "khu", "khom", "ban", "buon", "so", "khoa", "lan", "dot", "nam",
    "ngay", "thang", "quy", "ky", "dieu", "khoan", "muc", "chuong", "phan", "trang", "lop", "doi",
    "cum", "phong", "tuyen", "doan", "nhom", "hang",
];

/// A text with its spelled counts written as digits.
pub(crate) struct Spelled<'t> {
    written: &'t str,
    /// The text the readers work on: `written` itself when nothing was
    /// spelled out.
    pub text: Cow<'t, str>,
}

impl<'t> Spelled<'t> {
    pub fn new(written: &'t str) -> Spelled<'t> {
        let mut text: Option<String> = None;
        for caps in SPELLED.captures_iter(written) {
            let number = caps.name("number").expect("number group");
            let noun = caps.name("noun").expect("noun group");
            let before = written[..number.start()].chars().next_back();
            let after = written[noun.end()..].chars().next();
            if before.is_some_and(is_alphanumeric) || after.is_some_and(is_alphanumeric) {
                continue;
            }
            // "trong năm hai chi bộ …": the longest tail of the words that
            // is a number is the count.
            let Some((start, value)) = tails(number.as_str())
                .map(|(offset, words)| (number.start() + offset, words))
                .find_map(|(start, words)| {
                    let lone_one = words.eq_ignore_ascii_case("một");
                    if lone_one && !in_a_list(&written[..start]) {
                        return None;
                    }
                    value_of(words).map(|value| (start, value))
                })
            else {
                continue;
            };
            let number = start..number.end();
            let digits = value.to_string();
            let width = number.len();
            if digits.len() > width {
                continue;
            }
            let text = text.get_or_insert_with(|| written.to_string());
            let padded = format!("{digits:>width$}");
            text.replace_range(number, &padded);
        }
        let grouped: Vec<std::ops::Range<usize>> = SPACED
            .captures_iter(text.as_deref().unwrap_or(written))
            .filter_map(|caps| caps.name("number"))
            .filter(|number| {
                let head = &written[..number.start()];
                let before = head.trim_end_matches(' ');
                let label = before
                    .rsplit(|c: char| !is_alphanumeric(c))
                    .next()
                    .is_some_and(|w| LABELS.contains(&crate::text::fold(w).as_str()));
                // Another number right before: "năm 2023 150 hộ", "12/12 500".
                let numbered = before
                    .trim_end_matches(['.', ',', '/', ':', '-'])
                    .ends_with(|c: char| c.is_ascii_digit());
                !label && !numbered
            })
            .map(|number| number.range())
            .collect();
        for number in grouped {
            let text = text.get_or_insert_with(|| written.to_string());
            let digits: String = text[number.clone()].split(' ').collect();
            let closed = format!("{digits:<width$}", width = number.len());
            text.replace_range(number, &closed);
        }
        // The slash in place of "trên", spaces after it; the ratio pattern
        // reads "35/      36 thôn" as "35/36 thôn".
        let ratios: Vec<std::ops::Range<usize>> = SPOKEN_RATIO
            .captures_iter(text.as_deref().unwrap_or(written))
            .filter_map(|caps| caps.name("over").map(|m| m.range()))
            .collect();
        for over in ratios {
            let text = text.get_or_insert_with(|| written.to_string());
            let slash = format!("{:<width$}", "/", width = over.len());
            text.replace_range(over, &slash);
        }
        Spelled {
            written,
            text: text.map_or(Cow::Borrowed(written), Cow::Owned),
        }
    }

    /// `s` as written, when it was copied out of the rewritten text:
    /// "hai chi bộ" again where the readers saw "  2 chi bộ".
    pub fn restore(&self, s: &mut String) {
        let Cow::Owned(text) = &self.text else {
            return;
        };
        if s.is_empty() || !s.contains(|c: char| c.is_ascii_digit()) {
            return;
        }
        if let Some(at) = text.find(s.as_str()) {
            let original = &self.written[at..at + s.len()];
            if original != s {
                *s = original.to_string();
            }
        }
    }
}

/// Each tail of spelled words with its byte offset, longest first.
fn tails(words: &str) -> impl Iterator<Item = (usize, &str)> {
    std::iter::once(0)
        .chain(words.match_indices(' ').map(|(at, _)| at + 1))
        .map(move |at| (at, &words[at..]))
        .filter(|(_, tail)| !tail.starts_with(' '))
}

/// Whether the text before a lone "một" makes it one count in a list
/// ("2 chi bộ HTXSNV, một chi bộ HTNV") rather than an article.
fn in_a_list(before: &str) -> bool {
    let before = before.trim_end_matches(' ');
    before.ends_with([',', ';', ':'])
        || [" và", " có", " gồm"]
            .iter()
            .any(|w| before.to_lowercase().ends_with(w))
}

/// The value of spelled words: "hai mươi lăm" 25, "mười một" 11, "một trăm
/// linh năm" 105, "ba nghìn" 3000. None for anything that is not a number
/// as Vietnamese writes one, and for "năm" alone, which is a year.
fn value_of(words: &str) -> Option<u32> {
    let words: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
    if words.len() == 1 && words[0] == "năm" {
        return None;
    }
    let digit = |w: &str, after_tens: bool| -> Option<u32> {
        Some(match w {
            "một" => 1,
            "mốt" if after_tens => 1,
            "hai" => 2,
            "ba" => 3,
            "bốn" => 4,
            "tư" if after_tens => 4,
            "năm" => 5,
            "lăm" | "nhăm" if after_tens => 5,
            "sáu" => 6,
            "bảy" | "bẩy" => 7,
            "tám" => 8,
            "chín" => 9,
            _ => return None,
        })
    };
    // Below a thousand: [d trăm] [linh|lẻ d | mười [d] | d mươi [d]] | d.
    let below_thousand = |words: &[String]| -> Option<u32> {
        let mut rest = words;
        let mut value = 0;
        if let [h, t, tail @ ..] = rest
            && t == "trăm"
        {
            value += digit(h, false)? * 100;
            rest = tail;
            if let [l, d] = rest
                && (l == "linh" || l == "lẻ")
            {
                return Some(value + digit(d, false)?);
            }
        }
        let tens = match rest {
            [] => return (value > 0).then_some(value),
            [m, tail @ ..] if m == "mười" => (10, tail),
            [d, m, tail @ ..] if m == "mươi" => (digit(d, false)? * 10, tail),
            [d] => return Some(value + digit(d, false)?),
            _ => return None,
        };
        let (tens_value, tail) = tens;
        if tens_value == 10 && tail.first().is_some_and(|w| w == "tư" || w == "mốt") {
            return None;
        }
        match tail {
            [] => Some(value + tens_value),
            [d] => Some(value + tens_value + digit(d, true)?),
            _ => None,
        }
    };
    match words.iter().position(|w| w == "nghìn" || w == "ngàn") {
        Some(at) => {
            let thousands = below_thousand(&words[..at])?;
            let rest = &words[at + 1..];
            let rest = if rest.is_empty() {
                0
            } else {
                below_thousand(rest)?
            };
            Some(thousands * 1000 + rest)
        }
        None => below_thousand(&words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_values() {
        for (words, value) in [
            ("hai", Some(2)),
            ("mười", Some(10)),
            ("mười một", Some(11)),
            ("mười lăm", Some(15)),
            ("hai mươi", Some(20)),
            ("hai mươi lăm", Some(25)),
            ("ba mươi sáu", Some(36)),
            ("hai mươi tư", Some(24)),
            ("năm mươi mốt", Some(51)),
            ("một trăm", Some(100)),
            ("một trăm linh năm", Some(105)),
            ("hai trăm ba mươi", Some(230)),
            ("ba nghìn", Some(3000)),
            ("Hai", Some(2)),
            ("năm", None),
            ("mươi", None),
            ("tư", None),
            ("mười tư", None),
            ("hai ba bốn", None),
        ] {
            assert_eq!(value_of(words), value, "{words}");
        }
    }

    #[test]
    fn counts_are_rewritten_in_place_and_restored() {
        let written = "Xây mới hai mươi lăm căn nhà; hai chi bộ HTXSNV, mười một chi bộ HTTNV, \
                       một chi bộ HTNV. Năm 2023 là một mô hình hay; năm chi bộ; bà con; \
                       Hai hội viên; ba cây số.";
        let spelled = Spelled::new(written);
        assert_eq!(spelled.text.len(), written.len());
        let digits = |words: &str, value: u32| format!("{value:>w$}", w = words.len());
        let expected = written
            .replace(
                "hai mươi lăm căn",
                &format!("{} căn", digits("hai mươi lăm", 25)),
            )
            .replace("hai chi bộ HTXSNV", "  2 chi bộ HTXSNV")
            .replace(
                "mười một chi bộ",
                &format!("{} chi bộ", digits("mười một", 11)),
            )
            .replace(
                ", một chi bộ HTNV",
                &format!(", {} chi bộ HTNV", digits("một", 1)),
            );
        assert_eq!(spelled.text, expected);
        // The longest tail that is a number: "năm" is the year's word here.
        let tail = Spelled::new("trong năm hai chi bộ được khen");
        assert_eq!(tail.text, "trong năm   2 chi bộ được khen");
        // A broadcast's "35 trên 36 thôn" is a part of a whole.
        let ratio = Spelled::new("có 35 trên 36 thôn đạt chuẩn; trên 36 hộ");
        assert_eq!(ratio.text, "có 35/      36 thôn đạt chuẩn; trên 36 hộ");
        let mut name = "  2 chi bộ HTXSNV".to_string();
        spelled.restore(&mut name);
        assert_eq!(name, "hai chi bộ HTXSNV");
        let unchanged = Spelled::new("Không có số nào viết bằng chữ.");
        assert!(matches!(unchanged.text, Cow::Borrowed(_)));
    }

    #[test]
    fn thousands_grouped_with_spaces_are_closed_up() {
        let written = "sản lượng 31 250 tấn, doanh thu 1 860 tỷ đồng, 22 000triệu; \
                       hỗ trợ 1 200 000 đồng";
        let spelled = Spelled::new(written);
        assert_eq!(
            spelled.text,
            "sản lượng 31250  tấn, doanh thu 1860  tỷ đồng, 22000 triệu; \
             hỗ trợ 1200000   đồng"
        );
        let mut name = "31250  tấn".to_string();
        spelled.restore(&mut name);
        assert_eq!(name, "31 250 tấn");
        // Separate numbers: a label and its count, a table's cells, a
        // year, percentages, a phone number, a date.
        for written in [
            "thôn 3 120 hộ",
            "Tổ 12 150 hộ",
            "Diện tích | ha 450 500 111,1",
            "năm 2023 150 hộ",
            "đạt 3 100%",
            "ĐT 0235 382 9116",
            "ngày 12/12 500 hộ",
        ] {
            assert!(
                matches!(Spelled::new(written).text, Cow::Borrowed(_)),
                "{written}"
            );
        }
    }
}
