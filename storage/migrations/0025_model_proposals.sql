-- Proposals about a model (issue 14 part 2): replicate it to a village, or commend it.
-- Filed from an inspection's recommendation or by an admin; decided once by an admin
-- (replication: within the target's scope; commendation: in the Standing Committee's
-- group). An approved replication adds the target to model_places (the model keeps one
-- identity and history; this row is where the new place came from).
-- Times are ISO UTC text; quarter / decided_quarter are computed in Python ('2026-Q4'),
-- so that no SQLite date function is needed (the SQL is valid PostgreSQL too).
CREATE TABLE model_proposals (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('replicate', 'commend')),
    model_id          INTEGER NOT NULL REFERENCES models (id),
    proposed_by       INTEGER REFERENCES cadres (id),          -- NULL: an admin by configuration only
    source_update_id  INTEGER REFERENCES model_updates (id),   -- the inspection that recommended it
    target_unit_id    INTEGER REFERENCES units (id),           -- replicate: the village (or unit) to add
    detail            TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    quarter           TEXT NOT NULL,
    proposed_at       TEXT NOT NULL,
    decided_by        INTEGER REFERENCES cadres (id),
    decided_at        TEXT,
    decided_quarter   TEXT,
    decision_form     TEXT CHECK (decision_form IS NULL
                                  OR decision_form IN ('certificate', 'merit', 'praise', 'other')),
    decision          TEXT,
    client_token      TEXT NOT NULL UNIQUE,
    CHECK ((kind = 'replicate') = (target_unit_id IS NOT NULL)),
    CHECK ((status = 'proposed') = (decided_at IS NULL))
);
CREATE INDEX model_proposals_model ON model_proposals (model_id, kind, status);
CREATE INDEX model_proposals_open ON model_proposals (status, kind);
CREATE INDEX model_proposals_decided ON model_proposals (decided_quarter, kind, status);

-- Where each proposal was posted (the Standing Committee's groups, or admins' chats), so
-- it is posted once and every copy shows the decision.
CREATE TABLE model_proposal_posts (
    proposal_id  INTEGER NOT NULL REFERENCES model_proposals (id) ON DELETE CASCADE,
    chat_id      BIGINT NOT NULL,
    message_id   BIGINT NOT NULL,
    posted_at    TEXT NOT NULL,
    PRIMARY KEY (proposal_id, chat_id)
);
