-- The quarterly obligation done right: excusals, local days off, and settings such as the
-- rule for transferred cadres.

-- An admin excuses a cadre (sick leave, a training course, a transfer) for one cell or
-- all their cells (cell_id NULL) over a period; reminders stop, summaries count it apart.
CREATE TABLE excusals (
    id          INTEGER PRIMARY KEY,
    cadre_id    INTEGER NOT NULL REFERENCES cadres (id),
    cell_id     INTEGER REFERENCES cells (id),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  INTEGER REFERENCES cadres (id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX excusals_cadre ON excusals (cadre_id) WHERE revoked_at IS NULL;

-- Days off the district adds to the public holidays (a local festival, a typhoon).
CREATE TABLE local_days_off (
    day       TEXT PRIMARY KEY,
    reason    TEXT NOT NULL DEFAULT '',
    added_by  INTEGER REFERENCES cadres (id),
    added_at  TEXT NOT NULL
);

-- Settings an admin changes at run time (by command or on import).
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_by  INTEGER REFERENCES cadres (id),
    updated_at  TEXT NOT NULL
);
