//! `GetReport` and `ListReports` answered with the stored bytes:
//! [`Reports`], the report service as the server mounts it.
//!
//! The generated `ReportServiceServer` decodes stored records into
//! `proto::Report`s only for prost to encode them again, byte for byte, into
//! the response. [`Reports`] routes `GetReport` and `ListReports` to handlers
//! whose codec writes bytes as they are ([`crate::store::Store::get_encoded`],
//! [`crate::store::Store::list_encoded`]: the same bytes, made without
//! decoding) and every other method to the generated server. Requests are
//! decoded by prost as before, under the same message size limit.

use std::convert::Infallible;
use std::task::{Context, Poll};

use prost::bytes::BufMut;
use tonic::codec::{Codec, EncodeBuf, Encoder};
use tonic::codegen::{Body, BoxFuture, Service, StdError, http};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Request, Response, Status};
use tonic_prost::ProstCodec;

use super::{ReportApi, respond};
use crate::proto;
use crate::proto::report_service_server::ReportServiceServer;

/// The paths of the methods served here.
const GET_REPORT: &str = "/tongket.v1.ReportService/GetReport";
const LIST_REPORTS: &str = "/tongket.v1.ReportService/ListReports";

/// An encoded response (a `tongket.v1.Report`, a `ListReportsResponse`),
/// sent as it is.
#[derive(Debug)]
pub struct EncodedReport(pub Vec<u8>);

/// The report service: `GetReport` from stored bytes, the rest generated.
#[derive(Debug, Clone)]
pub struct Reports {
    generated: ReportServiceServer<ReportApi>,
    api: ReportApi,
    max_decoding_message_size: usize,
}

impl Reports {
    pub fn new(api: ReportApi, max_decoding_message_size: usize) -> Reports {
        Reports {
            generated: ReportServiceServer::new(api.clone())
                .max_decoding_message_size(max_decoding_message_size),
            api,
            max_decoding_message_size,
        }
    }
}

impl NamedService for Reports {
    const NAME: &'static str = <ReportServiceServer<ReportApi> as NamedService>::NAME;
}

impl<B> Service<http::Request<B>> for Reports
where
    B: Body + Send + 'static,
    B::Error: Into<StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let limit = self.max_decoding_message_size;
        match request.uri().path() {
            GET_REPORT => {
                let handler = GetEncoded(self.api.clone());
                Box::pin(async move { Ok(unary_encoded(handler, request, limit).await) })
            }
            LIST_REPORTS => {
                let handler = ListEncoded(self.api.clone());
                Box::pin(async move { Ok(unary_encoded(handler, request, limit).await) })
            }
            _ => self.generated.call(request),
        }
    }
}

/// Serves one unary call whose response is written as it is.
async fn unary_encoded<S, Req, B>(
    handler: S,
    request: http::Request<B>,
    limit: usize,
) -> http::Response<tonic::body::Body>
where
    S: UnaryService<Req, Response = EncodedReport>,
    Req: prost::Message + Default + Send + 'static,
    B: Body + Send + 'static,
    B::Error: Into<StdError> + Send + 'static,
{
    let codec = EncodedCodec::<Req>(ProstCodec::default());
    let mut grpc = Grpc::new(codec).apply_max_message_size_config(Some(limit), None);
    grpc.unary(handler, request).await
}

/// The `GetReport` handler of [`Reports`].
struct GetEncoded(ReportApi);

impl UnaryService<proto::GetReportRequest> for GetEncoded {
    type Response = EncodedReport;
    type Future = BoxFuture<Response<EncodedReport>, Status>;

    fn call(&mut self, request: Request<proto::GetReportRequest>) -> Self::Future {
        let api = self.0.clone();
        Box::pin(async move { respond(api.get_encoded(request.into_inner()).await) })
    }
}

/// The `ListReports` handler of [`Reports`].
struct ListEncoded(ReportApi);

impl UnaryService<proto::ListReportsRequest> for ListEncoded {
    type Response = EncodedReport;
    type Future = BoxFuture<Response<EncodedReport>, Status>;

    fn call(&mut self, request: Request<proto::ListReportsRequest>) -> Self::Future {
        let api = self.0.clone();
        Box::pin(async move { respond(api.list_encoded(request.into_inner()).await) })
    }
}

/// Decodes requests of type `Req` with prost and writes [`EncodedReport`]s
/// as they are.
struct EncodedCodec<Req>(ProstCodec<proto::Report, Req>);

impl<Req> Codec for EncodedCodec<Req>
where
    Req: prost::Message + Default + Send + 'static,
{
    type Encode = EncodedReport;
    type Decode = Req;
    type Encoder = BytesEncoder;
    type Decoder = <ProstCodec<proto::Report, Req> as Codec>::Decoder;

    fn encoder(&mut self) -> BytesEncoder {
        BytesEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        self.0.decoder()
    }
}

struct BytesEncoder;

impl Encoder for BytesEncoder {
    type Item = EncodedReport;
    type Error = Status;

    fn encode(&mut self, item: EncodedReport, buffer: &mut EncodeBuf<'_>) -> Result<(), Status> {
        buffer.put_slice(&item.0);
        Ok(())
    }
}
