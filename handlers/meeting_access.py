"""Who may announce, move or cancel a cell's meetings (/hop): the cell's secretary for
their cells, an admin for the active cells of their scope."""

from __future__ import annotations

from datetime import datetime

from bot.context import BotContext
from storage import materials
from storage import meetings as store
from storage.meetings import CellChoice


async def allowed_cells(context: BotContext) -> list[CellChoice]:
    """The secretary's own cells, and for an admin every active cell in their scope."""
    cadre = await context.cadre()
    cells = {c.cell_id: c for c in await store.cells_of_secretary(context.db, cadre.id)} if cadre else {}
    if await context.is_admin():
        today = context.clock.now().astimezone(context.config.tz).date().isoformat()
        scoped = await materials.audience_cells(context.db, await context.admin_scope(), today=today)
        missing = [c.cell_id for c in scoped if c.cell_id not in cells]
        cells.update({c.cell_id: c for c in await store.cells_by_id(context.db, missing)})
    return sorted(cells.values(), key=lambda c: (c.commune_name or "", c.name, c.cell_id))


async def may_manage_cell(context: BotContext, cell_id: int) -> bool:
    """Whether this user may announce, move or cancel the cell's meetings (checked on
    every button, not only when the list is shown)."""
    return any(c.cell_id == cell_id for c in await allowed_cells(context))


def local_now(context: BotContext) -> datetime:
    """The local wall-clock time: meetings are stored and compared in it."""
    return context.clock.now().astimezone(context.config.tz).replace(tzinfo=None)


def cell_label(cell: CellChoice) -> str:
    """The cell with its commune, since villages of different communes share names."""
    return f"{cell.name} ({cell.commune_name})" if cell.commune_name else cell.name
