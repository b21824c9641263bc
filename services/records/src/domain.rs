//! Records domain: persons, enrolments and orders, and the rules they obey. No I/O.
//!
//! An enrolment's state is what its orders made it: each order is appended (never
//! changed) and moves the enrolment from one status to the next by [`OrderKind::next`].

use edu24_shared::ApiError;
use edu24_shared::code_enum;
use edu24_shared::people::{pin_birth_date, pin_sex, valid_name, valid_ticket};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use edu24_shared::names::Level;

code_enum!(
    /// Where an enrolment stands.
    EnrolmentStatus {
        Active = "active",
        AcademicLeave = "academic_leave",
        Expelled = "expelled",
        Graduated = "graduated",
        TransferredOut = "transferred_out",
    }
);
code_enum!(
    /// What an order does.
    OrderKind {
        Admission = "admission",
        GroupTransfer = "group_transfer",
        ProgrammeTransfer = "programme_transfer",
        AcademicLeave = "academic_leave",
        Return = "return",
        Expulsion = "expulsion",
        Reinstatement = "reinstatement",
        Graduation = "graduation",
    }
);
code_enum!(
    /// Who pays.
    Funding { Grant = "grant", Contract = "contract" }
);
code_enum!(
    Sex { Female = "female", Male = "male" }
);

impl EnrolmentStatus {
    /// Whether the student holds a place of the licence (counted by catalogue).
    pub fn holds_place(self) -> bool {
        matches!(self, EnrolmentStatus::Active | EnrolmentStatus::AcademicLeave)
    }
}

impl OrderKind {
    /// The status an order leads to from `from` (`None` for admission), or `None` when
    /// the order cannot be given to an enrolment in that status.
    pub fn next(self, from: Option<EnrolmentStatus>) -> Option<EnrolmentStatus> {
        use EnrolmentStatus as S;
        match (self, from) {
            (OrderKind::Admission, None) => Some(S::Active),
            (OrderKind::GroupTransfer, Some(S::Active)) => Some(S::Active),
            // The old enrolment ends; the new programme gets an enrolment of its own.
            (OrderKind::ProgrammeTransfer, Some(S::Active)) => Some(S::TransferredOut),
            (OrderKind::AcademicLeave, Some(S::Active)) => Some(S::AcademicLeave),
            (OrderKind::Return, Some(S::AcademicLeave)) => Some(S::Active),
            (OrderKind::Expulsion, Some(S::Active | S::AcademicLeave)) => Some(S::Expelled),
            (OrderKind::Reinstatement, Some(S::Expelled)) => Some(S::Active),
            (OrderKind::Graduation, Some(S::Active)) => Some(S::Graduated),
            _ => None,
        }
    }

    /// Orders that need a place of a licence (a hold from catalogue) before they are given.
    pub fn takes_a_place(self) -> bool {
        matches!(self, OrderKind::Admission | OrderKind::ProgrammeTransfer | OrderKind::Reinstatement)
    }

    /// Orders that must say why.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            OrderKind::Expulsion | OrderKind::AcademicLeave | OrderKind::Reinstatement | OrderKind::ProgrammeTransfer
        )
    }
}

/// A person's name as in the passport.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonName {
    pub family: String,
    pub given: String,
    pub patronymic: String,
}

