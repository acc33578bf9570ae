"""Where each model proposal was posted (``model_proposal_posts``), one row per
(proposal, chat): claimed before the send, so the handler and the sweep posting at once
send one copy; its message kept once sent, so every copy shows the decision; released
and counted when the send failed, so the next sweep retries that chat a few times only.
Which proposals still lack a post in a chat: storage/proposals.py ``unposted_in``."""

from __future__ import annotations

from storage.db import Executor

MAX_POST_FAILURES = 3  # a chat that failed this often (never opened the bot, left the group) is not tried again


async def claim_post(db: Executor, proposal_id: int, chat_id: int, now: str) -> bool:
    """Claims the (proposal, chat) post before sending: True for the one caller that may
    send it; False when it was posted or is being posted there (the handler and the sweep
    at once), or has failed too often. One statement, so two posters cannot both win."""
    row = await db.fetchone(
        """INSERT INTO model_proposal_posts (proposal_id, chat_id, claimed_at) VALUES (?, ?, ?)
           ON CONFLICT (proposal_id, chat_id) DO UPDATE SET claimed_at = excluded.claimed_at
               WHERE model_proposal_posts.claimed_at IS NULL AND model_proposal_posts.failures < ?
           RETURNING proposal_id""",
        (proposal_id, chat_id, now, MAX_POST_FAILURES),
    )
    return row is not None


async def record_post(db: Executor, proposal_id: int, chat_id: int, message_id: int, now: str) -> None:
    """The claimed post was sent: remembers its message, so every copy shows the decision."""
    await db.execute(
        "UPDATE model_proposal_posts SET message_id = ?, posted_at = ? WHERE proposal_id = ? AND chat_id = ?",
        (message_id, now, proposal_id, chat_id),
    )


async def release_post(db: Executor, proposal_id: int, chat_id: int) -> None:
    """The claimed post failed: counts the attempt and frees it for the next sweep."""
    await db.execute(
        """UPDATE model_proposal_posts SET claimed_at = NULL, failures = failures + 1
           WHERE proposal_id = ? AND chat_id = ? AND message_id IS NULL""",
        (proposal_id, chat_id),
    )


async def posts(db: Executor, proposal_id: int) -> list[tuple[int, int]]:
    """(chat id, message id) of every copy of the proposal's post that was sent."""
    rows = await db.fetchall(
        """SELECT chat_id, message_id FROM model_proposal_posts
           WHERE proposal_id = ? AND message_id IS NOT NULL ORDER BY chat_id""",
        (proposal_id,),
    )
    return [(row["chat_id"], row["message_id"]) for row in rows]
