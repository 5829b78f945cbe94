//! The read side and deletion: `GetReport`, `ListReports`, `DeleteReport`,
//! and the checks that turn their requests into domain values.

use prost::Message;

use super::encoded::EncodedReport;
use super::query::full_view;
use super::{ReportApi, token};
use crate::error::{Error, Violation};
use crate::store::{ListQuery, Listed, Order, Page, ReportId, Store, StoreError};
use crate::{model, proto};

/// `page_size` 0 means this many.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Larger `page_size` values are treated as this.
pub const MAX_PAGE_SIZE: usize = 1000;
/// A page stops before its encoded reports pass this size, below the
/// 4 MiB gRPC clients accept by default.
pub const MAX_RESPONSE_BYTES: usize = 3 * 1024 * 1024;
/// Longest accepted name filter, in bytes.
const MAX_NAME_BYTES: usize = 512;

impl ReportApi {
    /// `GetReport` through the generated service: the stored record decoded
    /// into a `proto::Report`. The server answers with [`ReportApi::get_encoded`]
    /// instead, whose bytes are the encoding of this one's answer.
    #[tracing::instrument(name = "get_report", skip_all, fields(report_id = request.id.as_str()))]
    pub(super) async fn get(
        &self,
        request: proto::GetReportRequest,
    ) -> Result<proto::Report, Error> {
        let (id, full) = get_request(&request)?;
        match self.store.get_wire(&id, full)? {
            Some(report) => Ok(report),
            None => Err(Error::NotFound { id: id.to_hex() }),
        }
    }

    /// `GetReport` as the server answers it: the stored bytes, not decoded.
    #[tracing::instrument(name = "get_report", skip_all, fields(report_id = request.id.as_str()))]
    pub(super) async fn get_encoded(
        &self,
        request: proto::GetReportRequest,
    ) -> Result<EncodedReport, Error> {
        let (id, full) = get_request(&request)?;
        // A point read is served from sled's cache in microseconds: cheaper
        // inline than a hop to the blocking pool. BASIC never reads the text.
        match self.store.get_encoded(&id, full)? {
            Some(bytes) => Ok(EncodedReport(bytes)),
            None => Err(Error::NotFound { id: id.to_hex() }),
        }
    }

    /// `ListReports` through the generated service, with decoded reports.
    /// The server answers with [`ReportApi::list_encoded`] instead, whose
    /// bytes are the encoding of this one's answer.
    #[tracing::instrument(name = "list_reports", skip_all, fields(returned, total))]
    pub(super) async fn list(
        &self,
        request: proto::ListReportsRequest,
    ) -> Result<proto::ListReportsResponse, Error> {
        let listing = self
            .listing(&request, Store::list, Message::encoded_len)
            .await?;
        Ok(proto::ListReportsResponse {
            next_page_token: listing.next_page_token,
            total_size: listing.total_size,
            reports: listing.reports,
        })
    }

    /// `ListReports` as the server answers it: the stored records' bytes
    /// written into the response, none of them decoded.
    #[tracing::instrument(name = "list_reports", skip_all, fields(returned, total))]
    pub(super) async fn list_encoded(
        &self,
        request: proto::ListReportsRequest,
    ) -> Result<EncodedReport, Error> {
        use prost::encoding::{WireType, encode_key, encode_varint, int32, string};
        let listing = self
            .listing(&request, Store::list_encoded, Vec::len)
            .await?;
        // What prost writes for a `ListReportsResponse`: the fields in
        // number order, proto3 defaults left out.
        let (token, total) = (&listing.next_page_token, listing.total_size);
        let mut out = Vec::with_capacity(
            listing.reports.iter().map(|r| r.len() + 8).sum::<usize>() + token.len() + 16,
        );
        for report in &listing.reports {
            encode_key(1, WireType::LengthDelimited, &mut out);
            encode_varint(report.len() as u64, &mut out);
            out.extend_from_slice(report);
        }
        if !token.is_empty() {
            string::encode(2, token, &mut out);
        }
        if total != 0 {
            int32::encode(3, &total, &mut out);
        }
        Ok(EncodedReport(out))
    }

