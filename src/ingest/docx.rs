//! Word documents (`.docx`, Office Open XML): the text of
//! `word/document.xml` in reading order.
//!
//! Each paragraph becomes a line. Each table row becomes one line with its
//! cells joined by [`CELL_SEPARATOR`]; a cell spanning several grid columns
//! is padded with empty cells so the columns of a row line up with its
//! header's. Paragraphs inside a cell are joined with spaces. Text boxes come
//! out as their own lines; deleted revisions, field codes and the fallback
//! copies of drawings are left out. List paragraphs get back the labels Word
//! draws for them ("I.", "1.", "a)", "-"), from `word/numbering.xml`. Headers, footers and footnotes are not
//! part of the body and are not read.

mod numbering;

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{CELL_SEPARATOR, Document, ReadError, Submission, tidy_lines};
use numbering::Numbering;

/// The most `word/document.xml` may unpack to; a larger one is refused
/// rather than read into memory.
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// Reads a Word document's body as one submission.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    let mut archive = open(bytes)?;
    let xml = part(&mut archive, "word/document.xml")?
        .ok_or_else(|| invalid("it has no word/document.xml"))?;
    let numbering = part(&mut archive, "word/numbering.xml")?
        .map(|xml| Numbering::parse(&xml))
        .unwrap_or_default();
    let text = body_text(&xml, numbering)?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Document::single(Submission {
        text,
        source_url: String::new(),
        source_name: name.to_owned(),
        line: None,
    }))
}

fn invalid(reason: impl Into<String>) -> ReadError {
    ReadError::InvalidDocx(reason.into())
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Archive<'_>, ReadError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(invalid(
            "an old Word 97-2003 or password-protected file, not .docx; save it as .docx without a password",
        ));
    }
    zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| invalid(format!("not a ZIP archive ({error})")))
}

/// Unpacks one XML part of the archive, if it is there.
fn part(archive: &mut Archive<'_>, name: &str) -> Result<Option<String>, ReadError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(other) => return Err(invalid(format!("cannot open {name} ({other})"))),
    };
    let mut xml = Vec::new();
    entry
        .take(MAX_DOCUMENT_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|error| invalid(format!("cannot unpack {name} ({error})")))?;
    if xml.len() as u64 > MAX_DOCUMENT_XML {
        return Err(invalid(format!(
            "{name} unpacks to more than {} MiB",
            MAX_DOCUMENT_XML / 1024 / 1024
        )));
    }
    String::from_utf8(xml)
        .map(Some)
        .map_err(|_| invalid(format!("{name} is not UTF-8")))
}

/// One table being read: the row under construction and its cell.
#[derive(Default)]
struct Table {
    row: Vec<String>,
    cell: Option<String>,
    /// The current cell's `w:gridSpan`.
    span: usize,
}

/// A paragraph being read, and the list it belongs to (`w:numPr`).
#[derive(Default)]
struct Paragraph {
    text: String,
    num_id: Option<String>,
    level: usize,
}

#[derive(Default)]
struct Walker {
    lines: Vec<String>,
    /// Open paragraphs: more than one when a text box sits inside a paragraph.
    paragraphs: Vec<Paragraph>,
    numbering: Numbering,
    tables: Vec<Table>,
    /// Inside `w:t` (text we keep) rather than `w:instrText` or `w:delText`.
    in_text: bool,
    /// Depth inside elements whose content is skipped (`mc:Fallback`, `w:del`).
    skipping: usize,
}

