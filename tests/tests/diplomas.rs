//! Diplomas against an embedded node with the demo data (KNU Law's class of 2026, whose
//! studies ended in June and whose diplomas are not issued yet), through the diploma
//! service as each person calls it: eligibility with the reasons against; blank forms
//! received and accounted for; a group's diplomas issued with records' graduation
//! orders; the public check; and every attempt at fraud the issue names, refused or
//! detected.

use edu24_diploma::DiplomaApi;
use edu24_diploma::domain::*;
use edu24_gateway::node::Embedded;
use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_records::RecordsApi;
use edu24_records::domain::{EnrolmentStatus, StudentQuery};
use edu24_shared::auth::CallCtx;
use edu24_shared::names::stable_id;

async fn node() -> (Embedded, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    (node, dir)
}

/// An embedded node with the demo over five fresh PostgreSQL databases (dropped with the
/// guard, also if the test fails).
async fn pg_node(pg: &str) -> (Embedded, tempfile::TempDir, edu24_shared::testing::DropDatabases) {
    let mut databases = edu24_shared::testing::DropDatabases::new(pg);
    let mut urls = Vec::new();
    for _ in 0..5 {
        urls.push(databases.fresh().await.unwrap());
    }
    let urls: [String; 5] = urls.try_into().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start_on(dir.path(), Some(&urls), "127.0.0.1:0".parse().unwrap(), true, true).await.unwrap();
    (node, dir, databases)
}

async fn as_user(node: &Embedded, login: &str) -> CallCtx {
    let anon = CallCtx::anonymous();
    let req = LoginRequest {
        login: login.into(),
        password: "edu24-demo".into(),
        client_address: "127.0.0.1".into(),
        user_agent: "diploma-test".into(),
    };
    let l = node.identity.login(&anon, req).await.unwrap();
    let token = node.identity.session_token(&anon, &l.session_secret).await.unwrap().token;
    CallCtx::with_token(token)
}

fn knu() -> String {
    edu24_catalogue::seed::institution_id("knu")
}

fn law() -> String {
    stable_id("programme", "knu:530500:bachelor:full_time:ky")
}

fn reason(e: &edu24_shared::error::ApiError) -> String {
    e.reason.clone().unwrap_or_default()
}

/// The study groups of the graduating class.
async fn graduating_groups(node: &Embedded, registrar: &CallCtx) -> Vec<String> {
    let q = StudentQuery {
        institution_id: knu(),
        programme_id: Some(law()),
        status: Some(EnrolmentStatus::Active),
        page: 1,
        per_page: 200,
        ..Default::default()
    };
    let mut groups: Vec<String> = node
        .records
        .students(registrar, &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|r| r.enrolment.intake_year == edu24_curriculum::seed::GRADUATING_INTAKE)
        .map(|r| r.enrolment.study_group)
        .collect();
    groups.sort();
    groups.dedup();
    groups
}

fn receipt(kind: &str, series: &str, first: i64, last: i64) -> ReceiptInput {
    ReceiptInput {
        institution_id: knu(),
        kind: kind.into(),
        series: series.into(),
        first_no: first,
        last_no: last,
        document_no: "Акт № 14/2026".into(),
        received_on: "2026-06-01".into(),
    }
}

fn issue_input(group: &str, request: &str) -> IssueInput {
    IssueInput {
        institution_id: knu(),
        programme_id: law(),
        study_group: group.into(),
        enrolment_ids: Vec::new(),
        order_no: "Б-214".into(),
        order_signed_on: "2026-06-28".into(),
        signatory: "Ректор Жоробекова Ж. Ж.".into(),
        issued_on: "2026-06-30".into(),
        series: String::new(),
        request_id: request.into(),
    }
}

#[tokio::test]
async fn a_group_is_awarded_its_diplomas_with_the_graduation_order_and_fraud_is_refused_or_detected() {
    let (node, dir) = node().await;
    scenario(&node, dir.path()).await;
}

