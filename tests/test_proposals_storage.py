"""Model proposals in storage (issue 14 part 2): filed once per token, decided once, an
approved replication adds the place, and migration 0025 upgrades an existing database."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.clock import ManualClock
from storage import audit, migrate, proposals, roster
from storage.db import Database
from storage.migrate import upgrade
from storage.proposals import ProposalRefused
from tests.conftest import ADMIN_CODE, CADRE_CODE


async def ids(db: Database) -> tuple[int, int, int, int]:
    """MH-ATGT, village KR-DRUONG-T1 (not one of its places), CAN-001 and CAN-002."""
    model = await db.fetchval("SELECT id FROM models WHERE code = 'MH-ATGT'")
    village = (await roster.unit_ids_by_code(db))["KR-DRUONG-T1"]
    cadres = await roster.cadre_ids_by_code(db)
    return model, village, cadres[CADRE_CODE], cadres[ADMIN_CODE]


async def places(db: Database, model_id: int) -> set[int]:
    rows = await db.fetchall("SELECT unit_id FROM model_places WHERE model_id = ?", (model_id,))
    return {row["unit_id"] for row in rows}


async def test_a_proposal_filed_twice_with_one_token_is_one_row(roster_db: Database, clock: ManualClock) -> None:
    model, _, cadre, _ = await ids(roster_db)
    first = await proposals.file_proposal(
        roster_db, token="tok-1", kind="commend", model_id=model, proposed_by=cadre, now=clock.now(), detail="Tốt"
    )
    again = await proposals.file_proposal(
        roster_db, token="tok-1", kind="commend", model_id=model, proposed_by=cadre, now=clock.now(), detail="Tốt"
    )
    assert first.created and not again.created
    assert first.id == again.id and again.status == "proposed" and again.quarter == "2026-Q4"
    assert await roster_db.fetchval("SELECT count(*) FROM model_proposals") == 1
    assert [e.subject_id for e in await audit.entries(roster_db, action="proposal.commend")] == [first.id]


async def test_a_replication_needs_a_target_and_a_commendation_none(roster_db: Database, clock: ManualClock) -> None:
    model, village, cadre, _ = await ids(roster_db)
    with pytest.raises(ProposalRefused):
        await proposals.file_proposal(roster_db, token="a", kind="replicate", model_id=model, proposed_by=cadre, now=clock.now())
    with pytest.raises(ProposalRefused):
        await proposals.file_proposal(
            roster_db, token="b", kind="commend", model_id=model, proposed_by=cadre, now=clock.now(), target_unit_id=village
        )
    await roster_db.execute("UPDATE models SET status = 'converted' WHERE id = ?", (model,))
    with pytest.raises(ProposalRefused):
        await proposals.file_proposal(roster_db, token="c", kind="commend", model_id=model, proposed_by=cadre, now=clock.now())
    assert await roster_db.fetchval("SELECT count(*) FROM model_proposals") == 0


async def test_replication_adds_the_place_only_when_approved_and_only_once(roster_db: Database, clock: ManualClock) -> None:
    model, village, cadre, admin = await ids(roster_db)
    proposal = await proposals.file_proposal(
        roster_db, token="r", kind="replicate", model_id=model, proposed_by=cadre, now=clock.now(), target_unit_id=village
    )
    assert village not in await places(roster_db, model)
    decision = await proposals.decide(roster_db, proposal.id, approve=True, by=admin, now=clock.now())
    assert decision is not None and decision.changed and decision.place_added
    assert village in await places(roster_db, model)
    again = await proposals.decide(roster_db, proposal.id, approve=False, by=admin, now=clock.now())
    assert again is not None and not again.changed and again.proposal.status == "approved"
    assert len(await audit.entries(roster_db, action="proposal.approved")) == 1
    assert await audit.entries(roster_db, action="proposal.rejected") == []


async def test_a_rejected_replication_adds_no_place(roster_db: Database, clock: ManualClock) -> None:
    model, village, cadre, admin = await ids(roster_db)
    proposal = await proposals.file_proposal(
        roster_db, token="r", kind="replicate", model_id=model, proposed_by=cadre, now=clock.now(), target_unit_id=village
    )
    decision = await proposals.decide(roster_db, proposal.id, approve=False, by=admin, now=clock.now(), text="Chưa đủ điều kiện")
    assert decision is not None and decision.proposal.status == "rejected"
    assert decision.proposal.decision == "Chưa đủ điều kiện" and decision.proposal.decided_quarter == "2026-Q4"
    assert village not in await places(roster_db, model)


async def test_a_reimported_roster_keeps_an_approved_replications_place(roster_db: Database, clock: ManualClock) -> None:
    model, village, cadre, admin = await ids(roster_db)
    proposal = await proposals.file_proposal(
        roster_db, token="r", kind="replicate", model_id=model, proposed_by=cadre, now=clock.now(), target_unit_id=village
    )
    await proposals.decide(roster_db, proposal.id, approve=True, by=admin, now=clock.now())
    from bot.roster_import import import_roster
    from tests.conftest import SAMPLE_ROSTER

    await import_roster(roster_db, [SAMPLE_ROSTER], now="2026-11-24T00:00:00Z")
    assert village in await places(roster_db, model)


async def test_the_owner_is_the_nearest_units_admins_and_the_proposer(roster_db: Database, clock: ManualClock) -> None:
    model, _, cadre, admin = await ids(roster_db)  # MH-ATGT is owned by commune KR-DRUONG, whose district KR has CAN-002
    proposal = await proposals.file_proposal(roster_db, token="o", kind="commend", model_id=model, proposed_by=cadre, now=clock.now())
    assert await proposals.owner_cadres(roster_db, proposal) == [admin, cadre]


async def test_scope_of_a_decision(roster_db: Database, clock: ManualClock) -> None:
    model, village, cadre, _ = await ids(roster_db)
    units = await roster.unit_ids_by_code(roster_db)
    replicate = await proposals.file_proposal(
        roster_db, token="s1", kind="replicate", model_id=model, proposed_by=cadre, now=clock.now(), target_unit_id=village
    )
    commend = await proposals.file_proposal(roster_db, token="s2", kind="commend", model_id=model, proposed_by=cadre, now=clock.now())
    for proposal in (replicate, commend):
        assert await proposals.in_scope(roster_db, proposal, units["KR"])
        assert await proposals.in_scope(roster_db, proposal, None)
        assert not await proposals.in_scope(roster_db, proposal, units["MD"])
    assert [p.id for p in await proposals.open_proposals(roster_db, units["KR"])] == [replicate.id, commend.id]
    assert await proposals.open_proposals(roster_db, units["MD"]) == []


async def test_migration_0025_upgrades_an_existing_database(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = migrate.available_migrations()
    path = tmp_path / "old.sqlite3"
    monkeypatch.setattr(migrate, "available_migrations", lambda: [m for m in shipped if m.version < 25])
    async with Database(path) as db:
        await upgrade(db)
        await db.execute("INSERT INTO units (code, name, kind, updated_at) VALUES ('X', 'Xã X', 'commune', 'now')")
        await db.execute(
            "INSERT INTO models (code, name, level, owner_unit_id, updated_at) VALUES ('MH', 'Mô hình', 'grassroots', 1, 'now')"
        )
        await db.execute("INSERT INTO model_places (model_id, unit_id) VALUES (1, 1)")
    monkeypatch.setattr(migrate, "available_migrations", lambda: shipped)
    async with Database(path) as db:
        applied = await upgrade(db)
        assert 25 in [m.version for m in applied]
        filed = await proposals.file_proposal(db, token="m", kind="commend", model_id=1, proposed_by=None, now=clock.now())
        assert filed.model_name == "Mô hình" and filed.status == "proposed"
        assert await db.fetchval("SELECT count(*) FROM model_places") == 1
