"""The model update's states, callback data and its place in the flow skeleton.

Shared by the modules of its steps (model_pick, model_steps) and the conversation
(models), so that none of them imports another for a name.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import BotContext
from bot.drafts import ModelDraft, drop_model_draft, load_model_draft, save_model_draft
from bot.texts import t
from handlers.flow import DraftFlow
from storage import model_updates

CONVERSATION_NAME = "model_update"
IDLE_TIMEOUT = timedelta(hours=2)
NOTES_LIMIT = 1000
PLACES_LIMIT = 300
SEARCH_LIMIT = 100
LABEL_LIMIT = 60

# Conversation states (persisted: the names stay as they are).
KIND = "model.kind"
MODEL = "model.model"
SEARCH = "model.search"
FOUND = "model.found"
COMMUNE = "model.commune"
COMMUNE_MODELS = "model.commune_models"
ASSESSMENT = "model.assessment"
NOTES = "model.notes"
PROPOSAL = "model.proposal"
PLACES = "model.places"
PHOTOS = "model.photos"
REVIEW = "model.review"

# Callback data (Telegram allows 64 bytes). Resume, restart, stop, back and confirm are
# the skeleton's: m:r, m:n, m:stop, m:bk, m:ok:<token>.
CB_KIND = "m:k:"  # + 'update' | 'inspection'
CB_MODEL = "m:m:"  # + model id
CB_MINE_PAGE = "m:mp:"  # + page
CB_SEARCH = "m:s"
CB_FOUND_PAGE = "m:sp:"  # + page
CB_COMMUNES = "m:cp:"  # + page
CB_COMMUNE = "m:cm:"  # + commune id + ":" + page
CB_BACK_TO_MODELS = "m:bm"  # the back buttons of screens sent before «⬅ Quay lại» was the skeleton's
CB_ASSESS = "m:a:"  # + one of ASSESSMENTS
CB_NOTES_DONE = "m:nd"
CB_PROPOSE = "m:p:"  # + one of PROPOSALS
CB_PLACES_KEPT = "m:pk"
CB_BACK_TO_PROPOSAL = "m:bp"  # as CB_BACK_TO_MODELS
CB_CLEAR_PHOTOS = "m:px"
CB_PHOTOS_DONE = "m:pd"
CB_EDIT = "m:e:"  # + one of the EDIT_* parts

EDIT_KIND, EDIT_MODEL, EDIT_ASSESSMENT = "kind", "model", "assessment"
EDIT_NOTES, EDIT_PROPOSAL, EDIT_PHOTOS = "notes", "proposal", "photos"

_STEPS = (MODEL, ASSESSMENT, NOTES, PROPOSAL, PHOTOS, REVIEW)


def numbers(draft: ModelDraft, state: str) -> dict[str, int]:
    """'Step n of total' for a screen: admins have the extra first step of the kind."""
    offset = 1 if draft.asks_kind else 0
    return {"step": _STEPS.index(state) + 1 + offset, "total": len(_STEPS) + offset}


def short(name: str) -> str:
    return name if len(name) <= LABEL_LIMIT else name[: LABEL_LIMIT - 1] + "…"


def first_missing_step(draft: ModelDraft) -> str:
    """Where a draft saved without its step continues: the first part not filled in."""
    if draft.kind is None:
        return KIND
    if draft.model_id is None:
        return MODEL
    if draft.assessment is None:
        return ASSESSMENT
    if draft.notes is None:
        return NOTES
    if draft.proposal is None:
        return PROPOSAL
    if draft.proposal == "replicate" and not draft.proposal_places:
        return PLACES
    return REVIEW if draft.reviewing else PHOTOS


async def model_name(context: BotContext, draft: ModelDraft) -> str:
    model = await model_updates.get_running_model(context.db, draft.model_id or 0)
    return model.name if model else "?"


async def describe(context: BotContext, draft: ModelDraft, what: str) -> str:
    """The resume offer's words for a draft: its model, when it was started."""
    model = await model_updates.get_running_model(context.db, draft.model_id or 0)
    return f"«{short(model.name)}», {what}" if model is not None else what


async def stored_as(context: BotContext, draft: ModelDraft) -> int | None:
    """The update this draft was stored as (by its token): a receipt a restart took away."""
    stored = await model_updates.model_update_by_token(context.db, draft.token)
    return stored.id if stored is not None else None


async def filled(context: BotContext, draft: ModelDraft, lang: str) -> str:
    """What the draft holds so far, shown above the step a cadre resumes at."""
    parts = [short(await model_name(context, draft)) if draft.model_id else ""]
    parts += [t(f"model.assessment.{draft.assessment}", lang)] if draft.assessment else []
    parts += [draft.notes] if draft.notes else []
    parts += [t(f"model.proposal.{draft.proposal}", lang)] if draft.proposal else []
    shown = [p for p in parts if p]
    return t("flow.filled", lang, items="\n".join(f"• {p}" for p in shown)) if shown else ""


flow: DraftFlow[ModelDraft] = DraftFlow(
    name=CONVERSATION_NAME,
    texts="model",
    data="m",
    load=load_model_draft,
    save=save_model_draft,
    drop=drop_model_draft,
    review=REVIEW,
    idle_timeout=IDLE_TIMEOUT,
    first_missing=first_missing_step,
    complete=frozenset({PHOTOS, REVIEW}),
    describe=describe,
    filled=filled,
    stored_as=stored_as,
)
