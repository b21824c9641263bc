//! Grade sheets against an embedded node with the demo data, through the records API as
//! each person calls it: a registrar records a teacher and assigns them a course of the
//! approved curriculum; the sheet lists exactly the group's students on its date; only
//! the assigned teacher enters scores; a closed sheet never changes (the database itself
//! refuses); a correction keeps the original beside it and needs a second person; the
//! student reads their transcript and GPA; the grade log check finds a grade changed
//! behind its back and a log record rewritten.

use edu24_gateway::node::Embedded;
use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_records::RecordsApi;
use edu24_records::domain::*;
use edu24_records::grading::*;
use edu24_shared::auth::CallCtx;
use edu24_shared::names::stable_id;
use edu24_tests::count;

async fn node() -> (Embedded, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    (node, dir)
}

async fn as_user(node: &Embedded, login: &str) -> (CallCtx, String) {
    let anon = CallCtx::anonymous();
    let req = LoginRequest {
        login: login.into(),
        password: "edu24-demo".into(),
        client_address: "127.0.0.1".into(),
        user_agent: "grades-test".into(),
    };
    let l = node.identity.login(&anon, req).await.unwrap();
    let token = node.identity.session_token(&anon, &l.session_secret).await.unwrap().token;
    let ctx = CallCtx::with_token(token);
    let me = node.identity.me(&ctx).await.unwrap();
    (ctx, me.id)
}

fn knu() -> String {
    edu24_catalogue::seed::institution_id("knu")
}

fn law() -> String {
    stable_id("programme", "knu:530500:bachelor:full_time:ky")
}

fn today() -> String {
    edu24_records::domain::today().to_string()
}

fn row(pin: &str, family: &str, given: &str, birth: &str, ticket: &str) -> RosterRow {
    RosterRow {
        pin: pin.into(),
        name: PersonName { family: family.into(), given: given.into(), patronymic: String::new() },
        birth_date: birth.into(),
        student_ticket: ticket.into(),
        study_group: "ЮР-26-9".into(),
        funding: "contract".into(),
        ..Default::default()
    }
}

fn value(score: Option<i32>, absent: bool, attendance: Option<i32>) -> EntryValue {
    EntryValue { score, absent, attendance }
}

fn reason(e: &edu24_shared::error::ApiError) -> &str {
    e.reason.as_deref().unwrap_or("")
}

