//! The service's one error type and its one mapping to `tonic::Status`.
//!
//! Every handler returns [`Error`]; [`From<Error> for tonic::Status`] is the
//! only place that decides a gRPC code. The match has no catch-all arm, so a
//! new failure kind cannot silently become `UNKNOWN`. Bad requests carry a
//! `google.rpc.BadRequest` whose field violations name the offending fields;
//! missing resources carry a `google.rpc.ResourceInfo`.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::store::StoreError;

/// One reason a request field is unacceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The proto field name ("text", "page_token", "year_from").
    pub field: &'static str,
    /// What is wrong, in words the caller can act on.
    pub description: String,
}

impl Violation {
    pub fn new(field: &'static str, description: impl Into<String>) -> Violation {
        Violation {
            field,
            description: description.into(),
        }
    }
}

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed; each violation names a field.
    #[error("invalid request: {}", describe(.0))]
    InvalidArgument(Vec<Violation>),
    /// No report has this id.
    #[error("no report with id {id}")]
    NotFound { id: String },
    /// No year-end report names this organisation.
    #[error("no report about an organisation named {name:?}")]
    OrganizationNotFound { name: String },
    /// A part of the server is not ready (the search index is being built or failed to open).
    #[error("{0}")]
    Unavailable(String),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] crate::query::search::SearchError),
    /// The caller gave up (cancelled stream, dropped connection).
    #[error("the request was cancelled: {0}")]
    Cancelled(String),
    /// Storage failed; the request had no effect.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A blocking task panicked or was cancelled; a bug, never the caller's fault.
    #[error("internal task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl Error {
    /// A bad request with one violation.
    pub fn invalid(field: &'static str, description: impl Into<String>) -> Error {
        Error::InvalidArgument(vec![Violation::new(field, description)])
    }
}

/// The violations in one line: "field: what is wrong; …".
pub(crate) fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{}: {}", v.field, v.description))
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<Error> for Status {
    fn from(error: Error) -> Status {
        let message = error.to_string();
        match error {
            Error::InvalidArgument(violations) => {
                let violations: Vec<FieldViolation> = violations
                    .into_iter()
                    .map(|v| FieldViolation::new(v.field, v.description))
                    .collect();
                Status::with_error_details(
                    Code::InvalidArgument,
                    message,
                    ErrorDetails::with_bad_request(violations),
                )
            }
            Error::NotFound { id } => Status::with_error_details(
                Code::NotFound,
                message,
                ErrorDetails::with_resource_info(
                    "tongket.v1.Report",
                    id,
                    "",
                    "no report with this id is stored",
                ),
            ),
            Error::OrganizationNotFound { name } => Status::with_error_details(
                Code::NotFound,
                message,
                ErrorDetails::with_resource_info(
                    "tongket.v1.Organization",
                    name,
                    "",
                    "no report names this organisation",
                ),
            ),
            Error::Unavailable(_) => Status::unavailable(message),
            Error::Search(search_error) => {
                tracing::error!(error = %search_error, "search index failed");
                Status::internal(message)
            }
            Error::Cancelled(_) => Status::cancelled(message),
            Error::Store(store_error) => {
                tracing::error!(error = %store_error, "storage failed");
                // The details (paths, sled's words) stay in the server's log.
                match store_error {
                    StoreError::Sled(_) | StoreError::Corrupt { .. } => Status::internal(
                        "storage failed; the request had no effect (see the server log)",
                    ),
                }
            }
            Error::Task(join_error) => {
                tracing::error!(error = %join_error, "blocking task failed");
                Status::internal("internal error (see the server log)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tonic_types::StatusExt;

    use super::*;

    #[test]
    fn a_bad_request_names_every_field() {
        let error = Error::InvalidArgument(vec![
            Violation::new("text", "must not be empty"),
            Violation::new("page_size", "must not be negative"),
        ]);

        let status = Status::from(error);

        assert_eq!(status.code(), Code::InvalidArgument);
        let fields: Vec<String> = status
            .get_details_bad_request()
            .unwrap()
            .field_violations
            .into_iter()
            .map(|violation| violation.field)
            .collect();
        assert_eq!(fields, ["text", "page_size"]);
        assert!(
            status
                .message()
                .contains("text: must not be empty; page_size")
        );
    }

    #[test]
    fn a_missing_report_is_not_found_with_its_id() {
        let status = Status::from(Error::NotFound { id: "ab12".into() });

        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(
            status.get_details_resource_info().unwrap().resource_name,
            "ab12"
        );
    }

    #[test]
    fn storage_failures_are_internal_without_details() {
        let error = Error::Store(StoreError::Corrupt {
            tree: "reports",
            detail: "/srv/secret/path".into(),
        });

        let status = Status::from(error);

        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("/srv/secret"));
    }
}
