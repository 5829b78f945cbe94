//! The query calls end to end over a real socket: search (accent-insensitive,
//! phrases, filters, paging), indicator rows with thresholds, organisation
//! history, statistics, export (gRPC stream and the CLI's CSV), watch and
//! reparse.
//!
//! The texts are written for these tests with plain, unambiguous facts
//! ("Đàn bò: 840 con, đạt 100,11% KH giao"); expected figures are worked
//! out by hand from those facts.

use std::process::Command;

use tonic::Code;
use unicode_normalization::UnicodeNormalization;

use tongket::proto::{
    self, ExportReportsRequest, GetOrganizationHistoryRequest, GetReportRequest,
    GetStatisticsRequest, QueryIndicatorsRequest, ReparseReportsRequest, ReportFilter, ReportView,
    SearchReportsRequest, WatchReportsRequest,
};

use tongket::query::search::SearchIndex;
use tongket::service::check_search;
use tongket::store::Store;

use crate::helpers::{TestApp, report_text};

/// A year-end news article about one commune with the given facts.
fn article(
    commune: &str,
    district: &str,
    year: i32,
    cattle: u32,
    cattle_percent: &str,
    rating: &str,
    extra: &str,
) -> String {
    format!(
        "Đảng ủy xã {commune} tổ chức hội nghị tổng kết công tác Đảng năm {year}\n\
         Ngày 20/12/{year}, Đảng bộ xã {commune}, huyện {district}, tỉnh Quảng Ngãi tổ chức hội nghị tổng kết công tác \
         Đảng năm {year}, triển khai phương hướng, nhiệm vụ năm {next}.\n\
         Năm {year}, Đàn bò: {cattle} con, đạt {cattle_percent}% KH giao. {extra}\n\
         Trong năm có 6/6 chi bộ hoàn thành tốt nhiệm vụ trở lên, trong đó 2 chi bộ hoàn thành xuất sắc nhiệm vụ.\n\
         Đảng bộ xã được Ban Thường vụ Huyện ủy đánh giá, xếp loại {rating}.\n",
        next = year + 1
    )
}

async fn submit_all(app: &mut TestApp, texts: &[String]) -> Vec<String> {
    let mut ids = Vec::new();
    for text in texts {
        ids.push(app.submit(text).await.report.expect("a report").id);
    }
    ids
}

fn search(query: &str) -> SearchReportsRequest {
    SearchReportsRequest {
        query: query.into(),
        ..Default::default()
    }
}

