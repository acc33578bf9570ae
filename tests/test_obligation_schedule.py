"""The schedule of the quarterly obligation: reminders on working days only, none to an
excused cadre or to one who owes nothing under the transfer rule, and the cell's
secretary told once after two reminders. Through the real Application on the simulator,
the ManualClock moved between sweeps."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from bot.cli import main
from domain.clock import VIETNAM, ManualClock, utc_stamp
from bot.config import Config, ConfigError, load_config
from bot.harness import Harness
from domain.quarters import Quarter
from bot.simulator import SimMessage
from domain.workdays import WorkCalendar
from domain.callbacks import CB_START_FOR_CELL
from scheduler import reminders
from scheduler.schedule import Settings, is_quiet, quiet_until, reminder_slots
from storage import obligations, roster
from storage import reminders as log_store
from storage.db import Database
from storage.obligations import TransferRule
from storage.reports import VisitReportInput, submit_visit
from tests.conftest import CADRE_CODE, CADRE_TG, SAMPLE_ROSTER

SECRETARY_TG = 2023  # CAN-023, the secretary of Chi bộ thôn 9 (Đăk Ruồng)
TET = datetime(2026, 2, 17, 9, 0, tzinfo=VIETNAM)  # the first day of the Lunar New Year 2026
Q4_START = datetime(2026, 10, 1, 8, 5, tzinfo=VIETNAM)
BEFORE_30 = datetime(2026, 12, 2, 8, 5, tzinfo=VIETNAM)
BEFORE_7 = datetime(2026, 12, 25, 8, 5, tzinfo=VIETNAM)
NOW = "2026-11-23T02:00:00Z"


async def no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


async def sweep(harness: Harness, clock: ManualClock, config: Config | None = None) -> reminders.SweepResult:
    app = harness.application
    harness.simulator.user(CADRE_TG, "Hùng")  # the linked cadre has opened the bot
    return await reminders.sweep(
        app.bot, app.bot_data.db, config or app.bot_data.config, clock, sleep=no_sleep
    )


def reminders_to(harness: Harness, telegram_id: int) -> list[SimMessage]:
    messages = harness.simulator.user(telegram_id, "x").messages()
    return [m for m in messages if any(d.startswith(CB_START_FOR_CELL) for row in m.button_data() for d in row if d)]


def cells_of(messages: list[SimMessage]) -> list[int]:
    return sorted(int(d[len(CB_START_FOR_CELL) :]) for m in messages for row in m.button_data() for d in row if d)


async def ids(db: Database) -> tuple[int, int, int]:
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    assert cadre is not None
    cells = await roster.cell_ids_by_code(db)
    return cadre.id, cells["CB-KR-DRUONG-T9"], cells["CB-KR-DRUONG-T12"]


async def excuse(db: Database, cadre_id: int, cell_id: int | None, starts: date, ends: date) -> int:
    return await obligations.excuse(
        db, cadre_id=cadre_id, cell_id=cell_id, starts_on=starts, ends_on=ends, reason="nghỉ ốm",
        by=None, telegram_id=None, scope_unit_id=None, now=NOW,
    )


# --- working days: where the slots fall ------------------------------------------------------


def test_the_start_of_q1_2026_is_reminded_on_friday_2_january() -> None:
    slots = reminder_slots(Quarter(2026, 1), Settings.from_config(Config()))
    assert [(s.kind, s.due_at) for s in slots] == [
        ("start", datetime(2026, 1, 2, 8, tzinfo=VIETNAM)),  # 01/01 is New Year's Day
        ("before30", datetime(2026, 3, 2, 8, tzinfo=VIETNAM)),
        ("before7", datetime(2026, 3, 25, 8, tzinfo=VIETNAM)),
        ("last", datetime(2026, 3, 31, 8, tzinfo=VIETNAM)),
    ]


def test_follow_ups_move_to_the_next_working_day_and_the_last_one_to_the_last_working_day() -> None:
    settings = Settings.from_config(replace(Config(), reminder_days_before=(43, 12, 2)))
    days = {q: [(s.kind, s.due_at.date()) for s in reminder_slots(q, settings)]
            for q in (Quarter(2026, 1), Quarter(2026, 4), Quarter(2028, 3))}  # fmt: skip
    assert ("before43", date(2026, 2, 23)) in days[Quarter(2026, 1)]  # 17/02 is Tết: the Monday after
    assert ("before12", date(2026, 12, 21)) in days[Quarter(2026, 4)]  # 20/12 is a Sunday
    # Q3 2028 ends on a Saturday: the last reminder (the deadline) goes on Friday 29/09, and
    # 'before2', which would fall on that Friday too, is dropped.
    assert days[Quarter(2028, 3)] == [
        ("start", date(2028, 7, 3)),  # 01/07/2028 is a Saturday
        ("before43", date(2028, 8, 21)),
        ("before12", date(2028, 9, 19)),
        ("last", date(2028, 9, 29)),
    ]


def test_the_last_reminder_of_a_quarter_ending_on_a_day_off_says_it_is_the_last_working_day() -> None:
    target = log_store.ReminderTarget(1, 2, "CAN-001", "Nguyễn Văn Hùng", CADRE_TG, None, "Chi bộ thôn 9", None, "Đăk Ruồng")
    [*_, last] = reminder_slots(Quarter(2028, 3), Settings.from_config(Config()))
    text = reminders.reminder_screen(target, last, last.due_at.date(), "vi", WorkCalendar()).text
    assert "Hôm nay là ngày làm việc cuối cùng của Quý III/2028" in text
    assert "Còn 2 ngày, đến hết ngày 30/09/2028 (1 ngày làm việc)." in text


def test_nothing_is_sent_on_a_day_off_and_the_quiet_ends_on_the_next_working_morning() -> None:
    settings = Settings.from_config(Config())
    assert is_quiet(TET, settings)
    assert quiet_until(TET, settings) == datetime(2026, 2, 23, 7, 0, tzinfo=VIETNAM)
    friday_night = datetime(2026, 11, 27, 22, 0, tzinfo=VIETNAM)
    assert quiet_until(friday_night, settings) == datetime(2026, 11, 30, 7, 0, tzinfo=VIETNAM)
    local = replace(settings, calendar=WorkCalendar.with_days_off([date(2026, 11, 26)]))
    assert not is_quiet(datetime(2026, 11, 26, 9, 0, tzinfo=VIETNAM), settings)
    assert is_quiet(datetime(2026, 11, 26, 9, 0, tzinfo=VIETNAM), local)


# --- through the bot ---------------------------------------------------------------------------


async def test_no_reminder_on_tet_and_the_right_one_on_the_next_working_day(harness: Harness, clock: ManualClock) -> None:
    config = replace(harness.application.bot_data.config, reminder_days_before=(43, 7))
    clock.set(TET)  # 43 days before the end of Q1 2026 falls on Tết
    result = await sweep(harness, clock, config)
    assert result.sent == 0 and result.kind is None
    clock.set(datetime(2026, 2, 20, 15, 0, tzinfo=VIETNAM))  # still Tết
    assert (await sweep(harness, clock, config)).sent == 0
    assert reminders_to(harness, CADRE_TG) == []

    clock.set(datetime(2026, 2, 23, 8, 5, tzinfo=VIETNAM))  # Monday, the next working day
    result = await sweep(harness, clock, config)
    assert (result.kind, result.sent) == ("before43", 1)
    text = reminders_to(harness, CADRE_TG)[0].text or ""
    assert "Còn 37 ngày nữa là hết Quý I/2026" in text
    assert "Hạn: hết ngày 31/03/2026 (27 ngày làm việc)." in text and text.count("Còn 37 ngày") == 1


async def test_a_reminder_missed_before_the_holidays_goes_out_on_the_next_working_morning(
    harness: Harness, clock: ManualClock
) -> None:
    config = replace(harness.application.bot_data.config, reminder_days_before=(47,))  # Friday 13/02
    clock.set(TET)  # the bot was down on Friday; Tết and the weekend do not count
    assert (await sweep(harness, clock, config)).quiet
    clock.set(datetime(2026, 2, 23, 7, 0, tzinfo=VIETNAM))
    result = await sweep(harness, clock, config)
    assert (result.kind, result.sent) == ("before47", 1)


async def test_a_local_day_off_added_by_an_admin_holds_the_reminders(harness: Harness, clock: ManualClock) -> None:
    db = harness.application.bot_data.db
    await obligations.add_day_off(db, date(2026, 12, 2), "Lễ hội", by=None, now=NOW)
    clock.set(BEFORE_30)
    assert (await sweep(harness, clock)).sent == 0
    clock.set(datetime(2026, 12, 3, 8, 5, tzinfo=VIETNAM))  # the slot moved to the next working day
    result = await sweep(harness, clock)
    assert (result.kind, result.sent) == ("before30", 1)


async def test_the_quarter_start_reminder_of_2026_goes_on_friday_2_january(harness: Harness, clock: ManualClock) -> None:
    clock.set(datetime(2026, 1, 1, 9, 0, tzinfo=VIETNAM))
    assert (await sweep(harness, clock)).sent == 0
    clock.set(datetime(2026, 1, 2, 8, 5, tzinfo=VIETNAM))
    result = await sweep(harness, clock)
    assert (result.kind, result.sent) == ("start", 1)
    text = reminders_to(harness, CADRE_TG)[0].text or ""
    assert "Quý I/2026 đã bắt đầu" in text and "(58 ngày làm việc)" in text


def test_the_dry_run_says_why_nothing_goes_on_a_holiday(
    config: Config, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.demo import prepare_database

    asyncio.run(prepare_database(config, SAMPLE_ROSTER, clock))
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert main(["remind", "--dry-run", "--now", "2026-01-01T09:00"]) == 0
    assert "Next: 'start' of Q1 2026 at 02/01/2026 08:00" in capsys.readouterr().out
    assert main(["remind", "--dry-run", "--now", "2026-10-03T09:00"]) == 0  # a Saturday, 'start' still open
    out = capsys.readouterr().out
    assert "03/10/2026 is not a working day (weekend): nothing is sent now; these go out at 05/10/2026 07:00" in out
    assert "90 day(s) left (63 working)" in out


# --- who is owed a reminder ----------------------------------------------------------------------


async def test_an_excused_cadre_gets_no_reminder(harness: Harness, clock: ManualClock) -> None:
    db = harness.application.bot_data.db
    cadre, t9, t12 = await ids(db)
    await excuse(db, cadre, t9, date(2026, 11, 20), date(2026, 11, 30))  # overlaps Q4: Q4 is excused
    clock.set(BEFORE_30)
    result = await sweep(harness, clock)
    assert result.sent == 1 and cells_of(reminders_to(harness, CADRE_TG)) == [t12]

    await excuse(db, cadre, None, date(2026, 12, 1), date(2027, 1, 31))  # all cells
    clock.set(BEFORE_7)
    assert (await sweep(harness, clock)).sent == 0
    assert len(reminders_to(harness, CADRE_TG)) == 1


async def test_an_excusal_given_during_a_fan_out_stops_the_reminder_about_to_go(harness: Harness) -> None:
    db = harness.application.bot_data.db
    cadre, t9, _ = await ids(db)
    page = await log_store.due_targets(db, quarter="2026-Q4", kind="before30", today=date(2026, 12, 2))
    assert (cadre, t9) in [(p.cadre_id, p.cell_id) for p in page]
    await excuse(db, cadre, t9, date(2026, 12, 2), date(2026, 12, 31))
    key = log_store.ReminderKey(cadre, t9, "2026-Q4", "before30")
    assert await log_store.claim(db, key, now=NOW, today=date(2026, 12, 2)) is None
    assert await log_store.get_entry(db, key) is None


async def test_the_at_end_rule_stops_reminders_to_a_leaver(harness: Harness, clock: ManualClock) -> None:
    db = harness.application.bot_data.db
    cadre, t9, t12 = await ids(db)
    # Transferred away from thôn 9 on 15/12/2026: still assigned today, gone by the quarter's end.
    await db.execute("UPDATE assignments SET ends_on = '2026-12-15' WHERE cadre_id = ? AND cell_id = ?", (cadre, t9))
    clock.set(Q4_START)
    assert cells_of(reminders_to(harness, CADRE_TG)) == [] and (await sweep(harness, clock)).sent == 1

    await obligations.set_transfer_rule(db, TransferRule.AT_END, by=None, telegram_id=None, now=NOW)
    clock.set(BEFORE_30)
    result = await sweep(harness, clock)
    assert result.sent == 1
    assert cells_of(reminders_to(harness, CADRE_TG)[1:]) == [t12]  # none about thôn 9 any more


def test_import_sets_the_transfer_rule_first(
    config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert main(["import", "--transfer-rule", "at_end", str(SAMPLE_ROSTER)]) == 0
    assert "transfer rule: at_end" in capsys.readouterr().out

    async def stored() -> tuple[TransferRule, list[str]]:
        async with Database(config.db_path) as db:
            from storage import audit

            return await obligations.transfer_rule(db), [e.action for e in await audit.entries(db)]

    rule, actions = asyncio.run(stored())
    assert rule is TransferRule.AT_END and "setting.transfer_rule" in actions
    with pytest.raises(SystemExit):
        main(["import", "--transfer-rule", "sometimes", str(SAMPLE_ROSTER)])


# --- the cell's secretary ----------------------------------------------------------------------


async def link_secretary(harness: Harness) -> None:
    db = harness.application.bot_data.db
    await db.execute("UPDATE cadres SET telegram_id = ? WHERE code = 'CAN-023'", (SECRETARY_TG,))
    harness.simulator.user(SECRETARY_TG, "Thuận")


def secretary_notices(harness: Harness) -> list[str]:
    return [m.text or "" for m in harness.simulator.user(SECRETARY_TG, "Thuận").messages()]


async def test_the_secretary_is_told_after_two_reminders_once(harness: Harness, clock: ManualClock) -> None:
    await link_secretary(harness)
    clock.set(Q4_START)
    assert (await sweep(harness, clock)).secretaries == 0  # one reminder so far
    assert secretary_notices(harness) == []

    clock.set(BEFORE_30)
    result = await sweep(harness, clock)
    assert (result.sent, result.secretaries) == (1, 1)  # one message; thôn 12's secretary is not on the bot
    [notice] = secretary_notices(harness)
    assert "Nguyễn Văn Hùng" in notice and "Chi bộ thôn 9 (Đăk Ruồng)" in notice
    assert "Quý IV/2026" in notice and "Còn 30 ngày, đến hết ngày 31/12/2026 (22 ngày làm việc)." in notice
    assert "/baocaothay" in notice

    clock.advance(timedelta(minutes=10))
    assert (await sweep(harness, clock)).secretaries == 0
    clock.set(BEFORE_7)
    result = await sweep(harness, clock)
    assert result.sent == 1 and result.secretaries == 0  # told once, however many reminders follow
    assert len(secretary_notices(harness)) == 1
    db = harness.application.bot_data.db
    cadre, t9, _ = await ids(db)
    entry = await log_store.get_entry(db, log_store.ReminderKey(cadre, t9, "2026-Q4", "secretary"))
    assert entry is not None and entry.status == "sent"


async def test_no_secretary_notice_when_the_visit_was_reported_or_when_turned_off(
    harness: Harness, clock: ManualClock
) -> None:
    db = harness.application.bot_data.db
    cadre, t9, _ = await ids(db)
    await link_secretary(harness)
    clock.set(Q4_START)
    await sweep(harness, clock, replace(harness.application.bot_data.config, secretary_after=0))
    clock.set(BEFORE_30)
    assert (await sweep(harness, clock, replace(harness.application.bot_data.config, secretary_after=0))).secretaries == 0
    await submit_visit(
        db,
        VisitReportInput(token="t9", cadre_id=cadre, filed_by_id=cadre, cell_id=t9, meeting_date=date(2026, 12, 5),
                         quarter="2026-Q4", late=False, disseminated="Nghị quyết"),
        now=utc_stamp(clock.now()),
    )
    clock.set(BEFORE_7)
    assert (await sweep(harness, clock)).secretaries == 0  # thôn 9 was reported
    assert secretary_notices(harness) == []


async def test_a_secretary_who_is_the_cadre_is_not_told_about_themself(harness: Harness, clock: ManualClock) -> None:
    db = harness.application.bot_data.db
    cadre, t9, _ = await ids(db)
    await db.execute("UPDATE cells SET secretary_id = ? WHERE id = ?", (cadre, t9))
    for moment in (Q4_START, BEFORE_30, BEFORE_7):
        clock.set(moment)
        assert (await sweep(harness, clock)).secretaries == 0
    texts = [m.text or "" for m in harness.simulator.user(CADRE_TG, "Hùng").messages()]
    assert not any("bí thư chi bộ" in text for text in texts)


def test_secretary_after_is_configurable_with_a_clear_error() -> None:
    assert load_config(env={}).secretary_after == 2
    assert load_config(env={"BAOCAO_SECRETARY_AFTER": "0"}).secretary_after == 0
    with pytest.raises(ConfigError, match="BAOCAO_SECRETARY_AFTER.*0 turns it off"):
        load_config(env={"BAOCAO_SECRETARY_AFTER": "twice"})
