"""Materials sent to the cells (tài liệu tuyên truyền), their sending and receipts.

A material is stored with one ``material_deliveries`` row per cell of its audience, in
one transaction, when the admin confirms it. The scheduler (scheduler/materials.py) then
sends each row exactly once — claimed before it is sent, as reminder_log's rows are —
to the cell's secretary when linked to the bot, else to a cadre assigned to the cell,
and reminds a cell that has not confirmed once. A receipt is written once per cell.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from storage import audit
from storage.db import Database, Executor
from storage.summaries import _COMMUNE_OF_CELL, ALWAYS, _in_scope

MAX_ATTEMPTS = 3  # a send (or reminder) certainly not delivered is tried this often


@dataclass(frozen=True, slots=True)
class Material:
    id: int
    title: str
    kind: str  # document | photo | link
    file_id: str | None
    file_name: str | None
    url: str | None
    created_at: str
    channel: str = "telegram"  # whose bot holds file_id (migration 0028)


@dataclass(frozen=True, slots=True)
class NewMaterial:
    title: str
    kind: str
    file_id: str | None
    file_name: str | None
    url: str | None
    audience: str  # all | commune | area_kind
    audience_unit_id: int | None
    audience_kind: str | None
    cell_ids: tuple[int, ...]
    token: str
    channel: str = "telegram"  # the messenger the admin uploaded the file on


@dataclass(frozen=True, slots=True)
class AudienceCell:
    """A cell an admin may send to, with what the audience screens choose by."""

    cell_id: int
    village_name: str
    commune_id: int | None
    commune_name: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A material to send (or remind about) to one cell, and to whom."""

    material: Material
    cell_id: int
    cell_name: str
    commune_name: str | None
    recipient_id: int
    telegram_id: int | None  # the recipient's Telegram account, if any (sends go by storage.accounts)
    language: str | None
    sent_at: str | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """How a material has been received in a scope: cells sent to, reached, confirmed,
    and the cells that have not confirmed (cell name, commune name)."""

    material_id: int
    title: str
    created_at: str
    cells: int
    sent: int
    received: int
    missing: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """The share of cells that confirmed, rounded half up; 100 when there are no cells."""
        return (200 * self.received + self.cells) // (2 * self.cells) if self.cells else 100


def _material(row: sqlite3.Row) -> Material:
    return Material(row["id"], row["title"], row["kind"], row["file_id"], row["file_name"], row["url"], row["created_at"],
                    row["channel"])


async def audience_cells(db: Executor, scope: int | None, *, today: str) -> list[AudienceCell]:
    """The active cells inside a scope, with their village's name and their commune (the
    one it was merged into, once merged by ``today``)."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT cell.id, village.name AS village_name, commune.id AS commune_id, commune.name AS commune_name
            FROM cells AS cell {_COMMUNE_OF_CELL}
            WHERE cell.active = 1 AND {in_scope}
            ORDER BY commune.name, village.name, cell.id""",
        {"scope": scope, "merged_by": today},
    )
    return [AudienceCell(r["id"], r["village_name"], r["commune_id"], r["commune_name"]) for r in rows]


