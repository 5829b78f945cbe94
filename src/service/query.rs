//! The query side of the service: `SearchReports`, `QueryIndicators`,
//! `GetOrganizationHistory`, `GetStatistics`, `ExportReports`,
//! `WatchReports` and `ReparseReports`, and [`Queries`], the task that keeps
//! the tantivy search index in step with the store.
//!
//! **Invariants:**
//! - The search index follows the store's `changes` log; every commit
//!   records the sequence it covers. At start-up an index that is missing,
//!   unreadable or not from this store is rebuilt from sled.
//! - A search sees every write acknowledged before it started: it waits
//!   until the index has applied the store's latest change.
//! - Handlers validate requests into domain values, do sled and tantivy work
//!   on the blocking pool and convert results through `crate::convert`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{Notify, broadcast, mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;

use super::ReportApi;
use crate::error::{Error, Violation};
use crate::model::{Level, Rating, Report, ReportKind};
use crate::query::indicators::{IndicatorQuery, Lookup, Order};
use crate::query::search::{Hit, SearchIndex, SearchQuery};
use crate::query::{self, Event, EventKind, Filter, history};
use crate::store::{Change, ChangeKind, ReportId, Store, keys};
use crate::{convert, parse, proto, text};

/// The search index's directory under the data directory.
const SEARCH_DIR: &str = "search";
/// Changes applied to the search index per commit.
const FOLLOW_BATCH: usize = 2000;
/// Reports per commit while rebuilding the search index.
const REBUILD_BATCH: usize = 5000;
/// Longest accepted search query or name filter, in bytes.
const MAX_QUERY_BYTES: usize = 1024;
/// Reports buffered ahead of a slow export or watch client.
const STREAM_BUFFER: usize = 64;

pub type ReportStream = ReceiverStream<Result<proto::Report, Status>>;
pub type EventStream = ReceiverStream<Result<proto::ReportEvent, Status>>;

/// What the search follower has done so far.
#[derive(Clone, Default)]
struct SearchState {
    index: Option<Arc<SearchIndex>>,
    /// The first store change sequence the index does not cover yet.
    next: u64,
    /// Why the index could not be opened, if it could not.
    failed: Option<String>,
}

/// A handle to the search index and the task that keeps it in step with
/// the store. The task stops when the store is closed or the last handle is
/// dropped.
#[derive(Clone)]
pub struct Queries {
    state: watch::Receiver<SearchState>,
    rebuild: Arc<Notify>,
}

impl std::fmt::Debug for Queries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queries")
            .field("next", &self.state.borrow().next)
            .finish_non_exhaustive()
    }
}

impl Queries {
    /// Opens the search index under `data_dir` and starts following the
    /// store. Must be called within a tokio runtime.
    pub fn start(store: Store, data_dir: &Path) -> Queries {
        let (sender, state) = watch::channel(SearchState::default());
        let rebuild = Arc::new(Notify::new());
        tokio::spawn(follow(
            store,
            data_dir.join(SEARCH_DIR),
            sender,
            rebuild.clone(),
        ));
        Queries { state, rebuild }
    }

    /// The index once it has applied every change committed before the call.
    async fn caught_up(&self, store: &Store) -> Result<Arc<SearchIndex>, Error> {
        let target = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || store.next_sequence()).await??
        };
        let mut state = self.state.clone();
        loop {
            let current = state.borrow_and_update().clone();
            if let Some(reason) = current.failed {
                return Err(Error::Unavailable(format!(
                    "the search index cannot be used: {reason}"
                )));
            }
            if let Some(index) = current.index
                && current.next >= target
            {
                return Ok(index);
            }
            state
                .changed()
                .await
                .map_err(|_| Error::Unavailable("the search index stopped".into()))?;
        }
    }
}

