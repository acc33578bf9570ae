"""The first steps of the model update: the kind (admins: update or inspection) and the
model (the cadre's own, by name, or by commune)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler

from bot.context import BotContext
from bot.drafts import ModelDraft
from bot.screens import Option, Screen
from bot.texts import t
from domain.ids import parse_id
from domain.quarters import Quarter
from handlers.common import say
from handlers.commune_pick import commune_rows, communes_for
from handlers.flow import TYPED, button, callback_tail, callback_tail_int, page_of, page_rows
from handlers.model_states import (
    ASSESSMENT,
    CB_BACK_TO_MODELS,
    CB_COMMUNE,
    CB_COMMUNES,
    CB_FOUND_PAGE,
    CB_KIND,
    CB_MINE_PAGE,
    CB_MODEL,
    CB_SEARCH,
    COMMUNE,
    COMMUNE_MODELS,
    FOUND,
    KIND,
    MODEL,
    REVIEW,
    SEARCH,
    SEARCH_LIMIT,
    flow,
    numbers,
    short,
)
from handlers import model_inspection
from storage import model_updates, places, roster
from storage.records import Model


def _model_rows(models: list[Model], page: int, page_prefix: str, lang: str) -> list[list[Option]]:
    return page_rows([Option(short(m.name), f"{CB_MODEL}{m.id}") for m in models], page, page_prefix, lang)


# --- step (admins): an update or an inspection --------------------------------------------


@flow.screen(KIND)
async def kind_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """First: an update of a model, or an inspection (for those who may inspect)."""
    lang = await context.lang(update)
    quarter = Quarter.of(context.clock.now().date())
    return Screen.of(
        t("model.choose_kind", lang, quarter=quarter.label(lang), total=numbers(draft, REVIEW)["total"]),
        Option(t("model.kind.update", lang), f"{CB_KIND}update"),
        Option(t("model.kind.inspection", lang), f"{CB_KIND}inspection"),
        Option(t("btn.cancel", lang), flow.cb_stop),
    )


@flow.step
async def choose_kind(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """The kind chosen; an inspection is re-checked, since an old button may be pressed."""
    wanted = callback_tail(update, CB_KIND)
    if wanted == "inspection" and not await model_inspection.may_inspect(context, None):
        await model_inspection.refuse(update, context)
        return await flow.go(update, context, draft, KIND)
    draft.kind = "inspection" if wanted == "inspection" else "update"
    return await flow.after(update, context, draft, MODEL)


# --- step: the model ------------------------------------------------------------------------


async def _my_models(context: BotContext, cadre_id: int) -> list[Model]:
    """The models at the villages of the cells the cadre is assigned to today."""
    assigned = await roster.assignments_of_cadre(context.db, cadre_id, context.clock.now().date())
    cells = await places.cell_places(context.db, list(dict.fromkeys(a.cell_id for a in assigned)))
    unit_ids = list(dict.fromkeys(place.cell.unit_id for place in cells.values()))
    return await model_updates.models_at_places(context.db, unit_ids)


@flow.screen(MODEL)
async def model_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """The cadre's own models; search and «by place» reach the others."""
    lang = await context.lang(update)
    quarter = Quarter.of(context.clock.now().date())
    title = t(f"model.title.{draft.kind or 'update'}", lang)
    text = t("model.choose", lang, title=title, quarter=quarter.label(lang), **numbers(draft, MODEL))
    mine = await _my_models(context, draft.cadre_id)
    if draft.kind == "inspection":  # the models this cadre is the inspector of, first
        inspected = await model_updates.models_inspected_by(context.db, draft.cadre_id)
        mine = inspected + [m for m in mine if m not in inspected]
    if not mine:
        text += "\n" + t("model.none_mine", lang)
    return Screen.of(
        text,
        *_model_rows(mine, page_of(update, CB_MINE_PAGE), CB_MINE_PAGE, lang),
        [
            Option(t("model.btn.search", lang), CB_SEARCH),
            Option(t("model.btn.by_place", lang), f"{CB_COMMUNES}0"),
        ],
        Option(t("btn.cancel", lang), flow.cb_stop),
    )


