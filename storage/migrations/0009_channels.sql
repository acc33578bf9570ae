-- A messenger without Telegram's integer ids (Zalo: string ids, no update ids, no
-- buttons). The channel code maps what it needs onto what the handlers expect, here,
-- so that a restart keeps every mapping.

-- Zalo's string ids (users, chats) as integers the handlers can use: 2**62 + id, a
-- range no Telegram id reaches, so de-duplication, persistence keys and audit entries
-- never mix the two messengers.
CREATE TABLE channel_ids (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    UNIQUE (channel, external_id)
);

-- Every event received, once: the key is event_name + message_id (a redelivery repeats
-- both). Its row id makes the Update's update_id (2**62 + id).
CREATE TABLE channel_events (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL,
    event_key    TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (channel, event_key)
);

-- Per chat: the last message id handed out (bot and user messages share the counter,
-- like Telegram's) and the screen whose numbered choices a typed number picks.
CREATE TABLE channel_chats (
    chat_id             INTEGER PRIMARY KEY,
    last_message_id     INTEGER NOT NULL DEFAULT 0,
    current_message_id  INTEGER
);

-- What the bot showed (text and choices, JSON [[label, data], ...]) per message id, so
-- that an "edit" is sent only when it changes something, and a number picks a choice.
CREATE TABLE channel_screens (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    text        TEXT NOT NULL,
    options     TEXT NOT NULL DEFAULT '[]',
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- Photos people sent on Zalo: the platform gives a URL; the bytes are downloaded and
-- kept so that summaries and the report view can show them like Telegram's.
CREATE TABLE channel_files (
    file_id     TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,
    url         TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
