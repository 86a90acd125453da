-- Score history (issue 7, Earnings): submissions keep only their latest score, so each event now records the score
-- the submission had when that event was written; the Earnings screen charts a model's score over the epochs.
ALTER TABLE submission_events ADD COLUMN score DOUBLE PRECISION;

-- Rows written before this migration: the latest event of each submission is the one its current score belongs to.
UPDATE submission_events e SET score = (SELECT s.score FROM submissions s WHERE s.submission_id = e.submission_id)
WHERE e.id = (SELECT MAX(x.id) FROM submission_events x WHERE x.submission_id = e.submission_id);

-- The per-epoch chart reads emission and incentive of a hotkey's epochs: with incentive in the index too, a year of
-- epochs (one row in every 256 of the table) is read from the index alone instead of one table lookup per row.
DROP INDEX network_earnings_hotkey_epoch;
CREATE INDEX network_earnings_hotkey_epoch ON network_earnings (ledger_id, hotkey, epoch, emission, incentive);
