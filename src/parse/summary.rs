//! The year's target summary: how many of the targets the resolution set
//! were met and how many exceeded, in every way texts say it: "14/15 chỉ
//! tiêu đạt và vượt", "hoàn thành 18/20 chỉ tiêu, trong đó 6 chỉ tiêu vượt",
//! "đạt và vượt 12/15 chỉ tiêu", "trong 16 chỉ tiêu chủ yếu, có 14 chỉ tiêu
//! đạt và vượt, 2 chỉ tiêu không đạt" (met and total from each other).

use std::sync::LazyLock;

use crate::model::TargetSummary;

use super::doc::Doc;
use super::pattern::WordRegex;

/// Words between "chỉ tiêu" and what is said of it ("chủ yếu", "Nghị quyết
/// đề ra", "Nghị quyết năm 2024"): words and years only, short.
const GAP: &str = r"(?:(?:[a-z]+|(?:19|20)\d\d|[-–]) ){0,8}?";

/// What a verb before or after a count says of the targets it counts.
#[derive(Clone, Copy, PartialEq)]
enum Said {
    Met,
    Exceeded,
    Missed,
}

static PAIR: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r"(?P<a>\d{{1,3}})\s*/\s*(?P<b>\d{{1,3}})\s+chi tieu\b\s*(?P<post>{GAP}(?:(?:khong|chua) dat|dat va vuot|hoan thanh|dat|vuot))?"
    ))
    .expect("target pair pattern")
});

static COUNT: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(&format!(
        r"\b(?P<n>\d{{1,3}})\s+chi tieu\b\s*(?P<post>{GAP}(?:(?:khong|chua) dat|dat va vuot|hoan thanh|dat|vuot))?"
    ))
    .expect("target count pattern")
});

static TOTAL: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"\b(?:trong|tren|trong tong so|tong so)\s+(?:(?:so|cac)\s+)?(?P<n>\d{1,3})\s+chi tieu\b",
    )
    .expect("target total pattern")
});

/// The verb just before a count: "đạt và vượt 12/15", "hoàn thành vượt
/// mức 6", "không đạt 2".
fn said_before(before: &str) -> Option<Said> {
    let words: Vec<&str> = before
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(8)
        .collect();
    let tail: Vec<&str> = words.iter().rev().copied().collect();
    let tail = tail.join(" ");
    let ends = |w: &str| tail == w || tail.ends_with(&format!(" {w}"));
    let trimmed = tail
        .trim_end_matches(" co")
        .trim_end_matches(" duoc")
        .to_string();
    let ends_trimmed = |w: &str| trimmed == w || trimmed.ends_with(&format!(" {w}"));
    if ends("khong dat") || ends("chua dat") || ends("khong hoan thanh") {
        return Some(Said::Missed);
    }
    if [
        "dat va vuot",
        "dat va vuot muc",
        "hoan thanh va hoan thanh vuot",
        "hoan thanh va hoan thanh vuot muc",
        "hoan thanh va vuot",
        "hoan thanh va vuot muc",
        "dat",
        "hoan thanh",
        "thuc hien dat",
        "dat duoc",
    ]
    .iter()
    .any(|w| ends_trimmed(w))
    {
        return Some(Said::Met);
    }
    if ["vuot", "vuot muc", "hoan thanh vuot", "hoan thanh vuot muc"]
        .iter()
        .any(|w| ends_trimmed(w))
    {
        return Some(Said::Exceeded);
    }
    None
}

/// "thực hiện 16/18 chỉ tiêu": of a part/whole pair of targets, carrying
/// out is meeting (a single count after "thực hiện" may be a plan instead).
fn carried_out(before: &str) -> Option<Said> {
    let before = before.trim_end();
    let before = before.strip_suffix(" duoc").unwrap_or(before);
    (before.ends_with(" thuc hien") || before == "thuc hien").then_some(Said::Met)
}

fn said_after(post: Option<regex::Match<'_>>) -> Option<Said> {
    let post = post?.as_str();
    if post.ends_with("khong dat") || post.ends_with("chua dat") {
        Some(Said::Missed)
    } else if post.ends_with("vuot") && !post.ends_with("dat va vuot") {
        Some(Said::Exceeded)
    } else {
        Some(Said::Met)
    }
}

