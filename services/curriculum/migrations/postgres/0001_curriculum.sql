-- curriculum: state standards, national courses, curricula and their compliance.
-- Portable types: ids TEXT (UUID), instants BIGINT epoch ms, booleans 0/1, dates TEXT
-- YYYY-MM-DD, credits BIGINT tenths, JSON as TEXT.

-- Read models kept from catalogue's events (edu24.catalogue.*.changed.v1).
CREATE TABLE institution_ref (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE TABLE specialty_ref (
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (code, level)
);
CREATE TABLE programme_ref (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL,
    form TEXT NOT NULL,
    language TEXT NOT NULL,
    duration_months BIGINT NOT NULL,
    credits BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX programme_ref_institution ON programme_ref (institution_id);

-- The national catalogue of general-education courses.
CREATE TABLE national_course (
    code TEXT PRIMARY KEY,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    recommended_tenths BIGINT,
    mandatory BIGINT NOT NULL,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- State educational standards, one per specialty x level x date of entry into force.
CREATE TABLE standard (
    id TEXT PRIMARY KEY,
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    document_no TEXT NOT NULL,
    title_ky TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    total_tenths BIGINT NOT NULL,
    hours_per_credit BIGINT NOT NULL,
    semesters BIGINT NOT NULL,
    weeks_per_semester BIGINT NOT NULL,
    max_weekly_hours BIGINT NOT NULL,
    state_component_percent BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (specialty_code, level, valid_from)
);
CREATE TABLE standard_block (
    standard_id TEXT NOT NULL REFERENCES standard (id),
    ord BIGINT NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    min_tenths BIGINT NOT NULL,
    max_tenths BIGINT NOT NULL,
    PRIMARY KEY (standard_id, code)
);
CREATE TABLE standard_course (
    standard_id TEXT NOT NULL REFERENCES standard (id),
    ord BIGINT NOT NULL,
    code TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    block TEXT NOT NULL,
    min_tenths BIGINT NOT NULL,
    PRIMARY KEY (standard_id, code)
);

-- Curriculum versions of a programme and intake year.
CREATE TABLE curriculum (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL,
    institution_id TEXT NOT NULL,
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL,
    intake_year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'superseded')),
    -- Grows with every change of the row (saves, status changes, re-checks).
    revision BIGINT NOT NULL,
    -- The standard of the latest check; and the one it was approved under (frozen).
    standard_id TEXT,
    approved_standard_id TEXT,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    total_tenths BIGINT NOT NULL,
    line_count BIGINT NOT NULL,
    findings TEXT NOT NULL,
    checked_at BIGINT NOT NULL,
    content_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    -- Who last wrote the lines (the creator, then every save): never its approver.
    content_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    submitted_at BIGINT,
    submitted_by TEXT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT NOT NULL,
    decision_note TEXT NOT NULL,
    superseded_by TEXT,
    UNIQUE (programme_id, intake_year, version),
    CHECK (status NOT IN ('approved', 'superseded') OR approved_standard_id IS NOT NULL)
);
-- At most one version in the making and one in force per programme and intake.
CREATE UNIQUE INDEX curriculum_one_open ON curriculum (programme_id, intake_year)
    WHERE status IN ('draft', 'submitted');
CREATE UNIQUE INDEX curriculum_one_approved ON curriculum (programme_id, intake_year)
    WHERE status = 'approved';
CREATE INDEX curriculum_institution ON curriculum (institution_id, intake_year);
CREATE INDEX curriculum_specialty ON curriculum (specialty_code, level, intake_year);

-- Re-checks owed after a standard or a national course changed: written with the change,
-- done (and deleted) after it, and again at start if the process was killed meanwhile.
CREATE TABLE recheck_pending (
    id TEXT PRIMARY KEY,
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL,
    course_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE curriculum_line (
    curriculum_id TEXT NOT NULL REFERENCES curriculum (id),
    line_no BIGINT NOT NULL,
    semester BIGINT NOT NULL,
    code TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    block TEXT NOT NULL,
    credits_tenths BIGINT NOT NULL,
    lectures BIGINT NOT NULL,
    practicals BIGINT NOT NULL,
    labs BIGINT NOT NULL,
    independent BIGINT NOT NULL,
    assessment TEXT NOT NULL,
    prerequisites TEXT NOT NULL,
    component TEXT NOT NULL,
    choice_group TEXT NOT NULL,
    PRIMARY KEY (curriculum_id, line_no)
);

-- Only a draft's lines change.
CREATE FUNCTION curriculum_line_draft_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent TEXT;
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT status INTO parent FROM curriculum WHERE id = OLD.curriculum_id;
        IF parent IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'only a draft curriculum changes';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO parent FROM curriculum WHERE id = NEW.curriculum_id;
        IF parent IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'only a draft curriculum changes';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER curriculum_line_draft_only BEFORE INSERT OR UPDATE OR DELETE ON curriculum_line
FOR EACH ROW EXECUTE FUNCTION curriculum_line_draft_only();

-- An approved version never changes: it may only become superseded, and be re-checked
-- against a later standard (the check's columns).
CREATE FUNCTION curriculum_final_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('approved', 'superseded') THEN
            RAISE EXCEPTION 'an approved curriculum is never deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status IN ('approved', 'superseded') AND (
        NEW.programme_id IS DISTINCT FROM OLD.programme_id OR NEW.intake_year IS DISTINCT FROM OLD.intake_year
        OR NEW.institution_id IS DISTINCT FROM OLD.institution_id OR NEW.specialty_code IS DISTINCT FROM OLD.specialty_code
        OR NEW.level IS DISTINCT FROM OLD.level OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.content_by IS DISTINCT FROM OLD.content_by
        OR NEW.version IS DISTINCT FROM OLD.version OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
        OR NEW.approved_standard_id IS DISTINCT FROM OLD.approved_standard_id
        OR NEW.line_count IS DISTINCT FROM OLD.line_count
        OR NEW.decided_at IS DISTINCT FROM OLD.decided_at OR NEW.decided_by IS DISTINCT FROM OLD.decided_by
        OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at OR NEW.submitted_by IS DISTINCT FROM OLD.submitted_by
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'approved' AND NEW.status = 'superseded'))) THEN
        RAISE EXCEPTION 'an approved curriculum never changes; make a new version';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER curriculum_final_frozen BEFORE UPDATE OR DELETE ON curriculum
