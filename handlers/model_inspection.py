"""Who may record a model's inspection in /mohinh, the reminder's «🔍 Kiểm tra ngay», and
what a confirmed inspection's recommendation files.

An inspection is recorded by an admin whose scope holds the model, or by the model's
assigned inspector (storage/inspections.py); anyone else asking is refused and the
refusal audited. A recommendation to replicate or to commend files a proposal to the
Standing Committee (storage/proposals.py, engineer commend's), keyed by the draft's
token, so a double-tapped confirm files it once.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.drafts import ModelDraft, new_token
from bot.texts import t
from domain.callbacks import CB_INSPECT_MODEL
from domain.clock import utc_stamp
from handlers.common import answer_button, deny, say
from handlers.flow import END, callback_tail_int
from handlers.one_flow import one_flow_at_a_time
from handlers.model_states import ASSESSMENT, CONVERSATION_NAME, flow
from storage import inspections, model_updates, proposals
from storage.model_updates import ModelUpdateInput
from storage.proposals import ProposalRefused

# Recommendations that become a proposal to the Standing Committee.
PROPOSED = {"replicate": proposals.REPLICATE, "commend": proposals.COMMEND}


async def may_inspect(context: BotContext, model_id: int | None) -> bool:
    """An admin within scope (any model, when none is chosen yet), or the model's inspector
    (any inspector, when none is chosen yet)."""
    cadre = await context.cadre()
    if cadre is None:
        return False
    if await context.is_admin():
        return model_id is None or await proposals.model_in_scope(context.db, model_id, await context.admin_scope())
    if model_id is None:
        return await inspections.inspects_any(context.db, cadre.id)
    return await inspections.is_inspector(context.db, model_id, cadre.id)


async def refuse(update: Update, context: BotContext) -> None:
    await deny(update, context, "insp.not_inspector", action="model_inspection")


@one_flow_at_a_time(CONVERSATION_NAME)
async def start_from_reminder(update: Update, context: BotContext) -> object:
    """«🔍 Kiểm tra ngay»: a new inspection draft with the model chosen."""
    if await context.cadre() is None:  # an old reminder on a phone unlinked since
        from handlers.start import refuse_unknown_button

        await refuse_unknown_button(update, context)
        return END
    model_id = callback_tail_int(update, CB_INSPECT_MODEL)
    model = await model_updates.get_running_model(context.db, model_id or 0)
    if model is None or model.status not in inspections.OPEN_STATUSES:
        await answer_button(update)
        await say(update, context, "model.not_available")
        return END
    if not await may_inspect(context, model.id):
        await refuse(update, context)
        return END
    await answer_button(update)
    cadre = await context.cadre()
    assert cadre is not None
    now = utc_stamp(context.clock.now())
    draft = ModelDraft(token=new_token(), cadre_id=cadre.id, started_at=now, touched_at=now)
    draft.asks_kind, draft.kind, draft.model_id = True, "inspection", model.id
    return await flow.go(update, context, draft, ASSESSMENT)


async def file_recommendation(
    update: Update, context: BotContext, stored: ModelUpdateInput, update_id: int, lang: str
) -> str:
    """Files the proposal an inspection recommends (replicate, commend); the line the
    receipt adds about it ('' when there is none)."""
    kind = PROPOSED.get(stored.proposal)
    if stored.kind != "inspection" or kind is None:
        return ""
    target = None
    if kind == proposals.REPLICATE:
        target = await inspections.place_named(context.db, stored.proposal_places)
        if target is None:
            return t("insp.replicate_unresolved", lang, places=stored.proposal_places)
    user = update.effective_user
    try:
        proposal = await proposals.file_proposal(
            context.db, token=f"{stored.token}:proposal", kind=kind, model_id=stored.model_id,
            proposed_by=stored.cadre_id, now=context.clock.now(), target_unit_id=target,
            source_update_id=update_id, detail=stored.notes, telegram_id=user.id if user else None,
        )
    except ProposalRefused:
        return t("insp.proposal_refused", lang)
    from handlers.proposals import post_new_proposals

    await post_new_proposals(context)
    return t("insp.proposal_filed", lang, kind=t(f"insp.proposal_kind.{kind}", lang), number=proposal.id)
