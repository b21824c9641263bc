//! Catalogue domain: the education framework, institutions, programmes, licences, and
//! the rules they obey. No I/O here.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use edu24_shared::ApiError;

use edu24_shared::code_enum;
pub use edu24_shared::names::{Level, Localized};

code_enum!(
    /// Form of study.
    StudyForm { FullTime = "full_time", PartTime = "part_time", Evening = "evening", Distance = "distance" }
);
code_enum!(
    /// Who owns an institution.
    Ownership { State = "state", Private = "private", Intergovernmental = "intergovernmental", Unknown = "unknown" }
);
code_enum!(
    /// Whether an institution operates.
    InstitutionStatus { Active = "active", Merged = "merged", Suspended = "suspended", Closed = "closed" }
);
code_enum!(
    /// Standing of a licence.
    LicenceStatus { Active = "active", Suspended = "suspended", Revoked = "revoked" }
);

/// A level of education with its nominal length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelInfo {
    pub code: Level,
    pub name: Localized,
    pub nominal_credits: i32,
    pub nominal_years: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FormInfo {
    pub code: StudyForm,
    pub name: Localized,
}

/// A region (oblast) or a city of republican significance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Region {
    pub code: String,
    pub name: Localized,
}

/// A broad field of ISCED-F 2013.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IscedField {
    pub code: String,
    pub name: Localized,
}

/// An entry of the classifier of directions and specialties: a 6-digit code at a level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Specialty {
    pub code: String,
    pub level: Level,
    pub name: Localized,
    pub isced_f_broad: String,
    /// Whether the entry was checked against a public source.
    pub verified: bool,
    /// Study forms in which admission is barred for this specialty.
    pub barred_forms: Vec<StudyForm>,
    /// First day the entry is part of the classifier, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Last day, `YYYY-MM-DD`; `None` while it stays.
    pub valid_to: Option<String>,
    /// Grows with every recorded change.
    pub version: i64,
}

impl Specialty {
    /// Whether the entry is part of the classifier on `date` (`YYYY-MM-DD`).
    pub fn valid_on(&self, date: &str) -> bool {
        self.valid_from.as_str() <= date && self.valid_to.as_deref().is_none_or(|to| date <= to)
    }
}

/// The national education framework.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Framework {
    pub levels: Vec<LevelInfo>,
    pub forms: Vec<FormInfo>,
    pub regions: Vec<Region>,
    pub isced_fields: Vec<IscedField>,
    pub specialties: Vec<Specialty>,
}

