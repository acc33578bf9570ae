"""/hop's steps after the cell: the day, the time, the place, the agenda and the review.

The day offers the cell's regular day (the roster's ``meets_on``) and last month's; a
typed day or time is parsed by domain/meetdays.py. A move skips the agenda.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.screens import Option, Screen
from bot.texts import t
from domain.meetdays import MeetDayError, parse_future_day, parse_regular, parse_time, same_next_month
from handlers.common import answer_button, deny, show
from handlers.flow import callback_tail_int, read_text
from handlers.meeting_access import local_now, may_manage_cell
from handlers.meeting_states import (
    CB_CONFIRM,
    CB_KEEP_PLACE,
    CB_LAST_MONTH,
    CB_MOVE,
    CB_NO_AGENDA,
    CB_REGULAR,
    CB_STOP,
    CB_TIME,
    END,
    HP_AGENDA,
    HP_CONFIRM,
    HP_DATE,
    HP_PLACE,
    HP_TIME,
    TIMES,
    draft_of,
    expired,
)
from scheduler.meetings import meeting_text, when_text
from storage import meetings as store
from storage.meetings import CellChoice, Meeting

async def new_meeting(update: Update, context: BotContext) -> object:
    """«➕ Thông báo cuộc họp»: a new meeting starts with its day."""
    await answer_button(update)
    draft = draft_of(context)
    if draft is None:
        return await expired(update, context)
    return await _ask_date(update, context, draft)


async def move_meeting(update: Update, context: BotContext) -> object:
    """«✏️ Dời»: the meeting's place and agenda are kept; its version catches a
    concurrent change at confirm."""
    await answer_button(update)
    draft = draft_of(context)
    meeting = await store.get(context.db, callback_tail_int(update, CB_MOVE) or 0)
    if draft is None or meeting is None or meeting.status != store.PLANNED:
        return await expired(update, context)
    if not await may_manage_cell(context, meeting.cell_id):
        await deny(update, context, "meet.not_yours", action="meeting_move")
        return END
    draft.update(cell_id=meeting.cell_id, meeting_id=meeting.id, version=meeting.version, place=meeting.place,
                 agenda=meeting.agenda)
    return await _ask_date(update, context, draft)


async def _ask_date(update: Update, context: BotContext, draft: dict[str, Any]) -> object:
    lang = await context.lang(update)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    now = local_now(context)
    options: list[Option] = []
    regular = _regular_next(cell, now)
    if regular is not None:
        options.append(Option(t("meet.btn.regular", lang, when=when_text(regular, lang)), CB_REGULAR))
    last = await store.last_of_cell(context.db, cell.cell_id)
    if last is not None and "meeting_id" not in draft and same_next_month(last.starts_at) > now:
        options.append(Option(t("meet.btn.last_month", lang, when=when_text(same_next_month(last.starts_at), lang)),
                              CB_LAST_MONTH))
    key = "meet.ask_date_move" if "meeting_id" in draft else "meet.ask_date"
    await show(update, context, Screen.of(t(key, lang, cell=cell.name), *options, Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_DATE


def _regular_next(cell: CellChoice, now: datetime) -> datetime | None:
    try:
        return parse_regular(cell.meets_on).next_after(now) if cell.meets_on else None
    except MeetDayError:
        return None


async def use_regular(update: Update, context: BotContext) -> object:
    """The cell's regular day (the roster's ``meets_on``): day and time at once."""
    await answer_button(update)
    draft = draft_of(context)
    if draft is None:
        return await expired(update, context)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    regular = _regular_next(cell, local_now(context))
    if regular is None:
        return await _ask_date(update, context, draft)
    draft.update(day=regular.date().isoformat(), time=f"{regular:%H:%M}")
    return await _ask_place(update, context, draft)


async def use_last_month(update: Update, context: BotContext) -> object:
    """Like last month's meeting: the same day of the month, time and place."""
    await answer_button(update)
    draft = draft_of(context)
    last = await store.last_of_cell(context.db, draft["cell_id"]) if draft else None
    if draft is None or last is None:
        return await expired(update, context)
    starts = same_next_month(last.starts_at)
    draft.update(day=starts.date().isoformat(), time=f"{starts:%H:%M}", place=last.place)
    return await _ask_place(update, context, draft)


async def typed_date(update: Update, context: BotContext) -> object:
    """A typed day, which must lie ahead; then the usual times to choose from."""
    draft = draft_of(context)
    if draft is None:
        return await expired(update, context)
    lang = await context.lang(update)
    text = update.effective_message.text or "" if update.effective_message else ""
    try:
        day = parse_future_day(text, local_now(context).date())
    except MeetDayError as error:
        await show(update, context, Screen(t(error.reason, lang, text=text[:40])))
        return HP_DATE
    draft["day"] = day.isoformat()
    options = [Option(label, f"{CB_TIME}{n}") for n, label in enumerate(TIMES)]
    await show(update, context, Screen.of(t("meet.ask_time", lang, date=f"{day:%d/%m/%Y}"), options,
                                          Option(t("btn.cancel", lang), CB_STOP)))
    return HP_TIME


