//! What kind of text this is: an official report (document header, "Số:
//! 68-BC/ĐU", a "BÁO CÁO" title), a news article about a Party
//! organisation's period review, or something else that must never count as
//! a year-end report — a People's Council session, a party cell's routine
//! meeting, a plan document, a round-up of many units, unrelated news or a
//! text in another language.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::ReportKind;
use crate::text::{fold, is_alphabetic};

use super::doc::Doc;
use super::pattern::WordRegex;

static DOC_NUMBER: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"(?m)^\s*so\s*:?\s*(?:(\d{1,4})\s*[-–]?\s*(bc|kh|nq|tb|ctr|qd|bb|ttr)\s*/\s*([a-z]{1,6})|(\d{1,4})\s*/\s*(bc|kh|nq|tb|ctr|qd|bb|ttr)\s*[-–]\s*([a-z]{1,8}))\b",
    )
    .expect("number pattern")
});

/// An official document's number as written ("68-BC/ĐU") and its type.
pub(crate) fn document_number(doc: &Doc<'_>) -> Option<(String, String)> {
    // Line by line: a line may be a piece of a flattened header, not a
    // line of the text.
    let (start, caps) = doc.lines.iter().take(30).find_map(|line| {
        let range = doc.folded_range(line.range.clone());
        DOC_NUMBER
            .captures(&doc.folded[range.clone()])
            .map(|caps| (range.start, caps))
    })?;
    // "68-BC/ĐU" (the Party's form) or "45/BC-ĐU" (the State's, also seen).
    let slash_first = caps.get(1).is_none();
    let group = |party: usize| caps.get(if slash_first { party + 3 } else { party });
    let number = group(1)?;
    let kind = group(2)?;
    let issuer = group(3)?;
    let range = doc.text_range(start + number.start()..start + issuer.end());
    let written = &doc.text[range];
    let compact: String = written.split_whitespace().collect::<Vec<_>>().join("");
    let compact = if slash_first || compact.contains('-') || compact.contains('–') {
        compact.replace('–', "-")
    } else {
        let digits = compact.chars().take_while(|c| c.is_ascii_digit()).count();
        format!("{}-{}", &compact[..digits], &compact[digits..])
    };
    Some((compact, kind.as_str().to_string()))
}

