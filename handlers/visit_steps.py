"""Steps 3 to 5 of the visit report: what was disseminated, issues, attachments (step 2,
the date, is handlers/visit_date.py; its states are added here)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import BotContext
from bot.drafts import DraftIssue, VisitDraft
from bot.screens import Option, Screen
from bot.texts import t
from domain.quarters import Quarter
from handlers import visit_date
from handlers.common import show
from handlers.flow import ATTACHMENTS, TYPED, button, callback_tail, callback_tail_int
from handlers.visit_states import (
    CB_ADD_ISSUE,
    CB_DROP_ISSUE,
    CB_ESCALATE,
    CB_ISSUES_DONE,
    CB_MEDIA_DONE,
    CB_SETTLED,
    CB_TOPIC,
    CB_TOPICS_DONE,
    CB_TYPE_TOPIC,
    DATE,
    ISSUE_KIND,
    ISSUE_LIMIT,
    ISSUE_TEXT,
    ISSUES,
    MEDIA,
    NOTES_LIMIT,
    TOPIC_TYPED,
    TOPICS,
    flow,
)
from handlers.visit_date import date_label  # noqa: F401 - re-exported: the review and visit_states use it
from storage import places, topics

# --- step 3: what was disseminated ----------------------------------------------------------


async def valid_topic_ids(context: BotContext, draft: VisitDraft) -> list[int]:
    """The chosen topics that are topics of the meeting's quarter (a forged or since
    removed id is not one)."""
    quarter = Quarter.of(draft.date or context.clock.now().date())
    available = {topic.id for topic in await topics.topics_of(context.db, quarter.key)}
    return [topic_id for topic_id in draft.topic_ids if topic_id in available]


@flow.screen(TOPICS, back=DATE)
async def topics_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Step 3: the quarter's topics discussed (several may be ticked), or one typed."""
    lang = await context.lang(update)
    day = draft.date or context.clock.now().date()
    available = await topics.topics_of(context.db, Quarter.of(day).key)
    chosen_titles = await topics.titles(context.db, draft.topic_ids)
    items = [f"• {title}" for title in chosen_titles] + ([f"• {draft.notes}"] if draft.notes else [])
    chosen = t("visit.chosen", lang, items="\n".join(items)) if items else ""
    place = await places.cell_place(context.db, draft.cell_id or 0)
    where = t("visit.where", lang, cell=place.label if place else "?", day=date_label(day, lang))
    key = "visit.choose_topics" if available else "visit.no_topics"
    options = [
        Option(("☑ " if topic.id in draft.topic_ids else "☐ ") + topic.title[:60], f"{CB_TOPIC}{topic.id}")
        for topic in available
    ]
    return Screen.of(
        where + t(key, lang, chosen=chosen),
        *options,
        Option(t("visit.btn.type_topic", lang), CB_TYPE_TOPIC),
        Option(t("btn.next", lang), CB_TOPICS_DONE),
    )


