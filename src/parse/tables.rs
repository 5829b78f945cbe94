//! Tables of indicators, as documents imported from .docx or HTML carry
//! them: one line per row, cells joined by " | " or by the tabs of a row
//! copied from a word processor ("Tổng sản lượng lương
//! thực | tấn | 8.100 | 8.215 | 101,4"). The header row says which column is
//! which: the name (chỉ tiêu, nội dung), the unit (đơn vị tính, ĐVT), the
//! plan (kế hoạch, chỉ tiêu, Nghị quyết, dự toán), the result (thực hiện,
//! ước thực hiện, kết quả), the rate against plan (% so KH, so sánh) and
//! against the same period (so cùng kỳ). A plan column for the plan year
//! ("Kế hoạch 2024") holds targets; a result column of an earlier year is
//! left out. Without a header, a row of a name, a unit, two amounts and a
//! rate is read as plan, result and rate when the rate agrees.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use crate::model::{Base, Indicator, Qualifier, Span};
use crate::text::{fold, is_alphabetic, is_alphanumeric};

use super::doc::Doc;
use super::numbers::{Style, read_cell};
use super::pattern::WordRegex;

/// The separator the importers put between the cells of a row.
const SEPARATOR: char = '|';

/// What separates the cells of a line: the importers' bar, or the tabs of a
/// row copied from a word processor or a spreadsheet.
pub(crate) fn separator_of(line: &str) -> Option<char> {
    if line.contains(SEPARATOR) {
        Some(SEPARATOR)
    } else if crate::text::is_tab_row(line) {
        Some('\t')
    } else {
        None
    }
}

#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Indicator>,
    /// The text ranges of every table row in text order, so that prose
    /// reading skips them.
    pub rows: Vec<Range<usize>>,
}

