"""The model update conversation (/mohinh, /model).

A cadre picks a model (those at the places of their cells first, else by name or by
commune; handlers/model_pick.py), assesses it, notes its progress, proposes what to do
with it (maintain, replicate to named places, convert), adds photos if they have any
(handlers/model_steps.py), reviews and sends. An admin first chooses whether this is a
progress update or an inspection (kiểm tra).

Like the visit report, it is a draft flow of handlers/flow.py: the draft lives in the
user's persisted data, the conversation state is persisted after every update, and
Confirm stores the draft once, keyed by its token.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.context import BotContext
from bot.drafts import ModelDraft, load_model_draft, new_token
from bot.screens import Option, Screen
from bot.texts import t
from domain.callbacks import CB_INSPECT_MODEL
from domain.clock import utc_stamp
from domain.quarters import Quarter
from handlers import model_inspection, model_pick, model_steps
from handlers.common import answer_button, is_private, say
from handlers.flow import button, callback_tail
from handlers.one_flow import one_flow_at_a_time
from handlers.model_states import (  # noqa: F401 - the callback data of every step, for tests
    ASSESSMENT,
    CB_BACK_TO_MODELS,
    CB_BACK_TO_PROPOSAL,
    CB_EDIT,
    CONVERSATION_NAME,
    EDIT_ASSESSMENT,
    EDIT_KIND,
    EDIT_MODEL,
    EDIT_NOTES,
    EDIT_PHOTOS,
    EDIT_PROPOSAL,
    KIND,
    MODEL,
    NOTES,
    PHOTOS,
    PROPOSAL,
    REVIEW,
    first_missing_step,
    flow,
    model_name,
    numbers,
)
from storage import model_updates
from storage.model_updates import ModelUpdateInput
from storage.reports import AttachmentInput

END = ConversationHandler.END
CB_CONFIRM = flow.cb_confirm
CB_STOP = flow.cb_stop


@one_flow_at_a_time(CONVERSATION_NAME)
async def start(update: Update, context: BotContext) -> object:
    """/mohinh: a new draft, or the choice to continue the unfinished one."""
    await answer_button(update)
    cadre = await context.cadre()
    if cadre is None:
        from handlers.start import refuse_unknown

        await refuse_unknown(update, context)
        return END
    if not is_private(update):
        await say(update, context, "private_only")
        return None
    draft = load_model_draft(context.user_data)
    if draft is not None and draft.cadre_id == cadre.id:
        return await flow.offer_resume(update, context, draft)
    return await begin(update, context)


async def begin(update: Update, context: BotContext) -> object:
    cadre = await context.cadre()
    assert cadre is not None
    now = utc_stamp(context.clock.now())
    draft = ModelDraft(token=new_token(), cadre_id=cadre.id, started_at=now, touched_at=now)
    if await model_inspection.may_inspect(context, None):  # admins, and assigned inspectors
        draft.asks_kind = True
        return await flow.go(update, context, draft, KIND)
    draft.kind = "update"
    return await flow.go(update, context, draft, MODEL)


flow.begin = begin


# --- review and confirm ---------------------------------------------------------------------


async def summary_text(context: BotContext, draft: ModelDraft, lang: str) -> str:
    """The update as the cadre sees it in the review."""
    none = t("model.none", lang)
    proposal = t(f"model.proposal.{draft.proposal}", lang) if draft.proposal else none
    if draft.proposal == "replicate":
        proposal = t("model.replicate_to", lang, proposal=proposal, places=draft.proposal_places or "?")
    kind = t("model.summary_kind", lang, kind=t(f"model.kind.{draft.kind}", lang)) if draft.asks_kind else ""
    return t(
        "model.summary",
        lang,
        model=await model_name(context, draft),
        kind=kind,
        assessment=t(f"model.assessment.{draft.assessment}", lang) if draft.assessment else none,
        notes=draft.notes or none,
        proposal=proposal,
        photos=len(draft.photos),
        quarter=Quarter.of(context.clock.now().date()).label(lang),
    )


@flow.screen(REVIEW, back=PHOTOS)
async def review_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    first_row = [Option(t("model.btn.edit_model", lang), CB_EDIT + EDIT_MODEL)]
    if draft.asks_kind:
        first_row.insert(0, Option(t("model.btn.edit_kind", lang), CB_EDIT + EDIT_KIND))
    return Screen.of(
        t("model.review", lang, summary=await summary_text(context, draft, lang), **numbers(draft, REVIEW)),
        first_row,
        [
            Option(t("model.btn.edit_assessment", lang), CB_EDIT + EDIT_ASSESSMENT),
            Option(t("model.btn.edit_notes", lang), CB_EDIT + EDIT_NOTES),
        ],
        [
            Option(t("model.btn.edit_proposal", lang), CB_EDIT + EDIT_PROPOSAL),
            Option(t("model.btn.edit_photos", lang), CB_EDIT + EDIT_PHOTOS),
        ],
        Option(t("model.btn.confirm", lang), CB_CONFIRM + draft.token),
        Option(t("btn.cancel", lang), CB_STOP),
    )


_EDIT_TARGETS = {
    EDIT_KIND: KIND,
    EDIT_MODEL: MODEL,
    EDIT_ASSESSMENT: ASSESSMENT,
    EDIT_NOTES: NOTES,
    EDIT_PROPOSAL: PROPOSAL,
    EDIT_PHOTOS: PHOTOS,
}


@flow.step
async def edit_part(update: Update, context: BotContext, draft: ModelDraft) -> object:
    target = _EDIT_TARGETS.get(callback_tail(update, CB_EDIT), REVIEW)
    if target == KIND and not draft.asks_kind:
        target = REVIEW
    return await flow.go(update, context, draft, target)


async def confirm(update: Update, context: BotContext) -> object:
    """Stores the update. A second tap, or a tap on an old review, stores nothing again;
    the draft is checked again here (the model may have been closed since)."""
    token = callback_tail(update, CB_CONFIRM)
    draft = load_model_draft(context.user_data)
    cadre = await context.cadre()
    if draft is None or draft.token != token or cadre is None or cadre.id != draft.cadre_id:
        stored = await model_updates.model_update_by_token(context.db, token) if token else None
        return await flow.stale_confirm(update, context, (stored.id, stored.cadre_id) if stored else None)
    await answer_button(update)
    missing = first_missing_step(draft)
    model = await model_updates.get_running_model(context.db, draft.model_id or 0)
    if missing not in (REVIEW, PHOTOS) or model is None:
        await say(update, context, "model.incomplete" if model else "model.not_available")
        return await flow.go(update, context, draft, MODEL if model is None else missing)
    inspection = draft.kind == "inspection"
    if inspection and not await model_inspection.may_inspect(context, model.id):
        await model_inspection.refuse(update, context)  # the draft is kept: it may be sent as an update
        return None
    now = context.clock.now()
    stored_input = _update_input(draft, inspection=inspection, quarter=Quarter.of(now.date()))
    submission = await model_updates.submit_model_update(context.db, stored_input, now=utc_stamp(now))
    lang = await context.lang(update)
    if submission.created:
        text = _receipt(stored_input, submission.update_id, model.name, lang)
    else:
        text = t("model.already_saved", lang, number=submission.update_id)
    # Filed under the draft's token, so also on a retry whose first try was cut off
    # between the store and here (a kill, a network error): filed once, never lost.
    filed = await model_inspection.file_recommendation(update, context, stored_input, submission.update_id, lang)
    text = f"{text}\n{filed}" if filed else text
    return await flow.receipt(update, context, text)


def _receipt(stored: ModelUpdateInput, number: int, model: str, lang: str) -> str:
    what = t(f"model.receipt.{stored.kind}", lang)
    assessment = t(f"model.assessment.{stored.assessment}", lang)
    return t("model.receipt", lang, what=what, number=number, model=model, assessment=assessment)


def _update_input(draft: ModelDraft, *, inspection: bool, quarter: Quarter) -> ModelUpdateInput:
    assert draft.model_id is not None and draft.assessment is not None and draft.proposal is not None
    return ModelUpdateInput(
        token=draft.token,
        model_id=draft.model_id,
        cadre_id=draft.cadre_id,
        kind="inspection" if inspection else "update",
        assessment=draft.assessment,
        notes=draft.notes or "",
        proposal=draft.proposal,
        proposal_places=draft.proposal_places if draft.proposal == "replicate" else "",
        quarter=quarter.key,
        attachments=tuple(AttachmentInput(p.kind, p.file_id, p.file_unique_id) for p in draft.photos),
    )


def conversation() -> ConversationHandler:
    """The model update conversation, persistent across restarts."""
    steps = model_steps.states()
    states: dict[object, list[BaseHandler]] = {
        KIND: [button(model_pick.choose_kind, model_pick.CB_KIND)],
        **{state: model_pick.handlers() for state in model_pick.STATES},
        **steps,
        REVIEW: [button(edit_part, CB_EDIT), button(confirm, CB_CONFIRM)],
    }
    return flow.conversation(
        commands=["mohinh", "model"], start=start, confirm=confirm, states=states,
        entry_points=[button(model_inspection.start_from_reminder, CB_INSPECT_MODEL)],
        old_back_data=[CB_BACK_TO_MODELS, CB_BACK_TO_PROPOSAL],
    )
