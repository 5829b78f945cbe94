//! Named people and their titles. A person is a run of two to five
//! capitalised syllables after "đồng chí"/"Đ/c"/"đc", or starting with a
//! common surname and followed by a title; the titles follow the name and
//! are split on commas, hyphens and dashes as written ("HUV - Bí thư – CT-
//! HĐND xã"), with split abbreviations re-joined ("CT- HĐND" → "CT HĐND")
//! and glued ones separated ("TT.Đảng ủy" → "TT Đảng ủy"). Groups without
//! names ("các đồng chí trong BTV Đảng ủy") are not people. An official
//! report's signature block ("T/M ĐẢNG ỦY / BÍ THƯ / name") names its signer.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::model::{Person, Span};
use crate::text::{ends_with_word, fold, is_alphabetic, is_alphanumeric};

use super::doc::Doc;
use super::org::title_case;
use super::pattern::WordRegex;

static MARKER: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:(?:dong chi|ong|ba)\b|(?:d/c|dc)\b\.?):? ?")
        .expect("person marker pattern")
});

/// "anh", "chị" before a private person's name ("hộ anh Lê Văn Sáu"); a
/// marker only as written in lower case, not "Anh Sơn" or "Chi bộ".
static FAMILIAR: LazyLock<WordRegex> =
    LazyLock::new(|| WordRegex::new(r"\b(?:anh|chi) ").expect("familiar marker pattern"));

/// The person markers in `folded`, the folded text from `folded_start`:
/// "đồng chí", "ông", "bà", "đ/c" as written (the "Ba" of "Thanh Ba" is a
/// name), and "anh", "chị" in lower case only.
fn markers<'h>(
    doc: &'h Doc<'_>,
    folded_start: usize,
    folded: &'h str,
) -> impl Iterator<Item = regex::Match<'h>> + 'h {
    let written = move |m: &regex::Match<'_>| {
        &doc.text[doc.text_range(folded_start + m.start()..folded_start + m.end())]
    };
    // "lễ Vía Bà Thiên Hậu", "Miếu Ông Bổn": "Bà", "Ông" in capitals after
    // a capitalised word are part of a name, not a person's marker.
    let inside_a_name = move |m: &regex::Match<'_>| {
        let at = doc
            .text_range(folded_start + m.start()..folded_start + m.start())
            .start;
        let before = &doc.text[..at];
        let previous = before.trim_end_matches(' ');
        before.ends_with(' ')
            && previous
                .split(|c: char| !is_alphabetic(c))
                .next_back()
                .and_then(|word| word.chars().next())
                .is_some_and(char::is_uppercase)
    };
    let formal = MARKER.find_iter(folded).filter(move |m| {
        let marker = written(m).trim_end_matches([' ', ':']).to_lowercase();
        let in_a_name = written(m).starts_with(['B', 'Ô']) && inside_a_name(m);
        !(matches!(marker.as_str(), "ba" | "ong") || in_a_name)
    });
    let familiar = FAMILIAR
        .find_iter(folded)
        .filter(move |m| matches!(written(m), "anh " | "chị "));
    formal.chain(familiar)
}

/// A police or army rank before a name ("Thượng tá Nguyễn Văn Bình"): a
/// marker that is also the person's first title.
static RANK: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:dai|thuong|trung|thieu) (?:tuong|ta|uy)\b ?").expect("rank pattern")
});

const SURNAMES: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "cao", "lo", "ha", "mai", "trinh", "truong", "lam",
    "luong", "luu", "la", "ta", "thai", "chu", "quach", "kieu", "tong", "dao", "doan", "vuong",
    "trieu", "khuat", "lai", "nong", "mac", "giap", "tieu", "thach", "danh", "kim", "y", "ksor",
    "rmah", "siu", "nay", "hua", "au", "van", "to", "lu", "khong", "ong", "diep", "lieu", "nghiem",
    "quan", "bach", "an", "tang", "ton", "phung", "che", "chau", "dieu", "hoa",
    // Surnames of the northern and central highland peoples (Tày, Nùng,
    // Thái, H'Mông, Dao, Gia Rai…): "Ma Văn Quý", "Giàng A Páo", "Rah Lan Chung".
    "ma", "be", "dam", "giang", "sung", "vang", "thao", "lau", "mua", "cam", "luc", "hau", "chao",
    "ninh", "rah", "kpa", "puih", "ham", "vi", "vy", "than", "ro",
    // Khmer: "Néang" opens a woman's name ("Néang Sô Phia").
    "neang",
];

