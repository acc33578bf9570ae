"""Posting model proposals (review of issue 14 part 2): each destination chat is posted to
once — a chat that failed is retried by the next sweep (a few times, not forever), and the
handler and the sweep posting at once send one copy per chat (a claim before the send).
The real Application on the simulator, the sample roster in SQLite."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.config import Config
from bot.context import BotContext
from bot.harness import Harness
from domain.clock import ManualClock
from handlers.proposals import post_new_proposals
from scheduler.jobs import _proposals_job
from storage import proposals
from storage import proposal_posts as post_rows
from storage.db import Database
from tests.conftest import ADMIN_TG
from tests.test_proposals import OFFICE_TG, file, setup_group

NEVER_OPENED = 1777  # in BAOCAO_ADMINS, but has never opened the bot: every send fails


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(db_path=tmp_path / "baocao.sqlite3", admin_ids=frozenset({OFFICE_TG, NEVER_OPENED}))


def copies(harness: Harness, user_id: int, proposal: proposals.Proposal) -> int:
    user = harness.simulator.user(user_id, "Quản trị")
    return sum(f"Đề xuất khen thưởng số {proposal.id}" in (m.text or "") for m in user.messages())


async def failures(db: Database, proposal_id: int, chat_id: int) -> int:
    return int(await db.fetchval(
        "SELECT failures FROM model_proposal_posts WHERE proposal_id = ? AND chat_id = ?", (proposal_id, chat_id)
    ))


async def test_a_chat_that_failed_gets_the_proposal_on_the_next_sweep(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    harness.simulator.user(OFFICE_TG, "Văn phòng")  # no SC group: every admin is a destination
    proposal = await file(roster_db, clock, "commend")
    context = BotContext(harness.application)
    await _proposals_job(context)  # CAN-002 (ADMIN_TG) has not opened the bot yet: that send fails
    assert [chat for chat, _ in await post_rows.posts(roster_db, proposal.id)] == [OFFICE_TG]
    assert await failures(roster_db, proposal.id, ADMIN_TG) == 1
    harness.simulator.user(ADMIN_TG, "Hà")  # opens the bot
    await _proposals_job(context)
    assert sorted(chat for chat, _ in await post_rows.posts(roster_db, proposal.id)) == [ADMIN_TG, OFFICE_TG]
    assert copies(harness, ADMIN_TG, proposal) == 1 and copies(harness, OFFICE_TG, proposal) == 1
    # A chat that never opens the bot is tried a few times, then left alone.
    for _ in range(post_rows.MAX_POST_FAILURES + 2):
        await _proposals_job(context)
    assert await failures(roster_db, proposal.id, NEVER_OPENED) == post_rows.MAX_POST_FAILURES
    assert copies(harness, ADMIN_TG, proposal) == 1 and copies(harness, OFFICE_TG, proposal) == 1


async def test_the_handler_and_the_sweep_at_once_post_once_per_chat(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    group, _ = await setup_group(harness)
    before = len(group.messages())
    proposal = await file(roster_db, clock, "commend")
    context = BotContext(harness.application)
    await asyncio.gather(post_new_proposals(context), _proposals_job(context), post_new_proposals(context))
    posted = [m for m in group.messages()[before:] if f"Đề xuất khen thưởng số {proposal.id}" in (m.text or "")]
    assert len(posted) == 1
    assert await post_rows.posts(roster_db, proposal.id) == [(group.id, posted[0].message_id)]


async def test_migration_0033_keeps_the_posts_made_before(tmp_path: Path) -> None:
    from storage import migrate

    async with Database(tmp_path / "old.sqlite3") as db:
        await migrate.applied_versions(db)
        for migration in migrate.available_migrations():
            if migration.version < 33:
                await migrate._apply(db, migration)
        now = "2026-11-01T02:00:00Z"
        await db.execute(
            "INSERT INTO models (id, code, name, level, updated_at) VALUES (1, 'M1', 'Mô hình', 'district', ?)", (now,)
        )
        await db.execute(
            """INSERT INTO model_proposals (id, kind, model_id, quarter, proposed_at, client_token)
               VALUES (5, 'commend', 1, '2026-Q4', ?, 'p5')""", (now,),
        )
        await db.execute("INSERT INTO model_proposal_posts VALUES (5, -3001, 42, ?)", (now,))
        assert [m.version for m in await migrate.upgrade(db)][:1] == [33]
        assert await post_rows.posts(db, 5) == [(-3001, 42)]
        assert await proposals.unposted_in(db, -3001) == []  # posted there already: not again
        assert not await post_rows.claim_post(db, 5, -3001, now)