pub(crate) fn decide(
    doc: &Doc<'_>,
    lead: &str,
    title: &str,
    number_type: Option<&str>,
    unit_names: usize,
) -> (ReportKind, Option<String>) {
    if !vietnamese(doc.text) {
        return (
            ReportKind::NotAReport,
            Some("the text is not in Vietnamese".into()),
        );
    }
    let title = fold(title);
    let head = format!("{title} {lead}");
    if number_type.is_some_and(|t| t != "bc") || title.starts_with("ke hoach") {
        return (
            ReportKind::NotAReport,
            Some("the text is a plan or another kind of document, not a report".into()),
        );
    }
    if head.contains("ky hop") && (head.contains("hdnd") || head.contains("hoi dong nhan dan")) {
        return (
            ReportKind::NotAReport,
            Some("the text is about a People's Council session".into()),
        );
    }
    if head.contains("sinh hoat chi bo")
        || head.contains("sinh hoat dinh ky")
        || head.contains("sinh hoat thuong ky")
    {
        return (
            ReportKind::NotAReport,
            Some("the text is about a party cell's routine meeting".into()),
        );
    }
    let party = [
        "dang bo",
        "dang uy",
        "chi bo",
        "huyen uy",
        "tinh uy",
        "thanh uy",
        "quan uy",
        "thi uy",
        "ban chap hanh",
    ]
    .iter()
    .any(|w| head.contains(w));
    let review = [
        "tong ket",
        "so ket",
        "kiem diem",
        "danh gia ket qua",
        "phuong huong, nhiem vu",
        "phuong huong nhiem vu",
        "ket qua lanh dao",
        "ket qua thuc hien nhiem vu",
        "nhiem vu trong tam nam",
        "muc tieu, nhiem vu",
        "muc tieu nhiem vu",
    ]
    .iter()
    .any(|w| head.contains(w))
        || (head.contains("dai hoi") && head.contains("nhiem ky") && party);
    if !(party && review) {
        return (
            ReportKind::NotAReport,
            Some("no Party organisation's period review is described".into()),
        );
    }
    // "Huyện ủy Châu Thành bồi dưỡng nghiệp vụ công tác Đảng": a training
    // course, whatever figures it quotes.
    static COURSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:boi duong|tap huan|khai giang|be giang)(?-u:\b)")
            .expect("course pattern")
    });
    if COURSE.is_match(&title) && !title.contains("tong ket") {
        return (
            ReportKind::NotAReport,
            Some("the text is about a training course".into()),
        );
    }
    static OTHER_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:tong ket|so ket)\s+(?:\d+|muoi|nam|ba|hai)\s+nam\s+(?:thuc hien|trien khai)|(?:tong ket|so ket)\s+(?:cong tac\s+)?(?:nam hoc|phong trao|hoi thi|hoi thao|giai|the thao|hoi khoe|le hoi|chien dich|lop|khoa hoc|cong tac mat tran|cong tac hoi|cong tac doan|hoat dong (?:hoi|doan|mat tran)|mttq|hoi nong dan|hoi phu nu|hoi cuu chien binh|doan thanh nien|cong doan|cong tac quan su|tuyen quan|tuyen chon|giao nhan quan|giao quan|nghia vu quan su|quoc phong|cong tac cong an|cong tac thi dua|thi dua|dan van|kiem tra|tuyen giao|khoa giao|noi chinh|dan toc|ton giao|bao ve chinh tri noi bo)|(?-u:\b)dai hoi\s+(?:dai bieu\s+)?(?:hoi (?:nong dan|lien hiep|phu nu|cuu chien binh|nguoi cao tuoi|chu thap do|khuyen hoc|cuu giao chuc|lam vuon)|doan (?:thanh nien|tncs)|cong doan|mat tran|mttq|uy ban mat tran)")
            .expect("other subject pattern")
    });
    // "Gò Dầu: Mặt trận xã Thanh Phước tổng kết công tác năm 2023": the
    // headline's reviewing body is the Front, a mass association or the
    // government, not a Party organisation.
    static OTHER_BODY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[^:]{1,40}:\s*)?(?:uy ban |ban thuong truc )?(?:mat tran|mttq|uy ban mttq|hoi (?:nong dan|lien hiep phu nu|phu nu|cuu chien binh|nguoi cao tuoi|chu thap do|khuyen hoc)|doan (?:thanh nien|tncs)|cong doan|ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan)(?-u:\b)[^.;:]{0,60}?(?-u:\b)(?:tong ket|so ket)")
            .expect("other body pattern")
    });
    if OTHER_SUBJECT.is_match(&title)
        || OTHER_BODY.is_match(&title)
        || (title.is_empty() && OTHER_SUBJECT.is_match(lead))
    {
        return (
            ReportKind::NotAReport,
            Some("the review is of something other than the Party organisation's work".into()),
        );
    }
    // "Các đảng bộ cơ sở tổng kết …", "các đảng bộ xã, thị trấn trên địa
    // bàn huyện … đã tổ chức hội nghị tổng kết": many units hold their
    // reviews; a committee that directs them ("chỉ đạo các đảng bộ …") does not.
    static MANY_UNITS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^\p{L} ]\s*|(?-u:\b)(?:va|da|dong loat|nay|thoi gian qua)\s+)cac (?:dang bo|to chuc co so dang)(?:[ ,]+(?:va |chi bo|dang bo|co so|xa|phuong|thi tran|truc thuoc|tren dia ban|(?:huyen|thi xa|thanh pho|quan)\s+\p{L}+(?:\s+\p{L}+)?))*\s*(?:da\s+|dong loat\s+|lan luot\s+|deu\s+)?(?:to chuc (?:hoi nghi )?tong ket|tong ket)")
            .expect("many units pattern")
    });
    // "Đồng Phú: 11/11 đảng bộ xã, thị trấn hoàn thành hội nghị tổng kết":
    // a headline counting the units that held their reviews.
    static COUNTED_UNITS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)\d+/\d+ (?:dang bo|to chuc co so dang)(?-u:\b)[^.;:]{0,50}?(?-u:\b)(?:hoan thanh|to chuc xong|da to chuc|to chuc)\s+(?:xong\s+)?(?:hoi nghi\s+)?tong ket")
            .expect("counted units pattern")
    });
    if unit_names >= 3
        || MANY_UNITS.is_match(&head)
        || COUNTED_UNITS.is_match(&title)
        || head.contains("dong loat")
        || head.contains("cac dang bo") && head.contains("lan luot")
    {
        return (
            ReportKind::NotAReport,
            Some("the text rounds up several units' reviews".into()),
        );
    }
    if number_type == Some("bc") || official_layout(doc) {
        return (ReportKind::OfficialReport, None);
    }
    (ReportKind::NewsArticle, None)
}

fn official_layout(doc: &Doc<'_>) -> bool {
    let head: Vec<String> = doc
        .lines
        .iter()
        .take(25)
        .map(|l| doc.folded_of(l.range.clone()).trim().to_string())
        .collect();
    // "BÁO CÁO", "BÁO CÁO CHÍNH TRỊ".
    let title_line = head
        .iter()
        .any(|l| l == "bao cao" || l.starts_with("bao cao ") && l.len() <= 40);
    let party_line = head.iter().any(|l| l.starts_with("dang cong san viet nam"));
    title_line
        && (party_line
            || head
                .iter()
                .any(|l| l.contains(", ngay ") && l.contains(" thang ")))
}

/// Vietnamese texts have diacritics on a good share of their letters.
fn vietnamese(text: &str) -> bool {
    let mut letters = 0usize;
    let mut marked = 0usize;
    for c in text.chars().take(20_000) {
        if is_alphabetic(c) {
            letters += 1;
            if !c.is_ascii() {
                marked += 1;
            }
        }
    }
    letters < 40 || marked * 100 >= letters * 8
}

/// Distinct unit names in the lead, to tell a round-up of many units.
pub(crate) fn distinct(names: &[String]) -> usize {
    names.iter().map(|n| fold(n)).collect::<HashSet<_>>().len()
}
