-- identity: accounts, credentials, roles with scope, sessions, signing keys, throttling,
-- the append-only audit log, and the read model of institutions (from catalogue events).

CREATE TABLE account (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    must_change_password BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- institution_id is '' for the ministry and for personal roles.
CREATE TABLE role_grant (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    role TEXT NOT NULL,
    institution_id TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    UNIQUE (account_id, role, institution_id)
);
CREATE INDEX role_grant_institution ON role_grant (institution_id, role);

CREATE TABLE session (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES account (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    absolute_expires_at BIGINT NOT NULL,
    ended_at BIGINT,
    end_reason TEXT,
    client_address TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE signing_key (
    kid TEXT PRIMARY KEY,
    secret BLOB NOT NULL,
    public_key BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);

CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_started_at BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);

-- Append-only, hash-chained: hash = sha256(prev_hash | seq | at | actor | action | subject | client | detail).
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

CREATE TABLE institution_ref (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

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
