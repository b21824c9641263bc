//! records through its trait with a real catalogue beside it (its demo data, its licence
//! holds and its consumer of records' events), on SQLite and (with
//! EDU24_TEST_POSTGRES_URL) PostgreSQL.

use std::sync::Arc;

use edu24_catalogue::CatalogueApi;
use edu24_catalogue::CatalogueService;
use edu24_curriculum::CurriculumService;
use edu24_records::domain::*;
use edu24_records::{RecordsApi, RecordsService};
use edu24_shared::auth::{Authenticator, CallCtx, Role};
use edu24_shared::bus::{Bus, LocalBus};
use edu24_shared::error::ErrorCode;
use edu24_shared::inbox::Consumer;
use edu24_shared::names::stable_id;
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestAuth, TestDb, backends, fresh_db};
use sqlx::Row;

struct Fixture {
    records: Arc<RecordsService>,
    catalogue: Arc<CatalogueService>,
    auth: TestAuth,
    bus: Arc<dyn Bus>,
    cat_db: TestDb,
    t: TestDb,
    _cur_db: TestDb,
    _dir: tempfile::TempDir,
}

fn knu() -> String {
    edu24_catalogue::seed::institution_id("knu")
}
fn oshsu() -> String {
    edu24_catalogue::seed::institution_id("oshsu")
}
fn law() -> String {
    stable_id("programme", "knu:530500:bachelor:full_time:ky")
}
fn law_ru() -> String {
    stable_id("programme", "knu:530500:bachelor:full_time:ru")
}

impl Fixture {
    fn registrar(&self, inst: &str) -> CallCtx {
        self.auth.ctx(&format!("registrar-{inst}"), &[(Role::Registrar, Some(inst))])
    }
    async fn count(&self, sql: &str) -> i64 {
        sqlx::query(sql).fetch_one(self.t.db.pool()).await.unwrap().get(0)
    }
    /// Publishes records' outbox and lets catalogue's consumer apply what came.
    async fn deliver(&self) {
        OutboxRelay::new("records", self.t.db.clone(), self.bus.clone()).drain().await.unwrap();
        let c = Consumer::new(
            edu24_catalogue::events::CONSUMER,
            &[edu24_catalogue::events::ENROLMENT_CHANGED],
            self.cat_db.db.clone(),
            self.bus.clone(),
            Arc::new(edu24_catalogue::events::EnrolmentHandler),
        );
        let mut sub = self.bus.subscribe(&c.name, &c.filters).await.unwrap();
        while let Ok(Ok(d)) = tokio::time::timeout(std::time::Duration::from_millis(300), sub.next()).await {
            c.process(d).await.unwrap();
        }
    }
    async fn licence(&self, key: &str) -> (i64, i64, i64) {
        let r = sqlx::query("SELECT contingent, enrolled, held FROM licence WHERE id = $1")
            .bind(stable_id("licence", key))
            .fetch_one(self.cat_db.db.pool())
            .await
            .unwrap();
        (r.get(0), r.get(1), r.get(2))
    }
}

async fn fixture(backend: &str) -> Fixture {
    let (t, cat_db) = (fresh_db(backend).await.unwrap(), fresh_db(backend).await.unwrap());
    let dir = tempfile::tempdir().unwrap();
    let bus: Arc<dyn Bus> =
        Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
    let auth = TestAuth::new();
    CatalogueService::migrate(&cat_db.db).await.unwrap();
    let catalogue = CatalogueService::open(
        cat_db.db.clone(),
        Authenticator::new(auth.keys.clone()),
        OutboxRelay::new("catalogue", cat_db.db.clone(), bus.clone()),
    )
    .await
    .unwrap();
    edu24_catalogue::seed::demo_seed(&catalogue).await.unwrap();
    let cur_db = fresh_db(backend).await.unwrap();
    CurriculumService::migrate(&cur_db.db).await.unwrap();
    let curriculum = CurriculumService::open(
        cur_db.db.clone(),
        Authenticator::new(auth.keys.clone()),
        OutboxRelay::new("curriculum", cur_db.db.clone(), bus.clone()),
    )
    .await
    .unwrap();
    edu24_records::seed::curriculum_demo_seed(&curriculum, catalogue.as_ref()).await.unwrap();
    RecordsService::migrate(&t.db).await.unwrap();
    let records = RecordsService::open(
        t.db.clone(),
        Authenticator::new(auth.keys.clone()),
        OutboxRelay::new("records", t.db.clone(), bus.clone()),
        catalogue.clone() as Arc<dyn CatalogueApi>,
        curriculum.clone() as Arc<dyn edu24_curriculum::CurriculumApi>,
        edu24_records::gradelog::GradeSeal::new([7; 32]),
    );
    Fixture { records, catalogue, auth, bus, cat_db, t, _cur_db: cur_db, _dir: dir }
}

