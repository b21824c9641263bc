-- Lists page by an index instead of joining every person of the institution (ADR 0029):
-- the student list orders by the person's name key kept on the enrolment, the GPA
-- ranking filters by the enrolment's status kept on its GPA row. Triggers keep both.
ALTER TABLE enrolment ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE enrolment SET name_key = COALESCE((SELECT p.name_key FROM person p WHERE p.id = enrolment.person_id), '');
-- Covering: filters, counts and the page (ids) come from the index alone.
CREATE INDEX enrolment_list
    ON enrolment (institution_id, intake_year DESC, name_key, id, status, programme_id, study_group, student_ticket);
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
CREATE INDEX enrolment_gpa_rank
    ON enrolment_gpa (institution_id, status, gpa DESC, credits_earned_tenths DESC, enrolment_id, programme_id);
CREATE INDEX enrolment_gpa_programme_rank
    ON enrolment_gpa (institution_id, programme_id, status, gpa DESC, credits_earned_tenths DESC, enrolment_id);
CREATE TRIGGER enrolment_gpa_status_on_insert AFTER INSERT ON enrolment_gpa
BEGIN
    UPDATE enrolment_gpa SET status = COALESCE((SELECT status FROM enrolment WHERE id = NEW.enrolment_id), 'active')
    WHERE enrolment_id = NEW.enrolment_id;
END;
CREATE TRIGGER enrolment_status_to_gpa AFTER UPDATE OF status ON enrolment
BEGIN UPDATE enrolment_gpa SET status = NEW.status WHERE enrolment_id = NEW.id; END;

-- (No INSERT OR IGNORE in these triggers: an outer upsert's conflict policy overrides it.)
-- Each institution's list generation: bumped in the writing transaction by every change
-- of its enrolments, their GPAs or their persons; lists read at one generation are kept.
CREATE TABLE list_generation (institution_id TEXT PRIMARY KEY, gen BIGINT NOT NULL);
CREATE TRIGGER enrolment_list_generation_insert AFTER INSERT ON enrolment
BEGIN
    INSERT INTO list_generation (institution_id, gen) SELECT NEW.institution_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM list_generation WHERE institution_id = NEW.institution_id);
    UPDATE list_generation SET gen = gen + 1 WHERE institution_id = NEW.institution_id;
END;
CREATE TRIGGER enrolment_list_generation_update AFTER UPDATE ON enrolment
BEGIN
    INSERT INTO list_generation (institution_id, gen) SELECT NEW.institution_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM list_generation WHERE institution_id = NEW.institution_id);
    UPDATE list_generation SET gen = gen + 1 WHERE institution_id IN (NEW.institution_id, OLD.institution_id);
END;
CREATE TRIGGER enrolment_gpa_list_generation_insert AFTER INSERT ON enrolment_gpa
BEGIN
    INSERT INTO list_generation (institution_id, gen) SELECT NEW.institution_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM list_generation WHERE institution_id = NEW.institution_id);
    UPDATE list_generation SET gen = gen + 1 WHERE institution_id = NEW.institution_id;
END;
CREATE TRIGGER enrolment_gpa_list_generation_update AFTER UPDATE ON enrolment_gpa
BEGIN
    INSERT INTO list_generation (institution_id, gen) SELECT NEW.institution_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM list_generation WHERE institution_id = NEW.institution_id);
    UPDATE list_generation SET gen = gen + 1 WHERE institution_id IN (NEW.institution_id, OLD.institution_id);
END;
CREATE TRIGGER person_list_generation AFTER UPDATE ON person
BEGIN
    UPDATE list_generation SET gen = gen + 1
    WHERE institution_id IN (SELECT institution_id FROM enrolment WHERE person_id = NEW.id);
END;