impl PersonName {
    pub fn full(&self) -> String {
        [self.family.as_str(), self.given.as_str(), self.patronymic.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
    pub fn trimmed(&self) -> PersonName {
        PersonName {
            family: self.family.trim().to_owned(),
            given: self.given.trim().to_owned(),
            patronymic: self.patronymic.trim().to_owned(),
        }
    }
    pub fn is_blank(&self) -> bool {
        self.family.is_empty() && self.given.is_empty() && self.patronymic.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: String,
    pub pin: Option<String>,
    pub pin_exception: String,
    pub name: PersonName,
    pub latin: PersonName,
    pub birth_date: String,
    pub sex: Sex,
    pub citizenship: String,
    pub merged_into: Option<String>,
    pub created_at_ms: i64,
    pub created_by: String,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonInput {
    pub pin: String,
    pub pin_exception: String,
    pub name: PersonName,
    pub latin: PersonName,
    pub birth_date: String,
    pub sex: String,
    pub citizenship: String,
    pub institution_id: String,
    pub confirm_distinct: bool,
}

fn date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

impl PersonInput {
    /// The person as they will be recorded, or the first problem with its field. A PIN
    /// carries the birth date and sex: they must agree with it.
    pub fn validate(
        &self,
        today: time::Date,
    ) -> Result<(String, Option<String>, Sex, PersonName, PersonName), ApiError> {
        let bad = |field: &str, reason: &str, m: &str| Err(ApiError::invalid(field, m).with_reason(reason));
        let name = self.name.trimmed();
        if !valid_name(&name.family) || !valid_name(&name.given) {
            return bad("name", "name_required", "give the family and given names as in the passport (letters only)");
        }
        if !name.patronymic.is_empty() && !valid_name(&name.patronymic) {
            return bad("patronymic", "name_format", "the patronymic has letters only");
        }
        let latin = self.latin.trimmed();
        for part in [&latin.family, &latin.given, &latin.patronymic] {
            if !part.is_empty() && (!valid_name(part) || !part.is_ascii()) {
                return bad("latin", "latin_format", "the Latin name has Latin letters only");
            }
        }
        let birth = match date(self.birth_date.trim()) {
            Some(d) => d,
            None => return bad("birth_date", "date_format", "the birth date is YYYY-MM-DD"),
        };
        let age = today.year() - birth.year();
        if birth > today || !(14..=100).contains(&age) {
            return bad("birth_date", "birth_date_range", "the birth date gives an age from 14 to 100");
        }
        let citizenship = {
            let c = self.citizenship.trim().to_uppercase();
            if c.is_empty() { "KG".to_owned() } else { c }
        };
        if citizenship.len() != 2 || !citizenship.bytes().all(|b| b.is_ascii_uppercase()) {
            return bad(
                "citizenship",
                "citizenship_format",
                "citizenship is a two-letter country code, e.g. KG, KZ, IN",
            );
        }
        let pin = self.pin.trim();
        let sex_given = Sex::parse(self.sex.trim());
        if pin.is_empty() {
            if self.pin_exception.trim().chars().count() < 5 {
                return bad("pin", "pin_required", "give the PIN, or say why the person has none (a foreigner, say)");
            }
            let Some(sex) = sex_given else {
                return bad("sex", "sex_required", "say the sex (female or male)");
            };
            return Ok((citizenship, None, sex, name, latin));
        }
        let Some(pin_date) = pin_birth_date(pin) else {
            return bad("pin", "pin_format", "a PIN is 14 digits: 1 or 2, the birth date DDMMYYYY, then 5 digits");
        };
        if pin_date != birth {
            return bad("birth_date", "pin_birth_date", "the birth date differs from the one in the PIN");
        }
        let sex = match (pin_sex(pin), sex_given) {
            (Some("female"), None | Some(Sex::Female)) => Sex::Female,
            (Some("male"), None | Some(Sex::Male)) => Sex::Male,
            _ => return bad("sex", "pin_sex", "the sex differs from the one in the PIN"),
        };
        Ok((citizenship, Some(pin.to_owned()), sex, name, latin))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Enrolment {
    pub id: String,
    pub person_id: String,
    pub institution_id: String,
    pub programme_id: String,
    pub specialty_code: String,
    pub level: Level,
    pub form: String,
    pub intake_year: i32,
    pub study_group: String,
    pub funding: Funding,
    pub status: EnrolmentStatus,
    pub student_ticket: String,
    pub licence_id: String,
    pub version: i64,
    pub since: String,
}

impl Enrolment {
    /// The year of study on `today` (from 1), counting academic years from 1 September.
    pub fn year_of_study(&self, today: time::Date) -> i32 {
        let academic = if u8::from(today.month()) >= 9 { today.year() } else { today.year() - 1 };
        (academic - self.intake_year + 1).max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Order {
    pub id: String,
    pub enrolment_id: String,
    pub person_id: String,
    pub institution_id: String,
    pub kind: OrderKind,
    pub number: String,
    pub signed_on: String,
    pub effective_on: String,
    pub signatory: String,
    pub reason: String,
    pub detail: String,
    pub recorded_at_ms: i64,
    pub recorded_by: String,
    pub status_after: EnrolmentStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OrderInput {
    pub kind: String,
    pub institution_id: String,
    pub enrolment_id: String,
    pub person_id: String,
    pub programme_id: String,
    pub intake_year: i32,
    pub study_group: String,
    pub funding: String,
    pub student_ticket: String,
    pub number: String,
    pub signed_on: String,
    pub effective_on: String,
    pub signatory: String,
    pub reason: String,
    pub request_id: String,
}

/// The parts every order has, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderHead {
    pub kind: OrderKind,
    pub number: String,
    pub signed_on: String,
    pub effective_on: String,
    pub signatory: String,
    pub reason: String,
}

pub fn is_group(s: &str) -> bool {
    (1..=24).contains(&s.chars().count())
        && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ' '))
}

impl OrderInput {
    pub fn head(&self) -> Result<OrderHead, ApiError> {
        let bad = |field: &str, reason: &str, m: &str| Err(ApiError::invalid(field, m).with_reason(reason));
        let Some(kind) = OrderKind::parse(self.kind.trim()) else {
            return bad("kind", "order_kind", "choose what the order does");
        };
        let number = self.number.trim();
        if number.is_empty() || number.chars().count() > 40 {
            return bad("number", "order_number", "give the order's number (at most 40 characters)");
        }
        let (Some(signed), Some(effective)) = (date(self.signed_on.trim()), date(self.effective_on.trim())) else {
            return bad("signed_on", "date_format", "the dates are YYYY-MM-DD");
        };
        if effective < signed.saturating_sub(time::Duration::days(366)) {
            return bad(
                "effective_on",
                "effective_before_signed",
                "an order takes effect at most a year before it is signed",
            );
        }
        let signatory = self.signatory.trim();
        if signatory.chars().count() < 3 || signatory.chars().count() > 200 {
            return bad("signatory", "signatory_required", "name who signed the order");
        }
        let reason = self.reason.trim();
        if kind.needs_reason() && reason.chars().count() < 3 {
            return bad("reason", "reason_required", "this order says why");
        }
        if reason.chars().count() > 1000 {
            return bad("reason", "too_long", "the reason is at most 1000 characters");
        }
        Ok(OrderHead {
            kind,
            number: number.to_owned(),
            signed_on: signed.to_string(),
            effective_on: effective.to_string(),
            signatory: signatory.to_owned(),
            reason: reason.to_owned(),
        })
    }

    /// Group, funding and ticket of an admission (or of the new programme of a transfer).
    pub fn placement(&self) -> Result<(String, Funding, String), ApiError> {
        let group = self.study_group.trim();
        if !is_group(group) {
            return Err(ApiError::invalid("study_group", "name the study group (at most 24 letters, digits, - / .)")
                .with_reason("group_format"));
        }
        let Some(funding) = Funding::parse(self.funding.trim()) else {
            return Err(ApiError::invalid("funding", "funding is grant or contract").with_reason("funding"));
        };
        let ticket = self.student_ticket.trim();
        if !ticket.is_empty() && !valid_ticket(ticket) {
            return Err(ApiError::invalid("student_ticket", "a student ticket is 3 to 32 letters, digits or -")
                .with_reason("ticket_format"));
        }
        Ok((group.to_owned(), funding, ticket.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonFile {
    pub person: Person,
    pub enrolments: Vec<Enrolment>,
    pub orders: Vec<Order>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StudentRow {
    pub enrolment: Enrolment,
    pub name: PersonName,
    pub pin: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StudentQuery {
    pub institution_id: String,
    pub query: String,
    pub programme_id: Option<String>,
    pub study_group: Option<String>,
    pub status: Option<EnrolmentStatus>,
    pub page: u32,
    pub per_page: u32,
}

pub const MAX_PER_PAGE: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// A row of an intake roster, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RosterRow {
    pub pin: String,
    pub pin_exception: String,
    pub name: PersonName,
    pub birth_date: String,
    pub sex: String,
    pub citizenship: String,
    pub student_ticket: String,
    pub study_group: String,
    pub funding: String,
    /// The row's number in the file, for reports; 0: its place in the list + 2 (the header is row 1).
    #[serde(default)]
    pub row: u32,
}

impl RosterRow {
    /// The number of the row `i` of a roster in its file.
    pub fn number(&self, i: usize) -> u32 {
        if self.row > 0 { self.row } else { i as u32 + 2 }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowProblem {
    pub row: u32,
    pub field: String,
    pub reason: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdmitIntake {
    pub institution_id: String,
    pub programme_id: String,
    pub intake_year: i32,
    pub number: String,
    pub signed_on: String,
    pub effective_on: String,
    pub signatory: String,
    pub rows: Vec<RosterRow>,
    pub request_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdmitReport {
    pub rows: u32,
    pub admitted: u32,
    pub known_persons: u32,
    pub problems: Vec<RowProblem>,
    pub free_places: i32,
}

pub const MAX_ROSTER_ROWS: usize = 10_000;

/// Today in UTC.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Intake years an enrolment may have.
pub const INTAKE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn person() -> PersonInput {
        PersonInput {
            pin: "11503200512345".into(),
            name: PersonName {
                family: "Токтосунова".into(), given: "Айпери".into(), patronymic: String::new()
            },
            birth_date: "2005-03-15".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_pin_carries_birth_date_and_sex_that_must_agree() {
        let today = date!(2026 - 12 - 01);
        let (citizenship, pin, sex, name, _) = person().validate(today).unwrap();
        assert_eq!(
            (citizenship.as_str(), pin.as_deref(), sex, name.family.as_str()),
            ("KG", Some("11503200512345"), Sex::Female, "Токтосунова")
        );
        let mut p = person();
        p.birth_date = "2005-03-16".into();
        assert_eq!(p.validate(today).unwrap_err().reason.as_deref(), Some("pin_birth_date"));
        let mut p = person();
        p.sex = "male".into();
        assert_eq!(p.validate(today).unwrap_err().reason.as_deref(), Some("pin_sex"));
        let mut p = person();
        p.pin = String::new();
        assert_eq!(p.validate(today).unwrap_err().reason.as_deref(), Some("pin_required"));
        p.pin_exception = "Citizen of India, no Kyrgyz PIN".into();
        p.sex = "female".into();
        p.citizenship = "in".into();
        assert_eq!(p.validate(today).unwrap().0, "IN");
        let mut p = person();
        p.birth_date = "2020-03-15".into();
        p.pin = "11503202012345".into();
        assert_eq!(p.validate(today).unwrap_err().reason.as_deref(), Some("birth_date_range"));
    }

    #[test]
    fn orders_move_enrolments_only_along_the_allowed_paths() {
        use EnrolmentStatus as S;
        assert_eq!(OrderKind::Admission.next(None), Some(S::Active));
        assert_eq!(OrderKind::Admission.next(Some(S::Active)), None);
        assert_eq!(OrderKind::AcademicLeave.next(Some(S::Active)), Some(S::AcademicLeave));
        assert_eq!(OrderKind::Return.next(Some(S::AcademicLeave)), Some(S::Active));
        assert_eq!(OrderKind::Return.next(Some(S::Active)), None);
        assert_eq!(OrderKind::Expulsion.next(Some(S::AcademicLeave)), Some(S::Expelled));
        assert_eq!(OrderKind::Reinstatement.next(Some(S::Expelled)), Some(S::Active));
        assert_eq!(OrderKind::Graduation.next(Some(S::AcademicLeave)), None, "a student on leave does not graduate");
        assert_eq!(OrderKind::Graduation.next(Some(S::Graduated)), None);
        assert_eq!(OrderKind::ProgrammeTransfer.next(Some(S::Active)), Some(S::TransferredOut));
        for k in OrderKind::ALL {
            for s in EnrolmentStatus::ALL {
                if matches!(s, S::Graduated | S::TransferredOut) {
                    assert_eq!(k.next(Some(*s)), None, "{k} after {s}: nothing follows");
                }
            }
        }
        assert!(OrderKind::Admission.takes_a_place() && !OrderKind::AcademicLeave.takes_a_place());
    }

    #[test]
    fn an_order_names_its_number_dates_signatory_and_reason() {
        let mut o = OrderInput {
            kind: "expulsion".into(),
            number: "123-к".into(),
            signed_on: "2026-11-30".into(),
            effective_on: "2026-12-01".into(),
            signatory: "Ректор К. Ж. Сыдыков".into(),
            ..Default::default()
        };
        assert_eq!(o.head().unwrap_err().reason.as_deref(), Some("reason_required"));
        o.reason = "Academic failure (two sessions)".into();
        assert_eq!(o.head().unwrap().kind, OrderKind::Expulsion);
        o.effective_on = "2024-01-01".into();
        assert_eq!(o.head().unwrap_err().reason.as_deref(), Some("effective_before_signed"));
        let e = Enrolment {
            id: "e".into(),
            person_id: "p".into(),
            institution_id: "i".into(),
            programme_id: "pr".into(),
            specialty_code: "530500".into(),
            level: Level::Bachelor,
            form: "full_time".into(),
            intake_year: 2024,
            study_group: "ЮР-24-1".into(),
            funding: Funding::Contract,
            status: EnrolmentStatus::Active,
            student_ticket: String::new(),
            licence_id: String::new(),
            version: 1,
            since: "2024-09-01".into(),
        };
        assert_eq!(e.year_of_study(date!(2026 - 12 - 01)), 3);
        assert_eq!(e.year_of_study(date!(2026 - 06 - 01)), 2);
        assert!(is_group("ЮР-24-1") && !is_group(""));
    }
}