/// Keeps the search index in step with the store until the store closes
/// or every [`Queries`] handle is gone.
async fn follow(
    store: Store,
    dir: PathBuf,
    state: watch::Sender<SearchState>,
    rebuild: Arc<Notify>,
) {
    let mut events = store.subscribe();
    let opened = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || open_index(&store, &dir)).await
    };
    let (index, mut next) = match opened {
        Ok(Ok(opened)) => opened,
        Ok(Err(reason)) => {
            tracing::error!(%reason, "cannot open the search index");
            state.send_modify(|s| s.failed = Some(reason));
            return;
        }
        Err(join_error) => {
            state.send_modify(|s| s.failed = Some(join_error.to_string()));
            return;
        }
    };
    state.send_modify(|s| {
        s.index = Some(index.clone());
        s.next = next;
    });
    // Events a racing writer committed below `next` after we read past them.
    let mut stragglers = Vec::new();
    loop {
        let (store2, index2, late) = (
            store.clone(),
            index.clone(),
            std::mem::take(&mut stragglers),
        );
        let step =
            tokio::task::spawn_blocking(move || catch_up(&store2, &index2, next, &late)).await;
        match step {
            Ok(Ok(Some(now))) => {
                next = now;
                state.send_modify(|s| s.next = now);
                continue;
            }
            Ok(Ok(None)) => {}
            Ok(Err(reason)) => {
                tracing::error!(%reason, "cannot update the search index; retrying on the next change")
            }
            Err(join_error) => tracing::error!(%join_error, "search index update failed"),
        }
        tokio::select! {
            received = events.recv() => match received {
                Ok(change) if change.seq < next => stragglers.push(change),
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            () = rebuild.notified() => {
                let (store2, index2) = (store.clone(), index.clone());
                match tokio::task::spawn_blocking(move || rebuild_index(&store2, &index2)).await {
                    Ok(Ok(now)) => {
                        next = now;
                        state.send_modify(|s| s.next = now);
                    }
                    Ok(Err(reason)) => tracing::error!(%reason, "cannot rebuild the search index"),
                    Err(join_error) => tracing::error!(%join_error, "search index rebuild failed"),
                }
            }
            () = state.closed() => return,
        }
    }
}

/// Opens the index; rebuilds it when it is new or covers changes this
/// store does not have (another database was put in its place).
fn open_index(store: &Store, dir: &Path) -> Result<(Arc<SearchIndex>, u64), String> {
    let index = Arc::new(SearchIndex::open(dir).map_err(|e| e.to_string())?);
    let store_next = store.next_sequence().map_err(|e| e.to_string())?;
    let next = match index.next_sequence() {
        Some(next) if next <= store_next => next,
        Some(_) | None => {
            tracing::info!("rebuilding the search index from the store");
            rebuild_index(store, &index)?
        }
    };
    Ok((index, next))
}

fn rebuild_index(store: &Store, index: &SearchIndex) -> Result<u64, String> {
    let next = store.next_sequence().map_err(|e| e.to_string())?;
    let ids = store.all_ids().map_err(|e| e.to_string())?;
    let reports = ids.iter().filter_map(|id| store.get(id).ok().flatten());
    let count = index
        .rebuild(reports, next, REBUILD_BATCH)
        .map_err(|e| e.to_string())?;
    tracing::info!(count, next, "search index rebuilt");
    Ok(next)
}

/// Applies the changes from `next` on (one batch) and any late ones; returns
/// the new `next`, or `None` when there was nothing to do.
fn catch_up(
    store: &Store,
    index: &SearchIndex,
    next: u64,
    late: &[Change],
) -> Result<Option<u64>, String> {
    let mut changes = store
        .changes_from(next, FOLLOW_BATCH)
        .map_err(|e| e.to_string())?;
    let now = changes.last().map_or(next, |change| change.seq + 1);
    changes.extend_from_slice(late);
    if changes.is_empty() {
        return Ok(None);
    }
    let mut upserts = Vec::new();
    let mut removals = Vec::new();
    for change in changes {
        match change.kind {
            // Present now: indexed; deleted since: removed by its own event.
            ChangeKind::Created => match store.get(&change.id).map_err(|e| e.to_string())? {
                Some(report) => upserts.push(report),
                None => removals.push(change.id.to_hex()),
            },
            ChangeKind::Deleted => removals.push(change.id.to_hex()),
        }
    }
    index
        .apply(&upserts, &removals, now)
        .map_err(|e| e.to_string())?;
    Ok(Some(now))
}

// ---------------------------------------------------------------- validation