/// A surname, or the "H'" that opens an Ê Đê or Jrai woman's name ("H'Bia
/// Niê", "H'Hen Niê").
pub(crate) fn is_surname(word: &str) -> bool {
    SURNAMES.contains(&fold(word).as_str())
        || word
            .strip_prefix('H')
            .and_then(|rest| rest.strip_prefix(APOSTROPHES))
            .is_some_and(|rest| rest.starts_with(char::is_uppercase))
}

/// Words that start a title (folded).
const TITLE_HEADS: &[&str] = &[
    "bi thu",
    "pho bi thu",
    "chu tich",
    "pho chu tich",
    "uy vien",
    "uv",
    "uvbtv",
    "uvbch",
    "huv",
    "tuv",
    "duv",
    "thuv",
    "huyen uy vien",
    "tinh uy vien",
    "thanh uy vien",
    "dang uy vien",
    "quan uy vien",
    "thi uy vien",
    "truong",
    "pho truong",
    "chu nhiem",
    "pho chu nhiem",
    "giam doc",
    "pho giam doc",
    "chanh",
    "pho chanh",
    "thuong truc",
    "ct",
    "pct",
    "bt",
    "pbt",
    "btv",
    "dai bieu",
    "tong bien tap",
    "chi huy",
    "thuong ta",
    "trung ta",
    "dai ta",
    "thieu ta",
    "dai uy",
    "thuong uy",
    "hieu truong",
    "can bo",
    "chuyen vien",
    "thu truong",
    "bo truong",
    "pho",
    "ke toan",
    "cong chuc",
    "thu ky",
    "van phong",
    "tong giam doc",
    "nguyen",
    "ban",
    "trung tuong",
    "thieu tuong",
    "thanh vien",
    "chi uy vien",
    "to truong",
    "doi truong",
    "chinh uy",
    "pho chinh uy",
    "chinh tri vien",
    "pho chinh tri vien",
    "tham muu truong",
    "tu lenh",
    "pho tu lenh",
    "cuc truong",
    "pho cuc truong",
    "chi cuc truong",
    "pho chi cuc truong",
    "vu truong",
    "pho vu truong",
    "vien truong",
    "pho vien truong",
    "gia lang",
];

/// Words at which a title ends (folded, with their leading space).
const TITLE_ENDS: &[&str] = &[
    " ghi nhan",
    " chia se",
    " danh gia",
    " phat bieu",
    " cho biet",
    " chu tri",
    " dong chu tri",
    " tham du",
    " du hoi nghi",
    " cung ",
    " da ",
    " va cac",
    " trinh bay",
    " tiep thu",
    " thay mat",
    " khang dinh",
    " nhan manh",
    " de nghi",
    " yeu cau",
    " bieu duong",
    " trao ",
    " chi dao",
    " len ",
    " doc ",
    " tang ",
    " quan triet",
    " thong qua",
    " bao cao",
    " to chuc",
    " cam on",
    " chuc mung",
    " ket luan",
    " be mac",
    " khai mac",
    " neu ro",
    " mong muon",
    " luu y",
    " dong tinh",
    " thong nhat",
    " tham luan",
    " vui mung",
    " dong thoi",
    " cung voi",
    " va dai dien",
    " va lanh dao",
    " va cac dong chi",
    " ve du",
    " den du",
    " du va",
    " lam truong doan",
    " lam ",
    " voi su",
    " tai hoi nghi",
    " gui loi",
    " khen ngoi",
    " truc tiep",
    " da den",
    " tham gia",
    " va ong ",
    " va ba ",
    " va dong chi",
    " va d/c",
    " duoc ",
    " vinh du",
    " lam ro",
    " co buoi",
    " den tham",
];

/// [`TITLE_ENDS`] as one automaton.
static TITLE_END_WORDS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(TITLE_ENDS).expect("title end words"));

/// The length of the longest of [`TITLE_ENDS`].
const TITLE_END_MAX: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < TITLE_ENDS.len() {
        if TITLE_ENDS[i].len() > max {
            max = TITLE_ENDS[i].len();
        }
        i += 1;
    }
    max
};

const NOT_NAMES: &[&str] = &["ho chi minh", "ton duc thang", "vo nguyen giap"];

