"""/baocaothay: a cell secretary or an admin files a visit report for a cadre."""

from __future__ import annotations

from storage import audit, roster
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat

SECRETARY_TG = 2023  # CAN-023 is the secretary of Chi bộ thôn 9 (Đăk Ruồng)


async def link(db: Database, code: str, telegram_id: int) -> int:
    cadre = await roster.cadre_by_code(db, code)
    assert cadre is not None
    await db.execute("UPDATE cadres SET telegram_id = ? WHERE id = ?", (telegram_id, cadre.id))
    return cadre.id


async def file_for(chat: Chat, name: str) -> None:
    await chat.send("/baocaothay")
    await chat.press(name)
    await chat.press("Chi bộ thôn 9")
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Đại hội Đảng bộ huyện")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")


async def test_a_secretary_files_for_a_cadre_who_is_then_told(harness, roster_db: Database) -> None:
    secretary_id = await link(roster_db, "CAN-023", SECRETARY_TG)
    cadre_id = (await roster.cadre_by_code(roster_db, "CAN-001")).id
    cadre = Chat(harness, CADRE_TG)  # has opened the bot before
    secretary = Chat(harness, SECRETARY_TG)
    await file_for(secretary, "Nguyễn Văn Hùng")
    assert "Báo cáo thay cho: Nguyễn Văn Hùng" in secretary.text
    await secretary.press("✅ Gửi")
    assert secretary.text.startswith("✅ Đã lưu báo cáo số 1")

    row = await roster_db.fetchone("SELECT cadre_id, filed_by_id FROM visit_reports")
    assert (row["cadre_id"], row["filed_by_id"]) == (cadre_id, secretary_id)
    [entry] = await audit.entries(roster_db, action="visit.submit")
    assert entry.actor_id == secretary_id and entry.details["cadre_id"] == cadre_id
    assert "đã báo cáo thay đồng chí" in cadre.text and "/xembaocao 1" in cadre.text
    # It counts for the cadre: their cell shows as done.
    await cadre.send("/cuatoi")
    assert "✅ Chi bộ thôn 9 — Đăk Ruồng — đã báo cáo" in cadre.text


async def test_a_cadre_without_telegram_is_told_when_they_first_open_the_bot(harness, roster_db: Database) -> None:
    await roster_db.execute("UPDATE cadres SET telegram_id = NULL WHERE code = 'CAN-001'")
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/baocaothay")
    await admin.send("nguyen van hung")  # typed without diacritics
    await admin.press("Nguyễn Văn Hùng")
    await admin.press("Chi bộ thôn 9")
    await admin.press("Hôm qua")
    await admin.send("Chỉ thị 05")
    await admin.press("Tiếp")
    await admin.press("Không có kiến nghị")
    await admin.press("Bỏ qua")
    await admin.press("✅ Gửi")
    assert await roster_db.fetchval("SELECT count(*) FROM notices WHERE delivered_at IS NULL") == 1
    await link(roster_db, "CAN-001", CADRE_TG)
    cadre = Chat(harness, CADRE_TG)
    await cadre.send("/start")
    texts = [m.text or "" for m in cadre.user.messages()]
    assert any("đã báo cáo thay đồng chí" in text for text in texts)
    assert texts[-1].startswith("Xin chào đồng chí")
    assert await roster_db.fetchval("SELECT count(*) FROM notices WHERE delivered_at IS NULL") == 0


async def test_a_plain_cadre_cannot_report_for_others(harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    assert "Chỉ bí thư chi bộ hoặc quản trị viên" in (await chat.send("/baocaothay")).text
    assert [e.telegram_id for e in await audit.entries(roster_db, action="denied.report_on_behalf")] == [CADRE_TG]


async def test_a_commune_admin_only_finds_cadres_of_their_commune(harness, roster_db: Database) -> None:
    commune = await roster_db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    assert commune is not None
    await roster_db.execute(
        "UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = 2099 WHERE code = 'CAN-010'", (commune,)
    )
    admin = Chat(harness, 2099)
    await admin.send("/baocaothay")
    await admin.send("Nguyễn Văn Hùng")  # CAN-001 works in Đăk Ruồng, not Tân Lập
    assert "Không tìm thấy cán bộ nào" in admin.text


async def test_a_commune_admin_cannot_answer_or_view_outside_their_commune(harness, roster_db: Database) -> None:
    commune = await roster_db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    await roster_db.execute(
        "UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = 2099 WHERE code = 'CAN-010'", (commune,)
    )
    cadre = Chat(harness, CADRE_TG)  # reports an escalation in Đăk Ruồng
    await cadre.send("/baocao")
    await cadre.press("Chi bộ thôn 9")
    await cadre.press("Hôm nay")
    await cadre.send("Chỉ thị 05")
    await cadre.press("Tiếp")
    await cadre.press("➕")
    await cadre.send("Thiếu nước sinh hoạt")
    await cadre.press("⬆")
    await cadre.press("Tiếp")
    await cadre.press("Bỏ qua")
    await cadre.press("✅ Gửi")
    commune_admin = Chat(harness, 2099)
    assert "Không có kiến nghị nào chờ trả lời" in (await commune_admin.send("/kiennghi")).text
    assert "Không tìm thấy báo cáo số 1" in (await commune_admin.send("/xembaocao 1")).text
    district_admin = Chat(harness, ADMIN_TG)
    assert "Thiếu nước sinh hoạt" in (await district_admin.send("/kiennghi")).text
    actions = [e.action for e in await audit.entries(roster_db) if e.telegram_id == 2099]
    assert actions == ["denied.other_cadres_report"]


async def test_a_secretary_sees_the_on_behalf_command_in_help(harness, roster_db: Database) -> None:
    await link(roster_db, "CAN-023", SECRETARY_TG)
    assert "/baocaothay" in (await Chat(harness, SECRETARY_TG).send("/help")).text
    assert "/baocaothay" not in (await Chat(harness, CADRE_TG).send("/help")).text
