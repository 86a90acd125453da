-- A subnet ledger (DESIGN.md §4): chain position, registered neurons, commitments, weights, bonds, balances
-- and one row per applied epoch. An epoch is applied in one transaction (neurons, bonds, balances, the epoch
-- row and the meta counters together), so a ledger killed mid-epoch restarts with it wholly applied or not at
-- all, and SUM(balances.amount) = meta.total_emitted always. Amounts are integers in rao (1 token = 10^9 rao) so
-- that the books balance exactly.
CREATE TABLE meta (
    id            INT              PRIMARY KEY CHECK (id = 1),
    block         BIGINT           NOT NULL,
    epoch         BIGINT           NOT NULL,
    total_emitted BIGINT           NOT NULL
);
INSERT INTO meta (id, block, epoch, total_emitted) VALUES (1, 0, 0, 0);

CREATE TABLE neurons (
    uid              INT              PRIMARY KEY CHECK (uid >= 0),
    hotkey           VARCHAR(64)      NOT NULL UNIQUE,
    coldkey          VARCHAR(64)      NOT NULL,
    stake            DOUBLE PRECISION NOT NULL CHECK (stake >= 0),
    registered_at    BIGINT           NOT NULL,
    last_update      BIGINT           NOT NULL,
    validator_permit BOOLEAN          NOT NULL,
    consensus        DOUBLE PRECISION DEFAULT 0 NOT NULL,
    validator_trust  DOUBLE PRECISION DEFAULT 0 NOT NULL,
    incentive        DOUBLE PRECISION DEFAULT 0 NOT NULL,
    dividends        DOUBLE PRECISION DEFAULT 0 NOT NULL,
    emission         BIGINT           DEFAULT 0 NOT NULL
);

CREATE TABLE commitments (
    model_sha256 CHAR(64)    PRIMARY KEY,
    uid          INT         NOT NULL,
    hotkey       VARCHAR(64) NOT NULL,
    block        BIGINT      NOT NULL
);

CREATE TABLE weights (
    validator_uid INT              NOT NULL,
    miner_uid     INT              NOT NULL,
    weight        DOUBLE PRECISION NOT NULL CHECK (weight >= 0),
    CONSTRAINT weights_pk PRIMARY KEY (validator_uid, miner_uid)
);

CREATE TABLE bonds (
    validator_uid INT              NOT NULL,
    miner_uid     INT              NOT NULL,
    bond          DOUBLE PRECISION NOT NULL,
    CONSTRAINT bonds_pk PRIMARY KEY (validator_uid, miner_uid)
);

CREATE TABLE balances (
    hotkey VARCHAR(64)      PRIMARY KEY,
    amount BIGINT      NOT NULL
);

CREATE TABLE epochs (
    epoch       BIGINT           PRIMARY KEY,
    block       BIGINT           NOT NULL,
    emitted     BIGINT           NOT NULL,
    report_json CLOB             NOT NULL
);
