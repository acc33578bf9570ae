"""The reference echo bot: python-telegram-bot alone, answering like the bot does.

The ceiling of the throughput benchmark (in process) and the floor of the footprint
benchmark (``python -m bench.echo_bot``, reading the same environment as ``baocao run``:
BAOCAO_TELEGRAM_TOKEN, BAOCAO_TELEGRAM_API_URL, BAOCAO_TELEGRAM_FILE_URL). It imports
nothing but python-telegram-bot, so its footprint is the library's.
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


def echo_application(token: str, base_url: str, base_file_url: str) -> Application:
    """A bare echo bot: the ceiling, with the same concurrency as the real bot."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])

    async def on_text(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        await message.reply_text(message.text or "?", reply_markup=keyboard)

    async def on_press(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"#{query.id}", reply_markup=keyboard)

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .concurrent_updates(64)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    application.add_handler(CallbackQueryHandler(on_press))
    return application


def main() -> None:
    application = echo_application(
        os.environ["BAOCAO_TELEGRAM_TOKEN"],
        os.environ["BAOCAO_TELEGRAM_API_URL"],
        os.environ["BAOCAO_TELEGRAM_FILE_URL"],
    )
    application.run_polling(drop_pending_updates=False)


if __name__ == "__main__":
    main()