pub(crate) fn find(doc: &Doc<'_>) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    let mut add = |name: String, span: Range<usize>, titles: Vec<String>| {
        let key = fold(&name);
        if NOT_NAMES.contains(&key.as_str()) {
            return;
        }
        match people.iter_mut().find(|p| fold(&p.name) == key) {
            Some(existing) => {
                if existing.titles.is_empty() {
                    existing.titles = titles;
                }
            }
            None => people.push(Person {
                name,
                titles,
                span: Span {
                    start: span.start as u32,
                    end: span.end as u32,
                },
            }),
        }
    };
    for sentence in &doc.sentences {
        let folded_range = doc.folded_range(sentence.clone());
        let folded = &doc.folded[folded_range.clone()];
        let mut taken: Vec<Range<usize>> = Vec::new();
        let ranks = RANK.find_iter(folded).map(|m| (m, true));
        let markers = markers(doc, folded_range.start, folded);
        for (m, rank) in markers.map(|m| (m, false)).chain(ranks) {
            let written =
                doc.text_range(folded_range.start + m.start()..folded_range.start + m.end());
            let at = written.end;
            if let Some((name, span)) = person_name(doc.text, at, false) {
                let mut titles = titles_after(doc, span.end, sentence.end);
                if rank {
                    titles.insert(0, doc.text[written].trim().to_string());
                }
                taken.push(span.clone());
                add(name, span, titles);
            }
        }
        // Names without a marker: a surname-led name followed by a title.
        let text = &doc.text[sentence.clone()];
        for (offset, _) in text.char_indices().filter(|&(i, c)| {
            c.is_uppercase()
                && text[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|p| !is_alphanumeric(p))
        }) {
            let at = sentence.start + offset;
            if taken.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let Some((name, span)) = person_name(doc.text, at, true) else {
                continue;
            };
            let (name, span) = past_a_place(doc.text, name, span);
            // "Ông Trần Văn Thoại" is the person read after the marker "Ông";
            // "quận Hà Đông - TP Hà Nội" names a place the gazetteer knows
            // ("xã Lê Văn Hùng" is the post before a person's name).
            if inside_capitals(doc.text, &span)
                || after_a_level_word(&doc.text[sentence.start..span.start])
                    && super::gazetteer::GAZETTEER.names_exactly(&name)
                || taken
                    .iter()
                    .any(|r| r.start < span.end && span.start < r.end)
                || ends_a_place_name(doc.text, &span)
            {
                continue;
            }
            let mut titles = titles_after(doc, span.end, sentence.end);
            // "Phó Bí thư Thường trực Huyện ủy Trần Văn Cường phát biểu"; a
            // place's name after a title ("Thành ủy Hà Nội") is no person.
            if titles.is_empty() && super::gazetteer::GAZETTEER.named(&name).next().is_none() {
                titles = titles_before(&doc.text[sentence.start..span.start]);
            }
            // "Nguyễn Hằng - Văn phòng HĐND-UBND xã" on a line of its own:
            // a writer's byline names an office, not a post.
            let whole_line = doc.text[sentence.clone()].trim()
                == doc.text[span.start..sentence.end].trim()
                && !doc.text[sentence.clone()].trim().contains('\n');
            if titles.is_empty()
                || whole_line && titles.iter().all(|t| fold(t).starts_with("van phong"))
            {
                continue;
            }
            taken.push(span.clone());
            add(name, span, titles);
        }
    }
    for (name, span, titles) in recipients(doc) {
        add(name, span, titles);
    }
    for (name, span, title) in signatures(doc) {
        add(name, span, vec![title]);
    }
    people
}

/// People named in an official report's "Nơi nhận" list: "- Đ/c Lương Văn
/// Ánh, UVBTV Tỉnh ủy, Trưởng Ban Dân vận Tỉnh ủy (b/c),". A signature
/// block printed beside the list is another column.
fn recipients(doc: &Doc<'_>) -> Vec<(String, Range<usize>, Vec<String>)> {
    let mut out = Vec::new();
    let Some(at) = doc.lines.iter().position(|l| {
        doc.folded_of(l.range.clone())
            .trim_start()
            .starts_with("noi nhan")
    }) else {
        return out;
    };
    for line in doc.lines[at + 1..].iter().take(15) {
        let text = &doc.text[line.range.clone()];
        let column = line.range.start..line.range.start + text.find('\t').unwrap_or(text.len());
        let item = super::doc::trim_range(doc.text, column);
        if !doc.text[item.clone()].starts_with(['-', '+', '•']) {
            continue;
        }
        // "(b/c)", "(để báo cáo)": what the copy is for.
        let end = doc.text[item.clone()]
            .find(" (")
            .map_or(item.end, |i| item.start + i);
        let folded_range = doc.folded_range(item.start..end);
        let folded = &doc.folded[folded_range.clone()];
        if let Some(m) = markers(doc, folded_range.start, folded).next() {
            let marker_end = doc
                .text_range(folded_range.start + m.start()..folded_range.start + m.end())
                .end;
            if let Some((name, span)) = person_name(doc.text, marker_end, false) {
                let titles = titles_after(doc, span.end, end);
                out.push((name, span, titles));
            }
        }
    }
    out
}

