"""Notices kept for a cadre until they next open the bot."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Executor


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    cadre_id: int
    text_key: str
    params: dict[str, Any]


async def add(db: Executor, cadre_id: int, text_key: str, params: dict[str, Any], *, now: str) -> int:
    """Queues a notice (a catalogue key and its values, translated when it is delivered)."""
    return await db.execute(
        "INSERT INTO notices (cadre_id, text_key, params, created_at) VALUES (?, ?, ?, ?)",
        (cadre_id, text_key, json.dumps(params, ensure_ascii=False), now),
    )


async def pending(db: Executor, cadre_id: int) -> list[Notice]:
    """The cadre's notices not yet delivered, oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM notices WHERE cadre_id = ? AND delivered_at IS NULL ORDER BY id", (cadre_id,)
    )
    return [Notice(r["id"], r["cadre_id"], r["text_key"], json.loads(r["params"])) for r in rows]


async def mark_delivered(db: Executor, notice_id: int, *, now: str) -> None:
    """Marks a notice delivered, so it is never sent again."""
    await db.execute("UPDATE notices SET delivered_at = ? WHERE id = ?", (now, notice_id))