async def create(
    db: Database, new: NewMaterial, *, by: int | None, telegram_id: int | None, scope_unit_id: int | None, now: str
) -> tuple[int, bool]:
    """Stores the material and a delivery row per cell; (id, created). A second confirm of
    the same draft (its token) finds the first one and stores nothing."""
    async with db.transaction() as tx:
        existing = await tx.fetchval("SELECT id FROM materials WHERE client_token = ?", (new.token,))
        if existing is not None:
            return int(existing), False
        material_id = await tx.execute(
            """INSERT INTO materials (title, kind, file_id, file_name, url, audience, audience_unit_id,
                                      audience_kind, scope_unit_id, created_by, created_at, client_token, channel)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (new.title, new.kind, new.file_id, new.file_name, new.url, new.audience, new.audience_unit_id,
             new.audience_kind, scope_unit_id, by, now, new.token, new.channel),
        )
        await tx.executemany(
            "INSERT INTO material_deliveries (material_id, cell_id) VALUES (?, ?)",
            [(material_id, cell_id) for cell_id in new.cell_ids],
        )
        await audit.record(
            tx, at=now, action="material.send", actor_id=by, telegram_id=telegram_id, subject_type="material",
            subject_id=material_id, scope_unit_id=scope_unit_id,
            details={"audience": new.audience, "cells": len(new.cell_ids), "kind": new.kind},
        )
    return material_id, True


async def get(db: Executor, material_id: int) -> Material | None:
    """The material, or None."""
    row = await db.fetchone("SELECT * FROM materials WHERE id = ?", (material_id,))
    return _material(row) if row else None


async def use_file_id(db: Executor, material_id: int, file_id: str) -> None:
    """The id the channel gave the first copy sent: every later send reuses it."""
    await db.execute("UPDATE materials SET file_id = ? WHERE id = ? AND kind <> 'link'", (file_id, material_id))


# --- sending --------------------------------------------------------------------------------

# Who gets a cell's material: its secretary when active and linked (on any messenger),
# else the first active, linked cadre assigned to the cell on :today.
_LINKED = "EXISTS (SELECT 1 FROM accounts AS acc WHERE acc.cadre_id = {who}.id)"
_RECIPIENT = f"""
coalesce(
    (SELECT s.id FROM cadres AS s WHERE s.id = cell.secretary_id AND s.active = 1 AND {_LINKED.format(who="s")}),
    (SELECT k.id FROM assignments AS a JOIN cadres AS k ON k.id = a.cadre_id
     WHERE a.cell_id = cell.id AND k.active = 1 AND {_LINKED.format(who="k")}
       AND a.starts_on <= :today AND (a.ends_on IS NULL OR a.ends_on >= :today)
     ORDER BY k.id LIMIT 1))"""

_DELIVERY_COLUMNS = """
m.id, m.title, m.kind, m.file_id, m.file_name, m.url, m.created_at, m.channel,
d.cell_id, cell.name AS cell_name, commune.name AS commune_name, d.sent_at,
k.id AS recipient_id, k.telegram_id, k.language"""

_CELL_PLACE = f"""
JOIN cells AS cell ON cell.id = d.cell_id{_COMMUNE_OF_CELL}"""


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        _material(row), row["cell_id"], row["cell_name"], row["commune_name"], row["recipient_id"],
        row["telegram_id"], row["language"], row["sent_at"],
    )


async def to_send(
    db: Executor, *, today: str, since: str, after: tuple[int, int] = (0, 0), limit: int = 200
) -> list[Delivery]:
    """The next page of deliveries not sent yet (or failed, to retry) of materials made
    since ``since``, with someone to send them to, after the key ``after``."""
    rows = await db.fetchall(
        f"""WITH due AS (
                SELECT d.material_id, d.cell_id, {_RECIPIENT} AS recipient_id
                FROM material_deliveries AS d JOIN cells AS cell ON cell.id = d.cell_id
                JOIN materials AS m ON m.id = d.material_id
                WHERE (d.status = 'pending' OR (d.status = 'failed' AND d.attempts < :max_attempts))
                  AND m.created_at >= :since AND (d.material_id, d.cell_id) > (:after_material, :after_cell))
            SELECT {_DELIVERY_COLUMNS}
            FROM due JOIN material_deliveries AS d ON d.material_id = due.material_id AND d.cell_id = due.cell_id
            JOIN materials AS m ON m.id = d.material_id
            JOIN cadres AS k ON k.id = due.recipient_id {_CELL_PLACE}
            ORDER BY d.material_id, d.cell_id
            LIMIT :limit""",
        {"today": today, "since": since, "max_attempts": MAX_ATTEMPTS, "after_material": after[0],
         "after_cell": after[1], "limit": limit, "merged_by": today},
    )
    return [_delivery(row) for row in rows]


async def claim_send(db: Database, material_id: int, cell_id: int, recipient_id: int, *, now: str) -> bool:
    """Takes the right to send this cell its material: one statement, so two sweeps (or a
    sweep and a restart) never both send it."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            """UPDATE material_deliveries
               SET status = 'claimed', attempts = attempts + 1, claimed_at = ?, recipient_id = ?
               WHERE material_id = ? AND cell_id = ?
                 AND (status = 'pending' OR (status = 'failed' AND attempts < ?))
               RETURNING attempts""",
            (now, recipient_id, material_id, cell_id, MAX_ATTEMPTS),
        )
    return row is not None


async def finish_send(
    db: Executor, material_id: int, cell_id: int, *, status: str, error: str | None, now: str
) -> None:
    """'sent', 'unreachable', 'failed' (retried) or 'claimed' (maybe sent: never again)."""
    await db.execute(
        """UPDATE material_deliveries SET status = ?, last_error = ?,
                  sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
           WHERE material_id = ? AND cell_id = ? AND status = 'claimed'""",
        (status, error, status, now, material_id, cell_id),
    )


async def to_remind(
    db: Executor, *, sent_by: str, since: str, after: tuple[int, int] = (0, 0), limit: int = 200
) -> list[Delivery]:
    """Deliveries sent by ``sent_by`` (a UTC stamp) and not confirmed, not reminded yet."""
    rows = await db.fetchall(
        f"""SELECT {_DELIVERY_COLUMNS}
            FROM material_deliveries AS d JOIN materials AS m ON m.id = d.material_id
            JOIN cadres AS k ON k.id = d.recipient_id {_CELL_PLACE}
            WHERE d.status = 'sent' AND d.received_at IS NULL AND d.sent_at <= :sent_by
              AND m.created_at >= :since AND {_LINKED.format(who="k")} AND k.active = 1
              AND (d.reminder_status IS NULL OR (d.reminder_status = 'failed' AND d.reminder_attempts < :max_attempts))
              AND (d.material_id, d.cell_id) > (:after_material, :after_cell)
            ORDER BY d.material_id, d.cell_id
            LIMIT :limit""",
        {"sent_by": sent_by, "since": since, "max_attempts": MAX_ATTEMPTS, "after_material": after[0],
         "after_cell": after[1], "limit": limit, "merged_by": ALWAYS},
    )
    return [_delivery(row) for row in rows]


async def claim_reminder(db: Database, material_id: int, cell_id: int, *, now: str) -> bool:
    """Takes the right to remind this cell, once, if it still has not confirmed."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            """UPDATE material_deliveries
               SET reminder_status = 'claimed', reminder_attempts = reminder_attempts + 1, reminded_at = ?
               WHERE material_id = ? AND cell_id = ? AND status = 'sent' AND received_at IS NULL
                 AND (reminder_status IS NULL OR (reminder_status = 'failed' AND reminder_attempts < ?))
               RETURNING reminder_attempts""",
            (now, material_id, cell_id, MAX_ATTEMPTS),
        )
    return row is not None


async def finish_reminder(db: Executor, material_id: int, cell_id: int, *, status: str) -> None:
    """Settles a claimed reminder ('sent', 'failed'); one not claimed stays as it is."""
    await db.execute(
        """UPDATE material_deliveries SET reminder_status = ?
           WHERE material_id = ? AND cell_id = ? AND reminder_status = 'claimed'""",
        (status, material_id, cell_id),
    )


# --- receipts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReceiptState:
    """A delivery as its «Đã nhận» button sees it."""

    title: str
    cell_name: str
    recipient_id: int | None
    secretary_id: int | None
    received_by_name: str | None
    received_at: str | None


async def receipt_state(db: Executor, material_id: int, cell_id: int) -> ReceiptState | None:
    """What a cell's confirmation button needs: title, cell, who may confirm, who did and when."""
    row = await db.fetchone(
        """SELECT m.title, cell.name AS cell_name, d.recipient_id, cell.secretary_id,
                  r.full_name AS received_by_name, d.received_at
           FROM material_deliveries AS d JOIN materials AS m ON m.id = d.material_id
           JOIN cells AS cell ON cell.id = d.cell_id
           LEFT JOIN cadres AS r ON r.id = d.received_by
           WHERE d.material_id = ? AND d.cell_id = ?""",
        (material_id, cell_id),
    )
    if row is None:
        return None
    return ReceiptState(row["title"], row["cell_name"], row["recipient_id"], row["secretary_id"],
                        row["received_by_name"], row["received_at"])


async def assigned_to_cell(db: Executor, cadre_id: int, cell_id: int, today: str) -> bool:
    """Whether the cadre is assigned to the cell on ``today`` (ISO date)."""
    row = await db.fetchone(
        """SELECT 1 FROM assignments WHERE cadre_id = ? AND cell_id = ?
             AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)""",
        (cadre_id, cell_id, today, today),
    )
    return row is not None


async def receive(db: Executor, material_id: int, cell_id: int, *, by: int, now: str) -> bool:
    """Records the cell's receipt; False when it was recorded already (nothing changes)."""
    return bool(
        await db.execute_rowcount(
            """UPDATE material_deliveries SET received_by = ?, received_at = ?
               WHERE material_id = ? AND cell_id = ? AND received_at IS NULL""",
            (by, now, material_id, cell_id),
        )
    )


async def receipts(
    db: Executor, scope: int | None, *, since: str | None = None, until: str | None = None,
    limit: int = 10, missing_limit: int = 400,
) -> list[Receipt]:
    """The latest materials with cells in the scope (made in [since, until) when given),
    newest first, their receipt counts over the scope's cells, and the cells that have not
    confirmed (the first ``missing_limit`` of each)."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    merged_by = until[:10] if until else ALWAYS
    params = {"scope": scope, "since": since, "until": until, "limit": limit, "merged_by": merged_by}
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT m.id, m.title, m.created_at, count(*) AS cells,
                   sum(d.status = 'sent') AS sent, count(d.received_at) AS received
            FROM materials AS m JOIN material_deliveries AS d ON d.material_id = m.id
            JOIN cells AS cell ON cell.id = d.cell_id
            WHERE {in_scope} AND (:since IS NULL OR m.created_at >= :since)
              AND (:until IS NULL OR m.created_at < :until)
            GROUP BY m.id ORDER BY m.created_at DESC, m.id DESC LIMIT :limit""",
        params,
    )
    found = []
    for row in rows:
        missing = await db.fetchall(
            f"""{with_scope}
                SELECT cell.name AS cell_name, commune.name AS commune_name
                FROM material_deliveries AS d {_CELL_PLACE}
                WHERE d.material_id = :material AND d.received_at IS NULL AND {in_scope}
                ORDER BY commune.name, cell.name LIMIT :missing_limit""",
            {"scope": scope, "material": row["id"], "missing_limit": missing_limit, "merged_by": merged_by},
        )
        found.append(Receipt(
            row["id"], row["title"], row["created_at"], int(row["cells"]), int(row["sent"] or 0),
            int(row["received"]), [(m["cell_name"], m["commune_name"]) for m in missing],
        ))
    return found
