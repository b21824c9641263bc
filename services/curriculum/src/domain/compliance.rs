//! The compliance check of a curriculum against its state standard. Pure: the same
//! lines, standard and national catalogue always give the same findings, in the same
//! order. Every finding names its rule, carries its numbers (for pages to explain in
//! three languages) and points at the lines at fault.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{
    Assessment, BlockKind, Compliance, Component, Finding, Line, NATIONAL_PREFIX, NationalCourse, Severity, Standard,
    credits_text,
};

/// The national catalogue of general-education courses, by code.
#[derive(Debug, Clone, Default)]
pub struct NationalIndex {
    by_code: HashMap<String, NationalCourse>,
}

impl NationalIndex {
    pub fn new(courses: impl IntoIterator<Item = NationalCourse>) -> Self {
        Self { by_code: courses.into_iter().map(|c| (c.code.clone(), c)).collect() }
    }
    pub fn get(&self, code: &str) -> Option<&NationalCourse> {
        self.by_code.get(code)
    }
    pub fn len(&self) -> usize {
        self.by_code.len()
    }
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

/// The lines a plan counts: every line, but only the first line of each choice group of a
/// semester (a student takes one alternative).
pub fn counted(lines: &[Line]) -> impl Iterator<Item = &Line> {
    let mut seen: BTreeSet<(i32, &str)> = BTreeSet::new();
    lines.iter().filter(move |l| !l.is_alternative() || seen.insert((l.semester, l.choice_group.as_str())))
}

struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, rule: &str, severity: Severity, lines: Vec<u32>, args: &[(&str, String)], message: String) {
        self.0.push(Finding {
            rule: rule.to_owned(),
            severity,
            lines,
            args: args.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            message,
        });
    }
    fn error(&mut self, rule: &str, lines: Vec<u32>, args: &[(&str, String)], message: String) {
        self.add(rule, Severity::Error, lines, args, message);
    }
    fn warning(&mut self, rule: &str, lines: Vec<u32>, args: &[(&str, String)], message: String) {
        self.add(rule, Severity::Warning, lines, args, message);
    }
}

fn c(t: i32) -> String {
    credits_text(t)
}

