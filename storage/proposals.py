"""Proposals about a model: replicate it to a village, or commend it (issue 14 part 2).

A proposal is filed once per client token (a double tap, a redelivered update, an
inspection confirmed twice: one row), from an inspection's recommendation or by an admin.
It is decided once: ``decide`` moves it from 'proposed' to 'approved' or 'rejected' in
one transaction with its audit entry, and a second decision changes nothing.

An approved replication adds the target unit to the model's places (``model_places``),
in the same transaction. We add a place rather than a new model: the model keeps one
identity, level, owner and history (its updates, inspections and commendations), which
is how the articles speak of it ("nhân rộng mô hình ra thôn 12"); the approved proposal
row records where and when the new place came from, and the roster import keeps such
places (storage/roster.py ``upsert_model``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

from domain.clock import utc_stamp
from domain.quarters import Quarter
from storage import audit
from storage.db import Database, Executor

REPLICATE = "replicate"
COMMEND = "commend"
KINDS = (REPLICATE, COMMEND)
PROPOSED, APPROVED, REJECTED = "proposed", "approved", "rejected"
# The form of a commendation: Giấy khen, Bằng khen, Biểu dương, or another (in the text).
FORMS = ("certificate", "merit", "praise", "other")
DETAIL_LIMIT = 1000
DECISION_LIMIT = 500


class ProposalRefused(ValueError):
    """The proposal cannot be filed: the model is closed or unknown, or the target is wrong."""


@dataclass(frozen=True, slots=True)
class Proposal:
    id: int
    kind: str  # one of KINDS
    model_id: int
    model_code: str
    model_name: str
    model_status: str
    owner_unit_id: int | None
    proposed_by: int | None
    proposer_name: str | None
    source_update_id: int | None
    target_unit_id: int | None
    target_name: str | None
    detail: str
    status: str  # proposed | approved | rejected
    quarter: str
    proposed_at: str
    decided_by: int | None
    decided_at: str | None
    decided_quarter: str | None
    decision_form: str | None  # one of FORMS, for a commendation
    decision: str | None
    token: str
    created: bool = False  # True only in the answer of the call that filed it


_SELECT = """
SELECT p.*, m.code AS model_code, m.name AS model_name, m.status AS model_status,
       m.owner_unit_id, k.full_name AS proposer_name, t.name AS target_name
FROM model_proposals AS p
JOIN models AS m ON m.id = p.model_id
LEFT JOIN cadres AS k ON k.id = p.proposed_by
LEFT JOIN units AS t ON t.id = p.target_unit_id
"""


def _proposal(row: sqlite3.Row) -> Proposal:
    return Proposal(
        id=row["id"], kind=row["kind"], model_id=row["model_id"], model_code=row["model_code"],
        model_name=row["model_name"], model_status=row["model_status"], owner_unit_id=row["owner_unit_id"],
        proposed_by=row["proposed_by"], proposer_name=row["proposer_name"],
        source_update_id=row["source_update_id"], target_unit_id=row["target_unit_id"],
        target_name=row["target_name"], detail=row["detail"], status=row["status"], quarter=row["quarter"],
        proposed_at=row["proposed_at"], decided_by=row["decided_by"], decided_at=row["decided_at"],
        decided_quarter=row["decided_quarter"], decision_form=row["decision_form"], decision=row["decision"],
        token=row["client_token"],
    )


# --- filing ---------------------------------------------------------------------------------


async def file_proposal(
    db: Database,
    *,
    token: str,
    kind: str,
    model_id: int,
    proposed_by: int | None,
    now: datetime,
    target_unit_id: int | None = None,
    source_update_id: int | None = None,
    detail: str = "",
    telegram_id: int | None = None,
) -> Proposal:
    """Files a proposal once per ``token``; returns it (``created`` says whether this call
    filed it). ``now`` is the clock's local time: its date gives the quarter.

    A replication needs ``target_unit_id`` (the village to add), a commendation none.
    Raises ``ProposalRefused`` for a closed or unknown model or an unknown target.
    """
    if kind not in KINDS or (kind == REPLICATE) != (target_unit_id is not None):
        raise ProposalRefused(f"a {kind!r} proposal with target {target_unit_id!r}")
    stamp = utc_stamp(now)
    async with db.transaction() as tx:
        existing = await tx.fetchval("SELECT id FROM model_proposals WHERE client_token = ?", (token,))
        if existing is not None:
            found = await get(tx, int(existing))
            assert found is not None
            return found
        status = await tx.fetchval("SELECT status FROM models WHERE id = ?", (model_id,))
        if status not in ("active", "replicated"):
            raise ProposalRefused(f"model {model_id} is {status or 'unknown'}")
        if target_unit_id is not None and await tx.fetchval("SELECT 1 FROM units WHERE id = ?", (target_unit_id,)) is None:
            raise ProposalRefused(f"unit {target_unit_id} is unknown")
        row = await tx.fetchone(
            """INSERT INTO model_proposals (kind, model_id, proposed_by, source_update_id, target_unit_id,
                   detail, quarter, proposed_at, client_token)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (kind, model_id, proposed_by, source_update_id, target_unit_id, detail[:DETAIL_LIMIT],
             Quarter.of(now.date()).key, stamp, token),
        )
        assert row is not None
        proposal_id = int(row["id"])
        await audit.record(
            tx, at=stamp, action=f"proposal.{kind}", actor_id=proposed_by, telegram_id=telegram_id,
            subject_type="model_proposal", subject_id=proposal_id,
            details={"model_id": model_id, "target_unit_id": target_unit_id, "source_update_id": source_update_id},
        )
        filed = await get(tx, proposal_id)
    assert filed is not None
    return replace(filed, created=True)


