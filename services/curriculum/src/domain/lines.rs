//! The shape of curriculum lines as they arrive (from a form, a spreadsheet or a call):
//! every malformed line is reported with its row, field and a stable reason, and a plan
//! with any malformed line is saved not at all.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Assessment, Component, Line, Localized, MAX_LINES, NATIONAL_PREFIX, is_block_code};

/// A line as given: enumerations still as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LineInput {
    pub semester: i32,
    pub code: String,
    pub name: Localized,
    pub block: String,
    pub credits_tenths: i32,
    pub lectures: i32,
    pub practicals: i32,
    pub labs: i32,
    pub independent: i32,
    pub assessment: String,
    pub prerequisites: Vec<String>,
    pub component: String,
    pub choice_group: String,
}

impl From<&Line> for LineInput {
    fn from(l: &Line) -> Self {
        LineInput {
            semester: l.semester,
            code: l.code.clone(),
            name: l.name.clone(),
            block: l.block.clone(),
            credits_tenths: l.credits_tenths,
            lectures: l.lectures,
            practicals: l.practicals,
            labs: l.labs,
            independent: l.independent,
            assessment: l.assessment.as_str().to_owned(),
            prerequisites: l.prerequisites.clone(),
            component: l.component.as_str().to_owned(),
            choice_group: l.choice_group.clone(),
        }
    }
}

/// A malformed line: its 1-based row (0 for the whole plan), the field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowError {
    pub row: u32,
    pub field: String,
    /// Stable, translated by pages: `curriculum-row-<reason>`.
    pub reason: String,
    /// English, for API clients.
    pub message: String,
}

impl RowError {
    pub fn new(row: u32, field: &str, reason: &str, message: impl Into<String>) -> Self {
        Self { row, field: field.to_owned(), reason: reason.to_owned(), message: message.into() }
    }
}

