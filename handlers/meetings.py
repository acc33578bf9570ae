"""/hop: a cell's secretary (their cells) or an admin (cells in scope) announces, moves
or cancels a cell meeting.

``/hop`` → the cell (skipped when there is one) → its coming meetings with «➕ Thông báo
cuộc họp», «✏️ Dời», «✖ Hủy» → the day: «Ngày thường lệ» (the roster's ``meets_on``),
«Như tháng trước» (last meeting's day of the month, time and place) or typed → the time
→ the place → the agenda (optional) → review and confirm. Confirming stores the meeting
and its invitations (storage/meetings.py) and wakes the meetings sweep
(scheduler/meetings.py), which sends them; a move or a cancel is told to those invited
by the same sweep, once. Every refusal is audit-logged; every change is audited by
storage.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.clock import utc_stamp
from domain.meetdays import MeetDayError, parse_future_day, parse_regular, parse_time, same_next_month
from handlers.common import answer_button, deny, is_private, say, show
from handlers.conversation import persistent_conversation
from handlers.meeting_access import allowed_cells, cell_label, local_now, may_manage_cell
from handlers.flow import button, callback_tail_int, read_text
from scheduler import jobs
from scheduler.meetings import meeting_text, when_text
from storage import meetings as store
from storage.meetings import CellChoice, Meeting, NewMeeting

END = ConversationHandler.END
HP_CELL, HP_MENU, HP_DATE, HP_TIME, HP_PLACE, HP_AGENDA, HP_CONFIRM = (
    "hp.cell", "hp.menu", "hp.date", "hp.time", "hp.place", "hp.agenda", "hp.confirm",
)
DRAFT_KEY = "meeting_draft"
PLACE_LIMIT = 120
AGENDA_LIMIT = 300
SHOWN_MEETINGS = 3
TIMES = ("19:30", "14:00", "07:30")

CB_CELLS = "hp:cs:"  # + page
CB_CELL = "hp:c:"  # + cell id
CB_NEW = "hp:new"
CB_MOVE = "hp:mv:"  # + meeting id
CB_CANCEL = "hp:cx:"  # + meeting id
CB_CANCEL_YES = "hp:cxy"
CB_REGULAR = "hp:reg"
CB_LAST_MONTH = "hp:last"
CB_TIME = "hp:t:"  # + index into TIMES
CB_KEEP_PLACE = "hp:pl"
CB_NO_AGENDA = "hp:na"
CB_CONFIRM = "hp:ok"
CB_STOP = "hp:x"


# --- /hop: the cell and its meetings ----------------------------------------------------------


async def start(update: Update, context: BotContext) -> object:
    if not is_private(update):
        await say(update, context, "meet.private_only")
        return END
    cells = await allowed_cells(context)
    if not cells:
        await deny(update, context, "meet.not_allowed", action="meetings")
        return END
    context.user_data.pop(DRAFT_KEY, None)
    if len(cells) == 1:
        return await _menu(update, context, cells[0].cell_id)
    return await _cells_screen(update, context, cells, 0)


async def _cells_screen(update: Update, context: BotContext, cells: list[CellChoice], page: int) -> object:
    lang = await context.lang(update)
    options = [Option(cell_label(c)[:60], f"{CB_CELL}{c.cell_id}") for c in cells]
    rows = paged(options, page, previous=Option("◀", f"{CB_CELLS}{page - 1}"),
                 following=Option("▶", f"{CB_CELLS}{page + 1}"))
    await show(update, context, Screen.of(t("meet.pick_cell", lang), *rows, Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_CELL


async def page_cells(update: Update, context: BotContext) -> object:
    await answer_button(update)
    return await _cells_screen(update, context, await allowed_cells(context), callback_tail_int(update, CB_CELLS) or 0)


async def pick_cell(update: Update, context: BotContext) -> object:
    await answer_button(update)
    cell_id = callback_tail_int(update, CB_CELL)
    if cell_id is None or not await may_manage_cell(context, cell_id):
        await deny(update, context, "meet.not_yours", action="meeting_cell")
        return END
    return await _menu(update, context, cell_id)


async def _menu(update: Update, context: BotContext, cell_id: int) -> object:
    lang = await context.lang(update)
    [cell] = await store.cells_by_id(context.db, [cell_id])
    context.user_data[DRAFT_KEY] = {"cell_id": cell_id, "token": secrets.token_hex(8)}
    coming = await store.upcoming(context.db, [cell_id], local_now(context), limit=SHOWN_MEETINGS)
    lines = [t("meet.menu", lang, cell=cell_label(cell))]
    lines += [f"• {when_text(m.starts_at, lang)}" + (f" — {m.place}" if m.place else "") for m in coming]
    if not coming:
        lines.append(t("meet.menu_none", lang))
    options = [Option(t("meet.btn.new", lang), CB_NEW)]
    for m in coming:
        short = f"{m.starts_at:%H:%M %d/%m}"
        options += [Option(t("meet.btn.move", lang, when=short), f"{CB_MOVE}{m.id}"),
                    Option(t("meet.btn.cancel_meeting", lang, when=short), f"{CB_CANCEL}{m.id}")]
    await show(update, context, Screen.of("\n".join(lines), *options, Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_MENU


def _draft(context: BotContext) -> dict[str, Any] | None:
    draft = context.user_data.get(DRAFT_KEY)
    return draft if isinstance(draft, dict) and "cell_id" in draft else None


async def _expired(update: Update, context: BotContext) -> object:
    await answer_button(update)
    await say(update, context, "button.expired")
    return END


# --- the day, the time, the place, the agenda -------------------------------------------------


async def new_meeting(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = _draft(context)
    if draft is None:
        return await _expired(update, context)
    return await _ask_date(update, context, draft)


async def move_meeting(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = _draft(context)
    meeting = await store.get(context.db, callback_tail_int(update, CB_MOVE) or 0)
    if draft is None or meeting is None or meeting.status != store.PLANNED:
        return await _expired(update, context)
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
    await answer_button(update)
    draft = _draft(context)
    if draft is None:
        return await _expired(update, context)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    regular = _regular_next(cell, local_now(context))
    if regular is None:
        return await _ask_date(update, context, draft)
    draft.update(day=regular.date().isoformat(), time=f"{regular:%H:%M}")
    return await _ask_place(update, context, draft)


async def use_last_month(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = _draft(context)
    last = await store.last_of_cell(context.db, draft["cell_id"]) if draft else None
    if draft is None or last is None:
        return await _expired(update, context)
    starts = same_next_month(last.starts_at)
    draft.update(day=starts.date().isoformat(), time=f"{starts:%H:%M}", place=last.place)
    return await _ask_place(update, context, draft)


async def typed_date(update: Update, context: BotContext) -> object:
    draft = _draft(context)
    if draft is None:
        return await _expired(update, context)
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
    await answer_button(update)
    index = callback_tail_int(update, CB_TIME)
    if index is None or index >= len(TIMES):
        return await _expired(update, context)
    return await _set_time(update, context, TIMES[index])


async def typed_time(update: Update, context: BotContext) -> object:
    text = update.effective_message.text or "" if update.effective_message else ""
    try:
        at = parse_time(text)
    except MeetDayError as error:
        await show(update, context, Screen(t(error.reason, await context.lang(update), text=text[:40])))
        return HP_TIME
    return await _set_time(update, context, f"{at:%H:%M}")


async def _set_time(update: Update, context: BotContext, at: str) -> object:
    draft = _draft(context)
    if draft is None or "day" not in draft:
        return await _expired(update, context)
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


def _typed(field: str, limit: int, state: int, then: Step) -> Callable[[Update, BotContext], Awaitable[object]]:
    """A handler that stores a typed answer in the draft's ``field`` and goes on to ``then``;
    a refused text (too long, empty) stays on ``state``."""

    async def handle(update: Update, context: BotContext) -> object:
        text = await read_text(update, context, limit)
        draft = _draft(context)
        if draft is None:
            return await _expired(update, context)
        if text is None:
            return state
        draft[field] = text
        return await then(update, context, draft)

    return handle


async def keep_place(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = _draft(context)
    if draft is None or not draft.get("place"):
        return await _expired(update, context)
    return await _after_place(update, context, draft)


async def _after_place(update: Update, context: BotContext, draft: dict[str, Any]) -> object:
    if "meeting_id" in draft:
        return await _review(update, context, draft)
    lang = await context.lang(update)
    await show(update, context, Screen.of(t("meet.ask_agenda", lang), Option(t("meet.btn.no_agenda", lang), CB_NO_AGENDA),
                                          Option(t("btn.cancel", lang), CB_STOP)),
               edit=update.callback_query is not None)
    return HP_AGENDA


async def no_agenda(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = _draft(context)
    if draft is None:
        return await _expired(update, context)
    draft["agenda"] = None
    return await _review(update, context, draft)


def _draft_meeting(draft: dict[str, Any], cell: CellChoice) -> Meeting:
    starts = datetime.combine(date.fromisoformat(draft["day"]), time.fromisoformat(draft["time"]))
    return Meeting(draft.get("meeting_id", 0), cell.cell_id, cell.name, starts, draft.get("place") or "",
                   draft.get("agenda"), draft.get("version", 1), store.PLANNED, "announced")


async def _review(update: Update, context: BotContext, draft: dict[str, Any]) -> object:
    lang = await context.lang(update)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    meeting = _draft_meeting(draft, cell)
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


async def confirm(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = context.user_data.pop(DRAFT_KEY, None)
    if not isinstance(draft, dict) or "time" not in draft or "place" not in draft:
        return await _expired(update, context)
    if not await may_manage_cell(context, draft["cell_id"]):
        await deny(update, context, "meet.not_yours", action="meeting_confirm")
        return END
    lang = await context.lang(update)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    meeting = _draft_meeting(draft, cell)
    cadre, user, now = await context.cadre(), update.effective_user, utc_stamp(context.clock.now())
    by, telegram_id = (cadre.id if cadre else None), (user.id if user else None)
    if "meeting_id" in draft:
        moved = await store.move(context.db, meeting.id, version=meeting.version, starts_at=meeting.starts_at,
                                 place=meeting.place, by=by, telegram_id=telegram_id, now=now)
        text = t("meet.moved" if moved else "meet.changed_meanwhile", lang, when=when_text(meeting.starts_at, lang))
    else:
        new = NewMeeting(cell.cell_id, meeting.starts_at, meeting.place, meeting.agenda, draft["token"])
        meeting_id, _ = await store.create(context.db, new, by=by, telegram_id=telegram_id, now=now)
        invited = sum((await store.answers(context.db, meeting_id)).values())
        text = t("meet.announced", lang, number=meeting_id, count=invited)
    jobs.send_meetings_now(context.application)
    await show(update, context, Screen(text), edit=True)
    return END


# --- cancelling -------------------------------------------------------------------------------


async def cancel_meeting(update: Update, context: BotContext) -> object:
    await answer_button(update)
    meeting = await store.get(context.db, callback_tail_int(update, CB_CANCEL) or 0)
    draft = _draft(context)
    if draft is None or meeting is None or meeting.status != store.PLANNED:
        return await _expired(update, context)
    if not await may_manage_cell(context, meeting.cell_id):
        await deny(update, context, "meet.not_yours", action="meeting_cancel")
        return END
    lang = await context.lang(update)
    draft["meeting_id"] = meeting.id
    screen = Screen.of(t("meet.confirm_cancel", lang, meeting=meeting_text(meeting, lang)),
                       Option(t("meet.btn.confirm_cancel", lang), CB_CANCEL_YES), Option(t("btn.back", lang), CB_STOP))
    await show(update, context, screen, edit=True)
    return HP_CONFIRM


async def confirm_cancel(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = context.user_data.pop(DRAFT_KEY, None)
    meeting = await store.get(context.db, draft.get("meeting_id", 0)) if isinstance(draft, dict) else None
    if meeting is None:
        return await _expired(update, context)
    if not await may_manage_cell(context, meeting.cell_id):
        await deny(update, context, "meet.not_yours", action="meeting_cancel")
        return END
    cadre, user = await context.cadre(), update.effective_user
    await store.cancel(context.db, meeting.id, by=cadre.id if cadre else None, telegram_id=user.id if user else None,
                       now=utc_stamp(context.clock.now()))
    jobs.send_meetings_now(context.application)
    lang = await context.lang(update)
    await show(update, context, Screen(t("meet.cancelled", lang, when=when_text(meeting.starts_at, lang))), edit=True)
    return END


async def stop(update: Update, context: BotContext) -> object:
    await answer_button(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, context, Screen(t("meet.stopped", await context.lang(update))),
               edit=update.callback_query is not None)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    await say(update, context, "meet.use_buttons")


def conversation() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    hint = MessageHandler(~filters.COMMAND, use_buttons)
    return persistent_conversation(
        "meetings",
        entry_points=[CommandHandler(["hop", "meeting"], start)],
        states={
            HP_CELL: [button(page_cells, CB_CELLS), button(pick_cell, CB_CELL), hint],
            HP_MENU: [button(new_meeting, CB_NEW, exact=True), button(move_meeting, CB_MOVE),
                      button(cancel_meeting, CB_CANCEL), hint],
            HP_DATE: [button(use_regular, CB_REGULAR, exact=True), button(use_last_month, CB_LAST_MONTH, exact=True),
                      MessageHandler(typed, typed_date), hint],
            HP_TIME: [button(picked_time, CB_TIME), MessageHandler(typed, typed_time), hint],
            HP_PLACE: [button(keep_place, CB_KEEP_PLACE, exact=True), MessageHandler(typed, _typed("place", PLACE_LIMIT, HP_PLACE, _after_place)), hint],
            HP_AGENDA: [button(no_agenda, CB_NO_AGENDA, exact=True), MessageHandler(typed, _typed("agenda", AGENDA_LIMIT, HP_AGENDA, _review)), hint],
            HP_CONFIRM: [button(confirm, CB_CONFIRM, exact=True), button(confirm_cancel, CB_CANCEL_YES, exact=True),
                         hint],
        },
        fallbacks=[CommandHandler(["huy", "cancel"], stop), button(stop, CB_STOP, exact=True)],
        allow_reentry=True,
    )