    /// The page a `ListReportsRequest` asks for, its reports read by `read`
    /// (decoded or as stored) and cut to what one response may carry.
    async fn listing<R: Send + 'static>(
        &self,
        request: &proto::ListReportsRequest,
        read: fn(&Store, &ListQuery, bool) -> Result<Page<R>, StoreError>,
        size: fn(&R) -> usize,
    ) -> Result<Listing<R>, Error> {
        let (query, full) = list_query(request)?;
        let store = self.store.clone();
        let (page, query) = tokio::task::spawn_blocking(move || {
            read(&store, &query, full).map(|page| (page, query))
        })
        .await??;
        Ok(Listing::cut(page, size, &query))
    }

    #[tracing::instrument(name = "delete_report", skip_all, fields(report_id = request.id.as_str()))]
    pub(super) async fn delete(&self, request: proto::DeleteReportRequest) -> Result<(), Error> {
        let mut violations = Vec::new();
        let Some(id) = report_id(&request.id, &mut violations) else {
            return Err(Error::InvalidArgument(violations));
        };
        let store = self.store.clone();
        if !tokio::task::spawn_blocking(move || store.delete(&id)).await?? {
            return Err(Error::NotFound { id: id.to_hex() });
        }
        self.store.flush().await?;
        tracing::info!("report deleted");
        Ok(())
    }
}

/// A listing page cut to what one response may carry.
struct Listing<R> {
    reports: Vec<R>,
    next_page_token: String,
    total_size: i32,
}

impl<R> Listing<R> {
    /// A page stops early rather than outgrow what a client accepts by
    /// default; the token then continues after its last report. `size` is a
    /// report's encoded length.
    fn cut(page: Page<R>, size: fn(&R) -> usize, query: &ListQuery) -> Listing<R> {
        let mut reports = Vec::with_capacity(page.reports.len());
        let mut bytes = 0;
        let mut next = page.next;
        let mut last = None;
        for Listed { report, after } in page.reports {
            let size = size(&report);
            if !reports.is_empty() && bytes + size > MAX_RESPONSE_BYTES {
                next = last;
                break;
            }
            bytes += size;
            reports.push(report);
            last = Some(after);
        }
        let span = tracing::Span::current();
        span.record("returned", reports.len());
        span.record("total", page.total);
        Listing {
            reports,
            next_page_token: next
                .map(|cursor| token::encode(query, &cursor))
                .unwrap_or_default(),
            total_size: i32::try_from(page.total).unwrap_or(i32::MAX),
        }
    }
}

/// Checks a `GetReportRequest`: the id, and whether the FULL view was asked for.
fn get_request(request: &proto::GetReportRequest) -> Result<(ReportId, bool), Error> {
    let mut violations = Vec::new();
    let id = report_id(&request.id, &mut violations);
    let full = full_view(request.view, &mut violations);
    match (id, violations.is_empty()) {
        (Some(id), true) => Ok((id, full)),
        _ => Err(Error::InvalidArgument(violations)),
    }
}

fn report_id(id: &str, violations: &mut Vec<Violation>) -> Option<ReportId> {
    let parsed = ReportId::parse(id.trim());
    if parsed.is_none() {
        let description = match id.trim().is_empty() {
            true => "must not be empty".to_owned(),
            false => "must be 64 hexadecimal digits (the SHA-256 of the report's normalised text)"
                .to_owned(),
        };
        violations.push(Violation::new("id", description));
    }
    parsed
}