async fn search_ids(app: &mut TestApp, request: SearchReportsRequest) -> Vec<String> {
    let response = app
        .client
        .search_reports(request)
        .await
        .expect("the search succeeds")
        .into_inner();
    let mut ids: Vec<String> = response.hits.into_iter().map(|hit| hit.report_id).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn cattle() -> QueryIndicatorsRequest {
    QueryIndicatorsRequest {
        key: "cattle_herd".into(),
        ..Default::default()
    }
}

fn row_names(response: &proto::QueryIndicatorsResponse) -> Vec<String> {
    response
        .rows
        .iter()
        .map(|row| row.organization.clone().unwrap_or_default().name)
        .collect()
}

/// Three communes of 2023: one met its cattle target, one missed it, one exceeded it.
fn three_communes() -> Vec<String> {
    vec![
        article(
            "Sơn Liên",
            "Sơn Tây",
            2023,
            840,
            "100,11",
            "hoàn thành xuất sắc nhiệm vụ",
            "",
        ),
        article(
            "Sơn Trà",
            "Sơn Tây",
            2023,
            600,
            "95",
            "hoàn thành tốt nhiệm vụ",
            "",
        ),
        article(
            "Sơn Long",
            "Sơn Tây",
            2023,
            1000,
            "120",
            "hoàn thành tốt nhiệm vụ",
            "",
        ),
    ]
}

/// The three communes of 2023, and Sơn Liên's 2022 report, which missed its cattle target.
fn three_communes_and_one_earlier_year() -> Vec<String> {
    let mut texts = three_communes();
    texts.push(article(
        "Sơn Liên",
        "Sơn Tây",
        2022,
        780,
        "97,5",
        "hoàn thành nhiệm vụ",
        "",
    ));
    texts
}

#[tokio::test]
async fn search_ignores_case_diacritics_unicode_form_and_tone_placement() {
    let mut app = TestApp::spawn().await;
    let phrase = article(
        "Sơn Liên",
        "Sơn Tây",
        2023,
        840,
        "100",
        "hoàn thành tốt nhiệm vụ",
        "Xã đạt chuẩn nông thôn mới kiểu mẫu.",
    );
    let scattered = article(
        "Sơn Trà",
        "Sơn Tây",
        2023,
        500,
        "100",
        "hoàn thành tốt nhiệm vụ",
        "Thôn kiểu mẫu được xây dựng; nông thôn mới được giữ vững.",
    );
    // Decomposed (NFD) and with the old tone placement ("hoà").
    let decomposed: String = article(
        "Phước Sơn",
        "Sơn Tây",
        2022,
        300,
        "100",
        "hoàn thành nhiệm vụ",
        "Giữ vững hoà bình, ổn định.",
    )
    .nfd()
    .collect();
    let ids = submit_all(&mut app, &[phrase, scattered, decomposed]).await;

    assert_eq!(
        search_ids(&mut app, search("NONG THON MOI KIEU MAU")).await,
        sorted(vec![ids[0].clone(), ids[1].clone()])
    );
    assert_eq!(
        search_ids(&mut app, search("\"nông thôn mới kiểu mẫu\"")).await,
        vec![ids[0].clone()]
    );
    assert_eq!(
        search_ids(&mut app, search("hòa bình")).await,
        vec![ids[2].clone()]
    );
    assert_eq!(
        search_ids(&mut app, search("HOÀ BÌNH")).await,
        vec![ids[2].clone()]
    );
}

#[tokio::test]
async fn search_highlights_filters_and_pages() {
    let mut app = TestApp::spawn().await;
    let texts: Vec<String> = (0..5)
        .map(|i| {
            article(
                &format!("Tịnh {}", ["An", "Bình", "Hòa", "Minh", "Phong"][i]),
                "Sơn Tịnh",
                2019 + i as i32,
                100,
                "100",
                "hoàn thành tốt nhiệm vụ",
                "Phong trào chuyển đổi số được triển khai.",
            )
        })
        .collect();
    let ids = submit_all(&mut app, &texts).await;

    let first = app
        .client
        .search_reports(SearchReportsRequest {
            query: "chuyen doi so".into(),
            page_size: 2,
            ..Default::default()
        })
        .await
        .expect("the search succeeds")
        .into_inner();
    assert_eq!((first.hits.len(), first.total_size), (2, 5));
    let snippet = &first.hits[0].snippets[0];
    let marked: Vec<&str> = snippet
        .highlights
        .iter()
        .map(|span| &snippet.fragment[span.start as usize..span.end as usize])
        .collect();
    assert_eq!(marked, vec!["chuyển", "đổi", "số"]);
    assert!(snippet.html.contains("<b>chuyển</b>"));

    let mut seen: Vec<String> = first.hits.iter().map(|hit| hit.report_id.clone()).collect();
    let mut token = first.next_page_token;
    while !token.is_empty() {
        let page = app
            .client
            .search_reports(SearchReportsRequest {
                query: "chuyen doi so".into(),
                page_size: 2,
                page_token: token,
                ..Default::default()
            })
            .await
            .expect("the next page comes")
            .into_inner();
        seen.extend(page.hits.iter().map(|hit| hit.report_id.clone()));
        token = page.next_page_token;
    }
    assert_eq!(sorted(seen), sorted(ids.clone()));

    let recent = SearchReportsRequest {
        query: "chuyen doi so".into(),
        filter: Some(ReportFilter {
            year_from: 2022,
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        search_ids(&mut app, recent).await,
        sorted(ids[3..].to_vec())
    );

    let empty = app
        .client
        .search_reports(search("  "))
        .await
        .expect_err("an empty query is refused");
    assert_eq!(empty.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn indicator_thresholds_find_who_missed_met_and_exceeded_their_target() {
    let mut app = TestApp::spawn().await;
    submit_all(&mut app, &three_communes()).await;
    let query = |request: QueryIndicatorsRequest| {
        let mut client = app.client.clone();
        async move {
            client
                .query_indicators(request)
                .await
                .expect("the query succeeds")
                .into_inner()
        }
    };

    let missed = query(QueryIndicatorsRequest {
        year: 2023,
        met: Some(false),
        ..cattle()
    })
    .await;
    assert_eq!(row_names(&missed), vec!["Sơn Trà"]);
    let indicator = missed.rows[0]
        .indicator
        .clone()
        .expect("the row carries the indicator");
    assert_eq!(
        (
            indicator.value,
            indicator.percent_of_plan,
            indicator.unit.as_str()
        ),
        (Some(600.0), Some(95.0), "con")
    );

    let met = query(QueryIndicatorsRequest {
        min_percent_of_plan: Some(100.0),
        order_by: "value desc".into(),
        ..cattle()
    })
    .await;
    assert_eq!(row_names(&met), vec!["Sơn Long", "Sơn Liên"]);

    let between = query(QueryIndicatorsRequest {
        min_value: Some(700.0),
        max_value: Some(1000.0),
        ..cattle()
    })
    .await;
    assert_eq!(sorted(row_names(&between)), vec!["Sơn Liên", "Sơn Long"]);

    let by_name = query(QueryIndicatorsRequest {
        name: "ĐÀN BÒ".into(),
        organization_name: "son lien".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(row_names(&by_name), vec!["Sơn Liên"]);

    let other_year = query(QueryIndicatorsRequest {
        year: 2022,
        ..cattle()
    })
    .await;
    assert_eq!(other_year.total_size, 0);

    let first = query(QueryIndicatorsRequest {
        page_size: 2,
        order_by: "percent_of_plan".into(),
        ..cattle()
    })
    .await;
    assert_eq!(
        (row_names(&first), first.total_size),
        (vec!["Sơn Trà".to_string(), "Sơn Liên".to_string()], 3)
    );
    let rest = query(QueryIndicatorsRequest {
        page_size: 2,
        order_by: "percent_of_plan".into(),
        page_token: first.next_page_token.clone(),
        ..cattle()
    })
    .await;
    assert_eq!(
        (row_names(&rest), rest.next_page_token.as_str()),
        (vec!["Sơn Long".to_string()], "")
    );

    let mut client = app.client.clone();
    let refused = client
        .query_indicators(QueryIndicatorsRequest {
            min_value: Some(5.0),
            max_value: Some(1.0),
            ..cattle()
        })
        .await
        .expect_err("a minimum above the maximum is refused");
    assert_eq!(refused.code(), Code::InvalidArgument);
    let foreign = client
        .query_indicators(QueryIndicatorsRequest {
            page_token: first.next_page_token,
            year: 2023,
            ..cattle()
        })
        .await
        .expect_err("a token from another query is refused");
    assert_eq!(foreign.code(), Code::InvalidArgument);
}

/// Every cattle row's organisation, sorted, and the row count the call reports.
async fn cattle_rows(app: &TestApp, request: QueryIndicatorsRequest) -> (Vec<String>, i32) {
    let response = app
        .client
        .clone()
        .query_indicators(request)
        .await
        .expect("the query succeeds")
        .into_inner();
    (sorted(row_names(&response)), response.total_size)
}

async fn cattle_statistics(app: &TestApp) -> (i32, i32, f64) {
    let stats = app
        .client
        .clone()
        .get_statistics(GetStatisticsRequest::default())
        .await
        .expect("statistics are computed")
        .into_inner();
    let cattle = stats
        .indicators
        .iter()
        .find(|it| it.key == "cattle_herd")
        .expect("the cattle herd");
    let value = cattle.value.expect("value figures");
    (stats.report_count, cattle.met, value.median)
}

#[tokio::test]
async fn indicator_rows_and_statistics_follow_deletes_and_an_index_format_upgrade() {
    let mut app = TestApp::spawn().await;
    let ids = submit_all(&mut app, &three_communes()).await;
    let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    // The organisation filters are judged from the slim index entries.
    let in_district = QueryIndicatorsRequest {
        parent_name: "SƠN TÂY".into(),
        ..cattle()
    };
    let in_province = QueryIndicatorsRequest {
        province: "quang ngai".into(),
        level: proto::OrganizationLevel::Commune as i32,
        ..cattle()
    };
    let elsewhere = QueryIndicatorsRequest {
        parent_name: "Ba Tơ".into(),
        ..cattle()
    };
    let all = names(&["Sơn Liên", "Sơn Long", "Sơn Trà"]);
    assert_eq!(
        cattle_rows(&app, in_district.clone()).await,
        (all.clone(), 3)
    );
    assert_eq!(cattle_rows(&app, in_province.clone()).await, (all, 3));
    assert_eq!(cattle_rows(&app, elsewhere.clone()).await, (vec![], 0));
    assert_eq!(cattle_statistics(&app).await, (3, 2, 840.0));

    // Sơn Trà (600 head, 95%) is deleted: its rows and figures go with it.
    app.client
        .delete_report(proto::DeleteReportRequest { id: ids[1].clone() })
        .await
        .expect("the report is deleted");
    let left = names(&["Sơn Liên", "Sơn Long"]);
    assert_eq!(
        cattle_rows(&app, in_district.clone()).await,
        (left.clone(), 2)
    );
    let missed = QueryIndicatorsRequest {
        met: Some(false),
        ..cattle()
    };
    assert_eq!(cattle_rows(&app, missed.clone()).await, (vec![], 0));
    // Without filters the total is the bucket counts' sum.
    assert_eq!(cattle_rows(&app, cattle()).await, (left.clone(), 2));
    // Median of 840 and 1000 head.
    assert_eq!(cattle_statistics(&app).await, (2, 2, 920.0));
    let checked = app.store.check(false).expect("the check runs");
    assert!(checked.consistent() && checked.missing == 0, "{checked:?}");

    // A data directory whose indexes were written in an older layout: the
    // recorded format is older and the values no longer decode. Opening it
    // rebuilds them from the records, and the answers stay the same.
    let app = app
        .restart_after(|data_dir| {
            let db = sled::open(data_dir).expect("the closed store opens");
            for tree in ["idx_indicator", "idx_stats"] {
                let tree = db.open_tree(tree).expect("the tree opens");
                let keys: Vec<_> = tree.iter().keys().map(|key| key.unwrap()).collect();
                assert!(!keys.is_empty());
                for key in keys {
                    tree.insert(key, b"an older layout".as_slice()).unwrap();
                }
            }
            // Stores before format 5 kept no row counts.
            db.drop_tree("idx_indicator_count").unwrap();
            db.insert("index_format", &2u32.to_be_bytes()).unwrap();
            db.flush().expect("flushed");
        })
        .await;
    assert_eq!(cattle_rows(&app, cattle()).await, (left.clone(), 2));
    assert_eq!(cattle_rows(&app, in_district).await, (left.clone(), 2));
    assert_eq!(cattle_rows(&app, in_province).await, (left, 2));
    assert_eq!(cattle_rows(&app, missed).await, (vec![], 0));
    assert_eq!(cattle_statistics(&app).await, (2, 2, 920.0));
    let checked = app.store.check(false).expect("the check runs");
    assert!(
        checked.consistent() && checked.missing == 0 && checked.stale == 0,
        "{checked:?}"
    );
}

#[tokio::test]
async fn the_search_index_check_finds_a_lost_document_and_repair_rebuilds_it() {
    let mut app = TestApp::spawn().await;
    let ids = submit_all(&mut app, &three_communes()).await;
    // The search answers once the index has applied every write.
    assert_eq!(
        search_ids(&mut app, search("Sơn Tây")).await,
        sorted(ids.clone())
    );
    let lost = ids[0].clone();
    let app = app
        .restart_after(|data_dir| {
            let store = Store::open(data_dir).expect("the store opens");
            let clean = check_search(&store, data_dir, false).expect("the check runs");
            assert!(clean.consistent(), "{clean:?}");
            assert_eq!((clean.documents, clean.records), (3, 3));
            {
                // A document goes missing behind the store's back.
                let index = SearchIndex::open(&data_dir.join("search")).expect("the index opens");
                let next = index.next_sequence().expect("the index was filled");
                index
                    .apply(&[], std::slice::from_ref(&lost), next)
                    .expect("removed");
            }
            let damaged = check_search(&store, data_dir, false).expect("the check runs");
            assert!(!damaged.consistent(), "{damaged:?}");
            assert_eq!(
                (damaged.documents, damaged.missing, damaged.extra),
                (2, 1, 0)
            );
            let repaired = check_search(&store, data_dir, true).expect("the repair runs");
            assert!(repaired.rebuilt && repaired.consistent(), "{repaired:?}");
            let again = check_search(&store, data_dir, false).expect("the check runs");
            assert!(again.consistent() && !again.rebuilt, "{again:?}");
            assert_eq!(again.documents, 3);
        })
        .await;
    let mut app = app;
    assert_eq!(search_ids(&mut app, search("Sơn Tây")).await, sorted(ids));
}

#[tokio::test]
async fn history_follows_one_commune_across_three_years() {
    let mut app = TestApp::spawn().await;
    let texts = vec![
        article(
            "Sơn Liên",
            "Sơn Tây",
            2023,
            840,
            "100,11",
            "hoàn thành xuất sắc nhiệm vụ",
            "",
        ),
        article(
            "Sơn Liên",
            "Sơn Tây",
            2021,
            700,
            "100",
            "hoàn thành nhiệm vụ",
            "",
        ),
        article(
            "Sơn Liên",
            "Sơn Tây",
            2022,
            800,
            "100",
            "hoàn thành tốt nhiệm vụ",
            "",
        ),
        // Another commune, and a text that is not a year-end report.
        article(
            "Sơn Trà",
            "Sơn Tây",
            2022,
            100,
            "100",
            "hoàn thành tốt nhiệm vụ",
            "",
        ),
        report_text("not_a_report.txt"),
    ];
    let ids = submit_all(&mut app, &texts).await;

    let history = app
        .client
        .get_organization_history(GetOrganizationHistoryRequest {
            organization_name: "SON LIEN".into(),
            ..Default::default()
        })
        .await
        .expect("the history is found")
        .into_inner();
    let years: Vec<(i32, String)> = history
        .years
        .iter()
        .map(|y| (y.report_year, y.report_id.clone()))
        .collect();
    assert_eq!(
        years,
        vec![
            (2021, ids[1].clone()),
            (2022, ids[2].clone()),
            (2023, ids[0].clone())
        ]
    );
    let ratings: Vec<i32> = history.years.iter().map(|y| y.rating).collect();
    assert_eq!(
        ratings,
        vec![
            proto::Rating::Completed as i32,
            proto::Rating::Good as i32,
            proto::Rating::Excellent as i32
        ]
    );
    let cells = history.years[2]
        .cell_ratings
        .expect("cell ratings are kept");
    assert_eq!((cells.excellent, cells.total), (2, 6));

    let cattle_by_year: Vec<(Option<f64>, Option<f64>, i32)> = history
        .years
        .iter()
        .map(|year| {
            let change = year
                .indicators
                .iter()
                .find(|c| c.key == "cattle_herd")
                .expect("the cattle herd each year");
            (
                change.indicator.clone().and_then(|it| it.value),
                change.change,
                change.previous_year,
            )
        })
        .collect();
    assert_eq!(
        cattle_by_year,
        vec![
            (Some(700.0), None, 0),
            (Some(800.0), Some(100.0), 2021),
            (Some(840.0), Some(40.0), 2022)
        ]
    );
    let last = history.years[2]
        .indicators
        .iter()
        .find(|c| c.key == "cattle_herd")
        .expect("the 2023 herd");
    assert_eq!(last.change_percent, Some(5.0));

    let unknown = app
        .client
        .get_organization_history(GetOrganizationHistoryRequest {
            organization_name: "Hoà Bình".into(),
            ..Default::default()
        })
        .await
        .expect_err("a text that is not a report makes no history");
    assert_eq!(unknown.code(), Code::NotFound);
}

#[tokio::test]
async fn statistics_match_hand_computed_numbers() {
    let mut app = TestApp::spawn().await;
    let mut texts = three_communes_and_one_earlier_year();
    texts.push(report_text("not_a_report.txt"));
    submit_all(&mut app, &texts).await;

    let stats = app
        .client
        .get_statistics(GetStatisticsRequest {
            filter: Some(ReportFilter {
                report_year: 2023,
                ..Default::default()
            }),
        })
        .await
        .expect("statistics are computed")
        .into_inner();
    assert_eq!(stats.report_count, 3);
    let cattle = stats
        .indicators
        .iter()
        .find(|it| it.key == "cattle_herd")
        .expect("the cattle herd");
    let value = cattle.value.expect("value figures");
    // 840, 600 and 1000 head.
    assert_eq!(
        (value.n, value.min, value.max, value.median),
        (3, 600.0, 1000.0, 840.0)
    );
    assert!((value.mean - 2440.0 / 3.0).abs() < 1e-9);
    // 100.11%, 95% and 120% of plan; two of three met it.
    let percent = cattle.percent_of_plan.expect("percent figures");
    assert_eq!(
        (percent.n, percent.min, percent.max, percent.median),
        (3, 95.0, 120.0, 100.11)
    );
    assert!((percent.mean - 315.11 / 3.0).abs() < 1e-9);
    assert_eq!((cattle.with_plan_status, cattle.met), (3, 2));
    assert!((cattle.met_share - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(cattle.unit, "con");
    // Each report: 6 cells, 2 excellent, 4 good.
    let cells = stats.cell_ratings.expect("summed cell ratings");
    assert_eq!((cells.excellent, cells.good, cells.total), (6, 12, 18));
    let ratings: Vec<(i32, i32)> = stats.ratings.iter().map(|r| (r.rating, r.count)).collect();
    assert_eq!(
        ratings,
        vec![
            (proto::Rating::Excellent as i32, 1),
            (proto::Rating::Good as i32, 2)
        ]
    );

    let everything = app
        .client
        .get_statistics(GetStatisticsRequest::default())
        .await
        .expect("statistics are computed")
        .into_inner();
    // The text that is not a year-end report is never counted.
    assert_eq!(everything.report_count, 4);
    let years: Vec<(i32, i32)> = everything
        .by_year
        .iter()
        .map(|y| (y.year, y.count))
        .collect();
    assert_eq!(years, vec![(2022, 1), (2023, 3)]);
    let provinces: Vec<(String, i32)> = everything
        .by_province
        .iter()
        .map(|p| (p.province.clone(), p.count))
        .collect();
    assert_eq!(provinces, vec![("Quảng Ngãi".to_string(), 4)]);
    let cattle = everything
        .indicators
        .iter()
        .find(|it| it.key == "cattle_herd")
        .expect("the cattle herd");
    assert_eq!((cattle.count, cattle.met), (4, 2));
}

#[tokio::test]
async fn export_streams_every_matching_report_and_the_csv_round_trips() {
    let mut app = TestApp::spawn().await;
    let texts = three_communes_and_one_earlier_year();
    let ids = submit_all(&mut app, &texts).await;

    let mut stream = app
        .client
        .export_reports(ExportReportsRequest {
            filter: Some(ReportFilter {
                report_year: 2023,
                ..Default::default()
            }),
            view: ReportView::Full.into(),
        })
        .await
        .expect("the export starts")
        .into_inner();
    let mut exported = Vec::new();
    while let Some(report) = stream.message().await.expect("the export streams") {
        assert!(!report.text.is_empty(), "the FULL view carries the text");
        exported.push(report.id);
    }
    assert_eq!(sorted(exported), sorted(ids[..3].to_vec()));

    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv_path = dir.path().join("reports.csv");
    let mut export = Command::new(env!("CARGO_BIN_EXE_tongket"));
    export
        .args(["--server", &app.url(), "export", "--format", "csv", "--out"])
        .arg(&csv_path);
    // The server runs on this test's runtime: wait for the client off it.
    let status = tokio::task::spawn_blocking(move || export.status())
        .await
        .expect("the wait does not panic")
        .expect("the client runs");
    assert!(status.success());
    let mut reader = csv::Reader::from_path(&csv_path).expect("the CSV opens");
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .expect("the column exists")
    };
    let (id, org, year, key, value, percent) = (
        column("report_id"),
        column("organization"),
        column("report_year"),
        column("key"),
        column("value"),
        column("percent_of_plan"),
    );
    let mut cattle_rows: Vec<(String, String, String, f64, f64)> = reader
        .records()
        .map(|record| record.expect("a well-formed row"))
        .filter(|record| &record[key] == "cattle_herd")
        .map(|record| {
            (
                record[id].to_string(),
                record[org].to_string(),
                record[year].to_string(),
                record[value].parse().expect("a number"),
                record[percent].parse().expect("a number"),
            )
        })
        .collect();
    cattle_rows.sort_by(|a, b| a.3.total_cmp(&b.3));
    // Every stored cattle figure comes back, with its report's id and organisation.
    let mut expected = Vec::new();
    for report_id in &ids {
        let report = app
            .client
            .get_report(GetReportRequest {
                id: report_id.clone(),
                view: ReportView::Basic.into(),
            })
            .await
            .expect("the report is stored")
            .into_inner();
        let herd = report
            .indicators
            .iter()
            .find(|it| it.key == "cattle_herd")
            .expect("a cattle herd");
        expected.push((
            report.id.clone(),
            report.organization.clone().unwrap_or_default().name,
            report.report_year.to_string(),
            herd.value.expect("a value"),
            herd.percent_of_plan.expect("a percentage"),
        ));
    }
    expected.sort_by(|a, b| a.3.total_cmp(&b.3));
    assert_eq!(cattle_rows, expected);
}

#[tokio::test]
async fn watch_receives_a_report_submitted_after_it_started_and_replays_from_a_cursor() {
    let mut app = TestApp::spawn().await;
    let earlier = submit_all(&mut app, &[three_communes()[0].clone()]).await;

    // The response arrives once the server is subscribed; no event can be missed after it.
    let mut live = app
        .client
        .watch_reports(WatchReportsRequest::default())
        .await
        .expect("the watch starts")
        .into_inner();
    let later = submit_all(&mut app, &[three_communes()[1].clone()]).await;
    let event = live
        .message()
        .await
        .expect("the stream is healthy")
        .expect("an event arrives");
    assert_eq!(event.r#type, proto::ReportEventType::Created as i32);
    assert_eq!(event.report_id, later[0]);
    assert_eq!(
        event
            .report
            .expect("created events carry the report")
            .organization
            .unwrap_or_default()
            .name,
        "Sơn Trà"
    );

    app.client
        .delete_report(proto::DeleteReportRequest {
            id: earlier[0].clone(),
        })
        .await
        .expect("the delete succeeds");
    let deleted = live
        .message()
        .await
        .expect("the stream is healthy")
        .expect("an event arrives");
    assert_eq!(
        (deleted.r#type, deleted.report_id.as_str()),
        (proto::ReportEventType::Deleted as i32, earlier[0].as_str())
    );

    let mut replay = app
        .client
        .watch_reports(WatchReportsRequest {
            cursor: "0".into(),
            ..Default::default()
        })
        .await
        .expect("the replay starts")
        .into_inner();
    let mut replayed = Vec::new();
    for _ in 0..3 {
        let event = replay
            .message()
            .await
            .expect("the stream is healthy")
            .expect("an event arrives");
        replayed.push((event.r#type, event.report_id, event.cursor));
    }
    let kinds: Vec<(i32, &str)> = replayed
        .iter()
        .map(|(kind, id, _)| (*kind, id.as_str()))
        .collect();
    let created = proto::ReportEventType::Created as i32;
    let deleted = proto::ReportEventType::Deleted as i32;
    assert_eq!(
        kinds,
        vec![
            (created, earlier[0].as_str()),
            (created, later[0].as_str()),
            (deleted, earlier[0].as_str())
        ]
    );

    // Resuming after the second event replays only the third.
    let mut resumed = app
        .client
        .watch_reports(WatchReportsRequest {
            cursor: replayed[1].2.clone(),
            ..Default::default()
        })
        .await
        .expect("the resume starts")
        .into_inner();
    let event = resumed
        .message()
        .await
        .expect("the stream is healthy")
        .expect("an event arrives");
    assert_eq!(
        (event.r#type, event.cursor.as_str()),
        (deleted, replayed[2].2.as_str())
    );
}

#[tokio::test]
async fn reparse_restores_records_written_by_an_older_parser() {
    let mut app = TestApp::spawn().await;
    let ids = submit_all(&mut app, &three_communes()).await;
    let current = app
        .client
        .get_report(GetReportRequest {
            id: ids[1].clone(),
            view: ReportView::Basic.into(),
        })
        .await
        .expect("the report is stored")
        .into_inner();

    // Make one record look as an older parser left it: another version, no indicators.
    let id = tongket::store::ReportId::parse(&ids[1]).expect("a valid id");
    let mut old = app
        .store
        .get(&id)
        .expect("the store reads")
        .expect("the record exists");
    old.parser_version = "0.0.1-old".into();
    old.parsed.indicators.clear();
    assert!(app.store.replace(&old).expect("the store writes"));
    let before = app
        .client
        .query_indicators(QueryIndicatorsRequest {
            met: Some(false),
            ..cattle()
        })
        .await
        .expect("the query succeeds")
        .into_inner();
    assert_eq!(before.total_size, 0, "the old record has no indicator rows");

    let outcome = app
        .client
        .reparse_reports(ReparseReportsRequest {
            only_outdated: true,
        })
        .await
        .expect("the reparse succeeds")
        .into_inner();
    assert_eq!((outcome.total, outcome.skipped, outcome.changed), (3, 2, 1));
    assert_eq!(outcome.parser_version, current.parser_version);

    let reparsed = app
        .client
        .get_report(GetReportRequest {
            id: ids[1].clone(),
            view: ReportView::Basic.into(),
        })
        .await
        .expect("the report keeps its id")
        .into_inner();
    assert_eq!(reparsed.parser_version, current.parser_version);
    assert_eq!(reparsed.indicators, current.indicators);
    let after = app
        .client
        .query_indicators(QueryIndicatorsRequest {
            met: Some(false),
            ..cattle()
        })
        .await
        .expect("the query succeeds")
        .into_inner();
    assert_eq!(
        row_names(&after),
        vec!["Sơn Trà"],
        "the indicator index is rebuilt"
    );
    assert_eq!(
        search_ids(&mut app, search("Sơn Trà")).await,
        vec![ids[1].clone()]
    );
}
