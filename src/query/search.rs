//! Full-text search over report texts with tantivy: BM25 ranking, phrase
//! queries in double quotes and highlighted snippets.
//!
//! Texts are tokenized on letters and digits, lower-cased and folded to
//! ASCII ("Đảng" → "dang"), and queries go through the same chain after the
//! same NFC normalisation as stored texts, so case, diacritics, Unicode form
//! and tone-mark placement ("hoà"/"hòa") never decide a match.
//!
//! **Invariant:** sled is the source of truth. This index lives in its own
//! directory; every commit records the first store change sequence it does
//! not cover yet ([`SearchIndex::next_sequence`]), and an index that is
//! missing, unreadable or behind is rebuilt or caught up from the store.

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use super::Filter;
use crate::model::{Level, Organization, Rating, Report, ReportKind};
use crate::text::Normalized;

/// The name the folding analyzer is registered under.
const ANALYZER: &str = "vi_folded";
/// Bumped when the schema or the analyzer changes, so old indexes are rebuilt.
const SCHEMA_VERSION: &str = "search-v1";
/// The indexing heap; tantivy's minimum per thread is 15 MB.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;
/// The length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
}

/// A search request in domain terms.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub query: String,
    pub filter: Filter,
    pub offset: usize,
    pub limit: usize,
}

/// One page of hits, best first, and a highlighter for their texts.
pub struct SearchPage {
    pub hits: Vec<(String, f32)>,
    pub total: usize,
    pub highlighter: Highlighter,
}

/// One search result, ready for the wire.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hit {
    pub report_id: String,
    pub organization: Organization,
    pub report_year: i32,
    pub kind: ReportKind,
    pub title: String,
    pub score: f32,
    pub snippets: Vec<Snippet>,
}

/// One highlighted passage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snippet {
    pub fragment: String,
    /// Byte ranges of the matched words within `fragment`.
    pub highlights: Vec<(usize, usize)>,
    pub html: String,
}

/// Picks the passage of a text that best shows a query's words.
pub struct Highlighter(SnippetGenerator);

impl Highlighter {
    pub fn snippets(&self, text: &str) -> Vec<Snippet> {
        let snippet = self.0.snippet(text);
        if snippet.is_empty() {
            return Vec::new();
        }
        vec![Snippet {
            fragment: snippet.fragment().to_string(),
            highlights: snippet
                .highlighted()
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
            html: snippet.to_html(),
        }]
    }
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    text: Field,
    year: Field,
    level: Field,
    kind: Field,
    rating: Field,
    organization: Field,
    parent: Field,
    province: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        text: builder.add_text_field("text", text_options),
        year: builder.add_i64_field("year", INDEXED),
        level: builder.add_u64_field("level", INDEXED),
        kind: builder.add_u64_field("kind", INDEXED),
        rating: builder.add_u64_field("rating", INDEXED),
        organization: builder.add_text_field("organization", STRING),
        parent: builder.add_text_field("parent", STRING),
        province: builder.add_text_field("province", STRING),
    };
    (builder.build(), fields)
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn level_number(level: Level) -> u64 {
    level as u64
}

fn kind_number(kind: ReportKind) -> u64 {
    kind as u64
}

fn rating_number(rating: Rating) -> u64 {
    rating as u64
}

