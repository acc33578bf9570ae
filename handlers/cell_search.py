"""The cell step's search: a cadre types part of a cell's, village's or commune's name
(diacritics optional) and picks from the matches, their own cells first, page by page.

A merged commune has well over a hundred cells: paging through all of them on a cheap
phone is no way to find «thôn 9». Self-contained: the report flow calls ``screen`` for a
typed text or a page button, and handles the picked cell as any other (``cell_button``
builds the same callback data as the pick-list's).

The page buttons carry the query itself, folded (ASCII, at most QUERY_LIMIT characters),
so paging needs no state and survives a restart: "v:cs:2:thon 9".
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.ids import parse_id
from domain.textinput import fold
from storage import places
from storage.db import Executor

CB_SEARCH_PAGE = "v:cs:"  # + page + ":" + folded query
QUERY_LIMIT = 40  # callback data holds 64 bytes


def query_of(text: str) -> str:
    """What is searched for and carried in the page buttons: folded, cut to fit."""
    return fold(text)[:QUERY_LIMIT].strip()


def parse_page(data: str | None) -> tuple[int, str]:
    """(page, query) of a page button; a forged one gives page 0 or an empty query."""
    tail = (data or "")[len(CB_SEARCH_PAGE) :]
    page_text, _, query = tail.partition(":")
    return parse_id(page_text) or 0, query_of(query)


async def screen(
    db: Executor,
    lang: str,
    query: str,
    page: int,
    *,
    mine: Collection[int],
    done: Collection[int],
    cell_button: Callable[[int], str],
    back: Option,
) -> Screen:
    """The matches of ``query`` as a paged pick-list (the cadre's cells first, ✅ on those
    reported this quarter), or a hint to type another name."""
    wanted = query_of(query)
    found = await places.search_cells(db, wanted, first=frozenset(mine))
    if not found:
        return Screen.of(t("cellsearch.none", lang, query=wanted), back)
    options = [Option(("✅ " if p.cell.id in done else "") + p.label, cell_button(p.cell.id)) for p in found]
    rows = paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{CB_SEARCH_PAGE}{page - 1}:{wanted}"),
        following=Option(t("btn.next_page", lang), f"{CB_SEARCH_PAGE}{page + 1}:{wanted}"),
    )
    return Screen.of(t("cellsearch.found", lang, count=len(found), query=wanted), *rows, back)
