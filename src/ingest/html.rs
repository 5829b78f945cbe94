//! Saved web pages (`.html`, `.htm`): the article's own text, without the
//! page around it.
//!
//! The page is parsed with `scraper` (html5ever), which also decodes
//! entities. What is dropped as chrome: scripts and styles; `nav`, `header`,
//! `footer`, `aside`, forms and buttons; hidden elements; elements whose
//! role, class or id names a menu, a sidebar, related news, comments,
//! sharing, advertising or a counter; a block that starts with a label such
//! as "Tin liên quan", "Tin mới nhất" or "Bình luận" (and what follows it);
//! lists that are mostly links; and lines that are view or visitor counters.
//!
//! The article itself is found as readability does: each paragraph scores
//! its parent and grandparent by its length and commas, link-heavy
//! containers lose, and the best container is taken with those siblings
//! that score too (the lead paragraph often sits next to the body).
//!
//! The text starts with the page's headline (its `h1`, else `og:title`,
//! else `<title>`) and, when the page states one in its metadata or a date
//! element, its publication date as "Đăng ngày DD/MM/YYYY", the way such
//! pages read when copied. The `<link rel=canonical>` (else `og:url`)
//! becomes the submission's `source_url`.

use std::collections::HashMap;
use std::sync::LazyLock;

use ego_tree::NodeId;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};

use super::{CELL_SEPARATOR, Document, ReadError, Submission, decode_utf8};
use crate::text::fold;

/// What is kept of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    /// The canonical URL, when the page names an absolute one.
    pub source_url: String,
    /// Headline, publication date line and article, one block per line.
    pub text: String,
}

/// Reads a saved web page as one submission.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    let source = decode_utf8(bytes).map_err(|error| match declared_charset(bytes) {
        Some(charset) if matches!(error, ReadError::NotUtf8 { .. }) => {
            ReadError::Charset { charset }
        }
        _ => error,
    })?;
    let page = extract(source)?;
    Ok(Document::single(Submission {
        text: page.text,
        source_url: page.source_url,
        source_name: name.to_owned(),
        line: None,
    }))
}

static CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]*charset\s*=\s*["']?([a-z0-9_.:-]+)"#).expect("valid regex")
});

/// The charset a page declares in a `<meta>` near its top, if not UTF-8.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let charset = CHARSET.captures(&head)?[1].to_ascii_lowercase();
    (!matches!(charset.as_str(), "utf-8" | "utf8")).then_some(charset)
}

/// Extracts the article from a page's HTML.
pub fn extract(source: &str) -> Result<Page, ReadError> {
    let document = Html::parse_document(source);
    let root = document.root_element();
    let body = root
        .child_elements()
        .find(|element| element.value().name() == "body")
        .unwrap_or(root);

    let parts = main_content(body);
    let mut article = Vec::new();
    for part in parts.iter().copied() {
        let mut renderer = Renderer::default();
        renderer.element(part);
        article.extend(renderer.finish());
    }
    article.retain(|line| !is_chrome_line(line));
    if article.iter().all(|line| line.chars().count() < 2) {
        return Err(ReadError::NoArticleText);
    }

    let title = title(&document, body);
    let mut lines = Vec::new();
    let headline_present = article
        .iter()
        .take(3)
        .any(|line| same_headline(line, &title));
    if !title.is_empty() && !headline_present {
        lines.push(title.clone());
    }
    if let Some((date, source)) = published_date(&document, body) {
        let already_shown = match source {
            // The element is part of the article: its text is there already.
            DateSource::Element(id) => parts
                .iter()
                .any(|part| part.id() == id || part.descendants().any(|node| node.id() == id)),
            // A line that says when the page was posted, with this date.
            DateSource::Metadata => article.iter().take(8).any(|line| {
                let folded = fold(line);
                mentions_date(line, date)
                    && ["dang", "cap nhat", "xuat ban"]
                        .iter()
                        .any(|word| folded.contains(word))
            }),
        };
        if !already_shown {
            lines.push(format!("Đăng ngày {:02}/{:02}/{}", date.0, date.1, date.2));
        }
    }
    lines.extend(article);

    Ok(Page {
        title,
        source_url: canonical_url(&document),
        text: lines.join("\n"),
    })
}