/// One decimal, for hours a week and shares.
fn one_decimal(num: i64, den: i64) -> String {
    if den == 0 {
        return "0".into();
    }
    let tenths = (num * 10 + den / 2) / den;
    if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

/// Checks `lines` against `standard` (the one in force for the intake, `None` when there
/// is none) and the national catalogue.
pub fn check(standard: Option<&Standard>, national: &NationalIndex, lines: &[Line], now_ms: i64) -> Compliance {
    let mut f = Findings(Vec::new());
    let total: i32 = counted(lines).map(|l| l.credits_tenths).sum();
    if lines.is_empty() {
        f.error("empty", vec![], &[], "The plan has no courses yet.".into());
    }
    match standard {
        Some(s) => check_against(s, lines, total, &mut f),
        None => f.error(
            "no_standard",
            vec![],
            &[],
            "No state standard of this specialty and level is in force for this intake year.".into(),
        ),
    }
    check_choice_groups(lines, &mut f);
    check_prerequisites(lines, &mut f);
    check_national(national, lines, &mut f);
    let errors = f.0.iter().filter(|x| x.severity == Severity::Error).count() as u32;
    let warnings = f.0.len() as u32 - errors;
    Compliance {
        standard_id: standard.map(|s| s.id.clone()),
        findings: f.0,
        errors,
        warnings,
        total_tenths: total,
        checked_at_ms: now_ms,
    }
}

fn check_against(s: &Standard, lines: &[Line], total: i32, f: &mut Findings) {
    // Total credits.
    if total != s.total_tenths {
        f.error(
            "total_credits",
            vec![],
            &[("actual", c(total)), ("required", c(s.total_tenths))],
            format!("The plan has {} credits; the standard requires {}.", c(total), c(s.total_tenths)),
        );
    }

    // Blocks: known, and within their limits.
    let mut per_block: BTreeMap<&str, i32> = BTreeMap::new();
    let mut unknown: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for l in counted(lines) {
        if s.block(&l.block).is_some() {
            *per_block.entry(l.block.as_str()).or_default() += l.credits_tenths;
        }
    }
    for l in lines {
        if s.block(&l.block).is_none() {
            unknown.entry(l.block.as_str()).or_default().push(l.line_no);
        }
    }
    for (block, at) in unknown {
        f.error(
            "block_unknown",
            at,
            &[("block", block.to_owned())],
            format!("Block {block} is not a block of the standard."),
        );
    }
    for b in &s.blocks {
        let actual = per_block.get(b.code.as_str()).copied().unwrap_or(0);
        let at: Vec<u32> = lines.iter().filter(|l| l.block == b.code).map(|l| l.line_no).collect();
        let args =
            [("block", b.code.clone()), ("actual", c(actual)), ("min", c(b.min_tenths)), ("max", c(b.max_tenths))];
        if actual < b.min_tenths {
            f.error(
                "block_min",
                at,
                &args,
                format!(
                    "Block {} has {} credits; the standard requires at least {}.",
                    b.code,
                    c(actual),
                    c(b.min_tenths)
                ),
            );
        } else if actual > b.max_tenths {
            f.error(
                "block_max",
                at,
                &args,
                format!("Block {} has {} credits; the standard allows at most {}.", b.code, c(actual), c(b.max_tenths)),
            );
        }
    }

    // Mandatory courses: present, enough credits, in their block, in the state component.
    for mc in &s.courses {
        let own: Vec<&Line> = lines.iter().filter(|l| l.code == mc.code && !l.is_alternative()).collect();
        let alternatives: Vec<u32> =
            lines.iter().filter(|l| l.code == mc.code && l.is_alternative()).map(|l| l.line_no).collect();
        if own.is_empty() {
            if alternatives.is_empty() {
                f.error(
                    "mandatory_missing",
                    vec![],
                    &[("code", mc.code.clone()), ("min", c(mc.min_tenths)), ("block", mc.block.clone())],
                    format!(
                        "Mandatory course {} ({} credits or more, block {}) is missing.",
                        mc.code,
                        c(mc.min_tenths),
                        mc.block
                    ),
                );
            } else {
                f.error(
                    "mandatory_elective",
                    alternatives,
                    &[("code", mc.code.clone())],
                    format!("Mandatory course {} is offered only as an elective alternative.", mc.code),
                );
            }
            continue;
        }
        let at: Vec<u32> = own.iter().map(|l| l.line_no).collect();
        let credits: i32 = own.iter().map(|l| l.credits_tenths).sum();
        if credits < mc.min_tenths {
            f.error(
                "mandatory_credits",
                at.clone(),
                &[("code", mc.code.clone()), ("actual", c(credits)), ("min", c(mc.min_tenths))],
                format!(
                    "Mandatory course {} has {} credits; the standard requires at least {}.",
                    mc.code,
                    c(credits),
                    c(mc.min_tenths)
                ),
            );
        }
        let misplaced: Vec<u32> = own.iter().filter(|l| l.block != mc.block).map(|l| l.line_no).collect();
        if !misplaced.is_empty() {
            f.error(
                "mandatory_block",
                misplaced,
                &[("code", mc.code.clone()), ("block", mc.block.clone())],
                format!("Mandatory course {} belongs in block {}.", mc.code, mc.block),
            );
        }
        let institutional: Vec<u32> =
            own.iter().filter(|l| l.component != Component::State).map(|l| l.line_no).collect();
        if !institutional.is_empty() {
            f.warning(
                "mandatory_component",
                institutional,
                &[("code", mc.code.clone())],
                format!("Mandatory course {} is part of the state component; mark it so.", mc.code),
            );
        }
    }

    // Semesters: within the standard's length; load per semester and per week.
    let out_of_range: Vec<u32> =
        lines.iter().filter(|l| l.semester < 1 || l.semester > s.semesters).map(|l| l.line_no).collect();
    if !out_of_range.is_empty() {
        f.error(
            "semester_range",
            out_of_range,
            &[("semesters", s.semesters.to_string())],
            format!("The standard has {} semesters; these lines are outside them.", s.semesters),
        );
    }
    let nominal = s.total_tenths / s.semesters.max(1);
    for sem in 1..=s.semesters {
        let in_sem: Vec<&Line> = counted(lines).filter(|l| l.semester == sem).collect();
        let at: Vec<u32> = lines.iter().filter(|l| l.semester == sem).map(|l| l.line_no).collect();
        if in_sem.is_empty() {
            if !lines.is_empty() {
                f.warning(
                    "semester_empty",
                    vec![],
                    &[("semester", sem.to_string())],
                    format!("Semester {sem} has no courses."),
                );
            }
            continue;
        }
        let credits: i32 = in_sem.iter().map(|l| l.credits_tenths).sum();
        let hours: i64 = in_sem.iter().filter(|l| l.credits_tenths > 0).map(|l| i64::from(l.hours())).sum();
        let weeks = i64::from(s.weeks_per_semester.max(1));
        if hours > i64::from(s.max_weekly_hours) * weeks {
            f.error(
                "weekly_load",
                at.clone(),
                &[
                    ("semester", sem.to_string()),
                    ("hours", hours.to_string()),
                    ("weeks", weeks.to_string()),
                    ("weekly", one_decimal(hours, weeks)),
                    ("max", s.max_weekly_hours.to_string()),
                ],
                format!(
                    "Semester {sem}: {hours} hours over {weeks} weeks is {} hours a week; the standard allows {}.",
                    one_decimal(hours, weeks),
                    s.max_weekly_hours
                ),
            );
        }
        if (credits - nominal).abs() * 10 > nominal {
            f.warning(
                "semester_credits",
                at,
                &[("semester", sem.to_string()), ("actual", c(credits)), ("nominal", c(nominal))],
                format!("Semester {sem} has {} credits; a semester is normally {}.", c(credits), c(nominal)),
            );
        }
    }

    // Hours agree with credits, line by line.
    for l in lines.iter().filter(|l| l.credits_tenths > 0) {
        let expected10 = l.credits_tenths * s.hours_per_credit;
        if l.hours() * 10 != expected10 {
            f.error(
                "hours_credits",
                vec![l.line_no],
                &[
                    ("code", l.code.clone()),
                    ("hours", l.hours().to_string()),
                    ("expected", one_decimal(i64::from(expected10), 10)),
                    ("credits", c(l.credits_tenths)),
                    ("per_credit", s.hours_per_credit.to_string()),
                ],
                format!(
                    "{}: {} hours, but {} credits of {} hours are {} hours.",
                    l.code,
                    l.hours(),
                    c(l.credits_tenths),
                    s.hours_per_credit,
                    one_decimal(i64::from(expected10), 10)
                ),
            );
        }
    }

    // The state component's share.
    let mandatory: BTreeSet<&str> = s.courses.iter().map(|c| c.code.as_str()).collect();
    let state: i32 = counted(lines)
        .filter(|l| l.component == Component::State || (mandatory.contains(l.code.as_str()) && !l.is_alternative()))
        .map(|l| l.credits_tenths)
        .sum();
    if total > 0 && i64::from(state) * 100 < i64::from(s.state_component_percent) * i64::from(total) {
        f.error(
            "state_share",
            vec![],
            &[
                ("state", c(state)),
                ("total", c(total)),
                ("share", one_decimal(i64::from(state) * 100, i64::from(total))),
                ("required", s.state_component_percent.to_string()),
            ],
            format!(
                "The state component has {} of {} credits ({} %); the standard requires at least {} %.",
                c(state),
                c(total),
                one_decimal(i64::from(state) * 100, i64::from(total)),
                s.state_component_percent
            ),
        );
    }

    // The final state attestation: in its block, in the last semester.
    for l in lines.iter().filter(|l| matches!(l.assessment, Assessment::StateExam | Assessment::Thesis)) {
        let kind = s.block(&l.block).map(|b| b.kind);
        if kind.is_some_and(|k| k != BlockKind::FinalAttestation) {
            f.warning(
                "attestation_block",
                vec![l.line_no],
                &[("code", l.code.clone()), ("assessment", l.assessment.as_str().into())],
                format!("{}: a state exam or thesis belongs in the final state attestation.", l.code),
            );
        }
        if l.semester != s.semesters {
            f.warning(
                "attestation_last",
                vec![l.line_no],
                &[("code", l.code.clone()), ("semester", l.semester.to_string()), ("last", s.semesters.to_string())],
                format!("{}: the final state attestation is in the last semester ({}).", l.code, s.semesters),
            );
        }
    }
}

fn check_choice_groups(lines: &[Line], f: &mut Findings) {
    let mut groups: BTreeMap<(i32, &str), Vec<&Line>> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.is_alternative()) {
        groups.entry((l.semester, l.choice_group.as_str())).or_default().push(l);
    }
    for ((sem, group), ls) in groups {
        let at: Vec<u32> = ls.iter().map(|l| l.line_no).collect();
        let args = [("group", group.to_owned()), ("semester", sem.to_string())];
        if ls.len() == 1 {
            f.warning(
                "choice_single",
                at,
                &args,
                format!("Choice group {group} of semester {sem} has only one course: there is nothing to choose."),
            );
            continue;
        }
        let first = ls[0];
        if ls
            .iter()
            .any(|l| l.credits_tenths != first.credits_tenths || l.block != first.block || l.hours() != first.hours())
        {
            f.error(
                "choice_mismatch",
                at,
                &args,
                format!(
                    "The alternatives of choice group {group} (semester {sem}) must have the same credits, hours and block."
                ),
            );
        }
    }
}