# --- deciding -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    proposal: Proposal
    changed: bool  # False: it had been decided already (a double tap, another admin first)
    place_added: bool = False  # an approved replication whose place was new


async def decide(
    db: Database,
    proposal_id: int,
    *,
    approve: bool,
    by: int | None,
    now: datetime,
    telegram_id: int | None = None,
    form: str | None = None,
    text: str | None = None,
) -> Decision | None:
    """Approves or rejects once; an approved replication adds its place in the same
    transaction. None when there is no such proposal."""
    if form is not None and form not in FORMS:
        raise ValueError(f"not a form of commendation: {form!r}")
    stamp = utc_stamp(now)
    status = APPROVED if approve else REJECTED
    async with db.transaction() as tx:
        before = await get(tx, proposal_id)
        if before is None:
            return None
        changed = await tx.execute_rowcount(
            """UPDATE model_proposals SET status = ?, decided_by = ?, decided_at = ?, decided_quarter = ?,
                   decision_form = ?, decision = ?
               WHERE id = ? AND status = 'proposed'""",
            (status, by, stamp, Quarter.of(now.date()).key, form if approve else None,
             text[:DECISION_LIMIT] if text else None, proposal_id),
        )
        added = False
        if changed and approve and before.kind == REPLICATE:
            added = bool(await tx.execute_rowcount(
                "INSERT INTO model_places (model_id, unit_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (before.model_id, before.target_unit_id),
            ))
        if changed:
            await audit.record(
                tx, at=stamp, action=f"proposal.{status}", actor_id=by, telegram_id=telegram_id,
                subject_type="model_proposal", subject_id=proposal_id,
                details={"kind": before.kind, "model_id": before.model_id, "form": form, "place_added": added},
            )
        after = await get(tx, proposal_id)
    assert after is not None
    return Decision(after, bool(changed), added)


# --- reading --------------------------------------------------------------------------------


async def get(db: Executor, proposal_id: int) -> Proposal | None:
    """The proposal, or None."""
    row = await db.fetchone(_SELECT + "WHERE p.id = ?", (proposal_id,))
    return _proposal(row) if row else None


async def by_token(db: Executor, token: str) -> Proposal | None:
    """The proposal sent with this draft token: a second confirm finds it and stores nothing."""
    row = await db.fetchone(_SELECT + "WHERE p.client_token = ?", (token,))
    return _proposal(row) if row else None


async def of_model(db: Executor, model_id: int) -> list[Proposal]:
    """A model's proposals, newest first."""
    rows = await db.fetchall(_SELECT + "WHERE p.model_id = ? ORDER BY p.proposed_at DESC, p.id DESC", (model_id,))
    return [_proposal(row) for row in rows]


# A proposal concerns a unit's subtree when its model is owned or placed there, or its
# replication targets it (a unit, what is under it, and what was merged into it).
_IN_SUBTREE = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM units WHERE id = ?
    UNION SELECT u.id FROM units AS u JOIN subtree AS s ON u.parent_id = s.id OR u.merged_into_id = s.id)
