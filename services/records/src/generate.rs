//! The generated student body: persons with valid PINs and Kyrgyz names, enrolments by
//! admission orders (places held from catalogue's licences, so the caps hold), a few
//! movements (leave, return, expulsion, group transfer), teachers, the courses of the
//! approved curricula assigned semester by semester, and the closed sheets of every
//! finished semester with retakes — all consistent with what the application itself
//! would have written: spans, results in force, GPAs, the sealed grade log (one "import"
//! record per historical sheet), and an enrolment event per student for catalogue's
//! counters. Deterministic for a seed and a reference date. One transaction per
//! institution: a killed run leaves whole institutions or none, and a rerun goes on.

use std::collections::{BTreeMap, HashMap, HashSet};

use edu24_catalogue::domain::{HoldRequest, HoldVerdict, Institution, Programme};
use edu24_curriculum::domain::Requirements;
use edu24_proto::common::v1::Envelope;
use edu24_shared::auth::CallCtx;
use edu24_shared::db::{Db, WriteTx};
use edu24_shared::names::{stable_id, stable_id_at};
use prost::Message as _;
use sqlx::Row;

use crate::bulk::{Bulk, Val};
use crate::domain::*;
use crate::gradelog::{GENESIS, GradeSeal, Record};
use crate::grading::*;
use crate::store::name_key;

pub const SEED_ACTOR: &str = "system:seed";

/// A small deterministic generator (SplitMix64): the same seed gives the same country on
/// every machine and every version of the rand crate.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// A generator of its own for `key`, so that one part's draws do not shift another's.
    pub fn fork(&self, key: &str) -> Rng {
        let mut h = self.0;
        for b in key.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        Rng(h)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// Roughly normal (sum of uniforms).
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let s: f64 = (0..6).map(|_| (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64).sum();
        mean + (s - 3.0) * sd * std::f64::consts::SQRT_2
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FAMILY: &[&str] = &[
    "Асанов",
    "Жумабаев",
    "Токтосунов",
    "Осмонов",
    "Касымов",
    "Мамытов",
    "Сыдыков",
    "Абдыкадыров",
    "Бекмуратов",
    "Турдубаев",
    "Усенов",
    "Исаков",
    "Эсенбаев",
    "Шаршеналиев",
    "Кадыров",
    "Садыков",
    "Орозбаев",
    "Акматов",
    "Бейшеналиев",
    "Жапаров",
    "Момунов",
    "Токтогулов",
    "Чыныбаев",
    "Дуйшенбеков",
    "Сатыбалдиев",
    "Калыков",
    "Мырзакматов",
    "Ибраимов",
    "Нурматов",
    "Абдрахманов",
    "Алымкулов",
    "Бакиров",
    "Жээнбеков",
    "Керимбеков",
    "Мамбетов",
    "Сулайманов",
    "Таштанов",
    "Үмөталиев",
    "Эркинбеков",
    "Юсупов",
    "Байсалов",
    "Тагаев",
];
const FEMALE: &[&str] = &[
    "Айпери",
    "Айгерим",
    "Бермет",
    "Гулзат",
    "Жылдыз",
    "Нургүл",
    "Асель",
    "Айжан",
    "Каныкей",
    "Мээрим",
    "Элнура",
    "Акылай",
    "Динара",
    "Чолпон",
    "Салтанат",
    "Айзада",
    "Нурайым",
    "Алтынай",
    "Бегимай",
    "Сезим",
    "Арууке",
    "Толгонай",
];
const MALE: &[&str] = &[
    "Бекзат",
    "Нурсултан",
    "Эрлан",
    "Азамат",
    "Бакыт",
    "Талант",
    "Эмир",
    "Алмаз",
    "Данияр",
    "Нурбек",
    "Кубанычбек",
    "Адилет",
    "Эльдар",
    "Арген",
    "Айбек",
    "Улан",
    "Тилек",
    "Темирлан",
    "Жоомарт",
    "Мирлан",
    "Нурлан",
    "Болот",
];
/// Fathers' names and their patronymic stems.
const FATHERS: &[&str] = &[
    "Бакыт",
    "Марат",
    "Азамат",
    "Нурлан",
    "Талант",
    "Эрмек",
    "Бекбол",
    "Кайрат",
    "Сапар",
    "Улан",
    "Болот",
    "Асан",
    "Мирлан",
    "Алмаз",
    "Жыргал",
    "Курман",
];
const DEPARTMENTS: &[(&str, &str)] = &[
    ("5305", "Кафедра теории и истории государства и права"),
    ("5305", "Кафедра гражданского права и процесса"),
    ("5801", "Кафедра экономической теории"),
    ("5802", "Кафедра менеджмента"),
    ("7101", "Кафедра информатики и вычислительной техники"),
    ("7102", "Кафедра информационных систем"),
    ("7103", "Кафедра прикладной информатики"),
    ("5901", "Кафедра информационной безопасности"),
    ("7501", "Кафедра архитектуры"),
    ("7505", "Кафедра строительных конструкций"),
    ("6903", "Кафедра инфокоммуникационных технологий"),
    ("5311", "Кафедра лингвистики"),
    ("5310", "Кафедра кыргызской филологии"),
    ("5704", "Кафедра дизайна"),
    ("5600", "Кафедра внутренних болезней"),
    ("", "Кафедра философии и социальных наук"),
    ("", "Кафедра кыргызского языка"),
    ("", "Кафедра иностранных языков"),
    ("", "Кафедра физического воспитания"),
];

/// Letters of a study group for a specialty.
pub fn group_prefix(specialty: &str) -> &'static str {
    match specialty {
        "530500" => "ЮР",
        "580100" => "ЭК",
        "580200" => "МН",
        "710100" => "ИВТ",
        "710200" => "ИСТ",
        "710300" => "ПИ",
        "590100" => "ИБ",
        "750100" => "АРХ",
        "750500" => "СТР",
        "690300" => "ИКТ",
        "531100" => "ЛИН",
        "531000" => "ФИЛ",
        "570400" => "ДИЗ",
        "560001" => "ЛД",
        "620101" => "ГЕО",
        _ => "ГР",
    }
}

fn patronymic(father: &str, female: bool) -> String {
    // Russian-form patronymics, as most Kyrgyz passports give them.
    let stem = match father.chars().last() {
        Some('й') => father.trim_end_matches('й').to_owned() + "е",
        _ => father.to_owned(),
    };
    if female { format!("{stem}овна") } else { format!("{stem}ович") }
}

fn female_family(m: &str) -> String {
    if m.ends_with("ов") || m.ends_with("ев") || m.ends_with("ин") { format!("{m}а") } else { m.to_owned() }
}

/// A person to generate.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id: String,
    pub pin: String,
    pub name: PersonName,
    pub birth: time::Date,
    pub sex: Sex,
}

/// Unique PINs: sex digit, birth date DDMMYYYY, a 5-digit serial.
#[derive(Default)]
pub struct Pins(HashSet<String>);

impl Pins {
    /// Marks a PIN as taken.
    pub fn take(&mut self, pin: String) {
        self.0.insert(pin);
    }

