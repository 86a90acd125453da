-- Challenge versions and what the metagraph shows per neuron (DESIGN.md §4 "Challenges and scoring").
-- Version 1 is the genesis challenge the ledger was created with; the subnet owner announces later versions,
-- each in force from its effective_epoch (the epoch after the one in progress when it was announced) until the
-- next version's. challenge_json is the whole challenge (dev.distillery.network.score.Challenge as JSON), so a
-- validator reads exactly what to score on.
CREATE TABLE challenges (
    version         INT           PRIMARY KEY CHECK (version >= 1),
    effective_epoch BIGINT        NOT NULL UNIQUE,
    challenge_json  CLOB          NOT NULL,
    announced_block BIGINT        NOT NULL,
    announced_by    VARCHAR(64)   NOT NULL,
    note            VARCHAR(1000) NOT NULL
);

-- A devnet simulated competitor miner: a label only, shown everywhere.
ALTER TABLE neurons ADD COLUMN simulated BOOLEAN DEFAULT FALSE NOT NULL;
-- The neuron's latest commitment (commitments keeps only the earliest committer of each hash, so a copier's
-- own latest commit is kept here).
ALTER TABLE neurons ADD COLUMN committed_sha256 CHAR(64);
ALTER TABLE neurons ADD COLUMN commit_block BIGINT DEFAULT 0 NOT NULL;
