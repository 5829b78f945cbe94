//! Page chrome: the parts of a copied web page that are not the article —
//! view and visitor counters, "Tin liên quan"/"Tin mới nhất" lists, comment
//! and rating forms, menus, image file names and captions. Chrome lines are
//! marked so that no indicator, person or meeting date is read from them.

use std::sync::LazyLock;

use super::doc::{Doc, trim_range};
use super::pattern::{WordRegex, WordRegexSet};

/// Headings after which the rest of the page is not the article.
static TAIL: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"^(?:cac |nhung )?(?:tin|bai|bai viet|tin bai)(?: khac| lien quan| moi nhat| moi| cung chuyen muc| da dua| xem nhieu| noi bat| doc nhieu)\b|^(?:noi nhan|binh luan|y kien ban doc|y kien cua ban|gui binh luan|gui y kien|danh gia:|chia se|xem them|lien ket website|thong ke truy cap|ban doc binh luan|tu khoa)\b",
    )
    .expect("tail pattern")
});

/// Lines that are chrome wherever they stand.
static LINE: LazyLock<WordRegexSet> = LazyLock::new(|| {
    let byline = format!(r"^{}\s*[,-]\s*(?:ngay\s*)?\d", super::dates::BYLINE_WEEKDAY);
    WordRegexSet::new(&[
        r"\bluot (?:xem|doc|truy cap|danh gia|thich|chia se|binh luan)\b",
        r"\b\d[\d.,]*k?\s*(?:binh luan|chia se|comments?|shares?)\b",
        r"\b(?:dang|nguoi) (?:online|truy cap|xem)\b",
        r"^(?:online|thong ke|truy cap|hom nay|hom qua|tong(?: so)? (?:luot )?truy cap|dang truy cap|tuan nay|thang nay|da truy cap)\s*:",
        r"\b(?:ma xac thuc|dang nhap|trang chu|in bai|gui email|quay lai|ban quyen|copyright|ipv6|zalo|facebook|twitter)\b",
        // "Đăng ký nhận tin | Tiếng Anh", "Đăng nhập | Đăng ký" — not
        // "cấp giấy chứng nhận đăng ký cho 1.265 hộ kinh doanh".
        r"(?:^|\|\s*)dang ky\b",
        r"\.(?:jpe?g|png|gif|webp|bmp)\b",
        r"^(?:anh|nguon|video)\s*:",
        r"\((?:anh|nguon)\s*:",
        r"^[\d\s%.,:/°*|»«>-]*$",
        r"\(\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?:\s*(?:sa|ch|am|pm))?)?\)\s*$",
        r"^(?:dang ngay|ngay dang|cap nhat|ngay cap nhat)\b",
        &byline,
        r"^(?:trung tam|phong|ban bien tap|tac gia|bien tap vien|btv|ctv)\b[^.]{0,60}$",
    ])
    .expect("chrome patterns")
});

/// An appendix after a document's distribution list and signature: "PHỤ
/// LỤC", "Biểu số 01". The document's body goes on there.
static APPENDIX: LazyLock<WordRegex> =
    LazyLock::new(|| WordRegex::new(r"^(?:phu luc|bieu so)\b").expect("appendix pattern"));

/// Marks chrome lines and finds where the article ends.
pub(crate) fn mark(doc: &mut Doc<'_>) {
    let mut seen_body = 0usize;
    // The line where the rest of the page stopped being the article, and
    // whether it was a document's distribution list ("Nơi nhận").
    let mut tail: Option<(usize, bool)> = None;
    let mut chrome = Vec::with_capacity(doc.lines.len());
    for (i, line) in doc.lines.iter().enumerate() {
        let range = trim_range(doc.text, line.range.clone());
        let folded = doc.folded_of(range.clone());
        let short = range.len() < 400;
        match tail {
            None if short && seen_body >= 200 && TAIL.is_match(folded) => {
                tail = Some((i, folded.starts_with("noi nhan")));
            }
            Some((from, true)) if range.len() < 120 && APPENDIX.is_match(folded) => {
                // The list and the signature were not the body; the
                // appendix is.
                chrome[from..].fill(true);
                tail = None;
            }
            _ => {}
        }
        let is_chrome =
            !folded.is_empty() && short && LINE.is_match(folded) && !is_sentence(folded);
        // Only prose counts: a site's name, a menu, a headline or a player
        // widget ("Giọng nữ miền Bắc ▾ 00:00 / 05:12") above a share bar
        // ("Chia sẻ: Facebook | Zalo") is no article yet for a tail heading
        // to end.
        // A paragraph ends on a stop or runs long; a headline does neither.
        let written = &doc.text[range.clone()];
        let paragraph =
            written.ends_with(['.', ':', ';', '!', '?', '…', '"', '”', ')']) || range.len() >= 120;
        if !is_chrome && paragraph && folded.split_whitespace().count() >= 8 {
            seen_body += range.len();
        }
        chrome.push(is_chrome);
    }
    let body_end = tail.map_or(doc.text.len(), |(from, _)| doc.lines[from].range.start);
    for (line, is_chrome) in doc.lines.iter_mut().zip(chrome) {
        line.chrome = is_chrome || line.range.start >= body_end;
    }
    doc.body_end = body_end;
}

/// A line that reads as prose (long, several clauses) is not chrome even if
/// it mentions a chrome word.
fn is_sentence(folded: &str) -> bool {
    folded.len() > 160 && folded.matches(' ').count() > 25
}