fn check_prerequisites(lines: &[Line], f: &mut Findings) {
    let mut first: HashMap<&str, i32> = HashMap::new();
    for l in lines {
        let e = first.entry(l.code.as_str()).or_insert(l.semester);
        *e = (*e).min(l.semester);
    }
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for l in lines {
        for p in &l.prerequisites {
            match first.get(p.as_str()) {
                None => f.error(
                    "prerequisite_unknown",
                    vec![l.line_no],
                    &[("code", l.code.clone()), ("prerequisite", p.clone())],
                    format!("{}: prerequisite {} is not in the plan.", l.code, p),
                ),
                Some(&ps) => {
                    edges.entry(l.code.as_str()).or_default().insert(p.as_str());
                    if ps >= l.semester {
                        f.error(
                            "prerequisite_order",
                            vec![l.line_no],
                            &[
                                ("code", l.code.clone()),
                                ("prerequisite", p.clone()),
                                ("semester", l.semester.to_string()),
                                ("prerequisite_semester", ps.to_string()),
                            ],
                            format!(
                                "{} (semester {}) requires {}, which starts only in semester {}.",
                                l.code, l.semester, p, ps
                            ),
                        );
                    }
                }
            }
        }
    }
    for cycle in cycles(&edges) {
        let in_cycle: BTreeSet<&str> = cycle.iter().copied().collect();
        let at: Vec<u32> = lines
            .iter()
            .filter(|l| {
                in_cycle.contains(l.code.as_str()) && l.prerequisites.iter().any(|p| in_cycle.contains(p.as_str()))
            })
            .map(|l| l.line_no)
            .collect();
        let mut path: Vec<&str> = cycle.clone();
        path.push(cycle[0]);
        let text = path.join(" → ");
        f.error(
            "prerequisite_cycle",
            at,
            &[("cycle", text.clone())],
            format!("Prerequisites go round in a circle: {text}."),
        );
    }
}

