//! Reference data (the national catalogue of general-education courses and the state
//! standards, always present) and the demo curricula (one realistic plan per standard
//! profile, varied per institution; see `seed/README.md`). Ids of seeded records are
//! UUIDv5 of their natural keys.

use std::collections::{BTreeMap, HashMap};

use edu24_shared::db::Db;
use edu24_shared::names::stable_id;
use edu24_shared::time::now_ms;
use serde::Deserialize;

use crate::CurriculumService;
use crate::domain::*;
use crate::store;

const NATIONAL: &str = include_str!("../seed/national_courses.csv");
const STANDARDS: &str = include_str!("../seed/standards.csv");
const PROFILES: &str = include_str!("../seed/profiles.csv");
const BLOCKS: &str = include_str!("../seed/standard_blocks.csv");
const COURSES: &str = include_str!("../seed/standard_courses.csv");
const TEMPLATES: &str = include_str!("../seed/templates.csv");

pub const SEED_ACTOR: &str = "system:seed";

/// Intake years of the demo curricula: every year a student of a 4-year programme can
/// be in now (December 2026).
pub const DEMO_INTAKES: [i32; 4] = [2023, 2024, 2025, 2026];
/// The demo's graduating class (KNU Law, Kyrgyz): studies finished in June 2026, diplomas
/// not yet issued.
pub const GRADUATING_INTAKE: i32 = 2022;
/// The intake being prepared: drafts and submissions of the demo.
pub const NEXT_INTAKE: i32 = 2027;

fn parse_csv<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> anyhow::Result<Vec<T>> {
    let mut rows = Vec::new();
    for (i, r) in csv::Reader::from_reader(text.as_bytes()).deserialize().enumerate() {
        rows.push(r.map_err(|e| anyhow::anyhow!("{name} row {}: {e}", i + 2))?);
    }
    Ok(rows)
}

fn tenths(name: &str, v: &str) -> anyhow::Result<i32> {
    credits_parse(v).ok_or_else(|| anyhow::anyhow!("{name}: {v:?} is not a number of credits"))
}

#[derive(Deserialize)]
struct NationalRow {
    code: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    typical_credits: String,
    mandatory: String,
    source_note: String,
}

#[derive(Deserialize)]
struct StandardRow {
    specialty_code: String,
    level: String,
    profile: String,
    valid_from: String,
    document_no: String,
    total_credits: String,
    semesters: i32,
}

#[derive(Deserialize)]
struct ProfileRow {
    profile: String,
    hours_per_credit: i32,
    weeks_per_semester: i32,
    max_weekly_hours: i32,
    state_component_percent: i32,
}

#[derive(Deserialize)]
struct BlockRow {
    profile: String,
    block: String,
    kind: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    min_credits: String,
    max_credits: String,
}

#[derive(Deserialize)]
struct CourseRow {
    profile: String,
    code: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    block: String,
    min_credits: String,
}

#[derive(Deserialize)]
struct TemplateRow {
    profile: String,
    semester: i32,
    code: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    block: String,
    credits: String,
    lectures: i32,
    practicals: i32,
    labs: i32,
    independent: i32,
    assessment: String,
    prerequisites: String,
    component: String,
    choice_group: String,
}

/// The national catalogue as shipped.
pub fn national_courses() -> anyhow::Result<Vec<NationalCourse>> {
    parse_csv::<NationalRow>("national_courses.csv", NATIONAL)?
        .into_iter()
        .map(|r| {
            let c = NationalCourse {
                recommended_tenths: if r.typical_credits.trim().is_empty() {
                    None
                } else {
                    Some(tenths(&r.code, &r.typical_credits)?)
                },
                mandatory: r.mandatory == "yes",
                code: r.code,
                name: Localized { ky: r.name_ky, ru: r.name_ru, en: r.name_en },
                note: r.source_note,
                version: 1,
            };
            c.validate().map_err(|e| anyhow::anyhow!("national course {}: {}", c.code, e.message))?;
            Ok(c)
        })
        .collect()
}