#[tokio::test]
async fn a_sheet_from_assignment_to_transcript_and_a_correction_beside_the_original() {
    let (node, dir) = node().await;
    let records = node.records.clone();
    let (registrar, _) = as_user(&node, "knu.registrar").await;
    let (admin, _) = as_user(&node, "knu.admin").await;
    let (teacher, _) = as_user(&node, "knu.teacher").await;
    let (student, student_account) = as_user(&node, "knu.student").await;
    let (osh, _) = as_user(&node, "oshsu.registrar").await;
    let inst = knu();

    // Four students admitted to group ЮР-26-9 on 1 September.
    let report = records
        .intake_admit(
            &registrar,
            AdmitIntake {
                institution_id: inst.clone(),
                programme_id: law(),
                intake_year: 2026,
                number: "15-к".into(),
                signed_on: "2026-08-28".into(),
                effective_on: "2026-09-01".into(),
                signatory: "К. Ч. Сыдыкова".into(),
                rows: vec![
                    row("11503200512345", "Токтосунова", "Айпери", "2005-03-15", "KNU-26-9001"),
                    row("21204200600011", "Асанов", "Бекзат", "2006-04-12", "KNU-26-9002"),
                    row("10101200600022", "Жумабаева", "Гулзат", "2006-01-01", "KNU-26-9003"),
                    row("23011200500033", "Осмонов", "Нурсултан", "2005-11-30", "KNU-26-9004"),
                ],
                request_id: "grades-intake".into(),
            },
        )
        .await
        .unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.admitted, 4);
    let students = records
        .students(
            &registrar,
            &StudentQuery {
                institution_id: inst.clone(),
                study_group: Some("ЮР-26-9".into()),
                page: 1,
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .items;
    let enrolment = |family: &str| students.iter().find(|s| s.name.family == family).unwrap().enrolment.clone();
    let (aiperi, bekzat, gulzat, nursultan) =
        (enrolment("Токтосунова"), enrolment("Асанов"), enrolment("Жумабаева"), enrolment("Осмонов"));
    // Nursultan moves to another group before the sheet's date: he is not on it.
    records
        .order_issue(
            &registrar,
            OrderInput {
                kind: "group_transfer".into(),
                institution_id: inst.clone(),
                enrolment_id: nursultan.id.clone(),
                study_group: "ЮР-26-8".into(),
                number: "31-к".into(),
                signed_on: "2026-10-01".into(),
                effective_on: "2026-10-01".into(),
                signatory: "К. Ч. Сыдыкова".into(),
                request_id: "grades-transfer".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    // A teacher is recorded once per institution, and a namesake born the same day waits
    // for the registrar's word; the demo teacher (linked to knu.teacher) teaches here.
    let jyldyz = TeacherInput {
        person: PersonInput {
            pin: "11105198500321".into(),
            name: PersonName {
                family: "Сатыбалдиева".into(), given: "Жылдыз".into(), patronymic: "Маратовна".into()
            },
            birth_date: "1985-05-11".into(),
            ..Default::default()
        },
        department: "Кафедра гражданского права и процесса".into(),
        degree: "candidate".into(),
        title: "docent".into(),
    };
    let t = records.teacher_create(&registrar, &inst, jyldyz.clone()).await.unwrap();
    assert_eq!((t.degree, t.title), (Degree::Candidate, Title::Docent));
    assert_eq!(reason(&records.teacher_create(&registrar, &inst, jyldyz).await.unwrap_err()), "teacher_exists");
    let namesake = TeacherInput {
        person: PersonInput {
            pin: "20207197800123".into(),
            name: PersonName { family: "Касымов".into(), given: "Эрлан".into(), patronymic: String::new() },
            birth_date: "1978-07-02".into(),
            ..Default::default()
        },
        department: "Кафедра".into(),
        ..Default::default()
    };
    let e = records.teacher_create(&registrar, &inst, namesake).await.unwrap_err();
    assert_eq!(reason(&e), "possible_duplicate", "the demo's Касымов Эрлан, born the same day");
    let kasymov = records.my_space(&teacher).await.unwrap().teaching.remove(0);
    assert_eq!(kasymov.name.family, "Касымов");
    // The student account moves from the demo's Айпери to this one.
    let demo_aiperi = records.my_space(&student).await.unwrap().file.unwrap().person.id;
    records.account_link(&registrar, &inst, &demo_aiperi, None).await.unwrap();
    records.account_link(&registrar, &inst, &aiperi.person_id, Some(&student_account)).await.unwrap();
    let taken = records.account_link(&registrar, &inst, &bekzat.person_id, Some(&student_account)).await;
    assert_eq!(reason(&taken.unwrap_err()), "account_taken", "one account is one person");
    let space = records.my_space(&student).await.unwrap();
    assert_eq!(space.file.unwrap().person.id, aiperi.person_id);

    // A course of the approved 2026 plan: Theory of State and Law, semester 1, 4 credits.
    let assign = |code: &str, semester: i32| AssignmentInput {
        institution_id: inst.clone(),
        programme_id: law(),
        intake_year: 2026,
        line_code: code.into(),
        semester,
        study_group: "ЮР-26-9".into(),
        teacher_id: kasymov.id.clone(),
    };
    let e = records.assignment_create(&registrar, assign("LAW-TSL", 3)).await.unwrap_err();
    assert_eq!(reason(&e), "line_unknown", "the course is in semesters 1 and 2, not 3");
    assert!(records.assignment_create(&teacher, assign("LAW-TSL", 1)).await.is_err(), "teachers do not assign");
    let a = records.assignment_create(&registrar, assign("LAW-TSL", 1)).await.unwrap();
    assert_eq!(
        (a.credits_tenths, a.assessment.as_str(), a.course.en.as_str()),
        (40, "exam", "Theory of State and Law")
    );
    assert_eq!(a.academic_year(), "2026/2027");
    let dup = records.assignment_create(&registrar, assign("LAW-TSL", 1)).await.unwrap_err();
    assert_eq!(reason(&dup), "assignment_exists");
    let mine = records
        .assignments(&teacher, &AssignmentQuery { institution_id: inst.clone(), ..Default::default() })
        .await
        .unwrap();
    assert!(
        mine.iter().any(|x| x.id == a.id) && mine.iter().all(|x| x.teacher_id == kasymov.id),
        "a teacher sees their own"
    );
    assert!(
        records
            .assignments(&osh, &AssignmentQuery { institution_id: inst.clone(), ..Default::default() })
            .await
            .is_err()
    );

    // The sheet: exactly the group's students on its date, by name.
    let sheet = records.sheet_open(&teacher, &a.id, SheetKind::Regular, &today()).await.unwrap();
    let names: Vec<&str> = sheet.entries.iter().map(|e| e.name.family.as_str()).collect();
    assert_eq!(names, ["Асанов", "Жумабаева", "Токтосунова"], "Осмонов left the group before the sheet's date");
    let again = records.sheet_open(&registrar, &a.id, SheetKind::Regular, &today()).await.unwrap_err();
    assert_eq!(reason(&again), "sheet_exists");
    assert!(records.sheet_get(&osh, &sheet.id).await.is_err(), "another university's registrar does not see it");

    // Only the assigned teacher enters scores, all or nothing.
    let entry = |e: &Enrolment, v: EntryValue| EntryInput { enrolment_id: e.id.clone(), value: v };
    let e = records
        .sheet_save(&registrar, &sheet.id, sheet.version, vec![entry(&aiperi, value(Some(91), false, Some(95)))])
        .await
        .unwrap_err();
    assert_eq!(reason(&e), "teacher_only", "a registrar does not give grades");
    let e = records
        .sheet_save(
            &teacher,
            &sheet.id,
            sheet.version,
            vec![entry(&aiperi, value(Some(91), false, Some(95))), entry(&bekzat, value(Some(120), false, Some(80)))],
        )
        .await
        .unwrap_err();
    assert_eq!(reason(&e), "score_range");
    let unchanged = records.sheet_get(&teacher, &sheet.id).await.unwrap();
    assert!(unchanged.entries.iter().all(|x| x.value.score.is_none()), "nothing written");
    let e = records
        .sheet_save(&teacher, &sheet.id, sheet.version, vec![entry(&nursultan, value(Some(80), false, Some(80)))])
        .await
        .unwrap_err();
    assert_eq!(reason(&e), "not_on_sheet");
    let saved = records
        .sheet_save(
            &teacher,
            &sheet.id,
            sheet.version,
            vec![
                entry(&aiperi, value(Some(91), false, Some(95))),
                entry(&bekzat, value(None, true, Some(40))),
                entry(&gulzat, value(Some(75), false, None)),
            ],
        )
        .await
        .unwrap();
    let stale = records.sheet_save(&teacher, &sheet.id, sheet.version, vec![]).await.unwrap_err();
    assert_eq!(reason(&stale), "stale_sheet");
    let g = saved.entries.iter().find(|x| x.enrolment_id == gulzat.id).unwrap();
    assert_eq!(g.flags, ["no_attendance"], "a score without attendance is flagged");
    assert_eq!(g.grade.as_ref().map(|g| (g.letter.as_str(), g.five)), Some(("C+", 3)));

    let submitted = records.sheet_submit(&teacher, &sheet.id, saved.version).await.unwrap();
    assert_eq!(submitted.state, SheetState::Submitted);
    let e = records.sheet_close(&teacher, &sheet.id, submitted.version, true).await.unwrap_err();
    assert!(e.reason.is_none() || reason(&e) != "flags_unconfirmed", "a teacher does not close");
    let e = records.sheet_close(&registrar, &sheet.id, submitted.version, false).await.unwrap_err();
    assert_eq!(reason(&e), "flags_unconfirmed", "the registrar sees the flag before closing");
    let closed = records.sheet_close(&registrar, &sheet.id, submitted.version, true).await.unwrap();
    assert_eq!(closed.state, SheetState::Closed);
    assert_eq!(closed.digest.len(), 64);

    // Closed for ever: refused by the service, and by the database itself.
    let e = records.sheet_save(&teacher, &sheet.id, closed.version, vec![]).await.unwrap_err();
    assert_eq!(reason(&e), "sheet_not_draft");
    let url = edu24_shared::config::sqlite_url(dir.path(), "records");
    let db = edu24_shared::db::Db::connect(&url).await.unwrap();
    let refused =
        sqlx::query("UPDATE sheet_entry SET score = 100 WHERE sheet_id = $1").bind(&sheet.id).execute(db.pool()).await;
    assert!(refused.is_err(), "the database refuses to change a closed sheet");
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.records.sheet.closed.v1'").await,
        1,
        "the closing is published"
    );

    // The student's transcript: 91 is A- (3.67), 4 credits of the plan's 240.
    let t = records.transcript(&student, &aiperi.id).await.unwrap();
    assert_eq!(t.lines.len(), 1);
    assert_eq!(t.lines[0].grade.as_ref().map(|g| (g.letter.as_str(), g.five, g.points)), Some(("A-", 5, 367)));
    assert_eq!((t.gpa, t.credits_earned_tenths, t.credits_required_tenths), (Some(367), 40, 2400));
    assert!(records.transcript(&student, &gulzat.id).await.is_err(), "a student sees only their own");
    let term = records.term_grades(&student, &aiperi.id, 1).await.unwrap();
    assert_eq!(term.len(), 1);

    // A correction: the teacher asks, the teacher cannot decide, the registrar approves.
    let k = CorrectionInput {
        sheet_id: sheet.id.clone(),
        enrolment_id: gulzat.id.clone(),
        after: value(Some(78), false, Some(60)),
        reason: "Ошибка при переносе из журнала: 78 баллов".into(),
    };
    let asked = records.correction_request(&teacher, k.clone()).await.unwrap();
    let pending = asked.corrections.iter().find(|c| c.state == CorrectionState::Pending).unwrap().clone();
    assert_eq!(reason(&records.correction_request(&teacher, k).await.unwrap_err()), "correction_pending");
    assert!(records.correction_decide(&teacher, &pending.id, true, "").await.is_err());
    let decided = records.correction_decide(&registrar, &pending.id, true, "Сверено с журналом").await.unwrap();
    let g = decided.entries.iter().find(|x| x.enrolment_id == gulzat.id).unwrap();
    assert_eq!(g.value.score, Some(75), "the original stays");
    assert_eq!(g.effective.score, Some(78), "the correction is in force");
    let t = records.transcript(&registrar, &gulzat.id).await.unwrap();
    assert!(t.lines[0].corrected && t.lines[0].value.score == Some(78));

    // Four eyes: the registrar's own correction is approved by the admin, not by them.
    let own = CorrectionInput {
        sheet_id: sheet.id.clone(),
        enrolment_id: aiperi.id.clone(),
        after: value(Some(96), false, Some(95)),
        reason: "Апелляция: комиссия подняла балл".into(),
    };
    let asked = records.correction_request(&registrar, own).await.unwrap();
    let pending = asked.corrections.iter().find(|c| c.state == CorrectionState::Pending).unwrap().clone();
    assert_eq!(reason(&records.correction_decide(&registrar, &pending.id, true, "").await.unwrap_err()), "four_eyes");
    records.correction_decide(&admin, &pending.id, true, "Протокол апелляции № 4").await.unwrap();
    assert_eq!(records.transcript(&student, &aiperi.id).await.unwrap().gpa, Some(400));

    // The retake lists who failed or did not come: Бекзат.
    let retake = records.sheet_open(&teacher, &a.id, SheetKind::Retake, &today()).await.unwrap();
    assert_eq!(retake.entries.iter().map(|e| e.enrolment_id.as_str()).collect::<Vec<_>>(), [bekzat.id.as_str()]);

    // The ranking of the institution: Айпери first among these.
    let mut ranked = Vec::new();
    for page in 1..=10 {
        let q = RankQuery { institution_id: inst.clone(), page, per_page: 200, ..Default::default() };
        let rank = records.ranking(&registrar, &q).await.unwrap();
        ranked.extend(rank.items);
        if ranked.len() as u64 >= rank.total {
            break;
        }
    }
    assert!(ranked.windows(2).all(|w| w[0].gpa >= w[1].gpa && w[0].rank + 1 == w[1].rank), "ranked and numbered");
    let ours: Vec<&str> = ranked
        .iter()
        .map(|r| r.enrolment_id.as_str())
        .filter(|e| [aiperi.id.as_str(), gulzat.id.as_str(), bekzat.id.as_str()].contains(e))
        .collect();
    assert_eq!(ours, [aiperi.id.as_str(), gulzat.id.as_str()], "by GPA; without a graded course, not ranked");

    // The log accounts for everything...
    let check = records.log_check(&registrar, &inst).await.unwrap();
    assert!(check.intact(), "{check:?}");
    assert!(check.records >= 8, "{} records", check.records);
    // ...until a grade is changed behind its back (the trigger dropped first)...
    sqlx::query("DROP TRIGGER sheet_entry_closed_stays").execute(db.pool()).await.unwrap();
    sqlx::query("UPDATE sheet_entry SET score = 99 WHERE sheet_id = $1 AND enrolment_id = $2")
        .bind(&sheet.id)
        .bind(&gulzat.id)
        .execute(db.pool())
        .await
        .unwrap();
    let check = records.log_check(&registrar, &inst).await.unwrap();
    assert!(check.first_broken.is_none(), "the log itself is intact");
    assert!(
        check.unexplained.iter().any(|u| u.contains(&gulzat.id)),
        "the changed grade is found: {:?}",
        check.unexplained
    );
    // ...or a record of the log is rewritten.
    let seq: i64 = sqlx::Row::get(
        &sqlx::query("SELECT seq FROM grade_log WHERE sheet_id = $1 AND enrolment_id = $2 AND action = 'entry'")
            .bind(&sheet.id)
            .bind(&bekzat.id)
            .fetch_one(db.pool())
            .await
            .unwrap(),
        0,
    );
    sqlx::query("DROP TRIGGER grade_log_no_update").execute(db.pool()).await.unwrap();
    sqlx::query("UPDATE grade_log SET detail = $3 WHERE seq = $1 AND institution_id = $2")
        .bind(seq)
        .bind(&inst)
        .bind(r#"{"score":99,"absent":false,"attendance":80}"#)
        .execute(db.pool())
        .await
        .unwrap();
    let check = records.log_check(&registrar, &inst).await.unwrap();
    assert_eq!(check.first_broken, Some(seq), "{check:?}");
    db.close().await;
}

#[tokio::test]
async fn the_demo_student_body_is_whole_and_its_grade_logs_account_for_every_grade() {
    let (node, _dir) = node().await;
    let records = node.records.clone();
    let (registrar, _) = as_user(&node, "knu.registrar").await;
    let (osh, _) = as_user(&node, "oshsu.registrar").await;
    let (teacher, _) = as_user(&node, "knu.teacher").await;
    let (student, _) = as_user(&node, "knu.student").await;
    for (ctx, code) in [(&registrar, "knu"), (&osh, "oshsu")] {
        let inst = edu24_catalogue::seed::institution_id(code);
        let check = records.log_check(ctx, &inst).await.unwrap();
        assert!(check.intact() && check.records > 100, "{code}: {check:?}");
        let q = StudentQuery { institution_id: inst.clone(), page: 1, per_page: 50, ..Default::default() };
        let list = records.students(ctx, &q).await.unwrap();
        assert!(list.total > 150, "{code}: {} students", list.total);
        let rank = records
            .ranking(ctx, &RankQuery { institution_id: inst, page: 1, per_page: 10, ..Default::default() })
            .await
            .unwrap();
        assert!(rank.items.windows(2).all(|w| w[0].gpa >= w[1].gpa), "{code}: ranked by GPA");
    }
    // The demo student: a second-year law student with three semesters of results.
    let mine = records.my_space(&student).await.unwrap();
    let file = mine.file.expect("knu.student is linked");
    assert_eq!(file.person.name.family, "Токтосунова");
    let e = &file.enrolments[0];
    let t = records.transcript(&student, &e.id).await.unwrap();
    let semesters: std::collections::BTreeSet<i32> = t.lines.iter().map(|l| l.semester).collect();
    assert_eq!(semesters.into_iter().collect::<Vec<_>>(), [1, 2], "2025 intake: two closed semesters by December 2026");
    assert!(t.gpa.is_some() && t.credits_earned_tenths > 0 && t.credits_required_tenths == 2400);
    // The demo teacher: a draft to fill in and a submitted sheet with a flag.
    let space = records.my_space(&teacher).await.unwrap();
    assert_eq!(space.teaching.len(), 1);
    let sheets = records
        .sheets(&teacher, &SheetQuery { institution_id: knu(), limit: 500, ..Default::default() })
        .await
        .unwrap();
    assert!(sheets.iter().all(|s| s.assignment.teacher_id == space.teaching[0].id), "a teacher sees only their own");
    assert!(sheets.iter().any(|s| s.state == SheetState::Draft));
    assert!(sheets.iter().any(|s| s.state == SheetState::Submitted && s.flagged == 1));
    assert!(sheets.iter().filter(|s| s.state == SheetState::Closed).count() > 5);
}
