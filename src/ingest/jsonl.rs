//! JSON lines exports (`.jsonl`): one object per line with `text` and
//! optional `source_url` and `source_name`. A line that cannot be read is
//! reported with its number and skipped; the other lines go on.

use serde_json::Value;

use super::{Document, LineError, ReadError, Submission};

/// Reads every line of a JSON lines file. Blank lines are ignored.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut document = Document::default();
    for (index, raw) in bytes.split(|&byte| byte == b'\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match read_line(raw) {
            Ok(line) => document.submissions.push(Submission {
                text: line.text,
                source_url: line.source_url,
                source_name: line
                    .source_name
                    .unwrap_or_else(|| format!("{name}#L{number}")),
                line: Some(number),
            }),
            Err(reason) => document.skipped.push(LineError {
                line: number,
                reason,
            }),
        }
    }
    if document.submissions.is_empty() && document.skipped.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(document)
}

struct Line {
    text: String,
    source_url: String,
    source_name: Option<String>,
}

fn read_line(raw: &[u8]) -> Result<Line, String> {
    let line = std::str::from_utf8(raw).map_err(|error| {
        format!(
            "not valid UTF-8 (first bad byte at column {})",
            error.valid_up_to() + 1
        )
    })?;
    // serde_json counts lines inside the text it was given: only the column
    // means something here.
    let value: Value = serde_json::from_str(line).map_err(|error| {
        let message = error.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        format!("not valid JSON: {message} (column {})", error.column())
    })?;
    let Value::Object(object) = value else {
        return Err("expected a JSON object with a \"text\" field".to_owned());
    };
    let text = match object.get("text") {
        Some(Value::String(text)) if !text.trim().is_empty() => text.clone(),
        Some(Value::String(_)) => return Err("\"text\" is empty".to_owned()),
        Some(_) => return Err("\"text\" is not a string".to_owned()),
        None => return Err("no \"text\" field".to_owned()),
    };
    Ok(Line {
        text,
        source_url: optional_string(&object, "source_url")?.unwrap_or_default(),
        source_name: optional_string(&object, "source_name")?.filter(|name| !name.is_empty()),
    })
}

fn optional_string(
    object: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<String>, String> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(format!("\"{field}\" is not a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_a_submission_named_after_its_line() {
        let input = concat!(
            "{\"text\": \"Báo cáo một\", \"source_url\": \"https://a.vn/1\"}\n",
            "\n",
            "{\"text\": \"Báo cáo hai\", \"source_name\": \"Cổng TTĐT\"}\r\n",
        );
        let document = read("x.jsonl", input.as_bytes()).unwrap();
        assert_eq!(document.skipped, vec![]);
        assert_eq!(
            document.submissions,
            vec![
                Submission {
                    text: "Báo cáo một".to_owned(),
                    source_url: "https://a.vn/1".to_owned(),
                    source_name: "x.jsonl#L1".to_owned(),
                    line: Some(1),
                },
                Submission {
                    text: "Báo cáo hai".to_owned(),
                    source_url: String::new(),
                    source_name: "Cổng TTĐT".to_owned(),
                    line: Some(3),
                },
            ]
        );
    }

    #[test]
    fn bad_lines_are_skipped_with_their_number_and_reason() {
        let input = [
            &b"{\"text\": \"mot\"}\n"[..],
            b"{\"text\": \"hai\"\n",
            b"[1, 2]\n",
            b"{\"title\": \"no text\"}\n",
            b"{\"text\": 3}\n",
            b"{\"text\": \"  \"}\n",
            b"{\"text\": \"x\", \"source_url\": 5}\n",
            b"{\"text\": \"S\xD5n\"}\n",
            b"{\"text\": \"bon\"}",
        ]
        .concat();
        let document = read("x.jsonl", &input).unwrap();
        let texts: Vec<&str> = document
            .submissions
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(texts, ["mot", "bon"]);
        assert_eq!(document.submissions[1].line, Some(9));
        let skipped: Vec<(u32, &str)> = document
            .skipped
            .iter()
            .map(|error| (error.line, error.reason.as_str()))
            .collect();
        assert_eq!(skipped.len(), 7, "{skipped:?}");
        assert_eq!(skipped[0].0, 2);
        assert_eq!(
            skipped[0].1,
            "not valid JSON: EOF while parsing an object (column 14)"
        );
        assert_eq!(
            skipped[1],
            (3, "expected a JSON object with a \"text\" field")
        );
        assert_eq!(skipped[2], (4, "no \"text\" field"));
        assert_eq!(skipped[3], (5, "\"text\" is not a string"));
        assert_eq!(skipped[4], (6, "\"text\" is empty"));
        assert_eq!(skipped[5], (7, "\"source_url\" is not a string"));
        assert_eq!(
            skipped[6],
            (8, "not valid UTF-8 (first bad byte at column 12)")
        );
    }

    #[test]
    fn a_file_with_no_lines_is_empty() {
        assert_eq!(read("x.jsonl", b"\n \n"), Err(ReadError::Empty));
    }
}
