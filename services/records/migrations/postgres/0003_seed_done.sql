-- Institutions whose generated student body is written (edu24 seed): a rerun after a
-- killed seed goes on with the others.
CREATE TABLE seed_done (
    institution_code TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