impl Framework {
    pub fn specialty(&self, code: &str, level: Level) -> Option<&Specialty> {
        self.specialties.iter().find(|s| s.code == code && s.level == level)
    }
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }
    pub fn level(&self, code: Level) -> Option<&LevelInfo> {
        self.levels.iter().find(|l| l.code == code)
    }
    pub fn form(&self, code: StudyForm) -> Option<&FormInfo> {
        self.forms.iter().find(|l| l.code == code)
    }
    pub fn isced(&self, code: &str) -> Option<&IscedField> {
        self.isced_fields.iter().find(|l| l.code == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstitutionSummary {
    pub id: String,
    /// Short stable code used in addresses, e.g. `knu`.
    pub code: String,
    pub name: Localized,
    /// Region code; empty when unknown.
    pub region: String,
    pub city: Localized,
    pub ownership: Ownership,
    pub status: InstitutionStatus,
    pub founded: Option<i32>,
    pub website: String,
    pub special_status: bool,
    pub programme_count: u32,
    pub levels: Vec<Level>,
    /// Languages of instruction across its programmes and profile.
    pub languages: Vec<String>,
    /// Whether its institutional accreditation is in force today.
    pub accredited: bool,
    pub version: i64,
}

/// What an institution says about itself, kept by its admin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstitutionProfile {
    pub address: Localized,
    pub phone: String,
    pub email: String,
    pub rector: String,
    /// Languages of instruction, as codes (ky, ru, en, tr, ...).
    pub languages: Vec<String>,
    /// Id of the current logo image, if any.
    pub logo: Option<String>,
    /// Ids of photos, newest first.
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Programme {
    pub id: String,
    pub institution_id: String,
    pub specialty_code: String,
    pub level: Level,
    pub specialty_name: Localized,
    pub form: StudyForm,
    /// Language of instruction: ky, ru, en, tr, ...
    pub language: String,
    pub duration_months: i32,
    pub credits: i32,
    /// Tuition per year for citizens of the Kyrgyz Republic, in som; `None` when unknown.
    pub fee_citizen: Option<i64>,
    /// Tuition per year for foreign citizens, in som.
    pub fee_foreign: Option<i64>,
    /// Places on state grants this admission year.
    pub grant_places: i32,
    /// Places on contract this admission year.
    pub contract_places: i32,
    /// The admission year the places and fees are for (0 when never set).
    pub admission_year: i32,
    /// Lowest ORT score admitted on a grant last year, when known.
    pub passing_score: Option<i32>,
    pub passing_score_year: Option<i32>,
    /// Graduates of the last surveyed year and how many of them work, when known.
    pub graduates: Option<i32>,
    pub graduates_employed: Option<i32>,
    pub outcomes_year: Option<i32>,
    pub version: i64,
}

impl Programme {
    /// Share of graduates employed, in whole percent, only when at least
    /// [`SMALL_COUNT`] graduated (smaller groups could identify a person).
    pub fn employment_percent(&self) -> Option<u32> {
        match (self.graduates, self.graduates_employed) {
            (Some(g), Some(e)) if g >= SMALL_COUNT && (0..=g).contains(&e) => {
                Some((e as u32 * 100 + g as u32 / 2) / g as u32)
            }
            _ => None,
        }
    }
}

/// Figures below this are not published: they could identify a person.
pub const SMALL_COUNT: i32 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Licence {
    pub id: String,
    pub institution_id: String,
    pub specialty_code: String,
    pub level: Level,
    pub form: StudyForm,
    /// Licensed contingent: the most students the institution may hold under it.
    pub contingent: i32,
    /// First day of validity, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Last day of validity, `YYYY-MM-DD`; `None` for an indefinite licence.
    pub valid_to: Option<String>,
    pub document_no: String,
    pub status: LicenceStatus,
    /// Why it was suspended or revoked.
    pub reason: String,
    pub version: i64,
}

impl Licence {
    /// Whether the licence allows teaching on `date` (`YYYY-MM-DD`).
    pub fn in_force_on(&self, date: &str) -> bool {
        self.status == LicenceStatus::Active
            && self.valid_from.as_str() <= date
            && self.valid_to.as_deref().is_none_or(|to| date <= to)
    }
    pub fn covers(&self, p: &Programme) -> bool {
        self.specialty_code == p.specialty_code && self.level == p.level && self.form == p.form
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Institution {
    pub summary: InstitutionSummary,
    pub profile: InstitutionProfile,
    pub programmes: Vec<Programme>,
    pub licences: Vec<Licence>,
    pub accreditations: Vec<Accreditation>,
}

code_enum!(
    /// Outcome of an accreditation.
    AccreditationResult { Accredited = "accredited", Conditional = "conditional", Denied = "denied", Withdrawn = "withdrawn" }
);

/// An accreditation decision, of a whole institution or of one programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Accreditation {
    pub id: String,
    pub institution_id: String,
    /// `None` for institutional accreditation.
    pub programme_id: Option<String>,
    /// The accrediting agency, e.g. "Агентство EdNet".
    pub agency: String,
    pub result: AccreditationResult,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub document_no: String,
    pub version: i64,
}

impl Accreditation {
    /// Whether it counts as accredited on `date`.
    pub fn in_force_on(&self, date: &str) -> bool {
        matches!(self.result, AccreditationResult::Accredited | AccreditationResult::Conditional)
            && self.valid_from.as_str() <= date
            && self.valid_to.as_deref().is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProgrammeDetail {
    pub programme: Programme,
    pub institution: InstitutionSummary,
    /// The licence of the same specialty, level and form, if any.
    pub licence: Option<Licence>,
    /// Decisions about this programme and about its institution, newest first.
    pub accreditations: Vec<Accreditation>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    /// Active institutions.
    pub institutions: u64,
    pub programmes: u64,
    /// Licences in force (status active).
    pub licences: u64,
    /// Sum of the contingents of active licences.
    pub licensed_contingent: u64,
    /// Active institutions per region code, most first.
    pub institutions_by_region: Vec<(String, u64)>,
    /// Programmes per ISCED-F broad field code, most first.
    pub programmes_by_field: Vec<(String, u64)>,
}

/// A search of the public catalogue of institutions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstitutionQuery {
    pub text: String,
    pub region: Option<String>,
    pub ownership: Option<Ownership>,
    pub level: Option<Level>,
    pub specialty: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub sort_language: String,
}

pub const MAX_PER_PAGE: u32 = 100;
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_QUERY_CHARS: usize = 200;

impl InstitutionQuery {
    /// Checks bounds; the gateway validates earlier, but a service trusts no caller.
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.text.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::invalid("q", format!("search text is longer than {MAX_QUERY_CHARS} characters")));
        }
        if self.page == 0 || self.page > 100_000 {
            return Err(ApiError::invalid("page", "page must be a number from 1"));
        }
        if self.per_page == 0 || self.per_page > MAX_PER_PAGE {
            return Err(ApiError::invalid("per_page", format!("per_page must be from 1 to {MAX_PER_PAGE}")));
        }
        if let Some(s) = &self.specialty
            && !is_specialty_code(s)
        {
            return Err(ApiError::invalid("specialty", "specialty must be a 6-digit code"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// What the ministry sends to create or change an institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstitutionInput {
    pub code: String,
    pub name: Localized,
    pub region: String,
    pub city: Localized,
    pub ownership: Ownership,
    pub status: InstitutionStatus,
    pub founded: Option<i32>,
    pub website: String,
    pub special_status: bool,
}

/// What the ministry sends to grant or change a licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LicenceInput {
    /// Empty for a new licence.
    pub id: Option<String>,
    pub institution_code: String,
    pub specialty_code: String,
    pub level: Level,
    pub form: StudyForm,
    pub contingent: i32,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub document_no: String,
    pub status: LicenceStatus,
    /// Required when the status is suspended or revoked.
    pub reason: String,
}

pub fn is_specialty_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn is_institution_code(s: &str) -> bool {
    (2..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn check_name(field: &str, name: &Localized) -> Result<(), ApiError> {
    for (lang, v) in [("ky", &name.ky), ("ru", &name.ru), ("en", &name.en)] {
        if v.trim().is_empty() {
            return Err(ApiError::invalid(&format!("{field}.{lang}"), format!("{field} in {lang} is required")));
        }
        if v.chars().count() > 300 {
            return Err(ApiError::invalid(
                &format!("{field}.{lang}"),
                format!("{field} in {lang} is longer than 300 characters"),
            ));
        }
    }
    Ok(())
}

impl InstitutionInput {
    pub fn validate(&self, framework: &Framework, this_year: i32) -> Result<(), ApiError> {
        if !is_institution_code(&self.code) {
            return Err(ApiError::invalid("code", "code must be 2 to 32 lowercase letters, digits or _"));
        }
        check_name("name", &self.name)?;
        if !self.region.is_empty() && framework.region(&self.region).is_none() {
            return Err(ApiError::invalid("region", format!("unknown region {:?}", self.region)));
        }
        if let Some(y) = self.founded
            && !(1800..=this_year).contains(&y)
        {
            return Err(ApiError::invalid("founded", format!("founding year must be from 1800 to {this_year}")));
        }
        if self.website.len() > 200 || self.website.contains(char::is_whitespace) {
            return Err(ApiError::invalid("website", "website must be a domain such as knu.kg"));
        }
        Ok(())
    }
}

impl LicenceInput {
    pub fn validate(&self, framework: &Framework) -> Result<(), ApiError> {
        if framework.specialty(&self.specialty_code, self.level).is_none() {
            return Err(ApiError::invalid(
                "specialty_code",
                format!("{} at level {} is not in the classifier", self.specialty_code, self.level),
            ));
        }
        if !(1..=100_000).contains(&self.contingent) {
            return Err(ApiError::invalid("contingent", "licensed contingent must be from 1 to 100000"));
        }
        let from = parse_date(&self.valid_from)
            .ok_or_else(|| ApiError::invalid("valid_from", "valid_from must be a date YYYY-MM-DD"))?;
        if let Some(to) = &self.valid_to {
            let to =
                parse_date(to).ok_or_else(|| ApiError::invalid("valid_to", "valid_to must be a date YYYY-MM-DD"))?;
            if to < from {
                return Err(ApiError::invalid("valid_to", "valid_to is before valid_from"));
            }
        }
        let doc = self.document_no.trim();
        if doc.is_empty() || doc.chars().count() > 64 {
            return Err(ApiError::invalid("document_no", "document number is required (at most 64 characters)"));
        }
        if self.status != LicenceStatus::Active && self.reason.trim().is_empty() {
            return Err(ApiError::invalid("reason", "say why the licence is suspended or revoked"));
        }
        if self.reason.chars().count() > 1000 {
            return Err(ApiError::invalid("reason", "reason is longer than 1000 characters"));
        }
        Ok(())
    }
}

/// What the ministry sends to add or change an entry of the classifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpecialtyInput {
    pub code: String,
    pub level: Level,
    pub name: Localized,
    pub isced_f_broad: String,
    pub verified: bool,
    pub barred_forms: Vec<StudyForm>,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

impl SpecialtyInput {
    pub fn validate(&self, framework: &Framework) -> Result<(), ApiError> {
        if !is_specialty_code(&self.code) {
            return Err(ApiError::invalid("code", "code must be 6 digits, e.g. 580100"));
        }
        check_name("name", &self.name)?;
        if framework.isced(&self.isced_f_broad).is_none() {
            return Err(ApiError::invalid(
                "isced_f_broad",
                format!("{:?} is not an ISCED-F broad field (00 to 10)", self.isced_f_broad),
            ));
        }
        check_period(&self.valid_from, self.valid_to.as_deref())
    }
}

/// Checks a `valid_from`..`valid_to` pair of dates.
pub fn check_period(from: &str, to: Option<&str>) -> Result<(), ApiError> {
    let from =
        parse_date(from).ok_or_else(|| ApiError::invalid("valid_from", "valid_from must be a date YYYY-MM-DD"))?;
    if let Some(to) = to {
        let to = parse_date(to).ok_or_else(|| ApiError::invalid("valid_to", "valid_to must be a date YYYY-MM-DD"))?;
        if to < from {
            return Err(ApiError::invalid("valid_to", "valid_to is before valid_from"));
        }
    }
    Ok(())
}

/// One recorded state of a classifier entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpecialtyVersion {
    pub specialty: Specialty,
    /// When the state was recorded (epoch ms) and by whom.
    pub recorded_at: i64,
    pub recorded_by: String,
}

/// What an institution's admin keeps about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileInput {
    pub institution_code: String,
    pub name: Localized,
    pub address: Localized,
    pub phone: String,
    pub email: String,
    pub rector: String,
    pub founded: Option<i32>,
    pub website: String,
    pub languages: Vec<String>,
}

/// Languages a programme may be taught in.
pub const TEACHING_LANGUAGES: &[&str] = &["ky", "ru", "en", "tr", "de", "zh", "uz", "ar", "fr", "ko", "ja"];

impl ProfileInput {
    pub fn validate(&self, this_year: i32) -> Result<(), ApiError> {
        check_name("name", &self.name)?;
        for (lang, v) in [("ky", &self.address.ky), ("ru", &self.address.ru), ("en", &self.address.en)] {
            if v.chars().count() > 300 {
                return Err(ApiError::invalid(&format!("address.{lang}"), "address is longer than 300 characters"));
            }
        }
        if self.phone.chars().count() > 40 || !self.phone.chars().all(|c| c.is_ascii_digit() || " +()-,;".contains(c)) {
            return Err(ApiError::invalid("phone", "phone may hold digits, spaces and + ( ) - , ; only"));
        }
        if !self.email.is_empty()
            && (self.email.len() > 120 || !self.email.contains('@') || self.email.contains(char::is_whitespace))
        {
            return Err(ApiError::invalid("email", "e-mail must look like info@knu.kg"));
        }
        if self.rector.chars().count() > 200 {
            return Err(ApiError::invalid("rector", "rector's name is longer than 200 characters"));
        }
        if let Some(y) = self.founded
            && !(1800..=this_year).contains(&y)
        {
            return Err(ApiError::invalid("founded", format!("founding year must be from 1800 to {this_year}")));
        }
        if self.website.len() > 200 || self.website.contains(char::is_whitespace) {
            return Err(ApiError::invalid("website", "website must be a domain such as knu.kg"));
        }
        if let Some(l) = self.languages.iter().find(|l| !TEACHING_LANGUAGES.contains(&l.as_str())) {
            return Err(ApiError::invalid("languages", format!("unknown language {l:?}")));
        }
        Ok(())
    }
}

/// What an institution's admin sends to add or change a programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProgrammeInput {
    /// Empty for a new programme.
    pub id: Option<String>,
    pub institution_code: String,
    pub specialty_code: String,
    pub level: Level,
    pub form: StudyForm,
    pub language: String,
    pub duration_months: i32,
    pub credits: i32,
    pub fee_citizen: Option<i64>,
    pub fee_foreign: Option<i64>,
    pub grant_places: i32,
    pub contract_places: i32,
    pub admission_year: i32,
}

impl ProgrammeInput {
    pub fn validate(&self, framework: &Framework, today: &str) -> Result<(), ApiError> {
        let s = framework.specialty(&self.specialty_code, self.level).ok_or_else(|| {
            ApiError::invalid(
                "specialty_code",
                format!("{} at level {} is not in the classifier", self.specialty_code, self.level),
            )
        })?;
        if !s.valid_on(today) {
            return Err(ApiError::invalid("specialty_code", format!("{} is no longer in the classifier", s.code)));
        }
        if s.barred_forms.contains(&self.form) {
            return Err(ApiError::invalid("form", format!("{} is barred for {} by the ministry", self.form, s.code)));
        }
        if !TEACHING_LANGUAGES.contains(&self.language.as_str()) {
            return Err(ApiError::invalid("language", format!("unknown language {:?}", self.language)));
        }
        if !(6..=120).contains(&self.duration_months) {
            return Err(ApiError::invalid("duration_months", "duration must be from 6 to 120 months"));
        }
        if !(30..=480).contains(&self.credits) {
            return Err(ApiError::invalid("credits", "credits must be from 30 to 480"));
        }
        for (field, fee) in [("fee_citizen", self.fee_citizen), ("fee_foreign", self.fee_foreign)] {
            if let Some(f) = fee
                && !(0..=10_000_000).contains(&f)
            {
                return Err(ApiError::invalid(field, "a yearly fee must be from 0 to 10000000 som"));
            }
        }
        for (field, n) in [("grant_places", self.grant_places), ("contract_places", self.contract_places)] {
            if !(0..=10_000).contains(&n) {
                return Err(ApiError::invalid(field, "places must be from 0 to 10000"));
            }
        }
        if !(2000..=2100).contains(&self.admission_year) {
            return Err(ApiError::invalid("admission_year", "admission year must be like 2026"));
        }
        Ok(())
    }
}

/// What the ministry sends to record an accreditation decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccreditationInput {
    /// Empty for a new decision.
    pub id: Option<String>,
    pub institution_code: String,
    /// Empty for institutional accreditation.
    pub programme_id: Option<String>,
    pub agency: String,
    pub result: AccreditationResult,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub document_no: String,
}

impl AccreditationInput {
    pub fn validate(&self) -> Result<(), ApiError> {
        let agency = self.agency.trim();
        if agency.is_empty() || agency.chars().count() > 200 {
            return Err(ApiError::invalid("agency", "agency is required (at most 200 characters)"));
        }
        check_period(&self.valid_from, self.valid_to.as_deref())?;
        let doc = self.document_no.trim();
        if doc.is_empty() || doc.chars().count() > 64 {
            return Err(ApiError::invalid("document_no", "document number is required (at most 64 characters)"));
        }
        Ok(())
    }
}

/// The question "may `seats` more students be enrolled under this licence?", asked by
/// a registrar (or records) before an enrolment. A yes holds the places until the
/// enrolment event arrives, the hold is released, or it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HoldRequest {
    pub licence_id: String,
    pub seats: i32,
    /// Chosen by the caller; asking again with the same id returns the same answer.
    pub request_id: String,
}

code_enum!(
    /// Why a hold was refused (or `Granted`).
    HoldVerdict { Granted = "granted", Full = "full", NotInForce = "not_in_force" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HoldAnswer {
    pub verdict: HoldVerdict,
    /// The hold, when granted.
    pub hold_id: Option<String>,
    pub contingent: i32,
    pub enrolled: i32,
    pub held: i32,
    /// Places left after this answer.
    pub free: i32,
    /// When the hold lapses (epoch ms), when granted.
    pub expires_at: i64,
}

/// How long a hold keeps its places unless used or released.
pub const HOLD_TTL_MS: i64 = 30 * 60 * 1000;
/// A whole intake of a programme admitted from one roster (records takes up to 10,000
/// rows a roster) is one hold.
pub const MAX_HOLD_SEATS: i32 = 10_000;

impl HoldRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(1..=MAX_HOLD_SEATS).contains(&self.seats) {
            return Err(ApiError::invalid("seats", format!("seats must be from 1 to {MAX_HOLD_SEATS}")));
        }
        if self.request_id.is_empty() || self.request_id.len() > 100 {
            return Err(ApiError::invalid("request_id", "request_id is required (at most 100 characters)"));
        }
        if self.licence_id.is_empty() || self.licence_id.len() > 64 {
            return Err(ApiError::invalid("licence_id", "licence_id is required"));
        }
        Ok(())
    }
}

/// A licence with its live counters, for the dashboard and alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LicenceUsage {
    pub licence: Licence,
    pub institution_code: String,
    pub institution_name: Localized,
    pub specialty_name: Localized,
    pub enrolled: i32,
    pub held: i32,
}

