//! What became of each input once it was read and the server answered, and
//! the summary of a whole import (printed, and written by `--summary-json`).

use serde::Serialize;

use super::{Document, Format, Input, ReadError};

/// A file's fate, worst first when a file holds several reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every report in it was stored, at least one of them new.
    Created,
    /// Every report in it was already stored.
    Duplicate,
    /// `--dry-run`: every report in it would be accepted.
    Valid,
    /// Some of its reports were accepted and some refused.
    Partial,
    /// It could not be read, or the server refused all of it.
    Rejected,
    /// The server could not be reached or failed; running again may help.
    Failed,
}

impl Status {
    /// Whether the file is in the store (or would be, in a dry run).
    pub fn is_success(self) -> bool {
        matches!(self, Status::Created | Status::Duplicate | Status::Valid)
    }
}

/// One report in a file that was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemError {
    /// The JSON lines line it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

/// What became of one file (or of standard input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileOutcome {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    pub bytes: u64,
    pub status: Status,
    /// Reports read from it (JSON lines hold many; bad lines not included).
    pub reports: u32,
    pub created: u32,
    pub duplicates: u32,
    /// `--dry-run`: reports the server would accept.
    pub valid: u32,
    /// Reports refused, each listed in `errors`.
    pub rejected: u32,
    /// Why the file as a whole was rejected or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ItemError>,
    /// The web page's canonical URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_url: String,
    /// Times the file's last batch was sent (more than 1 after retries).
    pub attempts: u32,
}

impl FileOutcome {
    fn blank(input: &Input, status: Status) -> FileOutcome {
        FileOutcome {
            path: input.origin.name(),
            format: input.format.as_ref().ok().copied(),
            bytes: input.bytes,
            status,
            reports: 0,
            created: 0,
            duplicates: 0,
            valid: 0,
            rejected: 0,
            reason: None,
            errors: Vec::new(),
            source_url: String::new(),
            attempts: 0,
        }
    }

    /// A file that could not be read at all.
    pub fn unreadable(input: &Input, error: &ReadError) -> FileOutcome {
        FileOutcome {
            reason: Some(error.to_string()),
            ..FileOutcome::blank(input, Status::Rejected)
        }
    }

    /// A file that was read; its skipped lines are already counted as rejected.
    pub fn read(input: &Input, document: &Document) -> FileOutcome {
        let source_url = match document.submissions.as_slice() {
            [only] if only.line.is_none() => only.source_url.clone(),
            _ => String::new(),
        };
        let errors: Vec<ItemError> = document
            .skipped
            .iter()
            .map(|skipped| ItemError {
                line: Some(skipped.line),
                message: skipped.reason.clone(),
            })
            .collect();
        FileOutcome {
            reports: count(document.submissions.len()),
            rejected: count(errors.len()),
            errors,
            source_url,
            ..FileOutcome::blank(input, Status::Rejected)
        }
    }

    /// Marks a file the server could not take: nothing more is known of it.
    pub fn fail(&mut self, reason: String) {
        self.reason = Some(reason);
        self.status = Status::Failed;
    }

    /// Decides the status from the counts, once every batch is answered.
    pub fn settle(&mut self, dry_run: bool) {
        if self.status == Status::Failed {
            return;
        }
        let accepted = self.created + self.duplicates + self.valid;
        self.status = match (accepted, self.rejected) {
            (0, _) => Status::Rejected,
            (_, 0) if dry_run => Status::Valid,
            (_, 0) if self.created > 0 => Status::Created,
            (_, 0) => Status::Duplicate,
            (_, _) => Status::Partial,
        };
        if self.status == Status::Rejected && self.reason.is_none() {
            self.reason = Some(match self.errors.as_slice() {
                [only] => only.message.clone(),
                _ => "every report in it was refused".to_owned(),
            });
        }
    }
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Sums over every file of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub files: u32,
    pub bytes: u64,
    pub files_created: u32,
    pub files_duplicate: u32,
    pub files_valid: u32,
    pub files_partial: u32,
    pub files_rejected: u32,
    pub files_failed: u32,
    pub reports: u32,
    pub created: u32,
    pub duplicates: u32,
    pub valid: u32,
    pub rejected: u32,
}