/// A course code: 1 to 24 of letters, digits, `-`, `.` and `_`, starting with a letter.
pub fn is_course_code(s: &str) -> bool {
    (1..=24).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

fn is_group(s: &str) -> bool {
    s.len() <= 16 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

pub const MAX_CREDITS_TENTHS: i32 = 600;
pub const MAX_LINE_HOURS: i32 = 3000;

/// Checks the shape of every line; the lines numbered 1.. in the given order, or every
/// problem found.
pub fn validate_lines(input: &[LineInput]) -> Result<Vec<Line>, Vec<RowError>> {
    let mut errors = Vec::new();
    if input.len() > MAX_LINES {
        errors.push(RowError::new(
            0,
            "lines",
            "too_many_lines",
            format!("a plan has at most {MAX_LINES} lines; this one has {}", input.len()),
        ));
        return Err(errors);
    }
    let mut seen: HashMap<(i32, &str), u32> = HashMap::new();
    let mut out = Vec::with_capacity(input.len());
    for (i, l) in input.iter().enumerate() {
        let row = i as u32 + 1;
        let before = errors.len();
        let code = l.code.trim();
        if !(1..=20).contains(&l.semester) {
            errors.push(RowError::new(row, "semester", "semester_range", "the semester is a number from 1 to 20"));
        }
        if !is_course_code(code) {
            errors.push(RowError::new(
                row,
                "code",
                "code_format",
                format!("course code {code:?}: start with a letter; letters, digits, - . _ (at most 24)"),
            ));
        }
        let name = l.name.trimmed();
        if name.is_blank() && !code.starts_with(NATIONAL_PREFIX) {
            errors.push(RowError::new(row, "name", "name_required", "give the course's name in at least one language"));
        }
        if name.max_chars() > 300 {
            errors.push(RowError::new(row, "name", "too_long", "a course name is at most 300 characters"));
        }
        let block = l.block.trim();
        if !is_block_code(block) {
            errors.push(RowError::new(
                row,
                "block",
                "block_code",
                format!("block {block:?}: 1 to 12 letters, digits or - (a block of the standard)"),
            ));
        }
        if !(0..=MAX_CREDITS_TENTHS).contains(&l.credits_tenths) {
            errors.push(RowError::new(row, "credits", "credits_range", "credits are from 0 to 60 a line"));
        }
        for (field, v) in
            [("lectures", l.lectures), ("practicals", l.practicals), ("labs", l.labs), ("independent", l.independent)]
        {
            if !(0..=MAX_LINE_HOURS).contains(&v) {
                errors.push(RowError::new(
                    row,
                    field,
                    "hours_range",
                    format!("{field}: hours are from 0 to {MAX_LINE_HOURS}"),
                ));
            }
        }
        let assessment = Assessment::parse(l.assessment.trim());
        if assessment.is_none() {
            errors.push(RowError::new(
                row,
                "assessment",
                "assessment_unknown",
                format!("assessment {:?}: exam, credit_test, coursework, state_exam or thesis", l.assessment),
            ));
        }
        let component = Component::parse_loose(&l.component);
        if component.is_none() {
            errors.push(RowError::new(
                row,
                "component",
                "component_unknown",
                format!("component {:?}: state or institution", l.component),
            ));
        }
        let mut prerequisites: Vec<String> = Vec::new();
        for p in l.prerequisites.iter().flat_map(|p| p.split([' ', ',', ';'])).map(str::trim).filter(|p| !p.is_empty())
        {
            if !is_course_code(p) {
                errors.push(RowError::new(
                    row,
                    "prerequisites",
                    "prerequisite_format",
                    format!("prerequisite {p:?} is not a course code"),
                ));
            } else if p == code {
                errors.push(RowError::new(
                    row,
                    "prerequisites",
                    "prerequisite_self",
                    format!("{code} cannot be its own prerequisite"),
                ));
            } else if !prerequisites.iter().any(|x| x == p) {
                prerequisites.push(p.to_owned());
            }
        }
        if prerequisites.len() > 20 {
            errors.push(RowError::new(row, "prerequisites", "prerequisite_format", "at most 20 prerequisites"));
        }
        let group = l.choice_group.trim();
        if !is_group(group) {
            errors.push(RowError::new(
                row,
                "choice_group",
                "choice_group_format",
                "a choice group is at most 16 letters, digits or -",
            ));
        }
        if is_course_code(code) && (1..=20).contains(&l.semester) {
            if let Some(first) = seen.get(&(l.semester, code)) {
                errors.push(RowError::new(
                    row,
                    "code",
                    "duplicate_line",
                    format!("{code} is already in semester {} (row {first})", l.semester),
                ));
            } else {
                seen.insert((l.semester, code), row);
            }
        }
        if errors.len() == before {
            out.push(Line {
                line_no: row,
                semester: l.semester,
                code: code.to_owned(),
                name,
                block: block.to_owned(),
                credits_tenths: l.credits_tenths,
                lectures: l.lectures,
                practicals: l.practicals,
                labs: l.labs,
                independent: l.independent,
                assessment: assessment.expect("checked"),
                prerequisites,
                component: component.expect("checked"),
                choice_group: group.to_owned(),
            });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> LineInput {
        LineInput {
            semester: 1,
            code: "LAW-TSL".into(),
            name: Localized::new(
                "Мамлекет жана укук теориясы",
                "Теория государства и права",
                "Theory of State and Law",
            ),
            block: "PROF".into(),
            credits_tenths: 50,
            lectures: 30,
            practicals: 30,
            labs: 0,
            independent: 90,
            assessment: "exam".into(),
            prerequisites: vec![],
            component: "inst".into(),
            choice_group: String::new(),
        }
    }

    #[test]
    fn every_malformed_field_of_every_row_is_reported() {
        let mut bad = good();
        bad.semester = 0;
        bad.code = "1X".into();
        bad.credits_tenths = 700;
        bad.lectures = -1;
        bad.assessment = "quiz".into();
        bad.component = "federal".into();
        bad.prerequisites = vec!["LAW-TSL, !!".into()];
        bad.block = "".into();
        let mut dup = good();
        dup.code = " LAW-TSL ".into();
        let errs = validate_lines(&[good(), bad, dup]).unwrap_err();
        let got: Vec<(u32, &str)> = errs.iter().map(|e| (e.row, e.reason.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "semester_range"),
                (2, "code_format"),
                (2, "block_code"),
                (2, "credits_range"),
                (2, "hours_range"),
                (2, "assessment_unknown"),
                (2, "component_unknown"),
                (2, "prerequisite_format"),
                (3, "duplicate_line"),
            ]
        );
    }

    #[test]
    fn good_lines_are_numbered_and_normalised() {
        let mut a = good();
        a.prerequisites = vec!["GE-PHIL GE-PHIL,LAW-X".into()];
        a.component = "State".into();
        let mut b = good();
        b.semester = 2;
        b.code = "GE-MANAS".into();
        b.name = Localized::default();
        let lines = validate_lines(&[a, b]).unwrap();
        assert_eq!(lines[0].line_no, 1);
        assert_eq!(lines[0].prerequisites, vec!["GE-PHIL", "LAW-X"]);
        assert_eq!(lines[0].component, Component::State);
        assert_eq!((lines[1].line_no, lines[1].code.as_str()), (2, "GE-MANAS"), "national courses need no name");
    }

    #[test]
    fn a_plan_that_is_too_long_is_refused_whole() {
        let errs = validate_lines(&vec![good(); MAX_LINES + 1]).unwrap_err();
        assert_eq!((errs.len(), errs[0].row, errs[0].reason.as_str()), (1, 0, "too_many_lines"));
    }
}
