"""The commune pick-list, shared by the visit report's cell step (handlers/visit_cells.py)
and the model choice (handlers/model_pick.py): today's communes, the one of the user's
own unit (or admin scope) first, as a page of buttons.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.screens import Option
from handlers.common import home_unit
from handlers.flow import page_of, page_rows
from storage import places
from storage.records import Unit


async def communes_for(context: BotContext) -> list[Unit]:
    """The communes this user picks from, their own first (they report there most)."""
    return await places.communes(context.db, first=await home_unit(context))


def commune_rows(
    update: Update, communes: list[Unit], lang: str, *, choose: str, pages: str, tail: str = ""
) -> list[list[Option]]:
    """The page the pressed button asks for: ``choose`` + unit id + ``tail`` a commune;
    ``pages`` + number the page buttons."""
    options = [Option(unit.name, f"{choose}{unit.id}{tail}") for unit in communes]
    return page_rows(options, page_of(update, pages), pages, lang)