/// The shipped standards, with the profile each belongs to.
pub fn standards() -> anyhow::Result<Vec<(String, Standard)>> {
    let profiles: HashMap<String, ProfileRow> =
        parse_csv::<ProfileRow>("profiles.csv", PROFILES)?.into_iter().map(|p| (p.profile.clone(), p)).collect();
    let mut blocks: HashMap<String, Vec<StandardBlock>> = HashMap::new();
    for b in parse_csv::<BlockRow>("standard_blocks.csv", BLOCKS)? {
        let kind = BlockKind::parse(&b.kind).ok_or_else(|| anyhow::anyhow!("block {}: kind {:?}", b.block, b.kind))?;
        blocks.entry(b.profile.clone()).or_default().push(StandardBlock {
            min_tenths: tenths(&b.block, &b.min_credits)?,
            max_tenths: tenths(&b.block, &b.max_credits)?,
            code: b.block,
            kind,
            name: Localized { ky: b.name_ky, ru: b.name_ru, en: b.name_en },
        });
    }
    let mut courses: HashMap<String, Vec<StandardCourse>> = HashMap::new();
    for c in parse_csv::<CourseRow>("standard_courses.csv", COURSES)? {
        courses.entry(c.profile.clone()).or_default().push(StandardCourse {
            min_tenths: tenths(&c.code, &c.min_credits)?,
            code: c.code,
            name: Localized { ky: c.name_ky, ru: c.name_ru, en: c.name_en },
            block: c.block,
        });
    }
    let mut out = Vec::new();
    for r in parse_csv::<StandardRow>("standards.csv", STANDARDS)? {
        let level = Level::parse(&r.level)
            .ok_or_else(|| anyhow::anyhow!("standard {}: level {}", r.specialty_code, r.level))?;
        let p = profiles
            .get(&r.profile)
            .ok_or_else(|| anyhow::anyhow!("standard {}: no profile {}", r.specialty_code, r.profile))?;
        let level_ru = match level {
            Level::Bachelor => "бакалавр",
            Level::Master => "магистр",
            Level::Specialist => "специалист",
            Level::Phd => "доктор PhD",
        };
        let level_ky = match level {
            Level::Bachelor => "бакалавр",
            Level::Master => "магистр",
            Level::Specialist => "адис",
            Level::Phd => "PhD доктору",
        };
        let s = Standard {
            id: stable_id("standard", &format!("{}:{}:{}", r.specialty_code, level, r.valid_from)),
            title: Localized {
                ky: format!(
                    "Жогорку кесиптик билим берүүнүн мамлекеттик билим берүү стандарты: {} ({level_ky})",
                    r.specialty_code
                ),
                ru: format!(
                    "Государственный образовательный стандарт высшего профессионального образования: {} ({level_ru})",
                    r.specialty_code
                ),
                en: format!(
                    "State educational standard of higher professional education: {} ({level})",
                    r.specialty_code
                ),
            },
            specialty_code: r.specialty_code.clone(),
            level,
            valid_from: r.valid_from,
            document_no: r.document_no,
            total_tenths: tenths(&r.specialty_code, &r.total_credits)?,
            hours_per_credit: p.hours_per_credit,
            semesters: r.semesters,
            weeks_per_semester: p.weeks_per_semester,
            max_weekly_hours: p.max_weekly_hours,
            state_component_percent: p.state_component_percent,
            blocks: blocks.get(&r.profile).cloned().unwrap_or_default(),
            courses: courses.get(&r.profile).cloned().unwrap_or_default(),
            version: 1,
            in_use: false,
            updated_at_ms: 0,
            updated_by: SEED_ACTOR.into(),
        };
        s.validate().map_err(|e| anyhow::anyhow!("standard {} {}: {}", s.specialty_code, s.level, e.message))?;
        out.push((r.profile, s));
    }
    Ok(out)
}

