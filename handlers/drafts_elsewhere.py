"""One cadre, two messengers: a draft is kept per account, and a second one is announced.

A cadre linked on Telegram and on Zalo has one persisted user data per account, so a
report begun on one messenger is not continued on the other. That is on purpose: the
two applications of a process each keep their users' data in memory, and a draft moved
under one of them could still be sent from the other, making two reports of one draft.
Each draft keeps its own token (stored once, storage/reports.py); what this module adds
is that starting a report while another is unfinished elsewhere says so, so the cadre
knows the first is still waiting there (to send, or to stop with /huy).
"""

from __future__ import annotations

import json

from telegram import Update

from bot.context import BotContext
from bot.drafts import VISIT_DRAFT_KEY, VisitDraft
from handlers.common import say
from storage import accounts, roster

MESSENGER_NAMES = {"telegram": "Telegram", "zalo": "Zalo"}


async def visit_drafts_elsewhere(context: BotContext, cadre_id: int) -> list[tuple[str, VisitDraft]]:
    """The cadre's own unfinished visit reports on their other messengers' accounts."""
    found = []
    for channel, data in await accounts.user_data_of_other_accounts(context.db, cadre_id, context.channel):
        raw = json.loads(data).get(VISIT_DRAFT_KEY)
        if not raw:
            continue
        draft = VisitDraft.from_dict(raw)
        if draft.owner_id == cadre_id and draft.editing_report_id is None:
            found.append((channel, draft))
    return found


async def tell_of_drafts_elsewhere(update: Update, context: BotContext, cadre_id: int) -> None:
    """Before a new report: one line per unfinished report on another messenger."""
    for channel, draft in await visit_drafts_elsewhere(context, cadre_id):
        cell = await roster.get_cell(context.db, draft.cell_id) if draft.cell_id else None
        key = "visit.draft_elsewhere_cell" if cell else "visit.draft_elsewhere"
        await say(update, context, key, messenger=MESSENGER_NAMES.get(channel, channel),
                  cell=cell.name if cell else "")
