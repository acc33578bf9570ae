"""Step 1 of the visit report: the cell (the cadre's own cells, or any by commune, or any
found by typing part of its name).

Self-contained: its screens, its handlers and the handlers of its states, so that a
better pick-list (search, pages) changes this module only. A merged commune has well over
a hundred cells and a member two dozen of them: the own cells come a page at a time (those
still due first), a commune committee's one commune is not asked for, and a typed name
finds any cell (handlers/cell_search.py), the own ones first.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import BotContext
from bot.drafts import VisitDraft
from bot.screens import Option, Screen
from bot.texts import t
from domain.ids import parse_id
from domain.quarters import Quarter
from domain.clock import utc_stamp
from handlers import cell_search
from handlers.common import show
from handlers.commune_pick import commune_rows, communes_for
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

CB_MY_CELLS = "v:mp:"  # + page of the cadre's own cells


@flow.screen(CELL)
async def cell_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """Step 1: the cadre's assigned cells, those already reported this quarter marked."""
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
    text += "\n" + t("cellsearch.hint", lang)
    options = [
        Option(("✅ " if cid in done else "") + found[cid].label, f"{CB_CELL}{cid}")
        for cid in sorted(cell_ids, key=lambda cid: cid in done)  # those still due first
        if cid in found
    ]
    rows = page_rows(options, page_of(update, CB_MY_CELLS), CB_MY_CELLS, lang)
    return Screen.of(
        text,
        *rows,
        Option(t("visit.btn.other_cell", lang), f"{CB_COMMUNES}0"),
        Option(t("btn.cancel", lang), flow.cb_stop),
    )


@flow.step
async def choose_cell(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A cell chosen; one that no longer exists (an old button) shows the list again."""
    cell_id = callback_tail_int(update, CB_CELL)
    if cell_id is None or await roster.get_cell(context.db, cell_id) is None:
        await show(update, context, Screen(t("visit.cell_not_found", await context.lang(update))))
        return await flow.go(update, context, draft, CELL)
    draft.cell_id = cell_id
    return await flow.after(update, context, draft, DATE)


@flow.step
async def my_cells_page(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """◀ / ▶ on the cadre's cells."""
    return await flow.go(update, context, draft, CELL)


@flow.step
async def search_cells(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """A typed name, or a page of its matches; the step stays (back: the cadre's cells)."""
    query = update.callback_query
    if query is not None:
        page, text = cell_search.parse_page(query.data)
    else:
        message = update.effective_message
        page, text = 0, (message.text or "") if message else ""
    lang, today = await context.lang(update), context.clock.now().date()
    mine = [a.cell_id for a in await roster.assignments_of_cadre(context.db, draft.cadre_id, today)]
    done = await reports.visited_cell_ids(context.db, draft.cadre_id, Quarter.of(today).key)
    screen = await cell_search.screen(
        context.db, lang, text, page, mine=mine, done=done, cell_button=lambda cid: f"{CB_CELL}{cid}",
        back=Option(t("btn.back", lang), flow.cb_back),
    )
    draft.step, draft.touched_at = CELL, utc_stamp(context.clock.now())
    flow.save(context.user_data, draft)
    await show(update, context, screen, edit=query is not None)
    return CELL


@flow.screen(COMMUNE, back=CELL, sub=True)
async def commune_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """«Chi bộ khác»: the communes, for a visit to a cell the cadre is not assigned to."""
    lang = await context.lang(update)
    communes = await communes_for(context)
    if len(communes) == 1:  # a commune's committee: straight to its cells, paged as communes
        return await _cells_of(context, draft, lang, communes[0].id, page_of(update, CB_COMMUNES), CB_COMMUNES)
    rows = commune_rows(update, communes, lang, choose=CB_COMMUNE, pages=CB_COMMUNES)
    return Screen.of(t("visit.choose_commune", lang), *rows)


@flow.step
async def list_communes(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """To the communes, or another page of them."""
    return await flow.go(update, context, draft, COMMUNE)


@flow.screen(VILLAGE_CELL, back=COMMUNE, sub=True)
async def village_cell_screen(update: Update, context: BotContext, draft: VisitDraft) -> Screen:
    """A commune's cells, a page at a time."""
    lang = await context.lang(update)
    data = update.callback_query.data if update.callback_query else ""
    if data and data.startswith(CB_VILLAGE_PAGE):
        commune_text, _, page_text = data[len(CB_VILLAGE_PAGE) :].partition(":")
        commune_id, page = parse_id(commune_text) or 0, parse_id(page_text) or 0
    else:
        commune_id, page = callback_tail_int(update, CB_COMMUNE) or 0, 0
    return await _cells_of(context, draft, lang, commune_id, page, f"{CB_VILLAGE_PAGE}{commune_id}:")


async def _cells_of(
    context: BotContext, draft: VisitDraft, lang: str, commune_id: int, page: int, page_prefix: str
) -> Screen:
    """A commune's cells (and those of the communes merged into it), the cadre's own first."""
    commune = await roster.get_unit(context.db, commune_id)
    name = commune.name if commune else "?"
    cells = await places.cells_in_commune(context.db, commune_id)
    today = context.clock.now().date()
    mine = {a.cell_id for a in await roster.assignments_of_cadre(context.db, draft.cadre_id, today)}
    cells.sort(key=lambda c: c.id not in mine)  # a stable sort: the commune's order otherwise
    rows = page_rows([Option(c.name, f"{CB_CELL}{c.id}") for c in cells], page, page_prefix, lang)
    key = "visit.choose_village_cell" if cells else "visit.no_cells_here"
    return Screen.of(t(key, lang, commune=name), *rows)


@flow.step
async def list_village_cells(update: Update, context: BotContext, draft: VisitDraft) -> object:
    """To a commune's cells, or another page of them."""
    return await flow.go(update, context, draft, VILLAGE_CELL)


def handlers() -> list[BaseHandler]:
    """The handlers of every state of the cell step (a fresh list for each state)."""
    return [
        button(choose_cell, CB_CELL),
        button(list_communes, CB_COMMUNES),
        button(list_village_cells, CB_COMMUNE),
        button(list_village_cells, CB_VILLAGE_PAGE),
        button(my_cells_page, CB_MY_CELLS),
        button(search_cells, cell_search.CB_SEARCH_PAGE),
        MessageHandler(filters.TEXT & ~filters.COMMAND, search_cells),
    ]


STATES = (CELL, COMMUNE, VILLAGE_CELL)