"""
_CONCERNS = """(? IS NULL OR m.owner_unit_id IN (SELECT id FROM subtree)
      OR p.target_unit_id IN (SELECT id FROM subtree)
      OR EXISTS (SELECT 1 FROM model_places AS mp WHERE mp.model_id = p.model_id
                 AND mp.unit_id IN (SELECT id FROM subtree)))"""


# Who may *decide* is narrower than what a proposal concerns: a replication by its target
# village; a commendation by the model's owner unit (its places only when it has no owner
# unit), since a commune where a province's model merely has a place must not decide for
# the whole province. ``in_scope`` and ``decidable`` both use this one rule.
_OWNED = """(m.owner_unit_id IN (SELECT id FROM subtree)
      OR (m.owner_unit_id IS NULL AND EXISTS (SELECT 1 FROM model_places AS mp WHERE mp.model_id = m.id
                                              AND mp.unit_id IN (SELECT id FROM subtree))))"""
_DECIDES = f"""(? IS NULL OR (p.kind = 'replicate' AND p.target_unit_id IN (SELECT id FROM subtree))
      OR (p.kind = 'commend' AND {_OWNED}))"""


async def open_proposals(db: Executor, scope: int | None = None, *, kind: str | None = None, limit: int = 50) -> list[Proposal]:
    """Proposals waiting for a decision, oldest first, that concern ``scope`` (None: all)."""
    rows = await db.fetchall(
        _IN_SUBTREE + _SELECT
        + f"WHERE p.status = 'proposed' AND (? IS NULL OR p.kind = ?) AND {_CONCERNS} "
        + "ORDER BY p.proposed_at, p.id LIMIT ?",
        (scope, kind, kind, scope, limit),
    )
    return [_proposal(row) for row in rows]


async def decidable(db: Executor, scope: int | None = None, *, limit: int = 50) -> list[Proposal]:
    """Proposals waiting for a decision that an admin limited to ``scope`` may decide
    (``in_scope``), oldest first: /dexuat offers buttons only for these."""
    rows = await db.fetchall(
        _IN_SUBTREE + _SELECT + f"WHERE p.status = 'proposed' AND {_DECIDES} ORDER BY p.proposed_at, p.id LIMIT ?",
        (scope, scope, limit),
    )
    return [_proposal(row) for row in rows]


async def decided_in_quarter(db: Executor, quarter: str, scope: int | None = None) -> list[Proposal]:
    """Proposals decided in a quarter (approved or rejected), that concern ``scope``."""
    rows = await db.fetchall(
        _IN_SUBTREE + _SELECT + f"WHERE p.decided_quarter = ? AND {_CONCERNS} ORDER BY p.decided_at, p.id",
        (scope, quarter, scope),
    )
    return [_proposal(row) for row in rows]


async def of_quarter(db: Executor, quarter: str, scope: int | None = None) -> list[Proposal]:
    """The quarter's proposals for the workbook: filed or decided in it, or still waiting."""
    rows = await db.fetchall(
        _IN_SUBTREE + _SELECT
        + f"""WHERE (p.quarter = ? OR p.decided_quarter = ? OR p.status = 'proposed') AND {_CONCERNS}
              ORDER BY p.proposed_at, p.id""",
        (scope, quarter, quarter, scope),
    )
    return [_proposal(row) for row in rows]


async def in_scope(db: Executor, proposal: Proposal, scope: int | None) -> bool:
    """Whether an admin limited to ``scope`` may decide it: the rule ``decidable`` lists by."""
    if scope is None:
        return True
    row = await db.fetchone(_IN_SUBTREE + _SELECT + f"WHERE p.id = ? AND {_DECIDES}", (scope, proposal.id, scope))
    return row is not None


async def unit_in_scope(db: Executor, unit_id: int | None, scope: int | None) -> bool:
    """Whether the unit lies within the admin's scope (None: the whole tree)."""
    if scope is None:
        return True
    row = await db.fetchone(_IN_SUBTREE + "SELECT 1 FROM subtree WHERE id = ?", (scope, unit_id))
    return row is not None


async def model_in_scope(db: Executor, model_id: int, scope: int | None) -> bool:
    """A model concerns a scope through its owner unit or any of its places."""
    if scope is None:
        return True
    row = await db.fetchone(
        _IN_SUBTREE
        + """SELECT 1 FROM subtree WHERE id IN (
                 SELECT owner_unit_id FROM models WHERE id = ?
                 UNION SELECT unit_id FROM model_places WHERE model_id = ?)""",
        (scope, model_id, model_id),
    )
    return row is not None


