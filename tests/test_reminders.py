"""Visit reminders end to end: the real Application on the simulator, a ManualClock moved
between sweeps, and sleeping replaced by moving that clock."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from domain.clock import VIETNAM, ManualClock, utc_stamp
from bot.config import Config
from bot.harness import Harness
from domain.quarters import Quarter
from bot.simulator import SimMessage
from domain.callbacks import CB_START_FOR_CELL
from scheduler import reminders
from scheduler.schedule import Settings, current_slot, reminder_slots
from scheduler.sending import BURST, PER_SECOND
from storage import roster
from storage import reminders as log_store
from storage.db import Database
from storage.registration import link_telegram
from storage.reports import VisitReportInput, submit_visit
from tests.conftest import CADRE_CODE, CADRE_TG

Q4 = Quarter(2026, 4)
Q4_START = datetime(2026, 10, 1, 8, 5, tzinfo=VIETNAM)
BEFORE_30 = datetime(2026, 12, 2, 8, 30, tzinfo=VIETNAM)  # 30 days left, that day included
BEFORE_7 = datetime(2026, 12, 25, 8, 30, tzinfo=VIETNAM)
LAST_DAY = datetime(2026, 12, 31, 8, 30, tzinfo=VIETNAM)
EXTRA_TG = 5000  # Telegram ids of the other cadres linked by ``everyone_linked``


class ClockSleep:
    """An ``asyncio.sleep`` stand-in that moves the ManualClock instead of waiting."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def sweep(harness: Harness, clock: ManualClock, sleep: ClockSleep | None = None, **kwargs: object) -> reminders.SweepResult:
    app = harness.application
    config = kwargs.pop("config", app.bot_data.config)
    harness.simulator.user(CADRE_TG, "Hùng")  # the linked cadre has opened the bot
    return await reminders.sweep(
        app.bot, app_db(harness), config, clock, sleep=sleep or ClockSleep(clock), **kwargs  # type: ignore[arg-type]
    )


def reminders_in(messages: list[SimMessage]) -> list[SimMessage]:
    return [m for m in messages if any(d and d.startswith(CB_START_FOR_CELL) for row in m.button_data() for d in row)]


def reminded_cells(messages: list[SimMessage]) -> list[int]:
    return sorted(
        int(d[len(CB_START_FOR_CELL) :]) for m in reminders_in(messages) for row in m.button_data() for d in row if d
    )


async def cell_id(db: Database, code: str) -> int:
    return (await roster.cell_ids_by_code(db))[code]


async def report_visit(db: Database, cadre_code: str, cell_code: str, clock: ManualClock) -> None:
    cadre = await roster.cadre_by_code(db, cadre_code)
    assert cadre is not None
    report = VisitReportInput(
        token=f"test-{cadre_code}-{cell_code}",
        cadre_id=cadre.id,
        filed_by_id=cadre.id,
        cell_id=await cell_id(db, cell_code),
        meeting_date=clock.now().date(),
        quarter=Quarter.of(clock.now().date()).key,
        late=False,
        disseminated="Nghị quyết",
    )
    await submit_visit(db, report, now=utc_stamp(clock.now()))


async def everyone_linked(harness: Harness, clock: ManualClock) -> dict[int, int]:
    """Links every active, unlinked cadre who has assignments (ids 5000+): cadre id → chat."""
    db = app_db(harness)
    rows = await db.fetchall(
        """SELECT DISTINCT k.id FROM cadres AS k JOIN assignments AS a ON a.cadre_id = k.id
           WHERE k.active = 1 AND k.telegram_id IS NULL ORDER BY k.id"""
    )
    chats = {}
    async with db.transaction() as tx:
        for row in rows:
            chat = EXTRA_TG + row["id"]
            await link_telegram(tx, row["id"], chat, utc_stamp(clock.now()))
            harness.simulator.user(chat, f"Cán bộ {row['id']}")
            chats[row["id"]] = chat
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    assert cadre is not None
    harness.simulator.user(CADRE_TG, "Hùng")
    chats[cadre.id] = CADRE_TG
    return chats


