//! Optional bearer-token authentication for the report service.
//!
//! `--auth-tokens FILE` holds one `TOKEN ROLE` pair per line (`#` starts a
//! comment). Roles are ordered: `reader` may read, `writer` may also
//! submit and import, `admin` may also delete and re-parse. When the file is
//! given, every report-service call needs `authorization: Bearer TOKEN`
//! (`UNAUTHENTICATED` without a known token, `PERMISSION_DENIED` with too
//! small a role); health and reflection stay open.
//!
//! Tokens are kept only as SHA-256 digests, compared in constant time, and
//! never logged.

use std::sync::Arc;
use std::task::{Context, Poll};

use sha2::{Digest, Sha256};
use tonic::Status;
use tonic::codegen::{BoxFuture, Service, http};
use tonic::server::NamedService;

/// What a token may do; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Writer,
    Admin,
}

impl Role {
    fn parse(word: &str) -> Option<Role> {
        match word {
            "reader" => Some(Role::Reader),
            "writer" => Some(Role::Writer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Writer => "writer",
            Role::Admin => "admin",
        }
    }

    /// The role a report-service method needs. Methods not named here
    /// (added later and not yet classified) need `admin`.
    pub fn required_for(path: &str) -> Role {
        let method = path.rsplit('/').next().unwrap_or_default();
        match method {
            "ParseReport"
            | "GetReport"
            | "ListReports"
            | "SearchReports"
            | "QueryIndicators"
            | "GetOrganizationHistory"
            | "GetStatistics"
            | "ExportReports"
            | "WatchReports" => Role::Reader,
            "SubmitReport" | "ImportReports" => Role::Writer,
            _ => Role::Admin,
        }
    }
}

/// A line of the tokens file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct TokensError {
    pub line: usize,
    pub reason: String,
}

/// The known tokens, as digests with their roles.
#[derive(Clone)]
pub struct Tokens {
    entries: Arc<Vec<([u8; 32], Role)>>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} entries)", self.entries.len())
    }
}

impl Tokens {
    /// Reads `TOKEN ROLE` lines; blank lines and `#` comments are skipped.
    pub fn parse(text: &str) -> Result<Tokens, TokensError> {
        let mut entries = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let error = |reason: &str| TokensError {
                line: number + 1,
                reason: reason.to_owned(),
            };
            let mut words = line.split_whitespace();
            let (Some(token), Some(role), None) = (words.next(), words.next(), words.next()) else {
                return Err(error("expected \"TOKEN ROLE\""));
            };
            let role = Role::parse(role)
                .ok_or_else(|| error("the role must be reader, writer or admin"))?;
            if token.len() < 16 {
                return Err(error("a token must be at least 16 characters"));
            }
            entries.push((digest(token), role));
        }
        if entries.is_empty() {
            return Err(TokensError {
                line: 0,
                reason: "the file names no token".into(),
            });
        }
        Ok(Tokens {
            entries: Arc::new(entries),
        })
    }

    /// The role of a presented token. Every entry is compared, in constant
    /// time, whatever matches.
    pub fn role_of(&self, token: &str) -> Option<Role> {
        let presented = digest(token);
        let mut found = None;
        for (known, role) in self.entries.iter() {
            let difference = known
                .iter()
                .zip(presented)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b));
            if difference == 0 {
                found = Some(*role);
            }
        }
        found
    }

    /// Decides a call from its path and `authorization` header.
    pub fn authorize(
        &self,
        path: &str,
        authorization: Option<&http::HeaderValue>,
    ) -> Result<Role, Status> {
        let token = authorization
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                value
                    .strip_prefix("Bearer ")
                    .or_else(|| value.strip_prefix("bearer "))
            })
            .map(str::trim);
        let Some(token) = token else {
            return Err(Status::unauthenticated(
                "this server needs an \"authorization: Bearer TOKEN\" header",
            ));
        };
        let Some(role) = self.role_of(token) else {
            return Err(Status::unauthenticated(
                "the bearer token is not known to this server",
            ));
        };
        let needed = Role::required_for(path);
        if role < needed {
            return Err(Status::permission_denied(format!(
                "{path} needs the {} role; this token has {}",
                needed.name(),
                role.name()
            )));
        }
        Ok(role)
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A gRPC service that lets a call through only with a good enough token.
#[derive(Debug, Clone)]
pub struct Authenticated<S> {
    inner: S,
    tokens: Tokens,
}

impl<S> Authenticated<S> {
    pub fn new(inner: S, tokens: Tokens) -> Authenticated<S> {
        Authenticated { inner, tokens }
    }
}

impl<S: NamedService> NamedService for Authenticated<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B> Service<http::Request<B>> for Authenticated<S>
where
    S: Service<http::Request<B>, Response = http::Response<tonic::body::Body>> + Send,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<S::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let path = request.uri().path().to_owned();
        match self
            .tokens
            .authorize(&path, request.headers().get(http::header::AUTHORIZATION))
        {
            Ok(role) => {
                tracing::debug!(method = %path, role = role.name(), "call authorised");
                Box::pin(self.inner.call(request))
            }
            Err(status) => {
                tracing::info!(method = %path, code = ?status.code(), "call refused");
                Box::pin(async move { Ok(status.into_http()) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# ops\nreader-token-0123456789 reader\nwriter-token-0123456789 writer  # ci\n\nadmin-token-01234567890 admin\n";

    #[test]
    fn tokens_map_to_their_roles() {
        let tokens = Tokens::parse(FILE).unwrap();
        assert_eq!(
            tokens.role_of("reader-token-0123456789"),
            Some(Role::Reader)
        );
        assert_eq!(
            tokens.role_of("writer-token-0123456789"),
            Some(Role::Writer)
        );
        assert_eq!(tokens.role_of("admin-token-01234567890"), Some(Role::Admin));
        assert_eq!(tokens.role_of("reader-token-012345678"), None);
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        assert_eq!(
            Tokens::parse("abcdefghijklmnopqrstu owner")
                .unwrap_err()
                .line,
            1
        );
        assert_eq!(Tokens::parse("\nshort admin").unwrap_err().line, 2);
        assert!(Tokens::parse("# nothing\n").is_err());
    }

    #[test]
    fn roles_are_checked_against_the_method() {
        let tokens = Tokens::parse(FILE).unwrap();
        let bearer = |token: &str| http::HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        let list = "/tongket.v1.ReportService/ListReports";
        let delete = "/tongket.v1.ReportService/DeleteReport";
        assert!(
            tokens
                .authorize(list, Some(&bearer("reader-token-0123456789")))
                .is_ok()
        );
        let denied = tokens
            .authorize(delete, Some(&bearer("writer-token-0123456789")))
            .unwrap_err();
        assert_eq!(denied.code(), tonic::Code::PermissionDenied);
        assert!(
            tokens
                .authorize(delete, Some(&bearer("admin-token-01234567890")))
                .is_ok()
        );
        assert_eq!(
            tokens.authorize(list, None).unwrap_err().code(),
            tonic::Code::Unauthenticated
        );
        let unknown = tokens
            .authorize(list, Some(&bearer("nobody-0123456789abc")))
            .unwrap_err();
        assert_eq!(unknown.code(), tonic::Code::Unauthenticated);
    }
}
