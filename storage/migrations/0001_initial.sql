-- The first schema of baocao: the roster, what cadres report, and the bot's own logs.
-- Times are ISO 8601 UTC text ('2026-11-23T04:05:06Z'); dates are ISO 'YYYY-MM-DD';
-- a quarter is written '2026-Q4'.

-- Administrative units as a tree: district > commune (xã, thị trấn) > village (thôn, tổ dân phố).
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('province', 'district', 'commune', 'village')),
    parent_id   INTEGER REFERENCES units (id),
    updated_at  TEXT NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

-- People who report. role: cadre (cấp ủy viên), secretary (bí thư chi bộ), admin.
-- unit_id is the unit the person belongs to; for an admin it is also their scope.
CREATE TABLE cadres (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    full_name         TEXT NOT NULL,
    phone             TEXT,
    role              TEXT NOT NULL DEFAULT 'cadre' CHECK (role IN ('cadre', 'secretary', 'admin')),
    title             TEXT,
    unit_id           INTEGER REFERENCES units (id),
    telegram_id       INTEGER UNIQUE,
    language          TEXT CHECK (language IN ('vi', 'en')),
    active            INTEGER NOT NULL DEFAULT 1,
    linked_at         TEXT,
    unreachable_since TEXT,
    updated_at        TEXT NOT NULL
);
CREATE INDEX cadres_phone ON cadres (phone);
CREATE INDEX cadres_unit ON cadres (unit_id);

-- Grassroots party cells (chi bộ), each of one village or street group.
CREATE TABLE cells (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    secretary_id  INTEGER REFERENCES cadres (id),
    meeting_day   TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL
);
CREATE INDEX cells_unit ON cells (unit_id);

-- Which cadre must attend which cell, from when until when (NULL: open-ended).
-- Ended assignments are kept: the history of who was due when.
CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY,
    cadre_id    INTEGER NOT NULL REFERENCES cadres (id),
    cell_id     INTEGER NOT NULL REFERENCES cells (id),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT,
    updated_at  TEXT NOT NULL,
    UNIQUE (cadre_id, cell_id, starts_on),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX assignments_cell ON assignments (cell_id);

-- Models (mô hình) and the places they run in.
CREATE TABLE models (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('province', 'district', 'grassroots')),
    owner_unit_id INTEGER REFERENCES units (id),
    owner_name    TEXT,
    status        TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'replicated', 'converted', 'dropped')),
    description   TEXT,
    updated_at    TEXT NOT NULL
);
CREATE TABLE model_places (
    model_id  INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (model_id, unit_id)
);
CREATE INDEX model_places_unit ON model_places (unit_id);

-- A cadre's report of attending a cell meeting. client_token is the idempotency key
-- (one per draft): a second Confirm of the same draft finds the row already there.
-- filed_by_id differs from cadre_id when someone files on the cadre's behalf.
CREATE TABLE visit_reports (
    id            INTEGER PRIMARY KEY,
    cadre_id      INTEGER NOT NULL REFERENCES cadres (id),
    filed_by_id   INTEGER NOT NULL REFERENCES cadres (id),
    cell_id       INTEGER NOT NULL REFERENCES cells (id),
    meeting_date  TEXT NOT NULL,
    quarter       TEXT NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    disseminated  TEXT NOT NULL DEFAULT '',
    latitude      REAL,
    longitude     REAL,
    status        TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'withdrawn')),
    client_token  TEXT NOT NULL UNIQUE,
    submitted_at  TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX visit_reports_quarter ON visit_reports (quarter, cell_id, cadre_id);
CREATE INDEX visit_reports_cadre ON visit_reports (cadre_id, submitted_at);

