-- The scheduler: digests to group chats claimed before they are sent (exactly once, like
-- reminder_log), and the indexes the reminder sweep and the summaries read through.

-- One row per digest a group chat gets: kind 'weekly' (period '2026-W48') or 'quarter'
-- (period '2026-Q4'). status as in reminder_log: a 'claimed' row whose send outcome is
-- unknown (a crash, a timeout) is never sent again.
CREATE TABLE digest_log (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('weekly', 'quarter')),
    period      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed', 'unreachable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    message_id  INTEGER,
    claimed_at  TEXT NOT NULL,
    sent_at     TEXT,
    UNIQUE (chat_id, kind, period)
);

-- Summaries list the cadres who cannot be reached: few, so a partial index.
-- (The sweep needs no new index: it walks assignments by their UNIQUE (cadre_id, cell_id,
-- starts_on) index and probes visit_reports_quarter and reminder_log's unique key.)
CREATE INDEX cadres_unreachable ON cadres (unreachable_since) WHERE unreachable_since IS NOT NULL;
