"""Step 1 of the visit report: the cell (the cadre's own cells, or any by commune).

Self-contained: its screens, its handlers and the handlers of its states, so that a
better pick-list (search, pages) changes this module only.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import BotContext
from bot.drafts import VisitDraft
from bot.screens import Option, Screen
from bot.texts import t
from domain.ids import parse_id
from domain.quarters import Quarter
from handlers.common import home_unit, show
from handlers.flow import button, callback_tail_int, page_of, page_rows
from handlers.visit_states import (
    CB_CELL,
    CB_COMMUNE,
    CB_COMMUNES,
    CB_VILLAGE_PAGE,
    CELL,
    COMMUNE,
    DATE,
    VILLAGE_CELL,
    behalf_line,
    flow,
)
from storage import places, reports, roster


@flow.screen(CELL)
async def cell_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    today = context.clock.now().date()
    quarter = Quarter.of(today)
    assigned = await roster.assignments_of_cadre(context.db, draft.cadre_id, today)
    cell_ids = list(dict.fromkeys(a.cell_id for a in assigned))
    found = await places.cell_places(context.db, cell_ids)
    done = await reports.visited_cell_ids(context.db, draft.cadre_id, quarter.key)
    behalf = await behalf_line(context, draft, lang)
    text = t("visit.choose_cell", lang, quarter=quarter.label(lang), behalf=behalf)
    if not cell_ids:
        text += "\n" + t("visit.no_assigned_cells", lang)
    rows = [
        Option(("✅ " if cid in done else "") + found[cid].label, f"{CB_CELL}{cid}")
        for cid in cell_ids
        if cid in found
    ]
    return Screen.of(
        text,
        *rows,
        Option(t("visit.btn.other_cell", lang), f"{CB_COMMUNES}0"),
        Option(t("btn.cancel", lang), flow.cb_stop),
    )


@flow.step
async def choose_cell(update: Update, context: BotContext, draft: VisitDraft) -> object:
    cell_id = callback_tail_int(update, CB_CELL)
    if cell_id is None or await roster.get_cell(context.db, cell_id) is None:
        await show(update, context, Screen(t("visit.cell_not_found", await context.lang(update))))
        return await flow.go(update, context, draft, CELL)
    draft.cell_id = cell_id
    return await flow.after(update, context, draft, DATE)


@flow.screen(COMMUNE, back=CELL, sub=True)
async def commune_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    communes = await places.communes(context.db, first=await home_unit(context))
    options = [Option(u.name, f"{CB_COMMUNE}{u.id}") for u in communes]
    rows = page_rows(options, page_of(update, CB_COMMUNES), CB_COMMUNES, lang)
    return Screen.of(t("visit.choose_commune", lang), *rows)


@flow.step
async def list_communes(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await flow.go(update, context, draft, COMMUNE)


@flow.screen(VILLAGE_CELL, back=COMMUNE, sub=True)
async def village_cell_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    lang = await context.lang(update)
    data = update.callback_query.data if update.callback_query else ""
    if data and data.startswith(CB_VILLAGE_PAGE):
        commune_text, _, page_text = data[len(CB_VILLAGE_PAGE) :].partition(":")
        commune_id, page = parse_id(commune_text) or 0, parse_id(page_text) or 0
    else:
        commune_id, page = callback_tail_int(update, CB_COMMUNE) or 0, 0
    commune = await roster.get_unit(context.db, commune_id)
    name = commune.name if commune else "?"
    cells = await places.cells_in_commune(context.db, commune_id)
    rows = page_rows([Option(c.name, f"{CB_CELL}{c.id}") for c in cells], page, f"{CB_VILLAGE_PAGE}{commune_id}:", lang)
    key = "visit.choose_village_cell" if cells else "visit.no_cells_here"
    return Screen.of(t(key, lang, commune=name), *rows)


@flow.step
async def list_village_cells(update: Update, context: BotContext, draft: VisitDraft) -> object:
    return await flow.go(update, context, draft, VILLAGE_CELL)


def handlers() -> list[BaseHandler]:
    """The handlers of every state of the cell step (a fresh list for each state)."""
    return [
        button(choose_cell, CB_CELL),
        button(list_communes, CB_COMMUNES),
        button(list_village_cells, CB_COMMUNE),
        button(list_village_cells, CB_VILLAGE_PAGE),
    ]


STATES = (CELL, COMMUNE, VILLAGE_CELL)