/// The outcome of a whole import, file by file in the order they were given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub dry_run: bool,
    pub totals: Totals,
    pub files: Vec<FileOutcome>,
}

impl Summary {
    pub fn new(dry_run: bool, files: Vec<FileOutcome>) -> Summary {
        let mut totals = Totals::default();
        for file in &files {
            totals.files += 1;
            totals.bytes += file.bytes;
            totals.reports += file.reports;
            totals.created += file.created;
            totals.duplicates += file.duplicates;
            totals.valid += file.valid;
            totals.rejected += file.rejected;
            let counter = match file.status {
                Status::Created => &mut totals.files_created,
                Status::Duplicate => &mut totals.files_duplicate,
                Status::Valid => &mut totals.files_valid,
                Status::Partial => &mut totals.files_partial,
                Status::Rejected => &mut totals.files_rejected,
                Status::Failed => &mut totals.files_failed,
            };
            *counter += 1;
        }
        Summary {
            dry_run,
            totals,
            files,
        }
    }

    /// True when there was something to import and every file was
    /// imported or already there (or, in a dry run, would be accepted).
    pub fn is_success(&self) -> bool {
        !self.files.is_empty() && self.files.iter().all(|file| file.status.is_success())
    }

    /// The files with a status, in order.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &FileOutcome> {
        self.files.iter().filter(move |file| file.status == status)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::ingest::{LineError, Origin, Submission};

    fn input(name: &str) -> Input {
        Input {
            origin: Origin::File(PathBuf::from(name)),
            format: Format::of_path(std::path::Path::new(name)),
            bytes: 10,
        }
    }

    fn document(reports: usize, skipped: u32) -> Document {
        Document {
            submissions: (0..reports)
                .map(|n| Submission {
                    text: format!("text {n}"),
                    source_url: String::new(),
                    source_name: format!("x#L{n}"),
                    line: Some(1 + n as u32),
                })
                .collect(),
            skipped: (0..skipped)
                .map(|n| LineError {
                    line: 100 + n,
                    reason: "not valid JSON".to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn status_follows_the_counts() {
        let mut all_new = FileOutcome::read(&input("a.jsonl"), &document(2, 0));
        all_new.created = 1;
        all_new.duplicates = 1;
        all_new.settle(false);
        assert_eq!(all_new.status, Status::Created);

        let mut some_bad = FileOutcome::read(&input("b.jsonl"), &document(1, 1));
        some_bad.duplicates = 1;
        some_bad.settle(false);
        assert_eq!(some_bad.status, Status::Partial);
        assert_eq!(
            some_bad.errors,
            vec![ItemError {
                line: Some(100),
                message: "not valid JSON".to_owned()
            }]
        );

        let mut all_bad = FileOutcome::read(&input("c.jsonl"), &document(0, 1));
        all_bad.settle(false);
        assert_eq!(all_bad.status, Status::Rejected);
        assert_eq!(all_bad.reason.as_deref(), Some("not valid JSON"));

        let mut dry = FileOutcome::read(&input("d.txt"), &document(1, 0));
        dry.valid = 1;
        dry.settle(true);
        assert_eq!(dry.status, Status::Valid);

        let unreadable = FileOutcome::unreadable(&input("e.pdf"), &ReadError::Empty);
        assert_eq!(unreadable.status, Status::Rejected);
        assert_eq!(unreadable.format, None);

        let summary = Summary::new(false, vec![all_new, some_bad, all_bad, unreadable]);
        assert!(!summary.is_success());
        assert_eq!(summary.totals.files, 4);
        assert_eq!(summary.totals.files_created, 1);
        assert_eq!(summary.totals.files_partial, 1);
        assert_eq!(summary.totals.files_rejected, 2);
        assert_eq!(summary.totals.created, 1);
        assert_eq!(summary.totals.duplicates, 2);
        assert_eq!(summary.totals.rejected, 2);
        assert_eq!(summary.with_status(Status::Rejected).count(), 2);
    }

    #[test]
    fn an_import_of_nothing_is_not_a_success() {
        assert!(!Summary::new(false, Vec::new()).is_success());
    }
}
