"""The simulator injects Telegram's failures into a cadre's visit report: timeouts, 5xx,
429 with retry_after, 403, odd and malformed updates. The bot keeps working and loses
nothing: the report is stored once and the cadre sees it confirmed.

In process (the real Application polling the simulator), deterministic: each action
waits until the bot has handled it, and a cadre whose screen did not change acts again,
as a person does when nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from telegram.error import Forbidden, NetworkError

from domain.clock import ManualClock
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import SimUser, TelegramSimulator
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.test_faults import ReportingCadre, step_of

MAX_ACTIONS = 60


def capture_errors(harness: Harness) -> list[BaseException]:
    """Every exception a handler raised, as the bot's error handler saw it."""
    errors: list[BaseException] = []

    async def record(_update: object, context: object) -> None:
        errors.append(context.error)  # type: ignore[attr-defined]

    harness.application.add_error_handler(record)
    return errors


Hook = Callable[[str, bool], None]


async def report_through(harness: Harness, user: SimUser, before_action: Hook = lambda text, changed: None) -> ReportingCadre:
    """Acts until one report is confirmed. ``before_action(screen text, changed)`` may inject
    a fault; ``changed`` tells whether the previous action changed the screen."""
    cadre = ReportingCadre(harness.simulator, user, wanted=1)
    last_seq = -1
    for _ in range(MAX_ACTIONS):
        screen = cadre.screen()
        seq = screen.seq if screen else 0
        changed, last_seq = seq != last_seq, seq
        if cadre.done:
            return cadre
        before_action(screen.content if screen else "", changed)
        update_id = await cadre.act(screen)
        if update_id is not None:
            await harness.handled(update_id)
    raise AssertionError(f"no confirmation after {MAX_ACTIONS} actions; screen: {cadre.screen()}")


def once_per_step(inject: Callable[[str], None]) -> Hook:
    """Injects before the first action on each step of the report (and on the empty chat):
    every step's answer fails once; the way back (a hint, the resume offer) does not.
    ``inject`` gets the Bot API method that will carry the answer."""
    faulted: set[int] = set()

    def hook(text: str, _changed: bool) -> None:
        step = step_of(text) if text else -1
        if step is not None and step != 0 and step not in faulted:
            faulted.add(step)
            typed = step == -1 or (step == 3 and "Đã chọn" not in text)  # /baocao, the topic
            inject("sendMessage" if typed else "editMessageText")

    return hook


async def reports_of(db: Database, telegram_id: int) -> list[int]:
    rows = await db.fetchall(
        "SELECT r.id FROM visit_reports r JOIN cadres c ON c.id = r.cadre_id WHERE c.telegram_id = ? ORDER BY r.id",
        (telegram_id,),
    )
    return [row["id"] for row in rows]


async def still_answers(harness: Harness, user_id: int = ADMIN_TG) -> str:
    """Someone else's /start, answered: the bot as a whole keeps working."""
    user = harness.simulator.user(user_id, "Văn phòng")
    update_id = await user.send_text("/start")
    await harness.handled(update_id)
    message = user.last_message()
    assert message is not None
    return message.content


# --- 5xx ---------------------------------------------------------------------------------------


async def test_a_500_on_every_step_costs_one_more_tap_and_loses_nothing(harness: Harness, roster_db: Database) -> None:
    sim = harness.simulator
    errors = capture_errors(harness)

    def fail_the_answer(method: str) -> None:
        sim.inject_fault(method, status=500, description="Internal Server Error", chat_id=CADRE_TG)

    cadre = await report_through(harness, sim.user(CADRE_TG, "An"), once_per_step(fail_the_answer))

    assert await reports_of(roster_db, CADRE_TG) == cadre.confirmed == [1]
    failed = [c for c in sim.call_log() if c.status == 500]
    assert len(failed) == 7  # the empty chat and the six steps
    assert errors and all(isinstance(e, NetworkError) for e in errors), errors
    assert "Xin chào" in await still_answers(harness)


async def test_a_502_on_getupdates_only_delays_the_updates(harness: Harness, roster_db: Database) -> None:
    sim = harness.simulator
    sim.inject_fault("getUpdates", status=502, description="Bad Gateway")  # PTB backs off a second
    user = sim.user(CADRE_TG, "An")
    update_id = await user.send_text("/baocao")
    await harness.handled(update_id)
    assert (user.last_message().content or "").startswith("📝")
    assert [c.status for c in sim.calls("getUpdates")].count(502) == 1