/// Whether a name read where a unit's name is expected is a person's: "Bí
/// thư Đảng ủy xã Lê Văn Hùng cho biết …". Three or more syllables led by a
/// surname, and no administrative unit of that name.
pub(crate) fn a_persons_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 3
        && is_surname(words[0])
        && super::gazetteer::GAZETTEER.named(name).next().is_none()
}

/// "Bí thư Đảng ủy xã Tăng Thành Phan Đình Lực", "Phó Bí thư Huyện ủy
/// Lạng Giang Ngô Thị Thanh Hà": a place's name after its level word or its
/// committee, then the person's. The name read is cut after the place when
/// a surname follows it; the place may begin a word before the name read
/// ("Lạng", no surname, was not read).
fn past_a_place(text: &str, name: String, span: Range<usize>) -> (String, Range<usize>) {
    const LEVELS: &[&str] = &[
        "xa",
        "phuong",
        "thi tran",
        "huyen",
        "quan",
        "thi xa",
        "thanh pho",
        "tinh",
        "uy",
    ];
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() < 3 {
        return (name, span);
    }
    let head = text[..span.start].trim_end();
    let previous = head
        .rsplit(' ')
        .next()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase));
    let after_level = |before: &str| {
        let before = fold(before.trim_end());
        LEVELS.iter().any(|l| ends_with_word(&before, l))
    };
    let leads: Vec<Option<&str>> = match previous {
        Some(word) if after_level(&head[..head.len() - word.len()]) => vec![None, Some(word)],
        _ if after_level(head) => vec![None],
        _ => Vec::new(),
    };
    for lead in leads {
        // The longest place: "Lâm Hà Trần Văn Châu" is not "Lâm" and "Hà …".
        for k in (1..=words.len() - 2).rev() {
            let place = match lead {
                Some(word) => format!("{word} {}", words[..k].join(" ")),
                None => words[..k].join(" "),
            };
            if (lead.is_some() || words.len() >= 4)
                && super::gazetteer::GAZETTEER.names_exactly(&place)
                && is_surname(words[k])
            {
                // The written name's bytes after the place and its space.
                let cut = text[span.clone()]
                    .match_indices(' ')
                    .nth(k - 1)
                    .map_or(0, |(at, _)| at + 1);
                // Read again from there: a name cut short by the length
                // limit goes on ("Đinh Văn Nguyễn Thị Hải | Yến").
                return person_name(text, span.start + cut, true)
                    .unwrap_or((words[k..].join(" "), span.start + cut..span.end));
            }
        }
    }
    (name, span)
}

/// Whether text ends on a level word written in lower case ("quận",
/// "thị trấn"): what follows is a place's name.
fn after_a_level_word(before: &str) -> bool {
    let before = before.trim_end();
    super::org::LEVEL_WORDS.iter().any(|level| {
        before
            .strip_suffix(level)
            .is_some_and(|head| head.chars().next_back().is_none_or(|c| !is_alphanumeric(c)))
    })
}

