//! Word's automatic numbering (`word/numbering.xml`): the "I.", "1.", "a)"
//! and bullets that Word draws in front of list paragraphs but that are not
//! in the paragraph's text. Reports number their sections this way, so the
//! labels are put back in front of the text.
//!
//! Only numbering set on the paragraph itself (`w:numPr`) is known; numbering
//! that comes from a paragraph style is not followed.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// How one level of a list draws its label.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    /// `decimal`, `upperRoman`, `lowerLetter`, `bullet`, `none`…
    format: String,
    /// The label pattern: `%1.`, `%1.%2.`, or a bullet character.
    text: String,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    /// `w:startOverride` per level.
    starts: HashMap<usize, u32>,
}

/// The lists of one document and where each one's counters stand.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<u32>; 9]>,
}

fn attribute(element: &BytesStart<'_>, local_name: &str) -> Option<String> {
    element.attributes().flatten().find_map(|attribute| {
        (attribute.key.local_name().as_ref() == local_name)
            .then(|| attribute.value.clone().into_owned())
    })
}

impl Numbering {
    /// Reads `word/numbering.xml`. A broken part yields what was read before
    /// the break: numbering is decoration, not a reason to refuse a file.
    pub(super) fn parse(xml: &str) -> Numbering {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut num: Option<(String, Num)> = None;
        let mut override_level: Option<usize> = None;
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(element) | Event::Empty(element) => {
                    let value = attribute(&element, "val");
                    match element.local_name().as_ref() {
                        "abstractNum" => abstract_id = attribute(&element, "abstractNumId"),
                        "lvl" if num.is_none() => {
                            let index = attribute(&element, "ilvl").and_then(|v| v.parse().ok());
                            level = index.map(|index| {
                                (
                                    index,
                                    Level {
                                        start: 1,
                                        ..Level::default()
                                    },
                                )
                            });
                        }
                        "start" => {
                            if let (Some((_, level)), Some(start)) =
                                (level.as_mut(), value.and_then(|v| v.parse().ok()))
                            {
                                level.start = start;
                            }
                        }
                        "numFmt" => {
                            if let (Some((_, level)), Some(format)) = (level.as_mut(), value) {
                                level.format = format;
                            }
                        }
                        "lvlText" => {
                            if let (Some((_, level)), Some(text)) = (level.as_mut(), value) {
                                level.text = text;
                            }
                        }
                        "num" => {
                            num = attribute(&element, "numId").map(|id| (id, Num::default()));
                        }
                        "abstractNumId" => {
                            if let (Some((_, num)), Some(id)) = (num.as_mut(), value) {
                                num.abstract_id = id;
                            }
                        }
                        "lvlOverride" => {
                            override_level =
                                attribute(&element, "ilvl").and_then(|v| v.parse().ok());
                        }
                        "startOverride" => {
                            if let (Some((_, num)), Some(index), Some(start)) = (
                                num.as_mut(),
                                override_level,
                                value.and_then(|v| v.parse().ok()),
                            ) {
                                num.starts.insert(index, start);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(element) => match element.local_name().as_ref() {
                    "lvl" => {
                        if let (Some(id), Some((index, done))) = (&abstract_id, level.take())
                            && index < 9
                        {
                            let levels = numbering.abstracts.entry(id.clone()).or_default();
                            if levels.len() <= index {
                                levels.resize(index + 1, Level::default());
                            }
                            levels[index] = done;
                        }
                    }
                    "abstractNum" => abstract_id = None,
                    "num" => {
                        if let Some((id, done)) = num.take() {
                            numbering.nums.insert(id, done);
                        }
                    }
                    "lvlOverride" => override_level = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        numbering
    }

    /// The label of the next paragraph of list `num_id` at `level`, and
    /// advances the list's counters. `None` for an unknown list.
    pub(super) fn next_label(&mut self, num_id: &str, level: usize) -> Option<String> {
        let num = self.nums.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        let this = levels.get(level)?;
        let start_of = |index: usize| {
            num.starts
                .get(&index)
                .copied()
                .unwrap_or_else(|| levels.get(index).map_or(1, |level| level.start))
        };
        let counters = self.counters.entry(num_id.to_owned()).or_insert([None; 9]);
        counters[level] = Some(counters[level].map_or_else(|| start_of(level), |n| n + 1));
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        match this.format.as_str() {
            "bullet" => return Some(bullet(&this.text)),
            "none" => return Some(this.text.clone()).filter(|text| !text.contains('%')),
            _ => {}
        }
        let mut label = this.text.clone();
        for (index, level_format) in levels.iter().enumerate().take(level + 1) {
            let value = counters[index].unwrap_or_else(|| start_of(index));
            label = label.replace(
                &format!("%{}", index + 1),
                &format_number(value, &level_format.format),
            );
        }
        Some(label)
    }
}

/// A bullet as text: symbol-font and round bullets become "-", as Vietnamese
/// reports write them by hand.
fn bullet(text: &str) -> String {
    match text.trim() {
        "-" | "+" | "*" | "–" => text.trim().to_owned(),
        _ => "-".to_owned(),
    }
}

fn format_number(value: u32, format: &str) -> String {
    match format {
        "upperRoman" => crate::text::roman(value),
        "lowerRoman" => crate::text::roman(value).to_lowercase(),
        "upperLetter" => letter(value),
        "lowerLetter" => letter(value).to_lowercase(),
        "decimalZero" => format!("{value:02}"),
        _ => value.to_string(),
    }
}

/// 1 → A, 26 → Z, 27 → AA, as Word counts letters.
fn letter(value: u32) -> String {
    if value == 0 {
        return String::new();
    }
    let index = (value - 1) % 26;
    let repeat = (value - 1) / 26 + 1;
    let character = char::from(b'A' + index as u8);
    std::iter::repeat_n(character, repeat as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="5"><w:abstractNumId w:val="0"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn labels_count_per_level_and_restart_deeper_levels() {
        let mut numbering = Numbering::parse(NUMBERING);
        let labels: Vec<Option<String>> = [
            ("3", 0),
            ("3", 1),
            ("3", 1),
            ("3", 2),
            ("3", 0),
            ("3", 1),
            ("4", 0),
            ("5", 0),
            ("9", 0),
        ]
        .into_iter()
        .map(|(num, level)| numbering.next_label(num, level))
        .collect();
        let expected =
            ["I.", "1.", "2.", "a)", "II.", "1.", "-", "III."].map(|label| Some(label.to_owned()));
        assert_eq!(labels[..8], expected);
        assert_eq!(labels[8], None, "an unknown list has no label");
    }

    #[test]
    fn numbers_are_drawn_in_words_formats() {
        assert_eq!(crate::text::roman(14), "XIV");
        assert_eq!(crate::text::roman(1994), "MCMXCIV");
        assert_eq!(letter(1), "A");
        assert_eq!(letter(28), "BB");
        assert_eq!(format_number(7, "decimalZero"), "07");
    }
}