fn person(pin: &str, family: &str, given: &str, birth: &str) -> PersonInput {
    PersonInput {
        pin: pin.into(),
        name: PersonName { family: family.into(), given: given.into(), patronymic: String::new() },
        birth_date: birth.into(),
        institution_id: knu(),
        ..Default::default()
    }
}

fn order(kind: &str) -> OrderInput {
    OrderInput {
        kind: kind.into(),
        institution_id: knu(),
        number: "1205-к".into(),
        signed_on: "2026-08-25".into(),
        effective_on: "2026-09-01".into(),
        signatory: "Ректор Б. Ж. Жумабеков".into(),
        reason: "Заявление студента".into(),
        ..Default::default()
    }
}

fn admission(person_id: &str) -> OrderInput {
    OrderInput {
        person_id: person_id.into(),
        programme_id: law(),
        intake_year: 2026,
        study_group: "ЮР-26-1".into(),
        funding: "contract".into(),
        ..order("admission")
    }
}

#[tokio::test]
async fn persons_are_one_per_pin_and_duplicates_wait_for_a_decision() {
    for backend in backends() {
        let f = fixture(backend).await;
        let reg = f.registrar(&knu());
        let a = f
            .records
            .person_create(&reg, person("11503200512345", "Токтосунова", "Айпери", "2005-03-15"))
            .await
            .unwrap();
        let a = a.person.unwrap();
        assert_eq!((a.sex, a.citizenship.as_str()), (Sex::Female, "KG"), "{backend}");
        let e = f
            .records
            .person_create(&reg, person("11503200512345", "Токтосунова", "Айпери", "2005-03-15"))
            .await
            .unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("pin_exists"));
        // The same names and birth date, no PIN (a foreigner?): the registrar decides.
        let mut b = person("", "токтосунова", "АЙПЕРИ", "2005-03-15");
        b.pin_exception = "Гражданка Казахстана, ПИН КР не присвоен".into();
        b.sex = "female".into();
        b.citizenship = "KZ".into();
        let out = f.records.person_create(&reg, b.clone()).await.unwrap();
        assert!(out.person.is_none());
        assert_eq!(out.duplicates.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), vec![a.id.as_str()]);
        b.confirm_distinct = true;
        let b = f.records.person_create(&reg, b).await.unwrap().person.unwrap();
        // Found by name prefix and by PIN; not by another institution's registrar.
        let found = f.records.persons_find(&reg, &knu(), "Токто", 10).await.unwrap();
        assert_eq!(found.len(), 2, "{backend}");
        assert_eq!(f.records.persons_find(&reg, &knu(), "11503200512345", 10).await.unwrap().len(), 1);
        let osh = f.registrar(&oshsu());
        assert!(f.records.persons_find(&osh, &oshsu(), "Токто", 10).await.unwrap().is_empty());
        assert_eq!(f.records.person_get(&osh, &a.id).await.unwrap_err().code, ErrorCode::NotFound);
        // A merge by the registrar's decision, audited; two PINs are never merged.
        let merged =
            f.records.persons_merge(&reg, &knu(), &a.id, &b.id, "Один и тот же человек: паспорт сверен").await.unwrap();
        assert_eq!(merged.person.id, a.id);
        let again = f.records.persons_merge(&reg, &knu(), &a.id, &b.id, "ещё раз").await.unwrap_err();
        assert_eq!(again.reason.as_deref(), Some("person_merged"));
        assert_eq!(f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'person.merged'").await, 1);
        f.t.cleanup().await;
        f.cat_db.cleanup().await;
    }
}

