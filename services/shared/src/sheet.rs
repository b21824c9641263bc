//! Spreadsheets in and out: reading the cells of an uploaded CSV or XLSX file (told
//! apart by content, not by name), and writing tables as CSV (UTF-8 with BOM, so that
//! spreadsheet programs read Cyrillic right) or XLSX.

use std::io::Cursor;

/// Why a file could not be read, as a stable code that pages translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetError {
    TooLarge,
    /// More rows or columns than any EDU24 table has ([`MAX_ROWS`], [`MAX_COLUMNS`]).
    TooManyCells,
    Unreadable,
    Empty,
    NotUtf8,
}

/// The most rows an uploaded table may have (a roster of a whole intake fits).
pub const MAX_ROWS: usize = 100_000;
/// The most columns an uploaded table may have.
pub const MAX_COLUMNS: usize = 64;

impl SheetError {
    pub fn code(self) -> &'static str {
        match self {
            SheetError::TooLarge => "file_too_large",
            SheetError::TooManyCells => "file_too_many_cells",
            SheetError::Unreadable => "file_unreadable",
            SheetError::Empty => "file_empty",
            SheetError::NotUtf8 => "file_not_utf8",
        }
    }
}

/// Reads the cells of the first sheet of an XLSX file or of a CSV file (comma or
/// semicolon separated, with or without BOM).
pub fn read_cells(bytes: &[u8], max_bytes: usize) -> Result<Vec<Vec<String>>, SheetError> {
    if bytes.len() > max_bytes {
        return Err(SheetError::TooLarge);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|_| SheetError::NotUtf8)?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    // Blank lines stay as empty rows, so that row numbers are the ones a spreadsheet shows.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut next_line = 1u64;
    for record in reader.records() {
        let record = record.map_err(|_| SheetError::Unreadable)?;
        // The position is where the reader started, before the blank lines it skipped.
        let line = match record.position() {
            Some(p) => {
                let rest = text.as_bytes().get(p.byte() as usize..).unwrap_or_default();
                let blanks = rest.split(|b| *b == b'\n').take_while(|l| l.is_empty() || *l == b"\r").count() as u64;
                p.line() + blanks
            }
            None => next_line,
        };
        while next_line < line {
            rows.push(Vec::new());
            next_line += 1;
        }
        let inner_breaks = record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        next_line = line + 1 + inner_breaks;
        if rows.len() >= MAX_ROWS || record.len() > MAX_COLUMNS {
            return Err(SheetError::TooManyCells);
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    if rows.len() > MAX_ROWS {
        return Err(SheetError::TooManyCells);
    }
    Ok(rows)
}

/// The first sheet of an XLSX file, cell by cell as stored (never the whole bounding box:
/// a file with one cell in A1 and one in XFD1048576 is refused, not allocated).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    use calamine::{DataRef, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
    let first = book.sheet_names().into_iter().next().ok_or(SheetError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|_| SheetError::Unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| SheetError::Unreadable)? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if r >= MAX_ROWS || c >= MAX_COLUMNS {
            return Err(SheetError::TooManyCells);
        }
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Int(i) => i.to_string(),
            DataRef::SharedString(s) => (*s).to_owned(),
            DataRef::String(s) => s.clone(),
            other => calamine::Data::from(other.clone()).to_string(),
        };
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    if rows.is_empty() {
        return Err(SheetError::Empty);
    }
    Ok(rows)
}

/// A cell a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return first) gets a leading `'`, so that free text typed into EDU24 stays
/// text in whoever opens the export. Numbers (`-5`, `-0.5`) are left as they are.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A table as CSV, UTF-8 with a byte-order mark.
pub fn write_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(header);
        for r in rows {
            let _ = w.write_record(r.iter().map(|c| inert(c).into_owned()));
        }
        let _ = w.flush();
    }
    out
}

/// A table as an XLSX workbook with one sheet, header bold and frozen. Cells that are
/// whole numbers are written as numbers, everything else as text.
pub fn write_xlsx(sheet: &str, header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let name: String = sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(if name.is_empty() { "Sheet1" } else { &name })?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, (h.chars().count().max(10) + 2) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = ((r + 1) as u32, c as u16);
            // Codes with leading zeros (ISCED "06", PINs) stay text.
            match v.parse::<i64>() {
                Ok(n) if !v.starts_with('0') || v == "0" => ws.write_number(r, c, n as f64)?,
                _ => ws.write_string(r, c, v)?,
            };
        }
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sheet_with_a_far_away_cell_is_refused_not_allocated() {
        // One cell in A1 and one far away: the bounding box would be billions of cells.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "code").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(super::read_cells(&bytes, 1 << 20).unwrap_err(), super::SheetError::TooManyCells);
        let many = "a\n".repeat(super::MAX_ROWS + 1);
        assert_eq!(super::read_cells(many.as_bytes(), 1 << 20).unwrap_err(), super::SheetError::TooManyCells);
        let wide = format!("{}\n", vec!["a"; super::MAX_COLUMNS + 1].join(","));
        assert_eq!(super::read_cells(wide.as_bytes(), 1 << 20).unwrap_err(), super::SheetError::TooManyCells);
    }

    #[test]
    fn exported_cells_never_run_as_formulas() {
        let csv = super::write_csv(
            &["a", "b"],
            &[vec!["=HYPERLINK(\"x\")".into(), "-5".into()], vec!["@sum".into(), "ok".into()]],
        );
        let text = String::from_utf8(csv).unwrap();
        assert!(text.contains("'=HYPERLINK") && text.contains(",-5") && text.contains("'@sum"), "{text}");
    }

    #[test]
    fn blank_lines_keep_the_row_numbers() {
        let rows = super::read_cells(b"a,b\n1,2\n\n3,\"x\ny\"\n4,5\n", 1 << 20).unwrap();
        assert_eq!(rows.len(), 5);
        assert!(rows[2].is_empty());
        assert_eq!(rows[3], vec!["3".to_owned(), "x\ny".to_owned()]);
        assert_eq!(rows[4], vec!["4".to_owned(), "5".to_owned()]);
    }

    use super::*;

    #[test]
    fn what_is_written_reads_back_the_same_in_both_formats() {
        let header = ["code", "name_ru", "isced"];
        let rows = vec![
            vec!["580100".to_owned(), "Экономика; \"финансы\"".to_owned(), "04".to_owned()],
            vec!["710100".to_owned(), "Информатика".to_owned(), "06".to_owned()],
        ];
        let mut expected = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        expected.extend(rows.clone());
        assert_eq!(read_cells(&write_csv(&header, &rows), 1 << 20).unwrap(), expected);
        assert_eq!(read_cells(&write_xlsx("Классификатор", &header, &rows).unwrap(), 1 << 20).unwrap(), expected);
        assert_eq!(read_cells(b"a,b", 2), Err(SheetError::TooLarge));
        assert_eq!(read_cells(b"\xff\xfe", 10), Err(SheetError::NotUtf8));
    }
}
