//! Health and the graceful stop: SERVING once up; on the shutdown signal
//! health turns NOT_SERVING, a call already in flight still completes, and
//! everything acknowledged is on disk when the server has stopped.

use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;

use tongket::proto::{GetReportRequest, SubmitReportRequest};
use tongket::store::{ChangeKind, ReportId};
use tongket::text::Normalized;

use crate::helpers::{TestApp, report_text};

fn status(name: ServingStatus) -> i32 {
    name.into()
}

#[tokio::test]
async fn health_is_serving_for_the_server_and_the_report_service() {
    let app = TestApp::spawn().await;

    for service in ["", "tongket.v1.ReportService"] {
        let response = app
            .health()
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            response.status,
            status(ServingStatus::Serving),
            "{service:?}"
        );
    }
}

#[tokio::test]
async fn shutdown_turns_health_not_serving_and_lets_an_in_flight_import_finish() {
    let mut app = TestApp::spawn().await;
    let mut watch = app
        .health()
        .watch(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        watch.next().await.unwrap().unwrap().status,
        status(ServingStatus::Serving)
    );

    // An import is in flight: its first item is stored, the stream is open.
    let first = report_text("son_lien_2023.txt");
    let second = report_text("thach_son_2023.txt");
    let mut changes = app.store.subscribe();
    let (items, stream) = tokio::sync::mpsc::channel(4);
    let mut client = app.client.clone();
    let import =
        tokio::spawn(async move { client.import_reports(ReceiverStream::new(stream)).await });
    items
        .send(SubmitReportRequest {
            text: first.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let change = changes.recv().await.unwrap();
    assert_eq!(
        (change.kind, change.id),
        (
            ChangeKind::Created,
            ReportId::of_text(&Normalized::new(&first))
        )
    );

    app.begin_shutdown();

    assert_eq!(
        watch.next().await.unwrap().unwrap().status,
        status(ServingStatus::NotServing)
    );
    drop(watch);
    items
        .send(SubmitReportRequest {
            text: second.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    drop(items);
    let summary = import
        .await
        .unwrap()
        .expect("the in-flight import completes")
        .into_inner();
    assert_eq!(
        (summary.received, summary.created, summary.rejected),
        (2, 2, 0)
    );
    app.stop().await.expect("the server stops cleanly");

    let mut app = app.restart().await;
    for text in [&first, &second] {
        let id = ReportId::of_text(&Normalized::new(text)).to_hex();
        let request = GetReportRequest { id, view: 0 };
        app.client
            .get_report(request)
            .await
            .expect("an acknowledged report survives the stop");
    }
}
