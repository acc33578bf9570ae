"""The visit report conversation (/baocao, /report).

Six steps, each one screen with buttons: cell (handlers/visit_cells.py), date, what was
disseminated, issues raised (settled or escalated), photos, files and location
(handlers/visit_steps.py), review. Confirm stores the report once. The draft lives in
the user's persisted data and the conversation state is persisted after every update,
so a restart of the bot in the middle loses nothing. Resuming, stopping, going back,
hints and stale buttons are the skeleton's (handlers/flow.py).
"""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.drafts import (
    DraftIssue,
    DraftPhoto,
    VisitDraft,
    load_visit_draft,
    new_token,
    restore_stashed_visit_draft,
    stash_visit_draft,
)
from bot.screens import Option, Screen
from bot.texts import t
from domain.callbacks import CB_START_FOR_CELL, parse_start_for_cell
from domain.clock import utc_stamp
from domain.quarters import Quarter
from domain.textinput import matches
from handlers import escalations, notices, visit_cells, visit_steps
from handlers.drafts_elsewhere import tell_of_drafts_elsewhere
from handlers.common import answer_button, deny, show
from handlers.flow import TYPED, answer_expired, button, callback_tail, callback_tail_int
from handlers.one_flow import one_flow_at_a_time
from handlers.mine import CB_EDIT_REPORT, can_change, report_to_change
from handlers.visit_states import (  # noqa: F401 - ISSUE_LIMIT and NOTES_LIMIT are read by tests
    CB_BACK_TO_CELLS,
    CB_BACK_TO_DATE,
    CB_EDIT,
    CB_FOR,
    CELL,
    CONVERSATION_NAME,
    DATE,
    EDIT_CELL,
    EDIT_DATE,
    EDIT_ISSUES,
    EDIT_MEDIA,
    EDIT_TOPICS,
    ISSUE_LIMIT,
    ISSUES,
    MEDIA,
    NOTES_LIMIT,
    PICK_CADRE,
    REVIEW,
    TOPICS,
    behalf_line,
    first_missing_step,
    flow,
)
from scheduler import live
from storage import places, reports, roster, scope, topics
from storage.records import Cadre
from storage.reports import AttachmentInput, IssueInput, VisitReportInput

END = ConversationHandler.END
CB_CONFIRM = flow.cb_confirm
CB_STOP = flow.cb_stop
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
        return await flow.offer_resume(update, context, draft)
    return await begin(update, context)


async def begin(update: Update, context: BotContext, *, cell_id: int | None = None, day: date | None = None) -> object:
    """A new draft; a reminder (or a meeting) may give its cell and date already."""
    cadre = await context.cadre()
    assert cadre is not None
    now = utc_stamp(context.clock.now())
    draft = VisitDraft(token=new_token(), cadre_id=cadre.id, started_at=now, touched_at=now)
    await tell_of_drafts_elsewhere(update, context, cadre.id)  # a draft stays on its messenger
    if cell_id is None or await roster.get_cell(context.db, cell_id) is None:
        return await flow.go(update, context, draft, CELL)
    draft.cell_id = cell_id
    if day is None or day > context.clock.now().date():
        return await flow.go(update, context, draft, DATE)
    draft.meeting_date = day.isoformat()
    return await flow.go(update, context, draft, TOPICS)


flow.begin = begin


@_alone
async def start_for_cell(update: Update, context: BotContext) -> object:
    """The button of a reminder: a new report with its cell already chosen."""
    if await context.cadre() is None:  # an old reminder on a phone unlinked since
        from handlers.start import refuse_unknown_button

        await refuse_unknown_button(update, context)
        return END
    await answer_button(update)
    cell_id, day = parse_start_for_cell(callback_tail(update, CB_START_FOR_CELL))  # a meeting's: and its day
    return await begin(update, context, cell_id=cell_id, day=date.fromisoformat(day) if day else None)


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
    me = await context.cadre()
    cadre_id = callback_tail_int(update, CB_FOR)
    allowed = {c.id for c in await _on_behalf_candidates(context)}
    if me is None or cadre_id not in allowed:
        await deny(update, context, "visit.for.not_allowed", action="report_on_behalf")
        return END
    await answer_button(update)
    now = utc_stamp(context.clock.now())
    draft = VisitDraft(token=new_token(), cadre_id=cadre_id, filed_by_id=me.id, started_at=now, touched_at=now)
    return await flow.go(update, context, draft, CELL)


# --- changing a stored report (✏ Sửa from /cuatoi) -------------------------------------------


@_alone
async def start_edit(update: Update, context: BotContext) -> object:
    """The stored report becomes a draft, shown at the review."""
    await answer_button(update)
    report = await report_to_change(update, context, CB_EDIT_REPORT)
    if report is None:
        return END
    now = utc_stamp(context.clock.now())
    kept_issues = [i for i in report.issues if not (i.escalated and i.status in ("acknowledged", "answered"))]
    attachments = await reports.attachments_of_visit(context.db, report.id)
    draft = VisitDraft(
        token=new_token(),
        cadre_id=report.cadre_id,
        started_at=now,
        touched_at=now,
        cell_id=report.cell_id,
        meeting_date=report.meeting_date.isoformat(),
        notes=report.disseminated,
        issues=[DraftIssue(i.description, i.escalated) for i in kept_issues],
        photos=[DraftPhoto(a.file_id, a.file_unique_id, a.kind) for a in attachments],
        latitude=report.latitude,
        longitude=report.longitude,
        editing_report_id=report.id,
        reviewing=True,
    )
    stash_visit_draft(context.user_data)
    return await flow.go(update, context, draft, REVIEW)


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
        day=visit_steps.date_label(day, lang),
        quarter=quarter.label(lang),
        late=late,
        topics="\n".join(items) or none,
        issues=("\n" + visit_steps.issue_lines(draft, lang)) if draft.issues else " " + none,
        photos=len(draft.photos),
        location=t("visit.yes", lang) if draft.latitude is not None else none,
    )


