"""A model inspection, like a visit report, shows its receipt before it lets the draft go
(handlers/flow.DraftFlow.receipt; notes/faults.md: dropped first, a kill or a network
error between the two leaves an inspection stored that the inspector was never told of).

The receipt's edit fails on the network here (a 502, so certainly not shown): the draft
must still be there, with its token, and the inspector's retry is told the number it was
stored under — and the recommendation it carries is filed once, not twice, not never.
"""

from __future__ import annotations

from bot.harness import Harness
from domain.clock import ManualClock
from storage.db import Database
from tests.conftest import CADRE_TG
from tests.helpers import Chat
from tests.test_inspections import assign_inspector, sweep


async def to_review(harness: Harness, clock: ManualClock) -> Chat:
    await assign_inspector(harness)
    await sweep(harness, clock)
    chat = Chat(harness, CADRE_TG)
    await chat.press("🔍 Kiểm tra ngay")
    await chat.press("Tốt")
    await chat.send("Đèn đường đã sửa xong")
    await chat.press("Đề nghị khen thưởng")
    await chat.photo()
    await chat.press("Tiếp")
    assert "Loại: Kiểm tra (giám sát)" in chat.text
    return chat


async def test_an_inspection_keeps_its_draft_until_the_receipt_is_shown(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    chat = await to_review(harness, clock)
    review = chat.screen
    token = harness.application.user_data[CADRE_TG]["model_draft"]["token"]
    harness.simulator.inject_fault("editMessageText", status=502, description="Bad Gateway", chat_id=CADRE_TG)
    await harness.handled(await chat.user.press("✅ Gửi", message=review))
    [stored] = await roster_db.fetchall("SELECT id, client_token FROM model_updates")
    assert stored["client_token"] == token
    assert not any("Đã lưu" in (m.text or "") for m in chat.user.messages())  # the receipt never went out
    # The draft is kept, so whatever the inspector does next is told it was stored.
    assert harness.application.user_data[CADRE_TG]["model_draft"]["token"] == token
    await harness.handled(await chat.user.press("✅ Gửi", message=review))
    assert f"số {stored['id']}" in chat.text and "Đã gửi đề xuất khen thưởng" in chat.text
    assert "model_draft" not in harness.application.user_data[CADRE_TG]  # told: now it goes
    assert await roster_db.fetchval("SELECT count(*) FROM model_updates") == 1
    assert await roster_db.fetchval("SELECT count(*) FROM model_proposals") == 1
