"""The visit report conversation (/baocao, /report).

Six steps, each one screen with buttons: cell, date, what was disseminated, issues raised
(settled or escalated), photos and location, review. Confirm stores the report once.
The draft lives in the user's persisted data and the conversation state is persisted
after every update, so a restart of the bot in the middle loses nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.callbacks import CB_START_FOR_CELL
from domain.clock import parse_stamp, utc_stamp
from bot.context import BotContext
from domain.dates import DateError, format_date, parse_date
from bot.drafts import (
    MAX_PHOTOS,
    DraftIssue,
    DraftPhoto,
    VisitDraft,
    drop_visit_draft,
    load_visit_draft,
    new_token,
    restore_stashed_visit_draft,
    save_visit_draft,
    stash_visit_draft,
)
from domain.ids import parse_id
from domain.quarters import Quarter
from bot.screens import Option, Screen, paged
from domain.textinput import matches
from bot.texts import t
from handlers import cell_search, escalations, notices
from handlers.common import answer_button, deny, home_unit, show
from handlers.conversation import persistent_conversation
from handlers.flow import button as _button
from handlers.flow import callback_tail as _tail
from handlers.flow import callback_tail_int as _tail_int
from handlers.flow import Steps, draft_step, incoming_photo, one_flow_at_a_time
from handlers.flow import read_text as _read_text
from handlers.mine import CB_EDIT_REPORT, report_to_change
from scheduler import live
from storage import places, reports, roster, scope, topics
from storage.records import Cadre
from storage.reports import AttachmentInput, IssueInput, VisitReportInput

CONVERSATION_NAME = "visit"
IDLE_TIMEOUT = timedelta(hours=2)
NOTES_LIMIT = 1000
ISSUE_LIMIT = 500
OLDEST_DAYS = 366

# Conversation states.
CELL = "visit.cell"
COMMUNE = "visit.commune"
VILLAGE_CELL = "visit.village_cell"
DATE = "visit.date"
DATE_TYPED = "visit.date_typed"
TOPICS = "visit.topics"
TOPIC_TYPED = "visit.topic_typed"
ISSUES = "visit.issues"
ISSUE_TEXT = "visit.issue_text"
ISSUE_KIND = "visit.issue_kind"
MEDIA = "visit.media"
REVIEW = "visit.review"
RESUME = "visit.resume"
PICK_CADRE = "visit.pick_cadre"
END = ConversationHandler.END

# Callback data (Telegram allows 64 bytes).
CB_CELL = "v:c:"  # + cell id
CB_OTHER_CELL = "v:oc"
CB_COMMUNES = "v:cp:"  # + page
CB_COMMUNE = "v:cm:"  # + commune id
CB_VILLAGE_PAGE = "v:vp:"  # + commune id + ":" + page
CB_BACK_TO_CELLS = "v:bc"
CB_TODAY = "v:today"
CB_YESTERDAY = "v:yday"
CB_OTHER_DATE = "v:od"
CB_BACK_TO_DATE = "v:bd"
CB_DAY = "v:day:"  # + ISO date: a day picked from the last week
PICKER_DAYS = range(2, 8)  # today and yesterday have their own buttons
CB_TOPIC = "v:t:"  # + topic id: toggles it
CB_TYPE_TOPIC = "v:tt"
CB_TOPICS_DONE = "v:td"
CB_ADD_ISSUE = "v:ia"
CB_DROP_ISSUE = "v:ix"
CB_ISSUES_DONE = "v:in"
CB_SETTLED = "v:is"
CB_ESCALATE = "v:ie"
CB_MEDIA_DONE = "v:md"
CB_EDIT = "v:e:"  # + one of the EDIT_* parts
CB_CONFIRM = "v:ok:"  # + draft token
CB_STOP = "v:stop"
CB_RESUME = "v:r"
CB_RESTART = "v:n"

CB_FOR = "v:for:"  # + cadre id: the cadre a secretary or admin reports for
CB_MY_CELLS = "v:mp:"  # + page of the cadre's own cells

EDIT_CELL, EDIT_DATE, EDIT_TOPICS, EDIT_ISSUES, EDIT_MEDIA = "cell", "date", "topics", "issues", "media"


_alone = one_flow_at_a_time(CONVERSATION_NAME)  # no visit report mid-way through another flow


# --- starting -----------------------------------------------------------------------------


@_alone
async def start(update: Update, context: BotContext) -> object:
    """/baocao: a new draft, or the choice to continue the unfinished one."""
    await answer_button(update)
    cadre = await context.cadre()
    if cadre is None:
        from handlers.start import refuse_unknown

        await refuse_unknown(update, context)
        return END
    draft = load_visit_draft(context.user_data)
    if draft is not None and draft.editing_report_id is not None:  # an edit left half-way
        restore_stashed_visit_draft(context.user_data)
        draft = load_visit_draft(context.user_data)
    if draft is not None and draft.owner_id == cadre.id:
        return await _offer_resume(update, context, draft)
    return await _begin(update, context, cell_id=None)


# --- reporting on someone's behalf (/baocaothay) ----------------------------------------------


@_alone
async def start_on_behalf(update: Update, context: BotContext) -> object:
    """A secretary or an admin files for a cadre who has no smartphone or no signal."""
    if await context.cadre() is None or not await _on_behalf_candidates(context):
        await deny(update, context, "visit.for.not_allowed", action="report_on_behalf")
        return END
    await show(update, context, await _pick_cadre_screen(update, context, query=""))
    return PICK_CADRE


async def _on_behalf_candidates(context: BotContext, query: str = "") -> list[Cadre]:
    """Whom this user may report for: an admin, anyone in scope; a secretary, their cells' cadres."""
    me = await context.cadre()
    if me is None:
        return []
    if await context.is_admin():
        pool = await scope.cadres_in_scope(context.db, await context.admin_scope())
    else:
        pool = await scope.cadres_of_secretary(context.db, me.id, context.clock.now().date())
    return [c for c in pool if c.id != me.id and matches(query, c.full_name, c.code)]


