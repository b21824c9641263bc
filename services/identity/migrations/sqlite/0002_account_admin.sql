-- Account administration: a folded search key (SQLite's lower() knows only ASCII, so
-- identity folds names in Rust), second-factor state, and issuance of accounts in bulk.
ALTER TABLE account ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
UPDATE account SET search_key = lower(login || ' ' || display_name);
CREATE INDEX account_search ON account (search_key);

-- Students and staff are issued accounts from rosters; identity keeps what it needs to
-- recognise the person again (re-uploads create no duplicates; access requests match).
CREATE TABLE roster_entry (
    account_id TEXT PRIMARY KEY REFERENCES account (id),
    institution_id TEXT NOT NULL,
    pin TEXT NOT NULL,
    ticket_no TEXT NOT NULL,
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    programme TEXT NOT NULL,
    study_year BIGINT NOT NULL,
    UNIQUE (institution_id, ticket_no)
);
CREATE INDEX roster_entry_pin ON roster_entry (pin);

-- A bulk issuance. One-time passwords are derived from `seed` (HMAC per row), so a
-- restarted job and the cards PDF produce the same passwords without ever storing
-- them; the seed is erased when the job is closed, after which no one can derive them.
CREATE TABLE issuance_job (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    state TEXT NOT NULL,
    total BIGINT NOT NULL,
    done BIGINT NOT NULL,
    seed BLOB,
    finished_at BIGINT,
    closed_at BIGINT
);
CREATE INDEX issuance_job_institution ON issuance_job (institution_id, created_at);

CREATE TABLE issuance_row (
    job_id TEXT NOT NULL REFERENCES issuance_job (id),
    row_no BIGINT NOT NULL,
    pin TEXT NOT NULL,
    ticket_no TEXT NOT NULL,
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    programme TEXT NOT NULL,
    study_year BIGINT NOT NULL,
    account_id TEXT,
    PRIMARY KEY (job_id, row_no)
);
