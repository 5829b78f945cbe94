//! The parser's view of one text: the folded copy that keyword rules match
//! on (lower case, no diacritics, so both tone placements and any Unicode
//! form match alike), the map from folded offsets back to the text, the
//! lines, which of them are page chrome, and the sentences of the body.
//!
//! **Invariant:** every range handed out is a byte range of the normalised
//! text on char boundaries.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::{fold_char, is_alphanumeric};

use super::chrome;

pub(crate) struct Doc<'a> {
    pub text: &'a str,
    /// The text folded char by char.
    pub folded: String,
    /// For each byte of `folded`, the byte offset in `text` of the char it came
    /// from; one more entry for the end.
    to_text: Vec<u32>,
    /// For each byte offset of `text` on a char boundary, the folded offset.
    to_folded: Vec<u32>,
    pub lines: Vec<Line>,
    /// Sentences of the body (chrome lines left out), as text ranges.
    pub sentences: Vec<Range<usize>>,
    /// Where the body ends: the first chrome block after the article
    /// ("Tin liên quan", comment forms, "Nơi nhận" with no appendix after
    /// it…), or the end of the text.
    pub body_end: usize,
    /// The line width of a hard-wrapped text (see [`Doc::wrap_width`]).
    pub wrapped: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub range: Range<usize>,
    pub chrome: bool,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let mut folded = String::with_capacity(text.len());
        let mut to_text = Vec::with_capacity(text.len() + 1);
        let mut to_folded = vec![0u32; text.len() + 1];
        for (at, c) in text.char_indices() {
            to_folded[at] = folded.len() as u32;
            if let Some(f) = fold_char(c) {
                let before = folded.len();
                folded.push(f);
                to_text.extend(std::iter::repeat_n(at as u32, folded.len() - before));
            }
        }
        to_folded[text.len()] = folded.len() as u32;
        to_text.push(text.len() as u32);

        // A wide gap inside a line separates the columns of a flattened
        // two-column layout ("ĐẢNG BỘ HUYỆN …      ĐẢNG CỘNG SẢN VIỆT NAM",
        // "Số: 87-BC/ĐU      Tùng Ảnh, ngày …"): each column is a line.
        const COLUMN_GAP: usize = 4;
        // Tabs survive normalisation only between a table row's cells: they
        // separate cells, never two columns of a layout, so they add no width.
        let mut lines = Vec::new();
        let mut start = 0;
        // A gap with a tab in it parts a table row's cells, not columns.
        let mut gap: Option<(usize, usize, bool)> = None;
        for (at, c) in text.char_indices() {
            if c == ' ' || c == '\t' {
                let (gap_start, count, tab) = gap.unwrap_or((at, 0, false));
                gap = Some((gap_start, count + usize::from(c == ' '), tab || c == '\t'));
                continue;
            }
            if let Some((gap_start, count, tab)) = gap.take()
                && count >= COLUMN_GAP
                && !tab
                && c != '\n'
                && !text[start..gap_start].trim().is_empty()
            {
                lines.push(Line {
                    range: start..gap_start,
                    chrome: false,
                });
                start = at;
            }
            if c == '\n' {
                lines.push(Line {
                    range: start..at,
                    chrome: false,
                });
                start = at + 1;
            }
        }
        lines.push(Line {
            range: start..text.len(),
            chrome: false,
        });
        if let Some(first) = lines
            .iter()
            .position(|l| !text[l.range.clone()].trim().is_empty())
        {
            let flat = lines[first].range.clone();
            let breaks = unflatten(text, flat.clone());
            if !breaks.is_empty() {
                let mut from = flat.start;
                let pieces: Vec<Line> = breaks
                    .into_iter()
                    .chain([flat.end])
                    .map(|to| {
                        let piece = from..to;
                        from = to;
                        Line {
                            range: piece,
                            chrome: false,
                        }
                    })
                    .collect();
                lines.splice(first..=first, pieces);
            }
        }

        let mut doc = Doc {
            text,
            folded,
            to_text,
            to_folded,
            lines,
            sentences: Vec::new(),
            body_end: text.len(),
            wrapped: None,
        };
        chrome::mark(&mut doc);
        doc.wrapped = doc.wrap_width();
        doc.sentences = doc.split_sentences();
        doc.join_folded_lines();
        doc
    }

    /// A sentence that goes on across lines reads as one line to every
    /// keyword rule: its line breaks fold to spaces, and so does a chrome
    /// line inside it, such as a page number (one byte for one, so every
    /// offset stays).
    fn join_folded_lines(&mut self) {
        let mut bytes = std::mem::take(&mut self.folded).into_bytes();
        let mut chrome = self.lines.iter().filter(|l| l.chrome).peekable();
        for sentence in &self.sentences {
            let range = self.folded_range(sentence.clone());
            for b in &mut bytes[range] {
                if *b == b'\n' {
                    *b = b' ';
                }
            }
            while chrome.peek().is_some_and(|l| l.range.start < sentence.end) {
                let line = chrome.next().map(|l| l.range.clone()).unwrap_or_default();
                if line.start > sentence.start && line.end < sentence.end {
                    for b in &mut bytes[self.folded_range(line)] {
                        if b.is_ascii() {
                            *b = b' ';
                        }
                    }
                }
            }
        }
        self.folded = String::from_utf8(bytes).expect("ASCII for ASCII keeps UTF-8");
    }

    /// The text range a folded range came from.
    pub fn text_range(&self, folded: Range<usize>) -> Range<usize> {
        let start = self.to_text[folded.start.min(self.folded.len())] as usize;
        let end = self.to_text[folded.end.min(self.folded.len())] as usize;
        start..end.max(start)
    }

    /// The folded range of a text range (both ends on char boundaries).
    pub fn folded_range(&self, text: Range<usize>) -> Range<usize> {
        let start = self.boundary(text.start);
        let end = self.boundary(text.end).max(start);
        self.to_folded[start] as usize..self.to_folded[end] as usize
    }

    /// The nearest char boundary at or before `at`, within the text.
    pub fn boundary(&self, at: usize) -> usize {
        floor(self.text, at)
    }

    pub fn folded_of(&self, text: Range<usize>) -> &str {
        &self.folded[self.folded_range(text)]
    }

    /// Lines of the body that are not chrome, in order.
    pub fn body_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines
            .iter()
            .filter(|line| !line.chrome && line.range.start < self.body_end)
    }

    /// Splits the body into sentences: at ". ", "!", "?", "…" and at line
    /// breaks that end a sentence. A break inside a sentence (the next line
    /// goes on in lower case after a line with no closing mark) joins.
    fn split_sentences(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut current: Option<Range<usize>> = None;
        // The characters of the line before, for the width test.
        let mut line_before = 0;
        // Blank lines since the last line of text.
        let mut gap = false;
        for line in self.body_lines() {
            let trimmed = trim_range(self.text, line.range.clone());
            if trimmed.is_empty() {
                gap = true;
                continue;
            }
            let after_gap = std::mem::take(&mut gap);
            let joins = current.as_ref().is_some_and(|previous| {
                let before = self.text[previous.clone()].trim_end();
                let first = self.text[trimmed.clone()].chars().next().unwrap_or(' ');
                let line = &self.text[trimmed.clone()];
                if after_gap {
                    // A page break in text copied from a PDF: blank lines and
                    // a page number (chrome) inside a sentence, which goes on
                    // in lower case ("trong đó 03 chi bộ ⏎⏎2⏎⏎hoàn thành …").
                    let item = line
                        .split_once([')', '.'])
                        .is_some_and(|(head, _)| head.chars().count() == 1);
                    return self.wrapped.is_some()
                        && !ends_closed(before)
                        && !ends_with_heading(before)
                        && first.is_lowercase()
                        && !item;
                }
                // "1.230 con" goes on; "1. Phấn đấu" and "2) …" start an item.
                let list_item = first.is_ascii_digit() && {
                    let after_digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
                    after_digits.starts_with(['.', ')'])
                        && !after_digits[1..].starts_with(|c: char| c.is_ascii_digit())
                };
                // "… có 63/68 TCCSĐ (92,65%)" / "hoàn thành tốt …": a bracket
                // closes no sentence that goes on in lower case, unless it
                // was the whole line ("(Trình Hội nghị …)").
                let last_line = before.rsplit('\n').next().unwrap_or(before);
                let bracket_goes_on = before.ends_with(')')
                    && first.is_lowercase()
                    && !last_line.trim_start().starts_with('(');
                let closed = ends_closed(before) && !bracket_goes_on;
                // A sentence never ends on a comma or a dash; in hard-wrapped
                // text a full-width line goes on whatever the next begins with.
                let open = ends_open(before)
                    || self
                        .wrapped
                        .is_some_and(|width| line_before * 5 >= width * 4 && !list_item);
                // A prose line that stops on a word ("…; tỉ lệ tham gia" /
                // "BHYT đạt 96%.") was broken inside its sentence.
                let prose_cut = last_line.ends_with(char::is_lowercase)
                    && last_line.chars().count() >= 80
                    && (last_line.contains(';') || last_line.matches(',').count() >= 2)
                    && !list_item
                    && !line.starts_with(['-', '+', '•', '*', '–']);
                !closed
                    && (open
                        || prose_cut
                        || first.is_lowercase()
                        || first.is_ascii_digit() && !list_item)
            });
            if !joins {
                out.extend(current.take());
            }
            line_before = self.text[trimmed.clone()].chars().count();
            for (k, piece) in split_line(self.text, trimmed).into_iter().enumerate() {
                current = match current.take() {
                    Some(previous) if k == 0 && joins => Some(previous.start..piece.end),
                    previous => {
                        out.extend(previous);
                        Some(piece)
                    }
                };
                if current
                    .as_ref()
                    .is_some_and(|c| self.text[c.clone()].ends_with(['.', '!', '?', '…']))
                {
                    out.extend(current.take());
                }
            }
        }
        out.extend(current.take());
        out
    }
}

