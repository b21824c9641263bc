//! Rosters: the spreadsheet a registrar uploads to issue accounts (CSV or XLSX, one
//! header row; columns named in English, Russian or Kyrgyz). Parsing and validation
//! are pure: every problem of every row is reported, and a roster with any problem
//! issues nothing.

use std::collections::HashMap;

/// One person of a roster, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The row number in the file (the header is row 1).
    pub row: usize,
    pub pin: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    /// The student ticket number; the login is its lower-case form.
    pub ticket_no: String,
    pub programme: String,
    pub year: i64,
}

impl RosterRow {
    pub fn login(&self) -> String {
        self.ticket_no.to_lowercase()
    }
    pub fn display_name(&self) -> String {
        [self.surname.as_str(), self.given_name.as_str(), self.patronymic.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A problem with one cell (or the whole file, with row 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    /// The column (canonical name), or "" for the file.
    pub column: &'static str,
    /// Stable code, translated by the portal as `roster-<code>`.
    pub code: &'static str,
    /// The row it repeats, for duplicates.
    pub other_row: Option<usize>,
}

pub const MAX_ROWS: usize = 20_000;
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

const COLUMNS: &[(&str, &[&str])] = &[
    ("pin", &["pin", "пин", "инн", "персональный идентификационный номер", "жеке идентификациялык номер"]),
    ("surname", &["surname", "last name", "фамилия", "фамилиясы"]),
    ("given_name", &["given_name", "given name", "first name", "name", "имя", "аты"]),
    ("patronymic", &["patronymic", "отчество", "атасынын аты"]),
    (
        "ticket_no",
        &[
            "ticket_no",
            "ticket",
            "student ticket",
            "номер студенческого билета",
            "студенческий билет",
            "студенттик билет",
            "студенттик билеттин номери",
        ],
    ),
    ("programme", &["programme", "program", "программа", "направление", "специальность", "адистик"]),
    ("year", &["year", "course", "курс"]),
];
const REQUIRED: &[&str] = &["pin", "surname", "given_name", "ticket_no", "programme", "year"];

fn file_problem(code: &'static str) -> Vec<RowProblem> {
    vec![RowProblem { row: 0, column: "", code, other_row: None }]
}

/// Reads the cells of a CSV or XLSX file (by content: XLSX is a ZIP).
fn cells(bytes: &[u8]) -> Result<Vec<Vec<String>>, Vec<RowProblem>> {
    edu24_shared::sheet::read_cells(bytes, MAX_BYTES).map_err(|e| file_problem(e.code()))
}

pub use edu24_shared::people::{valid_name, valid_pin, valid_ticket};

/// Parses and validates a roster. `Ok` only when every row is right.
pub fn parse(bytes: &[u8]) -> Result<Vec<RosterRow>, Vec<RowProblem>> {
    let table = cells(bytes)?;
    let mut rows = table.into_iter().enumerate().filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let Some((_, header)) = rows.next() else { return Err(file_problem("file_empty")) };
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if let Some((name, _)) = COLUMNS.iter().find(|(_, aliases)| aliases.contains(&h.as_str())) {
            index.entry(name).or_insert(i);
        }
    }
    let missing: Vec<RowProblem> = REQUIRED
        .iter()
        .filter(|c| !index.contains_key(*c))
        .map(|c| RowProblem { row: 1, column: c, code: "column_missing", other_row: None })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut tickets: HashMap<String, usize> = HashMap::new();
    let mut pins: HashMap<String, usize> = HashMap::new();
    for (i, r) in rows {
        let row = i + 1;
        if out.len() + problems.len() >= MAX_ROWS {
            return Err(file_problem("too_many_rows"));
        }
        let get = |c: &str| index.get(c).and_then(|&k| r.get(k)).map(|v| v.trim().to_owned()).unwrap_or_default();
        let before = problems.len();
        let mut bad = |column: &'static str, code: &'static str, other_row: Option<usize>| {
            problems.push(RowProblem { row, column, code, other_row });
        };
        let pin = get("pin");
        if !valid_pin(&pin) {
            bad("pin", "pin_invalid", None);
        }
        let (surname, given_name, patronymic) = (get("surname"), get("given_name"), get("patronymic"));
        if !valid_name(&surname) {
            bad("surname", "name_invalid", None);
        }
        if !valid_name(&given_name) {
            bad("given_name", "name_invalid", None);
        }
        if !patronymic.is_empty() && !valid_name(&patronymic) {
            bad("patronymic", "name_invalid", None);
        }
        let ticket_no = get("ticket_no");
        if !valid_ticket(&ticket_no) {
            bad("ticket_no", "ticket_invalid", None);
        }
        let programme = get("programme");
        if programme.is_empty() || programme.chars().count() > 200 {
            bad("programme", "programme_invalid", None);
        }
        let year = get("year").parse::<i64>().ok().filter(|y| (1..=7).contains(y));
        if year.is_none() {
            bad("year", "year_invalid", None);
        }
        if let Some(&first) = tickets.get(&ticket_no.to_lowercase()) {
            bad("ticket_no", "ticket_repeated", Some(first));
        }
        if let Some(&first) = pins.get(&pin) {
            bad("pin", "pin_repeated", Some(first));
        }
        tickets.entry(ticket_no.to_lowercase()).or_insert(row);
        pins.entry(pin.clone()).or_insert(row);
        if problems.len() == before {
            out.push(RosterRow {
                row,
                pin,
                surname,
                given_name,
                patronymic,
                ticket_no,
                programme,
                year: year.unwrap_or(1),
            });
        }
    }
    if out.is_empty() && problems.is_empty() {
        return Err(file_problem("file_empty"));
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "ПИН,Фамилия,Имя,Отчество,Студенческий билет,Программа,Курс\n\
        21503200512345,Токтосунова,Айпери,Бакытовна,CL2400123,710100 Информатика,1\n\
        11207199900042,Усенов,Бекзат,,CL2400124,710100 Информатика,2\n";

    #[test]
    fn a_good_csv_with_russian_headers_parses() {
        let rows = parse(GOOD.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].display_name(), "Токтосунова Айпери Бакытовна");
        assert_eq!((rows[0].login(), rows[0].row), ("cl2400123".to_owned(), 2));
        assert_eq!(rows[1].display_name(), "Усенов Бекзат");
        // Semicolons (Excel in Russian locales) and a BOM work too.
        let semi = format!("\u{feff}{}", GOOD.replace(',', ";"));
        assert_eq!(parse(semi.as_bytes()).unwrap(), rows);
    }

    #[test]
    fn every_bad_row_is_reported_and_nothing_passes() {
        let csv = format!(
            "{GOOD}\
             3150320051234,Осмонов,Бакыт,,CL2400125,X,1\n\
             21503200512399,Осмонов2,Бакыт,,CL 2400126,X,9\n\
             21503200512345,Асанова,Нургүл,,cl2400123,X,1\n"
        );
        let problems = parse(csv.as_bytes()).unwrap_err();
        let found: Vec<(usize, &str, &str)> = problems.iter().map(|p| (p.row, p.column, p.code)).collect();
        assert_eq!(
            found,
            vec![
                (4, "pin", "pin_invalid"),
                (5, "surname", "name_invalid"),
                (5, "ticket_no", "ticket_invalid"),
                (5, "year", "year_invalid"),
                (6, "ticket_no", "ticket_repeated"),
                (6, "pin", "pin_repeated"),
            ]
        );
        assert_eq!(problems[4].other_row, Some(2));
    }

    #[test]
    fn missing_columns_and_empty_files_are_named() {
        let p = parse("pin,surname\n1,2\n".as_bytes()).unwrap_err();
        assert!(p.iter().any(|x| x.column == "ticket_no" && x.code == "column_missing"));
        assert_eq!(parse(b"").unwrap_err()[0].code, "file_empty");
        assert_eq!(parse(&[0xff, 0xfe, 0x00]).unwrap_err()[0].code, "file_not_utf8");
    }

    #[test]
    fn pins_have_their_shape_and_a_real_birth_date() {
        assert!(valid_pin("21503200512345"));
        assert!(!valid_pin("23002200512345"), "30 February");
        assert!(!valid_pin("31503200512345"), "first digit is the sex: 1 or 2");
        assert!(!valid_pin("2150320051234"));
    }
}
