-- Issue 4: the versioned classifier, institution profiles, programme admission facts,
-- licence enrolment counters and holds, accreditation, and the append-only audit log.

-- Legal validity of a classifier entry, and its version (grows with every change).
ALTER TABLE specialty ADD COLUMN valid_from TEXT NOT NULL DEFAULT '2000-01-01';
ALTER TABLE specialty ADD COLUMN valid_to TEXT;
ALTER TABLE specialty ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Every recorded state of every classifier entry: the framework on any past date is
-- the newest version of each entry recorded by that date.
CREATE TABLE specialty_version (
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    version BIGINT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    isced_f_broad TEXT NOT NULL,
    verified BIGINT NOT NULL,
    barred_forms TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (code, level, version)
);
CREATE INDEX specialty_version_recorded ON specialty_version (recorded_at);
INSERT INTO specialty_version (code, level, version, name_ky, name_ru, name_en, isced_f_broad, verified,
    barred_forms, valid_from, valid_to, recorded_at, recorded_by)
SELECT code, level, 1, name_ky, name_ru, name_en, isced_f_broad, verified, barred_forms, valid_from, valid_to,
    updated_at, 'system:seed' FROM specialty;
CREATE TRIGGER specialty_version_no_update BEFORE UPDATE ON specialty_version
BEGIN SELECT RAISE(ABORT, 'specialty_version is append-only'); END;
CREATE TRIGGER specialty_version_no_delete BEFORE DELETE ON specialty_version
BEGIN SELECT RAISE(ABORT, 'specialty_version is append-only'); END;

-- Institution profile kept by the institution's admin.
ALTER TABLE institution ADD COLUMN address_ky TEXT NOT NULL DEFAULT '';
ALTER TABLE institution ADD COLUMN address_ru TEXT NOT NULL DEFAULT '';
ALTER TABLE institution ADD COLUMN address_en TEXT NOT NULL DEFAULT '';
ALTER TABLE institution ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE institution ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE institution ADD COLUMN rector TEXT NOT NULL DEFAULT '';
ALTER TABLE institution ADD COLUMN languages TEXT NOT NULL DEFAULT '';

-- Logo and photos, checked by content (PNG, JPEG, WebP), at most 2 MiB each.
CREATE TABLE institution_image (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institution (id),
    kind TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    data BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX institution_image_institution ON institution_image (institution_id, kind);

-- Admission facts of a programme for the current admission year.
ALTER TABLE programme ADD COLUMN fee_citizen BIGINT;
ALTER TABLE programme ADD COLUMN fee_foreign BIGINT;
ALTER TABLE programme ADD COLUMN grant_places BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programme ADD COLUMN contract_places BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programme ADD COLUMN admission_year BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programme ADD COLUMN passing_score BIGINT;
ALTER TABLE programme ADD COLUMN passing_score_year BIGINT;
ALTER TABLE programme ADD COLUMN graduates BIGINT;
ALTER TABLE programme ADD COLUMN graduates_employed BIGINT;
ALTER TABLE programme ADD COLUMN outcomes_year BIGINT;
ALTER TABLE programme ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Licence: why it was suspended or revoked; students counted against it; places held.
ALTER TABLE licence ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE licence ADD COLUMN enrolled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE licence ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
CREATE INDEX licence_valid_to ON licence (valid_to);

-- A place held for an enrolment in progress. `request_id` makes a retried hold the same hold.
CREATE TABLE licence_hold (
    id TEXT PRIMARY KEY,
    licence_id TEXT NOT NULL REFERENCES licence (id),
    request_id TEXT NOT NULL UNIQUE,
    seats BIGINT NOT NULL,
    -- Places of the hold taken by enrolments so far.
    used BIGINT NOT NULL DEFAULT 0,
    -- held, used, released, expired.
    state TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by TEXT
);
CREATE INDEX licence_hold_open ON licence_hold (expires_at) WHERE state = 'held';
-- SQLite: a hold is one INSERT whose SELECT checks the cap; this trigger takes the places
-- in the same statement (one writer, so the check and the take cannot interleave).
-- PostgreSQL takes them with a conditional UPDATE under the row lock instead.
CREATE TRIGGER licence_hold_take AFTER INSERT ON licence_hold
BEGIN UPDATE licence SET held = held + NEW.seats WHERE id = NEW.licence_id; END;

-- The enrolments of records, as far as licences care: which licence, counted or not.
CREATE TABLE licence_enrolment (
    enrolment_id TEXT PRIMARY KEY,
    licence_id TEXT,
    institution_id TEXT NOT NULL,
    counted BIGINT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX licence_enrolment_licence ON licence_enrolment (licence_id);

-- Accreditation decisions: of an institution (programme_id NULL) or of a programme.
CREATE TABLE accreditation (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institution (id),
    programme_id TEXT REFERENCES programme (id),
    agency TEXT NOT NULL,
    result TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    document_no TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX accreditation_institution ON accreditation (institution_id);

-- Append-only, hash-chained audit of every change (see edu24_shared::audit).
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    client_address TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