impl LicenceUsage {
    /// Enrolled and held places as a share of the contingent, in percent.
    pub fn fill_percent(&self) -> u32 {
        if self.licence.contingent <= 0 {
            return 0;
        }
        ((self.enrolled.max(0) + self.held.max(0)) as u64 * 100 / self.licence.contingent as u64) as u32
    }
}

/// A programme taught with no licence in force for its specialty, level and form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnlicensedProgramme {
    pub programme: Programme,
    pub institution_code: String,
    pub institution_name: Localized,
    /// The covering licence, if there is one that is not in force (expired, suspended, revoked).
    pub licence: Option<Licence>,
}

/// The ministry's live view of licensing (or one institution's, for its admin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dashboard {
    /// The day the figures are for.
    pub today: String,
    pub licences_in_force: u32,
    pub licensed_contingent: u64,
    pub enrolled: u64,
    /// Licences filled 90% or more (including full and over), fullest first.
    pub near_full: Vec<LicenceUsage>,
    /// Licences in force ending within 90 days, soonest first.
    pub expiring: Vec<LicenceUsage>,
    pub unlicensed: Vec<UnlicensedProgramme>,
    /// Licences in force by fill band: <50, 50-89, 90-99, 100+.
    pub fill_bands: [u32; 4],
}

pub const EXPIRY_WARNING_DAYS: i64 = 90;
pub const NEAR_FULL_PERCENT: u32 = 90;

