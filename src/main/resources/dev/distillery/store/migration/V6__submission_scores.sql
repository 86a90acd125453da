-- Score history (issue 7, Earnings): submissions keep only their latest score, so each event now records the score
-- the submission had when that event was written; the Earnings screen charts a model's score over the epochs.
ALTER TABLE submission_events ADD COLUMN score DOUBLE PRECISION;

-- Rows written before this migration: the latest event of each submission is the one its current score belongs to.
UPDATE submission_events e SET score = (SELECT s.score FROM submissions s WHERE s.submission_id = e.submission_id)
WHERE e.id = (SELECT MAX(x.id) FROM submission_events x WHERE x.submission_id = e.submission_id);
