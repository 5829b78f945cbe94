//! The gRPC `tongket.v1.ReportService`: [`ReportApi`] and its trait impl.
//!
//! The `impl ReportService` block only delegates: each RPC is one line that
//! calls a method in a sibling module (`submit`, `read`) and turns its
//! [`Error`] into a `Status`. Handlers validate the request into domain
//! values, do blocking work (parsing, sled) on the blocking pool, await a
//! flush before acknowledging a write, and convert the result back.

mod encoded;
mod query;
mod read;

pub use encoded::{EncodedReport, Reports};
pub use query::{SearchCheck, check_search, reparse_at_startup};
mod submit;
mod token;

use tonic::{Request, Response, Status, Streaming};

use crate::config::Config;
use crate::error::Error;
use crate::proto;
use crate::proto::report_service_server::ReportService;
use crate::store::Store;

/// The service's state: the store and the request limits.
#[derive(Debug, Clone)]
pub struct ReportApi {
    store: Store,
    max_text_bytes: usize,
    /// Items of one import stream parsed and stored at once.
    import_parallelism: usize,
    /// The search index and the task that keeps it in step with the store.
    queries: query::Queries,
}

impl ReportApi {
    pub fn new(store: Store, config: &Config) -> ReportApi {
        let queries = query::Queries::start(store.clone(), &config.data_dir);
        ReportApi {
            store,
            max_text_bytes: config.max_text_bytes,
            // Two per core, so a core never waits while another item is read.
            import_parallelism: std::thread::available_parallelism().map_or(2, |n| n.get() * 2),
            queries,
        }
    }
}

/// Wraps a handler's outcome for tonic.
fn respond<T>(outcome: Result<T, Error>) -> Result<Response<T>, Status> {
    outcome.map(Response::new).map_err(Status::from)
}

#[tonic::async_trait]
impl ReportService for ReportApi {
    async fn submit_report(
        &self,
        request: Request<proto::SubmitReportRequest>,
    ) -> Result<Response<proto::SubmitReportResponse>, Status> {
        respond(self.submit(request.into_inner()).await)
    }

    async fn parse_report(
        &self,
        request: Request<proto::ParseReportRequest>,
    ) -> Result<Response<proto::Report>, Status> {
        respond(self.parse(request.into_inner()).await)
    }

    async fn import_reports(
        &self,
        request: Request<Streaming<proto::SubmitReportRequest>>,
    ) -> Result<Response<proto::ImportReportsResponse>, Status> {
        respond(self.import(request.into_inner()).await)
    }

    async fn get_report(
        &self,
        request: Request<proto::GetReportRequest>,
    ) -> Result<Response<proto::Report>, Status> {
        respond(self.get(request.into_inner()).await)
    }

    async fn list_reports(
        &self,
        request: Request<proto::ListReportsRequest>,
    ) -> Result<Response<proto::ListReportsResponse>, Status> {
        respond(self.list(request.into_inner()).await)
    }

    async fn delete_report(
        &self,
        request: Request<proto::DeleteReportRequest>,
    ) -> Result<Response<()>, Status> {
        respond(self.delete(request.into_inner()).await)
    }

    async fn search_reports(
        &self,
        request: Request<proto::SearchReportsRequest>,
    ) -> Result<Response<proto::SearchReportsResponse>, Status> {
        respond(self.search_reports(request.into_inner()).await)
    }

    async fn query_indicators(
        &self,
        request: Request<proto::QueryIndicatorsRequest>,
    ) -> Result<Response<proto::QueryIndicatorsResponse>, Status> {
        respond(self.query_indicators(request.into_inner()).await)
    }

    async fn get_organization_history(
        &self,
        request: Request<proto::GetOrganizationHistoryRequest>,
    ) -> Result<Response<proto::OrganizationHistory>, Status> {
        respond(self.organization_history(request.into_inner()).await)
    }

    async fn get_statistics(
        &self,
        request: Request<proto::GetStatisticsRequest>,
    ) -> Result<Response<proto::Statistics>, Status> {
        respond(self.statistics(request.into_inner()).await)
    }

    type ExportReportsStream = query::ReportStream;

    async fn export_reports(
        &self,
        request: Request<proto::ExportReportsRequest>,
    ) -> Result<Response<Self::ExportReportsStream>, Status> {
        respond(self.export_reports(request.into_inner()).await)
    }

    type WatchReportsStream = query::EventStream;

    async fn watch_reports(
        &self,
        request: Request<proto::WatchReportsRequest>,
    ) -> Result<Response<Self::WatchReportsStream>, Status> {
        respond(self.watch_reports(request.into_inner()).await)
    }

    async fn reparse_reports(
        &self,
        request: Request<proto::ReparseReportsRequest>,
    ) -> Result<Response<proto::ReparseReportsResponse>, Status> {
        respond(self.reparse_reports(request.into_inner()).await)
    }
}