impl Doc<'_> {
    /// The width of a hard-wrapped text: set when at least two full lines
    /// break mid-sentence (no closing mark, the next line going on in lower
    /// case), as text copied from a PDF does; the longest such line.
    fn wrap_width(&self) -> Option<usize> {
        let lines: Vec<&str> = self
            .body_lines()
            .map(|line| self.text[line.range.clone()].trim())
            .collect();
        let breaks: Vec<usize> = lines
            .windows(2)
            .filter(|pair| {
                let (line, next) = (pair[0], pair[1]);
                line.chars().count() >= 60
                    && !ends_closed(line)
                    && next.starts_with(char::is_lowercase)
            })
            .map(|pair| pair[0].chars().count())
            .collect();
        (breaks.len() >= 2).then(|| breaks.into_iter().max().unwrap_or_default())
    }
}

/// Where an official report flattened into one paragraph (its line breaks
/// lost on the way) would break its lines: around the header's units, the
/// number, "ĐẢNG CỘNG SẢN VIỆT NAM", the place-and-date line and the title,
/// and before section headings, bullets after a stop, "Nơi nhận" and the
/// signature; a heading in capitals ends where a sentence in ordinary case
/// begins ("… CÁC CHỈ TIÊU CHỦ YẾU Sau hai năm …"). Empty unless the line
/// is long and opens on a document header.
fn unflatten(text: &str, line: Range<usize>) -> Vec<usize> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:ĐẢNG BỘ|ĐẢNG ỦY|ĐẢNG UỶ|HUYỆN ỦY|HUYỆN UỶ|TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|QUẬN ỦY|QUẬN UỶ|THỊ ỦY|THỊ UỶ|CHI BỘ|BAN THƯỜNG VỤ|BAN CHẤP HÀNH) |\* |ĐẢNG CỘNG SẢN VIỆT NAM|BÁO CÁO",
        )
        .expect("flattened header pattern")
    });
    static ENDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"ĐẢNG CỘNG SẢN VIỆT NAM |\* |Số:? ?\d{1,4} ?[-–]? ?[A-Z]{1,4} ?/ ?[A-ZĐ]{1,8}\b|\b(?:\p{Lu}\p{Ll}* ){0,3}\p{Lu}\p{Ll}+, ngày \d{1,2} tháng \d{1,2} năm \d{4}",
        )
        .expect("flattened header items pattern")
    });
    static BODY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:Thực hiện|Căn cứ|Thi hành|Phần thứ|PHẦN THỨ|Nơi nhận:|T/M |TM\. |K/T |(?:PHÓ )?BÍ THƯ\b|[IVX]{1,4}\. \p{Lu}|\d{1,2}\. \p{Lu})|[.;:,] (?:[-+] \p{Lu})",
        )
        .expect("flattened body pattern")
    });
    let flat = &text[line.clone()];
    if flat.len() < 1000 {
        return Vec::new();
    }
    let head = &flat[..floor(flat, 600)];
    let Some(report) = head.find("BÁO CÁO") else {
        return Vec::new();
    };
    if !head.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && !head[..report].contains("Số") {
        return Vec::new();
    }
    let mut breaks = Vec::new();
    for m in HEADER.find_iter(&flat[..report + "BÁO CÁO".len()]) {
        breaks.push(m.start());
    }
    for m in ENDS.find_iter(&flat[..report]) {
        breaks.push(m.start());
        breaks.push(m.end());
    }
    for m in BODY.find_iter(&flat[report..]) {
        let at = report + m.start();
        // "…, - Phát huy": the break falls before the bullet.
        let at = at
            + m.as_str()
                .find(['-', '+'])
                .filter(|_| m.as_str().starts_with(['.', ';', ':', ',']))
                .unwrap_or(0);
        breaks.push(at);
    }
    // A heading in capitals of three words or more ends before a word in
    // ordinary case or a bullet ("II. HẠN CHẾ - Tiến độ …").
    let mut capitals = 0;
    let mut offset = 0;
    for word in flat.split(' ') {
        let letters = || word.chars().filter(|c| c.is_alphabetic());
        let upper = letters().count() > 0 && letters().all(char::is_uppercase);
        let title = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).any(char::is_lowercase);
        let bullet = word == "-" || word == "+";
        if (title || bullet) && capitals >= 3 {
            breaks.push(offset);
        }
        // Years and numbers inside a heading ("NĂM 2024") keep it going.
        let number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
        capitals = if upper || number && capitals > 0 {
            capitals + 1
        } else {
            0
        };
        offset += word.len() + 1;
    }
    let mut breaks: Vec<usize> = breaks
        .into_iter()
        .filter(|&at| at > 0 && at < flat.len() && flat.is_char_boundary(at))
        .map(|at| line.start + at)
        .collect();
    breaks.sort_unstable();
    breaks.dedup();
    breaks
}

