"""/cuatoi (/me): a cadre's cells this quarter and their latest reports.

From here a cadre edits or withdraws their own report within 48 hours; after that only
an admin can. Both are audit-logged by storage/reports.py.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from domain.clock import parse_stamp, utc_stamp
from bot.context import BotContext
from domain.dates import format_date
from domain.ids import parse_id
from domain.quarters import Quarter
from bot.screens import Option, Screen
from bot.texts import t
from handlers.common import answer_button, deny, show
from handlers.start import refuse_unknown
from scheduler import live
from domain.money import format_dong, month_label
from storage import fund, places, reports, roster, scope
from storage.reports import VisitReport

EDIT_WINDOW = timedelta(hours=48)
FUND_MONTHS = 6
CB_EDIT_REPORT = "v:er:"  # + report id: handled by the visit conversation (handlers/visit.py)
CB_WITHDRAW = "me:wd:"  # + report id: asks to confirm
CB_WITHDRAW_YES = "me:wy:"  # + report id
CB_KEEP = "me:keep"
RECENT = 5


async def show_mine(update: Update, context: BotContext) -> None:
    """/cuatoi: the cadre's quarter and recent reports, with the buttons to change them."""
    cadre = await context.cadre()
    if cadre is None:
        await refuse_unknown(update, context)
        return
    lang = await context.lang(update)
    today = context.clock.now().date()
    quarter = Quarter.of(today)
    lines = [t("mine.title", lang, name=cadre.full_name, quarter=quarter.label(lang)), ""]
    lines += await _cell_lines(context, cadre.id, lang)
    recent = await reports.recent_visits(context.db, cadre.id, RECENT)
    lines += ["", t("mine.reports", lang)]
    lines += await _report_lines(context, recent, lang) or [t("mine.no_reports", lang)]
    lines += await _fund_lines(context, cadre.id, lang)
    editable = [r for r in recent if can_change(context, r)]
    if editable:
        lines += ["", t("mine.edit_hint", lang)]
    buttons = [
        [
            Option(t("mine.btn.edit", lang, number=r.id), f"{CB_EDIT_REPORT}{r.id}"),
            Option(t("mine.btn.withdraw", lang, number=r.id), f"{CB_WITHDRAW}{r.id}"),
        ]
        for r in editable[:3]
    ]
    await show(update, context, Screen.of("\n".join(lines), *buttons))


async def _cell_lines(context: BotContext, cadre_id: int, lang: str) -> list[str]:
    today = context.clock.now().date()
    quarter = Quarter.of(today)
    assigned = await roster.assignments_of_cadre(context.db, cadre_id, today)
    cell_ids = list(dict.fromkeys(a.cell_id for a in assigned))
    found = await places.cell_places(context.db, cell_ids)
    done = await reports.visited_cell_ids(context.db, cadre_id, quarter.key)
    lines = [t("mine.cells", lang)]
    for cell_id in cell_ids:
        label = found[cell_id].label if cell_id in found else "?"
        if cell_id in done:
            lines.append(t("mine.cell_done", lang, cell=label))
        else:
            lines.append(t("mine.cell_due", lang, cell=label, days=quarter.days_left(today)))
    return lines if cell_ids else [*lines, t("mine.no_cells", lang)]


async def _report_lines(context: BotContext, recent: list[VisitReport], lang: str) -> list[str]:
    found = await places.cell_places(context.db, [r.cell_id for r in recent])
    lines = []
    for report in recent:
        state = t("mine.withdrawn", lang) if report.status == "withdrawn" else ""
        state += t("mine.late", lang) if report.late else ""
        cell = found[report.cell_id].label if report.cell_id in found else "?"
        lines.append(
            t("mine.report_line", lang, number=report.id, day=format_date(report.meeting_date), cell=cell, state=state)
        )
        for issue in report.issues:
            if issue.escalated:
                lines.append(t("mine.issue_line", lang, text=issue.description[:80], state=_issue_state(issue, lang)))
    return lines


def _issue_state(issue: reports.VisitIssue, lang: str) -> str:
    if issue.status == "answered":
        return t("mine.issue_answered", lang, answer=issue.answer or "")
    return t(f"mine.issue_{issue.status}", lang)


async def _in_admin_scope(context: BotContext, report: VisitReport) -> bool:
    return await scope.cell_in_scope(context.db, report.cell_id, await context.admin_scope())


def can_change(context: BotContext, report: VisitReport) -> bool:
    """Within 48 hours of sending, and not withdrawn."""
    sent = parse_stamp(report.submitted_at)
    return report.status == "submitted" and context.clock.now() - sent <= EDIT_WINDOW


async def report_to_change(update: Update, context: BotContext, prefix: str) -> VisitReport | None:
    """The report a button names, if this user may change it now; else says why, None."""
    lang = await context.lang(update)
    query = update.callback_query
    tail = (query.data or "")[len(prefix) :] if query else ""
    report_id = parse_id(tail)
    report = await reports.get_visit(context.db, report_id) if report_id is not None else None
    cadre = await context.cadre()
    if report is None or cadre is None:
        await show(update, context, Screen(t("mine.not_found", lang, number=tail)))
        return None
    admin = await context.is_admin() and await _in_admin_scope(context, report)
    if report.cadre_id != cadre.id and not admin:
        await deny(update, context, "mine.not_yours", action="other_cadres_report")
        return None
    if not admin and not can_change(context, report):
        await show(update, context, Screen(t("mine.window_passed", lang, number=report.id)))
        return None
    return report