/// Whether an article line is the headline: the same words, or the page
/// title's words inside it ("Sơn Trà sơ kết 6 tháng" in the headline), or
/// the line inside a page title that adds the site's name.
fn same_headline(line: &str, title: &str) -> bool {
    let (line, title) = (fold(line), fold(title));
    if line.is_empty() || title.is_empty() {
        return false;
    }
    line == title || line.contains(&title) || (line.len() >= 20 && title.contains(&line))
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid built-in selector")
}

fn attribute_of(document: &Html, css: &str, attribute: &str) -> Option<String> {
    document
        .select(&selector(css))
        .filter_map(|element| element.value().attr(attribute))
        .map(str::trim)
        .find(|value| !value.is_empty())
        .map(str::to_owned)
}

/// The first absolute URL among `<link rel=canonical>` and `og:url`.
fn canonical_url(document: &Html) -> String {
    let canonical = attribute_of(document, "link[rel~=canonical]", "href");
    let og_url = attribute_of(document, "meta[property='og:url']", "content");
    [canonical, og_url]
        .into_iter()
        .flatten()
        .find(|url| url.starts_with("http://") || url.starts_with("https://"))
        .unwrap_or_default()
}

/// The headline: the first `h1` outside the chrome, else the element marked
/// `itemprop=headline`, else `og:title`, else `<title>`.
fn title(document: &Html, body: ElementRef<'_>) -> String {
    let h1 = body
        .select(&selector("h1"))
        .filter(|h1| !inside_chrome(*h1))
        .map(|h1| collapse(&h1.text().collect::<String>()))
        .find(|text| text.chars().count() >= 5);
    let headline = body
        .select(&selector("[itemprop='headline']"))
        .filter(|headline| !inside_chrome(*headline))
        .map(|headline| collapse(&headline.text().collect::<String>()))
        .find(|text| text.chars().count() >= 5);
    let og_title =
        attribute_of(document, "meta[property='og:title']", "content").map(|t| collapse(&t));
    let page_title = document
        .select(&selector("head title"))
        .map(|title| collapse(&title.text().collect::<String>()))
        .find(|text| !text.is_empty());
    h1.or(headline)
        .or(og_title)
        .or(page_title)
        .unwrap_or_default()
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})\b")
        .expect("valid regex")
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})").expect("valid regex"));

/// (day, month, year)
type Date = (u32, u32, u32);

fn valid(date: Date) -> Option<Date> {
    ((1..=31).contains(&date.0) && (1..=12).contains(&date.1)).then_some(date)
}

/// Where a publication date was found.
enum DateSource {
    /// `article:published_time` and the like.
    Metadata,
    /// A visible element (a "date", "time" or "meta" box).
    Element(NodeId),
}

/// Class or id parts of elements that show a page's date.
const DATE_WORDS: &[&str] = &[
    "date",
    "time",
    "ngay",
    "publish",
    "published",
    "posted",
    "meta",
    "info",
    "dateline",
    "byline",
];

/// The page's publication date: from `article:published_time` or
/// `datePublished` metadata, else from a visible date element.
fn published_date(document: &Html, body: ElementRef<'_>) -> Option<(Date, DateSource)> {
    let metadata = [
        ("meta[property='article:published_time']", "content"),
        ("meta[itemprop='datePublished']", "content"),
        ("[itemprop='datePublished']", "datetime"),
        ("time[pubdate]", "datetime"),
    ];
    for (css, attribute) in metadata {
        if let Some(value) = attribute_of(document, css, attribute)
            && let Some(found) = ISO_DATE.captures(&value)
        {
            let date = (
                found[3].parse().ok()?,
                found[2].parse().ok()?,
                found[1].parse().ok()?,
            );
            if let Some(date) = valid(date) {
                return Some((date, DateSource::Metadata));
            }
        }
    }
    body.descendent_elements()
        .filter(|element| {
            element.value().name() == "time"
                || tokens(*element).any(|token| DATE_WORDS.contains(&token.as_str()))
        })
        .filter(|element| !inside_chrome(*element))
        .find_map(|element| {
            let text = element.text().take(20).collect::<String>();
            let found = DATE.captures(&text)?;
            let date = valid((
                found[1].parse().ok()?,
                found[2].parse().ok()?,
                found[3].parse().ok()?,
            ))?;
            Some((date, DateSource::Element(element.id())))
        })
}

fn mentions_date(text: &str, date: Date) -> bool {
    DATE.captures_iter(text).any(|found| {
        found[1].parse() == Ok(date.0)
            && found[2].parse() == Ok(date.1)
            && found[3].parse() == Ok(date.2)
    })
}