/// `date` plus `days`, as `YYYY-MM-DD`.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let d = parse_date(date)?.checked_add(time::Duration::days(days))?;
    Some(format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
}

code_enum!(
    /// What an institution image is for.
    ImageKind { Logo = "logo", Photo = "photo" }
);

/// An uploaded image as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub content_type: String,
    pub data: Vec<u8>,
    pub sha256: String,
}

/// A row refused by an import, 1-based as a spreadsheet counts (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowError {
    pub row: u32,
    pub field: String,
    pub message: String,
}

/// What an import did: all rows applied, or none and every rejected row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub rows: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub errors: Vec<RowError>,
}

pub const MAX_IMPORT_ROWS: usize = 20_000;

code_enum!(
    /// Orders of the programme search.
    ProgrammeSort { Name = "name", FeeAsc = "fee_asc", FeeDesc = "fee_desc", ScoreDesc = "score_desc", GrantDesc = "grant_desc" }
);

/// A search of the public catalogue of programmes. Every filter is optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeQuery {
    pub text: String,
    pub specialty: Option<String>,
    /// ISCED-F broad field code, `00` to `10`.
    pub field: Option<String>,
    pub level: Option<Level>,
    pub region: Option<String>,
    /// Folded city name, in any language.
    pub city: Option<String>,
    pub ownership: Option<Ownership>,
    pub language: Option<String>,
    pub form: Option<StudyForm>,
    /// Only programmes with grant places this year.
    pub grant_only: bool,
    /// Yearly fee for citizens, in som, inclusive.
    pub fee_min: Option<i64>,
    pub fee_max: Option<i64>,
    /// Only programmes whose institution or the programme itself is accredited today.
    pub accredited_only: bool,
    pub sort: ProgrammeSort,
    pub page: u32,
    pub per_page: u32,
    pub sort_language: String,
}

