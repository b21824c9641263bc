-- A student's corrections awaiting a decision, for the transcript (a diploma is not
-- issued while one is open).
CREATE INDEX grade_correction_pending_enrolment ON grade_correction (enrolment_id) WHERE state = 'pending';