impl Walker {
    fn push_str(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.text.push_str(text);
        }
    }

    /// Somewhere a finished piece of text (a paragraph or a nested table's
    /// row) goes: the open cell, or a line of its own.
    fn emit(&mut self, text: String) {
        match self.tables.last_mut().and_then(|table| table.cell.as_mut()) {
            Some(cell) => {
                if !text.trim().is_empty() {
                    if !cell.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(text.trim());
                }
            }
            None => self.lines.push(text),
        }
    }

    fn start(&mut self, element: &BytesStart<'_>) {
        if self.skipping > 0 {
            self.skipping += 1;
            return;
        }
        match element.local_name().as_ref() {
            "Fallback" | "del" | "instrText" | "delText" | "pPrChange" => self.skipping = 1,
            "p" => self.paragraphs.push(Paragraph::default()),
            "t" => self.in_text = true,
            "tbl" => self.tables.push(Table::default()),
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.row.clear();
                }
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell = Some(String::new());
                    table.span = 1;
                }
            }
            _ => self.empty(element),
        }
    }

    /// Elements that carry meaning without content, whether written
    /// `<w:tab/>` or `<w:tab></w:tab>`.
    fn empty(&mut self, element: &BytesStart<'_>) {
        if self.skipping > 0 {
            return;
        }
        match element.local_name().as_ref() {
            "tab" if self.paragraphs.last().is_some() => self.push_str("\t"),
            "br" | "cr" => self.push_str("\n"),
            "noBreakHyphen" => self.push_str("-"),
            "gridSpan" => {
                let span = attribute(element, "val").and_then(|value| value.parse().ok());
                if let (Some(table), Some(span)) = (self.tables.last_mut(), span) {
                    table.span = usize::clamp(span, 1, 64);
                }
            }
            "p" => self.emit(String::new()),
            "numId" => {
                if let Some(paragraph) = self.paragraphs.last_mut() {
                    paragraph.num_id = attribute(element, "val").filter(|id| id != "0");
                }
            }
            "ilvl" => {
                let level = attribute(element, "val").and_then(|value| value.parse().ok());
                if let (Some(paragraph), Some(level)) = (self.paragraphs.last_mut(), level) {
                    paragraph.level = usize::min(level, 8);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, local_name: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        match local_name {
            "t" => self.in_text = false,
            "p" => {
                let paragraph = self.paragraphs.pop().unwrap_or_default();
                let label = paragraph
                    .num_id
                    .as_deref()
                    .and_then(|num_id| self.numbering.next_label(num_id, paragraph.level));
                let paragraph = match label {
                    Some(label) if !label.is_empty() && !paragraph.text.trim().is_empty() => {
                        format!("{label} {}", paragraph.text.trim_start())
                    }
                    _ => paragraph.text,
                };
                // A text box's paragraph ends inside its anchor paragraph:
                // it becomes a line of its own.
                if self.paragraphs.is_empty() {
                    self.emit(paragraph);
                } else {
                    self.lines.push(paragraph);
                }
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    let cell = table.cell.take().unwrap_or_default();
                    table.row.push(cell);
                    for _ in 1..table.span {
                        table.row.push(String::new());
                    }
                }
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    let mut row = std::mem::take(&mut table.row);
                    while row.last().is_some_and(|cell| cell.trim().is_empty()) {
                        row.pop();
                    }
                    if !row.is_empty() {
                        let line = row
                            .iter()
                            .map(|cell| cell.split_whitespace().collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join(CELL_SEPARATOR);
                        // A nested table's row goes into the outer cell.
                        let outer_cell = self.tables.len() > 1;
                        if outer_cell {
                            let table_index = self.tables.len() - 2;
                            let outer = &mut self.tables[table_index];
                            if let Some(cell) = outer.cell.as_mut() {
                                if !cell.is_empty() {
                                    cell.push_str("; ");
                                }
                                cell.push_str(&line);
                            }
                        } else {
                            self.lines.push(line);
                        }
                    }
                }
            }
            "tbl" => {
                self.tables.pop();
            }
            _ => {}
        }
    }
}

fn attribute(element: &BytesStart<'_>, local_name: &str) -> Option<String> {
    element.attributes().flatten().find_map(|attribute| {
        (attribute.key.local_name().as_ref() == local_name)
            .then(|| attribute.value.clone().into_owned())
    })
}

/// The body's text, one paragraph or table row per line.
fn body_text(xml: &str, numbering: Numbering) -> Result<String, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut walker = Walker {
        numbering,
        ..Walker::default()
    };
    let mut saw_body = false;
    loop {
        let event = reader.read_event().map_err(|error| {
            invalid(format!(
                "word/document.xml is broken at byte {}: {error}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(element) => {
                saw_body |= element.local_name().as_ref() == "body";
                walker.start(&element);
            }
            Event::Empty(element) => walker.empty(&element),
            Event::End(element) => walker.end(element.local_name().as_ref()),
            Event::Text(text) if walker.in_text && walker.skipping == 0 => {
                walker.push_str(&text.xml10_content());
            }
            Event::GeneralRef(reference) if walker.in_text && walker.skipping == 0 => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(character)) => Some(character),
                    Ok(None) => match &*reference {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                if let Some(character) = resolved {
                    walker.push_str(character.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_body {
        return Err(invalid("word/document.xml has no document body"));
    }
    Ok(tidy_lines(
        walker.lines.iter().flat_map(|line| line.split('\n')),
    ))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    fn paragraph(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn cell(inner: &str) -> String {
        format!("<w:tc><w:tcPr/>{inner}</w:tc>")
    }

    fn archive_with(name: &str, content: &[u8]) -> Vec<u8> {
        archive_of(&[(name, content)])
    }

    fn archive_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        archive.start_file("[Content_Types].xml", options).unwrap();
        archive.write_all(b"<Types/>").unwrap();
        for (name, content) in parts {
            archive.start_file(*name, options).unwrap();
            archive.write_all(content).unwrap();
        }
        archive.finish().unwrap().into_inner()
    }

    fn docx(body: &str) -> Vec<u8> {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"{W}\"><w:body>{body}<w:sectPr/></w:body></w:document>"
        );
        archive_with("word/document.xml", xml.as_bytes())
    }

    fn text_of(body: &str) -> String {
        let document = read("r.docx", &docx(body)).unwrap();
        document.submissions[0].text.clone()
    }

    #[test]
    fn paragraphs_and_table_rows_come_out_in_reading_order() {
        let table = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            cell(&paragraph("Chỉ tiêu")),
            cell(&paragraph("ĐVT")),
            cell(&paragraph("Thực hiện")),
            cell(&paragraph("Đàn bò")),
            cell(&paragraph("con")),
            cell(&format!(
                "{}{}",
                paragraph("840"),
                paragraph("(100,11% KH)")
            )),
        );
        let body = format!(
            "{}{table}{}",
            paragraph("BÁO CÁO tổng kết năm 2023"),
            paragraph("II. PHƯƠNG HƯỚNG")
        );
        assert_eq!(
            text_of(&body),
            "BÁO CÁO tổng kết năm 2023\n\
             Chỉ tiêu | ĐVT | Thực hiện\n\
             Đàn bò | con | 840 (100,11% KH)\n\
             II. PHƯƠNG HƯỚNG"
        );
    }

    #[test]
    fn runs_tabs_breaks_and_entities_are_kept_while_deletions_and_field_codes_are_not() {
        let body = "<w:p><w:r><w:t>Số: 68</w:t></w:r><w:r><w:t>-BC/ĐU</w:t></w:r><w:r><w:tab/>\
                    <w:t>A &amp; B</w:t><w:br/><w:t>&#272;ảng</w:t></w:r>\
                    <w:del><w:r><w:delText>xoá</w:delText></w:r></w:del>\
                    <w:r><w:instrText> PAGE </w:instrText></w:r></w:p>";
        assert_eq!(text_of(body), "Số: 68-BC/ĐU A & B\nĐảng");
    }

    #[test]
    fn merged_cells_keep_columns_aligned_and_text_boxes_are_read_once() {
        let body = format!(
            "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}</w:tc>{}</w:tr></w:tbl>\
             <w:p><w:r><mc:AlternateContent xmlns:mc=\"m\"><mc:Choice><w:txbxContent>{}</w:txbxContent>\
             </mc:Choice><mc:Fallback><w:txbxContent>{}</w:txbxContent></mc:Fallback>\
             </mc:AlternateContent></w:r><w:r><w:t>sau</w:t></w:r></w:p>",
            paragraph("Tổng"),
            cell(&paragraph("15")),
            paragraph("hộp"),
            paragraph("hộp"),
        );
        assert_eq!(text_of(&body), "Tổng | | 15\nhộp\nsau");
    }

    #[test]
    fn list_paragraphs_get_their_automatic_numbers_back() {
        let numbering = format!(
            "<w:numbering xmlns:w=\"{W}\"><w:abstractNum w:abstractNumId=\"0\">\
             <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/><w:lvlText w:val=\"%1.\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"&#61623;\"/></w:lvl>\
             </w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
        );
        let numbered = |level: u32, text: &str| {
            format!(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
                 <w:r><w:t>{text}</w:t></w:r></w:p>"
            )
        };
        let body = [
            numbered(0, "KẾT QUẢ NĂM 2023"),
            numbered(1, "Đàn bò 840 con"),
            paragraph("Đoạn văn thường."),
            numbered(0, "PHƯƠNG HƯỚNG NĂM 2024"),
        ]
        .concat();
        let xml = format!("<w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>");
        let bytes = archive_of(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/numbering.xml", numbering.as_bytes()),
        ]);
        let document = read("r.docx", &bytes).unwrap();
        assert_eq!(
            document.submissions[0].text,
            "I. KẾT QUẢ NĂM 2023\n- Đàn bò 840 con\nĐoạn văn thường.\nII. PHƯƠNG HƯỚNG NĂM 2024"
        );
    }

    #[test]
    fn files_that_are_not_word_documents_say_why() {
        let error = read("r.docx", b"plain text").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("not a valid Word document: not a ZIP archive"),
            "{error}"
        );

        let error = read("r.docx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").unwrap_err();
        assert!(error.to_string().contains("Word 97-2003"), "{error}");

        let no_body = archive_with("word/other.xml", b"<x/>");
        let error = read("r.docx", &no_body).unwrap_err();
        assert_eq!(error, invalid("it has no word/document.xml"));

        let broken = archive_with("word/document.xml", b"<w:document><w:body><w:p></w:body>");
        let error = read("r.docx", &broken).unwrap_err();
        assert!(
            error.to_string().contains("word/document.xml is broken"),
            "{error}"
        );

        assert_eq!(read("r.docx", &docx("<w:p/>")), Err(ReadError::Empty));
    }
}
