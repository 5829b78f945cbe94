//! The organisation a text is about: its level and name from the header
//! lines, the title and the body ("Đảng bộ xã Sơn Liên", "ĐẢNG ỦY XÃ SƠN
//! LIÊN", "Huyện ủy Thạch Hà"), its parent and province as the text names
//! them or as the gazetteer infers them, its term ("khóa XIII") and term
//! period ("nhiệm kỳ 2020 - 2025"), its official code and its successor
//! after the July 2025 reform.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use crate::model::{AdminUnit, Level, Organization, Provenance};
use crate::text::{fold, is_alphanumeric};

use super::doc::{Doc, floor, trim_range};
use super::gazetteer::{Era, GAZETTEER, Unit, level_fits, names_unit};
use super::pattern::WordRegex;

/// A party body followed by an optional level word; the name follows.
static PARTY_UNIT: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"\b(?:(?:ban chap hanh|bch|ban thuong vu|btv) )?(dang bo|dang uy|chi bo|dang bo co so)(?: (xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh|dac khu))? ",
    )
    .expect("party unit pattern")
});

/// A committee named after its level ("Huyện ủy Thạch Hà", "Thị ủy …").
static COMMITTEE: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(huyen uy|quan uy|thi uy|thanh uy|tinh uy) ").expect("committee pattern")
});

/// An administrative unit named by its level word ("huyện Sơn Tây").
static ADMIN_UNIT: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:(xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh) |(tp)(?:\. ?| ))")
        .expect("admin unit pattern")
});

static TERM: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:khoa ([ivxl]+)|dai hoi (?:dai bieu )?dang bo(?P<whose>(?: [a-z0-9]+){0,5}?) lan thu ([ivxl]+|(?:muoi )?(?:nhat|mot|hai|ba|tu|bon|nam|lam|sau|bay|tam|chin)|muoi))\b")
        .expect("term pattern")
});

static TERM_PERIOD: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\bnhiem ky(?: moi)?,? (?:(?:thu )?[ivxl]+,? )?(?:\()?((?:19|20)\d\d) ?[-–—] ?((?:19|20)\d\d)\b")
        .expect("term period pattern")
});

/// Words that end a proper name even when capitalised.
const NAME_STOP: &[&str] = &[
    "năm",
    "tổ",
    "khóa",
    "khoá",
    "lần",
    "tổng",
    "nhiệm",
    "huyện",
    "tỉnh",
    "xã",
    "đảng",
    "và",
    "về",
    "hội",
    "tại",
    "của",
    "trong",
    "tổ chức",
    "nghị",
    "triển",
    "sơ",
    "kết",
    "họp",
    "đại",
    "phường",
    "thị",
    "quận",
    "ban",
    "chi",
    "lãnh",
    "thực",
    "đã",
    "được",
    "có",
    "với",
    "giai",
    "đoạn",
    "phương",
    "hướng",
    "nhiệm vụ",
    "công",
    "tác",
    "xây",
    "dựng",
];

/// Level words and committee names as written (both tone placements).
pub(crate) const LEVEL_WORDS: &[&str] = &[
    "xã",
    "phường",
    "thị trấn",
    "huyện",
    "quận",
    "thị xã",
    "thành phố",
    "tp",
    "tỉnh",
    "đặc khu",
    "huyện ủy",
    "huyện uỷ",
    "quận ủy",
    "quận uỷ",
    "thị ủy",
    "thị uỷ",
    "thành ủy",
    "thành uỷ",
    "tỉnh ủy",
    "tỉnh uỷ",
];

fn level_of(word: &str) -> Level {
    match word {
        "xa" => Level::Commune,
        "phuong" => Level::Ward,
        "thi tran" => Level::Township,
        "huyen" | "huyen uy" => Level::District,
        "quan" | "quan uy" => Level::UrbanDistrict,
        "thi xa" | "thi uy" => Level::Town,
        "thanh pho" | "thanh uy" | "tp" => Level::ProvincialCity,
        "tinh" | "tinh uy" => Level::Province,
        "dac khu" => Level::SpecialZone,
        _ => Level::Unspecified,
    }
}

fn rank(level: Level) -> u8 {
    match level {
        Level::Commune | Level::Ward | Level::Township | Level::SpecialZone | Level::Agency => 1,
        Level::District | Level::UrbanDistrict | Level::Town | Level::ProvincialCity => 2,
        Level::Province => 3,
        Level::Unspecified => 0,
    }
}