/// "14/15 chỉ tiêu đạt và vượt … 9 chỉ tiêu vượt" → {15, 14, 9}.
pub(crate) fn target_summary(doc: &Doc<'_>) -> TargetSummary {
    let mut total = None;
    let mut met = None;
    let mut exceeded = None;
    let mut missed = None;
    for sentence in &doc.sentences {
        let folded = doc.folded_of(sentence.clone());
        if !folded.contains("chi tieu") {
            continue;
        }
        let mut paired = Vec::new();
        for caps in PAIR.captures_iter(folded) {
            let whole = caps.get(0).expect("group 0");
            let head = &folded[..whole.start()];
            if head.ends_with(['/', '.', ','])
                && head[..head.len() - 1].ends_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            paired.push(whole.range());
            let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
            let (Some(a), Some(b)) = (number("a"), number("b")) else {
                continue;
            };
            if a > b {
                continue;
            }
            let said = said_before(head)
                .or_else(|| said_after(caps.name("post")))
                .or_else(|| carried_out(head));
            match said {
                Some(Said::Met) if met.is_none() => {
                    met = Some(a);
                    total = total.or(Some(b));
                }
                Some(Said::Exceeded) if exceeded.is_none() => {
                    exceeded = Some(a);
                    total = total.or(Some(b));
                }
                Some(Said::Missed) if missed.is_none() => {
                    missed = Some(a);
                    total = total.or(Some(b));
                }
                _ => {}
            }
        }
        for caps in TOTAL.captures_iter(folded) {
            if total.is_none() {
                total = caps.name("n").and_then(|m| m.as_str().parse().ok());
            }
        }
        for caps in COUNT.captures_iter(folded) {
            let whole = caps.get(0).expect("group 0");
            if paired.iter().any(|r| r.contains(&whole.start())) {
                continue;
            }
            let head = &folded[..whole.start()];
            if head.ends_with(['/', '.', ','])
                && head[..head.len() - 1].ends_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            let Some(n) = caps.name("n").and_then(|m| m.as_str().parse::<u32>().ok()) else {
                continue;
            };
            let said = said_after(caps.name("post")).or_else(|| said_before(head));
            match said {
                Some(Said::Met) if met.is_none() => met = Some(n),
                Some(Said::Exceeded) if exceeded.is_none() => exceeded = Some(n),
                Some(Said::Missed) if missed.is_none() => missed = Some(n),
                _ => {}
            }
        }
    }
    if met.is_none() && exceeded.is_none() && missed.is_none() {
        return TargetSummary::default();
    }
    let total = total.or_else(|| met.zip(missed).map(|(m, x)| m + x));
    let met = met.or_else(|| total.zip(missed).and_then(|(t, x)| t.checked_sub(x)));
    // "hoàn thành vượt 6/6 chỉ tiêu": every target exceeded is every one met.
    let met = met.or_else(|| total.filter(|&t| exceeded == Some(t)));
    TargetSummary {
        total: total.unwrap_or(0),
        met: met.unwrap_or(0),
        exceeded: exceeded.unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> (u32, u32, u32) {
        let doc = Doc::new(text);
        let s = target_summary(&doc);
        (s.total, s.met, s.exceeded)
    }

    #[test]
    fn pairs_counts_and_totals_in_every_wording() {
        assert_eq!(
            summary("Có 14/15 chỉ tiêu đạt và vượt kế hoạch, trong đó 9 chỉ tiêu vượt."),
            (15, 14, 9)
        );
        assert_eq!(
            summary(
                "Đảng bộ lãnh đạo hoàn thành 11/13 chỉ tiêu Nghị quyết, trong đó có 5 chỉ tiêu vượt."
            ),
            (13, 11, 5)
        );
        assert_eq!(
            summary("Kết quả đạt và vượt 12/15 chỉ tiêu chủ yếu."),
            (15, 12, 0)
        );
        assert_eq!(
            summary(
                "Đảng ủy đã lãnh đạo Công ty hoàn thành vượt 6/6 chỉ tiêu sản xuất kinh doanh."
            ),
            (6, 6, 6)
        );
        assert_eq!(
            summary("Đảng ủy đã lãnh đạo hoàn thành vượt 5/6 chỉ tiêu sản xuất kinh doanh."),
            (6, 0, 5)
        );
        assert_eq!(
            summary("Trong 16 chỉ tiêu chủ yếu, có 14 chỉ tiêu đạt và vượt, 2 chỉ tiêu không đạt."),
            (16, 14, 0)
        );
        assert_eq!(
            summary("Trong 21 chỉ tiêu Nghị quyết đề ra, có 3 chỉ tiêu chưa đạt."),
            (21, 18, 0)
        );
        assert_eq!(
            summary("Hoàn thành và hoàn thành vượt mức 17/19 chỉ tiêu; vượt 7/19 chỉ tiêu."),
            (19, 17, 7)
        );
        assert_eq!(
            summary(
                "Năm 2023, thị trấn thực hiện 16/18 chỉ tiêu nghị quyết đề ra, trong đó có 5 chỉ tiêu vượt; 2 chỉ tiêu không đạt."
            ),
            (18, 16, 5)
        );
    }

    #[test]
    fn counts_that_are_not_a_summary() {
        assert_eq!(summary("Năm 2024 đề ra 18 chỉ tiêu chủ yếu."), (0, 0, 0));
        assert_eq!(
            summary("Năm 2024 phấn đấu thực hiện 18 chỉ tiêu."),
            (0, 0, 0)
        );
        assert_eq!(summary("Xã đạt 16/19 tiêu chí nông thôn mới."), (0, 0, 0));
        assert_eq!(summary("Ngày 20/12 chỉ tiêu được giao."), (0, 0, 0));
    }
}
