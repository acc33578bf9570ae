-- Messages kept for a cadre until they next open the bot: someone filed a report on
-- their behalf, an admin excused them... A cadre without signal reads them later.
CREATE TABLE notices (
    id            INTEGER PRIMARY KEY,
    cadre_id      INTEGER NOT NULL REFERENCES cadres (id),
    text_key      TEXT NOT NULL,
    params        TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    delivered_at  TEXT
);
CREATE INDEX notices_pending ON notices (cadre_id) WHERE delivered_at IS NULL;