/// Reads a proper name of up to four capitalised syllables (or a number,
/// "Phường 5") starting at `at`. All-capital names are title-cased.
pub(crate) fn proper_name(text: &str, at: usize) -> Option<(String, Range<usize>)> {
    let mut end = at;
    let mut words: Vec<String> = Vec::new();
    // Where each word read ends.
    let mut ends: Vec<usize> = Vec::new();
    let mut rest = &text[at..];
    while words.len() < 4 {
        let leading = rest.len() - rest.trim_start_matches(' ').len();
        if !words.is_empty() && leading != 1 {
            break;
        }
        let candidate = &rest[leading..];
        let word_len = candidate
            .find(|c: char| !(is_alphanumeric(c) || matches!(c, '\'' | '’' | 'ʼ')))
            .unwrap_or(candidate.len());
        let word = &candidate[..word_len];
        let first = word.chars().next();
        let capital = first.is_some_and(|c| c.is_uppercase());
        let digits =
            word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() && word.len() <= 2;
        let number = digits && words.is_empty();
        // "Đam Rông 2": a number ends a name only where such a unit exists,
        // so "xã Sơn Liên 5 năm liền" keeps its name.
        if digits
            && !words.is_empty()
            && super::gazetteer::GAZETTEER
                .named(&format!("{} {word}", words.join(" ")))
                .next()
                .is_some()
        {
            words.push(word.to_string());
            end = at + (text[at..].len() - rest.len()) + leading + word_len;
            ends.push(end);
            break;
        }
        if !(capital || number) || word.chars().count() > 8 {
            break;
        }
        // A word without a vowel is no syllable of a name but an
        // abbreviation: "chi bộ HTNV" rates a cell, it names none.
        if !number
            && word.chars().nth(1).is_some()
            && !crate::text::fold(word).contains(['a', 'e', 'i', 'o', 'u', 'y'])
        {
            break;
        }
        let lower = word.to_lowercase();
        if NAME_STOP.contains(&lower.as_str()) && !names_a_place(&words, word, candidate) {
            break;
        }
        words.push(title_case(word));
        end = at + (text[at..].len() - rest.len()) + leading + word_len;
        ends.push(end);
        rest = &candidate[word_len..];
        if number {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    // "Huyện ủy Lâm Hà Trần Văn Châu": the place's name, then a person's
    // led by a surname; the longest place the gazetteer knows is kept. The
    // person's name may go on past a word that stops a place's ("Lạng
    // Giang Ngô | Thị Thanh Hà").
    let gazetteer = &super::gazetteer::GAZETTEER;
    let goes_on = text[end..]
        .strip_prefix(' ')
        .is_some_and(|rest| rest.starts_with(char::is_uppercase));
    if words.len() >= 3 && gazetteer.named(&words.join(" ")).next().is_none() {
        let place = (1..words.len()).rev().find(|&k| {
            (k + 2 <= words.len() || goes_on)
                && super::people::is_surname(&words[k])
                && gazetteer.names_exactly(&words[..k].join(" "))
        });
        if let Some(k) = place {
            words.truncate(k);
            end = ends[k - 1];
        }
    }
    Some((words.join(" "), at..end))
}

/// Whether a word that usually ends a name ("hội" of "Hội nghị", "chi" of
/// "chi bộ") is part of a place's name here: "Vũ Hội", "Chi Lăng", "Năm
/// Căn". `rest` starts at the word; the word after it may complete the name.
fn names_a_place(words: &[String], word: &str, rest: &str) -> bool {
    let mut name = words.join(" ");
    if !name.is_empty() {
        name.push(' ');
    }
    name.push_str(word);
    if !words.is_empty() && super::gazetteer::GAZETTEER.named(&name).next().is_some() {
        return true;
    }
    let after = rest[word.len()..].strip_prefix(' ').unwrap_or("");
    let next_len = after
        .find(|c: char| !is_alphanumeric(c))
        .unwrap_or(after.len());
    let next = &after[..next_len];
    !next.is_empty()
        && next.starts_with(char::is_uppercase)
        && super::gazetteer::GAZETTEER
            .named(&format!("{name} {next}"))
            .next()
            .is_some()
}

/// "SƠN LIÊN" → "Sơn Liên", "H’LEO" → "H’Leo" (a capital after an
/// apostrophe); a word already in mixed case is kept as written.
pub(super) fn title_case(word: &str) -> String {
    if word.chars().skip(1).any(|c| c.is_lowercase()) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut capital = true;
    for c in word.chars() {
        if capital {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        capital = matches!(c, '\'' | '’' | 'ʼ');
    }
    out
}

#[derive(Debug, Clone)]
struct Mention {
    level: Level,
    name: String,
    weight: u32,
    start: usize,
}

/// Everything the organisation step decides, with the ranges later steps
/// must not read as people or quantities.
pub(crate) struct Found {
    pub organization: Organization,
    pub warnings: Vec<String>,
}

/// `era_new`: the text is from after the July 2025 reform.
pub(crate) fn find(
    doc: &Doc<'_>,
    title: Option<Range<usize>>,
    header: &[Range<usize>],
    era_new: bool,
    report_year: i32,
) -> Found {
    let mut mentions = Vec::new();
    let mut warnings = Vec::new();
    let lead_end = doc.sentences.get(2).map_or(doc.body_end, |s| s.end);
    // Header lines: the last party unit is the issuer, earlier ones its superiors.
    let mut header_units = Vec::new();
    for range in header {
        header_units.extend(units_in(doc, range.clone(), true));
    }
    // "ĐẢNG ỦY CÔNG TY TNHH MTV CAO SU PHÚ RIỀNG" under "ĐẢNG BỘ KHỐI
    // DOANH NGHIỆP TỈNH …": the issuing line names an enterprise.
    let issuing_line = header
        .iter()
        .rev()
        .find(|line| !doc.folded_of((*line).clone()).starts_with("dang cong san"));
    if let Some(company) = issuing_line.and_then(|line| enterprise(doc, line.clone())) {
        header_units.push(company);
    }
    // "CHI BỘ THÔN ĐỒNG SƠN" under "ĐẢNG BỘ XÃ LIÊM CẦN": a village's cell
    // reports; the place has no level of its own.
    // "Chi bộ thôn Trung Hậu tổng kết công tác năm 2024" as a commune
    // portal's headline: the same, told by the news.
    let village = issuing_line
        .and_then(|line| village_cell(doc, line.clone()))
        .or_else(|| {
            let title = title.clone()?;
            super::names_review(doc.folded_of(title.clone()))
                .then(|| village_cell(doc, title))
                .flatten()
        });
    let village_issuer = village.is_some();
    // "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" over a news page whose
    // headline is "Đảng bộ Cục Thuế tỉnh Long An tổng kết …": the site's
    // banner, not the issuer: the units named in the text decide.
    let headline_unit = title.clone().and_then(|title| {
        let folded = doc.folded_of(title.clone());
        if folded.starts_with("bao cao") || !super::names_review(folded) {
            return None;
        }
        units_in(doc, title, true)
            .into_iter()
            .find(|u| u.level != Level::Unspecified)
    });
    let banner = village.is_none() && headline_unit.is_some();
    let issuer = match village {
        Some(cell) => Some(cell),
        None if banner => None,
        None => header_units.last().cloned(),
    };
    for unit in &header_units {
        mentions.push(Mention {
            weight: if banner { 1 } else { 6 },
            ..unit.clone()
        });
    }
    if let Some(title) = title.clone() {
        for unit in units_in(doc, title, true) {
            mentions.push(Mention { weight: 4, ..unit });
        }
    }
    for sentence in &doc.sentences {
        let lead = sentence.start < lead_end;
        for unit in units_in(doc, sentence.clone(), false) {
            // "… được Ban Thường vụ Huyện ủy Hoằng Hóa đánh giá" past the
            // lead: the visitors' committee, which counts for nothing.
            let weight = match (lead, unit.weight) {
                (true, _) => 3,
                (false, 0) => 0,
                (false, _) => 1,
            };
            mentions.push(Mention { weight, ..unit });
        }
    }

    // Names without a level word take it from another mention of the same name.
    let mut levels: HashMap<String, Level> = HashMap::new();
    for m in mentions.iter().filter(|m| m.level != Level::Unspecified) {
        levels.entry(fold(&m.name)).or_insert(m.level);
    }
    let mut scores: HashMap<String, (u32, Mention)> = HashMap::new();
    for m in &mentions {
        let key = fold(&m.name);
        let level = if m.level == Level::Unspecified {
            levels.get(&key).copied().unwrap_or_default()
        } else {
            m.level
        };
        let entry = scores
            .entry(key)
            .or_insert((0, Mention { level, ..m.clone() }));
        entry.0 += m.weight;
        if entry.1.level == Level::Unspecified {
            entry.1.level = level;
        }
    }
    // "ĐẢNG BỘ TRUNG TÂM Y TẾ HẢI HẬU" in a headline and "Đảng ủy Trung tâm
    // Y tế huyện Hải Hậu" in the lead: a shorter agency name counts for the
    // fuller one it begins.
    let mut agencies: Vec<String> = scores
        .iter()
        .filter(|(_, (_, m))| m.level == Level::Agency)
        .map(|(key, _)| key.clone())
        .collect();
    // Shortest first, so that a name passes its weight up a chain ("Quân
    // sự" → "Quân sự huyện" → "Quân sự huyện Tiên Yên") in one order.
    agencies.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    for short in &agencies {
        let fuller = agencies
            .iter()
            .filter(|long| {
                long.starts_with(&format!("{short} "))
                    // "Công ty Xổ số …" and "Công ty TNHH MTV Xổ số …"
                    || long.len() > short.len() && without_forms(long) == without_forms(short)
            })
            .filter_map(|long| scores.get(long).map(|(weight, m)| (long, *weight, m.start)))
            .max_by_key(|&(_, weight, start)| (weight, std::cmp::Reverse(start)))
            .map(|(long, _, _)| long.clone());
        if let Some(fuller) = fuller
            && let Some((weight, _)) = scores.remove(short)
            && let Some(entry) = scores.get_mut(&fuller)
        {
            entry.0 += weight;
        }
    }
    let best = issuer
        .filter(|i| i.level != Level::Unspecified || village_issuer)
        .or_else(|| {
            scores
                .into_values()
                .max_by(|a, b| a.0.cmp(&b.0).then(b.1.start.cmp(&a.1.start)))
                .map(|(_, m)| m)
        })
        .map(|best| unit_of_agency(best, &header_units));

    let mut organization = Organization::default();
    let Some(best) = best else {
        warnings.push("no party organisation named in the text".to_string());
        return Found {
            organization,
            warnings,
        };
    };
    organization.level = best.level;
    organization.name = best.name.clone();
    if organization.level == Level::Unspecified
        && let Some(unit) = unique(GAZETTEER.named(&best.name).filter(|u| rank(u.level) == 1))
    {
        organization.level = unit.level;
    }

    // Parent and province as the text names them; a parent may share the
    // unit's name ("thị trấn Phong Điền, huyện Phong Điền").
    let mut stated_parent: Option<(Level, String)> = None;
    let mut stated_province: Option<String> = None;
    for unit in &header_units {
        // "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH …" over a company's committee:
        // an agency's block is its parent.
        let block_over_agency = organization.level == Level::Agency
            && unit.level == Level::Agency
            && fold(&unit.name).starts_with("khoi ")
            && fold(&unit.name) != fold(&organization.name);
        if rank(unit.level) > rank(organization.level) || block_over_agency {
            if unit.level == Level::Province {
                stated_province.get_or_insert(unit.name.clone());
            }
            if stated_parent.is_none() {
                stated_parent = Some((unit.level, unit.name.clone()));
            }
        }
    }
    // Votes per named unit: (mentions, order of first mention, level, name).
    let mut parent_votes: HashMap<String, (u32, usize, Level, String)> = HashMap::new();
    for sentence in doc.sentences.iter().chain(title.iter()) {
        for unit in admin_units_in(doc, sentence.clone()) {
            if rank(unit.level) <= rank(organization.level) {
                continue;
            }
            if unit.level == Level::Province {
                stated_province.get_or_insert(unit.name.clone());
                continue;
            }
            let first = parent_votes.len();
            let vote = parent_votes.entry(fold(&unit.name)).or_insert((
                0,
                first,
                unit.level,
                unit.name.clone(),
            ));
            vote.0 += 1;
        }
    }

    // Gazetteer: the units with this name that fit what the text says.
    let candidates: Vec<&Unit> = GAZETTEER
        .named(&best.name)
        .filter(|u| {
            level_fits(organization.level, u.level)
                && rank(u.level) == rank(organization.level).max(1)
        })
        .collect();
    let fits_parent = |u: &Unit, parent: &str| {
        GAZETTEER
            .parent_of(u)
            .is_some_and(|p| names_unit(parent, p.name))
            || GAZETTEER
                .province_of(u)
                .is_some_and(|p| names_unit(parent, p.name))
    };
    if stated_parent.is_none() {
        // Several districts named: prefer the one the gazetteer puts the unit in.
        // Ties go to the unit named first, so the same text always gets the same parent.
        let mut votes: Vec<_> = parent_votes.into_values().collect();
        votes.sort_by_key(|v| (std::cmp::Reverse(v.0), v.1));
        let containing = votes
            .iter()
            .find(|(_, _, _, name)| candidates.iter().any(|u| fits_parent(u, name)));
        stated_parent = containing
            .or(votes.first())
            .map(|(_, _, level, name)| (*level, name.clone()));
    }
    // Since the July 2025 reform a commune or ward sits right under its
    // province: a district named (in its merger history, say) is no parent,
    // and with no district the stated province is its parent.
    let commune_level = matches!(
        organization.level,
        Level::Commune | Level::Ward | Level::Township | Level::SpecialZone
    );
    if era_new && commune_level && stated_parent.as_ref().is_some_and(|(l, _)| rank(*l) == 2) {
        stated_parent = None;
    }
    if stated_parent.is_none()
        && era_new
        && matches!(
            organization.level,
            Level::Commune | Level::Ward | Level::Township | Level::SpecialZone
        )
        && let Some(province) = &stated_province
    {
        stated_parent = Some((Level::Province, province.clone()));
    }
    let preferred_era = if era_new { Era::New } else { Era::Old };
    let constraints: Vec<&String> = stated_parent
        .iter()
        .map(|(_, n)| n)
        .chain(stated_province.iter())
        .collect();
    let chosen = if constraints.is_empty() {
        // Nothing stated: only a name no other unit of the era bears (the
        // commune "Sơn Trà" and the urban district "Sơn Trà" collide), and
        // only in the text's own era, is safe to look up.
        let in_era = |era: Era| {
            // A bigger unit's name is ambiguous for a smaller one ("Sơn Trà"
            // is also a district), not the other way round.
            let bearers = GAZETTEER
                .named(&best.name)
                .filter(|u| u.era == era && rank(u.level) >= rank(organization.level).max(1))
                .count();
            let fitting: Vec<&Unit> = candidates
                .iter()
                .copied()
                .filter(|u| u.era == era)
                .collect();
            (bearers == 1 && fitting.len() == 1).then(|| fitting[0])
        };
        let other = if era_new { Era::Old } else { Era::New };
        in_era(preferred_era).or_else(|| {
            let none_in_era = candidates.iter().all(|u| u.era != preferred_era)
                && GAZETTEER.named(&best.name).all(|u| u.era != preferred_era);
            none_in_era.then(|| in_era(other)).flatten()
        })
    } else {
        // What the text states must hold of the unit; a unit the gazetteer
        // places elsewhere is another unit of the same name.
        let narrowed: Vec<&Unit> = candidates
            .iter()
            .copied()
            .filter(|u| constraints.iter().all(|c| fits_parent(u, c)))
            .collect();
        let in_era: Vec<&Unit> = narrowed
            .iter()
            .copied()
            .filter(|u| u.era == preferred_era)
            .collect();
        match in_era.len() {
            1 => Some(in_era[0]),
            0 => unique(narrowed.iter().copied()),
            _ => None,
        }
    };
    // The unit itself not found, its stated district may be: a district's
    // name that only one province holds tells the province.
    let parent_unit = stated_parent
        .as_ref()
        .filter(|(level, _)| chosen.is_none() && rank(*level) == 2)
        .and_then(|(level, name)| {
            unique(
                GAZETTEER
                    .named(name)
                    .filter(|u| u.level == *level && u.era == Era::Old),
            )
        });
    let bearers = GAZETTEER.named(&best.name).count();
    if bearers > 0 && chosen.is_none() {
        let inferred = if parent_unit.is_some() {
            "no code was inferred; the province is the stated district's"
        } else {
            "no code, parent or province was inferred"
        };
        warnings.push(format!(
            "\"{}\" names {bearers} administrative units in the gazetteer and the text does not single one out, so {inferred}",
            best.name,
        ));
    }

    if let Some((level, name)) = stated_parent {
        organization.parent = Some(AdminUnit {
            level,
            name,
            source: Provenance::Stated,
            ..Default::default()
        });
    }
    if let Some(province) = stated_province {
        organization.province = province;
        organization.province_source = Provenance::Stated;
    }
    if let Some(district) = parent_unit
        && let Some(province) = GAZETTEER.province_of(district)
    {
        if let Some(parent) = &mut organization.parent {
            parent.code = district.code.to_string();
            parent.province = province.name.to_string();
        }
        if organization.province.is_empty() {
            organization.province = province.name.to_string();
            organization.province_source = Provenance::Inferred;
        }
    }
    if let Some(unit) = chosen {
        organization.code = unit.code.to_string();
        organization.code_source = Provenance::Inferred;
        let province = GAZETTEER.province_of(unit);
        if organization.province.is_empty()
            && let Some(p) = province
        {
            organization.province = p.name.to_string();
            organization.province_source = Provenance::Inferred;
        }
        match (&mut organization.parent, GAZETTEER.parent_of(unit)) {
            (Some(parent), Some(p)) if names_unit(&parent.name, p.name) => {
                parent.code = p.code.to_string();
                parent.province = province.map(|p| p.name.to_string()).unwrap_or_default();
            }
            (None, Some(p)) => {
                // A unit right under its province: the stated province is its parent.
                // A stated province keeps the name the text knew it by
                // ("Thừa Thiên Huế" in a 2022 text).
                let stated = organization.province_source == Provenance::Stated
                    && names_unit(&organization.province, p.name);
                let (name, province, source) = if stated {
                    let name = organization.province.clone();
                    (name.clone(), name, Provenance::Stated)
                } else {
                    let province = province.map(|p| p.name.to_string()).unwrap_or_default();
                    (p.name.to_string(), province, Provenance::Inferred)
                };
                organization.parent = Some(AdminUnit {
                    level: p.level,
                    name,
                    code: p.code.to_string(),
                    province,
                    source,
                });
            }
            _ => {}
        }
        if unit.era == Era::Old
            && !unit.successor.is_empty()
            && let Some(next) = GAZETTEER.by_code(Era::New, unit.successor)
        {
            if unit.parts > 1 {
                warnings.push(format!(
                    "{} was divided among {} communes in 2025; {} is given as its main successor",
                    best.name, unit.parts, next.name
                ));
            }
            organization.successor = Some(AdminUnit {
                level: next.level,
                name: next.name.to_string(),
                code: next.code.to_string(),
                province: GAZETTEER
                    .province_of(next)
                    .map(|p| p.name.to_string())
                    .unwrap_or_default(),
                source: Provenance::Inferred,
            });
        }
    }

    organization.term = term(doc, &best.name, best.level, report_year);
    organization.term_period = term_period(doc, report_year);
    Found {
        organization,
        warnings,
    }
}

fn unique<'u>(mut units: impl Iterator<Item = &'u Unit>) -> Option<&'u Unit> {
    let first = units.next()?;
    units.next().is_none().then_some(first)
}

/// Party units named in a range ("Đảng bộ xã Sơn Liên", "Huyện ủy Thạch Hà").
fn units_in(doc: &Doc<'_>, range: Range<usize>, header: bool) -> Vec<Mention> {
    let folded_range = doc.folded_range(range.clone());
    let folded = &doc.folded[folded_range.clone()];
    let mut out = Vec::new();
    for caps in PARTY_UNIT.captures_iter(folded) {
        let whole = caps.get(0).expect("group 0");
        // Folding merges "quận" with "Quân sự" ("Đảng bộ Quân sự huyện"):
        // a level word must be written as one.
        let level_word = caps.get(2).filter(|m| {
            let written = &doc.text
                [doc.text_range(folded_range.start + m.start()..folded_range.start + m.end())];
            LEVEL_WORDS.contains(&written.to_lowercase().as_str())
        });
        let level = level_word.map_or(Level::Unspecified, |m| level_of(m.as_str()));
        let name_at = match (caps.get(2), level_word) {
            (Some(word), None) => folded_range.start + word.start(),
            _ => folded_range.start + whole.end(),
        };
        let at = doc.text_range(name_at..name_at).start;
        let agency = (level == Level::Unspecified)
            .then(|| agency_name(doc, name_at).or_else(|| enterprise_name(doc, name_at)))
            .flatten();
        if let Some(name) = agency {
            let start = doc
                .text_range(folded_range.start + whole.start()..folded_range.start + whole.end())
                .start;
            out.push(Mention {
                level: Level::Agency,
                name,
                weight: 1,
                start,
            });
        } else if let Some((name, range)) = proper_name(doc.text, at)
            && !super::people::a_persons_name(&name)
            // "Đảng ủy xã Hoàng Thị Nga": a surname before a middle name.
            && !(super::people::is_surname(&name)
                && ["Thị ", "Văn "].iter().any(|m| doc.text[range.end..].strip_prefix(' ').is_some_and(|r| r.starts_with(m))))
        {
            let level = if level == Level::Unspecified && is_agency(&name) {
                Level::Agency
            } else {
                level
            };
            let start = doc
                .text_range(folded_range.start + whole.start()..folded_range.start + whole.end())
                .start;
            out.push(Mention {
                level,
                name,
                weight: 1,
                start,
            });
        }
    }
    for caps in COMMITTEE.captures_iter(folded) {
        let whole = caps.get(0).expect("group 0");
        let at = doc
            .text_range(folded_range.start + whole.end()..folded_range.start + whole.end())
            .start;
        if let Some((name, _)) = proper_name(doc.text, at) {
            let level = level_of(caps.get(1).map_or("", |m| m.as_str()));
            // In a body, "Huyện ủy X" is usually the visitor's committee.
            let weight = if header { 1 } else { 0 };
            out.push(Mention {
                level,
                name,
                weight,
                start: at,
            });
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// The head of an agency's name, before the level word of its territorial
/// unit ("Công an huyện Krông Pắc", "Quân sự thị xã", "Cơ quan Ủy ban nhân
/// dân tỉnh Quảng Bình", "Khối các cơ quan tỉnh").
static AGENCY_HEAD: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(
        r"^(?:cong an|quan su|ban chi huy quan su|bo chi huy quan su|co quan|khoi [a-z]+|benh vien|trung tam [a-z]+|ngan hang [a-z]+|vien kiem sat nhan dan|toa an nhan dan|kho bac nha nuoc|chi cuc [a-z]+|cuc [a-z]+|doan bien phong|dien luc|buu dien|bao hiem xa hoi|(?:[a-z]+ )?chi nhanh)(?: [a-z]+){0,6}$",
    )
    .expect("agency head pattern")
});

static LEVEL_WORD: LazyLock<WordRegex> = LazyLock::new(|| {
    WordRegex::new(r"\b(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh)\b")
        .expect("level word pattern")
});

/// Reads an agency's name at folded offset `at`: its head words, its
/// level word and the unit's proper name, as written. The level word is
/// the first one written as such: folding makes "cơ quan" end in one
/// ("Khối các cơ quan tỉnh").
fn agency_name(doc: &Doc<'_>, at: usize) -> Option<String> {
    let end = doc.folded.len().min(at + 120);
    let end = floor(&doc.folded, end);
    let folded = &doc.folded[at..end];
    let text_start = doc.text_range(at..at).start;
    if !doc.text[text_start..].starts_with(char::is_uppercase) {
        return None;
    }
    let level = LEVEL_WORD.find_iter(folded).find(|m| {
        let written = &doc.text[doc.text_range(at + m.start()..at + m.end())];
        folded[..m.start()]
            .strip_suffix(' ')
            .is_some_and(|head| AGENCY_HEAD.is_match(head))
            && LEVEL_WORDS.contains(&written.to_lowercase().as_str())
    })?;
    let level_end = doc.text_range(at + level.end()..at + level.end()).start;
    let head = &doc.text[text_start..level_end];
    if head.contains('\n') {
        return None;
    }
    let name = doc.text[level_end..]
        .strip_prefix(' ')
        .and_then(|_| proper_name(doc.text, level_end + 1))
        .filter(|(_, range)| !doc.text[level_end..range.end].contains('\n'));
    let head = if head.chars().any(char::is_lowercase) {
        head.to_string()
    } else {
        capitals_as_written(head)
    };
    Some(match name {
        Some((name, _)) => format!("{head} {name}"),
        None => head,
    })
}

/// An agency's head written in capitals ("CÔNG AN HUYỆN", "KHỐI CÁC CƠ
/// QUAN TỈNH") as running text writes it: the first word capitalised,
/// abbreviations without a vowel ("CHQS") kept, the rest in lower case.
fn capitals_as_written(head: &str) -> String {
    head.split(' ')
        .enumerate()
        .map(|(i, word)| {
            if !fold(word).contains(['a', 'e', 'i', 'o', 'u', 'y']) {
                word.to_string()
            } else if i == 0 {
                title_case(word)
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "ĐẢNG ỦY CÔNG AN HUYỆN" under "ĐẢNG BỘ HUYỆN QUỲNH LƯU": an agency
/// named by its level word alone belongs to the unit of that level in the
/// header above it ("Công an huyện Quỳnh Lưu").
fn unit_of_agency(agency: Mention, header_units: &[Mention]) -> Mention {
    if agency.level != Level::Agency {
        return agency;
    }
    let folded = fold(&agency.name);
    // "Khối các cơ quan tỉnh" is the block's name in full.
    if folded.starts_with("khoi ") {
        return agency;
    }
    let Some(level) = LEVEL_WORDS
        .iter()
        .filter(|w| folded.ends_with(&format!(" {}", fold(w))))
        .max_by_key(|w| w.len())
        .map(|w| level_of(&fold(w)))
    else {
        return agency;
    };
    let Some(unit) = header_units.iter().find(|u| u.level == level) else {
        return agency;
    };
    Mention {
        name: format!("{} {}", agency.name, unit.name),
        ..agency
    }
}

/// An enterprise or public body that a header line's committee belongs to:
/// "ĐẢNG ỦY CÔNG TY TNHH MTV CAO SU PHÚ RIỀNG" → "Công ty TNHH MTV Cao su
/// Phú Riềng" (abbreviations kept in capitals, other words as a name).
/// Bodies whose Party units send reports: "Đảng bộ Công ty …".
const BODIES: &[&str] = &[
    "cong ty ",
    "tong cong ty ",
    "tap doan ",
    "ngan hang ",
    "benh vien ",
    "truong ",
    "hop tac xa ",
];

/// A company's form, written in capitals in its name.
const COMPANY_FORMS: &[&str] = &["tnhh", "mtv", "cp", "tmcp", "nn", "ptnt", "dtxd", "xnk"];

/// An enterprise's name at folded offset `at` in running text, written
/// with a capital ("Đảng bộ Công ty TNHH MTV Xổ số kiến thiết Sóc Trăng tổ
/// chức …"): its words up to a mark or a verb, at most twelve.
/// A folded name without its company form: "cong ty tnhh mtv xo so" →
/// "cong ty xo so".
fn without_forms(folded: &str) -> String {
    folded
        .split(' ')
        .filter(|w| !COMPANY_FORMS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn enterprise_name(doc: &Doc<'_>, at: usize) -> Option<String> {
    const ENDS: &[&str] = &[
        "to", "tong", "dat", "hoan", "co", "da", "duoc", "lanh", "trien", "nam", "voi", "va", "la",
        "tai", "cua", "ve", "vua", "luon", "trong", "nhiem", "thuc", "giai",
    ];
    let folded = &doc.folded[at..];
    let body = BODIES.iter().find(|b| folded.starts_with(*b))?;
    let start = doc.text_range(at..at).start;
    let written = &doc.text[start..];
    if !written.starts_with(char::is_uppercase) {
        return None;
    }
    let mut words = Vec::new();
    for (i, word) in written.split(' ').enumerate().take(13) {
        let bare = word.trim_end_matches([',', ':', ';', '.', ')', '!', '?']);
        let folded_word = fold(bare);
        let in_body = i < body.split_whitespace().count();
        if bare.is_empty()
            || bare.contains('\n')
            || !in_body && words.len() > 1 && ENDS.contains(&folded_word.as_str())
        {
            break;
        }
        words.push(if COMPANY_FORMS.contains(&folded_word.as_str()) {
            bare.to_uppercase()
        } else {
            bare.to_string()
        });
        if bare.len() != word.len() {
            break;
        }
    }
    // A name beyond the body's own words ("Công ty" alone names none).
    (words.len() > body.split_whitespace().count()).then(|| words.join(" "))
}

fn enterprise(doc: &Doc<'_>, line: Range<usize>) -> Option<Mention> {
    const COMMITTEES: &[&str] = &["dang uy ", "dang bo ", "chi bo "];
    const ABBREVIATIONS: &[&str] = COMPANY_FORMS;
    let line = trim_range(doc.text, line);
    let folded = doc.folded_of(line.clone());
    let committee = COMMITTEES.iter().find(|c| folded.starts_with(*c))?;
    let rest = &folded[committee.len()..];
    let body = BODIES.iter().find(|b| rest.starts_with(*b))?;
    let start = line.start
        + doc.text[line.clone()]
            .char_indices()
            .nth(committee.chars().count())?
            .0;
    let written = &doc.text[start..line.end];
    let mut words = Vec::new();
    for (i, word) in written.split_whitespace().enumerate() {
        let lower = word.to_lowercase();
        words.push(if ABBREVIATIONS.contains(&fold(word).as_str()) {
            word.to_uppercase()
        } else if i < body.split_whitespace().count() {
            if i == 0 { title_case(word) } else { lower }
        } else {
            title_case(word)
        });
    }
    Some(Mention {
        level: Level::Agency,
        name: words.join(" "),
        weight: 1,
        start,
    })
}

/// A village's party cell on a header's issuing line: "CHI BỘ THÔN ĐỒNG
/// SƠN" → "thôn Đồng Sơn", with no level.
fn village_cell(doc: &Doc<'_>, line: Range<usize>) -> Option<Mention> {
    const VILLAGES: &[&str] = &[
        "thon",
        "xom",
        "ban",
        "ap",
        "lang",
        "buon",
        "khom",
        "to dan pho",
        "khu pho",
        "khu dan cu",
        "to",
    ];
    let line = trim_range(doc.text, line);
    let folded = doc.folded_of(line.clone());
    let rest = folded.strip_prefix("chi bo ")?;
    let village = VILLAGES
        .iter()
        .find(|v| rest.starts_with(&format!("{v} ")))?;
    // The village word as written, and the place's name after it.
    let word_start = doc.folded_range(line.clone()).start + "chi bo ".len();
    let word_end = word_start + village.len();
    let at = doc.text_range(word_end + 1..word_end + 1).start;
    let (name, _) = proper_name(doc.text, at)?;
    let written = &doc.text[doc.text_range(word_start..word_end)];
    Some(Mention {
        level: Level::Unspecified,
        name: format!("{} {name}", written.to_lowercase()),
        weight: 1,
        start: at,
    })
}

fn is_agency(name: &str) -> bool {
    let first = fold(name.split(' ').next().unwrap_or(""));
    [
        "cong", "truong", "co", "benh", "ngan", "khoi", "quan", "ban", "so", "vien", "tong",
        "trung", "van", "cuc",
    ]
    .contains(&first.as_str())
}

/// Administrative units named by their level word ("huyện Sơn Tây").
fn admin_units_in(doc: &Doc<'_>, range: Range<usize>) -> Vec<Mention> {
    let folded_range = doc.folded_range(range);
    let folded = &doc.folded[folded_range.clone()];
    let mut out = Vec::new();
    for regex in [&*ADMIN_UNIT, &*COMMITTEE] {
        for caps in regex.captures_iter(folded) {
            let whole = caps.get(0).expect("group 0");
            // Folding merges "quận" with "quân" ("bình quân 1%"), "tỉnh" with "tình".
            let written = doc.text[doc
                .text_range(folded_range.start + whole.start()..folded_range.start + whole.end())]
            .trim()
            .trim_end_matches('.')
            .to_lowercase();
            if !LEVEL_WORDS.contains(&written.as_str()) {
                continue;
            }
            let at = doc
                .text_range(folded_range.start + whole.end()..folded_range.start + whole.end())
                .start;
            if let Some((name, range)) = proper_name(doc.text, at) {
                // "thuộc huyện Đắk R'Lấp, tỉnh Đắk Nông (cũ)": a unit the
                // reform dissolved is history, not where the unit is now.
                let after = doc.text[range.end..].trim_start_matches([' ', '(']);
                if after
                    .strip_prefix("cũ")
                    .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
                {
                    continue;
                }
                let word = caps.get(1).or(caps.get(2)).map_or("", |m| m.as_str());
                let mut level = level_of(word);
                if level == Level::ProvincialCity && centrally_run(&name) {
                    level = Level::Province;
                }
                out.push(Mention {
                    level,
                    name,
                    weight: 1,
                    start: at,
                });
            }
        }
    }
    out
}

/// A "thành phố" that is a province (Hà Nội, Đà Nẵng …), not a city of one.
fn centrally_run(name: &str) -> bool {
    GAZETTEER.named(name).any(|u| u.level == Level::Province)
        && !GAZETTEER.named(name).any(|u| rank(u.level) == 2)
}

/// The committee's term: "khóa XIII" said of the party unit itself, not of
/// the Central Committee ("Nghị quyết Trung ương 4 khóa XII"), the National
/// Assembly or a People's Council.
fn term(doc: &Doc<'_>, name: &str, level: Level, report_year: i32) -> String {
    let own = fold(name);
    let mut best: Option<(u8, String)> = None;
    for caps in TERM.captures_iter(&doc.folded) {
        let whole = caps.get(0).expect("group 0");
        // "Đại hội Đảng bộ phường lần thứ XIII" elects the committee of term
        // XIII, when the congress is the unit's own: named, or by its level.
        if let Some(whose) = caps.name("whose") {
            let whose = whose.as_str().trim();
            // "Đại hội Đảng bộ Công an huyện lần thứ XIX" for "Công an huyện
            // Quỳnh Lưu": an agency named without its place.
            let own_congress = whose.is_empty()
                || whose.contains(&own)
                || own.starts_with(&format!("{whose} "))
                || level_of(whose) == level && level != Level::Unspecified;
            if !own_congress {
                continue;
            }
        }
        if doc.text_range(whole.range()).start >= doc.body_end {
            continue;
        }
        // "tổ chức thành công Đại hội Đảng bộ Công ty lần thứ VII, nhiệm kỳ
        // 2025 - 2030" among the next year's tasks: a congress to come.
        let after = &doc.folded[whole.end()..floor(&doc.folded, whole.end() + 40)];
        if report_year > 0
            && TERM_PERIOD
                .captures(after)
                .filter(|c| {
                    c.get(0)
                        .is_some_and(|m| after[..m.start()].trim_matches([',', ' ']).is_empty())
                })
                .and_then(|c| c.get(1)?.as_str().parse::<i32>().ok())
                .is_some_and(|start| start > report_year)
        {
            continue;
        }
        let back = &doc.folded[floor(&doc.folded, whole.start().saturating_sub(70))..whole.start()];
        let back = since_last_stop(back);
        // The nearest body named before the term owns it: "HĐND xã khóa
        // XXI" is the council's, but "Chủ tịch HĐND phường) cùng … Ban Chấp
        // hành Đảng bộ phường khoá XII" the committee's.
        let party = ["dang bo", "dang uy", "ban chap hanh", "bch"]
            .iter()
            .filter_map(|w| back.rfind(w))
            .max();
        if [
            " tw",
            "trung uong",
            "tu ",
            "quoc hoi",
            "hdnd",
            "hoi dong nhan dan",
        ]
        .iter()
        .filter_map(|w| back.rfind(w))
        .any(|at| party.is_none_or(|party| at > party) && !back.contains("dai hoi dang bo"))
        {
            continue;
        }
        let said = format!("{back}{}", whole.as_str());
        let score = if said.contains(&own) && (said.contains("dang bo") || said.contains("dang uy"))
        {
            3
        } else if said.contains("dang bo")
            || said.contains("dang uy")
            || said.contains("hoi nghi")
            || said.contains("bch")
        {
            2
        } else {
            continue;
        };
        // "lần thứ nhất" is term I.
        let written = caps.get(1).or(caps.get(3)).map_or("", |m| m.as_str());
        let roman = match super::dates::ordinal(written) {
            Some(n) if !written.starts_with(['i', 'v', 'x', 'l']) && n > 0 => {
                crate::text::roman(n as u32)
            }
            _ => written.to_uppercase(),
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, roman));
        }
    }
    best.map(|(_, r)| r).unwrap_or_default()
}

/// What folded text says after its last full stop or semicolon; the dot of
/// an abbreviation ("TP. Hồ Chí Minh") or a number ("1.250") is no stop.
fn since_last_stop(folded: &str) -> &str {
    for (at, c) in folded.char_indices().rev() {
        let stop = match c {
            ';' => true,
            '.' => {
                let word = folded[..at]
                    .rsplit(|c: char| !is_alphanumeric(c) && c != '/')
                    .next()
                    .unwrap_or("");
                let digits = word.ends_with(|c: char| c.is_ascii_digit())
                    && folded[at + 1..].starts_with(|c: char| c.is_ascii_digit());
                !digits && !super::doc::abbreviation(word)
            }
            _ => false,
        };
        if stop {
            return &folded[at + 1..];
        }
    }
    folded
}

/// The committee's term in years, from "nhiệm kỳ 2020 - 2025" said of the
/// party unit (not of a mass organisation's congress).
/// A term that starts after the year under review is the coming one ("chuẩn
/// bị đại hội nhiệm kỳ 2025 - 2030" in a 2024 review), not the committee's.
fn term_period(doc: &Doc<'_>, report_year: i32) -> String {
    const OTHERS: &[&str] = &[
        "nong dan",
        "cong doan",
        "mttq",
        "mat tran",
        "doan thanh nien",
        "doan tncs",
        "lhtn",
        "phu nu",
        "cuu chien binh",
        "hdnd",
        "hoi dong nhan dan",
        "quoc hoi",
        "chi hoi",
        "hoi ",
    ];
    let mut best: Option<(i32, String)> = None;
    for caps in TERM_PERIOD.captures_iter(&doc.folded) {
        let whole = caps.get(0).expect("group 0");
        if doc.text_range(whole.range()).start >= doc.body_end {
            continue;
        }
        let back = &doc.folded[floor(&doc.folded, whole.start().saturating_sub(90))..whole.start()];
        let back = since_last_stop(back);
        // "Đại hội", "hội nghị" are no association ("Hội Nông dân").
        let back = back
            .replace("dai hoi", "congress")
            .replace("hoi nghi", "meeting");
        // "Đảng bộ …", "Đảng ủy …", or a party cell ("Đại hội Chi bộ nhiệm kỳ").
        let party = ["dang", "chi bo"]
            .iter()
            .filter_map(|w| back.rfind(w))
            .max();
        // Whole words: "Đảng bộ Khối" holds no association ("hoi ").
        let other = OTHERS
            .iter()
            .filter_map(|w| {
                back.rmatch_indices(w)
                    .map(|(i, _)| i)
                    .find(|&i| i == 0 || back.as_bytes()[i - 1] == b' ')
            })
            .max();
        if party.is_some_and(|p| other.is_none_or(|o| p > o)) {
            let (a, b) = (
                caps.get(1).map_or("", |m| m.as_str()),
                caps.get(2).map_or("", |m| m.as_str()),
            );
            let Ok(start) = a.parse::<i32>() else {
                continue;
            };
            if report_year > 0 && start > report_year {
                continue;
            }
            if report_year == 0 {
                return format!("{a}-{b}");
            }
            // "năm cuối thực hiện Nghị quyết … nhiệm kỳ 2015 - 2020 và là
            // năm tổ chức thành công Đại hội …, nhiệm kỳ 2020 - 2025": the
            // latest term begun by the reviewed year is the current one.
            if best.as_ref().is_none_or(|(latest, _)| start > *latest) {
                best = Some((start, format!("{a}-{b}")));
            }
        }
    }
    best.map(|(_, term)| term).unwrap_or_default()
}

/// Names of communes, wards and townships whose party units the title and
/// the first sentences name: three or more point to a round-up.
pub(crate) fn lead_unit_names(doc: &Doc<'_>, title: Option<Range<usize>>) -> Vec<String> {
    let mut names = Vec::new();
    for range in title
        .into_iter()
        .chain(doc.sentences.iter().take(2).cloned())
    {
        for m in units_in(doc, range, false) {
            if rank(m.level) == 1 {
                names.push(m.name);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_province_under_its_former_name_is_the_gazetteer_unit() {
        for (text, parent) in [
            (
                "Ngày 20/12/2022, Đảng bộ huyện Phú Lộc tổ chức hội nghị tổng kết công tác năm 2022. Huyện đóng góp vào tăng trưởng chung của tỉnh Thừa Thiên Huế.\n",
                "Thừa Thiên Huế",
            ),
            (
                "Ngày 20/12/2022, Đảng bộ xã Lộc Trì, huyện Phú Lộc, tỉnh Thừa Thiên Huế tổng kết công tác năm 2022.\n",
                "Phú Lộc",
            ),
        ] {
            let report = crate::parse::parse(&crate::text::Normalized::new(text));
            let organization = &report.organization;
            assert!(!organization.code.is_empty(), "{organization:?}");
            assert_eq!(organization.province, "Thừa Thiên Huế");
            assert_eq!(
                organization.parent.as_ref().map(|p| p.name.as_str()),
                Some(parent),
                "{organization:?}"
            );
        }
    }

    #[test]
    fn a_level_word_after_a_wide_mark_is_read_without_panic() {
        for name in [
            "Khối các–tỉnh Quảng Bình",
            "Công an “tỉnh Quảng Bình",
            "Cục Thuế…tỉnh Long An",
        ] {
            let text = crate::text::Normalized::new(&format!(
                "Đảng bộ {name} tổng kết công tác năm 2023.\nĐảng bộ {name} kết nạp 5 đảng viên.\n"
            ));
            let report = crate::parse::parse(&text);
            assert_eq!(report.report_year, 2023, "{name}");
        }
    }

    #[test]
    fn an_agency_head_in_capitals_is_written_as_running_text() {
        assert_eq!(
            capitals_as_written("KHỐI CÁC CƠ QUAN TỈNH"),
            "Khối các cơ quan tỉnh"
        );
        assert_eq!(capitals_as_written("BAN CHQS HUYỆN"), "Ban CHQS huyện");
    }
}
