//! Plain text files (`.txt`): the whole file is one report, in UTF-8.

use super::{Document, ReadError, Submission, decode_utf8};

/// Reads a text file's bytes as one submission.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    let text = decode_utf8(bytes)?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Document::single(Submission {
        text: text.to_owned(),
        source_url: String::new(),
        source_name: name.to_owned(),
        line: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_one_submission_named_after_the_file() {
        let document = read("dir/a.txt", "Đảng ủy xã Sơn Liên\n".as_bytes()).unwrap();
        assert_eq!(document.submissions.len(), 1);
        assert_eq!(document.submissions[0].text, "Đảng ủy xã Sơn Liên\n");
        assert_eq!(document.submissions[0].source_name, "dir/a.txt");
    }

    #[test]
    fn blank_and_non_utf8_files_are_refused() {
        assert_eq!(read("a.txt", b" \n\t\n"), Err(ReadError::Empty));
        // "Sơn" in Windows-1258 is not UTF-8.
        assert_eq!(
            read("a.txt", b"S\xD5n"),
            Err(ReadError::NotUtf8 { offset: 1 })
        );
    }
}
