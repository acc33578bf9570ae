"""The model update conversation (/mohinh, /model).

A cadre picks a model (those at the places of their cells first, else by name or by
commune), assesses it, notes its progress, proposes what to do with it (maintain,
replicate to named places, convert), adds photos if they have any, reviews and sends.
An admin first chooses whether this is a progress update or an inspection (kiểm tra).

Like the visit report (handlers/visit.py, whose shared pieces live in handlers/flow.py)
the draft lives in the user's persisted data and the conversation state is persisted
after every update: a restart of the bot in the middle loses nothing, and Confirm stores
the draft once, keyed by its token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from domain.clock import parse_stamp, utc_stamp
from bot.context import BotContext
from domain.dates import format_date
from domain.ids import parse_id
from bot.drafts import MAX_PHOTOS, ModelDraft, drop_model_draft, load_model_draft, new_token, save_model_draft
from domain.quarters import Quarter
from bot.screens import Option, Screen, paged
from bot.texts import t
from handlers.common import answer_button, home_unit, is_private, say, show
from handlers.conversation import persistent_conversation
from handlers.flow import (
    button,
    callback_tail,
    callback_tail_int,
    draft_step,
    incoming_photo,
    Steps,
    one_flow_at_a_time,
    read_text,
)
from storage import model_updates, places, roster
from storage.model_updates import ASSESSMENTS, PROPOSALS, ModelUpdateInput
from storage.records import Model
from storage.reports import AttachmentInput

CONVERSATION_NAME = "model_update"
IDLE_TIMEOUT = timedelta(hours=2)
NOTES_LIMIT = 1000
PLACES_LIMIT = 300
SEARCH_LIMIT = 100
LABEL_LIMIT = 60

# Conversation states.
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
RESUME = "model.resume"
END = ConversationHandler.END

# Callback data (Telegram allows 64 bytes).
CB_KIND = "m:k:"  # + 'update' | 'inspection'
CB_MODEL = "m:m:"  # + model id
CB_MINE_PAGE = "m:mp:"  # + page
CB_SEARCH = "m:s"
CB_FOUND_PAGE = "m:sp:"  # + page
CB_COMMUNES = "m:cp:"  # + page
CB_COMMUNE = "m:cm:"  # + commune id + ":" + page
CB_BACK_TO_MODELS = "m:bm"
CB_ASSESS = "m:a:"  # + one of ASSESSMENTS
CB_NOTES_DONE = "m:nd"
CB_PROPOSE = "m:p:"  # + one of PROPOSALS
CB_PLACES_KEPT = "m:pk"
CB_BACK_TO_PROPOSAL = "m:bp"
CB_CLEAR_PHOTOS = "m:px"
CB_PHOTOS_DONE = "m:pd"
CB_EDIT = "m:e:"  # + one of the EDIT_* parts
CB_CONFIRM = "m:ok:"  # + draft token
CB_STOP = "m:stop"
CB_RESUME = "m:r"
CB_RESTART = "m:n"

EDIT_KIND, EDIT_MODEL, EDIT_ASSESSMENT = "kind", "model", "assessment"
EDIT_NOTES, EDIT_PROPOSAL, EDIT_PHOTOS = "notes", "proposal", "photos"

_with_draft = draft_step(load_model_draft, timed_out="model.timed_out", idle_timeout=IDLE_TIMEOUT)


# --- starting -----------------------------------------------------------------------------


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
        return await _offer_resume(update, context, draft)
    return await _begin(update, context)


async def _begin(update: Update, context: BotContext) -> object:
    cadre = await context.cadre()
    assert cadre is not None
    now = utc_stamp(context.clock.now())
    draft = ModelDraft(token=new_token(), cadre_id=cadre.id, started_at=now, touched_at=now)
    if await context.is_admin():
        draft.asks_kind = True
        return await _steps.go(update, context, draft, KIND)
    draft.kind = "update"
    return await _steps.go(update, context, draft, MODEL)


async def _offer_resume(update: Update, context: BotContext, draft: ModelDraft) -> object:
    lang = await context.lang(update)
    started = parse_stamp(draft.started_at).astimezone(context.clock.tz).date()
    what = t("model.resume_what", lang, day=format_date(started))
    model = await model_updates.get_running_model(context.db, draft.model_id or 0)
    if model is not None:
        what = f"«{_short(model.name)}», {what}"
    screen = Screen.of(
        t("model.resume", lang, what=what),
        Option(t("model.btn.resume", lang), CB_RESUME),
        Option(t("model.btn.restart", lang), CB_RESTART),
    )
    await show(update, context, screen, edit=True)
    return RESUME


async def resume(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = load_model_draft(context.user_data)
    if draft is None:
        return await _begin(update, context)
    return await _steps.go(update, context, draft, _first_missing_step(draft))


async def restart(update: Update, context: BotContext) -> object:
    await answer_button(update)
    drop_model_draft(context.user_data)
    return await _begin(update, context)


def _first_missing_step(draft: ModelDraft) -> str:
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


# --- moving between steps -------------------------------------------------------------------






_STEPS = (MODEL, ASSESSMENT, NOTES, PROPOSAL, PHOTOS, REVIEW)


def _numbers(draft: ModelDraft, state: str) -> dict[str, int]:
    """'Step n of total' for a screen: admins have the extra first step of the kind."""
    offset = 1 if draft.asks_kind else 0
    return {"step": _STEPS.index(state) + 1 + offset, "total": len(_STEPS) + offset}


def _page(update: Update, prefix: str) -> int:
    """The page a paging button asks for; 0 when the screen is reached another way."""
    data = update.callback_query.data if update.callback_query else None
    if not data or not data.startswith(prefix):
        return 0
    return callback_tail_int(update, prefix) or 0


def _short(name: str) -> str:
    return name if len(name) <= LABEL_LIMIT else name[: LABEL_LIMIT - 1] + "…"


def _model_rows(models: list[Model], page: int, page_prefix: str, lang: str) -> list[list[Option]]:
    options = [Option(_short(m.name), f"{CB_MODEL}{m.id}") for m in models]
    return paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{page_prefix}{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{page_prefix}{page + 1}"),
    )


# --- step (admins): an update or an inspection --------------------------------------------


async def _kind_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    quarter = Quarter.of(context.clock.now().date())
    return Screen.of(
        t("model.choose_kind", lang, quarter=quarter.label(lang), total=_numbers(draft, REVIEW)["total"]),
        Option(t("model.kind.update", lang), f"{CB_KIND}update"),
        Option(t("model.kind.inspection", lang), f"{CB_KIND}inspection"),
        Option(t("btn.cancel", lang), CB_STOP),
    )


@_with_draft
async def choose_kind(update: Update, context: BotContext, draft: ModelDraft) -> object:
    wanted = callback_tail(update, CB_KIND)
    draft.kind = "inspection" if wanted == "inspection" and await context.is_admin() else "update"
    return await _steps.after(update, context, draft, MODEL)


# --- step: the model ------------------------------------------------------------------------


async def _my_models(context: BotContext, cadre_id: int) -> list[Model]:
    """The models at the villages of the cells the cadre is assigned to today."""
    assigned = await roster.assignments_of_cadre(context.db, cadre_id, context.clock.now().date())
    cells = await places.cell_places(context.db, list(dict.fromkeys(a.cell_id for a in assigned)))
    unit_ids = list(dict.fromkeys(place.cell.unit_id for place in cells.values()))
    return await model_updates.models_at_places(context.db, unit_ids)


async def _model_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    quarter = Quarter.of(context.clock.now().date())
    title = t(f"model.title.{draft.kind or 'update'}", lang)
    text = t("model.choose", lang, title=title, quarter=quarter.label(lang), **_numbers(draft, MODEL))
    mine = await _my_models(context, draft.cadre_id)
    if not mine:
        text += "\n" + t("model.none_mine", lang)
    return Screen.of(
        text,
        *_model_rows(mine, _page(update, CB_MINE_PAGE), CB_MINE_PAGE, lang),
        [
            Option(t("model.btn.search", lang), CB_SEARCH),
            Option(t("model.btn.by_place", lang), f"{CB_COMMUNES}0"),
        ],
        Option(t("btn.cancel", lang), CB_STOP),
    )


@_with_draft
async def show_models(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Back to the cadre's own models, or another page of them."""
    return await _steps.go(update, context, draft, MODEL)


