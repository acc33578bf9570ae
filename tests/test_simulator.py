"""Tests of the built-in Telegram Bot API simulator, driven by a real python-telegram-bot
Application end to end (direct Bot API calls and raw HTTP: tests/test_simulator_api.py).

No mocks: a real ``telegram.ext.Application`` / ``telegram.Bot`` talks HTTP to the simulator on
loopback; the raw HTTP layer is exercised with httpx and a bare asyncio socket. Nothing sleeps:
results are awaited on the simulator's own conditions (wait_reply, wait_for_bot_message...).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.simulator import TINY_PNG, TelegramSimulator

USER_ID = 1001
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# PTB itself warns inside RetryAfter.__init__ that retry_after becomes a timedelta in v23.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


# ------------------------------------------------------------------------------ fixtures


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[TelegramSimulator]:
    """A fresh simulator on an ephemeral port; it must not have hit an internal error."""
    async with TelegramSimulator() as simulator:
        yield simulator
    assert simulator.internal_errors == []


@pytest_asyncio.fixture
async def bot(sim: TelegramSimulator) -> AsyncIterator[Bot]:
    """A bare PTB Bot pointed at the simulator, for direct Bot API calls."""
    async with bot_for(sim) as telegram_bot:
        yield telegram_bot


def bot_for(sim: TelegramSimulator) -> Bot:
    """A PTB Bot that talks to this simulator (tests/test_simulator_api.py uses it too)."""
    return Bot(sim.token, base_url=sim.base_url, base_file_url=sim.base_file_url)


@contextlib.asynccontextmanager
async def running_app(
    sim: TelegramSimulator, *handlers: BaseHandler[Any, Any, Any]
) -> AsyncIterator[Application]:
    """A real polling Application with `handlers`; handler exceptions fail the test."""
    builder = ApplicationBuilder().token(sim.token)
    app = builder.base_url(sim.base_url).base_file_url(sim.base_file_url).build()
    errors: list[BaseException] = []

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error or RuntimeError("unknown handler error"))

    for handler in handlers:
        app.add_handler(handler)
    app.add_error_handler(record_error)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert not errors, errors


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Có", callback_data="answer:yes"),
                InlineKeyboardButton("Không", callback_data="answer:no"),
            ],
            [InlineKeyboardButton("Trang web", url="https://example.org")],
        ]
    )
    await update.effective_message.reply_text(
        "<b>Bạn</b> đã đi thăm chi bộ chưa?", parse_mode="HTML", reply_markup=keyboard
    )


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row of callback buttons: (label, callback data)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


# ------------------------------------------------------------------ end to end with an Application


@pytest.mark.asyncio
async def test_text_reaches_handler_and_reply_is_visible(sim: TelegramSimulator) -> None:
    user = sim.user(USER_ID, "Nguyễn", last_name="Văn A", username="vana")
    async with running_app(sim, MessageHandler(filters.TEXT & ~filters.COMMAND, echo)):
        await user.send_text("Xin chào 👋")
        reply = await user.wait_reply()
    assert reply.text == "echo: Xin chào 👋"
    assert reply.chat_id == USER_ID and reply.from_bot and reply.kind == "text"
    assert user.messages() == [reply] == sim.sent_messages(USER_ID) == [user.last_message()]
    assert [c.method for c in sim.call_log()][:2] == ["getMe", "deleteWebhook"]
    assert all(c.status == 200 for c in sim.call_log())


@pytest.mark.asyncio
async def test_button_press_delivers_callback_and_edit_is_reflected(
    sim: TelegramSimulator,
) -> None:
    received: list[str] = []

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        received.append(query.data)
        await query.answer("Đã ghi nhận", show_alert=True)
        await query.edit_message_text(f"Bạn chọn: {query.data}")

    user = sim.user(USER_ID, "An")
    async with running_app(sim, CommandHandler("menu", menu), CallbackQueryHandler(on_press)):
        await user.send_command("menu")
        prompt = await user.wait_reply()
        assert prompt.text == "Bạn đã đi thăm chi bộ chưa?"
        assert prompt.raw_text == "<b>Bạn</b> đã đi thăm chi bộ chưa?"
        assert prompt.entities == [{"type": "bold", "offset": 0, "length": 3}]
        assert prompt.buttons() == [["Có", "Không"], ["Trang web"]]
        assert prompt.button_data() == [["answer:yes", "answer:no"], [None]]
        seq_before = prompt.seq
        await user.press("Không")
        edited = await user.wait_reply()
        answer = await user.wait_callback_answer()
    assert received == ["answer:no"]
    assert edited is prompt and edited.edited and edited.seq > seq_before
    assert edited.text == "Bạn chọn: answer:no" and edited.reply_markup is None
    assert answer["text"] == "Đã ghi nhận" and answer["show_alert"] is True
    with pytest.raises(LookupError, match="no bot message with an inline keyboard"):
        await user.press("Có")


@pytest.mark.asyncio
async def test_press_by_position_unknown_button_and_double_answer(
    sim: TelegramSimulator, bot: Bot
) -> None:
    user = sim.user(USER_ID, "An")
    await bot.send_message(USER_ID, "pick", reply_markup=keyboard(("A", "a"), ("B", "b")))
    with pytest.raises(LookupError, match=r"\[\['A', 'B'\]\]"):
        await user.press("C")
    await user.press((0, 1))
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert (query.data, query.from_user.id, query.message.text) == ("b", USER_ID, "pick")
    assert await query.answer()
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()


@pytest.mark.asyncio
async def test_user_photo_is_downloadable_by_the_bot(sim: TelegramSimulator) -> None:
    downloaded: list[bytes] = []

    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        photo = update.message.photo[-1]
        data = await (await context.bot.get_file(photo.file_id)).download_as_bytearray()
        downloaded.append(bytes(data))
        size = f"{photo.width}x{photo.height}"
        await update.message.reply_text(f"{size} {len(data)} bytes, {update.message.caption}")

    user = sim.user(USER_ID, "An")
    async with running_app(sim, MessageHandler(filters.PHOTO, on_photo)):
        await user.send_photo(caption="Biên bản")
        reply = await user.wait_reply()
    assert downloaded == [TINY_PNG]
    assert reply.text == f"2x2 {len(TINY_PNG)} bytes, Biên bản"


@pytest.mark.asyncio
async def test_user_document_is_downloadable_by_the_bot(sim: TelegramSimulator) -> None:
    async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        document = update.message.document
        data = await (await context.bot.get_file(document.file_id)).download_as_bytearray()
        text = f"{document.file_name} {document.mime_type} {bytes(data)!r}"
        await update.message.reply_text(text)

    user = sim.user(USER_ID, "An")
    async with running_app(sim, MessageHandler(filters.Document.ALL, on_file)):
        await user.send_document(b"PK\x03\x04data", "Danh sách đảng viên.xlsx")
        reply = await user.wait_reply()
    assert reply.text == f"Danh sách đảng viên.xlsx {XLSX} b'PK\\x03\\x04data'"


@pytest.mark.asyncio
async def test_contact_via_reply_keyboard_button(sim: TelegramSimulator) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        button = KeyboardButton("Chia sẻ số điện thoại", request_contact=True)
        keyboard = ReplyKeyboardMarkup([[button]])
        await update.message.reply_text("Số điện thoại?", reply_markup=keyboard)

    async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        contact = update.message.contact
        own = contact.user_id == update.effective_user.id
        await update.message.reply_text(f"{contact.phone_number} own={own}")

    user = sim.user(USER_ID, "An", phone_number="84912345678")
    handlers = (CommandHandler("start", ask), MessageHandler(filters.CONTACT, on_contact))
    async with running_app(sim, *handlers):
        await user.send_command("start")
        assert (await user.wait_reply()).reply_keyboard() == [["Chia sẻ số điện thoại"]]
        assert user.reply_keyboard() == [["Chia sẻ số điện thoại"]]
        await user.press_reply_button("Chia sẻ số điện thoại")
        assert (await user.wait_reply()).text == "84912345678 own=True"
        await user.share_contact("84900000000", own=False)
        assert (await user.wait_reply()).text == "84900000000 own=False"
    with pytest.raises(LookupError, match="Chia sẻ số điện thoại"):
        await user.press_reply_button("Không có")


@pytest.mark.asyncio
async def test_group_command_press_and_unexpected_inputs(sim: TelegramSimulator) -> None:
    kinds: list[str] = []

    async def anything(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        kind = next((k for k in ("sticker", "voice", "location") if getattr(message, k)), "text")
        kinds.append(kind)
        who, where = update.effective_user.first_name, update.effective_chat.type
        markup = keyboard(("ok", "ok"))
        await message.reply_text(f"got {kind} from {who} in {where}", reply_markup=markup)

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)

    user = sim.user(USER_ID, "An")
    group = sim.group(-5001, "Chi bộ 1")
    handlers = (MessageHandler(filters.ALL, anything), CallbackQueryHandler(on_press))
    async with running_app(sim, *handlers):
        await group.send_command(user, "baocao@baocao_bot")
        reply = await group.wait_reply()
        assert reply.text == "got text from An in group" and reply.chat_id == -5001
        await group.press(user, "ok")
        assert (await group.wait_reply()).reply_markup is None
        for action in (user.send_sticker, user.send_voice):
            await action()
            await user.wait_reply()
        await user.send_location(21.03, 105.85)
        await user.wait_reply()
    assert kinds == ["text", "sticker", "voice", "location"]
    assert user.callback_answers[0]["text"] is None


@pytest.mark.asyncio
async def test_many_concurrent_users(sim: TelegramSimulator) -> None:
    users = [sim.user(10_000 + i, f"User {i}") for i in range(200)]
    async with running_app(sim, MessageHandler(filters.TEXT, echo)):
        await asyncio.gather(*(u.send_text(f"hi {u.id}") for u in users))
        replies = await asyncio.gather(*(u.wait_reply(timeout=30) for u in users))
    assert [r.text for r in replies] == [f"echo: hi {u.id}" for u in users]
    assert len(sim.calls("sendMessage")) == 200


@pytest.mark.asyncio
async def test_unknown_update_kind_does_not_break_polling(sim: TelegramSimulator) -> None:
    user = sim.user(USER_ID, "An")
    async with running_app(sim, MessageHandler(filters.TEXT, echo)):
        sim.inject_malformed_update({"brand_new_update_kind": {"x": 1}})
        await user.send_text("still there?")
        assert (await user.wait_reply()).text == "echo: still there?"
    assert sim.pending_updates == 0
