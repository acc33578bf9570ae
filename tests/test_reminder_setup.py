"""How the operator runs and sets up the visit reminders: the dry run of ``baocao remind``,
the JobQueue's jobs, and the scheduler settings from the environment."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.cli import main
from domain.clock import VIETNAM, ManualClock, utc_stamp
from bot.config import Config
from bot.harness import Harness
from storage import roster
from storage import reminders as log_store
from storage.db import Database
from tests.conftest import CADRE_CODE, CADRE_TG
from tests.test_reminders import Q4, Q4_START, app_db, cell_id, reminders_in


# --- the operator's dry run -----------------------------------------------------------------------


def prepared(config: Config, clock: ManualClock) -> None:
    """The sample roster in the configured file, CAN-001 linked (as the roster_db fixture)."""
    from bot.demo import prepare_database
    from tests.conftest import SAMPLE_ROSTER  # the legacy district roster

    asyncio.run(prepare_database(config, SAMPLE_ROSTER, clock))


def test_cli_remind_dry_run_prints_who_and_why(
    config: Config, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepared(config, clock)
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert main(["remind", "--dry-run", "--now", "2026-10-01T08:30"]) == 0
    out = capsys.readouterr().out
    assert "'start' reminder" in out
    assert "CAN-001 Nguyễn Văn Hùng → Chi bộ thôn 9 (Đăk Ruồng): no visit reported in Q4 2026" in out

    assert main(["remind", "--dry-run", "--now", "2026-10-01T22:00"]) == 0
    assert "nothing is sent now; these go out at 02/10/2026 07:00" in capsys.readouterr().out

    assert main(["remind", "--dry-run", "--now", "2026-11-23T09:00"]) == 0
    assert "Next: 'before30' of Q4 2026 at 02/12/2026 08:00" in capsys.readouterr().out
    assert main(["remind"]) == 2  # sending is the bot's job
    counts = asyncio.run(_reminder_log_size(config))
    assert counts == 0  # a dry run claims nothing


async def _reminder_log_size(config: Config) -> int:
    async with Database(config.db_path) as db:
        return int(await db.fetchval("SELECT count(*) FROM reminder_log"))


def test_cli_remind_dry_run_lists_uncertain_claims(
    config: Config, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepared(config, clock)

    async def claim_and_crash() -> tuple[int | None, int | None]:
        async with Database(config.db_path) as db:
            cadre = await roster.cadre_by_code(db, CADRE_CODE)
            assert cadre is not None
            key = log_store.ReminderKey(cadre.id, await cell_id(db, "CB-KR-DRUONG-T9"), Q4.key, "start")
            first = await log_store.claim(db, key, now=utc_stamp(Q4_START))
            return first, await log_store.claim(db, key, now=utc_stamp(Q4_START))

    assert asyncio.run(claim_and_crash()) == (1, None)  # claimed, then held against a second claim
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert main(["remind", "--dry-run", "--now", "2026-10-01T09:00"]) == 0
    out = capsys.readouterr().out
    assert "1 reminder(s) would be sent" in out  # the claimed one is not sent again
    assert "CAN-001 cell" in out and "outcome unknown" in out


# --- the jobs ------------------------------------------------------------------------------------


async def test_jobs_run_the_sweeps_only_on_the_real_clock(config: Config, clock: ManualClock) -> None:
    from bot.app import build_application
    from scheduler import jobs

    real = build_application(replace(config, telegram_token="1:x"))
    assert real.job_queue is not None
    assert {job.name for job in real.job_queue.jobs()} == {
        jobs.REMINDER_JOB, jobs.DIGEST_JOB, jobs.MATERIALS_JOB, jobs.MEETINGS_JOB, jobs.PROPOSALS_JOB,
        jobs.INSPECTIONS_JOB,
    }
    manual = build_application(replace(config, telegram_token="1:x"), clock=clock)
    assert manual.job_queue is not None and manual.job_queue.jobs() == ()


async def test_the_jobs_callbacks_send_what_is_due(harness: Harness, clock: ManualClock) -> None:
    from scheduler import jobs
    from storage import groups as group_store

    app = harness.application
    assert app.job_queue is not None
    await group_store.register(
        app_db(harness), chat_id=-6001, title="Huyện ủy", unit_id=None, purpose="summary",
        by=None, telegram_id=None, now=utc_stamp(clock.now()),
    )
    group = harness.simulator.group(-6001, "Huyện ủy")
    harness.simulator.user(CADRE_TG, "Hùng")
    jobs.schedule(app)
    scheduled = {job.name: job for job in app.job_queue.jobs()}
    for job in scheduled.values():
        job.schedule_removal()  # run by hand below, not by the real-time trigger
    clock.set(datetime(2026, 10, 5, 9, 0, tzinfo=VIETNAM))  # a Monday: the weekly digest is due
    await scheduled[jobs.DIGEST_JOB].run(app)
    assert group.messages() and group.messages()[0].content.startswith("📊 TỔNG HỢP TUẦN")
    clock.set(datetime(2026, 10, 2, 9, 0, tzinfo=VIETNAM))
    await scheduled[jobs.REMINDER_JOB].run(app)
    assert len(reminders_in(harness.simulator.user(CADRE_TG, "Hùng").messages())) == 1


# --- settings ------------------------------------------------------------------------------------


def test_scheduler_settings_from_the_environment() -> None:
    from bot.config import load_config

    config = load_config(
        env={
            "BAOCAO_REMINDER_START_DAY": "5",
            "BAOCAO_REMINDER_HOUR": "9",
            "BAOCAO_REMINDER_DAYS_BEFORE": "14; 45, 3",
            "BAOCAO_QUIET_HOURS": "22-6:30",
            "BAOCAO_DIGEST_WEEKDAY": "fri",
            "BAOCAO_DIGEST_HOUR": "16",
            "BAOCAO_CATCHUP_GRACE_HOURS": "12",
        }
    )
    assert (config.reminder_start_day, config.reminder_hour, config.reminder_days_before) == (5, 9, (45, 14, 3))
    assert (config.quiet_start.hour, config.quiet_end.hour, config.quiet_end.minute) == (22, 6, 30)
    assert (config.digest_weekday, config.digest_hour, config.catchup_grace) == (4, 16, timedelta(hours=12))


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"BAOCAO_REMINDER_START_DAY": "31"}, "BAOCAO_REMINDER_START_DAY"),
        ({"BAOCAO_REMINDER_DAYS_BEFORE": "30,one"}, "BAOCAO_REMINDER_DAYS_BEFORE"),
        ({"BAOCAO_QUIET_HOURS": "late"}, "BAOCAO_QUIET_HOURS"),
        ({"BAOCAO_DIGEST_WEEKDAY": "someday"}, "BAOCAO_DIGEST_WEEKDAY"),
        ({"BAOCAO_REMINDER_HOUR": "22"}, "BAOCAO_REMINDER_HOUR"),  # inside the quiet hours
        ({"BAOCAO_CATCHUP_GRACE_HOURS": "0"}, "BAOCAO_CATCHUP_GRACE_HOURS"),
    ],
)
def test_bad_scheduler_settings_name_the_variable(env: dict[str, str], name: str) -> None:
    from bot.config import ConfigError, load_config

    with pytest.raises(ConfigError, match=name):
        load_config(env=env)
