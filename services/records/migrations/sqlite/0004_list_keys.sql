-- Lists page by an index instead of joining every person of the institution (ADR 0029):
-- the student list orders by the person's name key kept on the enrolment, the GPA
-- ranking filters by the enrolment's status kept on its GPA row. Triggers keep both.
ALTER TABLE enrolment ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE enrolment SET name_key = COALESCE((SELECT p.name_key FROM person p WHERE p.id = enrolment.person_id), '');
CREATE INDEX enrolment_list ON enrolment (institution_id, intake_year DESC, name_key, id);
CREATE TRIGGER enrolment_name_key AFTER INSERT ON enrolment
BEGIN
    UPDATE enrolment SET name_key = COALESCE((SELECT name_key FROM person WHERE id = NEW.person_id), '')
    WHERE id = NEW.id;
END;
CREATE TRIGGER person_name_key_follows AFTER UPDATE OF name_key ON person
BEGIN UPDATE enrolment SET name_key = NEW.name_key WHERE person_id = NEW.id; END;

ALTER TABLE enrolment_gpa ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
UPDATE enrolment_gpa SET status = COALESCE((SELECT e.status FROM enrolment e WHERE e.id = enrolment_gpa.enrolment_id), 'active');
DROP INDEX enrolment_gpa_rank;
DROP INDEX enrolment_gpa_programme_rank;
CREATE INDEX enrolment_gpa_rank ON enrolment_gpa (institution_id, status, gpa DESC, credits_earned_tenths DESC, enrolment_id);
CREATE INDEX enrolment_gpa_programme_rank
    ON enrolment_gpa (institution_id, programme_id, status, gpa DESC, credits_earned_tenths DESC, enrolment_id);
CREATE TRIGGER enrolment_gpa_status_on_insert AFTER INSERT ON enrolment_gpa
BEGIN
    UPDATE enrolment_gpa SET status = COALESCE((SELECT status FROM enrolment WHERE id = NEW.enrolment_id), 'active')
    WHERE enrolment_id = NEW.enrolment_id;
END;
CREATE TRIGGER enrolment_status_to_gpa AFTER UPDATE OF status ON enrolment
BEGIN UPDATE enrolment_gpa SET status = NEW.status WHERE enrolment_id = NEW.id; END;
