"""The model update's assessment, progress notes, proposal and photos."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler

from bot.context import BotContext
from bot.drafts import MAX_PHOTOS, ModelDraft
from bot.screens import Option, Screen
from bot.texts import t
from domain.clock import parse_stamp
from domain.dates import format_date
from handlers.common import say
from handlers.flow import ATTACHMENTS, TYPED, button, callback_tail
from handlers.model_states import (
    ASSESSMENT,
    CB_ASSESS,
    CB_CLEAR_PHOTOS,
    CB_NOTES_DONE,
    CB_PHOTOS_DONE,
    CB_PLACES_KEPT,
    CB_PROPOSE,
    MODEL,
    NOTES,
    NOTES_LIMIT,
    PHOTOS,
    PLACES,
    PLACES_LIMIT,
    PROPOSAL,
    flow,
    model_name,
    numbers,
)
from storage import model_updates
from storage.model_updates import ASSESSMENTS, PROPOSALS

# --- assessment -----------------------------------------------------------------------------


@flow.screen(ASSESSMENT, back=MODEL)
async def assessment_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """How the model is doing, with the date of its last update for comparison."""
    lang = await context.lang(update)
    last = ""
    latest = await model_updates.recent_updates(context.db, draft.model_id or 0, limit=1)
    if latest:
        day = parse_stamp(latest[0].submitted_at).astimezone(context.clock.tz).date()
        assessment = t(f"model.assessment.{latest[0].assessment}", lang)
        last = t("model.last_update", lang, day=format_date(day), assessment=assessment)
    model = await model_name(context, draft)
    text = t("model.assess", lang, model=model, last=last, **numbers(draft, ASSESSMENT))
    return Screen.of(
        text, [Option(t(f"model.assessment.{value}", lang), f"{CB_ASSESS}{value}") for value in ASSESSMENTS]
    )


@flow.step
async def choose_assessment(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """An assessment chosen; an unknown value (an old button) shows the step again."""
    value = callback_tail(update, CB_ASSESS)
    if value not in ASSESSMENTS:
        return await flow.go(update, context, draft, ASSESSMENT)
    draft.assessment = value
    return await flow.after(update, context, draft, NOTES)


# --- progress notes -------------------------------------------------------------------------


@flow.screen(NOTES, back=ASSESSMENT, hint="type_expected")
async def notes_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """Optional notes; typed text replaces earlier notes."""
    lang = await context.lang(update)
    current = t("model.notes_current", lang, notes=draft.notes) if draft.notes else ""
    done = t("model.btn.keep", lang) if draft.notes else t("btn.skip", lang)
    return Screen.of(
        t("model.notes", lang, limit=NOTES_LIMIT, current=current, **numbers(draft, NOTES)),
        Option(done, CB_NOTES_DONE),
    )


@flow.step
async def typed_notes(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Typed notes, then the proposal."""
    return await flow.take_text(update, context, draft, limit=NOTES_LIMIT, into="notes", then=PROPOSAL, after=True)


@flow.step
async def notes_done(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """«Bỏ qua» (nothing to note) or «Giữ nguyên» (keep what was typed before)."""
    draft.notes = draft.notes or ""
    return await flow.after(update, context, draft, PROPOSAL)


# --- proposal -----------------------------------------------------------------------------


@flow.screen(PROPOSAL, back=NOTES)
async def proposal_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """What the cadre proposes for the model (commendation only in an inspection)."""
    lang = await context.lang(update)
    return Screen.of(
        t("model.propose", lang, **numbers(draft, PROPOSAL)),
        *[Option(t(f"model.proposal.{value}", lang), f"{CB_PROPOSE}{value}") for value in _proposals(draft)],
    )


def _proposals(draft: ModelDraft) -> tuple[str, ...]:
    """What may be proposed: an inspection may also propose commendation."""
    return PROPOSALS if draft.kind == "inspection" else tuple(p for p in PROPOSALS if p != "commend")


@flow.step
async def choose_proposal(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """A proposal chosen; replicating it asks where."""
    value = callback_tail(update, CB_PROPOSE)
    if value not in _proposals(draft):
        return await flow.go(update, context, draft, PROPOSAL)
    draft.proposal = value
    if value == "replicate":
        return await flow.go(update, context, draft, PLACES)
    draft.proposal_places = ""
    return await flow.after(update, context, draft, PHOTOS)


@flow.screen(PLACES, back=PROPOSAL, sub=True, hint="type_expected")
async def places_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """Where to replicate the model, typed."""
    lang = await context.lang(update)
    current = t("model.places_current", lang, places=draft.proposal_places) if draft.proposal_places else ""
    keep = [Option(t("model.btn.keep", lang), CB_PLACES_KEPT)] if draft.proposal_places else []
    return Screen.of(t("model.type_places", lang, limit=PLACES_LIMIT, current=current), *keep)


@flow.step
async def typed_places(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """The typed places, then the photos."""
    return await flow.take_text(
        update, context, draft, limit=PLACES_LIMIT, into="proposal_places", then=PHOTOS, after=True
    )


@flow.step
async def places_kept(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """The places typed earlier stay."""
    if not draft.proposal_places:
        return await flow.go(update, context, draft, PLACES)
    return await flow.after(update, context, draft, PHOTOS)


# --- photos ---------------------------------------------------------------------------------


def _photos_button(draft: ModelDraft, lang: str) -> str:
    """«Tiếp» once a photo came, else «Bỏ qua»: the screen and its hint name the same one."""
    return t("btn.next", lang) if draft.photos else t("btn.skip", lang)


@flow.screen(PHOTOS, back=PROPOSAL)
async def photos_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """Photos or documents, optional."""
    lang = await context.lang(update)
    received = t("model.photos_received", lang, count=len(draft.photos)) if draft.photos else ""
    clear = [Option(t("model.btn.clear_photos", lang), CB_CLEAR_PHOTOS)] if draft.photos else []
    return Screen.of(
        t("model.photos", lang, limit=MAX_PHOTOS, received=received, **numbers(draft, PHOTOS)),
        *clear,
        Option(_photos_button(draft, lang), CB_PHOTOS_DONE),
    )


@flow.step
async def photos_hint(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Text on the photo step: says which button goes on."""
    label = _photos_button(draft, await context.lang(update)).rstrip(" ➡")
    await say(update, context, "model.photos_expected", button=label)
    return None


flow.hints[PHOTOS] = photos_hint


@flow.step
async def received_photo(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """A photo or document, added to the draft."""
    return await flow.take_attachment(update, context, draft, then=PHOTOS)


@flow.step
async def clear_photos(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Drops the photos received so far."""
    draft.photos.clear()
    return await flow.go(update, context, draft, PHOTOS)


@flow.step
async def photos_done(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """To the review."""
    return await flow.to_review(update, context, draft)


def states() -> dict[object, list[BaseHandler]]:
    """The handlers of these steps, by state."""
    return {
        ASSESSMENT: [button(choose_assessment, CB_ASSESS)],
        NOTES: [MessageHandler(TYPED, typed_notes), button(notes_done, CB_NOTES_DONE, exact=True)],
        PROPOSAL: [button(choose_proposal, CB_PROPOSE)],
        PLACES: [
            MessageHandler(TYPED, typed_places),
            button(places_kept, CB_PLACES_KEPT, exact=True),
        ],
        PHOTOS: [
            MessageHandler(ATTACHMENTS, received_photo),
            button(clear_photos, CB_CLEAR_PHOTOS, exact=True),
            button(photos_done, CB_PHOTOS_DONE, exact=True),
        ],
    }
