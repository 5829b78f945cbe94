//! `tongket backup` and restore by `tongket import`: every stored text,
//! NOT_A_REPORT included, comes back into an empty server under the same id
//! with the same parsed fields and source, and queries answer alike.

use std::process::Output;

use tongket::proto::{self, SubmitReportRequest};

use crate::helpers::{self, TestApp, tongket};

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Every stored report, by id, in the FULL view.
async fn every_report(app: &mut TestApp) -> Vec<proto::Report> {
    let mut reports = Vec::new();
    for kind in [
        proto::ReportKind::Unspecified,
        proto::ReportKind::NotAReport,
    ] {
        let response = app
            .client
            .list_reports(proto::ListReportsRequest {
                kind: kind.into(),
                page_size: 1000,
                view: proto::ReportView::Full.into(),
                ..Default::default()
            })
            .await
            .expect("list succeeds")
            .into_inner();
        assert!(response.next_page_token.is_empty());
        reports.extend(response.reports);
    }
    reports.sort_by(|a, b| a.id.cmp(&b.id));
    reports
}

/// A report without the moment it was stored, which a restore sets anew.
fn without_submitted_at(mut report: proto::Report) -> proto::Report {
    if let Some(source) = report.source.as_mut() {
        source.submitted_at = None;
    }
    report
}

/// The ids a listing returns, sorted: a restore stores texts at new times,
/// so reports that tie on the sort key may come back in another order.
async fn listed(app: &mut TestApp, request: proto::ListReportsRequest) -> (Vec<String>, i32) {
    let response = app
        .client
        .list_reports(request)
        .await
        .expect("list succeeds")
        .into_inner();
    let mut ids: Vec<String> = response
        .reports
        .into_iter()
        .map(|report| report.id)
        .collect();
    ids.sort();
    (ids, response.total_size)
}

#[tokio::test]
async fn a_backup_restored_by_import_gives_the_same_reports_and_answers() {
    let mut original = TestApp::spawn().await;
    let mut texts = helpers::all_report_texts();
    texts.push((
        "not_a_report.txt".to_owned(),
        helpers::report_text("not_a_report.txt"),
    ));
    let mut kinds = Vec::new();
    for (index, (name, text)) in texts.iter().enumerate() {
        let response = original
            .client
            .submit_report(SubmitReportRequest {
                text: text.clone(),
                source_url: format!("https://example.vn/bai-viet/{index}"),
                source_name: name.clone(),
                validate_only: false,
            })
            .await
            .expect("the submission succeeds")
            .into_inner();
        assert!(response.created);
        kinds.push(response.report.expect("a report").kind);
    }
    assert!(kinds.contains(&i32::from(proto::ReportKind::NotAReport)));
    let stored = every_report(&mut original).await;
    assert_eq!(stored.len(), texts.len());

    let dir = tempfile::tempdir().expect("a temp dir");
    let backup = dir.path().join("backup.jsonl");
    let backup_arg = backup.to_str().expect("a UTF-8 path");
    let output = tongket(&original.url(), &["backup", backup_arg]).await;
    assert_success(&output, "backup");
    assert!(!dir.path().join("backup.jsonl.partial").exists());
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&backup)
        .expect("the backup exists")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), stored.len());
    for line in &lines {
        let report = stored
            .iter()
            .find(|report| report.id == line["id"])
            .expect("each line is a stored report");
        let source = report.source.clone().expect("a source");
        assert_eq!(line["text"], report.text.as_str());
        assert_eq!(line["source_url"], source.url.as_str());
        assert_eq!(line["source_name"], source.name.as_str());
        assert_eq!(line["parser_version"], report.parser_version.as_str());
        assert_eq!(
            line["submitted_at"],
            source.submitted_at.expect("a time").to_string().as_str()
        );
    }

    let mut restored = TestApp::spawn().await;
    let output = tongket(
        &restored.url(),
        &["import", "--progress", "none", backup_arg],
    )
    .await;
    assert_success(&output, "import");
    let again = every_report(&mut restored).await;
    assert_eq!(
        again.iter().map(|r| &r.id).collect::<Vec<_>>(),
        stored.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    for (before, after) in stored.iter().zip(&again) {
        assert_eq!(
            without_submitted_at(after.clone()),
            without_submitted_at(before.clone())
        );
        let fetched = restored
            .client
            .get_report(proto::GetReportRequest {
                id: before.id.clone(),
                view: proto::ReportView::Basic.into(),
            })
            .await
            .expect("get succeeds")
            .into_inner();
        assert_eq!(fetched.text, "");
        assert_eq!(
            without_submitted_at(fetched),
            without_submitted_at(proto::Report {
                text: String::new(),
                ..before.clone()
            })
        );
    }

    let some_report = stored
        .iter()
        .find(|report| report.kind != i32::from(proto::ReportKind::NotAReport))
        .expect("a report");
    let organization = some_report.organization.clone().expect("an organisation");
    let queries = [
        proto::ListReportsRequest::default(),
        proto::ListReportsRequest {
            kind: proto::ReportKind::NotAReport.into(),
            ..Default::default()
        },
        proto::ListReportsRequest {
            report_year: some_report.report_year,
            order_by: "organization_name".to_owned(),
            ..Default::default()
        },
        proto::ListReportsRequest {
            organization_name: organization.name.clone(),
            ..Default::default()
        },
        proto::ListReportsRequest {
            level: organization.level,
            ..Default::default()
        },
    ];
    for query in queries {
        let before = listed(&mut original, query.clone()).await;
        let after = listed(&mut restored, query.clone()).await;
        assert!(before.1 > 0, "{query:?} matches something");
        assert_eq!(after, before, "{query:?}");
    }
}

#[tokio::test]
async fn a_backup_of_an_empty_server_is_empty_and_goes_to_stdout_with_dash() {
    let mut original = TestApp::spawn().await;
    let output = tongket(&original.url(), &["backup", "-"]).await;
    assert_success(&output, "backup");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert!(String::from_utf8_lossy(&output.stderr).contains("backed up 0 reports"));

    let text = helpers::report_text("son_lien_2023.txt");
    let id = original.submit(&text).await.report.expect("a report").id;
    let output = tongket(&original.url(), &["backup", "-"]).await;
    assert_success(&output, "backup");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], id.as_str());
}
