"""What a person types or attaches, read once for every conversation: a text cleaned and
held to its limit (the tail of a message Telegram split is not taken for content), and a
photo or a file of the minutes."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import filters

from bot.context import BotContext
from bot.drafts import DraftPhoto
from bot.screens import Screen
from bot.texts import t
from domain.textinput import TextEmpty, TextTooLong, clean_text
from handlers.common import show

TYPED = filters.TEXT & ~filters.COMMAND
# Photos, and files of the minutes: images and PDFs.
ATTACHMENTS = filters.PHOTO | filters.Document.IMAGE | filters.Document.PDF

# Telegram's client splits a message over 4,096 characters in two, sent the same moment; a
# rejected text this long was probably the head of one, and a text right after it its tail.
SPLIT_LENGTH = 4000
TAIL_SECONDS = 3
TAIL_KEY = "flow_tail_expected"  # the time of the rejected head (seconds since the epoch)


async def read_text(update: Update, context: BotContext, limit: int) -> str | None:
    """The typed text, cleaned; None (after telling the cadre why) when it cannot be used.

    A text refused as too long leaves the step where it was, its buttons working. When it
    was long enough to be the first half of a message Telegram split, the next text is
    taken for its tail: refused too, with a word, rather than stored as the content.
    """
    lang = await context.lang(update)
    message = update.effective_message
    raw = message.text or "" if message else ""
    sent = int(message.date.timestamp()) if message and message.date else 0
    head = context.user_data.pop(TAIL_KEY, None)
    if isinstance(head, int) and 0 <= sent - head <= TAIL_SECONDS:
        await show(update, context, Screen(t("text.tail", lang, length=len(raw))))
        return None
    try:
        return clean_text(raw, limit)
    except TextTooLong as error:
        if error.length >= SPLIT_LENGTH:
            context.user_data[TAIL_KEY] = sent
        await show(update, context, Screen(t("text.too_long", lang, length=error.length, limit=limit)))
    except TextEmpty:
        await show(update, context, Screen(t("text.empty", lang)))
    return None


def incoming_attachment(message: Message | None) -> DraftPhoto | None:
    """The photo of a message (its largest size), or a file: an image or the minutes as a PDF."""
    if message is None:
        return None
    if message.photo:
        biggest = message.photo[-1]
        return DraftPhoto(biggest.file_id, biggest.file_unique_id)
    document = message.document
    if document is not None:
        image = (document.mime_type or "").startswith("image/")
        return DraftPhoto(document.file_id, document.file_unique_id, "photo" if image else "document")
    return None