fn enum_value<W, D>(field: &'static str, number: i32, violations: &mut Vec<Violation>) -> D
where
    W: TryFrom<i32> + Default,
    D: From<W> + Default,
{
    match W::try_from(number) {
        Ok(value) => D::from(value),
        Err(_) => {
            violations.push(Violation::new(
                field,
                format!("{number} is not a known value"),
            ));
            D::default()
        }
    }
}

fn year(field: &'static str, value: i32, violations: &mut Vec<Violation>) -> i32 {
    if value < 0 {
        violations.push(Violation::new(field, "must not be negative (0 means any)"));
    }
    value.max(0)
}

fn name(field: &'static str, value: &str, violations: &mut Vec<Violation>) -> String {
    if value.len() > MAX_QUERY_BYTES {
        violations.push(Violation::new(
            field,
            format!("must be at most {MAX_QUERY_BYTES} bytes"),
        ));
    }
    text::fold(value)
}

fn year_range(
    fields: (&'static str, &'static str),
    from: i32,
    to: i32,
    violations: &mut Vec<Violation>,
) -> (i32, i32) {
    let (from, to) = (
        year(fields.0, from, violations),
        year(fields.1, to, violations),
    );
    if from != 0 && to != 0 && from > to {
        violations.push(Violation::new(
            fields.0,
            format!("{from} is after {} {to}", fields.1),
        ));
    }
    (from, to)
}

fn filter(request: Option<proto::ReportFilter>, violations: &mut Vec<Violation>) -> Filter {
    let request = request.unwrap_or_default();
    let (year_from, year_to) = year_range(
        ("filter.year_from", "filter.year_to"),
        request.year_from,
        request.year_to,
        violations,
    );
    Filter {
        organization_name: name(
            "filter.organization_name",
            &request.organization_name,
            violations,
        ),
        level: enum_value::<proto::OrganizationLevel, Level>(
            "filter.level",
            request.level,
            violations,
        ),
        parent_name: name("filter.parent_name", &request.parent_name, violations),
        province: name("filter.province", &request.province, violations),
        report_year: year("filter.report_year", request.report_year, violations),
        year_from,
        year_to,
        kind: enum_value::<proto::ReportKind, ReportKind>("filter.kind", request.kind, violations),
        rating: enum_value::<proto::Rating, Rating>("filter.rating", request.rating, violations),
    }
}

/// The organisation fields QueryIndicators and GetOrganizationHistory share
/// (organization_name, level, parent_name, province), checked and folded.
fn place(
    (organization_name, level, parent_name, province): (&str, i32, &str, &str),
    violations: &mut Vec<Violation>,
) -> (String, Level, String, String) {
    (
        name("organization_name", organization_name, violations),
        enum_value::<proto::OrganizationLevel, Level>("level", level, violations),
        name("parent_name", parent_name, violations),
        name("province", province, violations),
    )
}

fn page_size(requested: i32, default: usize, max: usize, violations: &mut Vec<Violation>) -> usize {
    query::page_size(requested, default, max).unwrap_or_else(|| {
        violations.push(Violation::new(
            "page_size",
            "must not be negative (0 means the default)",
        ));
        default
    })
}

fn page_offset(fingerprint: &str, token: &str, violations: &mut Vec<Violation>) -> usize {
    query::page_offset(fingerprint, token).unwrap_or_else(|| {
        violations.push(Violation::new(
            "page_token",
            "is not a token this server issued for this query (filters and order must stay the same)",
        ));
        0
    })
}

/// Whether a `view` field asks for the FULL view (text included).
pub(super) fn full_view(view: i32, violations: &mut Vec<Violation>) -> bool {
    match proto::ReportView::try_from(view) {
        Ok(proto::ReportView::Full) => true,
        Ok(proto::ReportView::Basic | proto::ReportView::Unspecified) => false,
        Err(_) => {
            violations.push(Violation::new(
                "view",
                format!("{view} is not a ReportView value"),
            ));
            false
        }
    }
}

fn checked<T>(value: T, violations: Vec<Violation>) -> Result<T, Error> {
    if violations.is_empty() {
        Ok(value)
    } else {
        Err(Error::InvalidArgument(violations))
    }
}

fn next_token(fingerprint: &str, offset: usize, returned: usize, total: usize) -> String {
    let next = offset + returned;
    if returned > 0 && next < total {
        query::page_token(fingerprint, next)
    } else {
        String::new()
    }
}

fn wire_report(report: Report, full: bool) -> proto::Report {
    let mut wire = proto::Report::from(report);
    if !full {
        wire.text.clear();
    }
    wire
}

fn total(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

// ---------------------------------------------------------------- handlers

impl ReportApi {
    #[tracing::instrument(name = "search_reports", skip_all, fields(total))]
    pub(super) async fn search_reports(
        &self,
        request: proto::SearchReportsRequest,
    ) -> Result<proto::SearchReportsResponse, Error> {
        let mut violations = Vec::new();
        let words = request.query.trim();
        if words.is_empty() {
            violations.push(Violation::new("query", "must not be empty"));
        } else if words.len() > MAX_QUERY_BYTES {
            violations.push(Violation::new(
                "query",
                format!("must be at most {MAX_QUERY_BYTES} bytes"),
            ));
        }
        let filter = filter(request.filter, &mut violations);
        let limit = page_size(request.page_size, 20, 100, &mut violations);
        let fingerprint = format!("search {words:?} {filter:?}");
        let offset = page_offset(&fingerprint, &request.page_token, &mut violations);
        let search = checked(
            SearchQuery {
                query: words.to_string(),
                filter,
                offset,
                limit,
            },
            violations,
        )?;

        let index = self.queries.caught_up(&self.store).await?;
        let store = self.store.clone();
        let (hits, total_hits) = tokio::task::spawn_blocking(move || -> Result<_, Error> {
            let page = index.search(&search)?;
            let mut hits = Vec::with_capacity(page.hits.len());
            for (id, score) in page.hits {
                let Some(report) = ReportId::parse(&id)
                    .map(|id| store.get(&id))
                    .transpose()?
                    .flatten()
                else {
                    continue;
                };
                let parsed = report.parsed;
                hits.push(Hit {
                    snippets: page.highlighter.snippets(&report.text),
                    report_id: report.id,
                    organization: parsed.organization,
                    report_year: parsed.report_year,
                    kind: parsed.kind,
                    title: parsed.title,
                    score,
                });
            }
            Ok((hits, page.total))
        })
        .await??;
        tracing::Span::current().record("total", total_hits);
        Ok(proto::SearchReportsResponse {
            next_page_token: next_token(&fingerprint, offset, hits.len(), total_hits),
            hits: hits.into_iter().map(Into::into).collect(),
            total_size: total(total_hits),
        })
    }

    #[tracing::instrument(name = "query_indicators", skip_all, fields(total))]
    pub(super) async fn query_indicators(
        &self,
        request: proto::QueryIndicatorsRequest,
    ) -> Result<proto::QueryIndicatorsResponse, Error> {
        let mut violations = Vec::new();
        let lookup = match (request.key.trim(), text::fold(&request.name)) {
            ("", folded) if folded.is_empty() => {
                violations.push(Violation::new("key", "a key or a name is required"));
                Lookup::Key(String::new())
            }
            ("", folded) => Lookup::Name(folded),
            (key, _) => Lookup::Key(key.to_string()),
        };
        let exact = year("year", request.year, &mut violations);
        let (from, to) = year_range(
            ("year_from", "year_to"),
            request.year_from,
            request.year_to,
            &mut violations,
        );
        let (year_from, year_to) = match exact {
            0 => (
                if from == 0 { i32::MIN } else { from },
                if to == 0 { i32::MAX } else { to },
            ),
            exact => (exact, exact),
        };
        for (field, min, max) in [
            ("min_value", request.min_value, request.max_value),
            (
                "min_percent_of_plan",
                request.min_percent_of_plan,
                request.max_percent_of_plan,
            ),
        ] {
            if [min, max]
                .into_iter()
                .flatten()
                .any(|bound| !bound.is_finite())
            {
                violations.push(Violation::new(field, "bounds must be finite numbers"));
            } else if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                violations.push(Violation::new(
                    field,
                    format!("{min} is above the maximum {max}"),
                ));
            }
        }
        let order = Order::parse(&request.order_by).unwrap_or_else(|| {
            violations.push(Violation::new(
                "order_by",
                "must be one of report_year, report_year desc, value, value desc, percent_of_plan, \
                 percent_of_plan desc, organization_name",
            ));
            Order::default()
        });
        let limit = page_size(request.page_size, 50, 1000, &mut violations);
        let (organization_name, level, parent_name, province) = place(
            (
                &request.organization_name,
                request.level,
                &request.parent_name,
                &request.province,
            ),
            &mut violations,
        );
        let mut query = IndicatorQuery {
            lookup,
            targets: request.targets,
            year_from,
            year_to,
            organization_name,
            level,
            parent_name,
            province,
            min_value: request.min_value,
            max_value: request.max_value,
            min_percent_of_plan: request.min_percent_of_plan,
            max_percent_of_plan: request.max_percent_of_plan,
            met: request.met,
            order,
            offset: 0,
            limit: 0,
        };
        let fingerprint = format!("indicators {query:?}");
        query.offset = page_offset(&fingerprint, &request.page_token, &mut violations);
        query.limit = limit;
        let query = checked(query, violations)?;

        let store = self.store.clone();
        let (rows, matched, offset) =
            tokio::task::spawn_blocking(move || indicator_page(&store, &query)).await??;
        tracing::Span::current().record("total", matched);
        Ok(proto::QueryIndicatorsResponse {
            next_page_token: next_token(&fingerprint, offset, rows.len(), matched),
            rows: rows.into_iter().map(Into::into).collect(),
            total_size: total(matched),
        })
    }

    #[tracing::instrument(name = "get_organization_history", skip_all)]
    pub(super) async fn organization_history(
        &self,
        request: proto::GetOrganizationHistoryRequest,
    ) -> Result<proto::OrganizationHistory, Error> {
        let mut violations = Vec::new();
        let (organization, level, parent_name, province) = place(
            (
                &request.organization_name,
                request.level,
                &request.parent_name,
                &request.province,
            ),
            &mut violations,
        );
        if organization.is_empty() && violations.is_empty() {
            violations.push(Violation::new("organization_name", "must not be empty"));
        }
        let wanted = Filter {
            organization_name: organization.clone(),
            level,
            parent_name,
            province,
            ..Filter::default()
        };
        let wanted = checked(wanted, violations)?;
        let store = self.store.clone();
        let found = tokio::task::spawn_blocking(move || -> Result<_, Error> {
            let entries = store
                .scan_index("idx_org", &keys::name_prefix(&organization))?
                .unwrap_or_default();
            let mut reports = Vec::new();
            for (key, _) in entries {
                if let Some(report) = keys::id_suffix(&key)
                    .map(|id| store.get_fields(&id))
                    .transpose()?
                    .flatten()
                    && wanted.matches_report(&report)
                {
                    reports.push(report);
                }
            }
            Ok(history::build(reports))
        })
        .await??;
        match found {
            Some(history) => Ok(history.into()),
            None => Err(Error::OrganizationNotFound {
                name: request.organization_name,
            }),
        }
    }

    #[tracing::instrument(name = "get_statistics", skip_all, fields(reports))]
    pub(super) async fn statistics(
        &self,
        request: proto::GetStatisticsRequest,
    ) -> Result<proto::Statistics, Error> {
        let mut violations = Vec::new();
        let filter = checked(filter(request.filter, &mut violations), violations)?;
        let store = self.store.clone();
        let statistics = tokio::task::spawn_blocking(move || -> Result<_, Error> {
            Ok(store.statistics(&filter)?)
        })
        .await??;
        tracing::Span::current().record("reports", statistics.report_count);
        Ok(statistics.into())
    }

    #[tracing::instrument(name = "export_reports", skip_all, fields(reports))]
    pub(super) async fn export_reports(
        &self,
        request: proto::ExportReportsRequest,
    ) -> Result<ReportStream, Error> {
        let mut violations = Vec::new();
        let filter = filter(request.filter, &mut violations);
        let full = full_view(request.view, &mut violations);
        let filter = checked(filter, violations)?;
        let store = self.store.clone();
        let ids = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || -> Result<Vec<String>, Error> {
                let summaries = store.summaries(filter.years())?;
                Ok(summaries
                    .into_iter()
                    .filter(|summary| filter.matches(summary))
                    .map(|summary| summary.id)
                    .collect())
            })
            .await??
        };
        tracing::Span::current().record("reports", ids.len());
        let (sender, receiver) = mpsc::channel(STREAM_BUFFER);
        tokio::task::spawn_blocking(move || {
            for id in ids {
                let outcome = match ReportId::parse(&id).map(|id| store.get(&id)).transpose() {
                    // Deleted since the export started: left out.
                    Ok(None) | Ok(Some(None)) => continue,
                    Ok(Some(Some(report))) => Ok(wire_report(report, full)),
                    Err(error) => Err(Status::from(Error::from(error))),
                };
                let failed = outcome.is_err();
                if sender.blocking_send(outcome).is_err() || failed {
                    return;
                }
            }
        });
        Ok(ReceiverStream::new(receiver))
    }

    #[tracing::instrument(name = "watch_reports", skip_all, fields(cursor = request.cursor))]
    pub(super) async fn watch_reports(
        &self,
        request: proto::WatchReportsRequest,
    ) -> Result<EventStream, Error> {
        let mut violations = Vec::new();
        let filter = filter(request.filter, &mut violations);
        let full = full_view(request.view, &mut violations);
        let cursor = match request.cursor.trim() {
            "" => None,
            cursor => cursor.parse::<u64>().map(Some).unwrap_or_else(|_| {
                violations.push(Violation::new(
                    "cursor",
                    "must be a cursor from an event, or empty",
                ));
                None
            }),
        };
        let filter = checked(filter, violations)?;
        // Subscribe before reading the log, so no event falls between the two.
        let mut live = self.store.subscribe();
        let store = self.store.clone();
        let mut next = match cursor {
            Some(cursor) => cursor,
            None => {
                let store = store.clone();
                tokio::task::spawn_blocking(move || store.next_sequence()).await??
            }
        };
        let (sender, receiver) = mpsc::channel(STREAM_BUFFER);
        tokio::spawn(async move {
            // Events a racing writer committed below `next` after we read past them.
            let mut late: Vec<Change> = Vec::new();
            loop {
                // Replay (or catch up on) everything from `next` in the log.
                let batch = {
                    let (store, filter, late) =
                        (store.clone(), filter.clone(), std::mem::take(&mut late));
                    tokio::task::spawn_blocking(move || events_from(&store, next, &late, &filter))
                        .await
                };
                let (events, now) = match batch {
                    Ok(Ok(batch)) => batch,
                    Ok(Err(error)) => {
                        let _ = sender.send(Err(Status::from(error))).await;
                        return;
                    }
                    Err(join_error) => {
                        let _ = sender
                            .send(Err(Status::from(Error::from(join_error))))
                            .await;
                        return;
                    }
                };
                let caught_up = now == next;
                next = now;
                for event in events {
                    if sender
                        .send(Ok(convert::report_event(event, full)))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                if !caught_up {
                    continue;
                }
                tokio::select! {
                    received = live.recv() => match received {
                        Ok(change) if change.seq < next => late.push(change),
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                    () = sender.closed() => return,
                }
            }
        });
        Ok(ReceiverStream::new(receiver))
    }

    #[tracing::instrument(name = "reparse_reports", skip_all, fields(total, changed))]
    pub(super) async fn reparse_reports(
        &self,
        request: proto::ReparseReportsRequest,
    ) -> Result<proto::ReparseReportsResponse, Error> {
        let store = self.store.clone();
        let outcome =
            tokio::task::spawn_blocking(move || reparse_all(&store, request.only_outdated))
                .await??;
        self.store.flush().await?;
        // Replaced records leave no created event: the search index is rebuilt.
        self.queries.rebuild.notify_one();
        let span = tracing::Span::current();
        span.record("total", outcome.total);
        span.record("changed", outcome.changed);
        Ok(outcome)
    }
}

/// One page of `QueryIndicators`: how many rows matched and the rows of the
/// page, read from the reports of that page only.
/// Returns the page, how many rows matched and the page's offset.
fn indicator_page(
    store: &Store,
    query: &IndicatorQuery,
) -> Result<(Vec<query::indicators::Row>, usize, usize), Error> {
    match query.whole_buckets() {
        true => counted_page(store, query),
        false => walked_page(store, query),
    }
}

/// A query of whole buckets: the total is a sum of the buckets' counts and
/// the page a slice of their rows, in the order [`walked_page`] gives (a
/// stable sort by year of rows in key order). Reads no other entry.
fn counted_page(
    store: &Store,
    query: &IndicatorQuery,
) -> Result<(Vec<query::indicators::Row>, usize, usize), Error> {
    let mut buckets = store.indicator_buckets(
        query.targets,
        &query.lookup,
        (query.year_from, query.year_to),
        query.met,
    )?;
    if query.order == Order::YearDesc {
        buckets.sort_by_key(|bucket| std::cmp::Reverse(bucket.year));
    }
    let matched = buckets.iter().map(|bucket| bucket.rows).sum();
    let mut page = Vec::with_capacity(query.limit.min(matched));
    for candidate in store.indicator_slice(&buckets, query.offset, query.limit)? {
        // A report deleted since the counts were read is left out.
        if let Some(row) = store.indicator_row(&candidate, query.targets)?
            && query.matches(&row)
        {
            page.push(row);
        }
    }
    Ok((page, matched, query.offset))
}

/// Any other query: filters, counts and orders every slim index entry of
/// the lookup's years (and status), then reads only the returned page's
/// reports for their rows.
fn walked_page(
    store: &Store,
    query: &IndicatorQuery,
) -> Result<(Vec<query::indicators::Row>, usize, usize), Error> {
    let prints = query.prints();
    let mut candidates = store.indicator_candidates(
        query.targets,
        &query.lookup,
        (query.year_from, query.year_to),
        query.met,
        |candidate| query.admits(candidate, &prints),
    )?;
    if !query.order_candidates(&mut candidates) {
        // Ordered by name: every matching row is read.
        let mut rows = Vec::with_capacity(candidates.len());
        for candidate in &candidates {
            rows.extend(store.indicator_row(candidate, query.targets)?);
        }
        let (page, matched) = query.select(rows);
        return Ok((page, matched, query.offset));
    }
    let matched = candidates.len();
    let mut page = Vec::with_capacity(query.limit.min(matched));
    for candidate in candidates.iter().skip(query.offset).take(query.limit) {
        // A report deleted since the scan is left out; so is a row whose
        // names only shared a fingerprint with the filter's.
        if let Some(row) = store.indicator_row(candidate, query.targets)?
            && query.matches(&row)
        {
            page.push(row);
        }
    }
    Ok((page, matched, query.offset))
}

/// The events from sequence `next` on (at most one batch) plus `late` ones,
/// those that pass the filter, and the sequence to continue from.
fn events_from(
    store: &Store,
    next: u64,
    late: &[Change],
    filter: &Filter,
) -> Result<(Vec<Event>, u64), Error> {
    let mut changes = store.changes_from(next, FOLLOW_BATCH)?;
    let now = changes.last().map_or(next, |change| change.seq + 1);
    changes.extend_from_slice(late);
    let mut events = Vec::new();
    for change in changes {
        let (kind, report) = match change.kind {
            ChangeKind::Created => (EventKind::Created, store.get(&change.id)?),
            ChangeKind::Deleted => (EventKind::Deleted, None),
        };
        // A deleted report can no longer be matched, so deletions always
        // pass; a created one that is gone again is told as created without it.
        let passes = match (&kind, &report) {
            (EventKind::Created, Some(report)) => filter.matches_report(report),
            _ => true,
        };
        if passes {
            events.push(Event {
                kind,
                cursor: change.seq + 1,
                report_id: change.id.to_hex(),
                at_ms: change.at_ms,
                report,
            });
        }
    }
    Ok((events, now))
}

/// What `tongketd check` found in the search index, compared with the
/// records after the changes the index has not applied yet (which the
/// server applies when it starts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchCheck {
    /// Documents in the index.
    pub documents: usize,
    /// Records in the store.
    pub records: usize,
    /// Store changes the index does not cover yet.
    pub pending: usize,
    /// Records the index would still lack after those changes.
    pub missing: usize,
    /// Documents for reports that are not stored.
    pub extra: usize,
    /// Reports indexed more than once.
    pub duplicates: usize,
    /// Whether the index was rebuilt from the records (`--repair`).
    pub rebuilt: bool,
}