@flow.step
async def show_models(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Back to the cadre's own models, or another page of them."""
    return await flow.go(update, context, draft, MODEL)


@flow.step
async def choose_model(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """A model chosen; one stopped meanwhile, or not the inspector's, is refused."""
    model_id = callback_tail_int(update, CB_MODEL)
    model = await model_updates.get_running_model(context.db, model_id) if model_id else None
    if model is None:
        await say(update, context, "model.not_available")
        return await flow.go(update, context, draft, MODEL)
    if draft.kind == "inspection" and not await model_inspection.may_inspect(context, model.id):
        await model_inspection.refuse(update, context)
        return await flow.go(update, context, draft, MODEL)
    draft.model_id = model.id
    return await flow.after(update, context, draft, ASSESSMENT)


@flow.screen(SEARCH, back=MODEL, sub=True, hint="type_expected")
async def search_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """Asks for part of a model's name."""
    return Screen(t("model.type_search", await context.lang(update)))


@flow.step
async def ask_search(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """To the search."""
    return await flow.go(update, context, draft, SEARCH)


@flow.step
async def typed_search(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """Typed text on any screen of the model choice searches by name."""
    return await flow.take_text(update, context, draft, limit=SEARCH_LIMIT, into="search", then=FOUND)


@flow.screen(FOUND, back=MODEL, sub=True, hint="type_expected")
async def found_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """The models whose name matches; none found offers the models by place."""
    lang = await context.lang(update)
    found = await model_updates.search_models(context.db, draft.search)
    if not found:
        return Screen.of(
            t("model.not_found", lang, query=draft.search),
            Option(t("model.btn.by_place", lang), f"{CB_COMMUNES}0"),
        )
    rows = _model_rows(found, page_of(update, CB_FOUND_PAGE), CB_FOUND_PAGE, lang)
    return Screen.of(t("model.found", lang, query=draft.search), *rows)


@flow.step
async def turn_found_page(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """◀ / ▶ on the models found."""
    return await flow.go(update, context, draft, FOUND)


@flow.screen(COMMUNE, back=MODEL, sub=True)
async def commune_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """The communes, to list the models running there."""
    lang = await context.lang(update)
    communes = await communes_for(context)
    rows = commune_rows(update, communes, lang, choose=CB_COMMUNE, pages=CB_COMMUNES, tail=":0")
    return Screen.of(t("model.choose_commune", lang), *rows)


@flow.step
async def list_communes(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """To the communes, or another page of them."""
    return await flow.go(update, context, draft, COMMUNE)


@flow.screen(COMMUNE_MODELS, back=COMMUNE, sub=True)
async def commune_models_screen(update: Update, context: BotContext, draft: ModelDraft) -> Screen:
    """The models running in a commune, a page at a time."""
    lang = await context.lang(update)
    commune_text, _, page_text = callback_tail(update, CB_COMMUNE).partition(":")
    commune_id = parse_id(commune_text) or 0
    commune = await roster.get_unit(context.db, commune_id)
    found = await model_updates.models_at_places(context.db, [commune_id])
    rows = _model_rows(found, parse_id(page_text) or 0, f"{CB_COMMUNE}{commune_id}:", lang)
    key = "model.at_commune" if found else "model.none_at_commune"
    return Screen.of(t(key, lang, commune=commune.name if commune else "?"), *rows)


@flow.step
async def list_commune_models(update: Update, context: BotContext, draft: ModelDraft) -> object:
    """To a commune's models, or another page of them."""
    return await flow.go(update, context, draft, COMMUNE_MODELS)


def handlers() -> list[BaseHandler]:
    """The handlers of every screen of the model choice (a fresh list for each state)."""
    return [
        button(choose_model, CB_MODEL),
        button(show_models, CB_MINE_PAGE),
        button(show_models, CB_BACK_TO_MODELS, exact=True),
        button(ask_search, CB_SEARCH, exact=True),
        button(turn_found_page, CB_FOUND_PAGE),
        button(list_communes, CB_COMMUNES),
        button(list_commune_models, CB_COMMUNE),
        MessageHandler(TYPED, typed_search),
    ]


STATES = (MODEL, SEARCH, FOUND, COMMUNE, COMMUNE_MODELS)
