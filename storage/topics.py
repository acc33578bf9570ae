"""The quarter's dissemination topics, set by the committee's office."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    quarter: str
    title: str


async def add_topic(db: Executor, quarter: str, title: str, *, by: int | None, now: str) -> int | None:
    """Adds a topic; None when the quarter already has one with that title."""
    row = await db.fetchone(
        """INSERT INTO quarter_topics (quarter, title, created_by, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (quarter, title) DO UPDATE SET active = 1
           WHERE active = 0 RETURNING id""",
        (quarter, title, by, now),
    )
    return None if row is None else int(row["id"])


async def remove_topic(db: Executor, topic_id: int) -> bool:
    """Retires a topic (reports that named it keep it); False when it was not active."""
    return bool(
        await db.execute_rowcount(
            "UPDATE quarter_topics SET active = 0 WHERE id = ? AND active = 1", (topic_id,)
        )
    )


async def topics_of(db: Executor, quarter: str) -> list[Topic]:
    """The quarter's active topics, in the order they were added."""
    rows = await db.fetchall(
        "SELECT id, quarter, title FROM quarter_topics WHERE quarter = ? AND active = 1 ORDER BY id",
        (quarter,),
    )
    return [Topic(r["id"], r["quarter"], r["title"]) for r in rows]


async def titles(db: Executor, topic_ids: list[int]) -> list[str]:
    """The titles of these topics, in the order given; unknown ids are left out."""
    if not topic_ids:
        return []
    marks = ",".join("?" * len(topic_ids))
    rows = await db.fetchall(
        f"SELECT id, title FROM quarter_topics WHERE id IN ({marks})",  # noqa: S608 - placeholders only
        topic_ids,
    )
    by_id = {r["id"]: r["title"] for r in rows}
    return [by_id[i] for i in topic_ids if i in by_id]
