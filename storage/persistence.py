"""python-telegram-bot persistence in the bot's SQLite file.

Conversation states and each user's data (their drafts) are written after every update
(see ``handlers.updates.flush_persistence``), not on PTB's usual one-minute timer: a
cadre on a bad connection must never retype a report because the bot restarted.
Values are stored as JSON, so drafts are plain dicts of str/int/float/list.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from storage.db import Database
from storage.migrate import ensure_ready

ConversationKey = tuple[int | str, ...]


class SqlitePersistence(BasePersistence[dict[str, Any], dict, Any]):
    """Stores user data and conversation states; no chat data, bot data or callback data."""

    def __init__(self, db: Database) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=60,
        )
        self.db = db

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        await ensure_ready(self.db)
        rows = await self.db.fetchall("SELECT user_id, data FROM user_data")
        return {row["user_id"]: json.loads(row["data"]) for row in rows}

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        await self.db.execute(
            """INSERT INTO user_data (user_id, data) VALUES (?, ?)
               ON CONFLICT (user_id) DO UPDATE SET data = excluded.data,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')""",
            (user_id, json.dumps(data, ensure_ascii=False)),
        )

    async def drop_user_data(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Nothing to do: this process is the only writer of user data."""

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        await ensure_ready(self.db)
        rows = await self.db.fetchall(
            "SELECT key, state FROM conversation_states WHERE name = ?", (name,)
        )
        return {tuple(json.loads(row["key"])): json.loads(row["state"]) for row in rows}

    async def state_of(self, name: str, key: ConversationKey) -> object | None:
        """One conversation's persisted state (``get_conversations`` reads them all)."""
        state = await self.db.fetchval(
            "SELECT state FROM conversation_states WHERE name = ? AND key = ?",
            (name, json.dumps(list(key))),
        )
        return None if state is None else json.loads(state)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded_key = json.dumps(list(key))
        if new_state is None:
            await self.db.execute(
                "DELETE FROM conversation_states WHERE name = ? AND key = ?", (name, encoded_key)
            )
            return
        await self.db.execute(
            """INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)
               ON CONFLICT (name, key) DO UPDATE SET state = excluded.state,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')""",
            (name, encoded_key, json.dumps(new_state)),
        )

    # Not stored (see store_data); PTB still calls some of these.
    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        return None

    async def get_bot_data(self) -> Any:
        return None

    async def update_bot_data(self, data: Any) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Any) -> None:
        return None

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def flush(self) -> None:
        """Every write is committed as it happens; nothing is buffered."""
