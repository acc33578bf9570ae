"""Step 2 of the visit report: the date of the cell's meeting.

Today and yesterday are one tap; another day is picked or typed (domain/dates.py reads
it) and echoed with its weekday. A date of an earlier quarter is a late report: it counts
in that quarter, so it waits for a second tap.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler

from bot.context import BotContext
from bot.drafts import VisitDraft
from bot.screens import Option, Screen
from bot.texts import t
from domain.dates import DateError, format_date, parse_past_date
from domain.quarters import Quarter
from handlers.common import show
from handlers.flow import TYPED, button, callback_tail
from handlers.visit_states import (
    CB_DATE_OK,
    CB_DAY,
    CB_OTHER_DATE,
    CB_TODAY,
    CB_YESTERDAY,
    CELL,
    DATE,
    DATE_CONFIRM,
    DATE_TYPED,
    OLDEST_DAYS,
    TOPICS,
    flow,
)
from storage import places

PICKER_DAYS = range(2, 8)  # today and yesterday have their own buttons


def date_label(day: date, lang: str) -> str:
    """'T2 23/11/2026': a date echoed with its weekday, so a slip of the finger shows."""
    return f"{t(f'weekday.{day.weekday()}', lang)} {format_date(day)}"


# --- step 2: the date -------------------------------------------------------------------------


@flow.screen(DATE, back=CELL)
async def date_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Step 2: when the cell's meeting was: today, yesterday or another day."""
    lang = await context.lang(update)
    today = context.clock.now().date()
    place = await places.cell_place(context.db, draft.cell_id or 0)
    short = "%d/%m"
    return Screen.of(
        t("visit.choose_date", lang, cell=place.label if place else "?"),
        [
            Option(t("visit.btn.today", lang, day=today.strftime(short)), CB_TODAY),
            Option(t("visit.btn.yesterday", lang, day=(today - timedelta(days=1)).strftime(short)), CB_YESTERDAY),
        ],
        Option(t("visit.btn.other_date", lang), CB_OTHER_DATE),
    )


@flow.step
async def choose_quick_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """«Hôm nay» or «Hôm qua»."""
    today = context.clock.now().date()
    yesterday = callback_tail(update, "") == CB_YESTERDAY
    return await _set_date(update, context, draft, today - timedelta(days=1) if yesterday else today)


@flow.step
async def ask_typed_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """To the typed date."""
    return await flow.go(update, context, draft, DATE_TYPED)


@flow.screen(DATE_TYPED, back=DATE, sub=True, hint="type_expected")
async def typed_date_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Type a date, or pick one of the last week's days (meetings are usually recent)."""
    lang = await context.lang(update)
    today = context.clock.now().date()
    days = [today - timedelta(days=n) for n in PICKER_DAYS]
    picks = [Option(f"{t(f'weekday.{d.weekday()}', lang)} {d:%d/%m}", f"{CB_DAY}{d.isoformat()}") for d in days]
    return Screen.of(t("visit.type_date", lang), picks[:3], picks[3:])


@flow.step
async def picked_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A day picked from those offered after «another day»."""
    try:
        day = date.fromisoformat(callback_tail(update, CB_DAY))
    except ValueError:
        return await flow.go(update, context, draft, DATE_TYPED)
    return await _set_date(update, context, draft, day)


@flow.step
async def typed_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A typed date, which must not lie ahead; a bad one is answered with why."""
    lang = await context.lang(update)
    text = (update.effective_message.text or "") if update.effective_message else ""
    try:
        day = parse_past_date(text, context.clock.now().date())
    except DateError as error:
        meant = format_date(error.day) if error.day else ""
        await show(update, context, Screen(t(error.reason, lang, text=text[:40], day=meant)))
        return None  # the step stays, its buttons working
    return await _set_date(update, context, draft, day)


async def _set_date(update: Update, context: BotContext, draft: VisitDraft, day: date) -> object:
    """Takes a date of this quarter; one of an earlier quarter (a late report) is shown with
    its weekday and quarter and waits for a tap."""
    lang = await context.lang(update)
    today = context.clock.now().date()
    if day > today:
        await show(update, context, Screen(t("date.future", lang, day=format_date(day))))
        return None
    if (today - day).days > OLDEST_DAYS:
        await show(update, context, Screen(t("date.too_old", lang, day=format_date(day))))
        return None
    if Quarter.of(day) < Quarter.of(today):
        draft.pending_date = day.isoformat()
        return await flow.go(update, context, draft, DATE_CONFIRM)
    draft.meeting_date = day.isoformat()
    return await flow.after(update, context, draft, TOPICS)


@flow.screen(DATE_CONFIRM, back=DATE, sub=True)
async def date_confirm_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """A date of an earlier quarter counts there, not now: asked once more."""
    lang = await context.lang(update)
    day = date.fromisoformat(draft.pending_date) if draft.pending_date else context.clock.now().date()
    text = t("visit.late_confirm", lang, day=date_label(day, lang), quarter=Quarter.of(day).label(lang))
    return Screen.of(text, Option(t("visit.btn.date_ok", lang), CB_DATE_OK))


@flow.step
async def date_confirmed(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """The earlier quarter's date, confirmed."""
    if draft.pending_date is None:
        return await flow.go(update, context, draft, DATE)
    draft.meeting_date, draft.pending_date = draft.pending_date, None
    return await flow.after(update, context, draft, TOPICS)


def states() -> dict[object, list[BaseHandler]]:
    """The handlers of step 2, by state."""
    return {
        DATE: [
            button(choose_quick_date, CB_TODAY, exact=True),
            button(choose_quick_date, CB_YESTERDAY, exact=True),
            button(ask_typed_date, CB_OTHER_DATE, exact=True),
            MessageHandler(TYPED, typed_date),
        ],
        DATE_TYPED: [MessageHandler(TYPED, typed_date), button(picked_date, CB_DAY)],
        DATE_CONFIRM: [button(date_confirmed, CB_DATE_OK, exact=True), MessageHandler(TYPED, typed_date)],
    }