# --- when: pure schedule ---------------------------------------------------------------------


def test_quarter_reminder_moments_are_exact() -> None:
    settings = Settings.from_config(Config())
    slots = reminder_slots(Q4, settings)
    assert [(s.kind, s.due_at) for s in slots] == [
        ("start", datetime(2026, 10, 1, 8, tzinfo=VIETNAM)),
        ("before30", datetime(2026, 12, 2, 8, tzinfo=VIETNAM)),
        ("before7", datetime(2026, 12, 25, 8, tzinfo=VIETNAM)),
        ("last", datetime(2026, 12, 31, 8, tzinfo=VIETNAM)),
    ]
    assert Q4.days_left(slots[1].due_at.date()) == 30 and Q4.days_left(slots[2].due_at.date()) == 7


def test_after_a_long_downtime_only_the_latest_reminder_is_due() -> None:
    settings = replace(Settings.from_config(Config()), grace=timedelta(days=40))
    slot = current_slot(datetime(2026, 12, 3, 9, tzinfo=VIETNAM), settings)
    assert slot is not None and slot.kind == "before30"


def test_configured_start_day_hour_and_follow_ups() -> None:
    config = replace(Config(), reminder_start_day=3, reminder_hour=9, reminder_days_before=(15,))
    slots = reminder_slots(Quarter(2027, 1), Settings.from_config(config))
    assert [(s.kind, s.due_at.date().isoformat(), s.due_at.hour) for s in slots] == [
        ("start", "2027-01-04", 9),  # the 3rd is a Sunday: the next working day
        ("before15", "2027-03-17", 9),
        ("last", "2027-03-31", 9),
    ]


# --- through the bot ----------------------------------------------------------------------------


async def test_quarter_start_reminds_each_cadre_once_with_a_button_per_due_cell(harness: Harness, clock: ManualClock) -> None:
    """Issue 12 item 20: a cadre with two cells gets one message listing both, which says
    how long is left once."""
    clock.set(Q4_START)
    result = await sweep(harness, clock)
    assert (result.kind, result.sent) == ("start", 1)
    user = harness.simulator.user(CADRE_TG, "Hùng")
    sent = reminders_in(user.messages())
    assert len(sent) == 1
    db = app_db(harness)
    t9, t12 = await cell_id(db, "CB-KR-DRUONG-T9"), await cell_id(db, "CB-KR-DRUONG-T12")
    assert reminded_cells(sent) == sorted([t9, t12])
    text = sent[0].text or ""
    assert "Quý IV/2026 đã bắt đầu" in text
    assert "chưa báo cáo dự sinh hoạt 2 chi bộ" in text
    assert "Chi bộ thôn 9 (Đăk Ruồng)" in text and "Chi bộ thôn 12 (Đăk Ruồng)" in text
    cell = await roster.get_cell(db, t9)
    assert cell is not None and cell.meeting_day and cell.meeting_day in text
    assert text.count("Còn 92 ngày") == 1 and "đến hết ngày 31/12/2026" in text
    assert sorted(sent[0].buttons()) == [["📝 thôn 12"], ["📝 thôn 9"]]
    # A cell's button starts the visit report with that cell already chosen.
    update_id = await user.press("📝 thôn 9", message=sent[0])
    await harness.handled(update_id)
    assert any("Chi bộ thôn 9 — Đăk Ruồng" in (m.text or "") for m in user.messages())


async def test_a_follow_up_says_the_days_left_once(harness: Harness, clock: ManualClock) -> None:
    clock.set(BEFORE_30)
    await sweep(harness, clock)
    [reminder] = reminders_in(harness.simulator.user(CADRE_TG, "Hùng").messages())
    text = reminder.text or ""
    assert "Còn 30 ngày nữa là hết Quý IV/2026" in text
    assert text.count("Còn 30 ngày") == 1 and "Hạn: hết ngày 31/12/2026" in text