impl Tables {
    /// Whether a text offset falls inside a table row.
    pub fn in_row(&self, at: usize) -> bool {
        let after = self.rows.partition_point(|r| r.start <= at);
        after > 0 && self.rows[after - 1].contains(&at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Ignore,
    Name,
    Unit,
    /// The plan of the year under review; `Base` says what kind.
    Plan(Base),
    /// A result; true when the column says it is an estimate ("ước").
    Actual(bool),
    /// A rate against the plan or the same period.
    Rate(Base),
    /// A change in percent, signed: "Tăng/giảm so với năm 2023 (%)".
    Change,
    /// A plan for the plan year: targets.
    Target(i32),
}

/// Reads the indicators of every table of the body ([`all`]).
pub(crate) fn read(
    doc: &Doc<'_>,
    tables: &[Table],
    style: Style,
    report_year: i32,
    plan_year: i32,
) -> Tables {
    let mut out = Tables::default();
    let mut seen = HashSet::new();
    for table in tables {
        read_table(
            doc,
            table,
            style,
            (report_year, plan_year),
            &mut out,
            &mut seen,
        );
        out.rows.extend(table.rows.iter().cloned());
    }
    out
}

/// A table of the body: the text range of each row, and each row's cells.
pub(crate) struct Table {
    pub rows: Vec<Range<usize>>,
    pub grid: Vec<Vec<Range<usize>>>,
}

/// The tables of the body in text order: runs of lines whose cells a bar or
/// tabs separate, and tables flattened to one cell per line.
pub(crate) fn all(doc: &Doc<'_>) -> Vec<Table> {
    let mut out: Vec<Table> = blocks(doc)
        .into_iter()
        .map(|rows| Table {
            grid: grid(doc.text, &rows),
            rows,
        })
        .collect();
    out.extend(stacked(doc));
    out.sort_by_key(|table| table.rows.first().map_or(0, |r| r.start));
    for table in &mut out {
        with_corner(&mut table.grid);
    }
    out
}

/// "\tHTXSNV\tHTTNV …" over "Chi bộ\t4\t25 …": a header one cell short
/// of every row under it lacks its empty corner cell.
fn with_corner(grid: &mut [Vec<Range<usize>>]) {
    let Some((header, rows)) = grid.split_first_mut() else {
        return;
    };
    let wide = rows.iter().filter(|r| r.len() > 1);
    if !header.is_empty()
        && wide.clone().count() >= 2
        && wide.clone().all(|r| r.len() == header.len() + 1)
    {
        let at = header[0].start;
        header.insert(0, at..at);
    }
}

/// A table flattened to one cell per line, as a PDF's text layer gives it:
/// a header of labels ("Nội dung", "Tổng số", "HTXSNV", …), possibly
/// without its corner cell, then two or more rows as wide as it, each a
/// label and amounts ("Chi bộ", "21", "3", …).
fn stacked(doc: &Doc<'_>) -> Vec<Table> {
    const WIDEST: usize = 9;
    let amount_cell = |cell: &str| {
        cell.chars().any(|c| c.is_ascii_digit())
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'))
    };
    // A line of digits or a sign alone ("21", "%") passes for a page number
    // (chrome); here it may be a cell.
    let short_sign = |cell: &str| cell.len() <= 12 && !cell.chars().any(char::is_alphabetic);
    let lines: Vec<Range<usize>> = doc
        .lines
        .iter()
        .filter(|line| line.range.start < doc.body_end)
        .map(|line| (line, super::doc::trim_range(doc.text, line.range.clone())))
        .filter(|(line, cell)| !line.chrome || short_sign(&doc.text[cell.clone()]))
        // A row of separated cells belongs to a table of its own kind.
        .filter(|(_, cell)| separator_of(&doc.text[cell.clone()]).is_none())
        .map(|(_, cell)| cell)
        .collect();
    let text = |i: usize| lines.get(i).map_or("", |r| &doc.text[r.clone()]);
    let amount = |i: usize| amount_cell(text(i));
    let label = |i: usize| {
        let cell = text(i);
        cell.chars().any(char::is_alphabetic)
            && cell.split_whitespace().count() <= 6
            && !cell.ends_with([':', '.', ';', ','])
    };
    // Where a row of `width` cells opening at `i` ends, if it is one.
    let row_at = |i: usize, width: usize| {
        (i + width <= lines.len()
            && label(i)
            && (i + 1..i + width).all(amount)
            && (i..i + width - 1).all(|j| lines[j].end < lines[j + 1].start))
        .then_some(i + width)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let found = (2..=WIDEST)
            .filter(|&header| (i..i + header).all(label))
            .flat_map(|header| [(header, header), (header, header + 1)])
            .find_map(|(header, width)| {
                let mut ends = vec![i + header];
                while let Some(end) = row_at(*ends.last().expect("non-empty"), width) {
                    ends.push(end);
                }
                (ends.len() >= 3).then_some(ends)
            });
        if let Some(ends) = found {
            let mut rows = Vec::new();
            let mut grid = Vec::new();
            let mut start = i;
            for end in ends {
                rows.push(lines[start].start..lines[end - 1].end);
                grid.push(lines[start..end].to_vec());
                start = end;
            }
            out.push(Table { rows, grid });
            i = start;
        } else if let Some((table, end)) = numbered_rows(doc.text, &lines, i, &label) {
            out.push(table);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// A flattened table whose rows open on their numbers ("1", name, unit,
/// amounts…, "2", …), as appendices of targets and results are laid out:
/// the numbers fix the rows' width, and the header is the labels above the
/// first row, a year on a line of its own going with the label before it
/// ("Chỉ tiêu" / "2025"). The table and the index of the line after it,
/// when `first` holds the "1" of two or more rows of one width under such
/// a header.
fn numbered_rows(
    text: &str,
    lines: &[Range<usize>],
    first: usize,
    label: &dyn Fn(usize) -> bool,
) -> Option<(Table, usize)> {
    let cell = |i: usize| lines.get(i).map_or("", |r| &text[r.clone()]);
    if cell(first) != "1" {
        return None;
    }
    let width = (3..=12).find(|&w| cell(first + w) == "2")?;
    let mut rows = 1;
    while cell(first + rows * width) == (rows + 1).to_string() {
        rows += 1;
    }
    let end = first + rows * width;
    if end > lines.len() {
        return None;
    }
    // The header, read upwards: labels, a year joined to the label above.
    let mut header: Vec<Range<usize>> = Vec::new();
    let mut at = first;
    while header.len() < width && at > 0 {
        let above = at - 1;
        if year_alone(cell(above)) && above > 0 && label(above - 1) {
            header.push(lines[above - 1].start..lines[above].end);
            at = above - 1;
        } else if label(above) {
            header.push(lines[above].clone());
            at = above;
        } else {
            break;
        }
    }
    if header.len() + 1 < width {
        return None;
    }
    header.reverse();
    let header_row = header.first()?.start..header.last()?.end;
    let mut table = Table {
        rows: Vec::with_capacity(rows + 1),
        grid: vec![header],
    };
    table.rows.push(header_row);
    for row in 0..rows {
        let cells = &lines[first + row * width..first + (row + 1) * width];
        table.rows.push(cells[0].start..cells[width - 1].end);
        table.grid.push(cells.to_vec());
    }
    Some((table, end))
}

/// A cell that is a year alone ("2025").
fn year_alone(cell: &str) -> bool {
    cell.len() == 4 && cell.starts_with("20") && cell.bytes().all(|b| b.is_ascii_digit())
}

/// The tables of the body, each as its run of consecutive row lines.
fn blocks(doc: &Doc<'_>) -> Vec<Vec<Range<usize>>> {
    let mut out = Vec::new();
    let mut block: Vec<Range<usize>> = Vec::new();
    for line in doc.body_lines() {
        let line = line.range.clone();
        let row = separator_of(&doc.text[line.clone()]).is_some()
            && cells(doc.text, line.clone()).len() >= 2;
        // "II\tCHỈ TIÊU VĂN HÓA - XÃ HỘI": a group's heading inside a table
        // copied from a word processor keeps the table (and its header) going.
        let heading = !block.is_empty() && group_heading(doc.text[line.clone()].trim());
        if row || heading {
            block.push(line);
        } else if !block.is_empty() {
            out.push(std::mem::take(&mut block));
        }
    }
    if !block.is_empty() {
        out.push(block);
    }
    out
}

/// A group's heading between a table's rows: a short label (a Roman
/// numeral, a capital letter) and words in capitals, "I CHỈ TIÊU KINH TẾ",
/// "B. CÁC CHỈ TIÊU XÃ HỘI".
fn group_heading(line: &str) -> bool {
    let Some((label, words)) = line.split_once([' ', '\t']) else {
        return false;
    };
    let label = label.trim_end_matches(['.', ')']);
    line.len() < 120
        && (1..=4).contains(&label.len())
        && label.chars().all(|c| c.is_ascii_uppercase())
        && words.chars().any(char::is_alphabetic)
        && words
            .chars()
            .all(|c| !c.is_alphabetic() && !c.is_ascii_digit() || c.is_uppercase())
}

/// A table's rows as cells. The outer bars of "| a | b |" are dropped only
/// when every row has them; otherwise an empty edge cell is a real column.
pub(crate) fn grid(text: &str, rows: &[Range<usize>]) -> Vec<Vec<Range<usize>>> {
    let framed = rows
        .iter()
        .all(|r| text[r.clone()].trim_start().starts_with(SEPARATOR));
    let mut grid: Vec<Vec<Range<usize>>> = rows
        .iter()
        .map(|row| {
            let mut row_cells = cells(text, row.clone());
            if framed && row_cells.len() > 1 {
                row_cells.remove(0);
            }
            row_cells
        })
        .collect();
    // "\tTrong đó: Thóc\ttấn\t19.200 …" under "STT\tChỉ tiêu\tĐVT\t…": a tab
    // row short of a cell opens on an empty number column, not indentation.
    let width = grid.first().map_or(0, Vec::len);
    for (row, row_cells) in rows.iter().zip(&mut grid) {
        if row_cells.len() + 1 == width && text[row.clone()].starts_with('\t') {
            row_cells.insert(0, row.start..row.start);
        }
    }
    grid
}

/// The cells of a row, trimmed, as text ranges.
fn cells(text: &str, row: Range<usize>) -> Vec<Range<usize>> {
    let Some(separator) = separator_of(&text[row.clone()]) else {
        return vec![super::doc::trim_range(text, row)];
    };
    // Tabs around a tab row's words are indentation, not empty cells.
    let row = if separator == '\t' {
        super::doc::trim_range(text, row)
    } else {
        row
    };
    let mut out = Vec::new();
    let mut start = row.start;
    for (at, c) in text[row.clone()].char_indices() {
        if c == separator {
            out.push(super::doc::trim_range(text, start..row.start + at));
            start = row.start + at + 1;
        }
    }
    out.push(super::doc::trim_range(text, start..row.end));
    out
}

static YEAR: LazyLock<WordRegex> =
    LazyLock::new(|| WordRegex::new(r"\b(20\d\d)\b").expect("year pattern"));

/// What a header cell says its column holds.
fn role_of(header: &str, report_year: i32, plan_year: i32) -> Role {
    let h = fold(header);
    let h = h.trim();
    let words: Vec<&str> = h
        .split(|c: char| !is_alphanumeric(c) && c != '%')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| {
        let n = w.split(' ').count();
        words.windows(n).any(|win| win.join(" ") == w)
    };
    let year: Option<i32> = YEAR.captures(h).and_then(|c| c[1].parse().ok());
    if h.is_empty() || ["tt", "stt", "so tt", "ghi chu"].contains(&h) {
        return Role::Ignore;
    }
    if has("don vi") || has("dvt") || has("don vi tinh") {
        return Role::Unit;
    }
    let base = if has("cung ky") || has("nam truoc") {
        Base::SamePeriod
    } else if has("nghi quyet") || has("nq") {
        Base::Resolution
    } else if has("du toan") {
        Base::BudgetEstimate
    } else {
        Base::Plan
    };
    if ["tang", "giam"].contains(words.first().unwrap_or(&"")) {
        return Role::Change;
    }
    if h.contains('%')
        || has("so sanh")
        || has("ty le dat")
        || has("ti le dat")
        || words.first() == Some(&"dat")
    {
        return Role::Rate(base);
    }
    let name_words = [
        "chi tieu",
        "noi dung",
        "danh muc",
        "ten chi tieu",
        "linh vuc",
        "cac chi tieu",
        "chi tieu chu yeu",
    ];
    if year.is_none() && name_words.contains(&h) {
        return Role::Name;
    }
    let actual = has("thuc hien") || has("th") || has("ket qua") || has("uoc") || has("uoc th");
    let plan = has("ke hoach")
        || has("kh")
        || has("chi tieu")
        || has("nghi quyet")
        || has("nq")
        || has("du toan")
        || has("muc tieu")
        || has("phuong huong");
    match (actual, plan, year) {
        (true, _, Some(y)) if report_year > 0 && y < report_year => Role::Ignore,
        (true, _, Some(y)) if plan_year > report_year && y >= plan_year => Role::Target(y),
        (true, _, _) => Role::Actual(has("uoc")),
        (false, true, Some(y)) if plan_year > report_year && y >= plan_year => Role::Target(y),
        (false, true, Some(y)) if report_year > 0 && y < report_year => Role::Ignore,
        (false, true, _) => Role::Plan(base),
        // A bare year: the results of the year under review, or the plan.
        (false, false, Some(y)) if y == report_year => Role::Actual(false),
        (false, false, Some(y)) if plan_year > report_year && y >= plan_year => Role::Target(y),
        _ => Role::Ignore,
    }
}

fn read_table(
    doc: &Doc<'_>,
    table: &Table,
    style: Style,
    (report_year, plan_year): (i32, i32),
    out: &mut Tables,
    seen: &mut HashSet<(String, Option<u64>, Option<u64>)>,
) {
    let text = doc.text;
    let numeric = |cell: &Range<usize>| read_cell(&text[cell.clone()], "", style).is_some();
    let (rows, grid) = (&table.rows, &table.grid);
    // The header: the leading rows with no amount in them (years allowed),
    // read column by column, a spanning cell lending its words to the
    // columns it spans ("Năm 2023" over "Kế hoạch | Thực hiện").
    let header_rows: Vec<Vec<Range<usize>>> = grid
        .iter()
        .take(3)
        .cloned()
        .take_while(|row_cells| {
            let amount = row_cells
                .iter()
                .any(|c| numeric(c) && !YEAR.is_match(&text[c.clone()]));
            let group = row_cells.len() == 1 && group_heading(&text[row_cells[0].clone()]);
            !amount && !group
        })
        .collect();
    let width = header_rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut titles = vec![String::new(); width];
    for (h, header) in header_rows.iter().enumerate() {
        let mut spanning = "";
        for (column, title) in titles.iter_mut().enumerate() {
            let cell = header.get(column).map_or("", |c| &text[c.clone()]);
            let below = header_rows[h + 1..]
                .iter()
                .any(|r| r.get(column).is_some_and(|c| !c.is_empty()));
            if !cell.is_empty() {
                spanning = cell;
                title.push(' ');
                title.push_str(cell);
            } else if below {
                title.push(' ');
                title.push_str(spanning);
            }
        }
    }
    let header_roles: Vec<Role> = titles
        .iter()
        .map(|t| role_of(t, report_year, plan_year))
        .collect();
    let named = header_roles
        .iter()
        .any(|r| !matches!(r, Role::Ignore | Role::Name | Role::Unit));
    let (roles, data_start) = if named {
        (Some(header_roles), header_rows.len())
    } else {
        (None, 0)
    };
    for (row, row_cells) in rows.iter().zip(grid).skip(data_start) {
        let roles = match &roles {
            Some(roles) => roles.clone(),
            None => match headerless_roles(text, row_cells, style) {
                Some(roles) => roles,
                None => continue,
            },
        };
        let cell_of = |role: fn(&Role) -> bool| {
            roles
                .iter()
                .position(role)
                .and_then(|i| row_cells.get(i))
                .map(|c| &text[c.clone()])
        };
        // The name: the named column, or the first cell with letters.
        let name = cell_of(|r| *r == Role::Name)
            .or_else(|| {
                row_cells
                    .iter()
                    .map(|c| &text[c.clone()])
                    .find(|c| c.chars().any(is_alphabetic) && read_cell(c, "", style).is_none())
            })
            .unwrap_or("")
            .trim_start_matches(|c: char| {
                c.is_ascii_digit() || matches!(c, '.' | ')' | '-' | '+' | ' ')
            })
            .trim()
            .to_string();
        if name.is_empty() || !name.chars().any(is_alphabetic) {
            continue;
        }
        let unit = cell_of(|r| *r == Role::Unit)
            .unwrap_or("")
            .trim()
            .to_string();
        // Without a unit column the unit is often in the name: "Sản lượng
        // lương thực (tấn)", "Tỷ lệ hộ nghèo (%)".
        let (name, unit) = match name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
            Some((head, inner))
                if unit.is_empty()
                    && !head.trim().is_empty()
                    && inner.chars().count() <= 24
                    && !inner.chars().any(|c| c.is_ascii_digit()) =>
            {
                (head.trim().to_string(), inner.trim().to_string())
            }
            _ => (name, unit),
        };
        let rate_unit = unit == "%" || fold(&unit) == "ty le %";
        let span = Span {
            start: row.start as u32,
            end: row.end as u32,
        };
        let mut indicator = Indicator {
            name: name.clone(),
            unit: if rate_unit {
                String::new()
            } else {
                unit.clone()
            },
            span,
            ..Default::default()
        };
        let mut targets = Vec::new();
        for (role, cell) in roles.iter().zip(row_cells) {
            let cell_text = &text[cell.clone()];
            if *role == Role::Change {
                // "+10,4", "-2,1", "− 0,3".
                let trimmed = cell_text.trim();
                let (sign, magnitude) = match trimmed.strip_prefix(['-', '−', '–']) {
                    Some(rest) => (-1.0, rest),
                    None => (1.0, trimmed.strip_prefix('+').unwrap_or(trimmed)),
                };
                if let Some(value) = read_cell(magnitude, "%", style) {
                    indicator.change_percent.get_or_insert(sign * value);
                }
                continue;
            }
            let cell_unit = if matches!(role, Role::Rate(_)) {
                "%"
            } else {
                unit.as_str()
            };
            let Some(value) = read_cell(cell_text, cell_unit, style) else {
                continue;
            };
            let qualifier = cell_qualifier(cell_text);
            match *role {
                Role::Actual(estimate) => {
                    if rate_unit {
                        indicator.percent.get_or_insert(value);
                    } else {
                        indicator.value.get_or_insert(value);
                    }
                    if indicator.qualifier == Qualifier::Unspecified {
                        indicator.qualifier = if estimate && qualifier == Qualifier::Unspecified {
                            Qualifier::Estimate
                        } else {
                            qualifier
                        };
                    }
                }
                Role::Plan(base) => {
                    indicator.plan_value.get_or_insert(value);
                    if indicator.base == Base::Unspecified {
                        indicator.base = base;
                    }
                }
                Role::Rate(base) => {
                    if indicator.percent_of_plan.is_none() {
                        indicator.percent_of_plan = Some(value);
                        indicator.base = base;
                    }
                }
                Role::Target(year) => targets.push(Indicator {
                    name: name.clone(),
                    value: (!rate_unit).then_some(value),
                    percent: rate_unit.then_some(value),
                    unit: if rate_unit {
                        String::new()
                    } else {
                        unit.clone()
                    },
                    qualifier,
                    year,
                    span,
                    ..Default::default()
                }),
                Role::Ignore | Role::Name | Role::Unit | Role::Change => {}
            }
        }
        if indicator.percent_of_plan.is_none() {
            indicator.base = Base::Unspecified;
        }
        let status = fold(&text[row.clone()]);
        if status.contains("khong dat") || status.contains("chua dat") {
            indicator.met = Some(false);
        }
        if indicator.value.is_some() || indicator.percent.is_some() {
            // A plan table repeats the results of the year under review.
            let reading = (
                fold(&indicator.name),
                indicator.value.map(f64::to_bits),
                indicator.percent.map(f64::to_bits),
            );
            if seen.insert(reading) {
                out.indicators.push(indicator);
            }
        }
        out.targets.extend(targets);
    }
}

/// Roles for a row of a table without a header: the name, maybe a unit,
/// then two amounts and a rate, read as plan, result and rate when the rate
/// is the result over the plan (or as result, plan and rate the other way).
fn headerless_roles(text: &str, row: &[Range<usize>], style: Style) -> Option<Vec<Role>> {
    let values: Vec<Option<f64>> = row
        .iter()
        .map(|c| read_cell(&text[c.clone()], "", style))
        .collect();
    let amounts: Vec<usize> = (0..row.len()).filter(|&i| values[i].is_some()).collect();
    let name = (0..row.len())
        .find(|&i| values[i].is_none() && text[row[i].clone()].chars().any(is_alphabetic))?;
    let unit = (name + 1..row.len())
        .find(|&i| values[i].is_none() && !text[row[i].clone()].trim().is_empty());
    let after: Vec<usize> = amounts.into_iter().filter(|&i| i > name).collect();
    let mut roles = vec![Role::Ignore; row.len()];
    roles[name] = Role::Name;
    if let Some(u) = unit {
        roles[u] = Role::Unit;
    }
    match after.as_slice() {
        [only] => roles[*only] = Role::Actual(false),
        [a, b, rate, ..] => {
            let (a, b, r) = (values[*a]?, values[*b]?, values[*rate]?);
            let near = |x: f64| (x - r).abs() <= 0.6 + 0.01 * r;
            let (plan, actual) = if a > 0.0 && near(b / a * 100.0) {
                (after[0], after[1])
            } else if b > 0.0 && near(a / b * 100.0) {
                (after[1], after[0])
            } else {
                return None;
            };
            roles[plan] = Role::Plan(Base::Plan);
            roles[actual] = Role::Actual(false);
            roles[after[2]] = Role::Rate(Base::Plan);
        }
        _ => return None,
    }
    Some(roles)
}

/// The qualifier a cell writes before its number ("dưới 2,5", "≥ 95").
fn cell_qualifier(cell: &str) -> Qualifier {
    let folded = fold(cell);
    let folded = folded.trim();
    let starts = |w: &str| folded.starts_with(w);
    if starts("tren") || starts("hon") || starts(">") {
        Qualifier::Over
    } else if starts("duoi") || starts("<") {
        Qualifier::Under
    } else if starts("it nhat") || starts("toi thieu") || starts("≥") || folded.ends_with("tro len")
    {
        Qualifier::AtLeast
    } else if starts("toi da") || starts("≤") {
        Qualifier::AtMost
    } else if starts("khoang") || starts("gan") {
        Qualifier::About
    } else if starts("uoc") {
        Qualifier::Estimate
    } else {
        Qualifier::Unspecified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str, report_year: i32, plan_year: i32) -> Tables {
        let doc = Doc::new(text);
        read(
            &doc,
            &all(&doc),
            Style::DecimalComma,
            report_year,
            plan_year,
        )
    }

    #[test]
    fn tab_rows_with_empty_cells_stay_one_row_each() {
        let t = tables(
            "Chỉ tiêu\tĐVT\tKế hoạch\tThực hiện\t% so KH\tGhi chú\n\nĐàn bò\tcon\t800\t840\t105\t\t\t\t\nĐàn trâu\tcon\t\t\t\t310\n",
            2023,
            2024,
        );
        assert_eq!(t.rows.len(), 3);
        assert_eq!(
            (t.indicators[0].name.as_str(), t.indicators[0].value),
            ("Đàn bò", Some(840.0))
        );
    }

    #[test]
    fn a_header_names_the_columns() {
        let t = tables(
            "Kết quả:\nTT | Chỉ tiêu | ĐVT | Kế hoạch | Ước thực hiện | % so KH\n1 | Đàn bò | con | 800 | 840 | 105\n2 | Tỷ lệ hộ nghèo | % | 4 | 3,6 |\nHết.",
            2023,
            2024,
        );
        assert_eq!(t.rows.len(), 3);
        let bo = &t.indicators[0];
        assert_eq!(
            (
                bo.name.as_str(),
                bo.value,
                bo.plan_value,
                bo.percent_of_plan,
                bo.qualifier
            ),
            (
                "Đàn bò",
                Some(840.0),
                Some(800.0),
                Some(105.0),
                Qualifier::Estimate
            )
        );
        assert_eq!(bo.base, Base::Plan);
        let ngheo = &t.indicators[1];
        assert_eq!(
            (ngheo.percent, ngheo.plan_value, ngheo.unit.as_str()),
            (Some(3.6), Some(4.0), "")
        );
    }

    #[test]
    fn a_unit_written_in_the_name_is_the_unit() {
        let t = tables(
            "Chỉ tiêu | Kế hoạch | Thực hiện\nSản lượng lương thực (tấn) | 2.100 | 2.150\nTỷ lệ hộ nghèo (%) | 5 | 4,2",
            2023,
            2024,
        );
        let grain = &t.indicators[0];
        assert_eq!(
            (grain.name.as_str(), grain.unit.as_str(), grain.value),
            ("Sản lượng lương thực", "tấn", Some(2150.0))
        );
        let poor = &t.indicators[1];
        assert_eq!(
            (poor.name.as_str(), poor.percent, poor.plan_value),
            ("Tỷ lệ hộ nghèo", Some(4.2), Some(5.0))
        );
    }

    #[test]
    fn a_plan_year_column_holds_targets() {
        let t = tables(
            "Chỉ tiêu | Đơn vị tính | Thực hiện 2022 | Thực hiện 2023 | Kế hoạch 2024\nThu nhập bình quân | triệu đồng | 40 | 46,2 | trên 50",
            2023,
            2024,
        );
        assert_eq!(t.indicators.len(), 1);
        assert_eq!(t.indicators[0].value, Some(46.2));
        assert_eq!(t.targets.len(), 1);
        let target = &t.targets[0];
        assert_eq!(
            (target.value, target.year, target.qualifier),
            (Some(50.0), 2024, Qualifier::Over)
        );
    }

    #[test]
    fn a_row_without_header_is_read_when_its_rate_agrees() {
        let t = tables(
            "Tổng sản lượng lương thực | tấn | 8.100 | 8.215 | 101,4%",
            2023,
            2024,
        );
        let i = &t.indicators[0];
        assert_eq!(
            (i.value, i.plan_value, i.percent_of_plan),
            (Some(8215.0), Some(8100.0), Some(101.4))
        );
        assert!(
            tables("Họ tên | Chức vụ | Điện thoại", 2023, 2024)
                .indicators
                .is_empty()
        );
    }
}
