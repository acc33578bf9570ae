-- One-time invite codes with which a cadre links their Telegram account (bot/invites.py).
-- Only a keyed hash of each code is stored; the plain code exists only in the output of
-- `baocao invite` (or the admin's private chat). A new code for a cadre revokes their
-- older unused ones (revoked_at); a code works once (used_at), before expires_at.
CREATE TABLE invite_codes (
    id                   INTEGER PRIMARY KEY,
    cadre_id             INTEGER NOT NULL REFERENCES cadres (id),
    code_hash            TEXT NOT NULL UNIQUE,
    created_at           TEXT NOT NULL,
    expires_at           TEXT NOT NULL,
    used_at              TEXT,
    used_by_telegram_id  INTEGER,
    revoked_at           TEXT,
    CHECK ((used_at IS NULL) = (used_by_telegram_id IS NULL))
);
CREATE INDEX invite_codes_cadre ON invite_codes (cadre_id, used_at, revoked_at);

-- The key of the codes' HMAC: random, made once per database, never shown.
CREATE TABLE invite_salt (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    salt  TEXT NOT NULL
);
INSERT INTO invite_salt (id, salt) VALUES (1, lower(hex(randomblob(32))));

-- Failed attempts to use a code, per Telegram account: five in an hour block the sixth.
-- Kept in the database so that a restart of the bot does not reset the count.
CREATE TABLE invite_attempts (
    id           INTEGER PRIMARY KEY,
    telegram_id  INTEGER NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX invite_attempts_user ON invite_attempts (telegram_id, at);
