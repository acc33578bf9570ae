"""The quarterly workbook's sheets on the follow-up of models (issue 14 part 2).

«Theo dõi mô hình»: one row per model of the scope — inspections in the quarter and the
last one, replications and commendations decided or waiting, the forms of commendation,
when it was converted, and whether it is overdue for inspection by its plan.
«Đề xuất mô hình»: one row per proposal filed or decided in the quarter, or waiting.
The figures are those of scheduler/model_summary.py, so the sheet and ``/tonghop`` agree.
Laid out like every sheet of the workbook (scheduler/xlsx.py); scheduler/workbook.py
hands over its header-block maker, so this module does not import it back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.texts import t
from domain.clock import parse_stamp
from scheduler import xlsx
from scheduler.model_summary import ModelProgramme, form_name
from scheduler.xlsx import DATE_FORMAT, INTEGER_FORMAT, Column
from storage.model_programme import ModelFollowUp
from storage.proposals import APPROVED, COMMEND, Proposal

SheetMaker = Callable[[str, int], Worksheet]  # (title key, width) -> a sheet with its header block


def add_sheets(workbook: Workbook, make_sheet: SheetMaker, programme: ModelProgramme | None,
               quarter_proposals: list[Proposal], made_at: datetime, lang: str) -> None:
    if programme is None:
        return
    _follow_up_sheet(make_sheet, programme, made_at, lang)
    _proposals_sheet(make_sheet, quarter_proposals, made_at, lang)


def _local_date(stamp: str | None, made_at: datetime) -> date | None:
    if not stamp:
        return None
    assert made_at.tzinfo is not None
    return parse_stamp(stamp).astimezone(made_at.tzinfo).date()


def _follow_up_sheet(make_sheet: SheetMaker, programme: ModelProgramme, made_at: datetime, lang: str) -> None:
    overdue = {model for model, _ in programme.overdue} if programme.overdue is not None else None
    columns = [
        Column(t("pr.wb.col.code", lang)), Column(t("pr.wb.col.model", lang), wrap=True),
        Column(t("pr.wb.col.level", lang)), Column(t("pr.wb.col.model_status", lang)),
        Column(t("pr.wb.col.inspections", lang), INTEGER_FORMAT), Column(t("pr.wb.col.last_inspected", lang), DATE_FORMAT),
        Column(t("pr.wb.col.replicated", lang), INTEGER_FORMAT),
        Column(t("pr.wb.col.replications_waiting", lang), INTEGER_FORMAT),
        Column(t("pr.wb.col.commended", lang), INTEGER_FORMAT), Column(t("pr.wb.col.forms", lang), wrap=True),
        Column(t("pr.wb.col.commendations_waiting", lang), INTEGER_FORMAT),
        Column(t("pr.wb.col.converted_on", lang), DATE_FORMAT),
    ]
    if overdue is not None:
        columns.append(Column(t("pr.wb.col.overdue", lang)))
    ws = make_sheet("pr.wb.follow_sheet", len(columns))
    rows = [_follow_up_row(m, made_at, lang, overdue) for m in programme.models]
    last = xlsx.table(ws, columns, rows)
    total = last + 1
    sums = {n: (xlsx.over("SUM", letter, last), INTEGER_FORMAT) for n, letter in ((5, "E"), (7, "G"), (8, "H"), (9, "I"), (11, "K"))}
    xlsx.totals_row(ws, total, t("wb.total", lang), {2: (xlsx.over("COUNTA", "B", last), INTEGER_FORMAT), **sums})
    xlsx.finish(ws, columns, total)


def _follow_up_row(m: ModelFollowUp, made_at: datetime, lang: str, overdue: set[int] | None) -> list[object]:
    row: list[object] = [
        m.code, m.name, t(f"wb.level.{m.level}", lang), t(f"wb.model.{m.status}", lang), m.inspections,
        _local_date(m.last_inspected_at, made_at), m.replications_approved, m.replications_waiting,
        m.commendations_approved, "; ".join(form_name(f, lang) for f in m.commendation_forms) or None,
        m.commendations_waiting, _local_date(m.closed_at, made_at) if m.converted else None,
    ]
    if overdue is not None:
        row.append(t("pr.wb.yes", lang) if m.model_id in overdue else None)
    return row


def _proposals_sheet(make_sheet: SheetMaker, quarter_proposals: list[Proposal], made_at: datetime, lang: str) -> None:
    columns = [
        Column(t("pr.wb.col.number", lang), INTEGER_FORMAT), Column(t("pr.wb.col.kind", lang)),
        Column(t("pr.wb.col.model", lang), wrap=True), Column(t("pr.wb.col.target", lang), wrap=True),
        Column(t("pr.wb.col.proposer", lang), wrap=True), Column(t("pr.wb.col.proposed_on", lang), DATE_FORMAT),
        Column(t("pr.wb.col.status", lang)), Column(t("pr.wb.col.decided_on", lang), DATE_FORMAT),
        Column(t("pr.wb.col.form", lang), wrap=True), Column(t("pr.wb.col.note", lang), wrap=True),
    ]
    ws = make_sheet("pr.wb.sheet", len(columns))
    rows = [
        [p.id, t(f"pr.kind.{p.kind}", lang), p.model_name, p.target_name, p.proposer_name,
         _local_date(p.proposed_at, made_at), t(f"pr.status.{p.status}", lang), _local_date(p.decided_at, made_at),
         _form(p, lang), _note(p)]
        for p in quarter_proposals
    ]
    last = xlsx.table(ws, columns, rows)
    xlsx.totals_row(ws, last + 1, t("wb.total", lang), {3: (xlsx.over("COUNTA", "C", last), INTEGER_FORMAT)})
    xlsx.finish(ws, columns, last + 1)


def _form(p: Proposal, lang: str) -> str | None:
    if p.kind != COMMEND or p.status != APPROVED or p.decision_form is None:
        return None
    return p.decision if p.decision_form == "other" and p.decision else form_name(p.decision_form, lang)


def _note(p: Proposal) -> str | None:
    parts = [p.detail] + ([p.decision] if p.decision and p.decision_form != "other" else [])
    return " — ".join(part for part in parts if part) or None