#[tokio::test]
async fn orders_admit_and_move_a_student_and_catalogue_counts_the_place() {
    for backend in backends() {
        let f = fixture(backend).await;
        let reg = f.registrar(&knu());
        let before = f.licence("knu:530500:bachelor:full_time").await;
        let p = f
            .records
            .person_create(&reg, person("21503200512346", "Асанов", "Бакыт", "2005-03-15"))
            .await
            .unwrap()
            .person
            .unwrap();
        let mut adm = admission(&p.id);
        adm.request_id = "form-1".into();
        let (o, e) = f.records.order_issue(&reg, adm.clone()).await.unwrap();
        assert_eq!(
            (o.kind, e.status, e.version, e.specialty_code.as_str()),
            (OrderKind::Admission, EnrolmentStatus::Active, 1, "530500")
        );
        // The same form sent twice: one admission.
        let (o2, _) = f.records.order_issue(&reg, adm).await.unwrap();
        assert_eq!(o2.id, o.id, "{backend}");
        assert_eq!(f.count("SELECT COUNT(*) FROM enrolment").await, 1);
        f.deliver().await;
        let after = f.licence("knu:530500:bachelor:full_time").await;
        assert_eq!((after.1, after.2), (before.1 + 1, before.2), "{backend}: the held place became an enrolled one");

        // Leave, return, a wrong order refused, expulsion, reinstatement, graduation.
        let step = |kind: &str| OrderInput { enrolment_id: e.id.clone(), ..order(kind) };
        f.records.order_issue(&reg, step("academic_leave")).await.unwrap();
        let wrong = f.records.order_issue(&reg, step("graduation")).await.unwrap_err();
        assert_eq!(wrong.reason.as_deref(), Some("order_not_allowed"), "{backend}");
        f.records.order_issue(&reg, step("return")).await.unwrap();
        let mut expel = step("expulsion");
        expel.reason = String::new();
        assert_eq!(
            f.records.order_issue(&reg, expel.clone()).await.unwrap_err().reason.as_deref(),
            Some("reason_required")
        );
        expel.reason = "Академическая задолженность за два семестра".into();
        let (_, e2) = f.records.order_issue(&reg, expel).await.unwrap();
        assert_eq!(e2.status, EnrolmentStatus::Expelled);
        f.deliver().await;
        assert_eq!(f.licence("knu:530500:bachelor:full_time").await.1, before.1, "expulsion frees the place");
        f.records.order_issue(&reg, step("reinstatement")).await.unwrap();
        let mut group = step("group_transfer");
        group.study_group = "ЮР-26-2".into();
        f.records.order_issue(&reg, group).await.unwrap();
        let (_, done) = f.records.order_issue(&reg, step("graduation")).await.unwrap();
        assert_eq!((done.status, done.study_group.as_str(), done.version), (EnrolmentStatus::Graduated, "ЮР-26-2", 7));
        f.deliver().await;
        assert_eq!(f.licence("knu:530500:bachelor:full_time").await.1, before.1, "a graduate frees the place");
        let file = f.records.person_get(&reg, &p.id).await.unwrap();
        assert_eq!(
            file.orders.iter().map(|o| o.kind.as_str()).collect::<Vec<_>>(),
            vec!["admission", "academic_leave", "return", "expulsion", "reinstatement", "group_transfer", "graduation"]
        );
        // The history is never rewritten.
        assert!(sqlx::query("UPDATE student_order SET number = 'x'").execute(f.t.db.pool()).await.is_err());
        assert!(sqlx::query("DELETE FROM student_order").execute(f.t.db.pool()).await.is_err());
        assert_eq!(
            f.count("SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.records.enrolment.changed.v1'").await,
            7
        );
        assert!(edu24_shared::audit::audit_verify(&f.t.db).await.unwrap().is_ok());
        f.t.cleanup().await;
        f.cat_db.cleanup().await;
    }
}