async def _pick_cadre_screen(update: Update, context: BotContext, *, query: str) -> Screen:
    lang = await context.lang(update)
    found = await _on_behalf_candidates(context, query)
    text = t("visit.for.choose", lang) if found else t("visit.for.none", lang, query=query)
    options = [Option(c.full_name, f"{CB_FOR}{c.id}") for c in found[:8]]
    return Screen.of(text, *options, Option(t("btn.cancel", lang), CB_STOP))


async def search_cadre(update: Update, context: BotContext) -> object:
    message = update.effective_message
    query = (message.text or "")[:60] if message else ""
    await show(update, context, await _pick_cadre_screen(update, context, query=query))
    return PICK_CADRE


async def pick_cadre(update: Update, context: BotContext) -> object:
    await answer_button(update)
    me = await context.cadre()
    cadre_id = _tail_int(update, CB_FOR)
    allowed = {c.id for c in await _on_behalf_candidates(context)}
    if me is None or cadre_id not in allowed:
        await deny(update, context, "visit.for.not_allowed", action="report_on_behalf")
        return END
    now = utc_stamp(context.clock.now())
    draft = VisitDraft(
        token=new_token(), cadre_id=cadre_id, filed_by_id=me.id, started_at=now, touched_at=now
    )
    return await _steps.go(update, context, draft, CELL)


async def _behalf_line(context: BotContext, draft: VisitDraft, lang: str) -> str:
    if draft.filed_by_id is None:
        return ""
    cadre = await roster.get_cadre(context.db, draft.cadre_id)
    return t("visit.for.header", lang, name=cadre.full_name if cadre else "?")


@_alone
async def start_edit(update: Update, context: BotContext) -> object:
    """✏ Sửa from /cuatoi: the stored report becomes a draft, shown at the review."""
    await answer_button(update)
    report = await report_to_change(update, context, CB_EDIT_REPORT)
    if report is None:
        return END
    now = utc_stamp(context.clock.now())
    kept_issues = [i for i in report.issues if not (i.escalated and i.status in ("acknowledged", "answered"))]
    draft = VisitDraft(
        token=new_token(),
        cadre_id=report.cadre_id,
        started_at=now,
        touched_at=now,
        cell_id=report.cell_id,
        meeting_date=report.meeting_date.isoformat(),
        notes=report.disseminated,
        issues=[DraftIssue(i.description, i.escalated) for i in kept_issues],
        photos=[DraftPhoto(a.file_id, a.file_unique_id) for a in await reports.attachments_of_visit(context.db, report.id)],
        latitude=report.latitude,
        longitude=report.longitude,
        editing_report_id=report.id,
        reviewing=True,
    )
    stash_visit_draft(context.user_data)
    return await _steps.go(update, context, draft, REVIEW)


@_alone
async def start_for_cell(update: Update, context: BotContext) -> object:
    """The button of a reminder: a new report with its cell already chosen."""
    if await context.cadre() is None:  # an old reminder on a phone unlinked since
        from handlers.start import refuse_unknown_button

        await refuse_unknown_button(update, context)
        return END
    await answer_button(update)
    cell_id = _tail_int(update, CB_START_FOR_CELL)
    return await _begin(update, context, cell_id=cell_id)


async def _begin(update: Update, context: BotContext, *, cell_id: int | None) -> object:
    cadre = await context.cadre()
    assert cadre is not None
    now = utc_stamp(context.clock.now())
    draft = VisitDraft(token=new_token(), cadre_id=cadre.id, started_at=now, touched_at=now)
    if cell_id is not None and await roster.get_cell(context.db, cell_id) is not None:
        draft.cell_id = cell_id
        return await _steps.go(update, context, draft, DATE)
    return await _steps.go(update, context, draft, CELL)


