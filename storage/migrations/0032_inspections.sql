-- Model inspections on a schedule (issue 14 part 2): an assigned inspector per model, the
-- model's closing (conversion) with its reason, the recommendation 'commend', and the
-- reminders to inspectors, claimed before they are sent like reminder_log's rows.
-- The plans themselves (N inspections a year per level) are rows of `settings`.

-- model_updates.proposal gains 'commend'. A CHECK cannot be altered in SQLite: the table
-- is rebuilt (new table, copy, drop, rename; storage/migrate.py runs migrations with
-- foreign keys off and checks them before committing, so the drop cascades nothing).
-- On PostgreSQL this is one ALTER TABLE … DROP CONSTRAINT / ADD CONSTRAINT.
CREATE TABLE model_updates_new (
    id               INTEGER PRIMARY KEY,
    model_id         INTEGER NOT NULL REFERENCES models (id),
    cadre_id         INTEGER NOT NULL REFERENCES cadres (id),
    kind             TEXT NOT NULL DEFAULT 'update' CHECK (kind IN ('update', 'inspection')),
    assessment       TEXT NOT NULL CHECK (assessment IN ('good', 'fair', 'ineffective')),
    notes            TEXT NOT NULL DEFAULT '',
    proposal         TEXT NOT NULL CHECK (proposal IN ('maintain', 'replicate', 'convert', 'commend')),
    proposal_places  TEXT NOT NULL DEFAULT '',
    quarter          TEXT NOT NULL,
    client_token     TEXT NOT NULL UNIQUE,
    submitted_at     TEXT NOT NULL
);
INSERT INTO model_updates_new (id, model_id, cadre_id, kind, assessment, notes, proposal, proposal_places,
                               quarter, client_token, submitted_at)
SELECT id, model_id, cadre_id, kind, assessment, notes, proposal, proposal_places, quarter, client_token,
       submitted_at
FROM model_updates;
DROP TABLE model_updates;
ALTER TABLE model_updates_new RENAME TO model_updates;
CREATE INDEX model_updates_model ON model_updates (model_id, submitted_at);
CREATE INDEX model_updates_quarter ON model_updates (quarter);
CREATE INDEX model_updates_inspections ON model_updates (kind, model_id, submitted_at);

-- The cadre who inspects the model (set by an admin within scope), and its closing.
ALTER TABLE models ADD COLUMN inspector_id INTEGER REFERENCES cadres (id);
ALTER TABLE models ADD COLUMN closed_reason TEXT;
ALTER TABLE models ADD COLUMN closed_at TEXT;
ALTER TABLE models ADD COLUMN closed_by INTEGER REFERENCES cadres (id);

-- One reminder per (model, due period, inspector): claimed before it is sent; 'claimed'
-- whose outcome is unknown is never sent again, 'failed' is retried a few times.
CREATE TABLE inspection_reminders (
    model_id    INTEGER NOT NULL REFERENCES models (id),
    period      TEXT NOT NULL,
    cadre_id    INTEGER NOT NULL REFERENCES cadres (id),
    status      TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'unreachable')),
    attempts    INTEGER NOT NULL DEFAULT 1,
    last_error  TEXT,
    claimed_at  TEXT NOT NULL,
    sent_at     TEXT,
    PRIMARY KEY (model_id, period, cadre_id)
);
