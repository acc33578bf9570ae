"""``baocao fund xlsx``: the savings fund's ledger as a workbook, laid out like the
quarterly one (scheduler/xlsx.py): contributions by cadre × month, the aid proposed and
decided, and the balance at the end of each month. Amounts are the ledger's ints, written
as numbers, so the sheets add up in Excel as they do in the bot.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo

from openpyxl import Workbook

from bot.texts import t
from domain.clock import parse_stamp
from domain.money import month_key, month_label
from scheduler import xlsx
from scheduler.xlsx import Column
from storage import fund
from storage.db import Executor
from storage.fund import Entry

MONEY_FORMAT = "#,##0"


@dataclass(frozen=True, slots=True)
class FundLedger:
    organisation: str
    made: datetime
    units: list[tuple[int, str, str]]  # id, code, name
    entries: dict[int, list[Entry]]


async def load(db: Executor, unit_ids: set[int] | None, now: datetime, organisation: str) -> FundLedger:
    units = [u for u in await fund.treasurer_units(db) if unit_ids is None or u[0] in unit_ids]
    return FundLedger(organisation, now, units, {u[0]: await fund.entries(db, u[0]) for u in units})


def to_bytes(ledger: FundLedger, tz: tzinfo, lang: str = "vi") -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _contributions(workbook, ledger, lang)
    _aid(workbook, ledger, tz, lang)
    _balances(workbook, ledger, tz, lang)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(workbook: Workbook, ledger: FundLedger, key: str, columns: list[Column], rows: list[list[object]], lang: str) -> None:
    ws = workbook.create_sheet(t(f"{key}.sheet", lang)[:31])
    xlsx.header_block(ws, [ledger.organisation, t(f"{key}.title", lang),
                           t("fundx.made", lang, date=f"{ledger.made:%d/%m/%Y %H:%M}")], len(columns))
    last = xlsx.table(ws, columns, rows)
    xlsx.finish(ws, columns, last)


def _contributions(workbook: Workbook, ledger: FundLedger, lang: str) -> None:
    """One row per cadre and unit, one column per month: what they paid, net of reversals."""
    paid: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    months: set[str] = set()
    for unit_id, entries in ledger.entries.items():
        for e in entries:
            if e.month and e.kind in ("contribution", "reversal") and e.cadre_id is not None:
                paid[(unit_id, e.cadre_name or "")][e.month] += e.amount
                months.add(e.month)
    ordered = sorted(months)
    names = {u[0]: u[2] for u in ledger.units}
    columns = [Column(t("fundx.unit", lang)), Column(t("fundx.cadre", lang)),
               *(Column(month_label(m), MONEY_FORMAT) for m in ordered), Column(t("fundx.total", lang), MONEY_FORMAT)]
    rows = [
        [names[unit_id], name, *(by_month.get(m, 0) for m in ordered), sum(by_month.values())]
        for (unit_id, name), by_month in sorted(paid.items(), key=lambda item: (names[item[0][0]], item[0][1]))
    ]
    _sheet(workbook, ledger, "fundx.contributions", columns, rows, lang)


def _aid(workbook: Workbook, ledger: FundLedger, tz: tzinfo, lang: str) -> None:
    """Every proposal with its decision and whether the payment was reversed."""
    names = {u[0]: u[2] for u in ledger.units}
    rows: list[list[object]] = []
    for unit_id, entries in ledger.entries.items():
        decided = {e.decides_id: e for e in entries if e.decides_id is not None}
        reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
        for p in (e for e in entries if e.kind == "aid_proposed"):
            decision = decided.get(p.id)
            status = "pending" if decision is None else decision.kind
            if decision is not None and decision.id in reversed_ids:
                status = "reversed"
            rows.append([
                names[unit_id], p.id, _day(p.at, tz), t(f"fund.kind.{p.beneficiary_kind or 'household'}", lang),
                p.beneficiary or "", p.reason or "", p.requested or 0, t(f"fundx.status.{status}", lang),
                _day(decision.at, tz) if decision else None,
            ])
    columns = [Column(t("fundx.unit", lang)), Column("#", xlsx.INTEGER_FORMAT), Column(t("fundx.proposed_on", lang), xlsx.DATE_FORMAT),
               Column(t("fundx.kind", lang)), Column(t("fundx.beneficiary", lang), wrap=True),
               Column(t("fundx.reason", lang), wrap=True), Column(t("fundx.amount", lang), MONEY_FORMAT),
               Column(t("fundx.status", lang)), Column(t("fundx.decided_on", lang), xlsx.DATE_FORMAT)]
    _sheet(workbook, ledger, "fundx.aid", columns, rows, lang)


def _balances(workbook: Workbook, ledger: FundLedger, tz: tzinfo, lang: str) -> None:
    """Money in, money out and the balance at the end of every month with an entry."""
    names = {u[0]: u[2] for u in ledger.units}
    rows: list[list[object]] = []
    for unit_id, entries in ledger.entries.items():
        flows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for e in entries:
            if e.amount:
                local = parse_stamp(e.at).astimezone(tz)
                flows[month_key(local.year, local.month)][0 if e.amount > 0 else 1] += e.amount
        balance = 0
        for month in sorted(flows):
            money_in, money_out = flows[month]
            balance += money_in + money_out
            rows.append([names[unit_id], month_label(month), money_in, -money_out, balance])
    columns = [Column(t("fundx.unit", lang)), Column(t("fundx.month", lang)), Column(t("fundx.in", lang), MONEY_FORMAT),
               Column(t("fundx.out", lang), MONEY_FORMAT), Column(t("fundx.balance", lang), MONEY_FORMAT)]
    _sheet(workbook, ledger, "fundx.balances", columns, rows, lang)


def _day(stamp: str, tz: tzinfo) -> object:
    return parse_stamp(stamp).astimezone(tz).date()
