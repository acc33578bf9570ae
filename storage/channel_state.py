"""What a messenger without Telegram's shapes needs remembered (migration 0009).

Zalo has string ids, no update ids, no buttons and no edits. The Zalo channel
(``bot/channels/zalo``) maps all of that onto Telegram's shapes, and keeps the maps here
so that a restart of the bot changes nothing a cadre sees: the same person keeps the
same id, a typed "2" still picks the second choice of the screen they are looking at,
and a redelivered event is recognised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.db import Database, Executor

# Mapped ids live above every Telegram id (user ids are below 2**53, chat ids above -2**53).
ID_BASE = 2**62


@dataclass(frozen=True, slots=True)
class StoredScreen:
    chat_id: int
    message_id: int
    text: str
    options: tuple[tuple[str, str], ...]  # (label, callback data)


async def internal_id(db: Executor, channel: str, external_id: str) -> int:
    """The integer standing for a messenger's string id: the same one forever."""
    await db.execute(
        "INSERT INTO channel_ids (channel, external_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (channel, external_id),
    )
    row_id = await db.fetchval(
        "SELECT id FROM channel_ids WHERE channel = ? AND external_id = ?", (channel, external_id)
    )
    return ID_BASE + int(row_id)


async def external_id(db: Executor, channel: str, internal: int) -> str | None:
    """The messenger's own id behind an integer from ``internal_id`` (None: not ours)."""
    row_id = abs(internal) - ID_BASE
    if row_id <= 0:
        return None
    return await db.fetchval(
        "SELECT external_id FROM channel_ids WHERE id = ? AND channel = ?", (row_id, channel)
    )


async def record_event(db: Database, channel: str, event_key: str, now: str) -> int | None:
    """The update id for a new event; None when the event was received before."""
    async with db.transaction() as tx:
        row_id = await tx.fetchval(
            """INSERT INTO channel_events (channel, event_key, received_at) VALUES (?, ?, ?)
               ON CONFLICT DO NOTHING RETURNING id""",
            (channel, event_key, now),
        )
    return None if row_id is None else ID_BASE + int(row_id)


async def next_message_id(db: Executor, chat_id: int) -> int:
    """A new message id in a chat (bot and user messages share one counter per chat)."""
    value = await db.fetchval(
        """INSERT INTO channel_chats (chat_id, last_message_id) VALUES (?, 1)
           ON CONFLICT (chat_id) DO UPDATE SET last_message_id = last_message_id + 1
           RETURNING last_message_id""",
        (chat_id,),
    )
    return int(value)


async def save_screen(
    db: Executor, screen: StoredScreen, now: str, *, current: bool
) -> None:
    """Remembers what a message shows; ``current``: its choices are the ones a number picks."""
    await db.execute(
        """INSERT INTO channel_screens (chat_id, message_id, text, options, sent_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (chat_id, message_id) DO UPDATE
           SET text = excluded.text, options = excluded.options, sent_at = excluded.sent_at""",
        (screen.chat_id, screen.message_id, screen.text, json.dumps(screen.options), now),
    )
    if current:
        await db.execute(
            """INSERT INTO channel_chats (chat_id, last_message_id, current_message_id)
               VALUES (?, ?, ?)
               ON CONFLICT (chat_id) DO UPDATE SET current_message_id = excluded.current_message_id""",
            (screen.chat_id, screen.message_id, screen.message_id),
        )


async def screen(db: Executor, chat_id: int, message_id: int) -> StoredScreen | None:
    """The screen stored for a message (text and numbered options), so a typed number on a
    messenger without buttons is read against what that person saw."""
    row = await db.fetchone(
        "SELECT text, options FROM channel_screens WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    if row is None:
        return None
    options = tuple((str(label), str(data)) for label, data in json.loads(row["options"]))
    return StoredScreen(chat_id, message_id, row["text"], options)


async def current_screen(db: Executor, chat_id: int) -> StoredScreen | None:
    """The screen whose choices a typed number picks in this chat."""
    message_id = await db.fetchval(
        "SELECT current_message_id FROM channel_chats WHERE chat_id = ?", (chat_id,)
    )
    return None if message_id is None else await screen(db, chat_id, int(message_id))


async def forget_old_screens(db: Executor, chat_id: int, keep: int) -> None:
    """Keeps the last ``keep`` screens of a chat: older ones are never edited again."""
    await db.execute(
        "DELETE FROM channel_screens WHERE chat_id = ? AND message_id <= "
        "(SELECT last_message_id FROM channel_chats WHERE chat_id = ?) - ?",
        (chat_id, chat_id, keep),
    )


async def save_file(db: Executor, file_id: str, channel: str, url: str, data: bytes, now: str) -> None:
    """Keeps a received file's bytes under its file id; the first copy wins (deliveries repeat)."""
    await db.execute(
        """INSERT INTO channel_files (file_id, channel, url, data, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (file_id) DO NOTHING""",
        (file_id, channel, url, data, now),
    )


async def file(db: Executor, file_id: str) -> tuple[str, bytes] | None:
    """(URL, bytes) of a received photo."""
    row = await db.fetchone("SELECT url, data FROM channel_files WHERE file_id = ?", (file_id,))
    return None if row is None else (row["url"], bytes(row["data"]))


def channel_of_chat(chat_id: int) -> str:
    """Which messenger an id the handlers see belongs to: mapped ids are Zalo's."""
    return MAPPED_CHANNEL if abs(chat_id) >= ID_BASE - 1 else "telegram"


MAPPED_CHANNEL = "zalo"