/// The template plan of every profile.
pub fn templates() -> anyhow::Result<BTreeMap<String, Vec<LineInput>>> {
    let mut out: BTreeMap<String, Vec<LineInput>> = BTreeMap::new();
    for r in parse_csv::<TemplateRow>("templates.csv", TEMPLATES)? {
        out.entry(r.profile.clone()).or_default().push(LineInput {
            semester: r.semester,
            credits_tenths: tenths(&r.code, &r.credits)?,
            code: r.code,
            name: Localized { ky: r.name_ky, ru: r.name_ru, en: r.name_en },
            block: r.block,
            lectures: r.lectures,
            practicals: r.practicals,
            labs: r.labs,
            independent: r.independent,
            assessment: r.assessment,
            prerequisites: r.prerequisites.split_whitespace().map(str::to_owned).collect(),
            component: r.component,
            choice_group: r.choice_group,
        });
    }
    Ok(out)
}

/// Loads the national catalogue and the standards when the database has none (first
/// start, any installation).
pub async fn reference_ensure(db: &Db) -> anyhow::Result<()> {
    let national: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM national_course").fetch_one(db.pool()).await?;
    let standards_n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM standard").fetch_one(db.pool()).await?;
    if national > 0 && standards_n > 0 {
        return Ok(());
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if national == 0 {
        for c in national_courses()? {
            store::national_upsert(&mut tx, &c, SEED_ACTOR, now).await?;
        }
    }
    if standards_n == 0 {
        for (_, s) in standards()? {
            store::standard_write(&mut tx, &s, now, SEED_ACTOR).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The template of a profile as an institution shapes it: hours moved between forms of
/// study (lectures, practicals, independent work), and a credit or two moved between two
/// non-mandatory courses of different blocks in one semester. Kept only when the plan
/// still keeps its standard.
pub fn varied(
    template: &[LineInput],
    standard: &Standard,
    national: &NationalIndex,
    institution_code: &str,
) -> Vec<LineInput> {
    let h = fnv(institution_code);
    let mut lines = template.to_vec();
    let shift = ((h % 4) * 4) as i32;
    for l in lines.iter_mut().filter(|l| l.credits_tenths > 0 && l.independent > shift + 10 && l.lectures > 0) {
        if h.is_multiple_of(2) {
            l.independent -= shift;
            l.practicals += shift;
        } else {
            l.independent -= shift / 2;
            l.lectures += shift / 2;
        }
    }
    let mandatory: Vec<&str> = standard.courses.iter().map(|c| c.code.as_str()).collect();
    let movable = |l: &LineInput| {
        l.choice_group.is_empty()
            && !mandatory.contains(&l.code.as_str())
            && l.credits_tenths >= 30
            && !l.code.starts_with(NATIONAL_PREFIX)
            && l.component != "state"
    };
    let credits = ((h >> 8) % 3) as i32 * 10;
    if credits > 0 {
        let sem = 2 + ((h >> 16) % 4) as i32;
        let from = lines.iter().position(|l| l.semester == sem && movable(l));
        let to =
            from.and_then(|f| lines.iter().position(|l| l.semester == sem && movable(l) && l.block != lines[f].block));
        if let (Some(f), Some(t)) = (from, to) {
            let hours = credits * standard.hours_per_credit / 10;
            if lines[f].independent >= hours {
                lines[f].credits_tenths -= credits;
                lines[f].independent -= hours;
                lines[t].credits_tenths += credits;
                lines[t].independent += hours;
            }
        }
    }
    match validate_lines(&lines) {
        Ok(checked) if check(Some(standard), national, &checked, 0).is_compliant() => lines,
        _ => template.to_vec(),
    }
}

/// What the demo seeded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub approved: usize,
    pub superseded: usize,
    pub submitted: usize,
    pub drafts: usize,
}

fn plan(input: &[LineInput]) -> anyhow::Result<Vec<Line>> {
    validate_lines(input).map_err(|e| anyhow::anyhow!("template line {}: {} ({})", e[0].row, e[0].message, e[0].field))
}

/// Seeds the demo curricula, in one transaction, when there is none yet: an approved
/// plan for every programme and intake of [`DEMO_INTAKES`], a second approved version of
/// one, plans in the making for [`NEXT_INTAKE`] (one deliberately breaking its standard),
/// and approval delegated to the special-status universities. The programmes,
/// institutions and classifier entries come from catalogue (the caller reads them from
/// catalogue's API); they are also written to the read models, as catalogue's events
/// would. Returns `None` when curricula existed already.
pub async fn demo_seed(
    svc: &CurriculumService,
    institutions: &[InstitutionRef],
    specialties: &[SpecialtyRef],
    programmes: &[ProgrammeRef],
) -> anyhow::Result<Option<Seeded>> {
    let db = svc.db();
    if store::curriculum_count(db).await? > 0 {
        return Ok(None);
    }
    let rd = svc.refdata();
    let templates = templates()?;
    let profiles: HashMap<(String, Level), String> =
        standards()?.into_iter().map(|(p, s)| ((s.specialty_code.clone(), s.level), p)).collect();
    let codes: HashMap<&str, &str> = institutions.iter().map(|i| (i.id.as_str(), i.code.as_str())).collect();
    let mut seeded = Seeded::default();
    let mut tx = db.begin_write().await?;
    for i in institutions {
        store::institution_ref_apply(&mut tx, i).await?;
    }
    for s in specialties {
        store::specialty_ref_apply(&mut tx, s).await?;
    }
    for p in programmes {
        store::programme_ref_apply(&mut tx, p).await?;
    }
    let key = |p: &ProgrammeRef| {
        format!(
            "{}:{}:{}:{}:{}",
            codes.get(p.institution_id.as_str()).unwrap_or(&"?"),
            p.specialty_code,
            p.level,
            p.form,
            p.language
        )
    };
    for p in programmes {
        let Some(profile) = profiles.get(&(p.specialty_code.clone(), p.level)) else { continue };
        let Some(template) = templates.get(profile) else { continue };
        let inst = codes.get(p.institution_id.as_str()).copied().unwrap_or("");
        for &intake in &DEMO_INTAKES {
            let Some(standard) = rd.in_force(&p.specialty_code, p.level, intake) else { continue };
            let lines = plan(&varied(template, standard, &rd.national, inst))?;
            let id = stable_id("curriculum", &format!("{}:{intake}:1", key(p)));
            let c = svc
                .draft_write(&mut tx, p, intake, lines, SEED_ACTOR, &id)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", key(p), e.message))?;
            anyhow::ensure!(c.is_compliant(), "demo plan {} {intake} breaks its standard: {:?}", key(p), c.findings);
            svc.seed_approve(&mut tx, &id, SEED_ACTOR)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", key(p), e.message))?;
            seeded.approved += 1;
        }
    }
    let find = |inst: &str, spec: &str, lvl: Level, form: &str, lang: &str| {
        programmes.iter().find(|p| {
            codes.get(p.institution_id.as_str()) == Some(&inst)
                && p.specialty_code == spec
                && p.level == lvl
                && p.form == form
                && p.language == lang
        })
    };
    let lines_of = |p: &ProgrammeRef| -> anyhow::Result<(Vec<LineInput>, &Standard)> {
        let profile =
            profiles.get(&(p.specialty_code.clone(), p.level)).ok_or_else(|| anyhow::anyhow!("no profile"))?;
        let standard =
            rd.in_force(&p.specialty_code, p.level, NEXT_INTAKE).ok_or_else(|| anyhow::anyhow!("no standard"))?;
        let inst = codes.get(p.institution_id.as_str()).copied().unwrap_or("");
        Ok((varied(&templates[profile], standard, &rd.national, inst), standard))
    };
    // A second version of KNU's Informatics plan for 2026: one elective more in year 3.
    if let Some(p) = find("knu", "710100", Level::Bachelor, "full_time", "ru") {
        let v1 = stable_id("curriculum", &format!("{}:2026:1", key(p)));
        let mut lines = store::lines_get_tx(&mut tx, &v1).await?;
        if let Some(l) = lines
            .iter_mut()
            .find(|l| l.semester == 5 && l.choice_group.is_empty() && l.lectures > 0 && l.independent > 20)
        {
            l.independent -= 8;
            l.labs += 8;
        }
        let v2 = stable_id("curriculum", &format!("{}:2026:2", key(p)));
        svc.draft_write(&mut tx, p, 2026, lines, SEED_ACTOR, &v2).await.map_err(|e| anyhow::anyhow!(e.message))?;
        svc.seed_approve(&mut tx, &v2, SEED_ACTOR).await.map_err(|e| anyhow::anyhow!(e.message))?;
        seeded.approved += 1;
        seeded.superseded += 1;
    }
    // The graduating class of 2026: KNU Law (ky), intake 2022, whose diplomas the demo
    // registrar issues.
    if let Some(p) = find("knu", "530500", Level::Bachelor, "full_time", "ky") {
        let profile =
            profiles.get(&(p.specialty_code.clone(), p.level)).ok_or_else(|| anyhow::anyhow!("no profile"))?;
        let standard = rd
            .in_force(&p.specialty_code, p.level, GRADUATING_INTAKE)
            .ok_or_else(|| anyhow::anyhow!("no standard for {GRADUATING_INTAKE}"))?;
        let lines = plan(&varied(&templates[profile], standard, &rd.national, "knu"))?;
        let id = stable_id("curriculum", &format!("{}:{GRADUATING_INTAKE}:1", key(p)));
        svc.draft_write(&mut tx, p, GRADUATING_INTAKE, lines, SEED_ACTOR, &id)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {}", key(p), e.message))?;
        svc.seed_approve(&mut tx, &id, SEED_ACTOR).await.map_err(|e| anyhow::anyhow!(e.message))?;
        seeded.approved += 1;
    }
    // Plans for next year's intake.
    // KNU Law (ky) 2027: a draft that breaks its standard on purpose (README shows it).
    if let Some(p) = find("knu", "530500", Level::Bachelor, "full_time", "ky") {
        let (mut lines, _) = lines_of(p)?;
        non_compliant(&mut lines);
        let id = stable_id("curriculum", &format!("{}:{NEXT_INTAKE}:1", key(p)));
        svc.draft_write(&mut tx, p, NEXT_INTAKE, plan(&lines)?, SEED_ACTOR, &id)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        svc.changed_event(&mut tx, &id, SEED_ACTOR).await.map_err(|e| anyhow::anyhow!(e.message))?;
        seeded.drafts += 1;
    }
    // KNU Economics (ky) 2027: submitted, for KNU's admin to approve by delegation.
    // OshSU General Medicine (ky) 2027: submitted, for the ministry to approve.
    for (inst, spec, lvl, lang) in
        [("knu", "580100", Level::Bachelor, "ky"), ("oshsu", "560001", Level::Specialist, "ky")]
    {
        if let Some(p) = find(inst, spec, lvl, "full_time", lang) {
            let (lines, _) = lines_of(p)?;
            let id = stable_id("curriculum", &format!("{}:{NEXT_INTAKE}:1", key(p)));
            let c = svc
                .draft_write(&mut tx, p, NEXT_INTAKE, plan(&lines)?, SEED_ACTOR, &id)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            anyhow::ensure!(c.is_compliant(), "demo submission {inst} {spec} breaks its standard");
            store::status_move(&mut tx, &id, Status::Draft, Status::Submitted, SEED_ACTOR, now_ms()).await?;
            svc.changed_event(&mut tx, &id, SEED_ACTOR).await.map_err(|e| anyhow::anyhow!(e.message))?;
            seeded.submitted += 1;
        }
    }
    // KNU Philology 2027: a compliant draft just started from 2026's plan.
    if let Some(p) = find("knu", "531000", Level::Bachelor, "full_time", "ky") {
        let (lines, _) = lines_of(p)?;
        let id = stable_id("curriculum", &format!("{}:{NEXT_INTAKE}:1", key(p)));
        svc.draft_write(&mut tx, p, NEXT_INTAKE, plan(&lines)?, SEED_ACTOR, &id)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        svc.changed_event(&mut tx, &id, SEED_ACTOR).await.map_err(|e| anyhow::anyhow!(e.message))?;
        seeded.drafts += 1;
    }
    // The special-status universities approve their own curricula.
    for code in ["knu", "oshsu"] {
        if let Some(i) = institutions.iter().find(|i| i.code == code) {
            store::delegation_set(
                &mut tx,
                &i.id,
                code == "knu",
                SEED_ACTOR,
                "Special status (decree of 18 July 2022)",
                now_ms(),
            )
            .await?;
        }
    }
    tx.commit().await?;
    svc.relay().wake();
    svc.refresh().await?;
    Ok(Some(seeded))
}

/// Writes catalogue's facts into the read models, as catalogue's events would (each
/// only when newer than what is kept).
pub async fn refs_apply(
    svc: &CurriculumService,
    institutions: &[InstitutionRef],
    specialties: &[SpecialtyRef],
    programmes: &[ProgrammeRef],
) -> anyhow::Result<()> {
    let mut tx = svc.db().begin_write().await?;
    for i in institutions {
        store::institution_ref_apply(&mut tx, i).await?;
    }
    for s in specialties {
        store::specialty_ref_apply(&mut tx, s).await?;
    }
    for p in programmes {
        store::programme_ref_apply(&mut tx, p).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Breaks a plan the way a hurried draft does: Manas studies left out, a course moved
/// into the third semester without its hours (overloading the semester), hours that do
/// not add up to the credits, and a prerequisite taught later than the course needing it.
pub fn non_compliant(lines: &mut Vec<LineInput>) {
    lines.retain(|l| l.code != "GE-MANAS");
    let in_third: Vec<String> = lines.iter().filter(|l| l.semester == 3).map(|l| l.code.clone()).collect();
    if let Some(l) = lines.iter_mut().find(|l| {
        l.semester == 4
            && l.choice_group.is_empty()
            && l.credits_tenths >= 40
            && !l.code.starts_with(NATIONAL_PREFIX)
            && !in_third.contains(&l.code)
    }) {
        l.semester = 3;
    }
    if let Some(l) = lines.iter_mut().find(|l| l.semester == 2 && l.credits_tenths >= 30 && l.lectures >= 10) {
        l.lectures -= 10;
    }
    let later = lines.iter().find(|l| l.semester == 6 && !l.code.starts_with(NATIONAL_PREFIX)).map(|l| l.code.clone());
    if let (Some(later), Some(l)) =
        (later, lines.iter_mut().find(|l| l.semester == 3 && !l.code.starts_with(NATIONAL_PREFIX)))
        && !l.prerequisites.contains(&later)
    {
        l.prerequisites.push(later);
    }
}

/// Approved curricula for every programme given and every intake of `intakes`, from the
/// profile templates, for benchmarks at national scale (3,000 programmes x 4 intakes).
/// Writes no events (benchmark data, never the demo). Returns how many were written.
pub async fn national_seed(
    svc: &CurriculumService,
    programmes: &[ProgrammeRef],
    intakes: &[i32],
) -> anyhow::Result<usize> {
    let db = svc.db();
    let rd = svc.refdata();
    let templates = templates()?;
    let profiles: HashMap<(String, Level), String> =
        standards()?.into_iter().map(|(p, s)| ((s.specialty_code.clone(), s.level), p)).collect();
    let mut written = 0;
    let now = now_ms();
    for batch in programmes.chunks(100) {
        let mut tx = db.begin_write().await?;
        for p in batch {
            store::programme_ref_apply(&mut tx, p).await?;
            let Some(template) = profiles.get(&(p.specialty_code.clone(), p.level)).and_then(|pr| templates.get(pr))
            else {
                continue;
            };
            for &intake in intakes {
                let Some(standard) = rd.in_force(&p.specialty_code, p.level, intake) else { continue };
                let id = stable_id("curriculum", &format!("national:{}:{intake}:1", p.id));
                if store::summary_get_tx(&mut tx, &id).await?.is_some() {
                    continue;
                }
                let mut lines = plan(&varied(template, standard, &rd.national, &p.institution_id))?;
                // Every 25th plan carries a slip (hours that do not add up) so that a
                // national re-check has findings to report.
                if fnv(&id).is_multiple_of(25)
                    && let Some(l) = lines.iter_mut().find(|l| l.lectures > 2)
                {
                    l.lectures -= 2;
                }
                svc.national_names(&mut lines);
                let version = 1;
                store::curriculum_insert(
                    &mut tx,
                    &store::NewCurriculum {
                        id: &id,
                        programme: p,
                        intake_year: intake,
                        version,
                        actor: SEED_ACTOR,
                        now,
                    },
                )
                .await?;
                store::lines_replace(&mut tx, &id, &lines, SEED_ACTOR).await?;
                let c = check(Some(standard), &rd.national, &lines, now);
                let sha = content_sha256(&lines);
                store::check_record(&mut tx, &id, &c, lines.len(), &sha, SEED_ACTOR, now).await?;
                store::status_move(&mut tx, &id, Status::Draft, Status::Submitted, SEED_ACTOR, now).await?;
                store::approved(&mut tx, &id, &standard.id, &sha, SEED_ACTOR, now).await?;
                written += 1;
            }
        }
        tx.commit().await?;
    }
    svc.refresh().await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_keeps_its_standard() {
        let national = NationalIndex::new(national_courses().unwrap());
        let templates = templates().unwrap();
        let standards = standards().unwrap();
        assert!(standards.len() >= 36, "a standard for every classifier entry");
        for (profile, s) in &standards {
            let t = templates.get(profile).unwrap_or_else(|| panic!("no template for profile {profile}"));
            let lines = validate_lines(t).unwrap_or_else(|e| panic!("{profile}: {e:?}"));
            let c = check(Some(s), &national, &lines, 0);
            assert!(c.findings.is_empty(), "{profile} for {} {}: {:#?}", s.specialty_code, s.level, c.findings);
            assert_eq!(c.total_tenths, s.total_tenths);
            for code in ["knu", "oshsu", "ksma", "auca", "syn_01"] {
                let v = validated(&varied(t, s, &national, code));
                assert!(check(Some(s), &national, &v, 0).is_compliant(), "{profile} varied for {code}");
            }
        }
    }

    fn validated(l: &[LineInput]) -> Vec<Line> {
        validate_lines(l).unwrap()
    }

    #[test]
    fn the_deliberately_broken_draft_breaks_four_rules() {
        let national = NationalIndex::new(national_courses().unwrap());
        let (profile, s) = standards()
            .unwrap()
            .into_iter()
            .find(|(_, s)| s.specialty_code == "530500" && s.level == Level::Bachelor)
            .unwrap();
        let mut lines = templates().unwrap()[&profile].clone();
        non_compliant(&mut lines);
        let c = check(Some(&s), &national, &validated(&lines), 0);
        let rules: Vec<&str> = c.findings.iter().map(|f| f.rule.as_str()).collect();
        for r in ["mandatory_missing", "weekly_load", "hours_credits", "prerequisite_order"] {
            assert!(rules.contains(&r), "{r} not in {rules:?}");
        }
        assert!(!c.is_compliant());
    }
}
