-- The second factor: a TOTP secret per account (enabled once confirmed with a code),
-- single-use recovery codes (stored hashed), and sessions waiting for the code.
CREATE TABLE account_totp (
    account_id TEXT PRIMARY KEY REFERENCES account (id),
    secret BLOB NOT NULL,
    enabled_at BIGINT,
    last_step BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE recovery_code (
    account_id TEXT NOT NULL REFERENCES account (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (account_id, code_hash)
);
ALTER TABLE session ADD COLUMN second_factor_pending BIGINT NOT NULL DEFAULT 0;
