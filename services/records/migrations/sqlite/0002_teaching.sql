-- records: teachers, assignments, grade sheets, corrections, the sealed grade log.
-- Portable types: ids TEXT (UUID), instants BIGINT epoch ms, dates TEXT YYYY-MM-DD.

-- Where each enrolment was, from when to when: its group and status over time, kept by
-- the orders (a sheet lists the group's students on its date from these spans).
CREATE TABLE enrolment_span (
    enrolment_id TEXT NOT NULL REFERENCES enrolment (id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    study_group TEXT NOT NULL,
    status TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    institution_id TEXT NOT NULL,
    PRIMARY KEY (enrolment_id, from_date)
);
CREATE INDEX enrolment_span_group ON enrolment_span (institution_id, programme_id, study_group, from_date);
INSERT INTO enrolment_span (enrolment_id, from_date, to_date, study_group, status, programme_id, institution_id)
SELECT id, since, NULL, study_group, status, programme_id, institution_id FROM enrolment;

-- A person's account in identity (one account per person), set by a registrar.
ALTER TABLE person ADD COLUMN account_id TEXT;
CREATE UNIQUE INDEX person_account ON person (account_id) WHERE account_id IS NOT NULL;

CREATE TABLE teacher (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person (id),
    institution_id TEXT NOT NULL,
    department TEXT NOT NULL,
    degree TEXT NOT NULL,
    title TEXT NOT NULL,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (person_id, institution_id)
);
CREATE INDEX teacher_institution ON teacher (institution_id, department);

CREATE TABLE assignment (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    intake_year BIGINT NOT NULL,
    curriculum_id TEXT NOT NULL,
    curriculum_version BIGINT NOT NULL,
    line_code TEXT NOT NULL,
    course_ky TEXT NOT NULL,
    course_ru TEXT NOT NULL,
    course_en TEXT NOT NULL,
    credits_tenths BIGINT NOT NULL,
    assessment TEXT NOT NULL,
    semester BIGINT NOT NULL,
    study_group TEXT NOT NULL,
    teacher_id TEXT NOT NULL REFERENCES teacher (id),
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (programme_id, intake_year, line_code, semester, study_group)
);
CREATE INDEX assignment_teacher ON assignment (teacher_id);
CREATE INDEX assignment_institution ON assignment (institution_id, study_group);

CREATE TABLE sheet (
    id TEXT PRIMARY KEY,
    assignment_id TEXT NOT NULL REFERENCES assignment (id),
    institution_id TEXT NOT NULL,
    teacher_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'retake')),
    as_of TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'closed')),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_by TEXT NOT NULL,
    closed_at BIGINT NOT NULL,
    closed_by TEXT NOT NULL,
    returned_note TEXT NOT NULL,
    digest TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sheet_assignment ON sheet (assignment_id);
CREATE INDEX sheet_institution ON sheet (institution_id, state, updated_at);
CREATE INDEX sheet_teacher ON sheet (teacher_id, state);
-- One regular sheet per assignment.
CREATE UNIQUE INDEX sheet_one_regular ON sheet (assignment_id) WHERE kind = 'regular';
-- A closed sheet stays closed, and its history fields stay.
CREATE TRIGGER sheet_closed_stays BEFORE UPDATE ON sheet
WHEN OLD.state = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed sheet is never changed'); END;
CREATE TRIGGER sheet_no_delete BEFORE DELETE ON sheet
BEGIN SELECT RAISE(ABORT, 'sheets are never deleted'); END;

