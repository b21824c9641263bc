//! Catalogue domain: the education framework, institutions, programmes, licences, and
//! the rules they obey. No I/O here.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use edu24_shared::ApiError;

/// A name in the three languages of EDU24.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Localized {
    pub ky: String,
    pub ru: String,
    pub en: String,
}

impl Localized {
    pub fn new(ky: &str, ru: &str, en: &str) -> Self {
        Self { ky: ky.to_owned(), ru: ru.to_owned(), en: en.to_owned() }
    }

    /// The name in `lang`, falling back to Russian, Kyrgyz, then English when a
    /// translation is missing.
    pub fn get(&self, lang: &str) -> &str {
        let first = match lang {
            "ky" => &self.ky,
            "ru" => &self.ru,
            _ => &self.en,
        };
        [first, &self.ru, &self.ky, &self.en].into_iter().find(|s| !s.is_empty()).map(String::as_str).unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        self.ky.is_empty() && self.ru.is_empty() && self.en.is_empty()
    }
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($s => Some($name::$variant),)+ _ => None } }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

code_enum!(
    /// Level of higher education.
    Level { Bachelor = "bachelor", Master = "master", Specialist = "specialist", Phd = "phd" }
);
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
    pub version: i64,
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
}

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
    pub programmes: Vec<Programme>,
    pub licences: Vec<Licence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProgrammeDetail {
    pub programme: Programme,
    pub institution: InstitutionSummary,
    /// The licence of the same specialty, level and form, if any.
    pub licence: Option<Licence>,
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
        Ok(())
    }
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