impl SearchCheck {
    pub fn consistent(&self) -> bool {
        self.rebuilt || (self.missing == 0 && self.extra == 0 && self.duplicates == 0)
    }
}

/// Verifies the search index in `data_dir` against the store (offline:
/// never beside a running server); with `repair`, rebuilds it from the
/// records when they disagree. An index that is missing or was never
/// filled counts as empty and behind, as the server treats it.
pub fn check_search(store: &Store, data_dir: &Path, repair: bool) -> Result<SearchCheck, Error> {
    let index = SearchIndex::open(&data_dir.join(SEARCH_DIR))?;
    let indexed = index.ids()?;
    let mut check = SearchCheck {
        documents: indexed.len(),
        ..SearchCheck::default()
    };
    let mut present: std::collections::HashSet<String> = indexed.into_iter().collect();
    check.duplicates = check.documents - present.len();
    // What catching up would do: the log's events the index has not seen.
    let mut next = index.next_sequence().unwrap_or(0);
    loop {
        let changes = store.changes_from(next, FOLLOW_BATCH)?;
        let Some(last) = changes.last() else { break };
        next = last.seq + 1;
        check.pending += changes.len();
        for change in changes {
            let id = change.id.to_hex();
            match change.kind {
                ChangeKind::Created if store.contains(&change.id)? => {
                    present.insert(id);
                }
                ChangeKind::Created | ChangeKind::Deleted => {
                    present.remove(&id);
                }
            }
        }
    }
    let records: std::collections::HashSet<String> =
        store.all_ids()?.iter().map(ReportId::to_hex).collect();
    check.records = records.len();
    check.missing = records.difference(&present).count();
    check.extra = present.difference(&records).count();
    if repair && !check.consistent() {
        rebuild_index(store, &index).map_err(Error::Unavailable)?;
        check.rebuilt = true;
    }
    Ok(check)
}

