//! Bearer-token roles, TLS and call deadlines against the real server.

use std::time::Duration;

use tonic::Code;
use tonic::service::Interceptor;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;

use tongket::auth::Tokens;
use tongket::proto::report_service_client::ReportServiceClient;
use tongket::proto::{DeleteReportRequest, ListReportsRequest, SubmitReportRequest};

use crate::helpers::{TestApp, report_text, self_signed, tongket_with_args};

const READER: &str = "reader-secret-0123456789";
const WRITER: &str = "writer-secret-0123456789";
const ADMIN: &str = "admin-secret-01234567890";

fn tokens() -> Tokens {
    Tokens::parse(&format!(
        "{READER} reader\n{WRITER} writer\n{ADMIN} admin\n"
    ))
    .unwrap()
}

/// A report client that sends `token` with every call.
fn with_token(
    app: &TestApp,
    token: &str,
) -> ReportServiceClient<tonic::service::interceptor::InterceptedService<Channel, impl Interceptor>>
{
    let value: tonic::metadata::MetadataValue<_> = format!("Bearer {token}").parse().unwrap();
    ReportServiceClient::with_interceptor(
        app.channel.clone(),
        move |mut request: tonic::Request<()>| {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
            Ok(request)
        },
    )
}

#[tokio::test]
async fn with_auth_tokens_every_call_needs_a_token_with_a_sufficient_role() {
    let mut app = TestApp::spawn_with(|config| config.auth = Some(tokens())).await;
    let submit = || SubmitReportRequest {
        text: report_text("son_lien_2023.txt"),
        ..Default::default()
    };

    let anonymous = app
        .client
        .list_reports(ListReportsRequest::default())
        .await
        .unwrap_err();
    let stranger = with_token(&app, "not-a-known-token-at-all")
        .list_reports(ListReportsRequest::default())
        .await;
    let reader_lists = with_token(&app, READER)
        .list_reports(ListReportsRequest::default())
        .await;
    let reader_submits = with_token(&app, READER)
        .submit_report(submit())
        .await
        .unwrap_err();
    let writer_submits = with_token(&app, WRITER)
        .submit_report(submit())
        .await
        .unwrap()
        .into_inner();
    let id = writer_submits.report.unwrap().id;
    let writer_deletes = with_token(&app, WRITER)
        .delete_report(DeleteReportRequest { id: id.clone() })
        .await;
    let admin_deletes = with_token(&app, ADMIN)
        .delete_report(DeleteReportRequest { id })
        .await;
    let health = app
        .health()
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await;

    assert_eq!(anonymous.code(), Code::Unauthenticated);
    assert_eq!(stranger.unwrap_err().code(), Code::Unauthenticated);
    assert!(reader_lists.is_ok());
    assert_eq!(reader_submits.code(), Code::PermissionDenied);
    assert!(
        reader_submits.message().contains("writer"),
        "{reader_submits:?}"
    );
    assert!(writer_submits.created);
    assert_eq!(writer_deletes.unwrap_err().code(), Code::PermissionDenied);
    assert!(admin_deletes.is_ok());
    assert!(health.is_ok(), "health stays open");
}

#[tokio::test]
async fn the_client_sends_its_token_from_the_flag() {
    let app = TestApp::spawn_with(|config| config.auth = Some(tokens())).await;
    let list = |token: Option<&str>| {
        let mut args = vec!["--server".to_owned(), app.url(), "list".to_owned()];
        if let Some(token) = token {
            args.extend(["--token".to_owned(), token.to_owned()]);
        }
        tongket_with_args(args)
    };

    let with = list(Some(READER)).await;
    let without = list(None).await;

    assert!(with.status.success(), "{with:?}");
    assert!(!without.status.success());
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("Unauthenticated"),
        "{without:?}"
    );
}

#[tokio::test]
async fn a_tls_server_serves_trusting_clients_and_refuses_plaintext() {
    let identity = self_signed();
    let cert_pem = identity.cert_pem.clone();
    let mut app = TestApp::spawn_with(|config| config.tls = Some(identity)).await;
    let ca_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ca_file.path(), &cert_pem).unwrap();

    let submitted = app.submit(&report_text("phuoc_son_2023.txt")).await;
    let plaintext = ReportServiceClient::connect(format!("http://{}", app.address)).await;
    let plaintext_call = match plaintext {
        Ok(mut client) => client
            .list_reports(ListReportsRequest::default())
            .await
            .is_ok(),
        Err(_) => false,
    };
    let cli = tongket_with_args(vec![
        "--server".into(),
        app.url(),
        "--ca-cert".into(),
        ca_file.path().display().to_string(),
        "health".into(),
    ])
    .await;
    let untrusting = tongket_with_args(vec!["--server".into(), app.url(), "health".into()]).await;

    assert!(submitted.created);
    assert!(app.url().starts_with("https://"));
    assert!(!plaintext_call, "a plaintext call must not succeed");
    assert!(cli.status.success(), "{cli:?}");
    assert!(
        !untrusting.status.success(),
        "a client without the CA must not connect"
    );
}

#[tokio::test]
async fn a_long_import_stops_when_its_deadline_passes() {
    let app = TestApp::spawn().await;
    let (items, stream) = tokio::sync::mpsc::channel(1);
    items
        .send(SubmitReportRequest {
            text: report_text("son_tra_2023.txt"),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut request = tonic::Request::new(tokio_stream::wrappers::ReceiverStream::new(stream));
    request.set_timeout(Duration::from_millis(300));

    // The stream stays open: only the deadline can end the call.
    let outcome = app.client.clone().import_reports(request).await;

    let status = outcome.expect_err("the call ends at its deadline");
    assert!(
        matches!(status.code(), Code::Cancelled | Code::DeadlineExceeded),
        "{status:?}"
    );
    drop(items);
    let health = app
        .health()
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await;
    assert!(health.is_ok());
}
