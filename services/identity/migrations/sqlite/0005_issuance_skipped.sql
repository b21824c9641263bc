-- A row whose login or ticket was taken between the check and the issue is set aside
-- with its problem instead of stopping the job.
ALTER TABLE issuance_row ADD COLUMN problem TEXT;
ALTER TABLE issuance_job ADD COLUMN skipped BIGINT NOT NULL DEFAULT 0;