/// The nearest char boundary of `s` at or before `at`, within `s`.
pub(crate) fn floor(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether the last line of a text is a heading in capitals ("I. KẾT QUẢ").
fn ends_with_heading(text: &str) -> bool {
    let last = text.rsplit('\n').next().unwrap_or(text);
    !last.chars().any(char::is_lowercase)
}

/// Whether a line ends on a mark that closes a sentence.
fn ends_closed(line: &str) -> bool {
    line.ends_with(['.', ';', ':', '!', '?', '…', '"', '”', ')'])
}

/// Whether a line stops where no sentence can end: on a comma or a dash.
pub(crate) fn ends_open(line: &str) -> bool {
    line.trim_end().ends_with([',', '-', '–'])
}

/// The last column of a line laid out in columns with tabs or runs of
/// spaces ("- Lưu Văn phòng Đảng ủy.\t\t\tTrần Văn Hưng" → "Trần Văn
/// Hưng"); the whole line when it has one column.
pub(crate) fn last_column(text: &str, line: Range<usize>) -> Range<usize> {
    let content = text[line.clone()].trim_end();
    let mut column = 0;
    let mut gap_start = None;
    let mut seen_text = false;
    for (at, c) in content.char_indices() {
        if c == ' ' || c == '\t' {
            gap_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = gap_start.take() {
            let gap = &content[start..at];
            if seen_text && (gap.contains('\t') || gap.len() >= 3) {
                column = at;
            }
        }
        seen_text = true;
    }
    line.start + column..line.end
}

/// The range without leading and trailing white space.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    start..end.max(start)
}

/// Abbreviations written with a dot before a name or a place ("Đc. Trần
/// Hải Châu", "TP. Biên Hòa", "ThS. Lê Văn A"), folded.
const ABBREVIATIONS: &[&str] = &[
    "dc", "d/c", "tp", "ths", "ts", "pgs", "gs", "bs", "ks", "tx", "q", "h", "p",
];

/// Whether a word (as written or folded) is one of the abbreviations
/// written with a dot before a name or a place.
pub(crate) fn abbreviation(word: &str) -> bool {
    word.chars().count() <= 3 && ABBREVIATIONS.contains(&crate::text::fold(word).as_str())
}

/// Splits one line at sentence ends: ".", "!", "?", "…" followed by a space
/// and a capital letter, digit or quote. A dot between digits ("94.32") or
/// after a one- or two-letter abbreviation ("TT.") or a title or place
/// abbreviation ("Đc.", "TP.") does not end one.
fn split_line(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let slice = &text[range.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let after = chars.get(i + 2).map(|&(_, c)| c);
        let ends = match (next, after) {
            (Some(' '), Some(a)) => {
                a.is_uppercase() || a.is_ascii_digit() || matches!(a, '"' | '“' | '(' | '-' | '+')
            }
            _ => false,
        };
        if !ends {
            continue;
        }
        if c == '.' {
            let word: String = chars[..i]
                .iter()
                .rev()
                .map(|&(_, c)| c)
                .take_while(|&c| is_alphanumeric(c) || c == '/')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            // "đạt 112,5% KH. Kết quả …": what a rate is measured
            // against closes a sentence; "TT. Đảng ủy" does not.
            let short_capitals = word.chars().count() <= 2
                && word.chars().all(|c| c.is_uppercase())
                && !word.is_empty()
                && !["KH", "NQ", "CK"].contains(&word.as_str());
            // "Đ/c Trương Văn Lộc - PBT. TT Đảng ủy xã": a title's
            // abbreviation in capitals asks for what follows it.
            let title = [
                "PBT", "PCT", "UVBTV", "BTV", "HUV", "TUV", "ĐUV", "PGĐ", "UVTV",
            ]
            .contains(&word.as_str());
            if short_capitals || title || abbreviation(&word) {
                continue;
            }
        }
        let end = at + c.len_utf8();
        out.push(range.start + start..range.start + end);
        start = end;
    }
    if start < slice.len() {
        out.push(trim_range(text, range.start + start..range.end));
    }
    out.into_iter()
        .map(|r| trim_range(text, r))
        .filter(|r| !r.is_empty())
        .collect()
}
