//! Reading what offices have (text files, saved web pages, Word documents,
//! JSON lines, standard input) into submissions for `ImportReports`.
//!
//! This module only reads: it never talks to the server. [`walk`] turns the
//! paths a user gave into [`Input`]s, [`read`] turns one input into a
//! [`Document`] (the texts it holds, plus the lines it had to skip), and
//! [`outcome`] holds what became of each file once the server answered.
//!
//! Each format has its own submodule. They share one rule: a file is either
//! read whole or rejected with a [`ReadError`] saying why, in words the
//! person who ran the import can act on. Only JSON lines can be partly read,
//! because each of its lines is its own submission.
//!
//! Table rows (in Word documents and in web pages) come out as one line with
//! their cells joined by [`CELL_SEPARATOR`], so the parser can read an
//! indicator table row by row.

pub mod docx;
pub mod html;
pub mod jsonl;
pub mod outcome;
pub mod stdin;
pub mod txt;
pub mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

pub use walk::walk;

/// What joins the cells of one table row on its line: `"Đàn bò | con | 840"`.
pub const CELL_SEPARATOR: &str = " | ";

/// The file extensions `tongket import` reads, for messages.
pub const SUPPORTED: &str = ".txt, .html, .htm, .docx, .jsonl";

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    /// `-` on the command line: one text read from standard input.
    Stdin,
}

impl Origin {
    /// The name the input goes by in messages, summaries and `source_name`.
    pub fn name(&self) -> String {
        match self {
            Origin::File(path) => path.display().to_string(),
            Origin::Stdin => "-".to_owned(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// The formats `tongket import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Html,
    Docx,
    JsonLines,
}

impl Format {
    /// The format a file's extension names, or why it cannot be imported.
    pub fn of_path(path: &Path) -> Result<Format, ReadError> {
        let extension = path
            .extension()
            .map(|extension| extension.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "txt" => Ok(Format::Text),
            "html" | "htm" => Ok(Format::Html),
            "docx" => Ok(Format::Docx),
            "jsonl" => Ok(Format::JsonLines),
            _ => Err(ReadError::Unsupported { extension }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::JsonLines => "jsonl",
        }
    }
}

/// One thing to import: a file found by [`walk`] or standard input.
#[derive(Debug, Clone)]
pub struct Input {
    pub origin: Origin,
    /// The format to read it as, or why it cannot be read at all.
    pub format: Result<Format, ReadError>,
    /// The file's size when it was found (0 for standard input), for progress.
    pub bytes: u64,
}

/// One text to submit, with what is known of where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub text: String,
    /// A web page's canonical URL, or a JSON line's `source_url`; may be empty.
    pub source_url: String,
    /// The file's path, plus `#L<n>` for a JSON line; a JSON line's own
    /// `source_name` wins when it has one.
    pub source_name: String,
    /// The 1-based line of a JSON lines file this came from.
    pub line: Option<u32>,
}

/// A line of a JSON lines file that could not be read and was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based.
    pub line: u32,
    pub reason: String,
}

/// Everything read from one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub submissions: Vec<Submission>,
    /// Lines skipped (JSON lines only).
    pub skipped: Vec<LineError>,
}

impl Document {
    fn single(submission: Submission) -> Document {
        Document {
            submissions: vec![submission],
            skipped: Vec::new(),
        }
    }
}

/// Why an input (as a whole) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{}", unsupported_message(extension))]
    Unsupported { extension: String },
    #[error("cannot read: {0}")]
    Io(String),
    #[error("not valid UTF-8 (first bad byte at offset {offset}); save it as UTF-8")]
    NotUtf8 { offset: usize },
    #[error("UTF-16 text; save it as UTF-8")]
    Utf16,
    #[error("a page in {charset}, not UTF-8; save it as UTF-8")]
    Charset { charset: String },
    #[error("no text in it")]
    Empty,
    #[error("no article text found in the page")]
    NoArticleText,
    #[error("not a valid Word document: {0}")]
    InvalidDocx(String),
    #[error("standard input was already read once")]
    StdinTwice,
}

fn unsupported_message(extension: &str) -> String {
    match extension {
        "" => format!("no file extension; tongket imports {SUPPORTED}"),
        "doc" => "old Word 97-2003 document (.doc); save it as .docx".to_owned(),
        _ => format!("unsupported file type \".{extension}\"; tongket imports {SUPPORTED}"),
    }
}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> ReadError {
        ReadError::Io(error.to_string())
    }
}

/// Reads one input found by [`walk`]. Blocking: call it off the async runtime.
pub fn read(input: &Input) -> Result<Document, ReadError> {
    let format = input.format.clone()?;
    match &input.origin {
        Origin::Stdin => stdin::read(),
        Origin::File(path) => {
            let bytes = std::fs::read(path)?;
            read_bytes(format, &input.origin.name(), &bytes)
        }
    }
}

/// Reads the bytes of one file of a known format; `name` becomes the
/// submissions' `source_name`.
pub fn read_bytes(format: Format, name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    match format {
        Format::Text => txt::read(name, bytes),
        Format::Html => html::read(name, bytes),
        Format::Docx => docx::read(name, bytes),
        Format::JsonLines => jsonl::read(name, bytes),
    }
}

/// Decodes a whole file as UTF-8, dropping a byte order mark.
pub(crate) fn decode_utf8(bytes: &[u8]) -> Result<&str, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16);
    }
    let (bom, text) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(text) => (3, text),
        None => (0, bytes),
    };
    std::str::from_utf8(text).map_err(|error| ReadError::NotUtf8 {
        offset: bom + error.valid_up_to(),
    })
}

/// Lines with their inner whitespace collapsed, empty lines dropped.
pub(crate) fn tidy_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&words.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_extension_regardless_of_case() {
        assert_eq!(Format::of_path(Path::new("a/b.TXT")), Ok(Format::Text));
        assert_eq!(Format::of_path(Path::new("b.Htm")), Ok(Format::Html));
        assert_eq!(Format::of_path(Path::new("b.docx")), Ok(Format::Docx));
        assert_eq!(Format::of_path(Path::new("b.jsonl")), Ok(Format::JsonLines));
    }

    #[test]
    fn unsupported_extensions_say_what_is_supported() {
        let error = Format::of_path(Path::new("scan.pdf")).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("unsupported file type \".pdf\"; tongket imports {SUPPORTED}")
        );
        let error = Format::of_path(Path::new("old.doc")).unwrap_err();
        assert!(error.to_string().contains("save it as .docx"), "{error}");
        let error = Format::of_path(Path::new("README")).unwrap_err();
        assert!(
            error.to_string().starts_with("no file extension"),
            "{error}"
        );
    }

    #[test]
    fn utf8_decoding_drops_a_bom_and_points_at_the_first_bad_byte() {
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFSo\xCC\x9Bn"), Ok("So\u{31b}n"));
        assert_eq!(
            decode_utf8(b"ab\xE0cd"),
            Err(ReadError::NotUtf8 { offset: 2 })
        );
        assert_eq!(decode_utf8(b"\xFF\xFEa\x00"), Err(ReadError::Utf16));
    }

    #[test]
    fn tidy_lines_collapses_spaces_and_drops_blank_lines() {
        assert_eq!(tidy_lines([" a  b ", "", "\u{a0}", "c\td"]), "a b\nc d");
    }
}