async def _offer_resume(update: Update, context: BotContext, draft: VisitDraft) -> object:
    lang = await context.lang(update)
    started = parse_stamp(draft.started_at).astimezone(context.clock.tz).date()
    what = t("visit.resume_what", lang, day=format_date(started))
    if draft.cell_id is not None:
        place = await places.cell_place(context.db, draft.cell_id)
        if place is not None:
            what = f"{place.cell.name}, {what}"
    screen = Screen.of(
        t("visit.resume", lang, what=what),
        Option(t("visit.btn.resume", lang), CB_RESUME),
        Option(t("visit.btn.restart", lang), CB_RESTART),
    )
    await show(update, context, screen, edit=True)
    return RESUME


async def resume(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = load_visit_draft(context.user_data)
    if draft is None:
        return await _begin(update, context, cell_id=None)
    return await _steps.go(update, context, draft, _first_missing_step(draft))


async def restart(update: Update, context: BotContext) -> object:
    await answer_button(update)
    drop_visit_draft(context.user_data)
    return await _begin(update, context, cell_id=None)


def _first_missing_step(draft: VisitDraft) -> str:
    if draft.cell_id is None:
        return CELL
    if draft.meeting_date is None:
        return DATE
    if not draft.topic_ids and not draft.notes:
        return TOPICS
    return REVIEW if draft.reviewing else ISSUES


# --- moving between steps -------------------------------------------------------------------






# Loads the draft for a step; typed input after a long pause ends the conversation
# (the draft is kept) instead of answering a question the cadre no longer sees.
_with_draft = draft_step(load_visit_draft, timed_out="visit.timed_out", idle_timeout=IDLE_TIMEOUT)


# --- step 1: the cell ---------------------------------------------------------------------


async def _cell_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    today = context.clock.now().date()
    quarter = Quarter.of(today)
    assigned = await roster.assignments_of_cadre(context.db, draft.cadre_id, today)
    cell_ids = list(dict.fromkeys(a.cell_id for a in assigned))
    found = await places.cell_places(context.db, cell_ids)
    done = await reports.visited_cell_ids(context.db, draft.cadre_id, quarter.key)
    behalf = await _behalf_line(context, draft, lang)
    text = t("visit.choose_cell", lang, quarter=quarter.label(lang), behalf=behalf)
    if not cell_ids:
        text += "\n" + t("visit.no_assigned_cells", lang)
    text += "\n" + t("cellsearch.hint", lang)
    # Those still due first: a member of a merged commune may have two dozen cells.
    options = [
        Option(("✅ " if cid in done else "") + found[cid].label, f"{CB_CELL}{cid}")
        for cid in sorted(cell_ids, key=lambda cid: cid in done)
        if cid in found
    ]
    page = _tail_int(update, CB_MY_CELLS) or 0
    rows = paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{CB_MY_CELLS}{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{CB_MY_CELLS}{page + 1}"),
    )
    return Screen.of(
        text,
        *rows,
        Option(t("visit.btn.other_cell", lang), f"{CB_COMMUNES}0"),
        Option(t("btn.cancel", lang), CB_STOP),
    )


@_with_draft
async def choose_cell(update: Update, context: BotContext, draft: VisitDraft) -> object:
    cell_id = _tail_int(update, CB_CELL)
    if cell_id is None or await roster.get_cell(context.db, cell_id) is None:
        await show(update, context, Screen(t("visit.cell_not_found", await context.lang(update))))
        return await _steps.go(update, context, draft, CELL)
    draft.cell_id = cell_id
    return await _steps.after(update, context, draft, DATE)


@_with_draft
async def back_to_cells(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, CELL)


@_with_draft
async def search_cells(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A typed name, or a page of its matches (handlers/cell_search.py); the step stays."""
    query = update.callback_query
    if query is not None:
        page, text = cell_search.parse_page(query.data)
    else:
        message = update.effective_message
        page, text = 0, (message.text or "") if message else ""
    lang, today = await context.lang(update), context.clock.now().date()
    mine = [a.cell_id for a in await roster.assignments_of_cadre(context.db, draft.cadre_id, today)]
    done = await reports.visited_cell_ids(context.db, draft.cadre_id, Quarter.of(today).key)
    screen = await cell_search.screen(
        context.db, lang, text, page, mine=mine, done=done, cell_button=lambda cid: f"{CB_CELL}{cid}",
        back=Option(t("btn.back", lang), CB_BACK_TO_CELLS),
    )
    draft.touched_at = utc_stamp(context.clock.now())
    save_visit_draft(context.user_data, draft)
    await show(update, context, screen, edit=query is not None)
    return CELL


async def _commune_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    page = _tail_int(update, CB_COMMUNES) or 0
    communes = await places.communes(context.db, first=await home_unit(context))
    if len(communes) == 1:  # a commune's committee: straight to its cells
        return await _village_cell_screen(update, context, draft, communes[0].id)
    options = [Option(u.name, f"{CB_COMMUNE}{u.id}") for u in communes]
    rows = paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{CB_COMMUNES}{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{CB_COMMUNES}{page + 1}"),
    )
    return Screen.of(
        t("visit.choose_commune", lang), *rows, Option(t("btn.back", lang), CB_BACK_TO_CELLS)
    )


@_with_draft
async def list_communes(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, COMMUNE)


async def _village_cell_screen(
    update: Update, context: BotContext, draft: VisitDraft, only_commune: int | None = None
) -> Screen:
    lang = await context.lang(update)
    data = update.callback_query.data if update.callback_query else ""
    if only_commune is not None:
        commune_id, page = only_commune, 0
    elif data and data.startswith(CB_VILLAGE_PAGE):
        commune_text, _, page_text = data[len(CB_VILLAGE_PAGE) :].partition(":")
        commune_id, page = parse_id(commune_text) or 0, parse_id(page_text) or 0
    else:
        commune_id, page = _tail_int(update, CB_COMMUNE) or 0, 0
    commune = await roster.get_unit(context.db, commune_id)
    name = commune.name if commune else "?"
    cells = await places.cells_in_commune(context.db, commune_id)
    mine = {a.cell_id for a in await roster.assignments_of_cadre(context.db, draft.cadre_id, context.clock.now().date())}
    cells.sort(key=lambda c: c.id not in mine)  # the cadre's own first (a stable sort)
    options = [Option(c.name, f"{CB_CELL}{c.id}") for c in cells]
    rows = paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{CB_VILLAGE_PAGE}{commune_id}:{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{CB_VILLAGE_PAGE}{commune_id}:{page + 1}"),
    )
    key = "visit.choose_village_cell" if cells else "visit.no_cells_here"
    single = only_commune is not None or len(await places.communes(context.db)) == 1
    back = CB_BACK_TO_CELLS if single else f"{CB_COMMUNES}0"  # no list of one commune to go back to
    return Screen.of(t(key, lang, commune=name), *rows, Option(t("btn.back", lang), back))


@_with_draft
async def list_village_cells(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, VILLAGE_CELL)


# --- step 2: the date ---------------------------------------------------------------------


async def _date_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    today = context.clock.now().date()
    place = await places.cell_place(context.db, draft.cell_id or 0)
    cell = place.label if place else "?"
    short = "%d/%m"
    return Screen.of(
        t("visit.choose_date", lang, cell=cell),
        [
            Option(t("visit.btn.today", lang, day=today.strftime(short)), CB_TODAY),
            Option(t("visit.btn.yesterday", lang, day=(today - timedelta(days=1)).strftime(short)), CB_YESTERDAY),
        ],
        Option(t("visit.btn.other_date", lang), CB_OTHER_DATE),
        Option(t("btn.back", lang), CB_BACK_TO_CELLS),
    )


@_with_draft
async def choose_quick_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    today = context.clock.now().date()
    yesterday = update.callback_query is not None and update.callback_query.data == CB_YESTERDAY
    return await _set_date(update, context, draft, today - timedelta(days=1) if yesterday else today)


@_with_draft
async def ask_typed_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, DATE_TYPED)


async def _typed_date_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Type a date, or pick one of the last week's days (meetings are usually recent)."""
    lang = await context.lang(update)
    today = context.clock.now().date()
    days = [today - timedelta(days=n) for n in PICKER_DAYS]
    picks = [Option(_day_label(day, lang), f"{CB_DAY}{day.isoformat()}") for day in days]
    return Screen.of(
        t("visit.type_date", lang), picks[:3], picks[3:], Option(t("btn.back", lang), CB_BACK_TO_DATE)
    )


def _day_label(day: date, lang: str) -> str:
    return f"{t(f'weekday.{day.weekday()}', lang)} {day:%d/%m}"


@_with_draft
async def picked_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    try:
        day = date.fromisoformat(_tail(update, CB_DAY))
    except ValueError:
        return await _steps.go(update, context, draft, DATE_TYPED)
    return await _set_date(update, context, draft, day)


@_with_draft
async def back_to_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, DATE)


@_with_draft
async def typed_date(update: Update, context: BotContext, draft: VisitDraft) -> object:
    lang = await context.lang(update)
    text = (update.effective_message.text or "") if update.effective_message else ""
    today = context.clock.now().date()
    try:
        day = parse_date(text, today)
    except DateError as error:
        await show(update, context, Screen(t(error.reason, lang, text=text[:40])))
        return DATE_TYPED
    return await _set_date(update, context, draft, day)


async def _set_date(update: Update, context: BotContext, draft: VisitDraft, day: date) -> object:
    lang = await context.lang(update)
    today = context.clock.now().date()
    if day > today:
        await show(update, context, Screen(t("date.future", lang, day=format_date(day))))
        return DATE_TYPED
    if (today - day).days > OLDEST_DAYS:
        await show(update, context, Screen(t("date.too_old", lang, day=format_date(day))))
        return DATE_TYPED
    draft.meeting_date = day.isoformat()
    quarter = Quarter.of(day)
    if quarter < Quarter.of(today):
        note = t("visit.late_note", lang, day=format_date(day), quarter=quarter.label(lang))
        await show(update, context, Screen(note))
    return await _steps.after(update, context, draft, TOPICS)


# --- step 3: what was disseminated ----------------------------------------------------------


async def _topics_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    quarter = Quarter.of(draft.date or context.clock.now().date())
    available = await topics.topics_of(context.db, quarter.key)
    chosen_titles = await topics.titles(context.db, draft.topic_ids)
    items = [f"• {title}" for title in chosen_titles] + ([f"• {draft.notes}"] if draft.notes else [])
    chosen = t("visit.chosen", lang, items="\n".join(items)) if items else ""
    key = "visit.choose_topics" if available else "visit.no_topics"
    options = [
        Option(("☑ " if topic.id in draft.topic_ids else "☐ ") + topic.title[:60], f"{CB_TOPIC}{topic.id}")
        for topic in available
    ]
    return Screen.of(
        t(key, lang, chosen=chosen),
        *options,
        Option(t("visit.btn.type_topic", lang), CB_TYPE_TOPIC),
        Option(t("btn.next", lang), CB_TOPICS_DONE),
    )


@_with_draft
async def toggle_topic(update: Update, context: BotContext, draft: VisitDraft) -> object:
    topic_id = _tail_int(update, CB_TOPIC)
    if topic_id is not None:
        if topic_id in draft.topic_ids:
            draft.topic_ids.remove(topic_id)
        else:
            draft.topic_ids.append(topic_id)
    return await _steps.go(update, context, draft, TOPICS)


@_with_draft
async def ask_typed_topic(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, TOPIC_TYPED)


async def _typed_topic_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    return Screen(t("visit.type_topic", lang, limit=NOTES_LIMIT))


@_with_draft
async def typed_topic(update: Update, context: BotContext, draft: VisitDraft) -> object:
    text = await _read_text(update, context, NOTES_LIMIT)
    if text is None:
        return TOPIC_TYPED
    draft.notes = text
    return await _steps.go(update, context, draft, TOPICS)


@_with_draft
async def topics_done(update: Update, context: BotContext, draft: VisitDraft) -> object:
    if not draft.topic_ids and not draft.notes:
        await show(update, context, Screen(t("visit.topics_needed", await context.lang(update))))
        return await _steps.go(update, context, draft, TOPICS)
    return await _steps.after(update, context, draft, ISSUES)


# --- step 4: issues raised ----------------------------------------------------------------


def _issue_lines(draft: VisitDraft, lang: str) -> str:
    return "\n".join(
        f"{n}. {issue.description} — {t('issue.escalated' if issue.escalate else 'issue.settled', lang)}"
        for n, issue in enumerate(draft.issues, start=1)
    )


async def _issues_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    listing = "\n\n" + _issue_lines(draft, lang) if draft.issues else t("visit.issues_none", lang)
    done = t("btn.next", lang) if draft.issues else t("visit.btn.no_issues", lang)
    drop = [Option(t("visit.btn.drop_issue", lang), CB_DROP_ISSUE)] if draft.issues else []
    return Screen.of(
        t("visit.issues", lang, listing=listing),
        Option(t("visit.btn.add_issue", lang), CB_ADD_ISSUE),
        *drop,
        Option(done, CB_ISSUES_DONE),
    )


@_with_draft
async def ask_issue(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.go(update, context, draft, ISSUE_TEXT)


async def _issue_text_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    return Screen(t("visit.type_issue", await context.lang(update), limit=ISSUE_LIMIT))


@_with_draft
async def typed_issue(update: Update, context: BotContext, draft: VisitDraft) -> object:
    text = await _read_text(update, context, ISSUE_LIMIT)
    if text is None:
        return ISSUE_TEXT
    draft.pending_issue = text
    return await _steps.go(update, context, draft, ISSUE_KIND)


async def _issue_kind_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    return Screen.of(
        t("visit.issue_kind", lang, issue=draft.pending_issue or ""),
        Option(t("visit.btn.settled", lang), CB_SETTLED),
        Option(t("visit.btn.escalate", lang), CB_ESCALATE),
    )


@_with_draft
async def issue_kind(update: Update, context: BotContext, draft: VisitDraft) -> object:
    if draft.pending_issue is None:
        return await _steps.go(update, context, draft, ISSUES)
    escalate = update.callback_query is not None and update.callback_query.data == CB_ESCALATE
    draft.issues.append(DraftIssue(draft.pending_issue, escalate))
    draft.pending_issue = None
    return await _steps.go(update, context, draft, ISSUES)


@_with_draft
async def drop_issue(update: Update, context: BotContext, draft: VisitDraft) -> object:
    if draft.issues:
        draft.issues.pop()
    return await _steps.go(update, context, draft, ISSUES)


@_with_draft
async def issues_done(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await _steps.after(update, context, draft, MEDIA)


# --- step 5: photos and location ------------------------------------------------------------


async def _media_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    received = ""
    if draft.photos or draft.latitude is not None:
        location = t("visit.media_location", lang) if draft.latitude is not None else ""
        received = t("visit.media_received", lang, photos=len(draft.photos), location=location)
    done = t("btn.next", lang) if received else t("btn.skip", lang)
    return Screen.of(t("visit.media", lang, received=received), Option(done, CB_MEDIA_DONE))


@_with_draft
async def received_photo(update: Update, context: BotContext, draft: VisitDraft) -> object:
    message = update.effective_message
    if message is None:
        return MEDIA
    if len(draft.photos) >= MAX_PHOTOS:
        await show(update, context, Screen(t("visit.too_many_photos", await context.lang(update), limit=MAX_PHOTOS)))
        return MEDIA
    photo = incoming_photo(message)
    if photo is not None:
        draft.photos.append(photo)
    return await _steps.go(update, context, draft, MEDIA)


@_with_draft
async def received_location(update: Update, context: BotContext, draft: VisitDraft) -> object:
    message = update.effective_message
    if message is not None and message.location is not None:
        draft.latitude = message.location.latitude
        draft.longitude = message.location.longitude
    return await _steps.go(update, context, draft, MEDIA)


@_with_draft
async def media_done(update: Update, context: BotContext, draft: VisitDraft) -> object:
    draft.reviewing = True
    return await _steps.go(update, context, draft, REVIEW)


# --- step 6: review and confirm -------------------------------------------------------------


async def summary_text(context: BotContext, draft: VisitDraft, lang: str) -> str:
    """The report as the cadre will see it in the review (and in their receipt)."""
    day = draft.date or context.clock.now().date()
    quarter = Quarter.of(day)
    place = await places.cell_place(context.db, draft.cell_id or 0)
    titles = await topics.titles(context.db, draft.topic_ids)
    items = [f"• {x}" for x in titles] + ([f"• {draft.notes}"] if draft.notes else [])
    late = t("visit.late_mark", lang) if quarter < Quarter.of(context.clock.now().date()) else ""
    none = t("visit.none", lang)
    return t(
        "visit.summary",
        lang,
        cell=place.label if place else "?",
        day=format_date(day),
        quarter=quarter.label(lang),
        late=late,
        topics="\n".join(items) or none,
        issues=("\n" + _issue_lines(draft, lang)) if draft.issues else " " + none,
        photos=len(draft.photos),
        location=t("visit.yes", lang) if draft.latitude is not None else none,
    )


async def _review_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    return Screen.of(
        t(
            "visit.review",
            lang,
            behalf=await _behalf_line(context, draft, lang),
            summary=await summary_text(context, draft, lang),
        ),
        [
            Option(t("visit.btn.edit_cell", lang), CB_EDIT + EDIT_CELL),
            Option(t("visit.btn.edit_date", lang), CB_EDIT + EDIT_DATE),
        ],
        [
            Option(t("visit.btn.edit_topics", lang), CB_EDIT + EDIT_TOPICS),
            Option(t("visit.btn.edit_issues", lang), CB_EDIT + EDIT_ISSUES),
        ],
        Option(t("visit.btn.edit_media", lang), CB_EDIT + EDIT_MEDIA),
        Option(t("visit.btn.confirm", lang), CB_CONFIRM + draft.token),
        Option(t("btn.cancel", lang), CB_STOP),
    )


_EDIT_TARGETS = {EDIT_CELL: CELL, EDIT_DATE: DATE, EDIT_TOPICS: TOPICS, EDIT_ISSUES: ISSUES, EDIT_MEDIA: MEDIA}


@_with_draft
async def edit_part(update: Update, context: BotContext, draft: VisitDraft) -> object:
    target = _EDIT_TARGETS.get(_tail(update, CB_EDIT), REVIEW)
    return await _steps.go(update, context, draft, target)


async def confirm(update: Update, context: BotContext) -> object:
    """Stores the report. A second tap, or a tap on an old review, stores nothing again."""
    await answer_button(update)
    lang = await context.lang(update)
    token = _tail(update, CB_CONFIRM)
    draft = load_visit_draft(context.user_data)
    if draft is None or draft.token != token:
        await _answer_stale_confirm(update, context, token, lang)
        return END
    cadre = await context.cadre()
    editing_as_admin = draft.editing_report_id is not None and await context.is_admin()
    allowed = cadre is not None and (cadre.id == draft.owner_id or editing_as_admin)
    if cadre is None or not allowed or draft.cell_id is None or draft.date is None:
        await show(update, context, Screen(t("button.expired", lang)))
        return END
    disseminated = await _disseminated(context, draft)
    report = _report_input(draft, filed_by=cadre.id, today=context.clock.now().date(), disseminated=disseminated)
    now = utc_stamp(context.clock.now())
    if draft.editing_report_id is not None:
        await reports.update_visit(context.db, draft.editing_report_id, report, actor_id=cadre.id, now=now)
        report_id, created = draft.editing_report_id, True
        text = t("visit.updated", lang, number=report_id)
    else:
        submission = await reports.submit_visit(context.db, report, now=now)
        report_id, created = submission.report_id, submission.created
        text = await _receipt(context, draft, report_id, lang) if created else t(
            "visit.already_saved", lang, number=report_id
        )
    restore_stashed_visit_draft(context.user_data)
    await show(update, context, Screen(text), edit=True)
    if created:
        await escalations.post_new_escalations(context, report_id)
        await live.report_changed(context, draft.cell_id)
    if created and draft.filed_by_id is not None and draft.editing_report_id is None:
        await _tell_cadre_filed_for_them(context, draft, report_id, filer=cadre.full_name)
    return END


async def _tell_cadre_filed_for_them(context: BotContext, draft: VisitDraft, report_id: int, *, filer: str) -> None:
    place = await places.cell_place(context.db, draft.cell_id or 0)
    await notices.notify(
        context,
        draft.cadre_id,
        "visit.for.notice",
        filer=filer,
        cell=place.label if place else "?",
        day=format_date(draft.date or context.clock.now().date()),
        number=report_id,
    )


async def _answer_stale_confirm(update: Update, context: BotContext, token: str, lang: str) -> None:
    stored = await reports.visit_by_token(context.db, token) if token else None
    cadre = await context.cadre()
    if stored is not None and cadre is not None and stored.cadre_id == cadre.id:
        await show(update, context, Screen(t("visit.already_saved", lang, number=stored.id)))
    else:
        await show(update, context, Screen(t("button.expired", lang)))


async def _disseminated(context: BotContext, draft: VisitDraft) -> str:
    """The topics and the typed notes, one per line, as the report stores them."""
    lines = await topics.titles(context.db, draft.topic_ids)
    return "\n".join([*lines, draft.notes] if draft.notes else lines)


def _report_input(
    draft: VisitDraft, *, filed_by: int, today: date, disseminated: str
) -> VisitReportInput:
    assert draft.cell_id is not None and draft.date is not None
    quarter = Quarter.of(draft.date)
    return VisitReportInput(
        token=draft.token,
        cadre_id=draft.cadre_id,
        filed_by_id=filed_by,
        cell_id=draft.cell_id,
        meeting_date=draft.date,
        quarter=quarter.key,
        late=quarter < Quarter.of(today),
        disseminated=disseminated,
        issues=tuple(IssueInput(i.description, i.escalate) for i in draft.issues),
        attachments=tuple(AttachmentInput("photo", p.file_id, p.file_unique_id) for p in draft.photos),
        latitude=draft.latitude,
        longitude=draft.longitude,
    )


async def _receipt(context: BotContext, draft: VisitDraft, report_id: int, lang: str) -> str:
    place = await places.cell_place(context.db, draft.cell_id or 0)
    escalated = sum(1 for issue in draft.issues if issue.escalate)
    return t(
        "visit.receipt",
        lang,
        number=report_id,
        cell=place.label if place else "?",
        day=format_date(draft.date or context.clock.now().date()),
        escalated=t("visit.receipt_escalated", lang, count=escalated) if escalated else "",
    )


# --- leaving, and input that fits no step ---------------------------------------------------


async def stop(update: Update, context: BotContext) -> object:
    """/huy or the Stop button: ends the conversation, keeps the draft."""
    await answer_button(update)
    await show(update, context, Screen(t("visit.stopped", await context.lang(update))), edit=True)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    """Input that fits no step (a sticker, a voice note...): a hint; the state stays."""
    await show(update, context, Screen(t("visit.use_buttons", await context.lang(update))))


async def type_text(update: Update, context: BotContext) -> None:
    await show(update, context, Screen(t("visit.type_expected", await context.lang(update))))


async def send_photos(update: Update, context: BotContext) -> None:
    await show(update, context, Screen(t("visit.media_expected", await context.lang(update))))


async def other_command(update: Update, context: BotContext) -> None:
    await show(update, context, Screen(t("visit.other_command", await context.lang(update))))


_SCREENS: dict[str, Callable[[Update, BotContext, VisitDraft], Awaitable[Screen]]] = {
    CELL: _cell_screen,
    COMMUNE: _commune_screen,
    VILLAGE_CELL: _village_cell_screen,
    DATE: _date_screen,
    DATE_TYPED: _typed_date_screen,
    TOPICS: _topics_screen,
    TOPIC_TYPED: _typed_topic_screen,
    ISSUES: _issues_screen,
    ISSUE_TEXT: _issue_text_screen,
    ISSUE_KIND: _issue_kind_screen,
    MEDIA: _media_screen,
    REVIEW: _review_screen,
}
_steps = Steps(save_visit_draft, _SCREENS, REVIEW)


TYPED = filters.TEXT & ~filters.COMMAND


def conversation() -> ConversationHandler:
    """The visit report conversation, persistent across restarts."""
    cells = [
        _button(choose_cell, CB_CELL),
        _button(list_communes, CB_COMMUNES),
        _button(list_village_cells, CB_COMMUNE),
        _button(list_village_cells, CB_VILLAGE_PAGE),
        _button(back_to_cells, CB_BACK_TO_CELLS, exact=True),
        _button(back_to_cells, CB_MY_CELLS),
        _button(search_cells, cell_search.CB_SEARCH_PAGE),
        MessageHandler(TYPED, search_cells),
    ]
    review_edits = [_button(edit_part, CB_EDIT), _button(confirm, CB_CONFIRM)]
    states: dict[object, list[BaseHandler]] = {
        RESUME: [_button(resume, CB_RESUME, exact=True), _button(restart, CB_RESTART, exact=True)],
        PICK_CADRE: [_button(pick_cadre, CB_FOR), MessageHandler(TYPED, search_cadre)],
        CELL: cells,
        COMMUNE: cells,
        VILLAGE_CELL: cells,
        DATE: [
            _button(choose_quick_date, CB_TODAY, exact=True),
            _button(choose_quick_date, CB_YESTERDAY, exact=True),
            _button(ask_typed_date, CB_OTHER_DATE, exact=True),
            _button(back_to_cells, CB_BACK_TO_CELLS, exact=True),
            MessageHandler(TYPED, typed_date),
        ],
        DATE_TYPED: [
            MessageHandler(TYPED, typed_date),
            _button(picked_date, CB_DAY),
            _button(back_to_date, CB_BACK_TO_DATE, exact=True),
        ],
        TOPICS: [
            _button(toggle_topic, CB_TOPIC),
            _button(ask_typed_topic, CB_TYPE_TOPIC, exact=True),
            _button(topics_done, CB_TOPICS_DONE, exact=True),
            MessageHandler(TYPED, typed_topic),
        ],
        TOPIC_TYPED: [MessageHandler(TYPED, typed_topic)],
        ISSUES: [
            _button(ask_issue, CB_ADD_ISSUE, exact=True),
            _button(drop_issue, CB_DROP_ISSUE, exact=True),
            _button(issues_done, CB_ISSUES_DONE, exact=True),
            MessageHandler(TYPED, typed_issue),
        ],
        ISSUE_TEXT: [MessageHandler(TYPED, typed_issue)],
        ISSUE_KIND: [
            _button(issue_kind, CB_SETTLED, exact=True),
            _button(issue_kind, CB_ESCALATE, exact=True),
        ],
        MEDIA: [
            MessageHandler(filters.PHOTO | filters.Document.IMAGE, received_photo),
            MessageHandler(filters.LOCATION, received_location),
            _button(media_done, CB_MEDIA_DONE, exact=True),
        ],
        REVIEW: review_edits,
    }
    # Any step accepts a confirm of the current review (a slow network can deliver it late)
    # and the review's edit buttons; everything else unexpected gets a hint.
    hints = {DATE_TYPED: type_text, TOPIC_TYPED: type_text, ISSUE_TEXT: type_text, MEDIA: send_photos}
    for state, handlers in states.items():
        if state != REVIEW:
            handlers.append(_button(confirm, CB_CONFIRM))
        handlers.append(MessageHandler(~filters.COMMAND, hints.get(state, use_buttons)))
    return persistent_conversation(
        CONVERSATION_NAME,
        entry_points=[
            CommandHandler(["baocao", "report"], start),
            CommandHandler(["baocaothay", "reportfor"], start_on_behalf),
            _button(start_for_cell, CB_START_FOR_CELL),
            _button(start_edit, CB_EDIT_REPORT),
            # A confirm that arrives after the conversation ended (a double tap, an old
            # review): answered "already saved" or "expired", never stored again.
            _button(confirm, CB_CONFIRM),
        ],
        states=states,
        fallbacks=[
            CommandHandler(["huy", "cancel"], stop),
            _button(stop, CB_STOP, exact=True),
            MessageHandler(filters.COMMAND, other_command),
        ],
        allow_reentry=True,
    )