/// The start-up re-parse (`tongketd --reparse`): re-parses every stored
/// text, then drops the search index, which the server rebuilds from the
/// store when it starts.
pub fn reparse_at_startup(
    store: &Store,
    data_dir: &Path,
) -> Result<proto::ReparseReportsResponse, Error> {
    let outcome = reparse_all(store, false)?;
    let search = data_dir.join(SEARCH_DIR);
    if search.exists() {
        std::fs::remove_dir_all(&search).map_err(crate::query::search::SearchError::from)?;
    }
    Ok(outcome)
}

/// Re-parses every stored text with this build's parser, keeping ids.
pub fn reparse_all(
    store: &Store,
    only_outdated: bool,
) -> Result<proto::ReparseReportsResponse, Error> {
    let mut outcome = proto::ReparseReportsResponse {
        parser_version: parse::PARSER_VERSION.to_owned(),
        ..Default::default()
    };
    for id in store.all_ids()? {
        let Some(stored) = store.get(&id)? else {
            continue;
        };
        outcome.total += 1;
        if only_outdated && stored.parser_version == parse::PARSER_VERSION {
            outcome.skipped += 1;
            continue;
        }
        let parsed = parse::parse(&text::Normalized::new(&stored.text));
        if parsed == stored.parsed && stored.parser_version == parse::PARSER_VERSION {
            outcome.unchanged += 1;
            continue;
        }
        if parsed == stored.parsed {
            outcome.unchanged += 1;
        } else {
            outcome.changed += 1;
        }
        let report = Report {
            parsed,
            parser_version: parse::PARSER_VERSION.to_owned(),
            ..stored
        };
        store.replace(&report)?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Generator;

    fn report(i: usize) -> Report {
        let text = text::Normalized::new(&Generator::new(7).generate(i).text);
        Report {
            id: ReportId::of_text(&text).to_hex(),
            parsed: parse::parse(&text),
            text: text.into_string(),
            ..Default::default()
        }
    }

    fn query(lookup: Lookup, targets: bool) -> IndicatorQuery {
        IndicatorQuery::unfiltered(lookup, targets)
    }

    #[test]
    fn counted_pages_and_totals_are_those_of_a_walk_after_deletes_and_replacements() {
        let store = Store::temporary().unwrap();
        let communes = Generator::communes();
        let reports: Vec<Report> = (0..3)
            .flat_map(|year| (0..24).map(move |n| year * communes + n * 11))
            .map(report)
            .collect();
        for report in &reports {
            store.insert(report).unwrap();
        }
        for report in reports.iter().step_by(5) {
            store.delete(&ReportId::parse(&report.id).unwrap()).unwrap();
        }
        // Replaced with every figure halved: rows move between met and missed.
        for report in reports.iter().skip(1).step_by(4) {
            let mut replaced = report.clone();
            for indicator in &mut replaced.parsed.indicators {
                indicator.value = indicator.value.map(|value| value / 2.0);
                indicator.percent_of_plan = indicator.percent_of_plan.map(|p| p / 2.0);
            }
            store.replace(&replaced).unwrap();
        }
        let mut lookups = Vec::new();
        for report in reports.iter().skip(2).step_by(7) {
            for (targets, indicators) in [
                (false, &report.parsed.indicators),
                (true, &report.parsed.targets),
            ] {
                for indicator in indicators.iter().take(2) {
                    lookups.push((Lookup::Name(text::fold(&indicator.name)), targets));
                    if !indicator.key.is_empty() {
                        lookups.push((Lookup::Key(indicator.key.clone()), targets));
                    }
                }
            }
        }
        assert!(lookups.len() > 10, "the synthetic texts have indicators");
        let years: Vec<i32> = reports.iter().map(|r| r.parsed.report_year).collect();
        let (first, last) = (years[0], years[years.len() - 1]);
        let mut nonempty = 0;
        for (lookup, targets) in lookups {
            for (from, to) in [
                (i32::MIN, i32::MAX),
                (first, first),
                (first, last),
                (last + 1, last + 1),
            ] {
                for met in [None, Some(false), Some(true)] {
                    for order in [Order::Year, Order::YearDesc] {
                        for offset in [0, 3, 11] {
                            let q = IndicatorQuery {
                                year_from: from,
                                year_to: to,
                                met,
                                order,
                                offset,
                                ..query(lookup.clone(), targets)
                            };
                            assert!(q.whole_buckets());
                            let counted = counted_page(&store, &q).unwrap();
                            assert_eq!(counted, walked_page(&store, &q).unwrap(), "{q:?}");
                            nonempty += usize::from(!counted.0.is_empty());
                        }
                    }
                }
            }
        }
        assert!(nonempty > 100, "{nonempty} pages had rows");
        let checked = store.check(false).unwrap();
        assert!(checked.consistent() && checked.missing == 0, "{checked:?}");
    }
}