impl Default for ProgrammeQuery {
    fn default() -> Self {
        Self {
            text: String::new(),
            specialty: None,
            field: None,
            level: None,
            region: None,
            city: None,
            ownership: None,
            language: None,
            form: None,
            grant_only: false,
            fee_min: None,
            fee_max: None,
            accredited_only: false,
            sort: ProgrammeSort::Name,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            sort_language: "ru".into(),
        }
    }
}

impl ProgrammeQuery {
    pub fn validate(&self) -> Result<(), ApiError> {
        InstitutionQuery { text: self.text.clone(), page: self.page, per_page: self.per_page, ..Default::default() }
            .validate()?;
        if let Some(s) = &self.specialty
            && !is_specialty_code(s)
        {
            return Err(ApiError::invalid("specialty", "specialty must be a 6-digit code"));
        }
        if let (Some(a), Some(b)) = (self.fee_min, self.fee_max)
            && a > b
        {
            return Err(ApiError::invalid("fee_max", "the highest fee is below the lowest"));
        }
        for (f, v) in [("fee_min", self.fee_min), ("fee_max", self.fee_max)] {
            if v.is_some_and(|v| !(0..=100_000_000).contains(&v)) {
                return Err(ApiError::invalid(f, "a fee must be from 0 to 100000000 som"));
            }
        }
        Ok(())
    }
}