# --- timeouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("effective", [False, True], ids=["request-lost", "answer-lost"])
async def test_timeouts_on_every_step_lose_nothing(harness: Harness, roster_db: Database, effective: bool) -> None:
    """request-lost: the edit never reached Telegram. answer-lost: the cadre saw it, the bot
    did not hear back - the bot cannot tell the two apart."""
    sim = harness.simulator
    errors = capture_errors(harness)

    def time_out(method: str) -> None:
        sim.inject_timeout(method, chat_id=CADRE_TG, effective=effective, delay=0.01)

    cadre = await report_through(harness, sim.user(CADRE_TG, "An"), once_per_step(time_out))

    assert await reports_of(roster_db, CADRE_TG) == cadre.confirmed == [1]
    assert len([c for c in sim.call_log() if c.status == 0]) == 7  # the empty chat and the six steps
    # The request may have arrived: the step goes on as if shown, no apology (common.show).
    assert errors == []
    assert "Xin chào" in await still_answers(harness)


async def test_answer_callback_timeouts_lose_nothing(harness: Harness, roster_db: Database) -> None:
    sim = harness.simulator

    cadre = await report_through(harness, sim.user(CADRE_TG, "An"), once_per_step(lambda _method: sim.inject_timeout("answerCallbackQuery")))
    assert await reports_of(roster_db, CADRE_TG) == cadre.confirmed == [1]


# --- 429 ---------------------------------------------------------------------------------------


async def test_429_with_retry_after_is_waited_out_without_a_second_tap(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    """Production runs with the rate limiter (rate_limit=True): a 429 delays the answer by
    retry_after seconds and then it goes through; the cadre never has to act again."""
    async with bot_with_simulator(config, clock=clock, rate_limit=True, poll_timeout=1) as harness:
        sim = harness.simulator
        sim.inject_fault("editMessageText", status=429, description="Too Many Requests: retry after 1",
                         retry_after=1, chat_id=CADRE_TG)  # fmt: skip
        cadre = await report_through(harness, sim.user(CADRE_TG, "An"))

        assert cadre.actions == 8  # the shortest report, no action repeated
        assert await reports_of(roster_db, CADRE_TG) == cadre.confirmed == [1]
        statuses = [c.status for c in sim.calls("editMessageText")]
        assert statuses[0] == 429 and statuses[1] == 200 and statuses.count(429) == 1


# --- 403 ---------------------------------------------------------------------------------------


async def test_a_cadre_who_blocks_the_bot_mid_report_finds_the_draft_when_back(
    harness: Harness, roster_db: Database
) -> None:
    sim = harness.simulator
    errors = capture_errors(harness)
    user = sim.user(CADRE_TG, "An")
    cadre = ReportingCadre(sim, user, wanted=1)
    for _ in range(2):  # /baocao, then the cell
        await harness.handled(await cadre.act(cadre.screen()))
    assert "Bước 2/6" in cadre.screen().content
    pressed = await user.press(next(b for b in cadre.screen().button_list() if b.startswith("Hôm nay")))
    user.block()  # before the bot answers the press
    await harness.handled(pressed)

    assert any(isinstance(e, Forbidden) for e in errors)
    assert "Bước 2/6" in cadre.screen().content  # the answer never reached the cadre
    assert "Xin chào" in await still_answers(harness)  # others are served meanwhile

    await harness.handled(await user.send_text("/baocao"))  # back: writing unblocks the bot
    assert "báo cáo đang làm dở" in cadre.screen().content
    cadre = await report_through(harness, user)
    assert await reports_of(roster_db, CADRE_TG) == cadre.confirmed == [1]
    [stored] = await roster_db.fetchall("SELECT meeting_date FROM visit_reports")
    assert stored["meeting_date"] == "2026-11-23"  # the date chosen while blocked was kept


async def test_a_403_on_one_cadre_does_not_stop_the_others(harness: Harness, roster_db: Database) -> None:
    sim = harness.simulator
    sim.inject_fault("sendMessage", status=403, description="Forbidden: bot was blocked by the user",
                     chat_id=ADMIN_TG, times=5)  # fmt: skip
    admin = sim.user(ADMIN_TG, "Văn phòng")
    for _ in range(3):
        await harness.handled(await admin.send_text("/start"))
    assert admin.messages() == []
    cadre = await report_through(harness, sim.user(CADRE_TG, "An"))
    assert cadre.confirmed == [1]


# --- odd and malformed updates -----------------------------------------------------------------


def odd_updates(user: SimUser) -> list[dict[str, object]]:
    """Updates Telegram does send that the bot has no use for, or fields it does not know."""
    sender = user.to_dict()
    chat = {"id": user.id, "type": "private", "first_name": user.first_name}
    message = {"message_id": 9_000, "date": 0, "chat": chat, "from": sender}
    return [
        {"brand_new_update_kind": {"x": 1}},
        {"edited_message": {**message, "text": "sửa lại", "edit_date": 1}},
        {"message": {**message, "dice": {"emoji": "🎲", "value": 3}}},
        {"message": {**message, "text": "x", "future_field": {"nested": [1, 2]}}},
        {"message": {**message, "chat": {"id": -77, "type": "supergroup", "title": "Lạ"}, "text": "/baocao"}},
        {"channel_post": {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "channel", "title": "Kênh"}, "text": "tin"}},
        {"callback_query": {"id": "q-inline", "from": sender, "chat_instance": "1", "inline_message_id": "abc", "data": "v:ok:zz"}},
        {"callback_query": {"id": "q-nodata", "from": sender, "chat_instance": "1", "message": {**message, "text": "cũ"}, "game_short_name": "g"}},
        {"my_chat_member": {"chat": chat, "from": sender, "date": 0,
                            "old_chat_member": {"status": "member", "user": sim_bot(user)},
                            "new_chat_member": {"status": "kicked", "user": sim_bot(user), "until_date": 0}}},
    ]  # fmt: skip


