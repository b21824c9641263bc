-- A roster uploaded for preview, kept until the registrar confirms the issuance (or a
-- day passes), so the file is sent once.
CREATE TABLE roster_upload (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL
);