FOR EACH ROW EXECUTE FUNCTION curriculum_final_frozen();

-- A standard an approved curriculum was held to never changes.
CREATE FUNCTION standard_in_use_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sid TEXT;
BEGIN
    IF TG_TABLE_NAME = 'standard' THEN
        sid := OLD.id;
    ELSIF TG_OP = 'DELETE' THEN
        sid := OLD.standard_id;
    ELSE
        sid := NEW.standard_id;
    END IF;
    IF EXISTS (SELECT 1 FROM curriculum WHERE approved_standard_id = sid) THEN
        RAISE EXCEPTION 'a standard in use never changes; record a new version';
    END IF;
    -- A row moved from one standard to another must leave a standard not in use either.
    IF TG_TABLE_NAME <> 'standard' AND TG_OP = 'UPDATE'
        AND EXISTS (SELECT 1 FROM curriculum WHERE approved_standard_id = OLD.standard_id) THEN
        RAISE EXCEPTION 'a standard in use never changes; record a new version';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER standard_in_use_frozen BEFORE UPDATE OR DELETE ON standard
FOR EACH ROW EXECUTE FUNCTION standard_in_use_frozen();
CREATE TRIGGER standard_block_in_use BEFORE INSERT OR UPDATE OR DELETE ON standard_block
FOR EACH ROW EXECUTE FUNCTION standard_in_use_frozen();
CREATE TRIGGER standard_course_in_use BEFORE INSERT OR UPDATE OR DELETE ON standard_course
FOR EACH ROW EXECUTE FUNCTION standard_in_use_frozen();

-- Approval of an institution's curricula delegated by the ministry to its admin.
CREATE TABLE delegation (
    institution_id TEXT PRIMARY KEY,
    delegated BIGINT NOT NULL,
    granted_at BIGINT NOT NULL,
    granted_by TEXT NOT NULL,
    note TEXT NOT NULL
);

-- When every curriculum was last re-checked.
CREATE TABLE recheck_run (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    curricula BIGINT NOT NULL,
    changed BIGINT NOT NULL,
    with_errors BIGINT NOT NULL,
    elapsed_ms BIGINT NOT NULL,
    actor TEXT NOT NULL
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
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- Transactional outbox and consumer inbox (see edu24-shared).
CREATE TABLE outbox (
    event_id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    envelope BYTEA NOT NULL,
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
