-- Employers register themselves and wait for the ministry's verification; until then
-- their account holds no role and sees nothing about students.
CREATE TABLE employer_request (
    account_id TEXT PRIMARY KEY REFERENCES account (id),
    organisation TEXT NOT NULL,
    tax_id TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    reason TEXT
);
CREATE INDEX employer_request_state ON employer_request (state, created_at);