// ------------------------------------------------------------------ chrome

const CHROME_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe",
    "object", "embed", "svg", "canvas", "button", "input", "select", "textarea", "label", "menu",
    "dialog", "head", "link", "meta",
];

const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
];

/// Words that mark an element as chrome when they are one of the parts of a
/// class or id ("box-tin-lien-quan" → "box", "tin", "lien", "quan").
const CHROME_WORDS: &[&str] = &[
    "menu",
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "sidebar",
    "aside",
    "related",
    "relate",
    "lienquan",
    "comment",
    "comments",
    "binhluan",
    "share",
    "sharing",
    "social",
    "banner",
    "ads",
    "advert",
    "advertisement",
    "quangcao",
    "tags",
    "popup",
    "modal",
    "cookie",
    "login",
    "search",
    "counter",
    "visitor",
    "thongke",
    "luotxem",
    "views",
    "widget",
    "toolbar",
    "pagination",
    "rss",
    "subscribe",
    "newsletter",
    "hotline",
    "topbar",
    "copyright",
    "latest",
    "newest",
    "moinhat",
    "mostread",
    "docnhieu",
    "xemnhieu",
    "print",
    "skip",
];

/// Pairs of adjacent class or id parts that mark chrome ("lien-quan", "tin-khac").
const CHROME_PAIRS: &[(&str, &str)] = &[
    ("lien", "quan"),
    ("tin", "khac"),
    ("binh", "luan"),
    ("moi", "nhat"),
    ("luot", "xem"),
    ("xem", "nhieu"),
    ("doc", "nhieu"),
    ("most", "read"),
    ("quang", "cao"),
    ("thong", "ke"),
];

/// Labels that head a block of chrome, folded ("Tin liên quan" → "tin lien quan").
const CHROME_LABELS: &[&str] = &[
    "tin lien quan",
    "tin moi nhat",
    "tin moi",
    "tin cung chuyen muc",
    "tin cung danh muc",
    "bai viet lien quan",
    "bai lien quan",
    "tin bai lien quan",
    "tin khac",
    "cac tin khac",
    "tin tuc khac",
    "cac bai viet khac",
    "bai viet khac",
    "tin doc nhieu",
    "doc nhieu nhat",
    "xem nhieu nhat",
    "tin xem nhieu",
    "tin noi bat",
    "binh luan",
    "y kien ban doc",
    "gui binh luan",
    "gui y kien",
    "viet binh luan",
    "co the ban quan tam",
    "thong ke truy cap",
    "lien ket website",
    "chia se",
    "tu khoa",
];

/// Lines that are page furniture whatever element they sit in (folded prefixes).
const COUNTER_PREFIXES: &[&str] = &[
    "luot xem",
    "so luot xem",
    "luot doc",
    "luot truy cap",
    "dang truy cap",
    "dang online",
    "tong truy cap",
    "tong so luot truy cap",
    "tong luot truy cap",
    "truy cap hom nay",
    "thong ke truy cap",
    "online:",
];

const FURNITURE_LINES: &[&str] = &[
    "in bai viet",
    "ban in",
    "gui email",
    "chia se",
    "quay lai",
    "ve dau trang",
    "len dau trang",
    "tro ve",
    "100%",
    "a a a",
    "a- a a+",
];

/// The lower-cased parts of an element's class names and id.
fn tokens<'a>(element: ElementRef<'a>) -> impl Iterator<Item = String> + 'a {
    let value = element.value();
    value
        .classes()
        .chain(value.id())
        .flat_map(|name| name.split(['-', '_', ' ']))
        .filter(|part| !part.is_empty())
        .map(str::to_ascii_lowercase)
}

fn is_chrome(element: ElementRef<'_>) -> bool {
    let value = element.value();
    if CHROME_TAGS.contains(&value.name()) {
        return true;
    }
    if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
        return true;
    }
    if value.attr("style").is_some_and(|style| {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        style.to_ascii_lowercase().contains("display:none")
    }) {
        return true;
    }
    if value
        .attr("role")
        .is_some_and(|role| CHROME_ROLES.contains(&role))
    {
        return true;
    }
    let parts: Vec<String> = tokens(element).collect();
    if parts
        .iter()
        .any(|part| CHROME_WORDS.contains(&part.as_str()))
    {
        return true;
    }
    // A page's header is chrome; an article's own header (headline, date)
    // is not.
    let header = value.name() == "header" || parts.iter().any(|part| part == "header");
    if header
        && !parts
            .iter()
            .any(|part| CONTENT_WORDS.contains(&part.as_str()))
        && !std::iter::successors(element.parent().and_then(ElementRef::wrap), |e| {
            e.parent().and_then(ElementRef::wrap)
        })
        .any(|ancestor| matches!(ancestor.value().name(), "article" | "main"))
    {
        return true;
    }
    if parts
        .windows(2)
        .any(|pair| CHROME_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
    {
        return true;
    }
    is_link_list(element)
}

