//! The bad-input catalogue: malformed requests of every kind go through the
//! real server; each gets the right status with a message that names the
//! problem, and none of them panics the server, leaves a partial write or
//! touches a report already stored.

use base64::Engine;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Status};
use tonic_health::pb::HealthCheckRequest;

use tongket::proto::{self, GetReportRequest, ListReportsRequest, ReportView, SubmitReportRequest};
use tongket::store::{ChangeKind, ReportId};
use tongket::text::Normalized;

use crate::helpers::{TestApp, report_text, violated_fields};

fn text(text: String) -> SubmitReportRequest {
    SubmitReportRequest {
        text,
        ..Default::default()
    }
}

/// The status of a submission that must fail.
async fn refused(app: &mut TestApp, request: SubmitReportRequest) -> Status {
    app.client
        .submit_report(request)
        .await
        .expect_err("the submission is refused")
}

async fn listed(
    app: &mut TestApp,
    request: ListReportsRequest,
) -> Result<proto::ListReportsResponse, Status> {
    app.client
        .list_reports(request)
        .await
        .map(tonic::Response::into_inner)
}

#[tokio::test]
async fn bad_requests_are_refused_by_name_and_change_nothing() {
    const LIMIT: usize = 64 * 1024;
    let mut app = TestApp::spawn_with(|config| config.max_text_bytes = LIMIT).await;
    let kept = app
        .submit(&report_text("son_lien_2021.txt"))
        .await
        .report
        .unwrap();
    let full = |id: &str| GetReportRequest {
        id: id.to_owned(),
        view: ReportView::Full.into(),
    };
    let before = app
        .client
        .get_report(full(&kept.id))
        .await
        .unwrap()
        .into_inner();

    // Texts.
    let cases = [
        (String::new(), "empty"),
        (" \t\n\r ".to_owned(), "whitespace"),
        ("a".repeat(LIMIT + 1), "--max-text-bytes"),
        ("Đảng ủy xã Sơn Liên\0tổng kết".to_owned(), "U+0000"),
        ("Đảng ủy xã\u{7} Sơn Liên".to_owned(), "U+0007"),
        ("Đảng ủy\u{1b}[31m xã".to_owned(), "U+001B"),
    ];
    for (bad_text, named) in cases {
        let status = refused(&mut app, text(bad_text)).await;
        assert_eq!(status.code(), Code::InvalidArgument, "{named}: {status:?}");
        assert_eq!(violated_fields(&status), vec!["text".to_owned()], "{named}");
        assert!(
            status.message().contains(named),
            "{named}: {}",
            status.message()
        );
    }
    // Exactly at the limit is fine.
    let mut at_limit = report_text("son_tra_2023.txt");
    at_limit.push_str(&"\n".repeat(LIMIT - at_limit.len()));
    assert_eq!(at_limit.len(), LIMIT);
    assert!(app.submit(&at_limit).await.created);

    // A message over the transport's own size limit (4 MiB).
    let oversized = refused(&mut app, text("ă".repeat(3 * 1024 * 1024))).await;
    assert!(
        matches!(oversized.code(), Code::OutOfRange | Code::ResourceExhausted),
        "{oversized:?}"
    );
    assert!(oversized.message().contains("too large"), "{oversized:?}");

    // Page tokens and sizes.
    let random_bytes: Vec<u8> = (0u8..48)
        .map(|n| n.wrapping_mul(97).wrapping_add(13))
        .collect();
    let tokens = [
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&random_bytes),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([1u8; 9]),
        "%%%".to_owned(),
        "\u{1F600}".to_owned(),
    ];
    for token in tokens {
        let status = listed(
            &mut app,
            ListReportsRequest {
                page_token: token.clone(),
                ..Default::default()
            },
        )
        .await
        .expect_err("a forged token is refused");
        assert_eq!(
            violated_fields(&status),
            vec!["page_token".to_owned()],
            "{token:?}"
        );
    }
    let huge = listed(
        &mut app,
        ListReportsRequest {
            page_size: i32::MAX,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(huge.reports.len() <= 1000);
    let negative = listed(
        &mut app,
        ListReportsRequest {
            page_size: i32::MIN,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        violated_fields(&negative.unwrap_err()),
        vec!["page_size".to_owned()]
    );
    let reversed = ListReportsRequest {
        year_from: 2024,
        year_to: 2020,
        ..Default::default()
    };
    let reversed = listed(&mut app, reversed).await.unwrap_err();
    assert!(reversed.message().contains("year_from"), "{reversed:?}");
    let unknown_enum = listed(
        &mut app,
        ListReportsRequest {
            level: -1,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        violated_fields(&unknown_enum.unwrap_err()),
        vec!["level".to_owned()]
    );

    // Nothing else changed, and the indexes agree with the records.
    let after = app
        .client
        .get_report(full(&kept.id))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(after, before);
    assert_eq!(app.store.len().unwrap(), 2);
    let checked = app.store.check(false).unwrap();
    assert!(checked.consistent(), "{checked:?}");
    let health = app
        .health()
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap();
    assert_eq!(health.into_inner().status, 1, "still SERVING");
}

#[tokio::test]
async fn a_client_stream_that_stops_half_way_keeps_what_arrived_and_nothing_partial() {
    let mut app = TestApp::spawn().await;
    let first = report_text("thach_son_2023.txt");
    let mut changes = app.store.subscribe();
    let (items, stream) = tokio::sync::mpsc::channel(4);
    let mut client = app.client.clone();
    let import =
        tokio::spawn(async move { client.import_reports(ReceiverStream::new(stream)).await });
    items.send(text(first.clone())).await.unwrap();
    let change = changes.recv().await.unwrap();
    assert_eq!(
        (change.kind, change.id),
        (
            ChangeKind::Created,
            ReportId::of_text(&Normalized::new(&first))
        )
    );

    // The client goes away in the middle of the stream.
    import.abort();
    assert!(import.await.unwrap_err().is_cancelled());
    drop(items);

    // The server is unharmed; the item that arrived is whole.
    let stored = app.submit(&first).await;
    assert!(
        !stored.created,
        "the item received before the break was kept"
    );
    assert!(app.submit(&report_text("son_tra_2023.txt")).await.created);
    let checked = app.store.check(false).unwrap();
    assert!(checked.consistent(), "{checked:?}");
    assert_eq!(checked.records, 2);
}