/// Whether a name is the end of a place's name that starts a word earlier:
/// "Văn Thời" in "huyện Trần Văn Thời".
fn ends_a_place_name(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].trim_end_matches(' ');
    let word_start = before.rfind(|c: char| !is_alphanumeric(c)).map_or(0, |at| {
        at + before[at..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &before[word_start..];
    !word.is_empty()
        && word.chars().next().is_some_and(char::is_uppercase)
        && super::gazetteer::GAZETTEER
            .named(&format!("{word} {}", &text[span.clone()]))
            .next()
            .is_some()
}

/// Reads a person's name at `at`: two to five capitalised syllables, the
/// first not a title word. With `surname`, the first must be a surname.
fn person_name(text: &str, at: usize, surname: bool) -> Option<(String, Range<usize>)> {
    let mut words = Vec::new();
    let mut end = at;
    let mut rest = &text[at..];
    while words.len() < 5 {
        let leading = rest.len() - rest.trim_start_matches(' ').len();
        if !words.is_empty() && leading != 1 {
            break;
        }
        let candidate = &rest[leading..];
        let len = name_word_len(candidate);
        let word = &candidate[..len];
        let parts = || word.split(APOSTROPHES);
        let capital = parts().all(|part| part.chars().next().is_some_and(char::is_uppercase));
        let rest_lower = parts().all(|part| part.chars().skip(1).all(char::is_lowercase));
        let all_caps = word.chars().count() > 1
            && word
                .chars()
                .all(|c| c.is_uppercase() || APOSTROPHES.contains(&c));
        if !capital || word.is_empty() || !(rest_lower || all_caps) || word.chars().count() > 7 {
            break;
        }
        let lower = word.to_lowercase();
        if is_title_word(&lower, words.is_empty())
            && !(words.is_empty() && surname_not_organisation(&lower, &candidate[len..]))
        {
            break;
        }
        if all_caps
            && (words.is_empty() && !is_surname(word)
                || !words
                    .iter()
                    .all(|w: &&str| w.chars().all(|c| c.is_uppercase())))
        {
            break;
        }
        if !all_caps
            && words
                .iter()
                .any(|w: &&str| w.chars().count() > 1 && w.chars().all(|c| c.is_uppercase()))
        {
            break;
        }
        words.push(word);
        end = at + (text[at..].len() - rest.len()) + leading + len;
        rest = &candidate[len..];
    }
    // "đồng chí K'Điệp": a Central Highlands name of one syllable after
    // its apostrophe prefix.
    let prefixed = |word: &str| {
        let mut parts = word.split(APOSTROPHES);
        parts
            .next()
            .is_some_and(|p| (1..=2).contains(&p.chars().count()))
            && parts.next().is_some_and(|p| p.chars().count() >= 2)
    };
    if words.len() < 2 && !(words.len() == 1 && !surname && prefixed(words[0])) {
        return None;
    }
    if surname && !is_surname(words[0]) {
        return None;
    }
    let name = words
        .iter()
        .map(|w| title_case(w))
        .collect::<Vec<_>>()
        .join(" ");
    Some((name, at..end))
}

/// A name in capitals that a word in capitals precedes or follows is part
/// of a heading or a masthead ("I. LÃNH ĐẠO PHÁT TRIỂN KINH TẾ", "CỔNG
/// THÔNG TIN ĐIỆN TỬ HUYỆN NGUYÊN BÌNH"), not a person.
fn inside_capitals(text: &str, span: &Range<usize>) -> bool {
    let capitals = |word: &str| {
        word.chars().filter(|&c| c.is_alphabetic()).count() > 1
            && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
    };
    if !capitals(&text[span.clone()].replace(' ', "")) {
        return false;
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    // The words beside it, past punctuation ("PHẦN THỨ NHẤT: KẾT QUẢ").
    let word = |w: &&str| w.chars().any(char::is_alphabetic);
    let before = text[line_start..span.start].split_whitespace().rfind(word);
    let after = text[span.end..line_end].split_whitespace().find(word);
    before.is_some_and(capitals) || after.is_some_and(capitals)
}

/// A surname that also opens an organisation's name: "Nông Quang Nhất" but
/// "Nông dân", "An Văn Bình" but "An ninh", "Văn Thị Hà" but "Văn hóa",
/// "Đoàn Mạnh Cường" but "Đoàn Thanh niên", "Đoàn công tác".
fn surname_not_organisation(lower: &str, after: &str) -> bool {
    let mut words = after.split(' ').skip(1).map(|word| {
        word.chars()
            .take_while(|&c| is_alphabetic(c))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    });
    let next = words.next().unwrap_or_default();
    match lower {
        "đoàn" => {
            let organisation = [
                "tncs",
                "viên",
                "khối",
                "công",
                "kiểm",
                "giám",
                "đại",
                "thanh",
                "xã",
                "phường",
                "huyện",
                "tỉnh",
                "thành",
                "cơ",
                "trường",
                "ủy",
                "uỷ",
            ];
            // "Đoàn Thanh Tùng" is a name, "Đoàn Thanh niên" is not.
            !organisation.contains(&next.as_str())
                || next == "thanh" && words.next().is_some_and(|w| w != "niên")
        }
        "nông" => next != "dân" && next != "nghiệp" && next != "thôn",
        "an" => next != "ninh" && next != "toàn",
        "văn" => !["hóa", "hoá", "phòng", "nghệ", "minh"].contains(&next.as_str()),
        _ => false,
    }
}

/// Apostrophes inside the names of the Central Highlands' peoples ("H’Lan", "K'Dăm").
const APOSTROPHES: [char; 3] = ['’', '\'', 'ʼ'];

/// The byte length of the name word at the start of `s`: letters, and an
/// apostrophe between a letter and a capital ("H’Lan Byă" → "H’Lan").
fn name_word_len(s: &str) -> usize {
    let mut previous_letter = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let joins = APOSTROPHES.contains(&c)
            && previous_letter
            && chars.peek().is_some_and(|&(_, next)| next.is_uppercase());
        if !(is_alphabetic(c) || joins) {
            return i;
        }
        previous_letter = is_alphabetic(c);
    }
    s.len()
}

/// Words that cannot be part of a name there: title and organisation words
/// anywhere, and words that are given names only after the first syllable.
fn is_title_word(lower: &str, first: bool) -> bool {
    const ANYWHERE: &[&str] = &[
        "phó",
        "bí",
        "chủ",
        "trưởng",
        "ủy",
        "uỷ",
        "huyện",
        "tỉnh",
        "đảng",
        "ban",
        "thường",
        "giám",
        "hội",
        "xã",
        "phường",
        "ubnd",
        "hđnd",
        "mttq",
        "uvbtv",
        "huv",
        "tuv",
        "đồng",
        "các",
        "những",
        "tại",
        "trong",
        "năm",
        "khóa",
        "khoá",
        "và",
        "cùng",
        "với",
    ];
    const FIRST: &[&str] = &[
        "nghị", "chánh", "thị", "nhiệm", "tịch", "thư", "trung", "tâm", "công", "an", "quân", "sự",
        "đoàn", "nông", "dân", "cựu", "chiến", "binh", "mặt", "trận", "tổ", "quốc", "việt", "nam",
        "liên", "cơ", "sở", "văn", "hóa", "hoá", "ủy", "nhân", "dự",
    ];
    ANYWHERE.contains(&lower) || (first && FIRST.contains(&lower))
}

/// The titles written after a name, up to the end of that person's part of
/// the sentence.
fn titles_after(doc: &Doc<'_>, from: usize, limit: usize) -> Vec<String> {
    // A name read on past its sentence has no titles left to read.
    let rest = &doc.text[from..limit.max(from)];
    let trimmed = rest.trim_start();
    let Some(first) = trimmed.chars().next() else {
        return Vec::new();
    };
    if !matches!(first, ',' | '-' | '–' | '—' | ':' | '(') {
        return Vec::new();
    }
    // The person's part ends at ";", at the next person or at a closing mark.
    let folded_start = doc.folded_range(from..from).start;
    let folded_rest = doc.folded_of(from..limit.max(from));
    // Where the char folded at `i` stands in `rest`.
    let written_at = |i: usize| doc.text_range(folded_start + i..folded_start + i).start - from;
    let mut end = rest.len();
    if let Some(i) = rest.find(';') {
        end = end.min(i);
    }
    // A line break ends the part unless the sentence goes on across it: a
    // line left open on a comma or a dash, or any line of hard-wrapped text.
    if doc.wrapped.is_none()
        && let Some(i) = rest
            .match_indices('\n')
            .map(|(i, _)| i)
            .find(|&i| !super::doc::ends_open(&rest[..i]))
    {
        end = end.min(i);
    }
    let marker = markers(doc, folded_start, folded_rest).min_by_key(|m| m.start());
    for m in [marker, RANK.find(folded_rest)].into_iter().flatten() {
        end = end.min(written_at(m.start()));
    }
    // Each closing word's occurrences as `str::match_indices` yields them
    // (left to right, not overlapping one another), from one automaton
    // pass; the part ends at the first one written in lower case. Words that
    // start where the part has already ended change nothing, so the search
    // stops a word's length after that.
    let end_folded = doc.folded_range(from..from + end).end - folded_start;
    let mut cut = folded_rest.len().min(end_folded + TITLE_END_MAX);
    while !folded_rest.is_char_boundary(cut) {
        cut += 1;
    }
    let searched = &folded_rest[..cut];
    let mut next_free = [0usize; TITLE_ENDS.len()];
    for m in TITLE_END_WORDS.find_overlapping_iter(searched) {
        let word = m.pattern().as_usize();
        if m.start() < next_free[word] {
            continue;
        }
        next_free[word] = m.end();
        // Verbs are written in lower case; "Trưởng ban Tổ chức" is a title.
        let at = written_at(m.start());
        let written = rest[at..].trim_start();
        let first = written.chars().next();
        // Folding merges "đọc" (to read) with "Giám đốc".
        if first.is_some_and(|c| !c.is_uppercase()) && !written.starts_with("đốc") {
            end = end.min(at);
        }
    }
    // "Nguyễn Ngọc Ánh, PBT TT ĐU xã và CT. UBND xã Lê Quang Vinh": the
    // titles after "và" belong to the person named after them.
    if let Some(i) = another_persons_titles(&rest[..end]) {
        end = i;
    }
    let part = &rest[..end];
    // "Trương Minh Quang (Phó Bí thư Thường trực Huyện uỷ)": titles in brackets.
    let bracketed = part
        .trim_start()
        .strip_prefix('(')
        .and_then(|inner| inner.split_once(')'))
        .map(|(inner, _)| inner)
        .filter(|inner| starts_with_title(&fold(inner)));
    let part = match bracketed {
        Some(inner) => inner.to_string(),
        None => strip_parentheses(part),
    };
    let part = glue_fix(&part);
    let mut titles: Vec<String> = Vec::new();
    for (piece, dash) in split_titles(&part) {
        let piece = piece.trim().trim_end_matches(['.', '…', ',']).trim();
        let piece = piece.trim_end_matches("...").trim();
        // "Trưởng Công an huyện và Trung tá Phạm Đức Long": the joining word
        // before the next person is no part of the title.
        let piece = [" và", " cùng"]
            .iter()
            .find_map(|w| piece.strip_suffix(w))
            .unwrap_or(piece)
            .trim();
        if piece.is_empty() {
            continue;
        }
        let folded = fold(piece);
        if folded.starts_with("phu trach") {
            continue;
        }
        let head =
            starts_with_title(&folded) || piece.split(' ').next().is_some_and(is_abbreviation);
        if head {
            titles.push(piece.to_string());
        } else if dash && !titles.is_empty() {
            // "Tài chính - Kế hoạch": a dash inside a title; "CT- HĐND": a split abbreviation.
            let last = titles.last_mut().expect("non-empty");
            if last.split(' ').count() == 1 && is_abbreviation(last) {
                last.push(' ');
            } else {
                last.push_str(" - ");
            }
            last.push_str(piece);
        } else {
            break;
        }
    }
    titles
}

/// Where " và " opens another person's titles in a person's part: a
/// capitalised title after it, and the part ending on a name led by a
/// surname ("… và CT. UBND xã Lê Quang Vinh").
fn another_persons_titles(part: &str) -> Option<usize> {
    let i = part.rfind(" và ")?;
    let after = &part[i + " và ".len()..];
    if !after.starts_with(char::is_uppercase) || !starts_with_title(&fold(after)) {
        return None;
    }
    let trimmed = after.trim_end_matches([' ', '.', ',']);
    let ends_on_name = trimmed.char_indices().any(|(at, c)| {
        c.is_uppercase()
            && trimmed[..at].ends_with(' ')
            && person_name(trimmed, at, true).is_some_and(|(_, span)| span.end == trimmed.len())
    });
    ends_on_name.then_some(i)
}

fn strip_parentheses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// "TT.Đảng ủy" → "TT Đảng ủy".
fn glue_fix(s: &str) -> String {
    static GLUED: LazyLock<WordRegex> =
        LazyLock::new(|| WordRegex::new(r"\b(\p{Lu}{2,})\.(\p{Lu})").expect("glued pattern"));
    GLUED.replace_all(s, "$1 $2").into_owned()
}

/// Splits on commas and on dashes; each piece says whether a dash (not a
/// comma) came before it.
fn split_titles(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut dash = false;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // "Trâm-HUV-Bí thư Đảng ủy xã": a hyphen without spaces parts
        // titles when a title opens after it ("CT-HĐND" is one title).
        let glued_title = || {
            let rest: String = chars[i + 1..].iter().take(24).collect();
            starts_with_title(&fold(&rest))
        };
        let is_dash = matches!(c, '–' | '—')
            || (c == '-'
                && (chars.get(i + 1).is_some_and(|n| n.is_whitespace())
                    || i.checked_sub(1)
                        .and_then(|p| chars.get(p))
                        .is_some_and(|p| p.is_whitespace())
                    || glued_title()));
        if c == ',' || c == ':' || is_dash {
            out.push((std::mem::take(&mut current), dash));
            dash = is_dash;
        } else {
            current.push(c);
        }
    }
    out.push((current, dash));
    out.into_iter()
        .filter(|(p, _)| !p.trim().is_empty())
        .collect()
}

/// The titles written right before a name, in the news style "Ủy viên Ban
/// Thường vụ Tỉnh ủy, Bí thư Huyện ủy Nguyễn Văn A": comma-separated
/// titles, each opening on a capitalised title word, the first possibly
/// after a lead-in ("Dự hội nghị có Bí thư Huyện ủy …").
fn titles_before(before: &str) -> Vec<String> {
    if !before.ends_with(' ') {
        return Vec::new();
    }
    let mut titles = Vec::new();
    let mut end = before.trim_end().len();
    while titles.len() < 4 {
        // A dot inside a sentence is an abbreviation's ("CT. UBND xã"); "và"
        // closes another person's titles ("…, PBT TT ĐU xã và CT. UBND xã").
        let segment_start = before[..end]
            .rfind([',', ';', ':', '(', ')', '"', '“', '”', '–', '-'])
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            })
            .max(before[..end].rfind(" và ").map_or(0, |i| i + " và ".len()));
        let segment = &before[segment_start..end];
        // "Chủ tịch Ủy ban MTTQ phường Trần Thị Bích Ngọc và Bí thư Chi bộ tổ
        // dân phố số 12 Hoàng Văn Chiến": a title too long to be one holds
        // another person's; the last one is this person's.
        let Some(head) =
            title_heads_in(segment).find(|&head| segment[head..].split_whitespace().count() <= 12)
        else {
            break;
        };
        let title = segment[head..].trim();
        titles.push(title.to_string());
        let lead_in = !segment[..head].trim().is_empty();
        if lead_in || segment_start == 0 || !before[..segment_start].ends_with(',') {
            break;
        }
        end = segment_start - 1;
    }
    titles.reverse();
    titles
}

