//! Turning the paths a user gave into the list of inputs to import:
//! files as they are, directories walked recursively in name order
//! (hidden files and directories skipped), `-` as standard input.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Format, Input, Origin, ReadError};

/// Lists every input under `paths`, in the order given and, inside a
/// directory, in file name order. A path that cannot be read becomes an
/// input whose format is the error, so it is reported with the rest.
pub fn walk(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut stdin_seen = false;
    for path in paths {
        if path.as_os_str() == "-" {
            let format = if stdin_seen {
                Err(ReadError::StdinTwice)
            } else {
                Ok(Format::Text)
            };
            stdin_seen = true;
            inputs.push(Input {
                origin: Origin::Stdin,
                format,
                bytes: 0,
            });
            continue;
        }
        for entry in WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
        {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) => {
                    let bytes = entry.metadata().map(|meta| meta.len()).unwrap_or(0);
                    inputs.push(Input {
                        format: Format::of_path(entry.path()),
                        origin: Origin::File(entry.into_path()),
                        bytes,
                    });
                }
                Err(error) => {
                    let at = error.path().unwrap_or(path).to_path_buf();
                    let reason = match error.io_error() {
                        Some(io) => io.to_string(),
                        None => error.to_string(),
                    };
                    inputs.push(Input {
                        origin: Origin::File(at),
                        format: Err(ReadError::Io(reason)),
                        bytes: 0,
                    });
                }
            }
        }
    }
    inputs
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    Path::new(name)
        .to_str()
        .is_some_and(|name| name.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_in_name_order_skipping_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.git")).unwrap();
        std::fs::write(root.join("b/.git/config.txt"), "x").unwrap();
        std::fs::write(root.join("b/z.html"), "<p>x</p>").unwrap();
        std::fs::write(root.join("a.txt"), "abc").unwrap();
        std::fs::write(root.join(".DS_Store"), "x").unwrap();
        std::fs::write(root.join("c.pdf"), "x").unwrap();

        let inputs = walk(&[root.to_path_buf(), PathBuf::from("-"), PathBuf::from("-")]);

        let seen: Vec<(String, Result<Format, ReadError>, u64)> = inputs
            .into_iter()
            .map(|input| {
                let name = match &input.origin {
                    Origin::File(path) => path.strip_prefix(root).unwrap().display().to_string(),
                    Origin::Stdin => "-".to_owned(),
                };
                (name, input.format, input.bytes)
            })
            .collect();
        let pdf = Err(ReadError::Unsupported {
            extension: "pdf".to_owned(),
        });
        assert_eq!(
            seen,
            vec![
                ("a.txt".to_owned(), Ok(Format::Text), 3),
                ("b/z.html".to_owned(), Ok(Format::Html), 8),
                ("c.pdf".to_owned(), pdf, 1),
                ("-".to_owned(), Ok(Format::Text), 0),
                ("-".to_owned(), Err(ReadError::StdinTwice), 0),
            ]
        );
    }

    #[test]
    fn a_missing_path_is_an_input_that_says_why() {
        let inputs = walk(&[PathBuf::from("/nonexistent/tongket/x.txt")]);
        assert_eq!(inputs.len(), 1);
        let error = inputs[0].format.clone().unwrap_err();
        assert!(matches!(error, ReadError::Io(_)), "{error:?}");
        assert!(error.to_string().starts_with("cannot read: "), "{error}");
    }
}
