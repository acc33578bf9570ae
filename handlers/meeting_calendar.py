"""An invitee's answer to a meeting, and /lichhop: my cells' next meetings.

«✅ Tôi sẽ dự» / «❌ Không dự được» record the answer once for the meeting's current
version; a second press, an old message's (a moved meeting) or a cancelled meeting's is
answered and changes nothing; anyone not invited is refused and audit-logged.

``/lichhop`` lists the coming meetings of the cells the cadre is assigned to or is the
secretary of; on Telegram it also sends them as an ``.ics`` file (RFC 5545, made with
the icalendar package) that the phone's calendar imports.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from icalendar import Calendar, Event
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.screens import Screen
from bot.texts import t
from domain.callbacks import CB_MEETING_NO, CB_MEETING_YES
from domain.clock import utc_stamp
from domain.ids import parse_id
from handlers.buttons import answer_expired
from handlers.common import answer_button, deny, drop_buttons, say, show
from handlers.flow import button, callback_tail
from scheduler.meetings import meeting_text, when_text
from storage import accounts
from storage import meetings as store
from storage.meetings import Meeting

CALENDAR_LIMIT = 10
MEETING_LENGTH = timedelta(hours=2)


async def answered(update: Update, context: BotContext) -> None:
    """«✅ Tôi sẽ dự» or «❌ Không dự được»: recorded once per version of the meeting."""
    lang = await context.lang(update)
    data = update.callback_query.data if update.callback_query else ""
    prefix, value = (CB_MEETING_YES, store.YES) if (data or "").startswith(CB_MEETING_YES) else (CB_MEETING_NO, store.NO)
    meeting_text_id, _, version_text = callback_tail(update, prefix).partition(":")
    meeting_id, version = parse_id(meeting_text_id), parse_id(version_text)
    meeting = await store.get(context.db, meeting_id) if meeting_id is not None else None
    cadre = await context.cadre()
    if meeting is None or version is None:
        await answer_expired(update, context)
        return
    invite = await store.invite_of(context.db, meeting.id, cadre.id) if cadre else None
    if invite is None:
        await deny(update, context, "meet.not_invited", action="meeting_answer")
        return
    if meeting.status != store.PLANNED:
        text = t("meet.answer_cancelled", lang, when=when_text(meeting.starts_at, lang))
    elif version != meeting.version:
        text = t("meet.answer_stale", lang, when=when_text(meeting.starts_at, lang))
    elif invite.answer is None and await store.answer(
        context.db, meeting.id, invite.cadre_id, version=version, value=value, now=utc_stamp(context.clock.now())
    ):
        text = t(f"meet.answer.{value}", lang, cell=meeting.cell_name, when=when_text(meeting.starts_at, lang))
    else:
        current = await store.invite_of(context.db, meeting.id, invite.cadre_id)
        text = t("meet.answer_already", lang, answer=t(f"meet.btn.{current.answer if current else value}", lang))
    await answer_button(update, text[:200])
    await drop_buttons(update)
    await show(update, context, Screen(text))


async def calendar(update: Update, context: BotContext) -> None:
    """/lichhop: the next meetings of my cells (and an .ics file on Telegram)."""
    cadre = await context.cadre()
    if cadre is None:
        await deny(update, context, "meet.calendar_unknown", action="meeting_calendar")
        return
    lang = await context.lang(update)
    now = context.clock.now().astimezone(context.config.tz)
    cells = await store.cells_of_cadre(context.db, cadre.id, now.date())
    coming = await store.upcoming(context.db, cells, now.replace(tzinfo=None), limit=CALENDAR_LIMIT)
    if not coming:
        await say(update, context, "meet.calendar_none")
        return
    blocks = [t("meet.calendar_title", lang)]
    for meeting in coming:
        invite = await store.invite_of(context.db, meeting.id, cadre.id)
        answer = t(f"meet.calendar_answer.{invite.answer or 'none'}", lang) if invite else ""
        blocks.append(meeting_text(meeting, lang) + (f"\n{answer}" if answer else ""))
    await show(update, context, Screen("\n\n".join(blocks)))
    chat = update.effective_chat
    if context.channel == accounts.TELEGRAM and chat is not None:
        data = ics_bytes(coming, context, lang)
        await context.bot.send_document(chat.id, document=data, filename="lichhop.ics",
                                        caption=t("meet.calendar_file", lang))


def ics_bytes(coming: list[Meeting], context: BotContext, lang: str) -> bytes:
    """The meetings as an iCalendar file: one VEVENT each, in the organisation's zone."""
    book = Calendar()
    book.add("prodid", "-//baocao//lichhop//VI")
    book.add("version", "2.0")
    tz = context.config.tz
    for meeting in coming:
        event = Event()
        starts = meeting.starts_at.replace(tzinfo=tz)
        event.add("uid", f"meeting-{meeting.id}-{meeting.version}@baocao")
        event.add("dtstamp", context.clock.now())
        event.add("dtstart", starts)
        event.add("dtend", starts + MEETING_LENGTH)
        event.add("summary", t("meet.ics_summary", lang, cell=meeting.cell_name))
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        book.add_component(event)
    return book.to_ical()


def handlers() -> list[Any]:
    """An invitee's answers and /lichhop."""
    return [
        button(answered, CB_MEETING_YES),
        button(answered, CB_MEETING_NO),
        CommandHandler(["lichhop", "meetings"], calendar),
    ]