@flow.step
async def toggle_topic(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """Ticks or unticks a topic."""
    topic_id = callback_tail_int(update, CB_TOPIC)
    if topic_id in draft.topic_ids:
        draft.topic_ids.remove(topic_id)
    elif topic_id is not None:
        draft.topic_ids.append(topic_id)
        draft.topic_ids = await valid_topic_ids(context, draft)
    return await flow.go(update, context, draft, TOPICS)


@flow.step
async def ask_typed_topic(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """To the typed topic."""
    return await flow.go(update, context, draft, TOPIC_TYPED)


@flow.screen(TOPIC_TYPED, back=TOPICS, sub=True, hint="type_expected")
async def typed_topic_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Asks for the topic in the cadre's words."""
    return Screen(t("visit.type_topic", await context.lang(update), limit=NOTES_LIMIT))


@flow.step
async def typed_topic(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """The typed topic, kept as the notes."""
    return await flow.take_text(update, context, draft, limit=NOTES_LIMIT, into="notes", then=TOPICS)


async def topics_missing(update: Update, context: BotContext, draft: VisitDraft) -> bool:
    """Whether nothing valid was disseminated; then the cadre is told and sent to step 3."""
    draft.topic_ids = await valid_topic_ids(context, draft)
    if draft.topic_ids or draft.notes:
        return False
    await show(update, context, Screen(t("visit.topics_needed", await context.lang(update))))
    return True


@flow.step
async def topics_done(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """On to the issues once a topic is chosen or typed."""
    if await topics_missing(update, context, draft):
        return await flow.go(update, context, draft, TOPICS)
    return await flow.after(update, context, draft, ISSUES)


# --- step 4: issues raised ----------------------------------------------------------------


def issue_lines(draft: VisitDraft, lang: str) -> str:
    """Bullets, not numbers: on Zalo the screen's choices are the numbered lines, and a
    listed "1." above the choice "1." would make typing 1 ambiguous."""
    return "\n".join(
        f"• {issue.description} — {t('issue.escalated' if issue.escalate else 'issue.settled', lang)}"
        for issue in draft.issues
    )


@flow.screen(ISSUES, back=TOPICS)
async def issues_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Step 4: the issues raised at the meeting, each settled on the spot or escalated."""
    lang = await context.lang(update)
    listing = "\n\n" + issue_lines(draft, lang) if draft.issues else t("visit.issues_none", lang)
    done = t("btn.next", lang) if draft.issues else t("visit.btn.no_issues", lang)
    drop = [Option(t("visit.btn.drop_issue", lang), CB_DROP_ISSUE)] if draft.issues else []
    return Screen.of(
        t("visit.issues", lang, listing=listing),
        Option(t("visit.btn.add_issue", lang), CB_ADD_ISSUE),
        *drop,
        Option(done, CB_ISSUES_DONE),
    )


@flow.step
async def ask_issue(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """To a new issue's text."""
    return await flow.go(update, context, draft, ISSUE_TEXT)


@flow.screen(ISSUE_TEXT, back=ISSUES, sub=True, hint="type_expected")
async def issue_text_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Asks for the issue's text."""
    return Screen(t("visit.type_issue", await context.lang(update), limit=ISSUE_LIMIT))


@flow.step
async def typed_issue(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """The issue's text, then whether it was settled."""
    return await flow.take_text(update, context, draft, limit=ISSUE_LIMIT, into="pending_issue", then=ISSUE_KIND)


@flow.screen(ISSUE_KIND, back=ISSUES, sub=True)
async def issue_kind_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Settled on the spot, or escalated to the Standing Committee?"""
    lang = await context.lang(update)
    return Screen.of(
        t("visit.issue_kind", lang, issue=draft.pending_issue or ""),
        Option(t("visit.btn.settled", lang), CB_SETTLED),
        Option(t("visit.btn.escalate", lang), CB_ESCALATE),
    )


@flow.step
async def issue_kind(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """Adds the pending issue, settled or escalated."""
    if draft.pending_issue is not None:
        draft.issues.append(DraftIssue(draft.pending_issue, callback_tail(update, "") == CB_ESCALATE))
        draft.pending_issue = None
    return await flow.go(update, context, draft, ISSUES)


@flow.step
async def drop_issue(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """Drops the last issue added."""
    if draft.issues:
        draft.issues.pop()
    return await flow.go(update, context, draft, ISSUES)


@flow.step
async def issues_done(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """On to photos and location."""
    return await flow.after(update, context, draft, MEDIA)


# --- step 5: photos, files and location -----------------------------------------------------


def _media_button(draft: VisitDraft, lang: str) -> str:
    """«Tiếp» once something was sent, else «Bỏ qua»: the screen and its hint name the same one."""
    return t("btn.next", lang) if draft.photos or draft.latitude is not None else t("btn.skip", lang)


@flow.screen(MEDIA, back=ISSUES)
async def media_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Step 5: photos, documents and the location, all optional."""
    lang = await context.lang(update)
    received = ""
    if draft.photos or draft.latitude is not None:
        location = t("visit.media_location", lang) if draft.latitude is not None else ""
        received = t("visit.media_received", lang, photos=len(draft.photos), location=location)
    return Screen.of(t("visit.media", lang, received=received), Option(_media_button(draft, lang), CB_MEDIA_DONE))


@flow.step
async def media_hint(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """Text on the media step: says which button goes on."""
    lang = await context.lang(update)
    label = _media_button(draft, lang).rstrip(" ➡")
    await show(update, context, Screen(t("visit.media_expected", lang, button=label)))
    return None


flow.hints[MEDIA] = media_hint


@flow.step
async def received_attachment(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A photo or document, added to the draft."""
    return await flow.take_attachment(update, context, draft, then=MEDIA)


@flow.step
async def received_location(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A shared location, kept with the report."""
    message = update.effective_message
    if message is not None and message.location is not None:
        draft.latitude = message.location.latitude
        draft.longitude = message.location.longitude
    return await flow.go(update, context, draft, MEDIA)


@flow.step
async def media_done(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """To the review."""
    return await flow.to_review(update, context, draft)


def states() -> dict[object, list[BaseHandler]]:
    """The handlers of steps 2 to 5, by state."""
    return {
        **visit_date.states(),
        TOPICS: [
            button(toggle_topic, CB_TOPIC),
            button(ask_typed_topic, CB_TYPE_TOPIC, exact=True),
            button(topics_done, CB_TOPICS_DONE, exact=True),
            MessageHandler(TYPED, typed_topic),
        ],
        TOPIC_TYPED: [MessageHandler(TYPED, typed_topic)],
        ISSUES: [
            button(ask_issue, CB_ADD_ISSUE, exact=True),
            button(drop_issue, CB_DROP_ISSUE, exact=True),
            button(issues_done, CB_ISSUES_DONE, exact=True),
            MessageHandler(TYPED, typed_issue),
        ],
        ISSUE_TEXT: [MessageHandler(TYPED, typed_issue)],
        ISSUE_KIND: [button(issue_kind, CB_SETTLED, exact=True), button(issue_kind, CB_ESCALATE, exact=True)],
        MEDIA: [
            MessageHandler(ATTACHMENTS, received_attachment),
            MessageHandler(filters.LOCATION, received_location),
            button(media_done, CB_MEDIA_DONE, exact=True),
        ],
    }

