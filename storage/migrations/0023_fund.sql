-- The savings fund (quỹ tiết kiệm): an append-only ledger of whole đồng (INTEGER, never REAL).

-- The unit's treasurer (thủ quỹ) is not written here: an earlier version of this file
-- widened cadres' role CHECK with PRAGMA writable_schema (SQLite only, and fragile), and a
-- role allowed one duty per cadre. 0026_treasurer.sql makes it a column of its own,
-- portably; a database that applied that earlier version is put right by 0026 too.

-- The monthly rate of a unit's fund, set by a top-unit admin (else the configured default).
CREATE TABLE fund_rates (
    unit_id     INTEGER PRIMARY KEY REFERENCES units (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    set_by      INTEGER REFERENCES cadres (id),
    set_at      TEXT NOT NULL
);

-- Every event of a unit's fund, never changed once written. amount is signed đồng and
-- only what moves money carries one: a contribution (+), an approved aid (-), a reversal
-- (the opposite of the entry it reverses). A proposal and a refusal carry 0; the balance
-- is sum(amount). month is 'YYYY-MM' for contributions.
CREATE TABLE fund_ledger (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    kind          TEXT NOT NULL CHECK (kind IN ('contribution', 'aid_proposed', 'aid_approved',
                                                'aid_refused', 'reversal')),
    amount        INTEGER NOT NULL,
    cadre_id      INTEGER REFERENCES cadres (id),
    month         TEXT,
    requested     INTEGER CHECK (requested IS NULL OR requested > 0),
    beneficiary_kind TEXT CHECK (beneficiary_kind IS NULL OR beneficiary_kind IN ('household', 'member')),
    beneficiary   TEXT,
    reason        TEXT,
    decides_id    INTEGER UNIQUE REFERENCES fund_ledger (id),  -- an approval or refusal of a proposal: once
    reverses_id   INTEGER UNIQUE REFERENCES fund_ledger (id),  -- a reversal of an entry: once
    batch_token   TEXT,
    recorded_by   INTEGER REFERENCES cadres (id),
    at            TEXT NOT NULL,
    CHECK (typeof(amount) = 'integer')
);
CREATE INDEX fund_ledger_unit ON fund_ledger (unit_id, kind, month);
CREATE INDEX fund_ledger_cadre ON fund_ledger (cadre_id, month);

-- A confirmed bulk entry of /tietkiem, by the draft's token: a double tap records once.
CREATE TABLE fund_batches (
    token       TEXT PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    month       TEXT NOT NULL,
    recorded    INTEGER NOT NULL,
    at          TEXT NOT NULL
);

CREATE TRIGGER fund_ledger_append_only_update BEFORE UPDATE ON fund_ledger
BEGIN SELECT RAISE(ABORT, 'the fund ledger is append-only: reverse an entry instead'); END;
CREATE TRIGGER fund_ledger_append_only_delete BEFORE DELETE ON fund_ledger
BEGIN SELECT RAISE(ABORT, 'the fund ledger is append-only: reverse an entry instead'); END;
