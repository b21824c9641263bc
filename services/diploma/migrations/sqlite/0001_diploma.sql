-- diploma: blank forms, the diploma register, issuance, verification, status lists.
-- Portable types: ids TEXT (UUID), instants BIGINT epoch ms, dates TEXT YYYY-MM-DD.

-- A delivery of state blank forms to an institution: one series, a range of numbers.
CREATE TABLE blank_receipt (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    series TEXT NOT NULL,
    first_no BIGINT NOT NULL,
    last_no BIGINT NOT NULL,
    document_no TEXT NOT NULL,
    received_on TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX blank_receipt_institution ON blank_receipt (institution_id, received_on);
CREATE TRIGGER blank_receipt_no_update BEFORE UPDATE ON blank_receipt
BEGIN SELECT RAISE(ABORT, 'receipts are never changed'); END;
CREATE TRIGGER blank_receipt_no_delete BEFORE DELETE ON blank_receipt
BEGIN SELECT RAISE(ABORT, 'receipts are never deleted'); END;

-- One row per form: a (series, number) exists once in the country.
CREATE TABLE blank_form (
    series TEXT NOT NULL,
    number BIGINT NOT NULL,
    receipt_id TEXT NOT NULL REFERENCES blank_receipt (id),
    institution_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_stock', 'used', 'spoiled', 'returned')),
    diploma_id TEXT,
    reason TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (series, number)
);
CREATE INDEX blank_form_stock ON blank_form (institution_id, kind, state, series, number);
-- A form leaves the stock once and never comes back.
CREATE TRIGGER blank_form_moves_once BEFORE UPDATE ON blank_form
WHEN OLD.state <> 'in_stock' OR NEW.state = 'in_stock' OR NEW.series <> OLD.series OR NEW.number <> OLD.number
    OR NEW.institution_id <> OLD.institution_id OR NEW.kind <> OLD.kind OR NEW.receipt_id <> OLD.receipt_id
BEGIN SELECT RAISE(ABORT, 'a blank form leaves the stock once and is never changed after'); END;
CREATE TRIGGER blank_form_no_delete BEFORE DELETE ON blank_form
BEGIN SELECT RAISE(ABORT, 'blank forms are never deleted'); END;

-- Every move of forms, appended: the ledger of any moment is recomputable.
CREATE TABLE blank_move (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    series TEXT NOT NULL,
    first_no BIGINT NOT NULL,
    last_no BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('received', 'used', 'spoiled', 'returned')),
    diploma_id TEXT,
    reason TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX blank_move_institution ON blank_move (institution_id, seq);
CREATE TRIGGER blank_move_no_update BEFORE UPDATE ON blank_move
BEGIN SELECT RAISE(ABORT, 'the blank form ledger is append-only'); END;
CREATE TRIGGER blank_move_no_delete BEFORE DELETE ON blank_move
BEGIN SELECT RAISE(ABORT, 'the blank form ledger is append-only'); END;

-- The institution's rule for honours (absent: the common rule).
CREATE TABLE honours_rule (
    institution_id TEXT PRIMARY KEY,
    min_excellent_percent BIGINT NOT NULL,
    allow_satisfactory BIGINT NOT NULL,
    attestation_excellent BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- A group's issuance: the saga's state (pending -> done).
CREATE TABLE issuance (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    study_group TEXT NOT NULL,
    order_no TEXT NOT NULL,
    order_signed_on TEXT NOT NULL,
    signatory TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    diplomas BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    done_at BIGINT,
    -- the registrar's request: the same request again answers with this issuance.
    request_id TEXT NOT NULL UNIQUE
);
CREATE INDEX issuance_pending ON issuance (state, created_at);

-- The register. Issued content never changes; only the status moves, forward.
CREATE TABLE diploma (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    institution_id TEXT NOT NULL,
    institution_code TEXT NOT NULL,
    issuance_id TEXT NOT NULL REFERENCES issuance (id),
    enrolment_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    -- family name, lower case, for the public check by number and name.
    name_key TEXT NOT NULL,
    honours BIGINT NOT NULL,
    issued_on TEXT NOT NULL,
    form_series TEXT NOT NULL,
    form_number BIGINT NOT NULL,
    duplicate_of TEXT REFERENCES diploma (id),
    status_index BIGINT NOT NULL,
    level TEXT NOT NULL,
    specialty_code TEXT NOT NULL,
    -- what the public check shows (JSON: holder, qualification, institution).
    public_view TEXT NOT NULL,
    -- the issued document: names, programme, qualification, supplement (JSON) and its digest.
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    credential TEXT NOT NULL,
    pdf_diploma BLOB NOT NULL,
    pdf_supplement BLOB NOT NULL,
    pdf_supplement_en BLOB,
    -- the QR code's token: opaque, random.
    token TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'valid', 'revoked', 'annulled', 'replaced')),
    state_on TEXT,
    state_reason TEXT NOT NULL,
    state_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX diploma_institution ON diploma (institution_id, issued_on);
CREATE INDEX diploma_enrolment ON diploma (enrolment_id);
CREATE INDEX diploma_person ON diploma (person_id);
CREATE INDEX diploma_issuance ON diploma (issuance_id);
CREATE UNIQUE INDEX diploma_one_valid ON diploma (enrolment_id) WHERE state IN ('pending', 'valid');
CREATE UNIQUE INDEX diploma_status_index ON diploma (institution_id, status_index);
CREATE UNIQUE INDEX diploma_form ON diploma (form_series, form_number);
CREATE TRIGGER diploma_content_stays BEFORE UPDATE ON diploma
WHEN NEW.number <> OLD.number OR NEW.content <> OLD.content OR NEW.content_sha256 <> OLD.content_sha256
    OR NEW.credential <> OLD.credential OR NEW.pdf_diploma <> OLD.pdf_diploma
    OR NEW.pdf_supplement <> OLD.pdf_supplement OR NEW.form_series <> OLD.form_series
    OR NEW.form_number <> OLD.form_number OR NEW.enrolment_id <> OLD.enrolment_id
    OR NEW.status_index <> OLD.status_index OR NEW.token <> OLD.token
    OR (OLD.state <> 'pending' AND OLD.state <> 'valid')
    OR (OLD.state = 'valid' AND NEW.state = 'pending')
BEGIN SELECT RAISE(ABORT, 'an issued diploma is never changed; only its status moves forward'); END;
CREATE TRIGGER diploma_no_delete BEFORE DELETE ON diploma
BEGIN SELECT RAISE(ABORT, 'diplomas are never deleted'); END;

-- Next free bit of an institution's status list.
CREATE TABLE status_list (
    institution_id TEXT PRIMARY KEY,
    next_index BIGINT NOT NULL
);

-- A grade corrected after the diploma was issued, and other findings to review.
CREATE TABLE diploma_flag (
    id TEXT PRIMARY KEY,
    diploma_id TEXT NOT NULL REFERENCES diploma (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX diploma_flag_open ON diploma_flag (diploma_id, closed_at);

-- A holder's link to the full record, for a time.
CREATE TABLE share_link (
    token_sha256 TEXT PRIMARY KEY,
    diploma_id TEXT NOT NULL REFERENCES diploma (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX share_link_diploma ON share_link (diploma_id);

-- Each public check of a diploma, for the holder to see.
CREATE TABLE verification (
    id TEXT PRIMARY KEY,
    diploma_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    method TEXT NOT NULL,
    outcome TEXT NOT NULL,
    -- who asked, as much as is known: a hash of the address, the user agent's family.
    client TEXT NOT NULL
);
CREATE INDEX verification_diploma ON verification (diploma_id, at);

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
