//! Regexes with word boundaries that stay on the regex crate's fast engines.
//!
//! A Unicode `\b` keeps the lazy DFA off any haystack holding a non-ASCII
//! byte, and the regex crate then falls back to its backtracker over the
//! whole haystack. The parser matches most rules on folded text, where every
//! Vietnamese letter is ASCII and the non-ASCII chars left are dashes, quotes
//! and the like. On such a haystack an ASCII word boundary is exactly the
//! Unicode one (no non-ASCII char is a word char), so a [`WordRegex`] keeps
//! both forms of its pattern and searches each haystack with the ASCII form
//! unless the haystack holds a non-ASCII word char.

use std::borrow::Cow;

use regex::{CaptureMatches, Captures, Match, Matches, Regex, RegexSet, Replacer};

pub(crate) struct WordRegex {
    unicode: Regex,
    ascii: Regex,
}

impl WordRegex {
    pub fn new(pattern: &str) -> Result<WordRegex, regex::Error> {
        Ok(WordRegex {
            unicode: Regex::new(pattern)?,
            ascii: Regex::new(&ascii_boundaries(pattern))?,
        })
    }

    /// The form that gives the Unicode pattern's answer on `haystack`.
    fn on(&self, haystack: &str) -> &Regex {
        if foreign_word_char(haystack) {
            &self.unicode
        } else {
            &self.ascii
        }
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.on(haystack).is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.on(haystack).find(haystack)
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> Matches<'r, 'h> {
        self.on(haystack).find_iter(haystack)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.on(haystack).captures(haystack)
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> CaptureMatches<'r, 'h> {
        self.on(haystack).captures_iter(haystack)
    }

    pub fn replace<'h, R: Replacer>(&self, haystack: &'h str, replacer: R) -> Cow<'h, str> {
        self.on(haystack).replace(haystack, replacer)
    }

    pub fn replace_all<'h, R: Replacer>(&self, haystack: &'h str, replacer: R) -> Cow<'h, str> {
        self.on(haystack).replace_all(haystack, replacer)
    }
}

/// A [`RegexSet`] kept in both forms, like [`WordRegex`].
pub(crate) struct WordRegexSet {
    unicode: RegexSet,
    ascii: RegexSet,
}

impl WordRegexSet {
    pub fn new(patterns: &[&str]) -> Result<WordRegexSet, regex::Error> {
        Ok(WordRegexSet {
            unicode: RegexSet::new(patterns)?,
            ascii: RegexSet::new(patterns.iter().map(|p| ascii_boundaries(p)))?,
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        if foreign_word_char(haystack) {
            self.unicode.is_match(haystack)
        } else {
            self.ascii.is_match(haystack)
        }
    }
}

/// Whether `haystack` holds a non-ASCII char that a Unicode `\b` counts as
/// part of a word. Only the non-ASCII chars are decoded.
fn foreign_word_char(haystack: &str) -> bool {
    let mut rest = haystack;
    while let Some(at) = first_non_ascii(rest.as_bytes()) {
        let Some(c) = rest[at..].chars().next() else {
            return false;
        };
        if regex_syntax::try_is_word_character(c).unwrap_or(true) {
            return true;
        }
        rest = &rest[at + c.len_utf8()..];
    }
    false
}

/// Where the first non-ASCII byte is, checked a block at a time.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let skipped = bytes
        .chunks_exact(BLOCK)
        .take_while(|block| block.is_ascii())
        .count()
        * BLOCK;
    bytes[skipped..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|at| skipped + at)
}

/// The pattern with every `\b` made an ASCII word boundary.
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str(r"(?-u:\b)"),
            Some(escaped) => {
                out.push('\\');
                out.push(escaped);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_word_boundaries_change() {
        assert_eq!(
            ascii_boundaries(r"\bnam (\d{4})\b|\\b\.\B"),
            r"(?-u:\b)nam (\d{4})(?-u:\b)|\\b\.\B"
        );
    }

    #[test]
    fn both_forms_agree_where_each_is_used() {
        let pattern = r"\bdat\b|\b(\d+)\s*ha\b";
        let word = WordRegex::new(pattern).expect("pattern");
        let unicode = Regex::new(pattern).expect("pattern");
        for haystack in [
            "dat 12 ha",
            "– dat “12 ha” …",
            "đat 12 ha",
            "datđ 12 hab",
            "хdat 12 ha",
            "12 haж dat",
            "",
        ] {
            let found: Vec<_> = word.find_iter(haystack).map(|m| m.range()).collect();
            let expected: Vec<_> = unicode.find_iter(haystack).map(|m| m.range()).collect();
            assert_eq!(found, expected, "{haystack:?}");
        }
    }

    #[test]
    fn both_forms_of_a_set_agree() {
        let patterns = [r"\bluot xem\b", r"^(?:anh|nguon)\s*:", r"\.(?:jpe?g|png)\b"];
        let set = WordRegexSet::new(&patterns).expect("patterns");
        let unicode = RegexSet::new(patterns).expect("patterns");
        for haystack in [
            "1.234 luot xem",
            "1.234 luot xemж",
            "m² luot xem",
            "anh: tu lieu",
            "anh_01.jpg",
            "anh_01.jpgđ",
            "",
        ] {
            assert_eq!(
                set.is_match(haystack),
                unicode.is_match(haystack),
                "{haystack:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_word_regex_finds_what_its_unicode_pattern_finds(
            haystack in "[a-z0-9 .,;:–…“”đâơưж日_]{0,40}",
        ) {
            let pattern = r"\b(?:dat|d|ha)\b|\b\d+\b|[^a-z]\b";
            let word = WordRegex::new(pattern).expect("pattern");
            let unicode = Regex::new(pattern).expect("pattern");
            let found: Vec<_> = word.find_iter(&haystack).map(|m| m.range()).collect();
            let expected: Vec<_> = unicode.find_iter(&haystack).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