/// Reads an enum filter: `None` for UNSPECIFIED, a violation for numbers
/// this server does not know.
fn enum_filter<W, D>(field: &'static str, number: i32, violations: &mut Vec<Violation>) -> Option<D>
where
    W: TryFrom<i32> + Default + PartialEq,
    D: From<W>,
{
    match W::try_from(number) {
        Ok(value) if value == W::default() => None,
        Ok(value) => Some(D::from(value)),
        Err(_) => {
            violations.push(Violation::new(
                field,
                format!("{number} is not a known value"),
            ));
            None
        }
    }
}

fn year(field: &'static str, value: i32, violations: &mut Vec<Violation>) -> Option<i32> {
    if value < 0 {
        violations.push(Violation::new(field, "must not be negative (0 means any)"));
    }
    (value > 0).then_some(value)
}

fn name(field: &'static str, value: &str, violations: &mut Vec<Violation>) -> String {
    if value.len() > MAX_NAME_BYTES {
        violations.push(Violation::new(
            field,
            format!("must be at most {MAX_NAME_BYTES} bytes"),
        ));
    }
    crate::text::Normalized::new(value).into_string()
}

/// Checks a `ListReportsRequest` and turns it into a store query and
/// whether the FULL view was asked for.
fn list_query(request: &proto::ListReportsRequest) -> Result<(ListQuery, bool), Error> {
    let mut violations = Vec::new();
    let page_size = match request.page_size {
        size if size < 0 => {
            violations.push(Violation::new(
                "page_size",
                "must not be negative (0 means the default of 50)",
            ));
            DEFAULT_PAGE_SIZE
        }
        0 => DEFAULT_PAGE_SIZE,
        size => usize::try_from(size)
            .unwrap_or(MAX_PAGE_SIZE)
            .min(MAX_PAGE_SIZE),
    };
    let year_from = year("year_from", request.year_from, &mut violations);
    let year_to = year("year_to", request.year_to, &mut violations);
    if let (Some(from), Some(to)) = (year_from, year_to)
        && from > to
    {
        violations.push(Violation::new(
            "year_from",
            format!("{from} is after year_to ({to})"),
        ));
    }
    let order = Order::parse(&request.order_by);
    if order.is_none() {
        violations.push(Violation::new(
            "order_by",
            "must be one of \"report_year desc\" (default), \"report_year\", \"submitted_at\", \
             \"submitted_at desc\", \"organization_name\", \"organization_name desc\"",
        ));
    }
    let full = full_view(request.view, &mut violations);
    let mut query = ListQuery {
        organization_name: name(
            "organization_name",
            &request.organization_name,
            &mut violations,
        ),
        level: enum_filter::<proto::OrganizationLevel, model::Level>(
            "level",
            request.level,
            &mut violations,
        ),
        parent_name: name("parent_name", &request.parent_name, &mut violations),
        province: name("province", &request.province, &mut violations),
        report_year: year("report_year", request.report_year, &mut violations),
        year_from,
        year_to,
        kind: enum_filter::<proto::ReportKind, model::ReportKind>(
            "kind",
            request.kind,
            &mut violations,
        ),
        rating: enum_filter::<proto::Rating, model::Rating>(
            "rating",
            request.rating,
            &mut violations,
        ),
        order: order.unwrap_or_default(),
        page_size,
        after: None,
    };
    if !violations.is_empty() {
        return Err(Error::InvalidArgument(violations));
    }
    if !request.page_token.is_empty() {
        query.after = match token::decode(&query, &request.page_token) {
            Ok(cursor) => Some(cursor),
            Err(token::TokenError::Malformed) => {
                return Err(Error::invalid(
                    "page_token",
                    "is not a page token this server issued",
                ));
            }
            Err(token::TokenError::OtherQuery) => {
                return Err(Error::invalid(
                    "page_token",
                    "belongs to a query with other filters or order_by; repeat the first request's filters",
                ));
            }
        };
    }
    Ok((query, full))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::store::Store;
    use crate::synth::Generator;
    use crate::{parse, text};

    #[tokio::test]
    async fn an_encoded_listing_is_the_encoding_of_the_decoded_one_page_after_page() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::with_data_dir(dir.path().join("data"));
        let store = Store::open(&config.data_dir).unwrap();
        let generator = Generator::new(7);
        let communes = Generator::communes();
        for year in 0..3 {
            for n in 0..40 {
                let text = text::Normalized::new(&generator.generate(year * communes + n * 7).text);
                store
                    .insert(&model::Report {
                        id: ReportId::of_text(&text).to_hex(),
                        parsed: parse::parse(&text),
                        text: text.into_string(),
                        ..Default::default()
                    })
                    .unwrap();
            }
        }
        let api = ReportApi::new(store, &config);
        let requests = [
            proto::ListReportsRequest::default(),
            proto::ListReportsRequest {
                page_size: 7,
                ..Default::default()
            },
            proto::ListReportsRequest {
                page_size: 5,
                view: proto::ReportView::Full as i32,
                order_by: "organization_name".into(),
                ..Default::default()
            },
            proto::ListReportsRequest {
                page_size: 3,
                year_from: 2016,
                year_to: 2016,
                ..Default::default()
            },
            proto::ListReportsRequest {
                page_size: 4,
                province: "Nowhere".into(),
                ..Default::default()
            },
        ];
        for first in requests {
            let mut request = first.clone();
            let mut pages = 0;
            loop {
                let decoded = api.list(request.clone()).await.unwrap();
                let encoded = api.list_encoded(request.clone()).await.unwrap();
                assert_eq!(encoded.0, decoded.encode_to_vec(), "{request:?}");
                pages += 1;
                if decoded.next_page_token.is_empty() {
                    break;
                }
                request.page_token = decoded.next_page_token;
            }
            assert!(pages >= 1);
        }
        // A bad request fails the same way on both paths.
        let bad = proto::ListReportsRequest {
            page_size: -1,
            ..Default::default()
        };
        let (decoded, encoded) = (api.list(bad.clone()).await, api.list_encoded(bad).await);
        assert_eq!(
            format!("{:?}", decoded.unwrap_err()),
            format!("{:?}", encoded.unwrap_err())
        );
    }
}
