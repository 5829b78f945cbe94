//! Text at the boundary: every submitted text becomes a [`Normalized`] once,
//! before anything else looks at it, and every name is compared through
//! [`fold`] so that case, diacritics, Unicode form and tone-mark placement
//! never decide whether two names are the same.

use unicode_normalization::UnicodeNormalization;

/// A text in the one form the parser, the store and the id work on: NFC,
/// look-alike letters mapped ("Ð" U+00D0 → "Đ"), non-breaking spaces and
/// line endings made plain. The text keeps its own spelling otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized(String);

impl Normalized {
    pub fn new(raw: &str) -> Normalized {
        let mapped: String = raw
            .chars()
            .map(|c| match c {
                '\u{00D0}' => 'Đ',
                '\u{00F0}' => 'đ',
                '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
                other => other,
            })
            .collect();
        let text = mapped.replace("\r\n", "\n").replace('\r', "\n");
        Normalized(text.nfc().collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The key two names match on: lower case, no diacritics ("đ" → "d"),
/// single spaces. "SƠN LIÊN", "Sơn Liên" and "son  lien" all fold to
/// "son lien".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' | '\u{00D0}' | '\u{00F0}' => 'd',
            other => other,
        };
        for lower in c.to_lowercase() {
            out.push(lower);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_diacritics_form_and_tone_placement() {
        let nfd: String = "Đảng uỷ xã Sơn Liên".nfd().collect();
        assert_eq!(fold(&nfd), "dang uy xa son lien");
        assert_eq!(fold("ĐẢNG ỦY XÃ SƠN LIÊN"), "dang uy xa son lien");
        assert_eq!(fold("Ðảng  ủy"), "dang uy");
    }

    #[test]
    fn normalized_is_nfc_with_lookalikes_mapped() {
        let nfd: String = "Ðảng\u{a0}ủy\r\n".nfd().collect();
        assert_eq!(Normalized::new(&nfd).as_str(), "Đảng ủy\n");
    }
}