/// The tantivy index of report texts.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it, or recreating it empty when it
    /// is unreadable or was built with another schema. A recreated index
    /// reports `next_sequence() == None`, which tells the caller to rebuild it.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema && payload_of(&index).is_some() => index,
            Ok(_) | Err(_) => {
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::create_in_dir(dir, schema)?
            }
        };
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index.writer_with_num_threads(1, WRITER_HEAP_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    /// The first store change sequence the last commit does not cover;
    /// `None` for an index that has never been filled.
    pub fn next_sequence(&self) -> Option<u64> {
        payload_of(&self.index)
    }

    /// Adds (or replaces) reports and removes ids, then commits, recording
    /// every change before `next` as covered. Searches see the change once
    /// this returns.
    pub fn apply(
        &self,
        upserts: &[Report],
        removals: &[String],
        next: u64,
    ) -> Result<(), SearchError> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for id in removals {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        for report in upserts {
            writer.delete_term(Term::from_field_text(self.fields.id, &report.id));
            writer.add_document(self.document(report))?;
        }
        self.commit(&mut writer, next)
    }

    /// Empties the index and fills it from `reports`, committing every
    /// `batch` reports so memory stays bounded.
    pub fn rebuild(
        &self,
        reports: impl Iterator<Item = Report>,
        next: u64,
        batch: usize,
    ) -> Result<usize, SearchError> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        writer.delete_all_documents()?;
        let mut count = 0;
        for report in reports {
            writer.add_document(self.document(&report))?;
            count += 1;
            if count % batch == 0 {
                writer.commit()?;
            }
        }
        self.commit(&mut writer, next)?;
        Ok(count)
    }

    fn commit(&self, writer: &mut IndexWriter, next: u64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format!("{SCHEMA_VERSION}:{next}"));
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, report: &Report) -> TantivyDocument {
        let summary = super::Summary::of(report);
        let f = self.fields;
        doc!(
            f.id => report.id.as_str(),
            f.text => report.text.as_str(),
            f.year => i64::from(summary.report_year),
            f.level => level_number(summary.level),
            f.kind => kind_number(summary.kind),
            f.rating => rating_number(summary.rating),
            f.organization => summary.organization_key,
            f.parent => summary.parent_key,
            f.province => summary.province_key,
        )
    }

    /// The id of every document in the last committed state, in no
    /// particular order (an id indexed twice appears twice).
    pub fn ids(&self) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(usize::try_from(searcher.num_docs()).unwrap_or(0));
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let ordinal = u32::try_from(ordinal).unwrap_or(u32::MAX);
            for doc in segment.doc_ids_alive() {
                let document: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(ordinal, doc))?;
                if let Some(id) = document
                    .get_first(self.fields.id)
                    .and_then(|value| value.as_str())
                {
                    ids.push(id.to_string());
                }
            }
        }
        Ok(ids)
    }

    /// Number of documents in the last committed state.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs one query: all words must occur, quoted words as a phrase.
    pub fn search(&self, request: &SearchQuery) -> Result<SearchPage, SearchError> {
        let normalized = Normalized::new(&request.query);
        let mut parser = QueryParser::for_index(&self.index, vec![self.fields.text]);
        parser.set_conjunction_by_default();
        // Lenient: a stray colon or bracket in a user's words is not an error.
        let (text_query, _errors) = parser.parse_query_lenient(normalized.as_str());
        let searcher = self.reader.searcher();
        let mut generator =
            SnippetGenerator::create(&searcher, text_query.as_ref(), self.fields.text)?;
        generator.set_max_num_chars(SNIPPET_CHARS);

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        clauses.extend(self.filter_clauses(&request.filter));
        let query = BooleanQuery::new(clauses);
        let top = TopDocs::with_limit(request.limit.max(1))
            .and_offset(request.offset)
            .order_by_score();
        let (total, top_docs) = searcher.search(&query, &(Count, top))?;
        let mut hits = Vec::with_capacity(top_docs.len());
        for (score, address) in top_docs.into_iter().take(request.limit) {
            let document: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = document
                .get_first(self.fields.id)
                .and_then(|value| value.as_str())
            {
                hits.push((id.to_string(), score));
            }
        }
        Ok(SearchPage {
            hits,
            total,
            highlighter: Highlighter(generator),
        })
    }

    fn filter_clauses(&self, filter: &Filter) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let term = |term: Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match filter.kind {
            ReportKind::Unspecified => clauses.push((
                Occur::MustNot,
                term(Term::from_field_u64(
                    f.kind,
                    kind_number(ReportKind::NotAReport),
                )),
            )),
            kind => clauses.push((
                Occur::Must,
                term(Term::from_field_u64(f.kind, kind_number(kind))),
            )),
        }
        let (from, to) = filter.years();
        if (from, to) != (i32::MIN, i32::MAX) {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.year, i64::from(from))),
                    Bound::Included(Term::from_field_i64(f.year, i64::from(to))),
                )),
            ));
        }
        if filter.level != Level::Unspecified {
            clauses.push((
                Occur::Must,
                term(Term::from_field_u64(f.level, level_number(filter.level))),
            ));
        }
        if filter.rating != Rating::Unspecified {
            clauses.push((
                Occur::Must,
                term(Term::from_field_u64(f.rating, rating_number(filter.rating))),
            ));
        }
        for (field, value) in [
            (f.organization, &filter.organization_name),
            (f.parent, &filter.parent_name),
            (f.province, &filter.province),
        ] {
            if !value.is_empty() {
                clauses.push((Occur::Must, term(Term::from_field_text(field, value))));
            }
        }
        clauses
    }
}