async def picked_time(update: Update, context: BotContext) -> object:
    """One of the usual times (``TIMES``)."""
    await answer_button(update)
    index = callback_tail_int(update, CB_TIME)
    if index is None or index >= len(TIMES):
        return await expired(update, context)
    return await _set_time(update, context, TIMES[index])


async def typed_time(update: Update, context: BotContext) -> object:
    """A typed time such as 19:30, 19h30 or 7.30."""
    text = update.effective_message.text or "" if update.effective_message else ""
    try:
        at = parse_time(text)
    except MeetDayError as error:
        await show(update, context, Screen(t(error.reason, await context.lang(update), text=text[:40])))
        return HP_TIME
    return await _set_time(update, context, f"{at:%H:%M}")


async def _set_time(update: Update, context: BotContext, at: str) -> object:
    draft = draft_of(context)
    if draft is None or "day" not in draft:
        return await expired(update, context)
    starts = datetime.combine(date.fromisoformat(draft["day"]), time.fromisoformat(at))
    if starts <= local_now(context):
        await show(update, context, Screen(t("meet.past_time", await context.lang(update))))
        return HP_TIME
    draft["time"] = at
    return await _ask_place(update, context, draft)


async def _ask_place(update: Update, context: BotContext, draft: dict[str, Any]) -> object:
    lang = await context.lang(update)
    options = [Option(t("meet.btn.keep_place", lang, place=draft["place"][:40]), CB_KEEP_PLACE)] if draft.get("place") else []
    await show(update, context, Screen.of(t("meet.ask_place", lang), *options, Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_PLACE


Step = Callable[[Update, BotContext, dict[str, Any]], Awaitable[object]]


def typed_answer(field: str, limit: int, state: int, then: Step) -> Callable[[Update, BotContext], Awaitable[object]]:
    """A handler that stores a typed answer in the draft's ``field`` and goes on to ``then``;
    a refused text (too long, empty) stays on ``state``."""

    async def handle(update: Update, context: BotContext) -> object:
        text = await read_text(update, context, limit)
        draft = draft_of(context)
        if draft is None:
            return await expired(update, context)
        if text is None:
            return state
        draft[field] = text
        return await then(update, context, draft)

    return handle


async def keep_place(update: Update, context: BotContext) -> object:
    """«Dùng: <place>»: the place of the moved or copied meeting stays."""
    await answer_button(update)
    draft = draft_of(context)
    if draft is None or not draft.get("place"):
        return await expired(update, context)
    return await after_place(update, context, draft)


async def after_place(update: Update, context: BotContext, draft: dict[str, Any]) -> object:
    """The agenda, asked only for a new meeting (a move keeps it)."""
    if "meeting_id" in draft:
        return await review(update, context, draft)
    lang = await context.lang(update)
    await show(update, context, Screen.of(t("meet.ask_agenda", lang), Option(t("meet.btn.no_agenda", lang), CB_NO_AGENDA),
                                          Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_AGENDA


async def no_agenda(update: Update, context: BotContext) -> object:
    """«Bỏ qua»: a meeting without an agenda."""
    await answer_button(update)
    draft = draft_of(context)
    if draft is None:
        return await expired(update, context)
    draft["agenda"] = None
    return await review(update, context, draft)


def draft_meeting(draft: dict[str, Any], cell: CellChoice) -> Meeting:
    """The draft as a Meeting record, so the review shows what the invitation will say."""
    starts = datetime.combine(date.fromisoformat(draft["day"]), time.fromisoformat(draft["time"]))
    return Meeting(draft.get("meeting_id", 0), cell.cell_id, cell.name, starts, draft.get("place") or "",
                   draft.get("agenda"), draft.get("version", 1), store.PLANNED, "announced")


async def review(update: Update, context: BotContext, draft: dict[str, Any]) -> object:
    """The meeting as it will be sent, and how many will be invited, before it is stored."""
    lang = await context.lang(update)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    meeting = draft_meeting(draft, cell)
    moving = "meeting_id" in draft
    if moving:
        text, label = t("meet.review_move", lang, meeting=meeting_text(meeting, lang)), t("meet.btn.confirm_move", lang)
    else:
        cadre = await context.cadre()
        count = len(await store.invitees(context.db, cell.cell_id, meeting.day, leave_out=cadre.id if cadre else None))
        text = t("meet.review", lang, meeting=meeting_text(meeting, lang), count=count)
        label = t("meet.btn.confirm", lang)
    await show(update, context, Screen.of(text, Option(label, CB_CONFIRM), Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_CONFIRM