@flow.screen(REVIEW, back=MEDIA)
async def review_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    summary = await summary_text(context, draft, lang)
    return Screen.of(
        t("visit.review", lang, behalf=await behalf_line(context, draft, lang), summary=summary),
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


@flow.step
async def edit_part(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await flow.go(update, context, draft, _EDIT_TARGETS.get(callback_tail(update, CB_EDIT), REVIEW))


async def confirm(update: Update, context: BotContext) -> object:
    """Stores the report. A second tap, or a tap on an old review, stores nothing again.

    What the cadre chose is checked again here, not only when it was chosen: topics
    (an id may be forged, or the topic removed since) and, for an edit, the 48 hours.
    """
    token = callback_tail(update, CB_CONFIRM)
    draft = load_visit_draft(context.user_data)
    if draft is None or draft.token != token:
        stored = await reports.visit_by_token(context.db, token) if token else None
        return await flow.stale_confirm(update, context, (stored.id, stored.cadre_id) if stored else None)
    cadre = await context.cadre()
    editing_as_admin = draft.editing_report_id is not None and await context.is_admin()
    if cadre is None or not (cadre.id == draft.owner_id or editing_as_admin):
        await answer_expired(update, context)
        return END
    await answer_button(update)
    if draft.cell_id is None or draft.date is None:  # a draft a restart left half-written
        return await flow.go(update, context, draft, first_missing_step(draft))
    lang = await context.lang(update)
    if draft.editing_report_id is not None and not editing_as_admin and not await _still_changeable(context, draft):
        restore_stashed_visit_draft(context.user_data)
        return await flow.finish(update, context, t("mine.window_passed", lang, number=draft.editing_report_id))
    if await visit_steps.topics_missing(update, context, draft):
        return await flow.go(update, context, draft, TOPICS)
    return await _store(update, context, draft, cadre, lang)


async def _still_changeable(context: BotContext, draft: VisitDraft) -> bool:
    report = await reports.get_visit(context.db, draft.editing_report_id or 0)
    return report is not None and can_change(context, report)


async def _store(update: Update, context: BotContext, draft: VisitDraft, cadre: Cadre, lang: str) -> object:
    disseminated = "\n".join([*await topics.titles(context.db, draft.topic_ids), *([draft.notes] if draft.notes else [])])
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
    # The draft goes only once the receipt is shown (see flow.receipt); an edit's brings
    # back the new report it had put aside.
    await flow.receipt(update, context, text, let_go=restore_stashed_visit_draft)
    if created:
        await escalations.post_new_escalations(context, report_id)
        await live.report_changed(context, draft.cell_id or 0)
    if created and draft.filed_by_id is not None and draft.editing_report_id is None:
        await _tell_cadre_filed_for_them(context, draft, report_id, filer=cadre.full_name)
    return END


async def _tell_cadre_filed_for_them(context: BotContext, draft: VisitDraft, report_id: int, *, filer: str) -> None:
    place = await places.cell_place(context.db, draft.cell_id or 0)
    day = draft.date or context.clock.now().date()
    await notices.notify(
        context, draft.cadre_id, "visit.for.notice", filer=filer, cell=place.label if place else "?",
        day=day.strftime("%d/%m/%Y"), number=report_id,
    )  # fmt: skip


def _report_input(draft: VisitDraft, *, filed_by: int, today: date, disseminated: str) -> VisitReportInput:
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
        attachments=tuple(AttachmentInput(p.kind, p.file_id, p.file_unique_id) for p in draft.photos),
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
        day=(draft.date or context.clock.now().date()).strftime("%d/%m/%Y"),
        escalated=t("visit.receipt_escalated", lang, count=escalated) if escalated else "",
    )


def conversation() -> ConversationHandler:
    """The visit report conversation, persistent across restarts."""
    states: dict[object, list[BaseHandler]] = {
        PICK_CADRE: [button(pick_cadre, CB_FOR), MessageHandler(TYPED, search_cadre)],
        **{state: visit_cells.handlers() for state in visit_cells.STATES},
        **visit_steps.states(),
        REVIEW: [button(edit_part, CB_EDIT), button(confirm, CB_CONFIRM)],
    }
    return flow.conversation(
        commands=["baocao", "report"],
        start=start,
        confirm=confirm,
        entry_points=[
            CommandHandler(["baocaothay", "reportfor"], start_on_behalf),
            button(start_for_cell, CB_START_FOR_CELL),
            button(start_edit, CB_EDIT_REPORT),
        ],
        states=states,
        old_back_data=[CB_BACK_TO_CELLS, CB_BACK_TO_DATE],
    )
