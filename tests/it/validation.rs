//! Every bad request is refused with INVALID_ARGUMENT and a
//! `google.rpc.BadRequest` naming the offending field; unknown ids are
//! NOT_FOUND. Table-driven: one row per mistake.

use tonic::{Code, Status};

use tongket::proto::{
    DeleteReportRequest, GetReportRequest, ListReportsRequest, ParseReportRequest,
    SubmitReportRequest,
};

use crate::helpers::{TestApp, report_text, violated_fields};

/// One bad request and the field it must be blamed on.
enum Call {
    Submit(SubmitReportRequest),
    Parse(ParseReportRequest),
    Get(GetReportRequest),
    List(ListReportsRequest),
    Delete(DeleteReportRequest),
}

async fn call(app: &mut TestApp, call: Call) -> Result<(), Status> {
    let client = &mut app.client;
    match call {
        Call::Submit(request) => client.submit_report(request).await.map(drop),
        Call::Parse(request) => client.parse_report(request).await.map(drop),
        Call::Get(request) => client.get_report(request).await.map(drop),
        Call::List(request) => client.list_reports(request).await.map(drop),
        Call::Delete(request) => client.delete_report(request).await.map(drop),
    }
}

fn submit(text: &str) -> Call {
    Call::Submit(SubmitReportRequest {
        text: text.to_owned(),
        ..Default::default()
    })
}

fn list(edit: impl FnOnce(&mut ListReportsRequest)) -> Call {
    let mut request = ListReportsRequest::default();
    edit(&mut request);
    Call::List(request)
}

#[tokio::test]
async fn each_bad_request_is_invalid_argument_naming_its_field() {
    const LIMIT: usize = 4096;
    let mut app = TestApp::spawn_with(|config| config.max_text_bytes = LIMIT).await;
    let cases: Vec<(&str, Call, &str)> = vec![
        ("empty text", submit(""), "text"),
        ("whitespace text", submit(" \n\t\u{a0} "), "text"),
        (
            "text over the limit",
            submit(&"a".repeat(LIMIT + 1)),
            "text",
        ),
        (
            "empty text to parse",
            Call::Parse(ParseReportRequest {
                text: String::new(),
            }),
            "text",
        ),
        (
            "overlong source name",
            Call::Submit(SubmitReportRequest {
                text: "Đảng ủy xã".into(),
                source_name: "x".repeat(5000),
                ..Default::default()
            }),
            "source_name",
        ),
        (
            "empty id",
            Call::Get(GetReportRequest {
                id: String::new(),
                view: 0,
            }),
            "id",
        ),
        (
            "id that is not hex",
            Call::Get(GetReportRequest {
                id: "z".repeat(64),
                view: 0,
            }),
            "id",
        ),
        (
            "short id",
            Call::Delete(DeleteReportRequest {
                id: "abc123".into(),
            }),
            "id",
        ),
        (
            "unknown view",
            Call::Get(GetReportRequest {
                id: "a".repeat(64),
                view: 9,
            }),
            "view",
        ),
        (
            "negative page size",
            list(|r| r.page_size = -1),
            "page_size",
        ),
        (
            "bad page token",
            list(|r| r.page_token = "not-a-token".into()),
            "page_token",
        ),
        (
            "year_from after year_to",
            list(|r| (r.year_from, r.year_to) = (2025, 2023)),
            "year_from",
        ),
        (
            "negative year",
            list(|r| r.report_year = -2023),
            "report_year",
        ),
        ("unknown level", list(|r| r.level = 99), "level"),
        ("unknown kind", list(|r| r.kind = 42), "kind"),
        ("unknown rating", list(|r| r.rating = 7), "rating"),
        ("unknown list view", list(|r| r.view = 5), "view"),
        (
            "unknown order",
            list(|r| r.order_by = "title".into()),
            "order_by",
        ),
    ];

    for (name, request, field) in cases {
        let status = call(&mut app, request).await.expect_err(name);
        assert_eq!(status.code(), Code::InvalidArgument, "{name}: {status:?}");
        assert_eq!(
            violated_fields(&status),
            vec![field.to_owned()],
            "{name}: {status:?}"
        );
    }
}

#[tokio::test]
async fn a_text_over_the_limit_is_told_the_limit() {
    let mut app = TestApp::spawn_with(|config| config.max_text_bytes = 1000).await;

    let status = call(&mut app, submit(&"ă".repeat(600))).await.unwrap_err();

    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("1000") && status.message().contains("--max-text-bytes"),
        "{status:?}"
    );
    assert!(app.store.is_empty());
}

#[tokio::test]
async fn a_page_token_from_another_query_is_refused() {
    let mut app = TestApp::spawn().await;
    let base = report_text("son_lien_2023.txt");
    for n in 0..3 {
        app.submit(&format!("{base}\n{n}")).await;
    }
    let first = ListReportsRequest {
        page_size: 1,
        ..Default::default()
    };
    let token = app
        .client
        .list_reports(first.clone())
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    assert!(!token.is_empty());

    let other = ListReportsRequest {
        page_size: 1,
        page_token: token.clone(),
        report_year: 2023,
        ..Default::default()
    };
    let status = app.client.list_reports(other).await.unwrap_err();
    let reordered = ListReportsRequest {
        page_token: token.clone(),
        order_by: "submitted_at".into(),
        ..Default::default()
    };
    let reordered = app.client.list_reports(reordered).await.unwrap_err();
    // page_size and view may change between pages.
    let resized = ListReportsRequest {
        page_size: 2,
        page_token: token,
        ..Default::default()
    };
    let resized = app.client.list_reports(resized).await.unwrap().into_inner();

    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(violated_fields(&status), vec!["page_token".to_owned()]);
    assert_eq!(violated_fields(&reordered), vec!["page_token".to_owned()]);
    assert_eq!(resized.reports.len(), 2);
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    let mut app = TestApp::spawn().await;
    let id = "0".repeat(64);

    let get = app
        .client
        .get_report(GetReportRequest {
            id: id.clone(),
            view: 0,
        })
        .await
        .unwrap_err();
    let delete = app
        .client
        .delete_report(DeleteReportRequest { id })
        .await
        .unwrap_err();

    assert_eq!(get.code(), Code::NotFound);
    assert_eq!(delete.code(), Code::NotFound);
}