#[tokio::test]
async fn a_full_licence_admits_nobody_and_a_roster_is_all_or_nothing() {
    for backend in backends() {
        let f = fixture(backend).await;
        let reg = f.registrar(&knu());
        // The Russian-language law programme: leave exactly 3 places free.
        let (_, enrolled, held) = f.licence("knu:530500:bachelor:full_time").await;
        let ministry = f.auth.ctx("minister", &[(Role::MinistryAdmin, None)]);
        let lic = f.catalogue.institution_get(&CallCtx::anonymous(), "knu").await.unwrap();
        let l = lic
            .licences
            .iter()
            .find(|l| l.id == stable_id("licence", "knu:530500:bachelor:full_time"))
            .unwrap()
            .clone();
        f.catalogue
            .licence_upsert(
                &ministry,
                edu24_catalogue::domain::LicenceInput {
                    id: Some(l.id.clone()),
                    institution_code: "knu".into(),
                    specialty_code: l.specialty_code.clone(),
                    level: l.level,
                    form: l.form,
                    contingent: (enrolled + held + 3) as i32,
                    valid_from: l.valid_from.clone(),
                    valid_to: l.valid_to.clone(),
                    document_no: l.document_no.clone(),
                    status: l.status,
                    reason: l.reason.clone(),
                },
            )
            .await
            .unwrap();
        let row = |i: usize| RosterRow {
            pin: format!("2150320051{i:04}"),
            name: PersonName {
                family: format!("Студентов{}", ["а", "б", "в", "г", "д"][i % 5]),
                given: "Нурлан".into(),
                patronymic: String::new(),
            },
            birth_date: "2005-03-15".into(),
            student_ticket: format!("KNU-26-{i:03}"),
            study_group: "ЮР-26-1".into(),
            funding: "contract".into(),
            ..Default::default()
        };
        let intake = |rows: Vec<RosterRow>| AdmitIntake {
            institution_id: knu(),
            programme_id: law_ru(),
            intake_year: 2026,
            number: "1300-к".into(),
            signed_on: "2026-08-25".into(),
            effective_on: "2026-09-01".into(),
            signatory: "Ректор".into(),
            rows,
            request_id: String::new(),
        };
        // Four rows for three places: nothing is written, the free places are told.
        let r = f.records.intake_admit(&reg, intake((0..4).map(row).collect())).await.unwrap();
        assert_eq!((r.admitted, r.free_places, r.problems[0].reason.as_str()), (0, 3, "licence_full"), "{backend}");
        assert_eq!(f.count("SELECT COUNT(*) FROM person").await, 0);
        // One bad row of three: nothing is written, the row is named.
        let mut rows: Vec<RosterRow> = (0..3).map(row).collect();
        rows[1].birth_date = "2005-03-16".into();
        rows[2].student_ticket = rows[0].student_ticket.clone();
        let r = f.records.intake_admit(&reg, intake(rows)).await.unwrap();
        assert_eq!(
            r.problems.iter().map(|p| (p.row, p.reason.as_str())).collect::<Vec<_>>(),
            vec![(3, "pin_birth_date"), (4, "ticket_repeated")]
        );
        assert_eq!(f.count("SELECT COUNT(*) FROM enrolment").await, 0);
        // Read (and kept) before the admission: the same page later shows the new students.
        let empty = f
            .records
            .students(&reg, &StudentQuery { institution_id: knu(), page: 2, per_page: 2, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(empty.total, 0, "{backend}");
        // Three good rows: everyone admitted, one event each, the held places used.
        let r = f.records.intake_admit(&reg, intake((0..3).map(row).collect())).await.unwrap();
        assert_eq!((r.admitted, r.problems.len()), (3, 0), "{backend}: {r:?}");
        f.deliver().await;
        let (c, e, h) = f.licence("knu:530500:bachelor:full_time").await;
        assert_eq!((e + h, c), (c, c), "{backend}: the licence is full now");
        // Now a single admission is refused and writes nothing.
        let p = f
            .records
            .person_create(&reg, person("21503200519999", "Поздний", "Абитуриент", "2005-03-15"))
            .await
            .unwrap()
            .person
            .unwrap();
        let before = f.count("SELECT COUNT(*) FROM student_order").await;
        let mut adm = admission(&p.id);
        adm.programme_id = law_ru();
        let full = f.records.order_issue(&reg, adm).await.unwrap_err();
        assert_eq!(full.reason.as_deref(), Some("licence_full"), "{backend}");
        assert_eq!(f.count("SELECT COUNT(*) FROM student_order").await, before);
        // The student list: paged and searched.
        let page = f
            .records
            .students(
                &reg,
                &StudentQuery {
                    institution_id: knu(),
                    query: "студентова".into(),
                    page: 1,
                    per_page: 2,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((page.total, page.items.len()), (1, 1));
        let all = f
            .records
            .students(&reg, &StudentQuery { institution_id: knu(), page: 2, per_page: 2, ..Default::default() })
            .await
            .unwrap();
        assert_eq!((all.total, all.items.len()), (3, 1));
        let by_ticket = f
            .records
            .students(
                &reg,
                &StudentQuery {
                    institution_id: knu(),
                    query: "KNU-26-002".into(),
                    page: 1,
                    per_page: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(by_ticket.total, 1);
        // Who may: another university's registrar, a teacher, anonymous: refused.
        for c in
            [f.registrar(&oshsu()), f.auth.ctx("t", &[(Role::Teacher, Some(knu().as_str()))]), CallCtx::anonymous()]
        {
            assert!(
                f.records
                    .students(&c, &StudentQuery { institution_id: knu(), page: 1, per_page: 10, ..Default::default() })
                    .await
                    .is_err()
            );
            assert!(f.records.order_issue(&c, admission(&p.id)).await.is_err());
        }
        let analyst = f.auth.ctx("a", &[(Role::MinistryAnalyst, None)]);
        assert_eq!(
            f.records
                .students(
                    &analyst,
                    &StudentQuery { institution_id: knu(), page: 1, per_page: 10, ..Default::default() }
                )
                .await
                .unwrap()
                .total,
            3
        );
        f.t.cleanup().await;
        f.cat_db.cleanup().await;
    }
}

#[tokio::test]
async fn a_sheet_is_filled_by_its_teacher_closed_for_ever_and_corrected_by_two_people() {
    use edu24_records::grading::*;
    for backend in backends() {
        let f = fixture(backend).await;
        let reg = f.registrar(&knu());
        let reg2 = f.auth.ctx("registrar-2", &[(Role::Registrar, Some(&knu()))]);
        let teacher = f.auth.ctx("teacher-account", &[(Role::Teacher, Some(&knu()))]);
        let student = f.auth.ctx("student-account", &[(Role::Student, Some(&knu()))]);
        let today = edu24_records::domain::today().to_string();
        let rows: Vec<RosterRow> = [
            ("11503200512345", "Токтосунова", "Айпери", "2005-03-15"),
            ("21204200600011", "Асанов", "Бекзат", "2006-04-12"),
        ]
        .iter()
        .map(|(pin, family, given, birth)| RosterRow {
            pin: (*pin).into(),
            name: PersonName { family: (*family).into(), given: (*given).into(), patronymic: String::new() },
            birth_date: (*birth).into(),
            study_group: "ЮР-26-7".into(),
            funding: "grant".into(),
            ..Default::default()
        })
        .collect();
        let report = f
            .records
            .intake_admit(
                &reg,
                AdmitIntake {
                    institution_id: knu(),
                    programme_id: law(),
                    intake_year: 2026,
                    number: "15-к".into(),
                    signed_on: "2026-08-28".into(),
                    effective_on: "2026-09-01".into(),
                    signatory: "Ректор".into(),
                    rows,
                    request_id: format!("teach-{backend}"),
                },
            )
            .await
            .unwrap();
        assert_eq!(report.admitted, 2, "{backend}: {:?}", report.problems);
        let q = StudentQuery {
            institution_id: knu(),
            study_group: Some("ЮР-26-7".into()),
            page: 1,
            per_page: 10,
            ..Default::default()
        };
        let students = f.records.students(&reg, &q).await.unwrap().items;
        let (aiperi, bekzat) = (
            students.iter().find(|s| s.name.family == "Токтосунова").unwrap().enrolment.clone(),
            students.iter().find(|s| s.name.family == "Асанов").unwrap().enrolment.clone(),
        );
        let t = f
            .records
            .teacher_create(
                &reg,
                &knu(),
                TeacherInput {
                    person: PersonInput {
                        pin: "20207197800123".into(),
                        name: PersonName {
                            family: "Касымов".into(), given: "Эрлан".into(), patronymic: String::new()
                        },
                        birth_date: "1978-07-02".into(),
                        ..Default::default()
                    },
                    department: "Кафедра теории государства и права".into(),
                    degree: "candidate".into(),
                    title: "docent".into(),
                },
            )
            .await
            .unwrap();
        f.records.account_link(&reg, &knu(), &t.person_id, Some("teacher-account")).await.unwrap();
        f.records.account_link(&reg, &knu(), &aiperi.person_id, Some("student-account")).await.unwrap();
        let a = f
            .records
            .assignment_create(
                &reg,
                AssignmentInput {
                    institution_id: knu(),
                    programme_id: law(),
                    intake_year: 2026,
                    line_code: "LAW-TSL".into(),
                    semester: 1,
                    study_group: "ЮР-26-7".into(),
                    teacher_id: t.id.clone(),
                },
            )
            .await
            .unwrap();
        let sheet = f.records.sheet_open(&teacher, &a.id, SheetKind::Regular, &today).await.unwrap();
        assert_eq!(sheet.entries.len(), 2, "{backend}");
        let v = |score: Option<i32>, absent: bool| EntryValue { score, absent, attendance: Some(90) };
        let saved = f
            .records
            .sheet_save(
                &teacher,
                &sheet.id,
                sheet.version,
                vec![
                    EntryInput { enrolment_id: aiperi.id.clone(), value: v(Some(88), false) },
                    EntryInput { enrolment_id: bekzat.id.clone(), value: v(Some(52), false) },
                ],
            )
            .await
            .unwrap();
        let e = f.records.sheet_save(&reg, &sheet.id, saved.version, vec![]).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("teacher_only"), "{backend}");
        let submitted = f.records.sheet_submit(&teacher, &sheet.id, saved.version).await.unwrap();
        let closed = f.records.sheet_close(&reg, &sheet.id, submitted.version, false).await.unwrap();
        assert_eq!(closed.state, SheetState::Closed, "{backend}");
        // The database refuses to change the closed sheet, whatever the application does.
        let refused = sqlx::query("UPDATE sheet_entry SET score = 100 WHERE sheet_id = $1")
            .bind(&sheet.id)
            .execute(f.t.db.pool())
            .await;
        assert!(refused.is_err(), "{backend}: the closed entries are protected");
        let refused =
            sqlx::query("UPDATE sheet SET state = 'draft' WHERE id = $1").bind(&sheet.id).execute(f.t.db.pool()).await;
        assert!(refused.is_err(), "{backend}: a closed sheet is not reopened");
        assert!(sqlx::query("DELETE FROM grade_log").execute(f.t.db.pool()).await.is_err(), "{backend}: the log stays");

        let tr = f.records.transcript(&student, &aiperi.id).await.unwrap();
        assert_eq!((tr.gpa, tr.credits_earned_tenths, tr.credits_required_tenths), (Some(367), 40, 2400), "{backend}");
        assert_eq!(f.records.transcript(&student, &bekzat.id).await.unwrap_err().code, ErrorCode::NotFound);

        // Bekzat's 52 (FX) corrected to 61 after an appeal: asked by one registrar, approved by another.
        let asked = f
            .records
            .correction_request(
                &reg,
                CorrectionInput {
                    sheet_id: sheet.id.clone(),
                    enrolment_id: bekzat.id.clone(),
                    after: v(Some(61), false),
                    reason: "Апелляционная комиссия, протокол № 2".into(),
                },
            )
            .await
            .unwrap();
        let k = asked.corrections[0].id.clone();
        let own = f.records.correction_decide(&reg, &k, true, "").await.unwrap_err();
        assert_eq!(own.reason.as_deref(), Some("four_eyes"), "{backend}");
        // Read (and kept) before the decision: the decision's GPA change must show after it.
        let ranking_before = f
            .records
            .ranking(&reg, &RankQuery { institution_id: knu(), page: 1, per_page: 10, ..Default::default() })
            .await
            .unwrap();
        let decided = f.records.correction_decide(&reg2, &k, true, "Сверено").await.unwrap();
        let entry = decided.entries.iter().find(|e| e.enrolment_id == bekzat.id).unwrap();
        assert_eq!((entry.value.score, entry.effective.score), (Some(52), Some(61)), "{backend}");
        let ranking = f
            .records
            .ranking(&reg, &RankQuery { institution_id: knu(), page: 1, per_page: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(
            ranking.items.iter().map(|r| (r.enrolment_id.clone(), r.gpa)).collect::<Vec<_>>(),
            [(aiperi.id.clone(), 367), (bekzat.id.clone(), 200)],
            "{backend}"
        );
        assert_ne!(ranking_before, ranking, "{backend}: the kept page is not answered after a change");
        let check = f.records.log_check(&reg, &knu()).await.unwrap();
        assert!(check.intact(), "{backend}: {check:?}");
        assert!(f.count("SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.records.grade.corrected.v1'").await == 1);
        f.t.cleanup().await;
        f.cat_db.cleanup().await;
        f._cur_db.cleanup().await;
    }
}
