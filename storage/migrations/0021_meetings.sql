-- Cell meetings (sinh hoạt chi bộ) on the calendar: announced by the cell's secretary or an
-- admin with /hop, or derived from the cell's regular day (cells.meets_on, 0022).

-- A meeting. ``version`` grows with every move: invitations' answers and reminders belong
-- to one version, so a moved meeting is reminded again at its new time and an old
-- message's button is recognised as stale. ``starts_at`` is local time, ISO without zone
-- (the organisation's BAOCAO_TZ), so "19:30" stays 19:30 whatever the server's zone.
CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    cell_id       INTEGER NOT NULL REFERENCES cells (id),
    starts_at     TEXT NOT NULL,
    place         TEXT NOT NULL,
    agenda        TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    source        TEXT NOT NULL DEFAULT 'announced' CHECK (source IN ('announced', 'regular')),
    created_by    INTEGER REFERENCES cadres (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    client_token  TEXT NOT NULL UNIQUE
);
CREATE INDEX meetings_cell ON meetings (cell_id, starts_at);
CREATE INDEX meetings_starts ON meetings (starts_at);

-- Who is invited (fixed when the meeting is announced: the assigned members who still
-- owed a visit that quarter) and their answer to the current version (NULL: none yet).
CREATE TABLE meeting_invites (
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    cadre_id        INTEGER NOT NULL REFERENCES cadres (id),
    answer          TEXT CHECK (answer IN ('yes', 'no')),
    answer_version  INTEGER,
    answered_at     TEXT,
    PRIMARY KEY (meeting_id, cadre_id)
);
CREATE INDEX meeting_invites_cadre ON meeting_invites (cadre_id);

-- Every message about a meeting to one invitee, claimed before it is sent exactly as
-- reminder_log's rows are: 'claimed' whose outcome is unknown is never sent again,
-- 'failed' is retried up to 3 times. kind: invite, eve (the day before), morning,
-- moved, cancelled, after (the report's button once the meeting is over).
CREATE TABLE meeting_messages (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    version     INTEGER NOT NULL,
    cadre_id    INTEGER NOT NULL REFERENCES cadres (id),
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'unreachable')),
    attempts    INTEGER NOT NULL DEFAULT 1,
    last_error  TEXT,
    claimed_at  TEXT NOT NULL,
    sent_at     TEXT,
    PRIMARY KEY (meeting_id, version, cadre_id, kind)
);