async def model_owned_in_scope(db: Executor, model_id: int, scope: int | None) -> bool:
    """Whether an admin limited to ``scope`` may act on the model as a whole (close it,
    set its inspector, decide its commendation): its owner unit lies within the scope; its
    places count only when it has no owner unit. ``model_in_scope`` is wider (any place),
    for reading and for filing proposals."""
    if scope is None:
        return True
    row = await db.fetchone(_IN_SUBTREE + f"SELECT 1 FROM models AS m WHERE m.id = ? AND {_OWNED}", (scope, model_id))
    return row is not None


@dataclass(frozen=True, slots=True)
class ModelRef:
    id: int
    code: str
    name: str


async def running_model_by_code(db: Executor, code: str) -> ModelRef | None:
    """A model that may still get proposals (not converted or dropped), by its code, any case."""
    row = await db.fetchone(
        "SELECT id, code, name FROM models WHERE upper(code) = upper(?) AND status IN ('active', 'replicated')",
        (code.strip(),),
    )
    return ModelRef(row["id"], row["code"], row["name"]) if row else None


async def unit_by_code(db: Executor, code: str) -> tuple[int, str] | None:
    """(id, name) of the unit with this code, in any letter case; None when there is none."""
    row = await db.fetchone("SELECT id, name FROM units WHERE upper(code) = upper(?)", (code.strip(),))
    return (row["id"], row["name"]) if row else None


async def is_place(db: Executor, model_id: int, unit_id: int) -> bool:
    """Whether the model already runs at the unit."""
    row = await db.fetchone("SELECT 1 FROM model_places WHERE model_id = ? AND unit_id = ?", (model_id, unit_id))
    return row is not None


# --- where they were posted ----------------------------------------------------------------


async def unposted(db: Executor, limit: int = 50) -> list[Proposal]:
    """Proposals waiting for a decision that were not posted anywhere yet, oldest first."""
    rows = await db.fetchall(
        _SELECT
        + """WHERE p.status = 'proposed'
                 AND NOT EXISTS (SELECT 1 FROM model_proposal_posts AS pp WHERE pp.proposal_id = p.id)
             ORDER BY p.proposed_at, p.id LIMIT ?""",
        (limit,),
    )
    return [_proposal(row) for row in rows]


async def record_post(db: Executor, proposal_id: int, chat_id: int, message_id: int, now: str) -> None:
    """Remembers where the proposal was posted, so every copy shows the decision."""
    await db.execute(
        """INSERT INTO model_proposal_posts (proposal_id, chat_id, message_id, posted_at)
           VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        (proposal_id, chat_id, message_id, now),
    )


async def posts(db: Executor, proposal_id: int) -> list[tuple[int, int]]:
    """(chat id, message id) of every copy of the proposal's post."""
    rows = await db.fetchall(
        "SELECT chat_id, message_id FROM model_proposal_posts WHERE proposal_id = ? ORDER BY chat_id", (proposal_id,)
    )
    return [(row["chat_id"], row["message_id"]) for row in rows]


async def owner_cadres(db: Executor, proposal: Proposal) -> list[int]:
    """Who hears the decision as the model's owner: the active admins of the model's
    owning unit, or, when it has none (a commune without its own office on the bot), of
    the nearest unit above it that has some; and the proposer. Cadre ids, no repeats.
    A model owned by a body outside the roster (owner_name only) reaches its proposer."""
    found: list[int] = []
    if proposal.owner_unit_id is not None:
        rows = await db.fetchall(
            """WITH RECURSIVE up(id, depth) AS (
                   SELECT id, 0 FROM units WHERE id = ?
                   UNION ALL SELECT coalesce(u.merged_into_id, u.parent_id), up.depth + 1
                             FROM units AS u JOIN up ON u.id = up.id
                             WHERE coalesce(u.merged_into_id, u.parent_id) IS NOT NULL AND up.depth < 16)
               SELECT k.id, up.depth FROM up JOIN cadres AS k ON k.unit_id = up.id
               WHERE k.role = 'admin' AND k.active = 1 ORDER BY up.depth, k.id""",
            (proposal.owner_unit_id,),
        )
        nearest = rows[0]["depth"] if rows else None
        found = [row["id"] for row in rows if row["depth"] == nearest]
    if proposal.proposed_by is not None and proposal.proposed_by not in found:
        found.append(proposal.proposed_by)
    return found