    pub fn make(&mut self, sex: Sex, birth: time::Date, rng: &mut Rng) -> String {
        let head = format!(
            "{}{:02}{:02}{:04}",
            if sex == Sex::Female { 1 } else { 2 },
            birth.day(),
            u8::from(birth.month()),
            birth.year()
        );
        loop {
            let pin = format!("{head}{:05}", rng.below(100_000));
            if self.0.insert(pin.clone()) {
                return pin;
            }
        }
    }
}

pub fn person(key: &str, pins: &mut Pins, rng: &mut Rng, birth_year: i32) -> NewPerson {
    let female = rng.chance(0.55);
    let sex = if female { Sex::Female } else { Sex::Male };
    let family = rng.pick(FAMILY);
    let given = if female { rng.pick(FEMALE) } else { rng.pick(MALE) };
    let father = rng.pick(FATHERS);
    let day = 1 + rng.below(365) as u16;
    let birth = time::Date::from_ordinal_date(birth_year, day.min(365)).unwrap_or(time::Date::MIN);
    let pin = pins.make(sex, birth, rng);
    NewPerson {
        id: stable_id("person", key),
        pin,
        name: PersonName {
            family: if female { female_family(family) } else { (*family).to_owned() },
            given: (*given).to_owned(),
            patronymic: patronymic(father, female),
        },
        birth,
        sex,
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Names the plan in the marks of what is done ("demo", "national").
    pub label: String,
    pub seed: u64,
    /// The day the data is as of: semesters ended before it have closed sheets.
    pub as_of: time::Date,
    pub intakes: Vec<i32>,
    /// Institutions by code, with the programmes to fill (empty: every licensed one).
    pub institutions: Vec<(String, Vec<String>)>,
    /// Students of a full-time cohort and of a part-time one (a cohort is one
    /// programme's intake of one year).
    pub cohort_full_time: u32,
    pub cohort_part_time: u32,
    /// Students a group holds at most.
    pub group_size: u32,
    /// Persons to place with their accounts: (key, family, given, patronymic, birth, sex,
    /// account id, institution code, programme id or "" for a teacher, intake).
    pub named: Vec<Named>,
    /// Demo extras: one draft and one submitted sheet of the current semester for the
    /// first named teacher.
    pub demo_sheets: bool,
    /// Grants: a programme's share of grant places times this (state institutions only).
    pub grant_factor: f64,
    /// Later institutions make up the full-time places earlier ones' licences did not
    /// have, so that the country reaches its total (the national seed).
    pub make_up_full_time: bool,
    /// Intakes whose cohorts, though their studies have ended, are not graduated: they
    /// wait for their diplomas (and hold their places meanwhile).
    pub awaiting_diplomas: Vec<i32>,
}

#[derive(Debug, Clone)]
pub struct Named {
    pub family: String,
    pub given: String,
    pub patronymic: String,
    pub birth: String,
    pub sex: Sex,
    pub account_id: String,
    pub institution: String,
    /// For a student: the programme and intake; empty for a teacher.
    pub programme_id: String,
    pub intake: i32,
    /// For a student: how well they study (about 76 on average; 100 and more, excellent
    /// in nearly everything), if not drawn like everyone's; a student given one never
    /// misses an exam.
    pub ability: Option<f64>,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    pub institutions: u32,
    pub students: u64,
    pub contract: u64,
    pub part_time: u64,
    /// Students studying on the plan's day (not graduated, not expelled), and of them
    /// those on contract and those not full-time.
    pub studying: u64,
    pub studying_contract: u64,
    pub studying_part_time: u64,
    pub teachers: u64,
    pub assignments: u64,
    pub sheets: u64,
    pub grades: u64,
    pub orders: u64,
    pub graduates: u64,
}

impl Generated {
    fn add(&mut self, o: &Generated) {
        self.institutions += o.institutions;
        self.students += o.students;
        self.contract += o.contract;
        self.part_time += o.part_time;
        self.studying += o.studying;
        self.studying_contract += o.studying_contract;
        self.studying_part_time += o.studying_part_time;
        self.teachers += o.teachers;
        self.assignments += o.assignments;
        self.sheets += o.sheets;
        self.grades += o.grades;
        self.orders += o.orders;
        self.graduates += o.graduates;
    }
}

/// The session of semester `k` of intake `y`: (sheet date, retake date, closed at ms).
fn session(intake: i32, k: i32) -> (time::Date, time::Date) {
    // Semester 1 ends in January after the intake's September, semester 2 in June.
    let year = intake + (k + 1) / 2;
    if k % 2 == 1 {
        let d = time::Date::from_calendar_date(year, time::Month::January, 18).expect("a date");
        (d, d + time::Duration::days(21))
    } else {
        let d = time::Date::from_calendar_date(year, time::Month::June, 20).expect("a date");
        (d, d + time::Duration::days(14))
    }
}

/// The day a cohort's programme ends: 30 June of its last year.
/// The end of the last semester of an intake.
pub fn graduation_day(p: &Programme, intake: i32) -> time::Date {
    let years = (p.duration_months.max(12) + 11) / 12;
    time::Date::from_calendar_date(intake + years, time::Month::June, 30).expect("a date")
}

fn date_ms(d: time::Date, hour: u8) -> i64 {
    d.with_hms(hour, 0, 0).map(|t| t.assume_utc().unix_timestamp() * 1000).unwrap_or(0)
}

/// A compact result for the GPA.
#[derive(Clone, Copy)]
struct Result1 {
    credits: i32,
    points: i32,
    passed: bool,
    graded: bool,
    absent: bool,
    in_gpa: bool,
    closed_at: i64,
}

struct Student {
    enrolment: Enrolment,
    /// Leave (from, to) and expulsion date, if any.
    leave: Option<(time::Date, Option<time::Date>)>,
    expelled: Option<time::Date>,
    graduated: Option<time::Date>,
    moved: Option<(time::Date, String)>,
    ability: f64,
    /// Never absent from an exam (a named student of a given ability).
    steady: bool,
    /// 1 September of the intake year (`enrolment.since` ends as the last order's date).
    admitted: time::Date,
    hold_id: String,
    original_group: String,
    name: PersonName,
    history: Vec<(OrderKind, time::Date, String, EnrolmentStatus, String)>,
}

impl Student {
    /// Active in `group` on `d`.
    fn in_group_on(&self, group: &str, d: time::Date) -> bool {
        if d < self.admitted {
            return false;
        }
        if self.expelled.is_some_and(|x| d >= x) || self.graduated.is_some_and(|x| d >= x) {
            return false;
        }
        if let Some((from, to)) = self.leave
            && d >= from
            && to.is_none_or(|t| d < t)
        {
            return false;
        }
        let g = match &self.moved {
            Some((when, to)) if d >= *when => to.as_str(),
            _ => self.original_group.as_str(),
        };
        g == group
    }
}

fn parse(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// Writes the plan into records' database (and asks catalogue for the places).
pub async fn generate(
    db: &Db,
    seal: &GradeSeal,
    catalogue: &dyn edu24_catalogue::CatalogueApi,
    curriculum: &dyn edu24_curriculum::CurriculumApi,
    system: &CallCtx,
    plan: &Plan,
) -> anyhow::Result<Generated> {
    let mut total = Generated::default();
    let anon = CallCtx::anonymous();
    // PINs are unique in the country: the ones recorded already are taken.
    let mut pins = Pins::default();
    for r in sqlx::query("SELECT pin FROM person WHERE pin IS NOT NULL").fetch_all(db.pool()).await? {
        pins.0.insert(r.get(0));
    }
    // One institution's transaction touches a few hundred megabytes of pages: kept in
    // memory until it commits, each is written once.
    if let Some(mut w) = db.single_statement_writer().await? {
        sqlx::query("PRAGMA cache_size = -1048576").execute(w.conn()).await?;
    }
    // Full-time places owed by institutions whose licences were full (see `seed_done.carry`).
    let mut carry: i64 =
        sqlx::query("SELECT CAST(COALESCE(SUM(carry), 0) AS BIGINT) FROM seed_done WHERE institution_code LIKE $1")
            .bind(format!("{}:%", plan.label))
            .fetch_one(db.pool())
            .await?
            .get::<i64, _>(0);
    for (code, only) in &plan.institutions {
        if done(db, &format!("{}:{code}", plan.label)).await? {
            continue;
        }
        let inst =
            catalogue.institution_get(&anon, code).await.map_err(|e| anyhow::anyhow!("{code}: {}", e.message))?;
        let programmes: Vec<&Programme> =
            inst.programmes.iter().filter(|p| only.is_empty() || only.contains(&p.id)).collect();
        let mut plans = Vec::new();
        for p in programmes {
            let Some(licence) = inst.licences.iter().find(|l| {
                l.specialty_code == p.specialty_code
                    && l.level == p.level
                    && l.form == p.form
                    && l.in_force_on(&plan.as_of.to_string())
            }) else {
                continue;
            };
            let taken = sqlx::query("SELECT 1 FROM enrolment WHERE programme_id = $1 LIMIT 1")
                .bind(&p.id)
                .fetch_optional(db.pool())
                .await?
                .is_some();
            if taken {
                continue;
            }
            let mut reqs = BTreeMap::new();
            for &y in &plan.intakes {
                if let Ok(r) = curriculum.requirements(&anon, &p.id, y, None).await {
                    reqs.insert(y, r);
                }
            }
            if !reqs.is_empty() {
                plans.push((p.clone(), licence.id.clone(), reqs));
            }
        }
        let g = institution(db, seal, catalogue, system, plan, &inst, &plans, &mut pins, &mut carry).await?;
        total.add(&g);
        // The write-ahead log is folded into the database after every institution, so
        // that it stays the size of one institution's transaction.
        if let Some(mut w) = db.single_statement_writer().await? {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_all(w.conn()).await?;
        }
    }
    if let Some(mut w) = db.single_statement_writer().await? {
        sqlx::query("PRAGMA cache_size = -32768").execute(w.conn()).await?;
    } else if total.students > 10_000 {
        // PostgreSQL plans by its statistics: after a bulk load they are read afresh
        // instead of waiting for autovacuum.
        sqlx::query("ANALYZE").execute(db.pool()).await?;
    }
    Ok(total)
}

async fn done(db: &Db, code: &str) -> anyhow::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM seed_done WHERE institution_code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?
        .is_some())
}

