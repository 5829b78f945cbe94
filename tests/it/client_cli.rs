//! The `tongket` binary's server commands against a real server: health,
//! get, list (table and JSON) and delete.

use std::process::Output;

use crate::helpers::{TestApp, report_text, tongket};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn health_exits_zero_only_while_the_server_is_serving() {
    let mut app = TestApp::spawn().await;
    let url = app.url();

    let serving = tongket(&url, &["health"]).await;
    app.stop().await.unwrap();
    let stopped = tongket(&url, &["health"]).await;

    assert!(serving.status.success(), "{serving:?}");
    assert_eq!(stdout(&serving).trim(), "SERVING");
    assert!(!stopped.status.success(), "{stopped:?}");
}

#[tokio::test]
async fn get_list_and_delete_work_from_the_command_line() {
    let mut app = TestApp::spawn().await;
    let id = app
        .submit(&report_text("son_lien_2023.txt"))
        .await
        .report
        .unwrap()
        .id;
    let url = app.url();

    let fetched = tongket(&url, &["get", &id, "--json"]).await;
    let table = tongket(&url, &["list", "--org", "son lien"]).await;
    let listed = tongket(&url, &["list", "--org", "SƠN LIÊN", "--json"]).await;
    let in_province = tongket(&url, &["list", "--province", "quang ngai", "--json"]).await;
    let elsewhere = tongket(&url, &["list", "--province", "ha noi", "--json"]).await;
    let deleted = tongket(&url, &["delete", &id]).await;
    let missing = tongket(&url, &["get", &id]).await;

    let fetched: serde_json::Value =
        serde_json::from_slice(&fetched.stdout).expect("get --json prints JSON");
    assert_eq!(fetched["id"], id.as_str());
    let table = stdout(&table);
    assert!(table.starts_with("ID"), "{table}");
    assert!(table.contains(&id[..12]), "{table}");
    assert!(table.contains("1 of 1 matching reports"), "{table}");
    let listed: serde_json::Value =
        serde_json::from_slice(&listed.stdout).expect("list --json prints JSON");
    assert_eq!(listed["totalSize"], 1);
    assert_eq!(listed["reports"][0]["id"], id.as_str());
    let in_province: serde_json::Value =
        serde_json::from_slice(&in_province.stdout).expect("list --json prints JSON");
    assert_eq!(in_province["reports"][0]["id"], id.as_str());
    let elsewhere: serde_json::Value =
        serde_json::from_slice(&elsewhere.stdout).expect("list --json prints JSON");
    assert!(
        elsewhere["reports"].as_array().is_none_or(Vec::is_empty),
        "{elsewhere}"
    );
    assert!(deleted.status.success(), "{deleted:?}");
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("NotFound"),
        "{missing:?}"
    );
}
