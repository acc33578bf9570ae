-- One cadre, two messengers: a cadre's accounts as (channel, user id) rows.
-- user_id is the id the bot's handlers see: Telegram's own, or for Zalo the mapped
-- integer of storage/channel_state.py (2**62 + n), so the two never collide.
-- last_used_at picks the messenger for reminders and notices: the one used last.
CREATE TABLE accounts (
    channel       TEXT NOT NULL,
    user_id       INTEGER NOT NULL,
    cadre_id      INTEGER NOT NULL REFERENCES cadres (id),
    linked_at     TEXT NOT NULL,
    last_used_at  TEXT,
    PRIMARY KEY (channel, user_id),
    UNIQUE (cadre_id, channel)
);

INSERT INTO accounts (channel, user_id, cadre_id, linked_at, last_used_at)
SELECT 'telegram', telegram_id, id, COALESCE(linked_at, ''), linked_at
  FROM cadres WHERE telegram_id IS NOT NULL;

-- cadres.telegram_id stays the Telegram account (the roster import, invites, summaries
-- and older tools read it); these keep its accounts row in step with it.
CREATE TRIGGER accounts_telegram_link AFTER UPDATE OF telegram_id ON cadres
WHEN NEW.telegram_id IS NOT OLD.telegram_id
BEGIN
    DELETE FROM accounts WHERE channel = 'telegram' AND cadre_id = NEW.id;
    INSERT INTO accounts (channel, user_id, cadre_id, linked_at, last_used_at)
    SELECT 'telegram', NEW.telegram_id, NEW.id, COALESCE(NEW.linked_at, ''), NEW.linked_at
     WHERE NEW.telegram_id IS NOT NULL;
END;

CREATE TRIGGER accounts_telegram_insert AFTER INSERT ON cadres
WHEN NEW.telegram_id IS NOT NULL
BEGIN
    INSERT INTO accounts (channel, user_id, cadre_id, linked_at, last_used_at)
    VALUES ('telegram', NEW.telegram_id, NEW.id, COALESCE(NEW.linked_at, ''), NEW.linked_at);
END;