type ProgrammePlan = (Programme, String, BTreeMap<i32, Requirements>);

#[allow(clippy::too_many_lines, clippy::too_many_arguments)]
async fn institution(
    db: &Db,
    seal: &GradeSeal,
    catalogue: &dyn edu24_catalogue::CatalogueApi,
    system: &CallCtx,
    plan: &Plan,
    inst: &Institution,
    programmes: &[ProgrammePlan],
    pins: &mut Pins,
    carry: &mut i64,
) -> anyhow::Result<Generated> {
    let code = inst.summary.code.as_str();
    let inst_id = inst.summary.id.as_str();
    let root = Rng::new(plan.seed).fork(code);
    let mut out = Generated { institutions: 1, ..Default::default() };
    let started = std::time::Instant::now();
    // PINs drawn here stay taken even if the transaction fails: a failure ends the run,
    // and the next run reads the taken PINs from the database again.
    // Places first: one hold per cohort; the cohort is what the licence still allows.
    let mut cohorts: Vec<(usize, i32, u32, String)> = Vec::new();
    // What earlier institutions owe is made up here, spread over the full-time cohorts
    // still studying, each taking at most one more cohort's worth.
    let studying_full_time = programmes
        .iter()
        .filter(|(p, _, _)| p.form.as_str() == "full_time")
        .map(|(p, _, reqs)| reqs.keys().filter(|&&y| graduation_day(p, y) >= plan.as_of).count() as i64)
        .sum::<i64>();
    let extra_each = if plan.make_up_full_time && *carry > 0 && studying_full_time > 0 {
        ((*carry + studying_full_time - 1) / studying_full_time).min(i64::from(plan.cohort_full_time)) as i32
    } else {
        0
    };
    let (mut owed, mut net) = (*carry, 0i64);
    for (pi, (p, licence, reqs)) in programmes.iter().enumerate() {
        for &y in reqs.keys() {
            let part_time = p.form.as_str() != "full_time";
            let wanted = if part_time { plan.cohort_part_time } else { plan.cohort_full_time };
            let mut rng = root.fork(&format!("size:{}:{y}", p.id));
            let wanted =
                ((wanted as f64) * (0.8 + 0.4 * rng.normal(0.5, 0.15).clamp(0.0, 1.0))).round().max(1.0) as i32;
            // A cohort that has graduated holds no place any more.
            if graduation_day(p, y) < plan.as_of && !plan.awaiting_diplomas.contains(&y) {
                cohorts.push((pi, y, wanted as u32, String::new()));
                continue;
            }
            let extra = if part_time || owed <= 0 { 0 } else { (extra_each as i64).min(owed) as i32 };
            owed -= i64::from(extra);
            let (base, wanted) = (wanted, wanted + extra);
            let request_id = stable_id("seed-hold", &format!("{}:{y}:{}", p.id, plan.seed));
            let mut seats = wanted;
            let mut hold = String::new();
            for _ in 0..3 {
                let a = catalogue
                    .licence_hold(
                        system,
                        HoldRequest { licence_id: licence.clone(), seats, request_id: format!("{request_id}-{seats}") },
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("hold for {}: {}", p.id, e.message))?;
                match (a.verdict, a.hold_id) {
                    // Room is left for the registrars' own admissions: a tenth of the
                    // contingent stays free.
                    (HoldVerdict::Granted, Some(h)) if a.free < a.contingent / 10 && seats > 1 => {
                        // Given back already when a killed run is repeated: nothing to do.
                        if let Err(e) = catalogue.licence_release(system, &h).await {
                            tracing::debug!(hold = %h, error = %e.message, "seed hold not released");
                        }
                        let keep = seats - (a.contingent / 10 - a.free);
                        if keep <= 0 {
                            seats = 0;
                            break;
                        }
                        seats = keep;
                    }
                    (HoldVerdict::Granted, Some(h)) => {
                        hold = h;
                        break;
                    }
                    (HoldVerdict::Full, _) if a.free > 0 => seats = a.free.min(seats),
                    _ => {
                        seats = 0;
                        break;
                    }
                }
            }
            let granted = if seats > 0 && !hold.is_empty() { seats } else { 0 };
            if !part_time {
                net += i64::from(base - granted);
            }
            if granted > 0 {
                cohorts.push((pi, y, seats as u32, hold));
            }
        }
    }

    let holds_ms = started.elapsed().as_millis();
    let mut tx = db.begin_write().await?;
    let mut persons = Bulk::new(
        "person",
        &[
            "id",
            "pin",
            "pin_exception",
            "family",
            "given",
            "patronymic",
            "latin_family",
            "latin_given",
            "latin_patronymic",
            "name_key",
            "birth_date",
            "sex",
            "citizenship",
            "merged_into",
            "created_for",
            "created_at",
            "created_by",
            "version",
            "account_id",
        ],
    );
    let mut enrolments = Bulk::new(
        "enrolment",
        &[
            "id",
            "person_id",
            "institution_id",
            "programme_id",
            "specialty_code",
            "level",
            "form",
            "intake_year",
            "study_group",
            "funding",
            "status",
            "student_ticket",
            "licence_id",
            "hold_id",
            "version",
            "since",
            "created_at",
            "updated_at",
        ],
    );
    let mut spans = Bulk::new(
        "enrolment_span",
        &["enrolment_id", "from_date", "to_date", "study_group", "status", "programme_id", "institution_id"],
    );
    let mut orders = Bulk::new(
        "student_order",
        &[
            "id",
            "enrolment_id",
            "person_id",
            "institution_id",
            "kind",
            "number",
            "signed_on",
            "effective_on",
            "signatory",
            "reason",
            "detail",
            "status_after",
            "recorded_at",
            "recorded_by",
        ],
    );
    let mut outbox = Bulk::new("outbox", &["event_id", "subject", "envelope", "created_at"]);
    let now = edu24_shared::time::now_ms();

    // Teachers: about one per 14 students, at least four, in the departments of the
    // institution's specialties and the general ones.
    let students_planned: u32 = cohorts.iter().map(|c| c.2).sum();
    let n_teachers = (students_planned / 14).max(4) as usize;
    let specialty_prefixes: Vec<String> = programmes.iter().map(|(p, ..)| p.specialty_code[..4].to_owned()).collect();
    let departments: Vec<&str> = DEPARTMENTS
        .iter()
        .filter(|(pfx, _)| pfx.is_empty() || specialty_prefixes.iter().any(|s| s == pfx))
        .map(|(_, d)| *d)
        .collect();
    let mut teacher_ids = Vec::with_capacity(n_teachers);
    let mut teachers = Bulk::new(
        "teacher",
        &[
            "id",
            "person_id",
            "institution_id",
            "department",
            "degree",
            "title",
            "active",
            "created_at",
            "created_by",
            "version",
        ],
    );
    let mut teacher_rows: Vec<Vec<Val>> = Vec::new();
    let named_teachers: Vec<&Named> =
        plan.named.iter().filter(|n| n.institution == code && n.programme_id.is_empty()).collect();
    for i in 0..n_teachers {
        let mut rng = root.fork(&format!("teacher:{i}"));
        let key = format!("{code}:teacher:{i}:{}", plan.seed);
        let born = 1955 + rng.below(38) as i32;
        let mut np = person(&key, pins, &mut rng, born);
        let mut account = None;
        if let Some(n) = named_teachers.get(i) {
            np = named_person(n, &key, pins, &mut rng);
            account = Some(n.account_id.clone());
        }
        person_row(&mut tx, &mut persons, &np, inst_id, now, account).await?;
        let id = stable_id("teacher", &key);
        let (degree, title) = match rng.below(10) {
            0 => (Degree::Doctor, Title::Professor),
            1..=3 => (Degree::Candidate, Title::Docent),
            4 => (Degree::Phd, Title::SeniorLecturer),
            5..=7 => (Degree::None, Title::SeniorLecturer),
            _ => (Degree::None, Title::Lecturer),
        };
        let dept = if i < departments.len() { departments[i] } else { *rng.pick(&departments) };
        teacher_rows.push(vec![
            id.clone().into(),
            np.id.clone().into(),
            inst_id.into(),
            dept.into(),
            degree.as_str().into(),
            title.as_str().into(),
            1i64.into(),
            now.into(),
            SEED_ACTOR.into(),
            1i64.into(),
        ]);
        teacher_ids.push(id);
    }
    persons.flush(&mut tx).await?;
    for row in teacher_rows {
        teachers.push(&mut tx, row).await?;
    }
    teachers.flush(&mut tx).await?;
    out.teachers = teacher_ids.len() as u64;

    // Students, cohort by cohort.
    let mut by_cohort: Vec<Vec<Student>> = Vec::new();
    // Tickets go on from the institution's students already recorded.
    let mut ticket_no: u32 = sqlx::query("SELECT COUNT(*) FROM enrolment WHERE institution_id = $1")
        .bind(inst_id)
        .fetch_one(tx.conn())
        .await?
        .get::<i64, _>(0) as u32;
    let mut named_students: Vec<&Named> =
        plan.named.iter().filter(|n| n.institution == code && !n.programme_id.is_empty()).collect();
    for (pi, y, seats, hold) in &cohorts {
        let (p, licence, _) = &programmes[*pi];
        let part_time = p.form.as_str() != "full_time";
        let groups = seats.div_ceil(plan.group_size.max(1)).max(1);
        // Grants at state institutions only (DOMAIN: none at private ones).
        let grant_share = if p.grant_places > 0 && inst.summary.ownership.as_str() == "state" {
            (plan.grant_factor * f64::from(p.grant_places) / f64::from((p.grant_places + p.contract_places).max(1)))
                .min(0.9)
        } else {
            0.0
        };
        let mut list = Vec::with_capacity(*seats as usize);
        for s in 0..*seats {
            let mut rng = root.fork(&format!("student:{}:{y}:{s}", p.id));
            let key = format!("{}:{y}:{s}:{}", p.id, plan.seed);
            let born = y - 18 - rng.below(3) as i32 + i32::from(rng.chance(0.2));
            let mut np = person(&key, pins, &mut rng, born);
            let mut account = None;
            let mut ability = None;
            if let Some(pos) = named_students.iter().position(|n| n.programme_id == p.id && n.intake == *y) {
                let n = named_students.remove(pos);
                np = named_person(n, &key, pins, &mut rng);
                account = Some(n.account_id.clone());
                ability = n.ability;
            }
            person_row(&mut tx, &mut persons, &np, inst_id, now, account.clone()).await?;
            let group_no = 1 + s % groups;
            let group = format!(
                "{}-{:02}-{}{}",
                group_prefix(&p.specialty_code),
                y % 100,
                group_no,
                if part_time { "з" } else { "" }
            );
            let funding = if rng.chance(grant_share) { Funding::Grant } else { Funding::Contract };
            ticket_no += 1;
            let admitted = time::Date::from_calendar_date(*y, time::Month::September, 1).expect("a date");
            let mut st = Student {
                enrolment: Enrolment {
                    id: stable_id_at("enrolment", &key, date_ms(admitted, 9), code),
                    person_id: np.id.clone(),
                    institution_id: inst_id.to_owned(),
                    programme_id: p.id.clone(),
                    specialty_code: p.specialty_code.clone(),
                    level: p.level,
                    form: p.form.as_str().to_owned(),
                    intake_year: *y,
                    study_group: group.clone(),
                    funding,
                    status: EnrolmentStatus::Active,
                    student_ticket: format!("{}-{:02}-{:05}", code.to_uppercase().replace('_', ""), y % 100, ticket_no),
                    licence_id: licence.clone(),
                    version: 1,
                    since: admitted.to_string(),
                },
                leave: None,
                expelled: None,
                graduated: None,
                moved: None,
                ability: {
                    let drawn = rng.normal(76.0, 9.0);
                    ability.unwrap_or(drawn)
                },
                steady: ability.is_some(),
                admitted,
                hold_id: hold.clone(),
                original_group: group.clone(),
                name: np.name.clone(),
                history: Vec::new(),
            };
            // Movements, only in the past, never for the named persons.
            if account.is_none() {
                let years = (plan.as_of.year() - y).max(0);
                if years >= 1 && rng.chance(0.05) {
                    let from = admitted + time::Duration::days(150 + rng.below(200) as i64);
                    let to = from + time::Duration::days(365);
                    if from < plan.as_of {
                        st.leave = Some((from, (to < plan.as_of).then_some(to)));
                    }
                } else if years >= 1 && st.ability < 60.0 && rng.chance(0.5) {
                    let when = session(*y, 2).0 + time::Duration::days(30);
                    if when < plan.as_of {
                        st.expelled = Some(when);
                    }
                } else if groups > 1 && rng.chance(0.03) {
                    let when = admitted + time::Duration::days(60 + rng.below(90) as i64);
                    if when < plan.as_of {
                        let to = format!(
                            "{}-{:02}-{}{}",
                            group_prefix(&p.specialty_code),
                            y % 100,
                            1 + (group_no % groups),
                            if part_time { "з" } else { "" }
                        );
                        st.moved = Some((when, to));
                    }
                }
            }
            let ends = graduation_day(p, *y);
            if ends < plan.as_of
                && !plan.awaiting_diplomas.contains(y)
                && st.expelled.is_none()
                && st.leave.is_none_or(|(_, to)| to.is_some_and(|t| t < ends))
            {
                st.graduated = Some(ends);
                out.graduates += 1;
            }
            out.students += 1;
            out.contract += u64::from(funding == Funding::Contract);
            out.part_time += u64::from(part_time);
            if st.graduated.is_none() && st.expelled.is_none_or(|x| x > plan.as_of) {
                out.studying += 1;
                out.studying_contract += u64::from(funding == Funding::Contract);
                out.studying_part_time += u64::from(part_time);
            }
            list.push(st);
        }
        by_cohort.push(list);
    }
    persons.flush(&mut tx).await?;

    // Orders, spans, enrolments and their events.
    let signatory = format!("Ректор {}", inst.summary.name.get("ru").chars().take(40).collect::<String>());
    for list in &mut by_cohort {
        for st in list.iter_mut() {
            let e = &mut st.enrolment;
            let y = e.intake_year;
            let mut history: Vec<(OrderKind, time::Date, String, EnrolmentStatus, String)> = vec![(
                OrderKind::Admission,
                time::Date::from_calendar_date(y, time::Month::September, 1).expect("a date"),
                st.original_group.clone(),
                EnrolmentStatus::Active,
                String::new(),
            )];
            if let Some((when, to)) = &st.moved {
                history.push((OrderKind::GroupTransfer, *when, to.clone(), EnrolmentStatus::Active, String::new()));
            }
            if let Some((from, to)) = st.leave {
                let g = history.last().map(|h| h.2.clone()).unwrap_or_default();
                history.push((
                    OrderKind::AcademicLeave,
                    from,
                    g.clone(),
                    EnrolmentStatus::AcademicLeave,
                    "Медицинское заключение".into(),
                ));
                if let Some(to) = to {
                    history.push((OrderKind::Return, to, g, EnrolmentStatus::Active, String::new()));
                }
            }
            if let Some(when) = st.graduated {
                let g = history.last().map(|h| h.2.clone()).unwrap_or_default();
                history.push((OrderKind::Graduation, when, g, EnrolmentStatus::Graduated, String::new()));
            }
            if let Some(when) = st.expelled {
                let g = history.last().map(|h| h.2.clone()).unwrap_or_default();
                history.push((
                    OrderKind::Expulsion,
                    when,
                    g,
                    EnrolmentStatus::Expelled,
                    "Академическая задолженность".into(),
                ));
            }
            history.sort_by_key(|h| h.1);
            let n = history.len();
            let last = history.last().expect("an admission");
            e.study_group = last.2.clone();
            e.status = last.3;
            e.since = last.1.to_string();
            e.version = n as i64;
            enrolments
                .push(
                    &mut tx,
                    vec![
                        e.id.clone().into(),
                        e.person_id.clone().into(),
                        inst_id.into(),
                        e.programme_id.clone().into(),
                        e.specialty_code.clone().into(),
                        e.level.as_str().into(),
                        e.form.clone().into(),
                        e.intake_year.into(),
                        e.study_group.clone().into(),
                        e.funding.as_str().into(),
                        e.status.as_str().into(),
                        e.student_ticket.clone().into(),
                        e.licence_id.clone().into(),
                        st.hold_id.clone().into(),
                        e.version.into(),
                        e.since.clone().into(),
                        now.into(),
                        now.into(),
                    ],
                )
                .await?;
            st.history = history;
        }
    }
    enrolments.flush(&mut tx).await?;
    for list in &by_cohort {
        for st in list {
            let e = &st.enrolment;
            let y = e.intake_year;
            let history = &st.history;
            let n = history.len();
            for (i, (kind, when, group, status, reason)) in history.iter().enumerate() {
                let to = history.get(i + 1).map(|h| h.1.to_string());
                spans
                    .push(
                        &mut tx,
                        vec![
                            e.id.clone().into(),
                            when.to_string().into(),
                            Val::OT(to),
                            group.into(),
                            status.as_str().into(),
                            e.programme_id.clone().into(),
                            inst_id.into(),
                        ],
                    )
                    .await?;
                let signed = if *kind == OrderKind::Admission { *when - time::Duration::days(7) } else { *when };
                orders
                    .push(
                        &mut tx,
                        vec![
                            stable_id_at("order", &format!("{}:{i}", e.id), date_ms(signed, 10), code).into(),
                            e.id.clone().into(),
                            e.person_id.clone().into(),
                            inst_id.into(),
                            kind.as_str().into(),
                            format!("{}-к/{}", 100 + (i as i64 * 37 + y as i64) % 800, when.year() % 100).into(),
                            signed.to_string().into(),
                            when.to_string().into(),
                            signatory.clone().into(),
                            reason.clone().into(),
                            if *kind == OrderKind::Admission {
                                format!("programme={} group={group} funding={}", e.programme_id, e.funding)
                            } else {
                                String::new()
                            }
                            .into(),
                            status.as_str().into(),
                            date_ms(signed, 10).into(),
                            SEED_ACTOR.into(),
                        ],
                    )
                    .await?;
            }
            out.orders += n as u64;
        }
    }
    spans.flush(&mut tx).await?;
    orders.flush(&mut tx).await?;
    for list in &by_cohort {
        for st in list {
            let event = crate::events::enrolment_changed(&st.enrolment, &st.hold_id);
            let envelope = Envelope {
                event_id: stable_id("event", &format!("{}:{}", st.enrolment.id, st.enrolment.version)),
                subject: crate::events::ENROLMENT_CHANGED.to_owned(),
                occurred_at_ms: now,
                actor: SEED_ACTOR.to_owned(),
                traceparent: String::new(),
                payload: event.encode_to_vec(),
            };
            outbox
                .push(
                    &mut tx,
                    vec![
                        envelope.event_id.clone().into(),
                        envelope.subject.clone().into(),
                        Val::B(envelope.encode_to_vec()),
                        now.into(),
                    ],
                )
                .await?;
        }
    }
    outbox.flush(&mut tx).await?;

    let students_ms = started.elapsed().as_millis();
    // Courses semester by semester: assignments, then the closed sheets of finished
    // semesters (a retake for those who failed), with the grade log.
    let scale = Scale::default();
    let mut assignments = Bulk::new(
        "assignment",
        &[
            "id",
            "institution_id",
            "programme_id",
            "intake_year",
            "curriculum_id",
            "curriculum_version",
            "line_code",
            "course_ky",
            "course_ru",
            "course_en",
            "credits_tenths",
            "assessment",
            "semester",
            "study_group",
            "teacher_id",
            "created_at",
            "created_by",
        ],
    );
    let mut sheets = Bulk::new(
        "sheet",
        &[
            "id",
            "assignment_id",
            "institution_id",
            "teacher_id",
            "kind",
            "as_of",
            "state",
            "version",
            "created_at",
            "created_by",
            "submitted_at",
            "submitted_by",
            "closed_at",
            "closed_by",
            "returned_note",
            "digest",
            "updated_at",
        ],
    );
    let mut entries = Bulk::new(
        "sheet_entry",
        &["sheet_id", "enrolment_id", "position", "score", "absent", "attendance", "updated_at", "updated_by"],
    );
    let mut grades = Bulk::new(
        "grade",
        &[
            "enrolment_id",
            "line_code",
            "semester",
            "institution_id",
            "assignment_id",
            "sheet_id",
            "score",
            "absent",
            "attendance",
            "corrected",
            "closed_at",
        ],
    );
    let mut log = Bulk::new(
        "grade_log",
        &[
            "institution_id",
            "seq",
            "at",
            "actor",
            "action",
            "sheet_id",
            "enrolment_id",
            "detail",
            "prev_hash",
            "hash",
            "key_id",
        ],
    );
    let (mut seq, mut prev) = head(&mut tx, inst_id).await?;
    let mut results: HashMap<String, Vec<Result1>> = HashMap::new();
    let mut demo_sheet_done = 0;
    let demo_teacher = named_teachers.first().map(|_| teacher_ids[0].clone());
    let mut next_teacher = 0usize;
    for (ci, (pi, y, _, _)) in cohorts.iter().enumerate() {
        let (p, _, reqs) = &programmes[*pi];
        let Some(req) = reqs.get(y) else { continue };
        let students = &by_cohort[ci];
        let groups: Vec<String> = {
            let mut g: Vec<String> = students.iter().map(|s| s.original_group.clone()).collect();
            g.sort();
            g.dedup();
            g
        };
        for k in 1..=req.semesters {
            let (exam_day, retake_day) = session(*y, k);
            let teaching_started = session(*y, k - 1).0 + time::Duration::days(20);
            if k > 1 && teaching_started > plan.as_of {
                break;
            }
            let closed = exam_day < plan.as_of;
            // One line per course (the first alternative of a choice).
            let mut seen_choice = HashSet::new();
            let lines: Vec<_> = req
                .lines
                .iter()
                .filter(|l| l.line.semester == k)
                .filter(|l| l.line.choice_group.is_empty() || seen_choice.insert(l.line.choice_group.clone()))
                .collect();
            for group in &groups {
                for l in &lines {
                    let akey = format!("{}:{y}:{}:{k}:{group}", p.id, l.line.code);
                    let aid = stable_id_at("assignment", &akey, date_ms(teaching_started, 9), code);
                    let teacher = if demo_teacher.is_some()
                        && p.specialty_code == "530500"
                        && ["LAW-TSL", "LAW-HNSL", "LAW-CONST"].contains(&l.line.code.as_str())
                    {
                        teacher_ids[0].clone()
                    } else {
                        next_teacher += 1;
                        teacher_ids[next_teacher % teacher_ids.len()].clone()
                    };
                    let a = Assignment {
                        id: aid.clone(),
                        institution_id: inst_id.to_owned(),
                        programme_id: p.id.clone(),
                        intake_year: *y,
                        curriculum_id: req.curriculum_id.clone(),
                        curriculum_version: req.version,
                        line_code: l.line.code.clone(),
                        course: l.line.name.clone(),
                        credits_tenths: l.line.credits_tenths,
                        assessment: l.line.assessment.as_str().to_owned(),
                        semester: k,
                        study_group: group.clone(),
                        teacher_id: teacher.clone(),
                        teacher_name: PersonName::default(),
                        created_at_ms: date_ms(teaching_started, 9),
                    };
                    assignments
                        .push(
                            &mut tx,
                            vec![
                                a.id.clone().into(),
                                inst_id.into(),
                                a.programme_id.clone().into(),
                                a.intake_year.into(),
                                a.curriculum_id.clone().into(),
                                a.curriculum_version.into(),
                                a.line_code.clone().into(),
                                a.course.ky.clone().into(),
                                a.course.ru.clone().into(),
                                a.course.en.clone().into(),
                                a.credits_tenths.into(),
                                a.assessment.clone().into(),
                                a.semester.into(),
                                a.study_group.clone().into(),
                                a.teacher_id.clone().into(),
                                a.created_at_ms.into(),
                                SEED_ACTOR.into(),
                            ],
                        )
                        .await?;
                    out.assignments += 1;
                    let mut roster: Vec<&Student> =
                        students.iter().filter(|s| s.in_group_on(group, exam_day)).collect();
                    roster.sort_by(|a, b| {
                        (&a.name.family, &a.name.given, &a.name.patronymic, &a.enrolment.id).cmp(&(
                            &b.name.family,
                            &b.name.given,
                            &b.name.patronymic,
                            &b.enrolment.id,
                        ))
                    });
                    if roster.is_empty() {
                        continue;
                    }
                    let difficulty = root.fork(&akey).normal(0.0, 5.0);
                    let in_gpa = counts_in_gpa(&scale, &a.assessment);
                    if !closed {
                        // The current semester: a draft and a submitted sheet for the demo teacher.
                        if plan.demo_sheets && demo_sheet_done < 2 && Some(&teacher) == demo_teacher.as_ref() {
                            let state = if demo_sheet_done == 0 { "draft" } else { "submitted" };
                            let sid = stable_id_at("sheet", &format!("{akey}:regular"), date_ms(plan.as_of, 9), code);
                            let day = plan.as_of - time::Duration::days(1);
                            let at = date_ms(day, 11);
                            assignments.flush(&mut tx).await?;
                            sheets
                                .push(
                                    &mut tx,
                                    vec![
                                        sid.clone().into(),
                                        aid.clone().into(),
                                        inst_id.into(),
                                        teacher.clone().into(),
                                        "regular".into(),
                                        day.to_string().into(),
                                        state.into(),
                                        2i64.into(),
                                        at.into(),
                                        SEED_ACTOR.into(),
                                        (if state == "submitted" { at } else { 0 }).into(),
                                        (if state == "submitted" { SEED_ACTOR } else { "" }).into(),
                                        0i64.into(),
                                        "".into(),
                                        "".into(),
                                        "".into(),
                                        at.into(),
                                    ],
                                )
                                .await?;
                            sheets.flush(&mut tx).await?;
                            let ids: Vec<String> = roster.iter().map(|s| s.enrolment.id.clone()).collect();
                            let detail =
                                serde_json::json!({ "kind": "regular", "as_of": day.to_string(), "roster": ids })
                                    .to_string();
                            seal_push(
                                &mut tx, &mut log, seal, inst_id, &mut seq, &mut prev, at, "open", &sid, "", &detail,
                            )
                            .await?;
                            for (i, s) in roster.iter().enumerate() {
                                let mut rng = root.fork(&format!("{akey}:{}", s.enrolment.id));
                                let filled = state == "submitted" || i % 3 != 2;
                                let v = if filled {
                                    // One score without attendance, for the registrar to see flagged.
                                    let score = (s.ability - difficulty + rng.normal(0.0, 8.0))
                                        .round()
                                        .clamp(0.0, 100.0) as i32;
                                    let attendance =
                                        if i == 1 && state == "submitted" { 0 } else { (70 + rng.below(31)) as i32 };
                                    EntryValue { score: Some(score), absent: false, attendance: Some(attendance) }
                                } else {
                                    EntryValue::default()
                                };
                                entries
                                    .push_after(
                                        &mut tx,
                                        vec![
                                            sid.clone().into(),
                                            s.enrolment.id.clone().into(),
                                            (i as i32 + 1).into(),
                                            v.score.into(),
                                            v.absent.into(),
                                            v.attendance.into(),
                                            at.into(),
                                            SEED_ACTOR.into(),
                                        ],
                                        &mut [&mut assignments, &mut sheets],
                                    )
                                    .await?;
                                if filled {
                                    let d = serde_json::to_string(&v).unwrap_or_default();
                                    seal_push(
                                        &mut tx,
                                        &mut log,
                                        seal,
                                        inst_id,
                                        &mut seq,
                                        &mut prev,
                                        at,
                                        "entry",
                                        &sid,
                                        &s.enrolment.id,
                                        &d,
                                    )
                                    .await?;
                                }
                            }
                            if state == "submitted" {
                                seal_push(
                                    &mut tx, &mut log, seal, inst_id, &mut seq, &mut prev, at, "submit", &sid, "", "",
                                )
                                .await?;
                            }
                            demo_sheet_done += 1;
                            out.sheets += 1;
                        }
                        continue;
                    }
                    // The regular sheet, and a retake of those who failed or did not come.
                    let mut failed: Vec<&Student> = Vec::new();
                    let mut entry_rows: Vec<Vec<Val>> = Vec::new();
                    let mut course_grades: BTreeMap<String, Vec<Val>> = BTreeMap::new();
                    for (kind, day, list) in
                        [(SheetKind::Regular, exam_day, roster.clone()), (SheetKind::Retake, retake_day, Vec::new())]
                    {
                        let list = if kind == SheetKind::Retake { std::mem::take(&mut failed) } else { list };
                        if list.is_empty() || day >= plan.as_of {
                            continue;
                        }
                        let sid = stable_id_at("sheet", &format!("{akey}:{}", kind.as_str()), date_ms(day, 16), code);
                        let at = date_ms(day, 16);
                        let mut values = Vec::with_capacity(list.len());
                        for (i, s) in list.iter().enumerate() {
                            let mut rng = root.fork(&format!("{akey}:{}:{}", s.enrolment.id, kind.as_str()));
                            let base = s.ability - difficulty + rng.normal(0.0, 8.0);
                            let (score, absent) = if kind == SheetKind::Regular && rng.chance(0.02) && !s.steady {
                                (None, true)
                            } else if kind == SheetKind::Retake {
                                (
                                    Some(if rng.chance(0.8) {
                                        60 + rng.below(16) as i32
                                    } else {
                                        35 + rng.below(24) as i32
                                    }),
                                    false,
                                )
                            } else {
                                (Some(base.round().clamp(0.0, 100.0) as i32), false)
                            };
                            let attendance = Some(
                                (55.0 + (base - 40.0).max(0.0) * 0.8 + rng.normal(0.0, 6.0)).round().clamp(30.0, 100.0)
                                    as i32,
                            );
                            let v = EntryValue { score, absent, attendance };
                            let passed = score.is_some_and(|s| scale.grade(s).passed);
                            if kind == SheetKind::Regular && !passed {
                                failed.push(s);
                            }
                            entry_rows.push(vec![
                                sid.clone().into(),
                                s.enrolment.id.clone().into(),
                                (i as i32 + 1).into(),
                                v.score.into(),
                                v.absent.into(),
                                v.attendance.into(),
                                at.into(),
                                a.teacher_id.clone().into(),
                            ]);
                            course_grades.insert(
                                s.enrolment.id.clone(),
                                vec![
                                    s.enrolment.id.clone().into(),
                                    a.line_code.clone().into(),
                                    k.into(),
                                    inst_id.into(),
                                    aid.clone().into(),
                                    sid.clone().into(),
                                    v.score.into(),
                                    v.absent.into(),
                                    v.attendance.into(),
                                    false.into(),
                                    at.into(),
                                ],
                            );
                            let g = score.map(|s| scale.grade(s));
                            let r = results.entry(s.enrolment.id.clone()).or_default();
                            let one = Result1 {
                                credits: a.credits_tenths,
                                points: g.as_ref().map(|g| g.points).unwrap_or(0),
                                passed,
                                graded: g.is_some(),
                                absent,
                                in_gpa,
                                closed_at: at,
                            };
                            // A retake replaces the regular result of the same course.
                            if kind == SheetKind::Retake
                                && let Some(last) = r.last_mut()
                                && last.closed_at < at
                            {
                                *last = one;
                            } else {
                                r.push(one);
                            }
                            values.push((s.enrolment.id.clone(), v));
                            out.grades += 1;
                        }
                        let digest = sheet_digest(&values);
                        sheets
                            .push_after(
                                &mut tx,
                                vec![
                                    sid.clone().into(),
                                    aid.clone().into(),
                                    inst_id.into(),
                                    a.teacher_id.clone().into(),
                                    kind.as_str().into(),
                                    day.to_string().into(),
                                    "submitted".into(),
                                    3i64.into(),
                                    (at - 3_600_000).into(),
                                    a.teacher_id.clone().into(),
                                    (at - 1_800_000).into(),
                                    a.teacher_id.clone().into(),
                                    at.into(),
                                    SEED_ACTOR.into(),
                                    "".into(),
                                    digest.clone().into(),
                                    at.into(),
                                ],
                                &mut [&mut assignments],
                            )
                            .await?;
                        for row in entry_rows.drain(..) {
                            entries.push_after(&mut tx, row, &mut [&mut assignments, &mut sheets]).await?;
                        }
                        let detail = serde_json::json!({
                            "kind": kind,
                            "as_of": day.to_string(),
                            "roster": values.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>(),
                            "values": values.iter().map(|(e, v)| serde_json::json!([e, v])).collect::<Vec<_>>(),
                            "digest": digest,
                        })
                        .to_string();
                        seal_push(
                            &mut tx, &mut log, seal, inst_id, &mut seq, &mut prev, at, "import", &sid, "", &detail,
                        )
                        .await?;
                        out.sheets += 1;
                    }
                    // The result in force: the retake's where there was one.
                    for (_, row) in std::mem::take(&mut course_grades) {
                        grades.push(&mut tx, row).await?;
                    }
                }
            }
        }
    }
    assignments.flush(&mut tx).await?;
    sheets.flush(&mut tx).await?;
    entries.flush(&mut tx).await?;
    grades.flush(&mut tx).await?;
    log.flush(&mut tx).await?;
    let courses_ms = started.elapsed().as_millis();
    // The historical sheets are closed now that their entries are in.
    sqlx::query(
        "UPDATE sheet SET state = 'closed' WHERE institution_id = $1 AND state = 'submitted' AND closed_at > 0",
    )
    .bind(inst_id)
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE grade_log_head SET seq = $2, hash = $3 WHERE institution_id = $1")
        .bind(inst_id)
        .bind(seq)
        .bind(&prev)
        .execute(tx.conn())
        .await?;
    // GPAs.
    let mut gpas = Bulk::new(
        "enrolment_gpa",
        &[
            "enrolment_id",
            "institution_id",
            "programme_id",
            "gpa",
            "credits_earned_tenths",
            "credits_attempted_tenths",
            "updated_at",
        ],
    );
    for list in &by_cohort {
        for st in list {
            let Some(rs) = results.get(&st.enrolment.id) else { continue };
            let lines: Vec<TranscriptLine> = rs
                .iter()
                .map(|r| TranscriptLine {
                    semester: 0,
                    line_code: String::new(),
                    course: Default::default(),
                    credits_tenths: r.credits,
                    assessment: String::new(),
                    value: EntryValue { score: None, absent: r.absent, attendance: None },
                    grade: r.graded.then(|| Grade {
                        score: 0,
                        letter: String::new(),
                        five: 0,
                        points: r.points,
                        passed: r.passed,
                    }),
                    sheet_id: String::new(),
                    closed_at_ms: 0,
                    corrected: false,
                    in_gpa: r.in_gpa,
                })
                .collect();
            let (g, earned, attempted) = gpa(&lines);
            gpas.push(
                &mut tx,
                vec![
                    st.enrolment.id.clone().into(),
                    inst_id.into(),
                    st.enrolment.programme_id.clone().into(),
                    g.into(),
                    earned.into(),
                    attempted.into(),
                    now.into(),
                ],
            )
            .await?;
        }
    }
    gpas.flush(&mut tx).await?;
    sqlx::query("INSERT INTO seed_done (institution_code, done_at, carry) VALUES ($1, $2, $3)")
        .bind(format!("{}:{code}", plan.label))
        .bind(now)
        .bind(net)
        .execute(tx.conn())
        .await?;
    let gpa_ms = started.elapsed().as_millis();
    tx.commit().await?;
    *carry += net;
    tracing::info!(
        institution = code,
        students = out.students,
        grades = out.grades,
        holds_ms,
        students_ms,
        courses_ms,
        gpa_ms,
        total_ms = started.elapsed().as_millis(),
        "seeded an institution"
    );
    Ok(out)
}