-- Problems raised at a visit: settled on the spot, or escalated to the Standing Committee.
CREATE TABLE visit_issues (
    id               INTEGER PRIMARY KEY,
    report_id        INTEGER NOT NULL REFERENCES visit_reports (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    resolution       TEXT NOT NULL CHECK (resolution IN ('settled', 'escalated')),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'answered', 'closed')),
    acknowledged_by  INTEGER REFERENCES cadres (id),
    acknowledged_at  TEXT,
    answer           TEXT,
    answered_by      INTEGER REFERENCES cadres (id),
    answered_at      TEXT,
    UNIQUE (report_id, position)
);
CREATE INDEX visit_issues_escalated ON visit_issues (resolution, status);

-- Monitoring of a model: a cadre's update or an admin's inspection.
CREATE TABLE model_updates (
    id               INTEGER PRIMARY KEY,
    model_id         INTEGER NOT NULL REFERENCES models (id),
    cadre_id         INTEGER NOT NULL REFERENCES cadres (id),
    kind             TEXT NOT NULL DEFAULT 'update' CHECK (kind IN ('update', 'inspection')),
    assessment       TEXT NOT NULL CHECK (assessment IN ('good', 'fair', 'ineffective')),
    notes            TEXT NOT NULL DEFAULT '',
    proposal         TEXT NOT NULL CHECK (proposal IN ('maintain', 'replicate', 'convert')),
    proposal_places  TEXT NOT NULL DEFAULT '',
    quarter          TEXT NOT NULL,
    client_token     TEXT NOT NULL UNIQUE,
    submitted_at     TEXT NOT NULL
);
CREATE INDEX model_updates_model ON model_updates (model_id, submitted_at);
CREATE INDEX model_updates_quarter ON model_updates (quarter);

-- Photos and files sent with a report or a model update (Telegram keeps the bytes).
CREATE TABLE attachments (
    id               INTEGER PRIMARY KEY,
    report_id        INTEGER REFERENCES visit_reports (id) ON DELETE CASCADE,
    model_update_id  INTEGER REFERENCES model_updates (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    file_id          TEXT NOT NULL,
    file_unique_id   TEXT,
    created_at       TEXT NOT NULL,
    CHECK ((report_id IS NULL) <> (model_update_id IS NULL))
);
CREATE INDEX attachments_report ON attachments (report_id);
CREATE INDEX attachments_model_update ON attachments (model_update_id);

-- Group chats registered by an admin to receive summaries, scoped to a unit.
CREATE TABLE group_chats (
    chat_id                 INTEGER PRIMARY KEY,
    title                   TEXT NOT NULL DEFAULT '',
    unit_id                 INTEGER REFERENCES units (id),
    purpose                 TEXT NOT NULL DEFAULT 'summary' CHECK (purpose IN ('summary', 'standing_committee')),
    registered_by           INTEGER REFERENCES cadres (id),
    registered_at           TEXT NOT NULL,
    active                  INTEGER NOT NULL DEFAULT 1,
    last_digest_message_id  INTEGER
);

-- Every reminder is claimed here under its unique key before it is sent: exactly once.
CREATE TABLE reminder_log (
    id          INTEGER PRIMARY KEY,
    cadre_id    INTEGER NOT NULL REFERENCES cadres (id),
    cell_id     INTEGER NOT NULL REFERENCES cells (id),
    quarter     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed', 'unreachable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    claimed_at  TEXT NOT NULL,
    sent_at     TEXT,
    UNIQUE (cadre_id, cell_id, quarter, kind)
);
CREATE INDEX reminder_log_status ON reminder_log (status);

-- Who did what, for the Standing Committee and for disputes. details is JSON.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor_id       INTEGER REFERENCES cadres (id),
    telegram_id    INTEGER,
    action         TEXT NOT NULL,
    subject_type   TEXT,
    subject_id     INTEGER,
    scope_unit_id  INTEGER REFERENCES units (id),
    details        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);

-- Telegram update ids already handled: a redelivered update is dropped.
CREATE TABLE processed_updates (
    update_id     INTEGER PRIMARY KEY,
    processed_at  TEXT NOT NULL
);
