"""Files served by link under BAOCAO_PUBLIC_URL/f/<token> (migration 0028).

Zalo takes no uploads: a document reaches a Zalo chat as a link to the bot's own HTTP
server (bot/web/). The bytes are stored once per content (sha256) and each link is a
row of its own, keyed by a hash of its random token and valid until it expires, so
that links outlive a restart and one file sent to a hundred cells is stored once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from storage.db import Database, Executor


@dataclass(frozen=True, slots=True)
class PublicFile:
    data: bytes
    content_type: str
    file_name: str


def token_hash(token: str) -> str:
    """Only the hash of a link's token is stored: the database alone does not open the links."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


async def publish(
    db: Database, token: str, data: bytes, *, content_type: str, file_name: str, now: str, expires_at: str
) -> None:
    """Stores the bytes (once per content) and a link for ``token`` until ``expires_at``;
    links expired by ``now``, and files no link points at any more, go."""
    digest = hashlib.sha256(data).hexdigest()
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM public_links WHERE expires_at <= ?", (now,))
        await tx.execute(
            "DELETE FROM public_files WHERE sha256 NOT IN (SELECT sha256 FROM public_links) AND sha256 <> ?",
            (digest,),
        )
        await tx.execute(
            """INSERT INTO public_files (sha256, data, content_type, stored_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (sha256) DO NOTHING""",
            (digest, data, content_type, now),
        )
        await tx.execute(
            """INSERT INTO public_links (token_hash, sha256, file_name, created_at, expires_at)
               VALUES (?, ?, ?, ?, ?)""",
            (token_hash(token), digest, file_name, now, expires_at),
        )


async def fetch(db: Executor, token: str, *, now: str) -> PublicFile | None:
    """The file behind a link while it is valid; None when unknown or expired."""
    row = await db.fetchone(
        """SELECT f.data, f.content_type, l.file_name FROM public_links AS l
           JOIN public_files AS f ON f.sha256 = l.sha256
           WHERE l.token_hash = ? AND l.expires_at > ?""",
        (token_hash(token), now),
    )
    return PublicFile(bytes(row["data"]), row["content_type"], row["file_name"]) if row else None