/// A list or box made mostly of links: menus, "other news" lists.
fn is_link_list(element: ElementRef<'_>) -> bool {
    if !matches!(
        element.value().name(),
        "ul" | "ol" | "div" | "section" | "table" | "dl"
    ) {
        return false;
    }
    let mut stats = TextStats::default();
    stats.add(element, false);
    stats.links >= 3 && stats.link_chars * 2 > stats.chars
}

fn inside_chrome(element: ElementRef<'_>) -> bool {
    std::iter::successors(Some(element), |element| {
        element.parent().and_then(ElementRef::wrap)
    })
    .any(is_chrome)
}

/// A short element whose text is a chrome label ("Tin liên quan:").
fn is_chrome_label(element: ElementRef<'_>) -> bool {
    let tag = element.value().name();
    let heading = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    let labelish = matches!(tag, "div" | "p" | "span" | "strong" | "b" | "a" | "section");
    if !heading && !labelish {
        return false;
    }
    let mut text = String::new();
    for piece in element.text() {
        text.push_str(piece);
        if text.len() > 160 {
            return false;
        }
    }
    let folded = fold(&text);
    let folded = folded.trim_end_matches([':', ' ', '.']);
    CHROME_LABELS.iter().any(|label| {
        folded.strip_prefix(label).is_some_and(|rest| {
            rest.is_empty() || (rest.starts_with([' ', '(', ':']) && rest.len() <= 8)
        })
    })
}

fn is_chrome_line(line: &str) -> bool {
    let folded = fold(line);
    let counter = COUNTER_PREFIXES
        .iter()
        .any(|prefix| folded.starts_with(prefix))
        && folded.chars().any(|c| c.is_ascii_digit())
        && folded.len() < 80;
    counter || FURNITURE_LINES.contains(&folded.as_str())
}