/// The same on PostgreSQL, when the test environment names a server.
#[tokio::test]
async fn the_same_on_postgresql() {
    let Ok(pg) = std::env::var("EDU24_TEST_POSTGRES_URL") else {
        eprintln!("EDU24_TEST_POSTGRES_URL not set: PostgreSQL part skipped");
        return;
    };
    let (node, dir, databases) = pg_node(&pg).await;
    scenario(&node, dir.path()).await;
    node.shutdown().await.unwrap();
    drop(databases);
}

async fn scenario(node: &Embedded, data_dir: &std::path::Path) {
    let diploma = node.diploma.clone();
    let registrar = as_user(node, "knu.registrar").await;
    let admin = as_user(node, "knu.admin").await;
    let osh = as_user(node, "oshsu.registrar").await;
    let ministry = as_user(node, "ministry.admin").await;
    let anon = CallCtx::anonymous();

    let groups = graduating_groups(node, &registrar).await;
    assert!(!groups.is_empty(), "the demo has a graduating class");
    let group = &groups[0];
    let q = GroupQuery { institution_id: knu(), programme_id: law(), study_group: group.clone() };

    // Eligibility: records and curriculum must agree; the others are told exactly why not.
    let e = diploma.eligibility(&registrar, &q).await.unwrap();
    assert!(e.rows.len() >= 10, "{} students", e.rows.len());
    let eligible: Vec<&EligibilityRow> = e.rows.iter().filter(|r| r.eligible).collect();
    let blocked: Vec<&EligibilityRow> = e.rows.iter().filter(|r| !r.eligible).collect();
    assert!(!eligible.is_empty(), "someone completed the curriculum");
    for r in &eligible {
        assert!(r.assessed.blockers.is_empty());
        assert!(r.assessed.credits_earned_tenths >= r.assessed.credits_required_tenths);
    }
    for r in &blocked {
        let b = &r.assessed.blockers[0];
        assert!(
            [
                "missing_course",
                "failed_course",
                "missing_choice",
                "attestation_missing",
                "attestation_failed",
                "credits_short"
            ]
            .contains(&b.code.as_str()),
            "{b:?}"
        );
    }
    // Another institution's registrar sees nothing of it.
    assert!(diploma.eligibility(&osh, &q).await.is_err());

    // No forms yet: nothing is issued and nothing is half written.
    let err = diploma.issue(&registrar, issue_input(group, "r-1")).await.unwrap_err();
    assert_eq!(reason(&err), "forms_short", "{err:?}");
    assert!(graduating_groups(node, &registrar).await.contains(group), "nobody graduated");

    // Blank forms arrive; a number exists once in the country.
    diploma.receipt_add(&registrar, receipt("bachelor", "БД", 1001, 1100)).await.unwrap();
    diploma.receipt_add(&registrar, receipt("bachelor_honours", "БК", 501, 520)).await.unwrap();
    let again = diploma.receipt_add(&ministry, receipt("bachelor", "БД", 1090, 1200)).await.unwrap_err();
    assert_eq!(reason(&again), "form_exists");
    assert!(diploma.receipt_add(&osh, receipt("bachelor", "ОШ", 1, 10)).await.is_err(), "not OshSU's to record");
    let bad = diploma.receipt_add(&registrar, receipt("bachelor", "бд", 1, 10)).await.unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("series"));

    // A student who did not complete the curriculum cannot be awarded one.
    if let Some(b) = blocked.first() {
        let mut input = issue_input(group, "r-0");
        input.enrolment_ids = vec![b.enrolment_id.clone()];
        assert_eq!(reason(&diploma.issue(&registrar, input).await.unwrap_err()), "not_eligible");
    }
    // Only the institution's registrar issues.
    assert!(diploma.issue(&osh, issue_input(group, "r-x")).await.is_err());

    let report = diploma.issue(&registrar, issue_input(group, "r-1")).await.unwrap();
    assert_eq!(report.state, "done");
    assert_eq!(report.diplomas.len(), eligible.len());
    for d in &report.diplomas {
        assert_eq!(d.state, DiplomaState::Valid);
        assert!(d.number.starts_with("KNU-2026-"), "{}", d.number);
    }
    // The same request again changes nothing.
    let same = diploma.issue(&registrar, issue_input(group, "r-1")).await.unwrap();
    assert_eq!(same.issuance_id, report.issuance_id);
    // Records gave the graduation orders: the graduates are no longer active.
    let still: Vec<String> = {
        let q = StudentQuery {
            institution_id: knu(),
            programme_id: Some(law()),
            study_group: Some(group.clone()),
            status: Some(EnrolmentStatus::Active),
            page: 1,
            per_page: 200,
            ..Default::default()
        };
        node.records.students(&registrar, &q).await.unwrap().items.into_iter().map(|r| r.enrolment.id).collect()
    };
    for d in &report.diplomas {
        assert!(!still.contains(&d.enrolment_id), "graduated by the order");
        let t = node.records.transcript(&registrar, &d.enrolment_id).await.unwrap();
        assert_eq!(t.enrolment.status, EnrolmentStatus::Graduated);
    }
    // A second issuance for the group finds nobody left.
    let err = diploma.issue(&registrar, issue_input(group, "r-2")).await.unwrap_err();
    assert_eq!(reason(&err), "nobody_eligible");

    // The ledger balances; a used number cannot be used or spoiled again.
    let ledger = diploma.ledger(&registrar, Some(&knu())).await.unwrap();
    let used: i64 = ledger.iter().map(|l| l.used).sum();
    assert_eq!(used, report.diplomas.len() as i64);
    assert!(ledger.iter().all(Ledger::balances));
    // The demo graduate's (`knu.graduate`, an excellent student: with honours).
    let first = report.diplomas.iter().find(|d| d.holder.family == "Абдыкадыров").expect("the demo graduate's");
    assert!(first.honours, "the demo graduate graduates with honours");
    let spoil = FormMoveInput {
        institution_id: knu(),
        series: first.form_series.clone(),
        first_no: first.form_number,
        last_no: first.form_number,
        action: "spoiled".into(),
        reason: "Испорчен при печати".into(),
    };
    assert_eq!(reason(&diploma.forms_move(&registrar, spoil).await.unwrap_err()), "form_not_in_stock");
    let national = diploma.ledger(&ministry, None).await.unwrap();
    assert!(national.iter().any(|l| l.institution_id == knu() && l.used > 0));
    assert!(diploma.ledger(&registrar, None).await.is_err(), "the national ledger is the ministry's");

    // Files as issued: PDFs that are PDFs, a credential that verifies.
    let pdf = diploma.diploma_file(&registrar, &first.id, DiplomaFile::Diploma).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() < 200_000, "font subsets keep a diploma small: {} bytes", pdf.len());
    let sup = diploma.diploma_file(&registrar, &first.id, DiplomaFile::Supplement).await.unwrap();
    assert!(sup.starts_with(b"%PDF-"));
    let en = diploma.diploma_file(&registrar, &first.id, DiplomaFile::SupplementEn).await.unwrap();
    assert!(en.starts_with(b"%PDF-"));
    // Kept beside the browser test's screenshots, to be looked at.
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    for (name, bytes) in [("diploma", &pdf), ("supplement", &sup), ("supplement-en", &en)] {
        std::fs::write(out.join(format!("{name}.pdf")), bytes).unwrap();
    }
    let held = diploma.diploma_get(&registrar, &first.id).await.unwrap();
    assert_eq!(held.content.holder_latin.full(), "Abdykadyrov Bekzat Talantbekovich", "as a passport writes it");
    let vc =
        String::from_utf8(diploma.diploma_file(&registrar, &first.id, DiplomaFile::Credential).await.unwrap()).unwrap();
    let ok = diploma.verify_credential(&anon, &vc).await.unwrap();
    assert!(ok.valid, "{:?}", ok.errors);
    assert!(ok.issuer.starts_with("did:key:z6Mk"));

    // One byte of the signed credential changed: the signature says so.
    let tampered = vc.replacen("\"creditsEarned\": 2", "\"creditsEarned\": 3", 1);
    let tampered = if tampered == vc { vc.replacen("KNU-2026-", "KNU-2025-", 1) } else { tampered };
    assert_ne!(tampered, vc);
    let bad = diploma.verify_credential(&anon, &tampered).await.unwrap();
    assert!(!bad.valid);
    assert!(bad.errors.iter().any(|e| e == "signature_invalid" || e == "not_in_register"), "{:?}", bad.errors);
    // Signed with another institution's key (a valid signature, the wrong issuer).
    let mut forged: serde_json::Value = serde_json::from_str(&vc).unwrap();
    forged.as_object_mut().unwrap().remove("proof");
    let other = edu24_diploma::keys::IssuerKeys::for_data_dir(data_dir)
        .unwrap()
        .issuer(&edu24_catalogue::seed::institution_id("oshsu"));
    forged["issuer"]["id"] = serde_json::Value::String(other.did.clone());
    let forged = edu24_diploma::credential::sign(forged, &other, "2026-06-30T00:00:00Z").unwrap();
    let bad = diploma.verify_credential(&anon, &forged.to_string()).await.unwrap();
    assert_eq!(bad.errors, vec!["issuer_mismatch".to_owned()]);
    // Naming KNU as the issuer but signed with another institution's key.
    let mut impostor: serde_json::Value = serde_json::from_str(&vc).unwrap();
    impostor.as_object_mut().unwrap().remove("proof");
    let impostor = edu24_diploma::credential::sign(impostor, &other, "2026-06-30T00:00:00Z").unwrap();
    let bad = diploma.verify_credential(&anon, &impostor.to_string()).await.unwrap();
    assert!(!bad.valid && bad.errors.contains(&"issuer_key_mismatch".to_owned()), "{:?}", bad.errors);
    assert_eq!(diploma.verify_credential(&anon, "{not json").await.unwrap().errors, vec!["not_json".to_owned()]);

    // The public check: by number and family name, and by the QR code's token.
    let full = diploma.diploma_get(&registrar, &first.id).await.unwrap();
    let by_number = VerifyQuery {
        token: String::new(),
        number: first.number.to_lowercase(),
        family_name: first.holder.family.to_uppercase(),
    };
    let c = diploma.verify(&anon, &by_number).await.unwrap();
    assert_eq!(c.outcome, CheckOutcome::Valid);
    assert_eq!(c.holder.as_ref().unwrap().family, first.holder.family);
    let wrong = VerifyQuery { family_name: "Иванов".into(), ..by_number.clone() };
    assert_eq!(diploma.verify(&anon, &wrong).await.unwrap().outcome, CheckOutcome::NotFound);
    let qr = VerifyQuery { token: full.token.clone(), ..Default::default() };
    assert_eq!(diploma.verify(&anon, &qr).await.unwrap().outcome, CheckOutcome::Valid);
    let seen = diploma.verifications(&registrar, &first.id).await.unwrap();
    assert!(seen.len() >= 2, "each check is logged: {seen:?}");

    // The holder, in their own space: their diplomas and files, who checked them, a link
    // that expires.
    let student = as_user(node, "knu.graduate").await;
    let mine = diploma.my_diplomas(&student).await.unwrap();
    assert_eq!(mine.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec![first.id.as_str()]);
    assert!(diploma.diploma_file(&student, &first.id, DiplomaFile::Diploma).await.is_ok());
    assert!(diploma.verifications(&student, &first.id).await.unwrap().len() >= 2, "the holder sees the checks");
    if let Some(other) = report.diplomas.iter().find(|d| d.id != first.id) {
        assert!(diploma.diploma_get(&student, &other.id).await.is_err(), "another graduate's is not theirs");
    }
    let undergraduate = as_user(node, "knu.student").await;
    assert!(diploma.my_diplomas(&undergraduate).await.unwrap().is_empty());
    assert!(diploma.diploma_get(&undergraduate, &first.id).await.is_err(), "nor a student's who did not earn it");
    assert!(diploma.share_create(&registrar, &first.id, 7).await.is_err(), "only the holder shares");
    assert_eq!(diploma.share_create(&student, &first.id, 91).await.unwrap_err().field.as_deref(), Some("days"));
    let link = diploma.share_create(&student, &first.id, 7).await.unwrap();
    let shared = diploma.share_open(&anon, &link.token).await.unwrap();
    assert_eq!(shared.content.lines.len(), full.content.lines.len(), "the full record");
    assert!(!shared.content.lines.is_empty());
    assert!(diploma.share_open(&anon, "not-a-token").await.is_err());

    // A grade corrected after issuance flags the diploma (records' event, consumed here).
    let t = node.records.transcript(&registrar, &first.enrolment_id).await.unwrap();
    let line = t.lines.iter().find(|l| l.grade.as_ref().is_some_and(|g| g.passed) && l.value.score.is_some()).unwrap();
    let k = edu24_records::grading::CorrectionInput {
        sheet_id: line.sheet_id.clone(),
        enrolment_id: first.enrolment_id.clone(),
        after: edu24_records::grading::EntryValue {
            score: Some(line.value.score.unwrap().min(99) + 1),
            absent: false,
            attendance: Some(90),
        },
        reason: "Ошибка при переносе из журнала".into(),
    };
    let sheet = node.records.correction_request(&registrar, k).await.unwrap();
    let pending = sheet.corrections.iter().find(|c| c.enrolment_id == first.enrolment_id).unwrap();
    node.records.correction_decide(&admin, &pending.id, true, "Сверено").await.unwrap();
    let mut flagged = false;
    for _ in 0..100 {
        if !diploma.diploma_get(&registrar, &first.id).await.unwrap().flags.is_empty() {
            flagged = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(flagged, "the correction after issuance flags the diploma");
    assert!(diploma.flags(&ministry, None).await.unwrap().iter().any(|f| f.diploma_id == first.id));

    // Revocation: the public check and the status list say so; the credential fails.
    let second = report.diplomas.iter().find(|d| d.id != first.id).unwrap_or(first);
    let rev = StatusInput {
        diploma_id: second.id.clone(),
        state: "revoked".into(),
        reason: "Решение аттестационной комиссии № 7".into(),
        effective_on: "2026-11-20".into(),
    };
    assert!(diploma.status_change(&osh, rev.clone()).await.is_err(), "not OshSU's");
    let revoked = diploma.status_change(&registrar, rev.clone()).await.unwrap();
    assert_eq!(revoked.summary.state, DiplomaState::Revoked);
    assert_eq!(reason(&diploma.status_change(&registrar, rev).await.unwrap_err()), "not_valid");
    let second_full = diploma.diploma_get(&registrar, &second.id).await.unwrap();
    let c =
        diploma.verify(&anon, &VerifyQuery { token: second_full.token.clone(), ..Default::default() }).await.unwrap();
    assert_eq!(c.outcome, CheckOutcome::Revoked);
    assert_eq!(c.state_reason, "Решение аттестационной комиссии № 7");
    let vc2 = String::from_utf8(diploma.diploma_file(&registrar, &second.id, DiplomaFile::Credential).await.unwrap())
        .unwrap();
    let r = diploma.verify_credential(&anon, &vc2).await.unwrap();
    assert!(!r.valid && r.errors.contains(&"revoked".to_owned()), "{:?}", r.errors);
    let list = diploma.status_list(&anon, "knu").await.unwrap();
    let v: serde_json::Value = serde_json::from_str(&vc2).unwrap();
    let index: i64 = v["credentialStatus"]["statusListIndex"].as_str().unwrap().parse().unwrap();
    assert_eq!(edu24_diploma::credential::status_bit(&list, index), Some(true));
    let v1: serde_json::Value = serde_json::from_str(&vc).unwrap();
    let index1: i64 = v1["credentialStatus"]["statusListIndex"].as_str().unwrap().parse().unwrap();
    if second.id != first.id {
        assert_eq!(edu24_diploma::credential::status_bit(&list, index1), Some(false));
    }
    edu24_diploma::credential::verify_proof(&serde_json::from_str(&list).unwrap()).expect("the status list is signed");

    // The same credentials through a standard verifier that shares no code with EDU24
    // (Digital Bazaar's reference libraries, offline, with the packages' own contexts).
    let files = tempfile::tempdir().unwrap();
    let verdict = |name: &str, credential: &str| standard_verifier(files.path(), name, credential, &list);
    let v = verdict("valid", &vc);
    assert_eq!((v["verified"].as_bool(), v["revoked"].as_bool()), (Some(true), Some(false)), "{v}");
    let v = verdict("tampered", &tampered);
    assert_eq!(v["verified"].as_bool(), Some(false), "{v}");
    assert!(v["errors"].to_string().contains("Invalid signature"), "{v}");
    let v = verdict("impostor", &impostor.to_string());
    assert_eq!(v["verified"].as_bool(), Some(false), "KNU named, another key: {v}");
    assert!(v["errors"].to_string().contains("issuer must match the verification method controller"), "{v}");
    let v = verdict("forged", &forged.to_string());
    assert_eq!(v["verified"].as_bool(), Some(false), "another institution's key cannot use KNU's status list: {v}");
    assert!(v["errors"].to_string().contains("Issuers of the status list credential"), "{v}");
    assert_ne!(second.id, first.id, "the class has more than one graduate");
    let v = verdict("revoked", &vc2);
    assert_eq!((v["verified"].as_bool(), v["revoked"].as_bool()), (Some(true), Some(true)), "{v}");

    // A duplicate: issued once on a new form, the original then invalid.
    if second.id != first.id {
        let dup = DuplicateInput {
            diploma_id: first.id.clone(),
            reason: "Утерян, заявление выпускника".into(),
            series: String::new(),
            issued_on: "2026-11-25".into(),
            request_id: "dup-1".into(),
        };
        let d = diploma.duplicate_issue(&registrar, dup.clone()).await.unwrap();
        assert_eq!(d.summary.state, DiplomaState::Valid);
        assert_eq!(d.content.duplicate_of.as_deref(), Some(first.number.as_str()));
        assert_ne!(
            (d.summary.form_series.clone(), d.summary.form_number),
            (first.form_series.clone(), first.form_number)
        );
        let again = diploma.duplicate_issue(&registrar, dup.clone()).await.unwrap();
        assert_eq!(again.summary.id, d.summary.id, "the same request, the same duplicate");
        let other = DuplicateInput { request_id: "dup-2".into(), ..dup };
        assert_eq!(reason(&diploma.duplicate_issue(&registrar, other).await.unwrap_err()), "not_valid");
        let c = diploma.verify(&anon, &by_number).await.unwrap();
        assert_eq!(c.outcome, CheckOutcome::Replaced);
    }

    // The database itself refuses to change an issued diploma or to forget a form.
    let db = node.diploma.db().pool();
    assert!(sqlx::query("UPDATE diploma SET content = '{}' WHERE id = $1").bind(&first.id).execute(db).await.is_err());
    assert!(sqlx::query("DELETE FROM blank_form").execute(db).await.is_err());
    assert!(sqlx::query("UPDATE blank_form SET state = 'in_stock' WHERE state = 'used'").execute(db).await.is_err());
    assert!(sqlx::query("DELETE FROM blank_move").execute(db).await.is_err());
}

/// Runs `tests/verifier/verify.mjs` (Node.js with the packages `npm ci` installs there, as
/// `ops/test.sh` does) on a credential and a status list; its one line of JSON.
fn standard_verifier(dir: &std::path::Path, name: &str, credential: &str, list: &str) -> serde_json::Value {
    let verifier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("verifier");
    assert!(
        verifier.join("node_modules/@digitalbazaar/vc").is_dir(),
        "the standard verifier is not installed: run `npm ci --prefix tests/verifier` (ops/test.sh does)"
    );
    let cred = dir.join(format!("{name}.json"));
    let status = dir.join("status-list.json");
    std::fs::write(&cred, credential).unwrap();
    std::fs::write(&status, list).unwrap();
    let out = std::process::Command::new("node")
        .arg(verifier.join("verify.mjs"))
        .arg(&cred)
        .arg(&status)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {stdout} {}", String::from_utf8_lossy(&out.stderr)))
}

/// Records refuses one graduation order between the two steps (the student was expelled
/// meanwhile): that diploma is annulled, its form stays accounted as used by it, and the
/// others are issued.
#[tokio::test]
async fn an_order_refused_between_the_two_steps_annuls_that_diploma_and_the_rest_are_issued() {
    // Held 1.5 s between writing the diplomas and asking records for the orders.
    // SAFETY: set before the node starts any thread; each test is its own process.
    unsafe { std::env::set_var("EDU24_FAILPOINT", "diploma-before-orders=1500") };
    let (node, _dir) = node().await;
    let registrar = as_user(&node, "knu.registrar").await;
    let anon = CallCtx::anonymous();
    let group = graduating_groups(&node, &registrar).await.remove(0);
    let q = GroupQuery { institution_id: knu(), programme_id: law(), study_group: group.clone() };
    let e = node.diploma.eligibility(&registrar, &q).await.unwrap();
    let eligible: Vec<String> = e.rows.iter().filter(|r| r.eligible).map(|r| r.enrolment_id.clone()).collect();
    assert!(eligible.len() >= 2);
    node.diploma.receipt_add(&registrar, receipt("bachelor", "БД", 1, 100)).await.unwrap();
    node.diploma.receipt_add(&registrar, receipt("bachelor_honours", "БК", 1, 20)).await.unwrap();
    let svc = node.diploma.clone();
    let who = registrar.clone();
    let issuing = tokio::spawn(async move { svc.issue(&who, issue_input(&group, "r-9")).await });
    let db = node.diploma.db().pool().clone();
    let mut written = false;
    for _ in 0..100 {
        let n: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) FROM diploma WHERE state = 'pending'").fetch_one(&db).await.unwrap(),
            0,
        );
        if n > 0 {
            written = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(written, "the diplomas are written before the orders are asked for");
    let victim = eligible[0].clone();
    let today = edu24_records::domain::today().to_string();
    let expel = edu24_records::domain::OrderInput {
        kind: "expulsion".into(),
        institution_id: knu(),
        enrolment_id: victim.clone(),
        number: "О-77".into(),
        signed_on: today.clone(),
        effective_on: today,
        signatory: "Ректор Жоробекова Ж. Ж.".into(),
        reason: "По собственному желанию".into(),
        request_id: "expel-1".into(),
        ..Default::default()
    };
    node.records.order_issue(&registrar, expel).await.unwrap();
    let report = issuing.await.unwrap().unwrap();
    assert_eq!(report.state, "done");
    assert_eq!(report.diplomas.len(), eligible.len());
    for d in &report.diplomas {
        let want = if d.enrolment_id == victim { DiplomaState::Annulled } else { DiplomaState::Valid };
        assert_eq!(d.state, want, "{}", d.number);
    }
    let annulled = report.diplomas.iter().find(|d| d.enrolment_id == victim).unwrap();
    let full = node.diploma.diploma_get(&registrar, &annulled.id).await.unwrap();
    let c = node.diploma.verify(&anon, &VerifyQuery { token: full.token, ..Default::default() }).await.unwrap();
    assert_eq!(c.outcome, CheckOutcome::Annulled);
    // Every form is accounted for: one used per diploma written, the annulled one included.
    let ledger = node.diploma.ledger(&registrar, Some(&knu())).await.unwrap();
    assert_eq!(ledger.iter().map(|l| l.used).sum::<i64>(), eligible.len() as i64);
    assert!(ledger.iter().all(Ledger::balances));
    let t = node.records.transcript(&registrar, &victim).await.unwrap();
    assert_eq!(t.enrolment.status, EnrolmentStatus::Expelled, "no graduation order for the expelled student");
}

/// Two registrars issue halves of one group at the same moment (one of them clicking
/// twice): both issuances succeed (the later one plans again), the repeated request is
/// the same issuance, the register's numbers run on without a gap or a repeat, and every
/// form is used once. On SQLite and, when named, on PostgreSQL.
#[tokio::test]
async fn two_issuances_at_once_both_succeed_with_numbers_in_sequence() {
    let (node, _dir) = node().await;
    concurrent_issuances(&node).await;
    node.shutdown().await.unwrap();
    let Ok(pg) = std::env::var("EDU24_TEST_POSTGRES_URL") else {
        eprintln!("EDU24_TEST_POSTGRES_URL not set: PostgreSQL part skipped");
        return;
    };
    let (node, _dir, databases) = pg_node(&pg).await;
    concurrent_issuances(&node).await;
    node.shutdown().await.unwrap();
    drop(databases);
}

async fn concurrent_issuances(node: &Embedded) {
    let registrar = as_user(node, "knu.registrar").await;
    let group = graduating_groups(node, &registrar).await.remove(0);
    let q = GroupQuery { institution_id: knu(), programme_id: law(), study_group: group.clone() };
    let e = node.diploma.eligibility(&registrar, &q).await.unwrap();
    let eligible: Vec<String> = e.rows.iter().filter(|r| r.eligible).map(|r| r.enrolment_id.clone()).collect();
    assert!(eligible.len() >= 4, "{} eligible", eligible.len());
    node.diploma.receipt_add(&registrar, receipt("bachelor", "БД", 1, 100)).await.unwrap();
    node.diploma.receipt_add(&registrar, receipt("bachelor_honours", "БК", 1, 20)).await.unwrap();
    let (a, b) = eligible.split_at(eligible.len() / 2);
    let run = |ids: &[String], request: &str| {
        let svc = node.diploma.clone();
        let who = registrar.clone();
        let input = IssueInput { enrolment_ids: ids.to_vec(), ..issue_input(&group, request) };
        tokio::spawn(async move { svc.issue(&who, input).await })
    };
    let replans = node.diploma.replans();
    // The first registrar's request also sent twice (a double click): one issuance.
    let (first, twice, second) = (run(a, "half-1"), run(a, "half-1"), run(b, "half-2"));
    let (first, twice, second) =
        (first.await.unwrap().unwrap(), twice.await.unwrap().unwrap(), second.await.unwrap().unwrap());
    assert_eq!(first.issuance_id, twice.issuance_id, "the same request, the same issuance");
    assert!(node.diploma.replans() > replans, "the two plans met: one was made again");
    assert_eq!((first.diplomas.len(), second.diplomas.len()), (a.len(), b.len()));
    let mut numbers: Vec<String> = first.diplomas.iter().chain(&second.diplomas).map(|d| d.number.clone()).collect();
    numbers.sort();
    let want: Vec<String> =
        (1..=eligible.len() as i64).map(|i| edu24_diploma::domain::diploma_number("knu", 2026, i)).collect();
    assert_eq!(numbers, want, "one sequence, no gap, no repeat");
    let mut forms: Vec<(String, i64)> =
        first.diplomas.iter().chain(&second.diplomas).map(|d| (d.form_series.clone(), d.form_number)).collect();
    forms.sort();
    forms.dedup();
    assert_eq!(forms.len(), eligible.len(), "a form for each, none twice");
    for d in first.diplomas.iter().chain(&second.diplomas).chain(&twice.diplomas) {
        let full = node.diploma.diploma_get(&registrar, &d.id).await.unwrap();
        assert_eq!(d.state, DiplomaState::Valid, "{} {}", d.number, full.state_reason);
    }
    let ledger = node.diploma.ledger(&registrar, Some(&knu())).await.unwrap();
    assert_eq!(ledger.iter().map(|l| l.used).sum::<i64>(), eligible.len() as i64);
    assert!(ledger.iter().all(Ledger::balances));
}
