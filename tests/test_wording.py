"""Words (issue 12, item 20): one wording for an assessment, no double colon in a
proposal, a code-shaped text gets the invalid-code hint, a greeting gets the menu.
Through the real Application on the simulator."""

from __future__ import annotations

from bot.harness import Harness
from storage import roster
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG, STRANGER_TG
from tests.helpers import Chat

TRAFFIC = "Khu dân cư đảm bảo an toàn giao thông"  # at villages 9, 12, 13 of Đăk Ruồng


async def add_ineffective_update(db: Database) -> None:
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    model_id = await db.fetchval("SELECT id FROM models WHERE code = 'MH-ATGT'")
    assert cadre is not None and model_id is not None
    await db.execute(
        """INSERT INTO model_updates (model_id, cadre_id, kind, assessment, proposal, proposal_places,
                                      quarter, client_token, submitted_at)
           VALUES (?, ?, 'update', 'ineffective', 'maintain', '', '2026-Q4', 'wording-1', '2026-11-20T02:00:00Z')""",
        (model_id, cadre.id),
    )


async def test_the_summary_calls_an_assessment_what_the_button_calls_it(harness: Harness, roster_db: Database) -> None:
    await add_ineffective_update(roster_db)
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send("/tonghop")
    text = "\n".join(m.content for m in admin.user.messages())
    assert "chưa hiệu quả 1" in text  # the button says «Chưa hiệu quả»
    assert "kém hiệu quả" not in text


async def test_a_replication_proposal_has_one_colon(harness: Harness) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    await chat.press("Tốt")
    await chat.send("Đã lắp đèn đường")
    await chat.press("Nhân rộng")
    await chat.send("Thôn 5, Thôn 7")
    await chat.press("Bỏ qua" if any(b.startswith("Bỏ qua") for b in chat.buttons) else "Tiếp")
    assert "Đề xuất: Nhân rộng tới Thôn 5, Thôn 7" in chat.text
    assert "tới:" not in chat.text


async def test_a_code_shaped_text_gets_the_invalid_code_hint(harness: Harness) -> None:
    stranger = Chat(harness, STRANGER_TG, "Khách")
    await stranger.send("ABCD-1234")
    assert "Mã mời này không đúng" in stranger.text
    await stranger.send("xin chào")
    assert "chỉ dành cho cán bộ" in stranger.text  # not code-shaped: how to register


async def test_a_greeting_from_a_linked_cadre_gets_the_menu(harness: Harness) -> None:
    cadre = Chat(harness, CADRE_TG)
    for greeting in ("xin chào", "Chào bot!", "hello"):
        await cadre.send(greeting)
        assert cadre.text.startswith("Xin chào đồng chí Nguyễn Văn Hùng!"), greeting
        assert "/baocao" in cadre.text
    await cadre.send("trời mưa to quá")
    assert "chưa hiểu" in cadre.text