fn payload_of(index: &Index) -> Option<u64> {
    let payload = index.load_metas().ok()?.payload?;
    payload
        .strip_prefix(SCHEMA_VERSION)?
        .strip_prefix(':')?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParsedReport;
    use unicode_normalization::UnicodeNormalization;

    fn report(id: &str, year: i32, text: &str) -> Report {
        Report {
            id: id.into(),
            text: Normalized::new(text).into_string(),
            parsed: ParsedReport {
                kind: ReportKind::NewsArticle,
                report_year: year,
                organization: Organization {
                    level: Level::Commune,
                    name: id.into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn ids(index: &SearchIndex, query: &str, filter: Filter) -> Vec<String> {
        let request = SearchQuery {
            query: query.into(),
            filter,
            offset: 0,
            limit: 10,
        };
        index
            .search(&request)
            .unwrap()
            .hits
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    fn fixture() -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let reports = [
            report(
                "a",
                2023,
                "Xã đạt chuẩn nông thôn mới kiểu mẫu trong năm 2023. Hòa bình.",
            ),
            report(
                "b",
                2022,
                "Nông thôn mới được duy trì; mẫu giáo kiểu mới. Đường sá ổn định.",
            ),
            report(
                "c",
                2023,
                "Trường học ĐẠT CHUẨN quốc gia. Người dân ủy quyền.",
            ),
        ];
        index.apply(&reports, &[], 3).unwrap();
        (dir, index)
    }

    #[test]
    fn search_ignores_case_diacritics_form_and_tone_placement() {
        let (_dir, index) = fixture();
        assert_eq!(
            ids(&index, "NONG THON MOI KIEU MAU 2023", Filter::default()),
            vec!["a"]
        );
        assert_eq!(ids(&index, "DAT CHUAN", Filter::default()).len(), 2);
        let nfd: String = "Hoà Bình".nfd().collect();
        assert_eq!(ids(&index, &nfd, Filter::default()), vec!["a"]);
        assert_eq!(ids(&index, "uỷ quyền", Filter::default()), vec!["c"]);
        assert_eq!(ids(&index, "đường sá", Filter::default()), vec!["b"]);
    }

    #[test]
    fn quoted_words_must_occur_as_a_phrase() {
        let (_dir, index) = fixture();
        // Both texts hold the four words; only one holds them in this order.
        let mut loose = ids(&index, "kiểu mẫu nông thôn", Filter::default());
        loose.sort();
        assert_eq!(loose, vec!["a", "b"]);
        assert_eq!(
            ids(&index, "\"nông thôn mới kiểu mẫu\"", Filter::default()),
            vec!["a"]
        );
    }

    #[test]
    fn filters_narrow_hits_and_snippets_highlight_matches() {
        let (_dir, index) = fixture();
        let only_2022 = Filter {
            report_year: 2022,
            ..Default::default()
        };
        assert_eq!(ids(&index, "nông thôn mới", only_2022), vec!["b"]);
        let page = index
            .search(&SearchQuery {
                query: "kieu mau".into(),
                filter: Filter::default(),
                offset: 0,
                limit: 10,
            })
            .unwrap();
        let text = report(
            "a",
            2023,
            "Xã đạt chuẩn nông thôn mới kiểu mẫu trong năm 2023. Hòa bình.",
        )
        .text;
        let snippet = &page.highlighter.snippets(&text)[0];
        let marked: Vec<&str> = snippet
            .highlights
            .iter()
            .map(|&(s, e)| &snippet.fragment[s..e])
            .collect();
        assert_eq!(marked, vec!["kiểu", "mẫu"]);
        assert!(snippet.html.contains("<b>kiểu</b>"));
    }

    #[test]
    fn reopening_keeps_the_next_sequence_and_removals_take_effect() {
        let (dir, index) = fixture();
        index.apply(&[], &["a".to_string()], 4).unwrap();
        drop(index);
        let reopened = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(reopened.next_sequence(), Some(4));
        assert_eq!(reopened.len(), 2);
        assert!(ids(&reopened, "hoa binh", Filter::default()).is_empty());
    }
}
