"""One cadre, two messengers: both applications in one process, one database, one simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from bot.channels import TELEGRAM, ZALO, link_applications
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import TelegramSimulator
from domain.clock import VIETNAM, ManualClock
from scheduler import reminders
from storage.db import Database
from tests.channels import ZaloChat, link_on_zalo, zalo_id
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG
from tests.helpers import Chat, forge_callback
from tests.test_reminders import Q4_START, ClockSleep, reminders_in

CELL = "Chi bộ thôn 9"


@dataclass
class Both:
    telegram: Harness
    zalo: Harness


@pytest.fixture
async def both(config: Config, clock: ManualClock, roster_db: Database) -> AsyncIterator[Both]:
    await link_on_zalo(roster_db, CADRE_CODE, zalo_id(CADRE_TG))
    await roster_db.execute("UPDATE accounts SET last_used_at = '2026-09-01T00:00:00Z'")
    async with TelegramSimulator() as sim:
        async with (
            bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=TELEGRAM) as telegram,
            bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=ZALO) as zalo,
        ):
            link_applications([telegram.application, zalo.application])
            yield Both(telegram, zalo)


async def sweep(harness: Harness, clock: ManualClock) -> reminders.SweepResult:
    services = harness.application.bot_data
    return await reminders.sweep(services.channels, services.db, services.config, clock, sleep=ClockSleep(clock))


def zalo_reminders(chat: ZaloChat) -> list[str]:
    return [m.content for m in chat.user.messages() if "chưa báo cáo dự sinh hoạt" in m.content]


async def test_reminded_on_the_messenger_used_last_and_a_report_on_either_counts_once(
    both: Both, clock: ManualClock, roster_db: Database
) -> None:
    on_zalo = ZaloChat(both.zalo, zalo_id(CADRE_TG), "Hùng")
    on_telegram = Chat(both.telegram, CADRE_TG, "Hùng")
    clock.set(Q4_START)
    await on_zalo.send("/cuatoi")  # used Zalo last

    first = await sweep(both.telegram, clock)  # either application's scheduler reaches both
    assert (first.kind, first.sent) == ("start", 1)  # one message for both cells
    assert len(zalo_reminders(on_zalo)) == 1 and not reminders_in(on_telegram.user.messages())
    assert "gõ số của chi bộ đó" in zalo_reminders(on_zalo)[0]  # Zalo's wording

    clock.advance(timedelta(days=1))
    await on_telegram.send("/baocao")  # now Telegram is the one used last
    await on_telegram.press(CELL)
    await on_telegram.press("Hôm nay")
    await on_telegram.send("Nghị quyết Trung ương 4")
    await on_telegram.press("Tiếp")
    await on_telegram.press("Không có kiến nghị")
    await on_telegram.press("Bỏ qua")
    await on_telegram.press("✅ Gửi")
    assert on_telegram.text.startswith("✅ Đã lưu báo cáo số 1")

    clock.set(datetime(2026, 12, 2, 8, 5, tzinfo=VIETNAM))
    second = await sweep(both.zalo, clock)
    assert (second.kind, second.sent) == ("before30", 1)  # cell 9 is done, whichever messenger
    [on_tg] = reminders_in(on_telegram.user.messages())
    assert "Chi bộ thôn 12" in (on_tg.text or "") and len(zalo_reminders(on_zalo)) == 1
    assert "bấm «📝 Báo cáo ngay»" in (on_tg.text or "")  # Telegram's

    on_telegram.user.block()  # Telegram fails: the other messenger gets it
    clock.set(datetime(2026, 12, 25, 8, 5, tzinfo=VIETNAM))
    third = await sweep(both.telegram, clock)
    assert (third.kind, third.sent, third.unreachable) == ("before7", 1, 0)
    assert len(zalo_reminders(on_zalo)) == 2 and "Chi bộ thôn 12" in zalo_reminders(on_zalo)[-1]
    assert "gõ 1 («📝 Báo cáo ngay»)" in zalo_reminders(on_zalo)[-1]  # Zalo's wording, one cell

    assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 1
    rows = await roster_db.fetchall(
        "SELECT cadre_id, cell_id, quarter, kind, count(*) AS n FROM reminder_log "
        "WHERE kind <> 'secretary' GROUP BY cadre_id, cell_id, quarter, kind"
    )
    assert len(rows) == 4 and all(row["n"] == 1 for row in rows)



async def test_a_draft_stays_on_its_messenger_and_a_second_one_is_announced(
    both: Both, roster_db: Database
) -> None:
    """Issue 10, drafts per account: a report begun on Telegram is not continued on Zalo.
    Starting one on Zalo says that the Telegram one is still there; each draft becomes
    one report (its own token), and sending a draft again stores nothing more."""
    on_telegram = Chat(both.telegram, CADRE_TG, "Hùng")
    on_zalo = ZaloChat(both.zalo, zalo_id(CADRE_TG), "Hùng")
    await on_telegram.send("/baocao")
    await on_telegram.press(CELL)  # left at step 2 on Telegram

    await on_zalo.send("/baocao")
    notice = [m.content for m in on_zalo.user.messages() if m.content.startswith("ℹ️")]
    assert notice == [
        "ℹ️ Đồng chí còn một báo cáo đang soạn dở trên Telegram (Chi bộ thôn 9). Báo cáo này là một bản mới, "
        "riêng; bản trên Telegram vẫn được giữ ở đó, để gửi tiếp hoặc bỏ trên Telegram."
    ]
    assert "Bước 1/6" in on_zalo.text  # a new draft from the first step, not Telegram's
    await on_zalo.press("Chi bộ thôn 12")
    await on_zalo.press("Hôm nay")
    await on_zalo.send("Chỉ thị 05")
    await on_zalo.press("Tiếp")
    await on_zalo.press("Không có kiến nghị")
    await on_zalo.press("Bỏ qua")
    await on_zalo.press("✅ Gửi")
    assert on_zalo.text.startswith("✅ Đã lưu báo cáo số 1")

    await on_telegram.send("/baocao")  # Telegram's draft was kept: resume it
    assert "Tiếp tục" in " ".join(on_telegram.buttons)
    await on_telegram.press("▶")
    assert "Bước 2/6: Chi bộ thôn 9" in on_telegram.text
    await on_telegram.press("Hôm nay")
    await on_telegram.send("Nghị quyết Trung ương 4")
    await on_telegram.press("Tiếp")
    await on_telegram.press("Không có kiến nghị")
    await on_telegram.press("Bỏ qua")
    review = on_telegram.keyboard
    [send_data] = [b["callback_data"] for row in review.reply_markup["inline_keyboard"] for b in row
                   if b["text"].startswith("✅ Gửi")]
    await on_telegram.press("✅ Gửi")
    assert on_telegram.text.startswith("✅ Đã lưu báo cáo số 2")
    await on_zalo.send("/baocao")  # nothing left unfinished on Telegram: no notice this time
    assert len([m for m in on_zalo.user.messages() if m.content.startswith("ℹ️")]) == 1

    rows = await roster_db.fetchall("SELECT client_token, disseminated FROM visit_reports ORDER BY id")
    assert [r["disseminated"] for r in rows] == ["Chỉ thị 05", "Nghị quyết Trung ương 4"]
    assert len({r["client_token"] for r in rows}) == 2  # two drafts, two reports
    await forge_callback(both.telegram, CADRE_TG, send_data, review.message_id)  # «Gửi» once more
    assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 2


async def test_an_escalation_filed_on_zalo_is_answered_from_telegram_and_the_answer_reaches_zalo(
    both: Both, roster_db: Database
) -> None:
    """Issue 10: escalation answers go to the messenger the cadre used last."""
    admin = Chat(both.telegram, ADMIN_TG, "Văn phòng")
    await admin.send("/start")
    on_telegram = Chat(both.telegram, CADRE_TG, "Hùng")  # has Telegram too, used before
    on_zalo = ZaloChat(both.zalo, zalo_id(CADRE_TG), "Hùng")
    await on_zalo.send("/baocao")
    await on_zalo.press(CELL)
    await on_zalo.press("Hôm nay")
    await on_zalo.send("Nghị quyết Trung ương 4")
    await on_zalo.press("Tiếp")
    await on_zalo.press("➕")
    await on_zalo.send("Đường liên thôn sạt lở")
    await on_zalo.press("⬆")
    await on_zalo.press("Tiếp")
    await on_zalo.press("Bỏ qua")
    await on_zalo.press("✅ Gửi")
    assert "Kiến nghị số 1" in admin.text and "Đường liên thôn sạt lở" in admin.text
    await admin.press("👌")
    assert "Ban Thường vụ đã tiếp nhận kiến nghị số 1" in on_zalo.text
    await admin.press("✍")
    await admin.send("Huyện bố trí kinh phí trong tháng 12.")
    await admin.press("✅ Gửi")
    assert on_zalo.text.startswith("📩 Ban Thường vụ trả lời kiến nghị số 1")
    assert not [m for m in on_telegram.user.messages() if "📩" in m.content]
    assert await roster_db.fetchval("SELECT status FROM visit_issues") == "answered"