async def test_claims_stay_per_cell_and_are_marked_together(harness: Harness, clock: ManualClock) -> None:
    clock.set(Q4_START)
    await sweep(harness, clock)
    db = app_db(harness)
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    assert cadre is not None
    rows = await db.fetchall(
        "SELECT cell_id, status, sent_at FROM reminder_log WHERE cadre_id = ? AND quarter = ? AND kind = 'start'",
        (cadre.id, Q4.key),
    )
    assert len(rows) == 2 and {row["status"] for row in rows} == {"sent"}
    assert len({row["sent_at"] for row in rows}) == 1


async def test_english_cadre_gets_english(harness: Harness, clock: ManualClock) -> None:
    await app_db(harness).execute("UPDATE cadres SET language = 'en' WHERE code = ?", (CADRE_CODE,))
    clock.set(BEFORE_30)
    await sweep(harness, clock)
    sent = reminders_in(harness.simulator.user(CADRE_TG, "Hùng").messages())
    assert sent and "30 days left in Q4 2026" in (sent[0].text or "")
    assert "Press the button of a cell you attended" in (sent[0].text or "")
    assert sent[0].buttons() == [["📝 thôn 9"], ["📝 thôn 12"]]


async def test_sweeping_again_sends_nothing_twice(harness: Harness, clock: ManualClock) -> None:
    clock.set(Q4_START)
    assert (await sweep(harness, clock)).sent == 1
    clock.advance(timedelta(minutes=10))
    assert (await sweep(harness, clock)).sent == 0
    assert len(reminders_in(harness.simulator.user(CADRE_TG, "Hùng").messages())) == 1


