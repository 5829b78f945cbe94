//! The report service end to end over a real socket: submit, get, list,
//! delete, idempotence, validate_only, import, restart on the same data.

use std::collections::HashSet;

use tonic::Code;

use tongket::proto::{
    self, DeleteReportRequest, GetReportRequest, ListReportsRequest, ParseReportRequest,
    ReportView, SubmitReportRequest,
};
use tongket::text::fold;

use crate::helpers::{TestApp, all_report_texts, report_text};

fn get(id: &str, view: ReportView) -> GetReportRequest {
    GetReportRequest {
        id: id.to_owned(),
        view: view.into(),
    }
}

fn by_org(name: &str) -> ListReportsRequest {
    ListReportsRequest {
        organization_name: name.to_owned(),
        ..Default::default()
    }
}

/// Lists, panicking on an error status.
async fn list(app: &mut TestApp, request: ListReportsRequest) -> proto::ListReportsResponse {
    app.client
        .list_reports(request)
        .await
        .expect("the listing succeeds")
        .into_inner()
}

fn ids(reports: &[proto::Report]) -> Vec<String> {
    reports.iter().map(|report| report.id.clone()).collect()
}

#[tokio::test]
async fn get_report_answers_what_the_decoded_record_is_in_both_views() {
    // The server sends stored bytes without decoding them; a client must
    // read exactly the record the store decodes, for every real report.
    let mut app = TestApp::spawn().await;
    let mut stored = Vec::new();
    for (_, text) in all_report_texts() {
        let report = app.submit(&text).await.report.expect("a report");
        stored.push(report.id);
    }
    for id in &stored {
        let key = tongket::store::ReportId::parse(id).unwrap();
        for (view, with_text) in [(ReportView::Basic, false), (ReportView::Full, true)] {
            let answered = app
                .client
                .get_report(get(id, view))
                .await
                .unwrap()
                .into_inner();
            let decoded = app.store.get_wire(&key, with_text).unwrap().unwrap();
            assert_eq!(answered, decoded, "{id} {view:?}");
            assert_eq!(answered.text.is_empty(), !with_text);
        }
    }

    let bad = app
        .client
        .get_report(get("not-an-id", ReportView::Basic))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(crate::helpers::violated_fields(&bad), ["id"]);
    let unknown_view = app
        .client
        .get_report(GetReportRequest {
            id: stored[0].clone(),
            view: 99,
        })
        .await
        .unwrap_err();
    assert_eq!(unknown_view.code(), Code::InvalidArgument);
    let missing = app
        .client
        .get_report(get(&"0".repeat(64), ReportView::Full))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn a_submitted_report_can_be_fetched_listed_and_deleted() {
    let mut app = TestApp::spawn().await;
    let text = report_text("son_lien_2023.txt");

    let submitted = app.submit(&text).await;
    let report = submitted.report.expect("the response carries the report");

    assert!(submitted.created);
    assert_eq!(report.id.len(), 64);
    assert_eq!(
        report.source.as_ref().map(|source| source.sha256.as_str()),
        Some(report.id.as_str())
    );
    assert!(
        report.text.is_empty(),
        "the submit response is the BASIC view"
    );

    let basic = app
        .client
        .get_report(get(&report.id, ReportView::Basic))
        .await
        .unwrap()
        .into_inner();
    let full = app
        .client
        .get_report(get(&report.id, ReportView::Full))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(basic.id, report.id);
    assert!(basic.text.is_empty());
    assert_eq!(
        full.text,
        tongket::text::Normalized::new(&text).into_string()
    );
    assert_eq!(basic.organization, report.organization);

    let listed = list(&mut app, ListReportsRequest::default()).await;
    assert_eq!(ids(&listed.reports), vec![report.id.clone()]);
    assert_eq!(listed.total_size, 1);
    assert!(listed.reports[0].text.is_empty());

    app.client
        .delete_report(DeleteReportRequest {
            id: report.id.clone(),
        })
        .await
        .unwrap();

    let after = app
        .client
        .get_report(get(&report.id, ReportView::Basic))
        .await
        .unwrap_err();
    assert_eq!(after.code(), Code::NotFound);
    let again = app
        .client
        .delete_report(DeleteReportRequest {
            id: report.id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::NotFound);
    let listed = list(&mut app, ListReportsRequest::default()).await;
    assert!(listed.reports.is_empty());
    assert_eq!(listed.total_size, 0);
}

#[tokio::test]
async fn the_same_text_submitted_twice_is_stored_once() {
    let mut app = TestApp::spawn().await;
    let text = report_text("thach_son_2023.txt");

    let first = app.submit(&text).await;
    // The same text in another Unicode form and with other line endings.
    let decomposed: String =
        unicode_normalization::UnicodeNormalization::nfd(text.as_str()).collect();
    let second = app.submit(&decomposed.replace('\n', "\r\n")).await;

    assert!(first.created);
    assert!(!second.created);
    let (first, second) = (first.report.unwrap(), second.report.unwrap());
    assert_eq!(first.id, second.id);
    assert_eq!(
        first.source, second.source,
        "the stored report keeps its first submission's source"
    );
    assert_eq!(app.store.len().unwrap(), 1);
    let listed = list(&mut app, ListReportsRequest::default()).await;
    assert_eq!(listed.total_size, 1);
}

#[tokio::test]
async fn validate_only_parses_without_storing() {
    let mut app = TestApp::spawn().await;
    let text = report_text("son_tra_2023.txt");

    let response = app
        .client
        .submit_report(SubmitReportRequest {
            text: text.clone(),
            validate_only: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let parsed = app
        .client
        .parse_report(ParseReportRequest { text: text.clone() })
        .await
        .unwrap()
        .into_inner();

    let report = response.report.unwrap();
    assert!(!response.created);
    assert_eq!(report.id, parsed.id);
    assert_eq!(report.organization, parsed.organization);
    assert!(app.store.is_empty());
    let fetched = app
        .client
        .get_report(get(&report.id, ReportView::Basic))
        .await
        .unwrap_err();
    assert_eq!(fetched.code(), Code::NotFound);

    // A later real submission is the first to store it.
    assert!(app.submit(&text).await.created);
}

#[tokio::test]
async fn an_import_skips_a_bad_item_and_keeps_the_rest() {
    let mut app = TestApp::spawn().await;
    let item = |name: &str, text: String| SubmitReportRequest {
        text,
        source_name: name.to_owned(),
        ..Default::default()
    };
    let items = vec![
        item("son_lien_2023.txt", report_text("son_lien_2023.txt")),
        item("empty.txt", "  \n ".to_owned()),
        item("phuoc_son_2023.txt", report_text("phuoc_son_2023.txt")),
        item(
            "copy_of_son_lien_2023.txt",
            report_text("son_lien_2023.txt"),
        ),
    ];

    let summary = app
        .client
        .import_reports(tokio_stream::iter(items))
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        (
            summary.received,
            summary.created,
            summary.duplicates,
            summary.rejected
        ),
        (4, 2, 1, 1)
    );
    assert_eq!(summary.errors.len(), 1);
    assert_eq!(summary.errors[0].index, 1);
    assert_eq!(summary.errors[0].source_name, "empty.txt");
    assert!(
        summary.errors[0].message.contains("text"),
        "{}",
        summary.errors[0].message
    );
    assert_eq!(app.store.len().unwrap(), 2);

    let again = app
        .client
        .import_reports(tokio_stream::iter(vec![item(
            "phuoc_son_2023.txt",
            report_text("phuoc_son_2023.txt"),
        )]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            again.received,
            again.created,
            again.duplicates,
            again.rejected
        ),
        (1, 0, 1, 0)
    );
}

#[tokio::test]
async fn organisation_names_match_regardless_of_case_diacritics_form_and_tone_placement() {
    let mut app = TestApp::spawn().await;
    for (_, text) in all_report_texts() {
        app.submit(&text).await;
    }
    let thuy = app
        .submit(&report_text("thuy_xuan_2023.txt"))
        .await
        .report
        .unwrap();

    let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Sơn Liên").collect();
    let mut found = Vec::new();
    for query in [
        "son lien",
        "SƠN LIÊN",
        "Sơn Liên",
        nfd.as_str(),
        "  sơn   liên ",
    ] {
        let listed = list(&mut app, by_org(query)).await;
        let mut listed_ids = ids(&listed.reports);
        listed_ids.sort();
        assert_eq!(listed.total_size as usize, listed_ids.len());
        for report in &listed.reports {
            let name = &report.organization.as_ref().unwrap().name;
            assert_eq!(fold(name), "son lien", "{query:?} listed {name:?}");
        }
        found.push(listed_ids);
    }
    assert_eq!(found[0].len(), 2, "both Sơn Liên seeds are found");
    assert!(
        found.iter().all(|ids| *ids == found[0]),
        "every spelling finds the same reports: {found:?}"
    );

    // "Thuỷ" (old tone placement) and "Thủy" (new) are one name.
    for query in ["Thủy Xuân", "Thuỷ Xuân", "THỦY XUÂN", "thuy xuan"] {
        let listed = list(&mut app, by_org(query)).await;
        assert_eq!(ids(&listed.reports), vec![thuy.id.clone()], "{query:?}");
    }

    let none = list(&mut app, by_org("son")).await;
    assert!(none.reports.is_empty(), "names match whole, not by prefix");
}

#[tokio::test]
async fn filters_combine_and_not_a_report_texts_are_left_out_by_default() {
    let mut app = TestApp::spawn().await;
    let mut stored = Vec::new();
    for (_, text) in all_report_texts() {
        stored.push(app.submit(&text).await.report.unwrap());
    }
    let other = app
        .submit(&report_text("not_a_report.txt"))
        .await
        .report
        .unwrap();
    assert_eq!(
        other.kind,
        i32::from(proto::ReportKind::NotAReport),
        "the parser recognises a non-report"
    );

    let all = list(&mut app, ListReportsRequest::default()).await;
    assert!(!ids(&all.reports).contains(&other.id));
    assert_eq!(all.total_size as usize, stored.len());
    let asked = ListReportsRequest {
        kind: proto::ReportKind::NotAReport.into(),
        ..Default::default()
    };
    let asked = list(&mut app, asked).await;
    assert_eq!(ids(&asked.reports), vec![other.id.clone()]);

    // Each filter returns exactly the stored reports it describes.
    let year_2023: HashSet<String> = stored
        .iter()
        .filter(|report| report.report_year == 2023)
        .map(|report| report.id.clone())
        .collect();
    assert!(!year_2023.is_empty());
    let listed = list(
        &mut app,
        ListReportsRequest {
            report_year: 2023,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        ids(&listed.reports).into_iter().collect::<HashSet<_>>(),
        year_2023
    );

    let range = ListReportsRequest {
        year_from: 2020,
        year_to: 2022,
        ..Default::default()
    };
    let listed = list(&mut app, range).await;
    let expected: HashSet<String> = stored
        .iter()
        .filter(|report| (2020..=2022).contains(&report.report_year))
        .map(|report| report.id.clone())
        .collect();
    assert_eq!(
        ids(&listed.reports).into_iter().collect::<HashSet<_>>(),
        expected
    );

    let commune = i32::from(proto::OrganizationLevel::Commune);
    let combined = ListReportsRequest {
        organization_name: "son lien".into(),
        level: commune,
        report_year: 2021,
        ..Default::default()
    };
    let listed = list(&mut app, combined).await;
    let expected: Vec<String> = stored
        .iter()
        .filter(|report| {
            let organization = report.organization.as_ref().unwrap();
            fold(&organization.name) == "son lien"
                && organization.level == commune
                && report.report_year == 2021
        })
        .map(|report| report.id.clone())
        .collect();
    assert_eq!(expected.len(), 1);
    assert_eq!(ids(&listed.reports), expected);
}

/// A year-end article whose text names the commune's district and province.
fn placed_article(commune: &str, district: &str, province: &str, year: i32) -> String {
    format!(
        "Đảng bộ xã {commune} tổng kết công tác Đảng năm {year}\n\
         Ngày 22/12/{year}, Đảng bộ xã {commune}, huyện {district}, tỉnh {province} tổ chức hội nghị \
         tổng kết công tác xây dựng Đảng năm {year}, triển khai phương hướng, nhiệm vụ năm {next}.\n\
         Năm {year}, Đảng bộ xã được xếp loại hoàn thành tốt nhiệm vụ.\n",
        next = year + 1
    )
}

fn by_place(parent: &str, province: &str, year: i32) -> ListReportsRequest {
    ListReportsRequest {
        parent_name: parent.into(),
        province: province.into(),
        report_year: year,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_province_filter_combines_with_the_others_and_survives_index_upgrades() {
    let mut app = TestApp::spawn().await;
    let texts = [
        placed_article("Sơn Liên", "Sơn Tây", "Quảng Ngãi", 2023),
        placed_article("Sơn Long", "Sơn Tây", "Quảng Ngãi", 2022),
        placed_article("Tam Thăng", "Núi Thành", "Quảng Nam", 2023),
    ];
    let mut stored = Vec::new();
    for text in &texts {
        let report = app.submit(text).await.report.unwrap();
        let organization = report.organization.unwrap();
        let province = if text.contains("Quảng Nam") {
            "quang nam"
        } else {
            "quang ngai"
        };
        assert_eq!(fold(&organization.province), province, "stated in the text");
        stored.push(report.id);
    }
    let cases = [
        (by_place("", "quang ngai", 0), vec![&stored[0], &stored[1]]),
        (by_place("", "QUẢNG NGÃI", 2023), vec![&stored[0]]),
        (
            by_place("son tay", "quang ngai", 0),
            vec![&stored[0], &stored[1]],
        ),
        (by_place("son tay", "quang nam", 0), vec![]),
        (by_place("", "quang nam", 0), vec![&stored[2]]),
        (by_place("", "ha noi", 0), vec![]),
    ];
    async fn each_lists_what_it_should(
        app: &mut TestApp,
        cases: &[(ListReportsRequest, Vec<&String>)],
    ) {
        for (request, expected) in cases {
            let response = list(app, request.clone()).await;
            assert_eq!(response.total_size as usize, response.reports.len());
            let listed: HashSet<String> = ids(&response.reports).into_iter().collect();
            let expected: HashSet<String> = expected.iter().map(|id| (*id).clone()).collect();
            assert_eq!(listed, expected, "{request:?}");
        }
    }
    each_lists_what_it_should(&mut app, &cases).await;

    // A store written before the province index existed: the tree is gone and
    // no index format is recorded. Opening it rebuilds the indexes.
    let mut app = app
        .restart_after(|data_dir| {
            let db = sled::open(data_dir).expect("the closed store opens");
            db.drop_tree("idx_province").expect("the tree is dropped");
            db.remove("index_format").expect("the format is forgotten");
            db.flush().expect("flushed");
        })
        .await;
    each_lists_what_it_should(&mut app, &cases).await;
    let checked = app.store.check(false).expect("the check runs");
    assert!(
        checked.consistent() && checked.missing == 0 && checked.stale == 0,
        "{checked:?}"
    );

    // A store written under index format 3, whose listing keys had no year
    // and level in them: opening it rewrites every entry in today's form.
    let mut app = app
        .restart_after(|data_dir| {
            let db = sled::open(data_dir).expect("the closed store opens");
            for (tree, cut) in [
                ("idx_org", None),
                ("idx_parent", None),
                ("idx_province", None),
                ("idx_year", Some(4..5)),
                ("idx_level", Some(1..5)),
            ] {
                let tree = db.open_tree(tree).expect("the tree opens");
                let entries: Vec<_> = tree.iter().map(|item| item.expect("reads")).collect();
                for (key, value) in entries {
                    let cut = cut.clone().unwrap_or(key.len() - 37..key.len() - 32);
                    let mut old = key[..cut.start].to_vec();
                    old.extend_from_slice(&key[cut.end..]);
                    tree.remove(&key).expect("removed");
                    tree.insert(old, value).expect("inserted");
                }
            }
            db.insert("index_format", &3u32.to_be_bytes())
                .expect("the format is recorded");
            db.flush().expect("flushed");
        })
        .await;
    each_lists_what_it_should(&mut app, &cases).await;
    let checked = app.store.check(false).expect("the check runs");
    assert!(
        checked.consistent() && checked.missing == 0 && checked.stale == 0,
        "{checked:?}"
    );
}

#[tokio::test]
async fn the_default_order_is_newest_year_first_and_order_by_is_honoured() {
    let mut app = TestApp::spawn().await;
    for (_, text) in all_report_texts() {
        app.submit(&text).await;
    }
    let years = |reports: &[proto::Report]| {
        reports
            .iter()
            .map(|report| report.report_year)
            .collect::<Vec<_>>()
    };

    let newest_first = list(&mut app, ListReportsRequest::default()).await;
    let mut expected = years(&newest_first.reports);
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(years(&newest_first.reports), expected);

    let request = ListReportsRequest {
        order_by: "report_year".into(),
        ..Default::default()
    };
    let oldest_first = list(&mut app, request).await;
    expected.reverse();
    assert_eq!(years(&oldest_first.reports), expected);

    let request = ListReportsRequest {
        order_by: "organization_name".into(),
        ..Default::default()
    };
    let by_name = list(&mut app, request).await;
    let names: Vec<String> = by_name
        .reports
        .iter()
        .map(|report| fold(&report.organization.as_ref().unwrap().name))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[tokio::test]
async fn paging_while_reports_are_added_yields_no_duplicates_and_no_gaps() {
    let mut app = TestApp::spawn().await;
    let base = report_text("son_lien_2023.txt");
    let variant = |n: usize| format!("{base}\nBản lưu số {n}.");
    for n in 0..23 {
        app.submit(&variant(n)).await;
    }
    let snapshot = list(
        &mut app,
        ListReportsRequest {
            page_size: 1000,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(snapshot.total_size, 23);
    assert!(snapshot.next_page_token.is_empty());

    let mut seen = Vec::new();
    let mut request = ListReportsRequest {
        page_size: 4,
        order_by: "submitted_at".into(),
        ..Default::default()
    };
    let mut added = 23;
    loop {
        let page = list(&mut app, request.clone()).await;
        assert!(page.reports.len() <= 4);
        seen.extend(ids(&page.reports));
        if page.next_page_token.is_empty() {
            break;
        }
        // Two more reports arrive between every two pages.
        for _ in 0..2 {
            app.submit(&variant(added)).await;
            added += 1;
        }
        request.page_token = page.next_page_token;
    }

    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no report is listed twice");
    for id in ids(&snapshot.reports) {
        assert!(
            unique.contains(&id),
            "report {id} present from the start was skipped"
        );
    }
}

#[tokio::test]
async fn page_size_zero_means_fifty_and_large_sizes_are_capped() {
    let mut app = TestApp::spawn().await;
    let base = report_text("son_tra_2023.txt");
    for n in 0..55 {
        app.submit(&format!("{base}\nBản lưu số {n}.")).await;
    }

    let default = list(&mut app, ListReportsRequest::default()).await;
    let huge = ListReportsRequest {
        page_size: 1_000_000,
        ..Default::default()
    };
    let huge = list(&mut app, huge).await;

    assert_eq!(default.reports.len(), 50);
    assert_eq!(default.total_size, 55);
    assert!(!default.next_page_token.is_empty());
    assert_eq!(huge.reports.len(), 55);
    assert!(huge.next_page_token.is_empty());
}

#[tokio::test]
async fn a_restart_on_the_same_data_keeps_every_report_and_index() {
    let mut app = TestApp::spawn().await;
    let mut stored = Vec::new();
    for (_, text) in all_report_texts() {
        stored.push(app.submit(&text).await.report.unwrap().id);
    }
    let queries = [
        ListReportsRequest::default(),
        by_org("son lien"),
        ListReportsRequest {
            report_year: 2023,
            ..Default::default()
        },
        ListReportsRequest {
            year_from: 2020,
            year_to: 2022,
            ..Default::default()
        },
        ListReportsRequest {
            order_by: "organization_name desc".into(),
            ..Default::default()
        },
    ];
    let mut before = Vec::new();
    for query in &queries {
        before.push(list(&mut app, query.clone()).await);
    }

    let mut app = app.restart().await;

    for id in &stored {
        let report = app
            .client
            .get_report(get(id, ReportView::Full))
            .await
            .unwrap()
            .into_inner();
        assert!(!report.text.is_empty());
    }
    for (query, before) in queries.iter().zip(before) {
        let after = list(&mut app, query.clone()).await;
        assert_eq!(after, before, "{query:?}");
    }
    assert!(!app.submit(&report_text("son_lien_2021.txt")).await.created);
}

#[tokio::test]
async fn a_full_view_page_stops_before_it_outgrows_a_default_client() {
    let mut app = TestApp::spawn_with(|config| config.max_text_bytes = 2 * 1024 * 1024).await;
    let base = report_text("thach_son_2023.txt");
    let padding = "Các chỉ tiêu cơ bản đều đạt. ".repeat(24_000);
    for n in 0..6 {
        app.submit(&format!("{base}\n{padding}\nBản lưu số {n}."))
            .await;
    }
    let mut request = ListReportsRequest {
        page_size: 100,
        view: ReportView::Full.into(),
        ..Default::default()
    };

    let mut pages = Vec::new();
    loop {
        let page = list(&mut app, request.clone()).await;
        assert_eq!(page.total_size, 6);
        pages.push(ids(&page.reports));
        if page.next_page_token.is_empty() {
            break;
        }
        request.page_token = page.next_page_token;
    }

    assert!(pages.len() > 1, "a page of six large texts is split");
    let all: Vec<String> = pages.concat();
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 6);
    assert_eq!(all.len(), 6);
}
