"""Telegram update ids already handled, so a redelivered update does nothing twice."""

from __future__ import annotations

from storage.db import Executor


async def was_processed(db: Executor, update_id: int) -> bool:
    """Whether the update was handled already (a redelivery must not store anything twice)."""
    row = await db.fetchone("SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,))
    return row is not None


async def last_processed(db: Executor) -> int:
    """The highest update id handled (0: none): a new Bot API peer must number after it."""
    return int(await db.fetchval("SELECT coalesce(max(update_id), 0) FROM processed_updates"))


async def mark_processed(db: Executor, update_id: int, at: str) -> None:
    """Records the update as handled; a second mark changes nothing."""
    await db.execute(
        "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?) "
        "ON CONFLICT (update_id) DO NOTHING",
        (update_id, at),
    )


async def prune(db: Executor, before: str) -> int:
    """Forgets ids handled before ``before``; Telegram redelivers nothing older than a day."""
    return await db.execute_rowcount(
        "DELETE FROM processed_updates WHERE processed_at < ?", (before,)
    )