/// One programme found, with what an applicant compares at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProgrammeHit {
    pub programme: Programme,
    pub institution_code: String,
    pub institution_name: Localized,
    pub region: String,
    pub city: Localized,
    pub ownership: Ownership,
    /// A covering licence is in force today.
    pub licensed: bool,
    /// The programme or its institution is accredited today.
    pub accredited: bool,
}

/// Folds text for search: lower case, `ё`→`е`, Kyrgyz letters kept, runs of
/// whitespace and punctuation to one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        for l in c.to_lowercase() {
            let l = if l == 'ё' { 'е' } else { l };
            if l.is_alphanumeric() {
                out.push(l);
                space = false;
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_falls_back_when_a_translation_is_missing() {
        let n = Localized::new("", "Ош", "Osh");
        assert_eq!(n.get("ky"), "Ош");
        assert_eq!(n.get("en"), "Osh");
        assert_eq!(Localized::new("", "", "").get("ru"), "");
    }

    #[test]
    fn folding_ignores_case_punctuation_and_yo() {
        assert_eq!(fold("  Кыргызско-Российский   СЛАВЯНСКИЙ "), "кыргызско российский славянский");
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("Жусуп Баласагын атындагы"), "жусуп баласагын атындагы");
    }

    #[test]
    fn licence_is_in_force_only_inside_its_dates_and_when_active() {
        let mut l = Licence {
            id: "l".into(),
            institution_id: "i".into(),
            specialty_code: "710100".into(),
            level: Level::Bachelor,
            form: StudyForm::FullTime,
            contingent: 100,
            valid_from: "2020-01-01".into(),
            valid_to: Some("2025-06-30".into()),
            document_no: "X1".into(),
            status: LicenceStatus::Active,
            reason: String::new(),
            version: 1,
        };
        assert!(l.in_force_on("2025-06-30"));
        assert!(!l.in_force_on("2025-07-01"));
        assert!(!l.in_force_on("2019-12-31"));
        l.valid_to = None;
        assert!(l.in_force_on("2040-01-01"));
        l.status = LicenceStatus::Suspended;
        assert!(!l.in_force_on("2024-01-01"));
    }

    #[test]
    fn query_bounds_are_checked() {
        let ok = InstitutionQuery { page: 1, per_page: 20, ..Default::default() };
        assert!(ok.validate().is_ok());
        assert_eq!(InstitutionQuery { page: 0, ..ok.clone() }.validate().unwrap_err().field.as_deref(), Some("page"));
        assert_eq!(
            InstitutionQuery { per_page: 101, ..ok.clone() }.validate().unwrap_err().field.as_deref(),
            Some("per_page")
        );
        assert_eq!(
            InstitutionQuery { specialty: Some("71010".into()), ..ok.clone() }.validate().unwrap_err().field.as_deref(),
            Some("specialty")
        );
        assert_eq!(
            InstitutionQuery { text: "я".repeat(201), ..ok }.validate().unwrap_err().field.as_deref(),
            Some("q")
        );
    }

    #[test]
    fn codes_have_their_shape() {
        assert!(is_specialty_code("560001"));
        assert!(!is_specialty_code("56000a"));
        assert!(is_institution_code("academy_mvd"));
        assert!(!is_institution_code("KNU"));
        assert!(!is_institution_code("k"));
    }
}
