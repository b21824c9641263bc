-- A verified e-mail address lets a person reset a forgotten password by a single-use
-- link that expires; tokens are stored hashed. Mail goes out through the mail outbox.
CREATE TABLE account_email (
    account_id TEXT PRIMARY KEY REFERENCES account (id),
    email TEXT NOT NULL,
    verified_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE TABLE email_token (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL
);
