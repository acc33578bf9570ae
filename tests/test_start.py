"""/start, /help and unknown users, end to end: the real Application on the simulator."""

from dataclasses import replace

from telegram import Update

from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from domain.clock import ManualClock
from tests.conftest import CADRE_TG, STRANGER_TG


async def send(harness: Harness, user_id: int, text: str, language: str | None = "vi") -> str:
    """Sends a text as the user, waits until the bot handled it, returns the bot's last reply."""
    user = harness.simulator.user(user_id, "Người dùng", language_code=language)
    update_id = await user.send_text(text)
    await harness.handled(update_id)
    message = user.last_message()
    assert message is not None, "the bot answered nothing"
    return message.text or ""


async def test_registered_cadre_is_welcomed_by_name_in_vietnamese(harness: Harness) -> None:
    reply = await send(harness, CADRE_TG, "/start")
    assert reply.startswith("Xin chào đồng chí")
    assert "/help" in reply


async def test_english_client_gets_english(harness: Harness) -> None:
    reply = await send(harness, CADRE_TG, "/help", language="en")
    assert reply.startswith("Your commands")


async def test_stranger_is_refused_politely_and_told_how_to_register(harness: Harness) -> None:
    for text in ("/start", "/help", "xin chào", "/baocao"):
        reply = await send(harness, STRANGER_TG, text)
        assert "chỉ dành cho cán bộ" in reply, text


async def test_unknown_command_and_stray_text_get_a_hint(harness: Harness) -> None:
    assert "chưa hiểu lệnh" in await send(harness, CADRE_TG, "/khongco")
    assert "chưa hiểu tin nhắn" in await send(harness, CADRE_TG, "abc")


async def test_command_menu_is_published_in_both_languages(harness: Harness) -> None:
    calls = [c for c in harness.simulator.call_log() if c.method.lower() == "setmycommands"]
    languages = {c.params.get("language_code") for c in calls}
    assert languages == {None, "en"}


async def test_redelivered_update_is_handled_once(harness: Harness) -> None:
    """After a crash before the confirmation, Telegram sends the same update again."""
    user = harness.simulator.user(CADRE_TG, "An")
    raw = {
        "update_id": 777_000,
        "message": {
            "message_id": 999,
            "date": 1_790_000_000,
            "chat": {"id": CADRE_TG, "type": "private"},
            "from": {"id": CADRE_TG, "is_bot": False, "first_name": "An", "language_code": "vi"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    application = harness.application
    before = len(user.messages())
    for _ in range(2):
        await application.process_update(Update.de_json(raw, application.bot))
    assert len(user.messages()) == before + 1


async def test_admin_from_environment_is_recognised(config: Config, clock: ManualClock, roster_db) -> None:
    config = replace(config, admin_ids=frozenset({4242}))
    async with bot_with_simulator(config, clock=clock, poll_timeout=1) as harness:
        reply = await send(harness, 4242, "/help")
        assert reply.startswith("Các lệnh")


async def test_every_refusal_of_a_stranger_is_audit_logged(harness: Harness) -> None:
    from storage import audit

    await send(harness, STRANGER_TG, "/baocao")
    await send(harness, STRANGER_TG, "xin chào")
    entries = await audit.entries(harness.application.bot_data.db, action="denied.unregistered")
    assert [e.telegram_id for e in entries] == [STRANGER_TG, STRANGER_TG]
    assert all(e.actor_id is None and "xin chào" not in str(e.details) for e in entries)
