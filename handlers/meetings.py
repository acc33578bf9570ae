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

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.clock import utc_stamp
from handlers.common import answer_button, deny, is_private, say, show
from handlers.conversation import persistent_conversation
from handlers.flow import button, callback_tail_int
from handlers.meeting_access import allowed_cells, cell_label, local_now, may_manage_cell
from handlers.meeting_states import (
    AGENDA_LIMIT,
    CB_CANCEL,
    CB_CANCEL_YES,
    CB_CELL,
    CB_CELLS,
    CB_CONFIRM,
    CB_KEEP_PLACE,
    CB_LAST_MONTH,
    CB_MOVE,
    CB_NEW,
    CB_NO_AGENDA,
    CB_REGULAR,
    CB_STOP,
    CB_TIME,
    DRAFT_KEY,
    END,
    HP_AGENDA,
    HP_CELL,
    HP_CONFIRM,
    HP_DATE,
    HP_MENU,
    HP_PLACE,
    HP_TIME,
    PLACE_LIMIT,
    SHOWN_MEETINGS,
    draft_of,
    expired,
)
from handlers.meeting_steps import (
    after_place,
    draft_meeting,
    keep_place,
    move_meeting,
    new_meeting,
    no_agenda,
    picked_time,
    review,
    typed_answer,
    typed_date,
    typed_time,
    use_last_month,
    use_regular,
)
from scheduler import jobs
from scheduler.meetings import meeting_text, when_text
from storage import meetings as store
from storage.meetings import CellChoice, NewMeeting


# --- /hop: the cell and its meetings ----------------------------------------------------------


async def start(update: Update, context: BotContext) -> object:
    """/hop: straight to the cell's meetings when the user manages one cell, else the cells
    to choose from."""
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
    """◀ / ▶ on the list of cells."""
    await answer_button(update)
    return await _cells_screen(update, context, await allowed_cells(context), callback_tail_int(update, CB_CELLS) or 0)


async def pick_cell(update: Update, context: BotContext) -> object:
    """A cell chosen; re-checked, since an old or forged button may name any cell."""
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


# --- confirming ----------------------------------------------------------------------------


async def confirm(update: Update, context: BotContext) -> object:
    """Stores the new or moved meeting (a move only if nobody changed it meanwhile) and wakes
    the meetings sweep, which tells the invited."""
    await answer_button(update)
    draft = context.user_data.pop(DRAFT_KEY, None)
    if not isinstance(draft, dict) or "time" not in draft or "place" not in draft:
        return await expired(update, context)
    if not await may_manage_cell(context, draft["cell_id"]):
        await deny(update, context, "meet.not_yours", action="meeting_confirm")
        return END
    lang = await context.lang(update)
    [cell] = await store.cells_by_id(context.db, [draft["cell_id"]])
    meeting = draft_meeting(draft, cell)
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
    """«✖ Hủy» on a meeting: asks once more, since the invited are told at once."""
    await answer_button(update)
    meeting = await store.get(context.db, callback_tail_int(update, CB_CANCEL) or 0)
    draft = draft_of(context)
    if draft is None or meeting is None or meeting.status != store.PLANNED:
        return await expired(update, context)
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
    """Cancels the meeting and wakes the sweep, which tells those invited."""
    await answer_button(update)
    draft = context.user_data.pop(DRAFT_KEY, None)
    meeting = await store.get(context.db, draft.get("meeting_id", 0)) if isinstance(draft, dict) else None
    if meeting is None:
        return await expired(update, context)
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
    """/huy or «Hủy»: the draft is dropped; nothing was stored."""
    await answer_button(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, context, Screen(t("meet.stopped", await context.lang(update))),
               edit=update.callback_query is not None)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    """Anything but the expected answer: a hint, and the step stays."""
    await say(update, context, "meet.use_buttons")


def conversation() -> ConversationHandler:
    """The /hop conversation, persisted so a restart mid-way loses nothing."""
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
            HP_PLACE: [button(keep_place, CB_KEEP_PLACE, exact=True), MessageHandler(typed, typed_answer("place", PLACE_LIMIT, HP_PLACE, after_place)), hint],
            HP_AGENDA: [button(no_agenda, CB_NO_AGENDA, exact=True), MessageHandler(typed, typed_answer("agenda", AGENDA_LIMIT, HP_AGENDA, review)), hint],
            HP_CONFIRM: [button(confirm, CB_CONFIRM, exact=True), button(confirm_cancel, CB_CANCEL_YES, exact=True),
                         hint],
        },
        fallbacks=[CommandHandler(["huy", "cancel"], stop), button(stop, CB_STOP, exact=True)],
        allow_reentry=True,
    )
