"""/baocaoquy: the official quarterly workbook (scheduler/workbook.py), sent as a file.

An admin asks in the private chat (the workbook names every cadre who has not visited:
not for a group, where handlers/private_only.py answers with a link); the scope is the
one ``/tonghop`` uses privately — a commune's admin gets their commune, the top unit's
admins everything. ``/baocaoquy 2026-Q3`` (or
``3/2026``) asks for another quarter; without one, the current quarter. Refusals are
audit-logged.
"""

from __future__ import annotations

import asyncio
import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.texts import t
from domain.dates import format_date
from domain.quarters import ROMAN, Quarter
from handlers.common import deny, say
from handlers.groups import _default_scope
from scheduler import workbook
from scheduler.sending import Outcome, Throttle, deliver

# 2026-Q4, 2026Q4, Q4/2026, 4/2026, IV/2026
_QUARTER = re.compile(r"^\s*(?:(\d{4})\s*-?\s*Q([1-4])|Q?([1-4]|I{1,3}|IV)\s*[/\- ]\s*(\d{4}))\s*$", re.IGNORECASE)


def parse_quarter(text: str) -> Quarter | None:
    """A quarter as an office types it; None when it is not one."""
    match = _QUARTER.match(text)
    if match is None:
        return None
    if match[1]:
        return Quarter(int(match[1]), int(match[2]))
    number = match[3].upper()
    return Quarter(int(match[4]), int(number) if number.isdigit() else ROMAN.index(number) + 1)


async def quarterly_report(update: Update, context: BotContext) -> None:
    """/baocaoquy [quarter]: an admin gets the quarter's workbook of their scope (this quarter
    when none is named)."""
    chat = update.effective_chat
    if chat is None:
        return
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="quarterly_report")
        return
    lang = await context.lang(update)
    now = context.clock.now().astimezone(context.config.tz)
    argument = " ".join(context.args or [])
    quarter = parse_quarter(argument) if argument else Quarter.of(now.date())
    if quarter is None:
        await say(update, context, "wb.bad_quarter", text=argument)
        return
    unit = await _default_scope(context)
    report = await workbook.load_report(
        context.db, unit.id if unit else None, quarter, now,
        organisation=workbook.organisation_name(context.config),
    )
    data = await asyncio.to_thread(workbook.to_bytes, report, lang)  # seconds for a province
    caption = t(
        "wb.caption", lang, quarter=quarter.label(lang), scope=report.scope_name or t("wb.scope_all", lang),
        date=format_date(now.date()),
    )
    delivery = await deliver(
        Throttle(context.clock),
        chat.id,
        lambda: context.bot.send_document(
            chat.id, document=data, filename=workbook.file_name(report), caption=caption
        ),
    )
    if delivery.outcome is not Outcome.SENT and delivery.outcome is not Outcome.UNCERTAIN:
        await say(update, context, "wb.send_failed")


def handlers() -> list[CommandHandler]:
    """/baocaoquy."""
    return [CommandHandler(["baocaoquy", "quarterreport"], quarterly_report)]
