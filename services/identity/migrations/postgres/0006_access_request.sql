-- Students enrolled before EDU24 ask for access; the registrar of their university
-- approves (issuing an account and its card) or rejects, with a reason.
CREATE TABLE access_request (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    pin TEXT NOT NULL,
    ticket_no TEXT NOT NULL,
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    programme TEXT NOT NULL,
    study_year BIGINT NOT NULL,
    contact TEXT NOT NULL,
    client_address TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    reason TEXT,
    account_id TEXT
);
CREATE INDEX access_request_queue ON access_request (institution_id, state, created_at);