/// Where titles open in `segment`, in order: capitalised words that start
/// a title ("Phó Bí thư …", "Chủ tịch …"). Words that are also surnames or
/// common nouns ("Nguyên", "Ban", "Phó" alone) do not open one here.
fn title_heads_in(segment: &str) -> impl Iterator<Item = usize> + '_ {
    const NOT_HERE: &[&str] = &["nguyen", "ban", "pho", "can bo", "van phong", "thanh vien"];
    segment
        .char_indices()
        .filter(|&(i, c)| {
            c.is_uppercase()
                && segment[..i]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, _)| i)
        // "Trường" (a school) folds like "Trưởng" (a head).
        .filter(|&i| !segment[i..].starts_with("Trường"))
        .filter(|&i| {
            let folded = fold(&segment[i..]);
            TITLE_HEADS
                .iter()
                .any(|h| !NOT_HERE.contains(h) && opens_with(&folded, h))
        })
}

fn starts_with_title(folded: &str) -> bool {
    TITLE_HEADS.iter().any(|h| opens_with(folded, h))
}

/// Whether folded words open with the title word `head` ("pho bi thu …").
fn opens_with(folded: &str, head: &str) -> bool {
    folded
        .strip_prefix(head)
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !is_alphanumeric(c)))
}

fn is_abbreviation(word: &str) -> bool {
    let letters = word.chars().filter(|&c| is_alphabetic(c)).count();
    letters >= 2
        && word.chars().all(|c| c.is_uppercase() || c == '.')
        // Bodies, not offices: "CT- HĐND", "CT- UBMTTQVN xã" is one title.
        && ![
            "UBND", "HĐND", "MTTQ", "MTTQVN", "UBMTTQ", "UBMTTQVN", "UBKT",
        ]
        .contains(&word)
}