fn named_person(n: &Named, key: &str, pins: &mut Pins, rng: &mut Rng) -> NewPerson {
    let birth = parse(&n.birth).unwrap_or(time::Date::MIN);
    NewPerson {
        id: stable_id("person", key),
        pin: pins.make(n.sex, birth, rng),
        name: PersonName { family: n.family.clone(), given: n.given.clone(), patronymic: n.patronymic.clone() },
        birth,
        sex: n.sex,
    }
}

async fn person_row(
    tx: &mut WriteTx,
    b: &mut Bulk,
    p: &NewPerson,
    inst: &str,
    now: i64,
    account: Option<String>,
) -> Result<(), sqlx::Error> {
    b.push(
        tx,
        vec![
            p.id.clone().into(),
            p.pin.clone().into(),
            "".into(),
            p.name.family.clone().into(),
            p.name.given.clone().into(),
            p.name.patronymic.clone().into(),
            edu24_shared::names::latin(&p.name.family).into(),
            edu24_shared::names::latin(&p.name.given).into(),
            edu24_shared::names::latin(&p.name.patronymic).into(),
            name_key(&p.name).into(),
            p.birth.to_string().into(),
            p.sex.as_str().into(),
            "KG".into(),
            Val::OT(None),
            inst.into(),
            now.into(),
            SEED_ACTOR.into(),
            1i64.into(),
            Val::OT(account),
        ],
    )
    .await
}