/// Every elementary cycle's node set once, as found by a depth-first search: each cycle
/// starts at its smallest code, and cycles with the same nodes are reported once.
fn cycles<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit<'a>(
        n: &'a str,
        edges: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
        found: &mut BTreeSet<Vec<&'a str>>,
    ) {
        marks.insert(n, Mark::Open);
        stack.push(n);
        for &m in edges.get(n).into_iter().flatten() {
            match marks.get(m).copied().unwrap_or(Mark::New) {
                Mark::New => visit(m, edges, marks, stack, found),
                Mark::Open => {
                    let start = stack.iter().position(|x| *x == m).expect("open nodes are on the stack");
                    let mut cyc: Vec<&str> = stack[start..].to_vec();
                    let min = cyc.iter().enumerate().min_by_key(|(_, x)| **x).map(|(i, _)| i).unwrap_or(0);
                    cyc.rotate_left(min);
                    found.insert(cyc);
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(n, Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut found = BTreeSet::new();
    for &n in edges.keys() {
        if marks.get(n).copied().unwrap_or(Mark::New) == Mark::New {
            visit(n, edges, &mut marks, &mut Vec::new(), &mut found);
        }
    }
    found.into_iter().collect()
}

fn check_national(national: &NationalIndex, lines: &[Line], f: &mut Findings) {
    let mut per_code: BTreeMap<&str, (i32, Vec<u32>)> = BTreeMap::new();
    let mut unknown: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.code.starts_with(NATIONAL_PREFIX)) {
        if national.get(&l.code).is_none() {
            unknown.entry(l.code.as_str()).or_default().push(l.line_no);
        }
    }
    for l in counted(lines).filter(|l| l.code.starts_with(NATIONAL_PREFIX) && !l.is_alternative()) {
        let e = per_code.entry(l.code.as_str()).or_default();
        e.0 += l.credits_tenths;
        e.1.push(l.line_no);
    }
    for (code, at) in unknown {
        f.error(
            "national_unknown",
            at,
            &[("code", code.to_owned())],
            format!("{code} is not in the national catalogue of general-education courses (codes GE- are reserved)."),
        );
    }
    for (code, (credits, at)) in per_code {
        if let Some(rec) = national.get(code).and_then(|n| n.recommended_tenths)
            && credits != rec
        {
            f.warning(
                "national_credits",
                at,
                &[("code", code.to_owned()), ("actual", c(credits)), ("recommended", c(rec))],
                format!(
                    "{code} has {} credits; the national catalogue recommends {}, so that it counts the same everywhere.",
                    c(credits),
                    c(rec)
                ),
            );
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{Level, Localized, StandardBlock, StandardCourse};

    pub(crate) fn standard() -> Standard {
        let block = |code: &str, kind, min: i32, max: i32| StandardBlock {
            code: code.into(),
            kind,
            name: Localized::new(code, code, code),
            min_tenths: min * 10,
            max_tenths: max * 10,
        };
        Standard {
            id: "std-1".into(),
            specialty_code: "530500".into(),
            level: Level::Bachelor,
            valid_from: "2021-09-01".into(),
            document_no: "ГОС-2021/530500-Б".into(),
            title: Localized::new("Юриспруденция", "Юриспруденция", "Law"),
            total_tenths: 600,
            hours_per_credit: 30,
            semesters: 2,
            weeks_per_semester: 20,
            max_weekly_hours: 45,
            state_component_percent: 10,
            blocks: vec![
                block("GE", BlockKind::General, 8, 20),
                block("PROF", BlockKind::Professional, 30, 45),
                block("PE", BlockKind::Physical, 0, 0),
                block("FSA", BlockKind::FinalAttestation, 4, 8),
            ],
            courses: vec![
                StandardCourse {
                    code: "GE-MANAS".into(),
                    name: Localized::default(),
                    block: "GE".into(),
                    min_tenths: 20,
                },
                StandardCourse {
                    code: "LAW-TSL".into(),
                    name: Localized::new(
                        "Мамлекет жана укук теориясы",
                        "Теория государства и права",
                        "Theory of State and Law",
                    ),
                    block: "PROF".into(),
                    min_tenths: 60,
                },
            ],
            version: 1,
            in_use: false,
            updated_at_ms: 0,
            updated_by: "test".into(),
        }
    }

    pub(crate) fn national() -> NationalIndex {
        NationalIndex::new([
            NationalCourse {
                code: "GE-MANAS".into(),
                name: Localized::new("Манас таануу", "Манасоведение", "Manas Studies"),
                recommended_tenths: Some(20),
                mandatory: true,
                note: String::new(),
                version: 1,
            },
            NationalCourse {
                code: "GE-PE".into(),
                name: Localized::new("Дене тарбия", "Физическая культура", "Physical Education"),
                recommended_tenths: Some(0),
                mandatory: true,
                note: String::new(),
                version: 1,
            },
        ])
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line(
        no: u32,
        sem: i32,
        code: &str,
        block: &str,
        credits: i32,
        assessment: Assessment,
        prereq: &[&str],
        component: Component,
        group: &str,
    ) -> Line {
        let hours = credits * 30;
        Line {
            line_no: no,
            semester: sem,
            code: code.into(),
            name: Localized::new(code, code, code),
            block: block.into(),
            credits_tenths: credits * 10,
            lectures: hours / 5,
            practicals: hours / 5,
            labs: 0,
            independent: hours - 2 * (hours / 5),
            assessment,
            prerequisites: prereq.iter().map(|s| (*s).to_owned()).collect(),
            component,
            choice_group: group.into(),
        }
    }

    /// A two-semester plan of 60 credits that keeps every rule of [`standard`].
    pub(crate) fn good_lines() -> Vec<Line> {
        use Assessment::*;
        use Component::*;
        let mut pe = line(7, 1, "GE-PE", "PE", 0, CreditTest, &[], Institution, "");
        pe.practicals = 36;
        pe.lectures = 0;
        pe.independent = 0;
        vec![
            line(1, 1, "GE-MANAS", "GE", 2, Exam, &[], State, ""),
            line(2, 1, "HIST", "GE", 8, Exam, &[], Institution, ""),
            line(3, 1, "LAW-TSL", "PROF", 6, Exam, &[], State, ""),
            line(4, 1, "LAW-CON", "PROF", 8, Exam, &[], Institution, ""),
            line(5, 1, "LAW-E1", "PROF", 6, CreditTest, &[], Institution, "E1"),
            line(6, 1, "LAW-E2", "PROF", 6, CreditTest, &[], Institution, "E1"),
            pe,
            line(8, 2, "LAW-CIV", "PROF", 12, Exam, &["LAW-TSL"], Institution, ""),
            line(9, 2, "LAW-CRIM", "PROF", 8, Coursework, &["LAW-TSL"], Institution, ""),
            line(10, 2, "GE-LOGIC", "GE", 4, Exam, &[], Institution, ""),
            line(11, 2, "FSA-EXAM", "FSA", 6, StateExam, &["LAW-TSL"], Institution, ""),
        ]
        .into_iter()
        .map(|mut l| {
            // GE-LOGIC is not national in this test; rename it to an own code.
            if l.code == "GE-LOGIC" {
                l.code = "LOGIC".into();
            }
            l
        })
        .collect()
    }

    fn rules(c: &Compliance) -> Vec<(&str, Severity, Vec<u32>)> {
        c.findings.iter().map(|f| (f.rule.as_str(), f.severity, f.lines.clone())).collect()
    }

    #[test]
    fn a_plan_that_keeps_every_rule_has_no_findings() {
        let c = check(Some(&standard()), &national(), &good_lines(), 7);
        assert_eq!(rules(&c), vec![], "{:#?}", c.findings);
        assert_eq!((c.errors, c.warnings, c.total_tenths, c.standard_id.as_deref()), (0, 0, 600, Some("std-1")));
        assert!(c.is_compliant());
    }

    #[test]
    fn every_rule_explains_itself_with_its_numbers() {
        use Assessment::*;
        use Component::*;
        let mut lines = good_lines();
        lines.retain(|l| l.code != "GE-MANAS"); // mandatory missing
        lines[1].credits_tenths = 40; // LAW-TSL 4 of 6 credits; hours no longer agree; state share too low
        lines.push(line(20, 3, "LAW-X", "NOPE", 2, Exam, &["LAW-Y"], Institution, ""));
        lines.push(line(21, 2, "LAW-Y", "PROF", 0, Exam, &["LAW-X"], Institution, "")); // cycle X <-> Y, Y before X
        let c = check(Some(&standard()), &national(), &lines, 0);
        let got = rules(&c);
        let names: Vec<&str> = got.iter().map(|r| r.0).collect();
        assert_eq!(
            names,
            vec![
                "total_credits",
                "block_unknown",
                "mandatory_missing",
                "mandatory_credits",
                "semester_range",
                "semester_credits",
                "hours_credits",
                "state_share",
                "prerequisite_order",
                "prerequisite_cycle",
            ],
            "{:#?}",
            c.findings
        );
        let f = |rule: &str| c.findings.iter().find(|f| f.rule == rule).unwrap();
        // Semester 1: 8 + 4 + 8 + 6 (E1 once) = 26; semester 2: 12 + 8 + 4 + 6 + 0; X 2.
        assert_eq!(f("total_credits").args["actual"], "58");
        assert_eq!(f("total_credits").args["required"], "60");
        assert_eq!(f("block_unknown").lines, vec![20]);
        assert_eq!(f("mandatory_missing").args["code"], "GE-MANAS");
        assert_eq!(
            (f("mandatory_credits").args["actual"].as_str(), f("mandatory_credits").args["min"].as_str()),
            ("4", "6")
        );
        assert_eq!(f("hours_credits").lines, vec![3]);
        assert_eq!(f("hours_credits").args["expected"], "120");
        assert_eq!(f("semester_range").lines, vec![20]);
        assert_eq!(f("prerequisite_order").args["prerequisite"], "LAW-X");
        assert_eq!(f("prerequisite_cycle").args["cycle"], "LAW-X → LAW-Y → LAW-X");
        assert_eq!(f("semester_credits").args["semester"], "1");
        assert!(c.errors >= 9 && !c.is_compliant());
        let _ = (Exam, State);
    }

    #[test]
    fn loads_shares_attestation_choices_and_national_courses() {
        use Assessment::*;
        use Component::*;
        let mut lines = good_lines();
        // Semester 2 overloaded.
        lines.push(line(30, 2, "LAW-HEAVY", "PROF", 10, Exam, &[], Institution, ""));
        // An alternative with other credits; and a lone alternative.
        lines[5].credits_tenths = 40;
        lines[5].independent -= 60;
        lines.push(line(31, 2, "LAW-LONE", "PROF", 2, Exam, &[], Institution, "E9"));
        // Thesis outside its block and semester; Manas with other credits than recommended.
        lines.push(line(32, 1, "THESIS", "PROF", 2, Thesis, &[], Institution, ""));
        lines[0].credits_tenths = 30;
        lines[0].independent += 30;
        let mut s = standard();
        s.state_component_percent = 50;
        let c = check(Some(&s), &national(), &lines, 0);
        let f = |rule: &str| {
            c.findings.iter().find(|f| f.rule == rule).unwrap_or_else(|| panic!("{rule}: {:#?}", c.findings))
        };
        // Semester 1: 30 + 1 (Manas) + 2 (thesis) = 33 credits = 990 hours over 20 weeks;
        // semester 2: 12 + 8 + 4 + 6 + 10 + 2 = 42 credits = 1260 hours.
        let weekly: Vec<(&str, &str)> = c
            .findings
            .iter()
            .filter(|f| f.rule == "weekly_load")
            .map(|f| (f.args["semester"].as_str(), f.args["weekly"].as_str()))
            .collect();
        assert_eq!(weekly, vec![("1", "49.5"), ("2", "63")]);
        assert_eq!(f("state_share").args["required"], "50");
        assert_eq!(f("state_share").args["state"], "9");
        assert_eq!(f("choice_mismatch").lines, vec![5, 6]);
        assert_eq!(f("choice_single").severity, Severity::Warning);
        assert_eq!(f("attestation_block").lines, vec![32]);
        assert_eq!(f("attestation_last").args["last"], "2");
        assert_eq!(f("national_credits").args["recommended"], "2");
        assert_eq!(f("national_credits").severity, Severity::Warning);
        let _ = (Exam, State);
    }

    #[test]
    fn mandatory_courses_as_electives_or_in_the_wrong_block_are_errors() {
        let mut lines = good_lines();
        lines[2].choice_group = "E7".into(); // LAW-TSL as an alternative
        lines[0].block = "PROF".into(); // Manas outside GE
        lines[0].component = Component::Institution;
        let c = check(Some(&standard()), &national(), &lines, 0);
        let rules: Vec<&str> = c.findings.iter().map(|f| f.rule.as_str()).collect();
        assert!(rules.contains(&"mandatory_elective"), "{rules:?}");
        assert!(rules.contains(&"mandatory_block"), "{rules:?}");
        assert!(rules.contains(&"mandatory_component"), "{rules:?}");
    }

    #[test]
    fn without_a_standard_or_lines_the_plan_cannot_comply() {
        let c = check(None, &national(), &[], 0);
        assert_eq!(c.findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), vec!["empty", "no_standard"]);
        let mut lines = good_lines();
        lines.push(Line { code: "GE-NOPE".into(), line_no: 40, ..lines[0].clone() });
        let c = check(None, &national(), &lines, 0);
        assert!(c.findings.iter().any(|f| f.rule == "national_unknown" && f.lines == vec![40]));
    }

    #[test]
    fn cycles_are_found_once_each() {
        let mut e: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        e.entry("A").or_default().insert("B");
        e.entry("B").or_default().insert("C");
        e.entry("C").or_default().insert("A");
        e.entry("D").or_default().insert("D");
        e.entry("E").or_default().insert("A");
        assert_eq!(cycles(&e), vec![vec!["A", "B", "C"], vec!["D"]]);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// For any plan, the reported total is the sum of the counted credits, the
            /// counts agree with the findings, and the check is deterministic.
            #[test]
            fn totals_and_counts_hold_for_any_plan(
                raw in proptest::collection::vec((1i32..4, 0usize..6, 0i32..12, 0usize..3, proptest::bool::ANY, 0usize..3), 0..30)
            ) {
                let codes = ["A", "B", "C", "D", "GE-MANAS", "LAW-TSL"];
                let blocks = ["GE", "PROF", "FSA"];
                let mut seen = std::collections::HashSet::new();
                let mut lines = Vec::new();
                for (i, (sem, code, credits, block, prereq, group)) in raw.into_iter().enumerate() {
                    if !seen.insert((sem, code)) { continue; }
                    let mut l = line(i as u32 + 1, sem, codes[code], blocks[block], credits, Assessment::Exam,
                        if prereq { &["A"] } else { &[] }, Component::Institution, ["", "", "G1"][group]);
                    if prereq && codes[code] == "A" { l.prerequisites.clear(); }
                    lines.push(l);
                }
                let c1 = check(Some(&standard()), &national(), &lines, 1);
                let c2 = check(Some(&standard()), &national(), &lines, 1);
                prop_assert_eq!(&c1, &c2);
                let expected: i32 = counted(&lines).map(|l| l.credits_tenths).sum();
                prop_assert_eq!(c1.total_tenths, expected);
                prop_assert!(c1.total_tenths <= lines.iter().map(|l| l.credits_tenths).sum::<i32>());
                let errors = c1.findings.iter().filter(|f| f.severity == Severity::Error).count() as u32;
                prop_assert_eq!(c1.errors, errors);
                prop_assert_eq!(c1.warnings as usize, c1.findings.len() - errors as usize);
                for f in &c1.findings {
                    for n in &f.lines {
                        prop_assert!(lines.iter().any(|l| l.line_no == *n), "finding {} points at no line", f.rule);
                    }
                }
                prop_assert_eq!(c1.is_compliant(), c1.errors == 0);
            }
        }
    }
}