def sim_bot(user: SimUser) -> dict[str, object]:
    return user._sim.bot_user()  # noqa: SLF001 - the bot's own User object, as Telegram sends it


async def test_odd_updates_between_the_steps_change_nothing(harness: Harness, roster_db: Database) -> None:
    sim = harness.simulator
    user = sim.user(CADRE_TG, "An")
    odd = iter(odd_updates(user))

    def interleave(_text: str, _changed: bool) -> None:
        if (raw := next(odd, None)) is not None:
            sim.inject_malformed_update(raw)

    cadre = await report_through(harness, user, interleave)
    assert next(odd, None) is None  # every odd update was sent
    assert await reports_of(roster_db, CADRE_TG) == cadre.confirmed == [1]
    await sim.wait_for_long_poll()  # idle again: every update fetched and confirmed
    assert sim.pending_updates == 0
    assert "Xin chào" in await still_answers(harness)


async def test_an_unparsable_update_does_not_stop_the_bot(config: Config, clock: ManualClock, roster_db: Database) -> None:
    async with bot_with_simulator(config, clock=clock, poll_timeout=1) as harness:
        sim = harness.simulator
        sim.inject_malformed_update({"message": "not an object"})
        user = sim.user(CADRE_TG, "An")
        update_id = await user.send_text("/start")
        await harness.handled(update_id, timeout=3)
        assert "Xin chào" in (user.last_message().content or "")


async def test_a_screen_the_bot_did_not_hear_arrive_still_works(harness: Harness, roster_db: Database) -> None:
    sim = harness.simulator
    user = sim.user(CADRE_TG, "An")
    sim.inject_timeout("sendMessage", chat_id=CADRE_TG, effective=True)
    await harness.handled(await user.send_text("/baocao"))
    cells = user.last_message()
    assert cells is not None and "Bước 1/6" in cells.content  # the cadre sees the cell list
    await harness.handled(await user.press((0, 0), message=cells))
    screen = max(user.messages(), key=lambda m: m.seq)
    assert "Bước 2/6" in screen.content, screen.content


# --- the simulator's own fault tools ----------------------------------------------------------


async def test_injected_timeouts_drop_the_answer_and_record_status_0(harness: Harness) -> None:
    sim = harness.simulator
    user = sim.user(CADRE_TG, "An")
    await harness.handled(await user.send_text("/start"))
    bot = harness.application.bot
    sim.inject_timeout("sendMessage", chat_id=CADRE_TG, effective=True)
    with pytest.raises(NetworkError):
        await bot.send_message(CADRE_TG, "đến nơi")
    sim.inject_timeout("sendMessage", chat_id=CADRE_TG)
    with pytest.raises(NetworkError):
        await bot.send_message(CADRE_TG, "mất")
    await bot.send_message(CADRE_TG, "bình thường")
    texts = [m.content for m in user.messages()]
    assert "đến nơi" in texts and "mất" not in texts and texts[-1] == "bình thường"
    assert [c.status for c in sim.calls("sendMessage")][-3:] == [0, 0, 200]


async def test_press_data_sends_what_an_old_button_carried(harness: Harness) -> None:
    sim: TelegramSimulator = harness.simulator
    user = sim.user(CADRE_TG, "An")
    await harness.handled(await user.send_text("/start"))
    old = user.last_message()
    update_id = await user.press_data("v:ok:token-of-a-draft-long-gone", message=old)
    await harness.handled(update_id)
    assert user.callback_answers, "the press was answered"
    assert "Nút này đã cũ" in (user.last_message().content or "")