CREATE TABLE sheet_entry (
    sheet_id TEXT NOT NULL REFERENCES sheet (id),
    enrolment_id TEXT NOT NULL REFERENCES enrolment (id),
    position BIGINT NOT NULL,
    score BIGINT,
    absent BIGINT NOT NULL,
    attendance BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (sheet_id, enrolment_id)
);
CREATE INDEX sheet_entry_enrolment ON sheet_entry (enrolment_id);
-- The entries of a closed sheet are never changed: corrections are kept beside them.
CREATE TRIGGER sheet_entry_closed_stays BEFORE UPDATE ON sheet_entry
WHEN (SELECT state FROM sheet WHERE id = OLD.sheet_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'the entries of a closed sheet are never changed'); END;
CREATE TRIGGER sheet_entry_closed_no_insert BEFORE INSERT ON sheet_entry
WHEN (SELECT state FROM sheet WHERE id = NEW.sheet_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed sheet takes no new entries'); END;
CREATE TRIGGER sheet_entry_no_delete BEFORE DELETE ON sheet_entry
BEGIN SELECT RAISE(ABORT, 'sheet entries are never deleted'); END;

CREATE TABLE grade_correction (
    id TEXT PRIMARY KEY,
    sheet_id TEXT NOT NULL REFERENCES sheet (id),
    enrolment_id TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX grade_correction_sheet ON grade_correction (sheet_id, requested_at);
CREATE UNIQUE INDEX grade_correction_one_pending ON grade_correction (sheet_id, enrolment_id) WHERE state = 'pending';
-- A correction is decided once; what it asked is never changed.
CREATE TRIGGER grade_correction_decided_once BEFORE UPDATE ON grade_correction
WHEN OLD.state <> 'pending' OR NEW.before_value <> OLD.before_value OR NEW.after_value <> OLD.after_value
    OR NEW.reason <> OLD.reason OR NEW.requested_by <> OLD.requested_by OR NEW.sheet_id <> OLD.sheet_id
    OR NEW.enrolment_id <> OLD.enrolment_id
BEGIN SELECT RAISE(ABORT, 'a correction is decided once and never changed'); END;
CREATE TRIGGER grade_correction_no_delete BEFORE DELETE ON grade_correction
BEGIN SELECT RAISE(ABORT, 'corrections are never deleted'); END;

-- The result in force per student and course (the latest closed sheet, with approved
-- corrections): derived from the sheets in the same transaction, for transcripts, terms
-- and the GPA ranking; the grade log check recomputes it.
CREATE TABLE grade (
    enrolment_id TEXT NOT NULL REFERENCES enrolment (id),
    line_code TEXT NOT NULL,
    semester BIGINT NOT NULL,
    institution_id TEXT NOT NULL,
    assignment_id TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    score BIGINT,
    absent BIGINT NOT NULL,
    attendance BIGINT,
    corrected BIGINT NOT NULL,
    closed_at BIGINT NOT NULL,
    PRIMARY KEY (enrolment_id, line_code, semester)
);
CREATE INDEX grade_sheet ON grade (sheet_id);

-- Credit-weighted GPA × 100 per enrolment, kept with the grades.
CREATE TABLE enrolment_gpa (
    enrolment_id TEXT PRIMARY KEY REFERENCES enrolment (id),
    institution_id TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    gpa BIGINT,
    credits_earned_tenths BIGINT NOT NULL,
    credits_attempted_tenths BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX enrolment_gpa_rank ON enrolment_gpa (institution_id, gpa DESC, enrolment_id);
CREATE INDEX enrolment_gpa_programme_rank ON enrolment_gpa (institution_id, programme_id, gpa DESC, enrolment_id);

-- Each institution's grading scale (the default applies without one).
CREATE TABLE grade_scale (
    institution_id TEXT PRIMARY KEY,
    scale TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Every write to grades, chained per institution and sealed with a key kept outside the
-- database (HMAC-SHA-256): a changed, removed or inserted record breaks the chain, and
-- someone with the database but not the key cannot forge a new one.
CREATE TABLE grade_log (
    institution_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    enrolment_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    key_id TEXT NOT NULL,
    PRIMARY KEY (institution_id, seq)
);
CREATE INDEX grade_log_sheet ON grade_log (sheet_id, enrolment_id);
CREATE TABLE grade_log_head (
    institution_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER grade_log_no_update BEFORE UPDATE ON grade_log
BEGIN SELECT RAISE(ABORT, 'grade_log is append-only'); END;
CREATE TRIGGER grade_log_no_delete BEFORE DELETE ON grade_log
BEGIN SELECT RAISE(ABORT, 'grade_log is append-only'); END;