async def test_follow_ups_only_for_visits_still_due_and_none_after_reporting(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    user = harness.simulator.user(CADRE_TG, "Hùng")
    clock.set(Q4_START)
    await sweep(harness, clock)
    clock.set(datetime(2026, 11, 20, 10, tzinfo=VIETNAM))
    await report_visit(db, CADRE_CODE, "CB-KR-DRUONG-T9", clock)

    clock.set(BEFORE_30)
    result = await sweep(harness, clock)
    assert (result.kind, result.sent) == ("before30", 1)
    follow_up = reminders_in(user.messages())[-1]
    assert reminded_cells([follow_up]) == [await cell_id(db, "CB-KR-DRUONG-T12")]
    assert "Còn 30 ngày nữa là hết Quý IV/2026" in (follow_up.text or "")

    await report_visit(db, CADRE_CODE, "CB-KR-DRUONG-T12", clock)
    for moment in (BEFORE_7, LAST_DAY):
        clock.set(moment)
        assert (await sweep(harness, clock)).sent == 0
    assert len(reminders_in(user.messages())) == 2


async def test_nothing_in_quiet_hours_then_sent_in_the_morning(harness: Harness, clock: ManualClock) -> None:
    user = harness.simulator.user(CADRE_TG, "Hùng")
    clock.set(datetime(2026, 12, 2, 22, 30, tzinfo=VIETNAM))  # the day of 'before30', after 21:00
    result = await sweep(harness, clock)
    assert result.quiet and result.sent == 0
    clock.set(datetime(2026, 12, 3, 6, 59, tzinfo=VIETNAM))
    assert (await sweep(harness, clock)).sent == 0
    assert reminders_in(user.messages()) == []
    clock.set(datetime(2026, 12, 3, 7, 0, tzinfo=VIETNAM))
    assert (await sweep(harness, clock)).sent == 1


async def test_a_fan_out_that_runs_into_quiet_hours_waits_for_the_morning(harness: Harness, clock: ManualClock) -> None:
    chats = await everyone_linked(harness, clock)
    clock.set(datetime(2026, 12, 2, 20, 59, 59, 500000, tzinfo=VIETNAM))
    first = await sweep(harness, clock)  # BURST, then PER_SECOND a second: the next waits past 21:00 and stops
    assert first.stopped and 0 < first.sent <= BURST + PER_SECOND / 2
    clock.set(datetime(2026, 12, 3, 7, 30, tzinfo=VIETNAM))
    second = await sweep(harness, clock)
    total = sum(len(reminders_in(harness.simulator.user(chat, "x").messages())) for chat in chats.values())
    assert second.sent > 0 and total == first.sent + second.sent


async def test_no_duplicate_after_a_kill_in_the_middle_of_a_fan_out(
    harness: Harness, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small batches and two workers, so that the sample roster is many batches long.
    monkeypatch.setattr(reminders, "BATCH", 2)
    monkeypatch.setattr(reminders, "QUEUED", 1)
    in_flight = 2 + 1 + 2  # BATCH + QUEUED + workers: claimed and not yet sent, at most
    chats = await everyone_linked(harness, clock)
    db = app_db(harness)
    clock.set(Q4_START)
    due = (await reminders.plan(db, harness.application.bot_data.config, clock.now())).targets
    assert len(due) > 20
    # The first bot process, with its own connection, is killed once the tenth person's
    # reminder has reached Telegram; its connection dies with it (an open transaction is
    # rolled back, as SQLite does for a dead process).
    app = harness.application
    doomed = Database(app.bot_data.config.db_path)
    await doomed.open()
    task = asyncio.create_task(
        reminders.sweep(app.bot, doomed, app.bot_data.config, clock, sleep=ClockSleep(clock), workers=2)
    )
    await harness.simulator.wait_for_bot_message(due[9].telegram_id, timeout=10)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await doomed.close()
    delivered_before = sum(len(reminders_in(harness.simulator.user(c, "x").messages())) for c in chats.values())
    assert 1 <= delivered_before < len(due)

    restarted = await sweep(harness, clock)  # the bot is back: a fresh sweep

    delivered = [
        (chat, cell) for chat in chats.values() for cell in reminded_cells(harness.simulator.user(chat, "x").messages())
    ]
    assert len(delivered) == len(set(delivered)), "a reminder was sent twice"
    uncertain = [e for e in await log_store.unsettled(db, Q4.key) if e.status == "claimed"]
    assert len({e.cadre_id for e in uncertain}) <= in_flight  # at most the messages in flight at the kill
    delivered_keys = {(chat, cell) for chat, cell in delivered}
    lost = {(chats[e.cadre_id], e.cell_id) for e in uncertain} - delivered_keys
    assert len(delivered) + len(lost) == len(due)  # every other due reminder was sent
    assert restarted.sent > 0


async def test_catch_up_after_downtime_within_the_grace_period(harness: Harness, clock: ManualClock) -> None:
    clock.set(datetime(2026, 10, 2, 15, 0, tzinfo=VIETNAM))  # down since before 01/10 08:00
    result = await sweep(harness, clock)
    assert (result.kind, result.sent) == ("start", 1)


async def test_no_catch_up_beyond_the_grace_period(harness: Harness, clock: ManualClock) -> None:
    # 48 hours and a minute late, not counting the weekend (nothing is sent on 03-04/10)
    clock.set(datetime(2026, 10, 5, 8, 1, tzinfo=VIETNAM))
    result = await sweep(harness, clock)
    assert result.kind is None and result.sent == 0


async def test_an_ended_quarter_is_not_reminded_about(harness: Harness, clock: ManualClock) -> None:
    # Down from before Q3's last-day reminder (30/09 08:00) until after midnight: Q3 is over.
    clock.set(datetime(2026, 10, 1, 7, 30, tzinfo=VIETNAM))
    result = await sweep(harness, clock)
    assert result.kind is None and result.sent == 0
    assert reminders_in(harness.simulator.user(CADRE_TG, "Hùng").messages()) == []
    assert await log_store.status_counts(app_db(harness), "2026-Q3") == {}
