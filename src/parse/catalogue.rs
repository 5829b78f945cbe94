//! The indicator catalogue (`tables/indicators.tsv`): canonical keys for the
//! quantities reports measure, so that the same quantity compares across
//! communes and years whatever its wording. A name gets the key of the
//! longest catalogue wording it contains, matched on folded text (case,
//! diacritics and tone placement ignored).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::text::fold;

const DATA: &str = include_str!("../../tables/indicators.tsv");

#[derive(Debug)]
pub(crate) struct Entry {
    pub key: &'static str,
    pub category: &'static str,
    pub unit_family: &'static str,
}

struct Catalogue {
    entries: Vec<Entry>,
    /// For each wording pattern, its entry.
    owner: Vec<usize>,
    matcher: AhoCorasick,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut entries = Vec::new();
    let mut owner = Vec::new();
    let mut patterns = Vec::new();
    for line in DATA
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(key), Some(category), Some(unit_family), Some(wordings)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        for wording in wordings.split('|') {
            patterns.push(format!(" {} ", fold(wording)));
            owner.push(entries.len());
        }
        entries.push(Entry {
            key,
            category,
            unit_family,
        });
    }
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("catalogue wordings build an automaton");
    Catalogue {
        entries,
        owner,
        matcher,
    }
});

/// The catalogue entry for an indicator's name, if any wording fits.
pub(crate) fn lookup(name: &str) -> Option<&'static Entry> {
    let catalogue = &*CATALOGUE;
    let haystack = format!(
        " {} ",
        fold(&name.replace([',', ':', '(', ')', '-', '–'], " "))
    );
    let best = catalogue
        .matcher
        .find_iter(&haystack)
        .max_by_key(|m| m.len())?;
    Some(&catalogue.entries[catalogue.owner[best.pattern().as_usize()]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordings_match_regardless_of_accents_case_and_tone_placement() {
        let key = |name: &str| lookup(name).map(|e| e.key);
        for (name, expected) in [
            ("Cây lương thực có hạt", Some("grain_output")),
            ("ĐÀN BÒ", Some("cattle_herd")),
            ("tỷ lệ hộ nghèo", Some("poverty_rate")),
            ("số hộ cận nghèo", Some("near_poor_households")),
            ("trồng rừng hoà bình", Some("planted_forest")),
            ("chiều dài cây cầu", None),
            // A listed pair is its own quantity, not its first animal.
            ("Tổng đàn trâu, bò", Some("cattle_buffalo_herd")),
            ("Tổng đàn gia súc, gia cầm", Some("livestock_poultry_herd")),
        ] {
            assert_eq!(key(name), expected, "{name}");
        }
        assert_eq!(
            lookup("tỷ lệ tham gia bảo hiểm y tế").map(|e| e.category),
            Some("social")
        );
        assert_eq!(
            lookup("Thu nhập bình quân đầu người").map(|e| e.unit_family),
            Some("money")
        );
    }

    #[test]
    fn every_catalogue_line_is_well_formed() {
        for line in DATA
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let fields: Vec<_> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "{line}");
            assert!(
                fields[0]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{line}"
            );
        }
    }
}