@_with_draft
async def choose_model(update: Update, context: BotContext, draft: ModelDraft) -> object:
    model_id = callback_tail_int(update, CB_MODEL)
    model = await model_updates.get_running_model(context.db, model_id) if model_id else None
    if model is None:
        await say(update, context, "model.not_available")
        return await _steps.go(update, context, draft, MODEL)
    draft.model_id = model.id
    return await _steps.after(update, context, draft, ASSESSMENT)


async def _search_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    return Screen.of(t("model.type_search", lang), Option(t("btn.back", lang), CB_BACK_TO_MODELS))


@_with_draft
async def ask_search(update: Update, context: BotContext, draft: ModelDraft) -> object:
    return await _steps.go(update, context, draft, SEARCH)


@_with_draft
async def typed_search(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Typed text on any screen of the model choice searches by name."""
    text = await read_text(update, context, SEARCH_LIMIT)
    if text is None:
        return None
    draft.search = text
    return await _steps.go(update, context, draft, FOUND)


async def _found_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    found = await model_updates.search_models(context.db, draft.search)
    back = Option(t("btn.back", lang), CB_BACK_TO_MODELS)
    if not found:
        return Screen.of(
            t("model.not_found", lang, query=draft.search),
            Option(t("model.btn.by_place", lang), f"{CB_COMMUNES}0"),
            back,
        )
    rows = _model_rows(found, _page(update, CB_FOUND_PAGE), CB_FOUND_PAGE, lang)
    return Screen.of(t("model.found", lang, query=draft.search), *rows, back)


@_with_draft
async def turn_found_page(update: Update, context: BotContext, draft: ModelDraft) -> object:
    return await _steps.go(update, context, draft, FOUND)


async def _commune_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    page = _page(update, CB_COMMUNES)
    communes = await places.communes(context.db, first=await home_unit(context))
    options = [Option(u.name, f"{CB_COMMUNE}{u.id}:0") for u in communes]
    rows = paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{CB_COMMUNES}{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{CB_COMMUNES}{page + 1}"),
    )
    return Screen.of(t("model.choose_commune", lang), *rows, Option(t("btn.back", lang), CB_BACK_TO_MODELS))


@_with_draft
async def list_communes(update: Update, context: BotContext, draft: ModelDraft) -> object:
    return await _steps.go(update, context, draft, COMMUNE)


async def _commune_models_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    commune_text, _, page_text = callback_tail(update, CB_COMMUNE).partition(":")
    commune_id = parse_id(commune_text) or 0
    page = parse_id(page_text) or 0
    commune = await roster.get_unit(context.db, commune_id)
    found = await model_updates.models_at_places(context.db, [commune_id])
    rows = _model_rows(found, page, f"{CB_COMMUNE}{commune_id}:", lang)
    key = "model.at_commune" if found else "model.none_at_commune"
    back = Option(t("btn.back", lang), f"{CB_COMMUNES}0")
    return Screen.of(t(key, lang, commune=commune.name if commune else "?"), *rows, back)


@_with_draft
async def list_commune_models(update: Update, context: BotContext, draft: ModelDraft) -> object:
    return await _steps.go(update, context, draft, COMMUNE_MODELS)


# --- step: assessment -----------------------------------------------------------------------


async def _model_name(context: BotContext, draft: ModelDraft) -> str:
    model = await model_updates.get_running_model(context.db, draft.model_id or 0)
    return model.name if model else "?"


async def _assessment_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    last = ""
    latest = await model_updates.recent_updates(context.db, draft.model_id or 0, limit=1)
    if latest:
        day = parse_stamp(latest[0].submitted_at).astimezone(context.clock.tz).date()
        assessment = t(f"model.assessment.{latest[0].assessment}", lang)
        last = t("model.last_update", lang, day=format_date(day), assessment=assessment)
    model = await _model_name(context, draft)
    text = t("model.assess", lang, model=model, last=last, **_numbers(draft, ASSESSMENT))
    return Screen.of(
        text,
        [Option(t(f"model.assessment.{value}", lang), f"{CB_ASSESS}{value}") for value in ASSESSMENTS],
        Option(t("btn.back", lang), CB_BACK_TO_MODELS),
    )


@_with_draft
async def choose_assessment(update: Update, context: BotContext, draft: ModelDraft) -> object:
    value = callback_tail(update, CB_ASSESS)
    if value not in ASSESSMENTS:
        return await _steps.go(update, context, draft, ASSESSMENT)
    draft.assessment = value
    return await _steps.after(update, context, draft, NOTES)


# --- step: progress notes -------------------------------------------------------------------


async def _notes_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    current = t("model.notes_current", lang, notes=draft.notes) if draft.notes else ""
    done = t("model.btn.keep", lang) if draft.notes else t("btn.skip", lang)
    return Screen.of(
        t("model.notes", lang, limit=NOTES_LIMIT, current=current, **_numbers(draft, NOTES)),
        Option(done, CB_NOTES_DONE),
    )


@_with_draft
async def typed_notes(update: Update, context: BotContext, draft: ModelDraft) -> object:
    text = await read_text(update, context, NOTES_LIMIT)
    if text is None:
        return NOTES
    draft.notes = text
    return await _steps.after(update, context, draft, PROPOSAL)


@_with_draft
async def notes_done(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """«Bỏ qua» (nothing to note) or «Giữ nguyên» (keep what was typed before)."""
    draft.notes = draft.notes or ""
    return await _steps.after(update, context, draft, PROPOSAL)


# --- step: proposal -----------------------------------------------------------------------


async def _proposal_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    return Screen.of(
        t("model.propose", lang, **_numbers(draft, PROPOSAL)),
        *[Option(t(f"model.proposal.{value}", lang), f"{CB_PROPOSE}{value}") for value in PROPOSALS],
    )


@_with_draft
async def choose_proposal(update: Update, context: BotContext, draft: ModelDraft) -> object:
    value = callback_tail(update, CB_PROPOSE)
    if value not in PROPOSALS:
        return await _steps.go(update, context, draft, PROPOSAL)
    draft.proposal = value
    if value == "replicate":
        return await _steps.go(update, context, draft, PLACES)
    draft.proposal_places = ""
    return await _steps.after(update, context, draft, PHOTOS)


@_with_draft
async def back_to_proposal(update: Update, context: BotContext, draft: ModelDraft) -> object:
    return await _steps.go(update, context, draft, PROPOSAL)


async def _places_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    current = t("model.places_current", lang, places=draft.proposal_places) if draft.proposal_places else ""
    keep = [Option(t("model.btn.keep", lang), CB_PLACES_KEPT)] if draft.proposal_places else []
    return Screen.of(
        t("model.type_places", lang, limit=PLACES_LIMIT, current=current),
        *keep,
        Option(t("btn.back", lang), CB_BACK_TO_PROPOSAL),
    )


@_with_draft
async def typed_places(update: Update, context: BotContext, draft: ModelDraft) -> object:
    text = await read_text(update, context, PLACES_LIMIT)
    if text is None:
        return PLACES
    draft.proposal_places = text
    return await _steps.after(update, context, draft, PHOTOS)


@_with_draft
async def places_kept(update: Update, context: BotContext, draft: ModelDraft) -> object:
    if not draft.proposal_places:
        return await _steps.go(update, context, draft, PLACES)
    return await _steps.after(update, context, draft, PHOTOS)


# --- step: photos ---------------------------------------------------------------------------


async def _photos_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    received = t("model.photos_received", lang, count=len(draft.photos)) if draft.photos else ""
    clear = [Option(t("model.btn.clear_photos", lang), CB_CLEAR_PHOTOS)] if draft.photos else []
    done = t("btn.next", lang) if draft.photos else t("btn.skip", lang)
    return Screen.of(
        t("model.photos", lang, limit=MAX_PHOTOS, received=received, **_numbers(draft, PHOTOS)),
        *clear,
        Option(done, CB_PHOTOS_DONE),
    )


@_with_draft
async def received_photo(update: Update, context: BotContext, draft: ModelDraft) -> object:
    if len(draft.photos) >= MAX_PHOTOS:
        await say(update, context, "model.too_many_photos", limit=MAX_PHOTOS)
        return PHOTOS
    photo = incoming_photo(update.effective_message)
    if photo is not None:
        draft.photos.append(photo)
    return await _steps.go(update, context, draft, PHOTOS)


@_with_draft
async def clear_photos(update: Update, context: BotContext, draft: ModelDraft) -> object:
    draft.photos.clear()
    return await _steps.go(update, context, draft, PHOTOS)


@_with_draft
async def photos_done(update: Update, context: BotContext, draft: ModelDraft) -> object:
    draft.reviewing = True
    return await _steps.go(update, context, draft, REVIEW)


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
        model=await _model_name(context, draft),
        kind=kind,
        assessment=t(f"model.assessment.{draft.assessment}", lang) if draft.assessment else none,
        notes=draft.notes or none,
        proposal=proposal,
        photos=len(draft.photos),
        quarter=Quarter.of(context.clock.now().date()).label(lang),
    )


async def _review_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    lang = await context.lang(update)
    first_row = [Option(t("model.btn.edit_model", lang), CB_EDIT + EDIT_MODEL)]
    if draft.asks_kind:
        first_row.insert(0, Option(t("model.btn.edit_kind", lang), CB_EDIT + EDIT_KIND))
    return Screen.of(
        t("model.review", lang, summary=await summary_text(context, draft, lang), **_numbers(draft, REVIEW)),
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


@_with_draft
async def edit_part(update: Update, context: BotContext, draft: ModelDraft) -> object:
    target = _EDIT_TARGETS.get(callback_tail(update, CB_EDIT), REVIEW)
    if target == KIND and not draft.asks_kind:
        target = REVIEW
    return await _steps.go(update, context, draft, target)


async def confirm(update: Update, context: BotContext) -> object:
    """Stores the update. A second tap, or a tap on an old review, stores nothing again.

    Also an entry point: a Confirm pressed after the conversation ended (a double tap, an
    old message) gets its answer instead of a generic "expired". A stale Confirm leaves the
    current state alone, so an unfinished newer draft is not interrupted.
    """
    await answer_button(update)
    lang = await context.lang(update)
    token = callback_tail(update, CB_CONFIRM)
    draft = load_model_draft(context.user_data)
    cadre = await context.cadre()
    if draft is None or draft.token != token or cadre is None or cadre.id != draft.cadre_id:
        await _answer_stale_confirm(update, context, token, lang)
        return None
    missing = _first_missing_step(draft)
    model = await model_updates.get_running_model(context.db, draft.model_id or 0)
    if missing not in (REVIEW, PHOTOS) or model is None:
        await say(update, context, "model.incomplete" if model else "model.not_available")
        return await _steps.go(update, context, draft, MODEL if model is None else missing)
    inspection = draft.kind == "inspection" and await context.is_admin()
    now = context.clock.now()
    stored = _update_input(draft, inspection=inspection, quarter=Quarter.of(now.date()))
    submission = await model_updates.submit_model_update(context.db, stored, now=utc_stamp(now))
    if submission.created:
        text = _receipt(stored, submission.update_id, model.name, lang)
    else:
        text = t("model.already_saved", lang, number=submission.update_id)
    drop_model_draft(context.user_data)
    await show(update, context, Screen(text), edit=True)
    return END


def _receipt(stored: ModelUpdateInput, number: int, model: str, lang: str) -> str:
    what = t(f"model.receipt.{stored.kind}", lang)
    assessment = t(f"model.assessment.{stored.assessment}", lang)
    return t("model.receipt", lang, what=what, number=number, model=model, assessment=assessment)


async def _answer_stale_confirm(update: Update, context: BotContext, token: str, lang: str) -> None:
    stored = await model_updates.model_update_by_token(context.db, token) if token else None
    cadre = await context.cadre()
    if stored is not None and cadre is not None and stored.cadre_id == cadre.id:
        await show(update, context, Screen(t("model.already_saved", lang, number=stored.id)))
    else:
        await show(update, context, Screen(t("button.expired", lang)))


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
        attachments=tuple(AttachmentInput("photo", p.file_id, p.file_unique_id) for p in draft.photos),
    )


# --- leaving, and input that fits no step ---------------------------------------------------


async def stop(update: Update, context: BotContext) -> object:
    """/huy or the Stop button: ends the conversation, keeps the draft."""
    await answer_button(update)
    await show(update, context, Screen(t("model.stopped", await context.lang(update))), edit=True)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    """Input that fits no step (a sticker, a voice note, text where a button is due): a hint."""
    await say(update, context, "model.use_buttons")


async def type_text(update: Update, context: BotContext) -> None:
    await say(update, context, "model.type_expected")


async def send_photos(update: Update, context: BotContext) -> None:
    await say(update, context, "model.photos_expected")


async def other_command(update: Update, context: BotContext) -> None:
    await say(update, context, "model.other_command")


_SCREENS: dict[str, Callable[[Update, BotContext, ModelDraft], Awaitable[Screen]]] = {
    KIND: _kind_screen,
    MODEL: _model_screen,
    SEARCH: _search_screen,
    FOUND: _found_screen,
    COMMUNE: _commune_screen,
    COMMUNE_MODELS: _commune_models_screen,
    ASSESSMENT: _assessment_screen,
    NOTES: _notes_screen,
    PROPOSAL: _proposal_screen,
    PLACES: _places_screen,
    PHOTOS: _photos_screen,
    REVIEW: _review_screen,
}
_steps = Steps(save_model_draft, _SCREENS, REVIEW)

TYPED = filters.TEXT & ~filters.COMMAND


def conversation() -> ConversationHandler:
    """The model update conversation, persistent across restarts."""
    choosing = [
        button(choose_model, CB_MODEL),
        button(show_models, CB_MINE_PAGE),
        button(show_models, CB_BACK_TO_MODELS, exact=True),
        button(ask_search, CB_SEARCH, exact=True),
        button(turn_found_page, CB_FOUND_PAGE),
        button(list_communes, CB_COMMUNES),
        button(list_commune_models, CB_COMMUNE),
        MessageHandler(TYPED, typed_search),
    ]
    states: dict[object, list[BaseHandler]] = {
        RESUME: [button(resume, CB_RESUME, exact=True), button(restart, CB_RESTART, exact=True)],
        KIND: [button(choose_kind, CB_KIND)],
        MODEL: list(choosing),
        SEARCH: list(choosing),
        FOUND: list(choosing),
        COMMUNE: list(choosing),
        COMMUNE_MODELS: list(choosing),
        ASSESSMENT: [
            button(choose_assessment, CB_ASSESS),
            button(show_models, CB_BACK_TO_MODELS, exact=True),
        ],
        NOTES: [MessageHandler(TYPED, typed_notes), button(notes_done, CB_NOTES_DONE, exact=True)],
        PROPOSAL: [button(choose_proposal, CB_PROPOSE)],
        PLACES: [
            MessageHandler(TYPED, typed_places),
            button(places_kept, CB_PLACES_KEPT, exact=True),
            button(back_to_proposal, CB_BACK_TO_PROPOSAL, exact=True),
        ],
        PHOTOS: [
            MessageHandler(filters.PHOTO | filters.Document.IMAGE, received_photo),
            button(clear_photos, CB_CLEAR_PHOTOS, exact=True),
            button(photos_done, CB_PHOTOS_DONE, exact=True),
        ],
        REVIEW: [button(edit_part, CB_EDIT), button(confirm, CB_CONFIRM)],
    }
    # Any step accepts a confirm of the current review (a slow network can deliver it late);
    # everything else unexpected gets a hint that fits the step.
    hints = {SEARCH: type_text, FOUND: type_text, NOTES: type_text, PLACES: type_text, PHOTOS: send_photos}
    for state, handlers in states.items():
        if state != REVIEW:
            handlers.append(button(confirm, CB_CONFIRM))
        handlers.append(MessageHandler(~filters.COMMAND, hints.get(state, use_buttons)))
    return persistent_conversation(
        CONVERSATION_NAME,
        entry_points=[CommandHandler(["mohinh", "model"], start), button(confirm, CB_CONFIRM)],
        states=states,
        fallbacks=[
            CommandHandler(["huy", "cancel"], stop),
            button(stop, CB_STOP, exact=True),
            MessageHandler(filters.COMMAND, other_command),
        ],
        allow_reentry=True,
    )