fn is_heading(element: ElementRef<'_>) -> bool {
    matches!(
        element.value().name(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

// ------------------------------------------------------------- the article

/// Characters of visible text under an element, and how many sit in links.
#[derive(Default)]
struct TextStats {
    chars: usize,
    link_chars: usize,
    links: usize,
    commas: usize,
}

impl TextStats {
    fn add(&mut self, element: ElementRef<'_>, skip_chrome: bool) {
        let in_link = element.value().name() == "a";
        if in_link {
            self.links += 1;
        }
        self.add_children(element, in_link, skip_chrome);
    }

    fn add_children(&mut self, element: ElementRef<'_>, in_link: bool, skip_chrome: bool) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    let count = text.chars().filter(|c| !c.is_whitespace()).count();
                    self.chars += count;
                    self.commas += text.matches([',', '，']).count();
                    if in_link {
                        self.link_chars += count;
                    }
                }
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if skip_chrome && is_chrome(child) {
                        continue;
                    }
                    if CHROME_TAGS.contains(&child.value().name()) {
                        continue;
                    }
                    let link = in_link || child.value().name() == "a";
                    if link && !in_link {
                        self.links += 1;
                    }
                    self.add_children(child, link, skip_chrome);
                }
                _ => {}
            }
        }
    }

    fn link_density(&self) -> f64 {
        if self.chars == 0 {
            1.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// The article's parts in document order: the best-scoring container and
/// those of its siblings that belong with it. Falls back to the body.
fn main_content(body: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    score_paragraphs(body, &mut scores);

    let best = scores
        .iter()
        .filter_map(|(id, score)| {
            let element = ElementRef::wrap(body.tree().get(*id)?)?;
            let mut stats = TextStats::default();
            stats.add(element, true);
            let bonus = if tokens(element).any(|token| CONTENT_WORDS.contains(&token.as_str())) {
                1.25
            } else {
                1.0
            };
            Some((element, score * (1.0 - stats.link_density()) * bonus))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let Some((top, top_score)) = best else {
        return vec![body];
    };
    if top_score < 3.0 {
        return vec![body];
    }
    let Some(parent) = top.parent().and_then(ElementRef::wrap) else {
        return vec![top];
    };
    let threshold = f64::max(3.0, top_score * 0.2);
    parent
        .child_elements()
        .filter(|sibling| {
            if sibling.id() == top.id() {
                return true;
            }
            if is_chrome(*sibling) {
                return false;
            }
            if scores
                .get(&sibling.id())
                .is_some_and(|score| *score >= threshold)
            {
                return true;
            }
            let mut stats = TextStats::default();
            stats.add(*sibling, true);
            let lead = tokens(*sibling).any(|token| LEAD_WORDS.contains(&token.as_str()));
            (lead && stats.chars > 0)
                || (matches!(sibling.value().name(), "p" | "h2" | "h3" | "blockquote")
                    && stats.chars >= 80
                    && stats.link_density() < 0.25)
        })
        .collect()
}

/// Class or id parts that suggest the article body.
const CONTENT_WORDS: &[&str] = &[
    "content", "article", "detail", "body", "entry", "post", "noidung", "chitiet", "main", "news",
];

/// Class or id parts of a lead paragraph placed beside the body.
const LEAD_WORDS: &[&str] = &["sapo", "lead", "summary", "description", "tomtat", "intro"];

const PARAGRAPH_TAGS: &[&str] = &["p", "pre", "td", "blockquote", "li"];

fn score_paragraphs(element: ElementRef<'_>, scores: &mut HashMap<NodeId, f64>) {
    for child in element.child_elements() {
        if is_chrome(child) {
            continue;
        }
        let name = child.value().name();
        let direct_text = child.children().any(|node| {
            node.value()
                .as_text()
                .is_some_and(|text| text.trim().chars().count() >= 25)
        });
        if PARAGRAPH_TAGS.contains(&name) || (name == "div" && direct_text) {
            let mut stats = TextStats::default();
            stats.add(child, true);
            let own = stats.chars.saturating_sub(stats.link_chars);
            if own >= 25 {
                let score = 1.0 + stats.commas as f64 + f64::min(own as f64 / 100.0, 3.0);
                let parent = Some(element);
                let grandparent = element.parent().and_then(ElementRef::wrap);
                if let Some(parent) = parent {
                    *scores.entry(parent.id()).or_default() += score;
                }
                if let Some(grandparent) = grandparent {
                    *scores.entry(grandparent.id()).or_default() += score / 2.0;
                }
            }
        }
        if name != "p" {
            score_paragraphs(child, scores);
        }
    }
}

// -------------------------------------------------------------- rendering

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Turns elements into lines: one per block, one per table row.
#[derive(Default)]
struct Renderer {
    lines: Vec<String>,
    current: String,
}

impl Renderer {
    fn finish(mut self) -> Vec<String> {
        self.flush();
        self.lines
    }

    fn flush(&mut self) {
        let line = self.current.trim();
        if !line.is_empty() {
            self.lines.push(line.to_owned());
        }
        self.current.clear();
    }

    fn text(&mut self, text: &str) {
        let text = text.replace(['\u{200b}', '\u{feff}'], "");
        if text.starts_with(char::is_whitespace)
            && !self.current.ends_with(' ')
            && !self.current.is_empty()
        {
            self.current.push(' ');
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        self.current.push_str(&words.join(" "));
        if text.ends_with(char::is_whitespace) && !words.is_empty() {
            self.current.push(' ');
        }
    }

    fn element(&mut self, element: ElementRef<'_>) {
        if is_chrome(element) {
            return;
        }
        let name = element.value().name();
        match name {
            "br" => self.flush(),
            "img" | "video" | "audio" | "picture" | "source" => {}
            "table" if is_data_table(element) => {
                self.flush();
                self.table(element);
            }
            _ if BLOCK_TAGS.contains(&name) => {
                self.flush();
                self.children(element);
                self.flush();
            }
            _ => self.children(element),
        }
    }

    /// Renders the children, skipping a chrome label and what follows it up
    /// to the next real heading.
    fn children(&mut self, element: ElementRef<'_>) {
        let mut skipping = false;
        for child in element.children() {
            match child.value() {
                Node::Text(text) if !skipping => self.text(text),
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if is_chrome_label(child) {
                        skipping = true;
                        continue;
                    }
                    if skipping && is_heading(child) {
                        skipping = false;
                    }
                    if !skipping {
                        self.element(child);
                    }
                }
                _ => {}
            }
        }
    }

    fn table(&mut self, table: ElementRef<'_>) {
        for row in rows(table) {
            let mut cells = Vec::new();
            for cell in row
                .child_elements()
                .filter(|cell| matches!(cell.value().name(), "td" | "th"))
            {
                let mut renderer = Renderer::default();
                renderer.children(cell);
                cells.push(renderer.finish().join(" "));
                let span: usize = cell
                    .value()
                    .attr("colspan")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                for _ in 1..span.clamp(1, 64) {
                    cells.push(String::new());
                }
            }
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            if !cells.is_empty() {
                self.lines.push(collapse(&cells.join(CELL_SEPARATOR)));
            }
        }
    }
}

/// A table's own rows, not those of tables nested in it.
fn rows(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => {
                rows.extend(
                    child
                        .child_elements()
                        .filter(|row| row.value().name() == "tr"),
                );
            }
            _ => {}
        }
    }
    rows
}

/// A table of data rather than of layout: no nested tables, no long cells.
fn is_data_table(table: ElementRef<'_>) -> bool {
    let nested = table
        .descendent_elements()
        .skip(1)
        .any(|element| element.value().name() == "table");
    let long_cell = rows(table)
        .iter()
        .flat_map(|row| row.child_elements())
        .any(|cell| {
            let mut stats = TextStats::default();
            stats.add(cell, true);
            stats.chars > 300
        });
    !nested && !long_cell
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html>
<html lang="vi"><head>
<meta charset="utf-8">
<title>Đảng ủy xã Sơn Liên tổng kết năm 2023 - Cổng TTĐT huyện Sơn Tây</title>
<link rel="canonical" href="https://sontay.example.vn/tin-tuc/son-lien-tong-ket-2023.html">
<meta property="og:url" content="https://sontay.example.vn/?p=123">
<meta property="article:published_time" content="2023-12-23T08:15:00+07:00">
<script>var menu = "Trang chủ";</script><style>.x{}</style>
</head><body>
<header class="site-header"><a href="/">Trang chủ</a></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/gt">Giới thiệu</a></li><li><a href="/tt">Tin tức</a></li></ul></nav>
<div class="main-menu"><a href="/a">Chính trị</a> <a href="/b">Kinh tế</a> <a href="/c">Xã hội</a></div>
<div class="container"><div class="row">
<div class="col-left">
  <div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="/tt">Tin tức</a></div>
  <h1 class="title">Đảng ủy xã Sơn Liên tổng kết công tác Đảng năm 2023</h1>
  <div class="meta"><span class="luot-xem">Lượt xem: 225</span></div>
  <div class="sapo">Ngày 20/12/2023, Đảng ủy xã Sơn Liên tổ chức hội nghị tổng kết.</div>
  <div class="detail-content">
    <p>Năm 2023, Đảng ủy xã Sơn Liên tiếp tục đổi mới phương thức lãnh đạo, sâu sát cơ sở, chủ động trong công tác lãnh đạo.</p>
    <p>Cây lương thực có hạt đạt 466,8&nbsp;tấn, đạt 105,35&#37; so với kế hoạch; đàn bò 840 con, đạt 100,11% KH.</p>
    <table><tr><th>Chỉ tiêu</th><th>ĐVT</th><th>Kết quả</th></tr>
      <tr><td>Đàn bò</td><td>con</td><td>840</td></tr></table>
    <p>Tin liên quan:</p>
    <ul><li><a href="/1">Xã Sơn Trà tổng kết</a></li><li><a href="/2">Xã Thạch Sơn tổng kết</a></li></ul>
  </div>
  <div class="tin-lien-quan"><h3>Tin liên quan</h3><ul><li><a href="/3">Huyện ủy họp</a></li></ul></div>
  <div class="box"><h3>Tin mới nhất</h3><p>Hội thao xã Sơn Bua năm 2023 diễn ra sôi nổi với nhiều môn thi đấu.</p></div>
  <div class="comment-form"><form><textarea></textarea><button>Gửi bình luận</button></form></div>
</div>
<aside class="sidebar"><h3>Thống kê truy cập</h3><p>Đang online: 35</p></aside>
</div></div>
<footer><p>Bản quyền thuộc UBND huyện Sơn Tây, địa chỉ: thị trấn Di Lăng, tỉnh Quảng Ngãi.</p></footer>
</body></html>"#;

    #[test]
    fn the_article_is_kept_and_the_chrome_dropped() {
        let page = extract(PAGE).unwrap();
        assert_eq!(
            page.text,
            "Đảng ủy xã Sơn Liên tổng kết công tác Đảng năm 2023\n\
             Đăng ngày 23/12/2023\n\
             Ngày 20/12/2023, Đảng ủy xã Sơn Liên tổ chức hội nghị tổng kết.\n\
             Năm 2023, Đảng ủy xã Sơn Liên tiếp tục đổi mới phương thức lãnh đạo, sâu sát cơ sở, chủ động trong công tác lãnh đạo.\n\
             Cây lương thực có hạt đạt 466,8 tấn, đạt 105,35% so với kế hoạch; đàn bò 840 con, đạt 100,11% KH.\n\
             Chỉ tiêu | ĐVT | Kết quả\n\
             Đàn bò | con | 840"
        );
        assert_eq!(
            page.title,
            "Đảng ủy xã Sơn Liên tổng kết công tác Đảng năm 2023"
        );
        assert_eq!(
            page.source_url,
            "https://sontay.example.vn/tin-tuc/son-lien-tong-ket-2023.html"
        );
    }

    #[test]
    fn og_url_is_used_when_there_is_no_absolute_canonical_link() {
        let html = r#"<html><head><link rel="canonical" href="/a.html">
            <meta property="og:url" content="https://a.example.vn/a.html"></head>
            <body><p>Một đoạn văn đủ dài để là nội dung của bài viết này.</p></body></html>"#;
        let page = extract(html).unwrap();
        assert_eq!(page.source_url, "https://a.example.vn/a.html");
        assert_eq!(
            page.text,
            "Một đoạn văn đủ dài để là nội dung của bài viết này."
        );
    }

    #[test]
    fn a_page_with_only_chrome_has_no_article() {
        let html = "<html><body><nav><a href='/'>Trang chủ</a></nav><footer>Bản quyền</footer></body></html>";
        assert_eq!(extract(html), Err(ReadError::NoArticleText));
    }

    #[test]
    fn a_visible_date_is_used_when_metadata_has_none() {
        let html = r#"<html><body><h1>Hội nghị tổng kết năm 2023</h1>
            <span class="post-date">Thứ bảy, 23/12/2023 - 08:15</span>
            <div class="content"><p>Sáng ngày 21/12/2023, Đảng ủy xã Phước Sơn tổ chức hội nghị, có nhiều đại biểu.</p>
            <p>Hội nghị đã thảo luận, thống nhất các chỉ tiêu, nhiệm vụ chủ yếu năm 2024.</p></div></body></html>"#;
        let page = extract(html).unwrap();
        let lines: Vec<&str> = page.text.lines().collect();
        assert_eq!(
            lines[..2],
            ["Hội nghị tổng kết năm 2023", "Đăng ngày 23/12/2023"]
        );
        assert_eq!(lines.len(), 4, "{lines:?}");
    }

    #[test]
    fn a_page_in_a_legacy_charset_is_refused_naming_it() {
        let page = b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>\
                     </head><body><p>S\xD5n Li\xEAn</p></body></html>";
        assert_eq!(
            read("a.html", page),
            Err(ReadError::Charset {
                charset: "windows-1258".to_owned()
            })
        );
        assert_eq!(
            read("a.html", page).unwrap_err().to_string(),
            "a page in windows-1258, not UTF-8; save it as UTF-8"
        );
        assert_eq!(
            read("b.html", b"<p>S\xD5n</p>"),
            Err(ReadError::NotUtf8 { offset: 4 })
        );
    }

    #[test]
    fn counter_and_furniture_lines_are_recognised() {
        assert!(is_chrome_line("Lượt xem: 225"));
        assert!(is_chrome_line("Đang online: 35"));
        assert!(is_chrome_line("100%"));
        assert!(!is_chrome_line(
            "Tỷ lệ hộ nghèo giảm còn 3,2%, lượt xem xét hồ sơ 12"
        ));
    }

    #[test]
    fn an_articles_own_header_gives_the_headline_and_date() {
        let page = extract(PAGE_WITH_ARTICLE_HEADER).unwrap();
        assert_eq!(
            page.text,
            "Xã Ba Điền tổng kết công tác Đảng năm 2023\n\
             Đăng ngày 23/12/2023\n\
             Ngày 22/12, Đảng ủy xã Ba Điền (Ba Tơ) tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2023.\n\
             Năm 2023, xã có 15/17 chỉ tiêu đạt và vượt, tổng sản lượng lương thực đạt 1.250 tấn, tỷ lệ hộ nghèo giảm còn 38,5%.\n\
             Kết nạp 5 đảng viên mới.\n\
             100% chi bộ hoàn thành nhiệm vụ.\n\
             Năm 2024, xã phấn đấu giảm 6% hộ nghèo, trồng mới 50 ha rừng.\n\
             Minh Hà"
        );
        assert_eq!(page.source_url, "https://baoquangngai.example.vn/a.htm");
    }

    #[test]
    fn a_marked_headline_and_a_date_box_outside_the_body_are_kept() {
        let page = extract(PAGE_WITH_ITEMPROP_HEADLINE).unwrap();
        assert_eq!(
            page.text,
            "Đảng bộ thị trấn Di Lăng tổng kết năm 2023\n\
             Đăng ngày 26/12/2023\n\
             Sáng 26/12/2023, Đảng bộ thị trấn Di Lăng tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024.\n\
             Thu ngân sách đạt 12,5 tỷ đồng, bằng 125% dự toán huyện giao."
        );
        assert_eq!(page.source_url, "");
    }

    const PAGE_WITH_ARTICLE_HEADER: &str = r#"<html><head><title>Xã A tổng kết | Báo Quảng Ngãi</title><meta property="og:url" content="https://baoquangngai.example.vn/a.htm"></head><body>
<div id="wrapper"><div id="header"><ul class="nav"><li><a href="/">Trang chủ</a></li><li><a href="/x">Thời sự</a></li><li><a href="/y">Kinh tế</a></li></ul></div>
<div class="main"><article class="post"><header class="entry-header"><h1 class="entry-title">Xã Ba Điền tổng kết công tác Đảng năm 2023</h1><div class="entry-meta">Cập nhật lúc 08:15 ngày 23/12/2023</div></header>
<div class="entry-content" itemprop="articleBody"><p><strong>Ngày 22/12, Đảng ủy xã Ba Điền (Ba Tơ) tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2023.</strong></p>
<p>Năm 2023, xã có 15/17 chỉ tiêu đạt và vượt, tổng sản lượng lương thực đạt 1.250 tấn, tỷ lệ hộ nghèo giảm còn 38,5%.</p>
<ul><li>Kết nạp 5 đảng viên mới.</li><li>100% chi bộ hoàn thành nhiệm vụ.</li></ul>
<p>Năm 2024, xã phấn đấu giảm 6% hộ nghèo, trồng mới 50 ha rừng.</p>
<p><em>Minh Hà</em></p></div>
<footer class="entry-footer"><span class="cat-links">Chuyên mục: <a href="/c">Xây dựng Đảng</a></span></footer></article>
<div class="related-posts"><h2>Bài viết liên quan</h2><article><h3><a href="/b">Xã Ba Vì tổng kết</a></h3><p>Ngày 20/12, Đảng ủy xã Ba Vì tổng kết năm 2023 với nhiều kết quả nổi bật, vượt kế hoạch.</p></article></div>
</div>
<div id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Giới thiệu</h2><p>Báo Quảng Ngãi là cơ quan ngôn luận của Đảng bộ tỉnh Quảng Ngãi, tiếng nói của chính quyền và nhân dân tỉnh nhà, phát hành hằng ngày.</p></section></div>
</div></body></html>"#;

    const PAGE_WITH_ITEMPROP_HEADLINE: &str = r#"<html><body><div class="page"><div class="left"><div class="menu-doc"><a href="/1">Văn bản</a> <a href="/2">Lịch</a> <a href="/3">Hỏi đáp</a></div></div>
<div class="right"><div class="item-page"><h2 itemprop="headline">Đảng bộ thị trấn Di Lăng tổng kết năm 2023</h2>
<dl class="article-info"><dd class="published">Ngày đăng: 26/12/2023</dd><dd class="hits">Lượt xem: 312</dd></dl>
<div itemprop="articleBody"><p>Sáng 26/12/2023, Đảng bộ thị trấn Di Lăng tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024.</p><p>Thu ngân sách đạt 12,5 tỷ đồng, bằng 125% dự toán huyện giao.</p></div>
<div class="pagenav"><a href="/prev">&lt; Trước</a> <a href="/next">Tiếp &gt;</a></div></div></div></div></body></html>"#;
}