/// The signer of an official report: the name line after "BÍ THƯ" or "PHÓ
/// BÍ THƯ" in the signature block.
fn signatures(doc: &Doc<'_>) -> Vec<(String, Range<usize>, String)> {
    let mut out = Vec::new();
    // A signature block printed beside the "Nơi nhận" list shares its
    // lines: the block is the last column. Columns are cut only where a
    // signature may be, not on every line of the text.
    let column = |line: &super::doc::Line| super::doc::last_column(doc.text, line.range.clone());
    let lines = &doc.lines;
    for (i, line) in lines.iter().enumerate() {
        // Every title below holds "bi thu"; a line without it has none.
        if !doc.folded_of(line.range.clone()).contains("bi thu") {
            continue;
        }
        let folded = doc.folded_of(column(line)).trim();
        // "Nơi nhận: BÍ THƯ", the columns run together.
        let folded = folded
            .strip_prefix("noi nhan:")
            .map_or(folded, str::trim_start);
        // "K/T BÍ THƯ" over "PHÓ BÍ THƯ": a deputy signs for the secretary,
        // under the deputy's own title on the next line.
        let deputy_next = || {
            lines[i + 1..]
                .iter()
                .map(|l| doc.folded_of(column(l)).trim())
                .find(|l| !l.is_empty())
                .is_some_and(|l| l.starts_with("pho bi thu"))
        };
        let title = match folded {
            "k/t bi thu" if deputy_next() => continue,
            "bi thu" | "k/t bi thu" => "Bí thư",
            "pho bi thu" => "Phó Bí thư",
            "pho bi thu thuong truc" => "Phó Bí thư Thường trực",
            _ => continue,
        };
        // The name comes a few lines down, past "(Đã ký)" and, in a
        // flattened two-column layout, the "Nơi nhận" list beside it.
        let signer = lines[i + 1..]
            .iter()
            .map(|l| super::doc::trim_range(doc.text, column(l)))
            .filter(|r| !r.is_empty())
            .take(8)
            .find_map(|r| {
                person_name(doc.text, r.start, false).filter(|(_, span)| span.end == r.end)
            });
        if let Some((name, span)) = signer {
            out.push((name, span, title.to_string()));
        }
    }
    out
}
