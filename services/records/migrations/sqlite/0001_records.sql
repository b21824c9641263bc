-- records: persons, enrolments, orders (append-only).
-- Portable types: ids TEXT (UUID), instants BIGINT epoch ms, dates TEXT YYYY-MM-DD.

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    pin TEXT UNIQUE,
    pin_exception TEXT NOT NULL,
    family TEXT NOT NULL,
    given TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    latin_family TEXT NOT NULL,
    latin_given TEXT NOT NULL,
    latin_patronymic TEXT NOT NULL,
    -- family and given names, lower case, for search and duplicate detection.
    name_key TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
    citizenship TEXT NOT NULL,
    merged_into TEXT REFERENCES person (id),
    created_for TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX person_name_key ON person (name_key, birth_date);
CREATE INDEX person_created_for ON person (created_for);

CREATE TABLE enrolment (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person (id),
    institution_id TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL,
    form TEXT NOT NULL,
    intake_year BIGINT NOT NULL,
    study_group TEXT NOT NULL,
    funding TEXT NOT NULL CHECK (funding IN ('grant', 'contract')),
    status TEXT NOT NULL CHECK (status IN ('active', 'academic_leave', 'expelled', 'graduated', 'transferred_out')),
    student_ticket TEXT NOT NULL,
    licence_id TEXT NOT NULL,
    hold_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    since TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX enrolment_institution ON enrolment (institution_id, status, programme_id, study_group);
CREATE INDEX enrolment_person ON enrolment (person_id);
-- One place per person in a programme at a time; a ticket names one student of an institution.
CREATE UNIQUE INDEX enrolment_one_current ON enrolment (person_id, programme_id)
    WHERE status IN ('active', 'academic_leave');
CREATE UNIQUE INDEX enrolment_ticket ON enrolment (institution_id, student_ticket)
    WHERE student_ticket <> '' AND status IN ('active', 'academic_leave');

-- Orders are the history: appended, never changed.
CREATE TABLE student_order (
    id TEXT PRIMARY KEY,
    enrolment_id TEXT NOT NULL REFERENCES enrolment (id),
    person_id TEXT NOT NULL REFERENCES person (id),
    institution_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    signatory TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    status_after TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX student_order_enrolment ON student_order (enrolment_id, recorded_at);
CREATE INDEX student_order_person ON student_order (person_id);
CREATE TRIGGER student_order_no_update BEFORE UPDATE ON student_order
BEGIN SELECT RAISE(ABORT, 'orders are never changed'); END;
CREATE TRIGGER student_order_no_delete BEFORE DELETE ON student_order
BEGIN SELECT RAISE(ABORT, 'orders are never deleted'); END;

-- The same request again answers with what it did the first time.
CREATE TABLE order_request (
    request_id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

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

-- Transactional outbox and consumer inbox (see edu24-shared).
CREATE TABLE outbox (
    event_id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    envelope BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (event_id) WHERE sent_at IS NULL;
CREATE TABLE inbox (
    consumer TEXT NOT NULL,
    event_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
