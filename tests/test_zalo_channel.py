"""The Zalo channel end to end: the real Application, bot/channels/zalo and the simulator."""

from __future__ import annotations

from bot.harness import Harness
from storage.db import Database
from tests.channels import person
from tests.conftest import CADRE_TG

CELL = "Chi bộ thôn 9"


async def test_visit_report_runs_on_both_channels(channel_harness: Harness, roster_db: Database) -> None:
    chat = person(channel_harness, CADRE_TG)
    await chat.send("/baocao")
    assert chat.text.startswith("📝 Báo cáo dự sinh hoạt chi bộ — Quý IV/2026")
    await chat.press(CELL)
    await chat.press("Hôm qua")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.photo()
    await chat.press("Tiếp")
    assert "Chi bộ thôn 9 — Đăk Ruồng" in chat.text
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu báo cáo số 1")
    assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 1
    assert await roster_db.fetchval("SELECT count(*) FROM attachments") == 1
