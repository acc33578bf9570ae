-- Conversation state and per-user data of python-telegram-bot, so that a cadre who is
-- half-way through a report continues where they left off after a restart.
CREATE TABLE conversation_states (
    name        TEXT NOT NULL,
    key         TEXT NOT NULL,
    state       TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (name, key)
);

CREATE TABLE user_data (
    user_id     INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
