"""The visit report's states, callback data and its place in the flow skeleton.

Shared by the modules of its steps (visit_cells, visit_steps) and the conversation
(visit), so that none of them imports another for a name.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import BotContext
from bot.drafts import VisitDraft, drop_visit_draft, load_visit_draft, save_visit_draft
from bot.texts import t
from handlers.flow import DraftFlow
from storage import places, reports, roster

CONVERSATION_NAME = "visit"
IDLE_TIMEOUT = timedelta(hours=2)
NOTES_LIMIT = 1000
ISSUE_LIMIT = 500
OLDEST_DAYS = 366

# Conversation states (persisted: the names stay as they are).
CELL = "visit.cell"
COMMUNE = "visit.commune"
VILLAGE_CELL = "visit.village_cell"
DATE = "visit.date"
DATE_TYPED = "visit.date_typed"
DATE_CONFIRM = "visit.date_confirm"
TOPICS = "visit.topics"
TOPIC_TYPED = "visit.topic_typed"
ISSUES = "visit.issues"
ISSUE_TEXT = "visit.issue_text"
ISSUE_KIND = "visit.issue_kind"
MEDIA = "visit.media"
REVIEW = "visit.review"
PICK_CADRE = "visit.pick_cadre"

# Callback data (Telegram allows 64 bytes). Resume, restart, stop, back and confirm are
# the skeleton's: v:r, v:n, v:stop, v:bk, v:ok:<token>.
CB_CELL = "v:c:"  # + cell id
CB_COMMUNES = "v:cp:"  # + page
CB_COMMUNE = "v:cm:"  # + commune id
CB_VILLAGE_PAGE = "v:vp:"  # + commune id + ":" + page
CB_BACK_TO_CELLS = "v:bc"  # the back button of screens sent before «⬅ Quay lại» was the skeleton's
CB_TODAY = "v:today"
CB_YESTERDAY = "v:yday"
CB_OTHER_DATE = "v:od"
CB_BACK_TO_DATE = "v:bd"  # as CB_BACK_TO_CELLS
CB_DAY = "v:day:"  # + ISO date: a day picked from the last week
CB_DATE_OK = "v:dok"  # a date of an earlier quarter, confirmed
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
CB_FOR = "v:for:"  # + cadre id: the cadre a secretary or admin reports for

EDIT_CELL, EDIT_DATE, EDIT_TOPICS, EDIT_ISSUES, EDIT_MEDIA = "cell", "date", "topics", "issues", "media"


def first_missing_step(draft: VisitDraft) -> str:
    """Where a draft saved without its step continues: the first part not filled in."""
    if draft.cell_id is None:
        return CELL
    if draft.meeting_date is None:
        return DATE
    if not draft.topic_ids and not draft.notes:
        return TOPICS
    return REVIEW if draft.reviewing else ISSUES


async def describe(context: BotContext, draft: VisitDraft, what: str) -> str:
    """The resume offer's words for a draft: its cell, when it was started."""
    place = await places.cell_place(context.db, draft.cell_id or 0) if draft.cell_id else None
    return f"{place.cell.name}, {what}" if place is not None else what


async def filled(context: BotContext, draft: VisitDraft, lang: str) -> str:
    """What the draft holds so far, shown above the step a cadre resumes at."""
    from handlers.visit_steps import date_label

    place = await places.cell_place(context.db, draft.cell_id or 0) if draft.cell_id else None
    parts = [place.label if place else "", date_label(draft.date, lang) if draft.date else ""]
    parts += [draft.notes] if draft.notes else []
    parts += [t("visit.filled_issues", lang, count=len(draft.issues))] if draft.issues else []
    shown = [p for p in parts if p]
    return t("flow.filled", lang, items="\n".join(f"• {p}" for p in shown)) if shown else ""


async def stored_as(context: BotContext, draft: VisitDraft) -> int | None:
    """The report this draft was stored as (by its token): a receipt a restart took away."""
    report = await reports.visit_by_token(context.db, draft.token)
    return report.id if report is not None else None


async def behalf_line(context: BotContext, draft: VisitDraft, lang: str) -> str:
    if draft.filed_by_id is None:
        return ""
    cadre = await roster.get_cadre(context.db, draft.cadre_id)
    return t("visit.for.header", lang, name=cadre.full_name if cadre else "?")


flow: DraftFlow[VisitDraft] = DraftFlow(
    name=CONVERSATION_NAME,
    texts="visit",
    data="v",
    load=load_visit_draft,
    save=save_visit_draft,
    drop=drop_visit_draft,
    review=REVIEW,
    idle_timeout=IDLE_TIMEOUT,
    first_missing=first_missing_step,
    complete=frozenset({ISSUES, REVIEW}),
    describe=describe,
    filled=filled,
    stored_as=stored_as,
)