async fn head(tx: &mut WriteTx, inst: &str) -> Result<(i64, String), sqlx::Error> {
    sqlx::query("INSERT INTO grade_log_head (institution_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING")
        .bind(inst)
        .bind(GENESIS)
        .execute(tx.conn())
        .await?;
    let r = sqlx::query("SELECT seq, hash FROM grade_log_head WHERE institution_id = $1")
        .bind(inst)
        .fetch_one(tx.conn())
        .await?;
    Ok((r.get(0), r.get(1)))
}

#[allow(clippy::too_many_arguments)]
async fn seal_push(
    tx: &mut WriteTx,
    log: &mut Bulk,
    seal: &GradeSeal,
    inst: &str,
    seq: &mut i64,
    prev: &mut String,
    at: i64,
    action: &str,
    sheet_id: &str,
    enrolment_id: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    *seq += 1;
    let r = Record { institution_id: inst, seq: *seq, at, actor: SEED_ACTOR, action, sheet_id, enrolment_id, detail };
    let hash = seal.seal_record(prev, &r);
    log.push(
        tx,
        vec![
            inst.into(),
            (*seq).into(),
            at.into(),
            SEED_ACTOR.into(),
            action.into(),
            sheet_id.into(),
            enrolment_id.into(),
            detail.into(),
            prev.clone().into(),
            hash.clone().into(),
            seal.id().into(),
        ],
    )
    .await?;
    *prev = hash;
    Ok(())
}
