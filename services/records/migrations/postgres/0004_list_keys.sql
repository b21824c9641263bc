-- Lists page by an index instead of joining every person of the institution (ADR 0029):
-- the student list orders by the person's name key kept on the enrolment, the GPA
-- ranking filters by the enrolment's status kept on its GPA row. Triggers keep both.
ALTER TABLE enrolment ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE enrolment e SET name_key = p.name_key FROM person p WHERE p.id = e.person_id;
-- Covering: filters, counts and the page (ids) come from the index alone.
CREATE INDEX enrolment_list
    ON enrolment (institution_id, intake_year DESC, name_key, id, status, programme_id, study_group, student_ticket);
CREATE FUNCTION enrolment_name_key_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name_key := COALESCE((SELECT name_key FROM person WHERE id = NEW.person_id), '');
    RETURN NEW;
END $$;
CREATE TRIGGER enrolment_name_key BEFORE INSERT ON enrolment FOR EACH ROW EXECUTE FUNCTION enrolment_name_key_set();
CREATE FUNCTION person_name_key_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolment SET name_key = NEW.name_key WHERE person_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER person_name_key_follows AFTER UPDATE OF name_key ON person
    FOR EACH ROW EXECUTE FUNCTION person_name_key_follows();

ALTER TABLE enrolment_gpa ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
UPDATE enrolment_gpa g SET status = e.status FROM enrolment e WHERE e.id = g.enrolment_id;
DROP INDEX enrolment_gpa_rank;
DROP INDEX enrolment_gpa_programme_rank;
CREATE INDEX enrolment_gpa_rank
    ON enrolment_gpa (institution_id, status, gpa DESC, credits_earned_tenths DESC, enrolment_id, programme_id);
CREATE INDEX enrolment_gpa_programme_rank
    ON enrolment_gpa (institution_id, programme_id, status, gpa DESC, credits_earned_tenths DESC, enrolment_id);
CREATE FUNCTION enrolment_gpa_status_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.status := COALESCE((SELECT status FROM enrolment WHERE id = NEW.enrolment_id), 'active');
    RETURN NEW;
END $$;
CREATE TRIGGER enrolment_gpa_status BEFORE INSERT ON enrolment_gpa
    FOR EACH ROW EXECUTE FUNCTION enrolment_gpa_status_set();
CREATE FUNCTION enrolment_status_to_gpa() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolment_gpa SET status = NEW.status WHERE enrolment_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER enrolment_status_to_gpa AFTER UPDATE OF status ON enrolment
    FOR EACH ROW EXECUTE FUNCTION enrolment_status_to_gpa();

-- Each institution's list generation: bumped in the writing transaction by every change
-- of its enrolments, their GPAs or their persons; lists read at one generation are kept.
CREATE TABLE list_generation (institution_id TEXT PRIMARY KEY, gen BIGINT NOT NULL);
CREATE FUNCTION list_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO list_generation (institution_id, gen) VALUES (NEW.institution_id, 1)
    ON CONFLICT (institution_id) DO UPDATE SET gen = list_generation.gen + 1;
    IF TG_OP = 'UPDATE' AND OLD.institution_id <> NEW.institution_id THEN
        UPDATE list_generation SET gen = gen + 1 WHERE institution_id = OLD.institution_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enrolment_list_generation AFTER INSERT OR UPDATE ON enrolment
    FOR EACH ROW EXECUTE FUNCTION list_generation_bump();
CREATE TRIGGER enrolment_gpa_list_generation AFTER INSERT OR UPDATE ON enrolment_gpa
    FOR EACH ROW EXECUTE FUNCTION list_generation_bump();
CREATE FUNCTION list_generation_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE list_generation SET gen = gen + 1
    WHERE institution_id IN (SELECT institution_id FROM enrolment WHERE person_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER person_list_generation AFTER UPDATE ON person
    FOR EACH ROW EXECUTE FUNCTION list_generation_person();