async def view_report(update: Update, context: BotContext) -> None:
    """/xembaocao N: one report in full; its owner (48 hours) or an admin can change it."""
    lang = await context.lang(update)
    cadre = await context.cadre()
    if cadre is None and not await context.is_admin():
        await refuse_unknown(update, context)
        return
    number = (context.args or [""])[0]
    report_id = parse_id(number)
    report = await reports.get_visit(context.db, report_id) if report_id is not None else None
    if report_id is None:
        await show(update, context, Screen(t("mine.view_usage", lang)))
        return
    if report is None:
        await show(update, context, Screen(t("mine.not_found", lang, number=number)))
        return
    admin = await context.is_admin() and await _in_admin_scope(context, report)
    if not admin and (cadre is None or report.cadre_id != cadre.id):
        # Someone else's report looks exactly like a missing one: nothing leaks.
        await deny(update, context, "mine.not_found", action="other_cadres_report", number=number)
        return
    buttons = []
    if report.status == "submitted" and (admin or can_change(context, report)):
        buttons = [
            Option(t("mine.btn.edit", lang, number=report.id), f"{CB_EDIT_REPORT}{report.id}"),
            Option(t("mine.btn.withdraw", lang, number=report.id), f"{CB_WITHDRAW}{report.id}"),
        ]
    await show(update, context, Screen.of(await _full_text(context, report, lang), buttons))


async def _full_text(context: BotContext, report: VisitReport, lang: str) -> str:
    owner = await roster.get_cadre(context.db, report.cadre_id)
    filer = await roster.get_cadre(context.db, report.filed_by_id)
    place = await places.cell_place(context.db, report.cell_id)
    none = t("visit.none", lang)
    issues = "".join("\n" + t("mine.issue_line", lang, text=i.description, state=_issue_state(i, lang)) for i in report.issues)
    summary = t(
        "visit.summary",
        lang,
        cell=place.label if place else "?",
        day=format_date(report.meeting_date),
        quarter=Quarter.parse(report.quarter).label(lang),
        late=t("visit.late_mark", lang) if report.late else "",
        topics="\n".join(f"• {line}" for line in report.disseminated.splitlines()) or none,
        issues=issues or " " + none,
        photos=report.attachment_count,
        location=t("visit.yes", lang) if report.latitude is not None else none,
    )
    sent = parse_stamp(report.submitted_at).astimezone(context.clock.tz)
    return t(
        "mine.view",
        lang,
        number=report.id,
        state=t("mine.withdrawn", lang) if report.status == "withdrawn" else "",
        cadre=owner.full_name if owner else "?",
        filed_by=f" ({filer.full_name})" if filer and filer.id != report.cadre_id else "",
        sent=sent.strftime("%H:%M %d/%m/%Y"),
        summary=summary,
    )


async def ask_withdraw(update: Update, context: BotContext) -> None:
    """Withdrawing a report asks once more: the report stops counting."""
    await answer_button(update)
    report = await report_to_change(update, context, CB_WITHDRAW)
    if report is None:
        return
    lang = await context.lang(update)
    place = await places.cell_place(context.db, report.cell_id)
    text = t(
        "mine.confirm_withdraw",
        lang,
        number=report.id,
        cell=place.label if place else "?",
        day=format_date(report.meeting_date),
    )
    screen = Screen.of(
        text,
        Option(t("mine.btn.withdraw_yes", lang), f"{CB_WITHDRAW_YES}{report.id}"),
        Option(t("mine.btn.keep", lang), CB_KEEP),
    )
    await show(update, context, screen, edit=True)


async def withdraw(update: Update, context: BotContext) -> None:
    """Withdraws the cadre's own report: kept for the record, it no longer counts."""
    await answer_button(update)
    report = await report_to_change(update, context, CB_WITHDRAW_YES)
    cadre = await context.cadre()
    if report is None or cadre is None:
        return
    now = utc_stamp(context.clock.now())
    await reports.withdraw_visit(context.db, report.id, actor_id=cadre.id, now=now)
    lang = await context.lang(update)
    await show(update, context, Screen(t("mine.withdrawn_done", lang, number=report.id)), edit=True)
    await live.report_changed(context, report.cell_id)


async def keep(update: Update, context: BotContext) -> None:
    """«Không, giữ lại»: nothing changes."""
    await answer_button(update)
    await show(update, context, Screen(t("mine.kept", await context.lang(update))), edit=True)


def handlers() -> list:
    """/cuatoi, /xembaocao and the withdraw buttons."""
    return [
        CommandHandler(["cuatoi", "me"], show_mine),
        CommandHandler(["xembaocao", "viewreport"], view_report),
        CallbackQueryHandler(ask_withdraw, pattern=f"^{CB_WITHDRAW}"),
        CallbackQueryHandler(withdraw, pattern=f"^{CB_WITHDRAW_YES}"),
        CallbackQueryHandler(keep, pattern=f"^{CB_KEEP}$"),
    ]


async def _fund_lines(context: BotContext, cadre_id: int, lang: str) -> list[str]:
    """The cadre's own savings months (storage/fund.py), newest first; none, no line."""
    months = await fund.months_of(context.db, cadre_id, FUND_MONTHS)
    if not months:
        return []
    listed = ", ".join(t("mine.fund_month", lang, month=month_label(m), amount=format_dong(a)) for m, a in months)
    return ["", t("mine.fund", lang, months=listed)]
