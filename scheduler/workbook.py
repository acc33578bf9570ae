"""The official quarterly report as an Excel workbook: what the office used to retype.

Why here, in scheduler/: the workbook is another rendering of a summary, beside
scheduler/summaries.py (the text) and scheduler/charts.py (the PNG). Both the operator's
CLI (``baocao report xlsx``) and a handler (``/baocaoquy``) make it, so it must sit below
handlers/; and the layout is fixed (bot/ handlers/ storage/ scheduler/), so no new
top-level package. Its SQL lives in storage/quarterly.py; its sheet layout in
scheduler/xlsx.py.

The figures come from the summaries' own definition: the Tổng hợp sheet is
storage/summaries.py ``coverage`` with scheduler/summaries.py ``obligation_window`` —
exactly what ``/tonghop`` shows for the same scope, quarter and day — and the Chi tiết
sheet lists the same obligations one by one (storage/quarterly.py ``detail``).

Sheets: Tổng hợp (per commune, with an editable openpyxl bar chart), Chi tiết (one row
per cadre and cell), Kiến nghị (every issue raised in the quarter), Mô hình (every
model), Tài liệu (the quarter's materials, their receipt rate, the cells not confirmed),
Theo dõi mô hình and Đề xuất mô hình (inspections, replications, commendations and
conversions: scheduler/programme_workbook.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from bot.config import Config
from bot.texts import t
from domain.clock import parse_stamp, utc_stamp
from domain.dates import format_date
from domain.quarters import Quarter
from domain.collation import sort_key
from scheduler import model_summary, programme_workbook, xlsx
from scheduler.model_summary import ModelProgramme
from scheduler.summaries import obligation_window, quarter_materials
from scheduler.summary_text import _natural
from scheduler.xlsx import DATE_FORMAT, FIRST_ROW, INTEGER_FORMAT, PERCENT_FORMAT, Column
from storage import proposals, quarterly
from storage.proposals import Proposal
from storage import summaries as store
from storage.db import Executor
from storage import meetings as meeting_store
from storage.materials import Receipt
from storage.meetings import CellMeetings
from storage.quarterly import DetailRow, IssueRow, ModelRow
from storage.summaries import CommuneCoverage

MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class QuarterReport:
    """Everything the workbook shows, read once."""

    organisation: str
    scope_name: str | None
    quarter: Quarter
    made_at: datetime  # local time
    as_of: date  # the day the figures are counted at: today, or the quarter's last day
    coverage: list[CommuneCoverage]
    detail: list[DetailRow]
    issues: list[IssueRow]
    models: list[ModelRow]
    materials: list[Receipt]
    meetings: list[CellMeetings] = field(default_factory=list)
    # The follow-up of models and the quarter's proposals (scheduler/programme_workbook.py).
    programme: ModelProgramme | None = None
    proposals: list[Proposal] = field(default_factory=list)


async def load_report(
    db: Executor, scope: int | None, quarter: Quarter, now: datetime, *, organisation: str
) -> QuarterReport:
    """The report of ``quarter`` for a scope (None: everything), as counted at ``now``."""
    tz = now.tzinfo
    assert tz is not None
    window = await obligation_window(db, quarter, now.date())
    quarter_end = datetime.combine(quarter.last_day + timedelta(days=1), time(0), tz)
    return QuarterReport(
        organisation=organisation,
        scope_name=await store.scope_name(db, scope),
        quarter=quarter,
        made_at=now,
        as_of=date.fromisoformat(str(window["as_of"])),
        coverage=await store.coverage(db, scope, window),
        detail=await quarterly.detail(db, scope, window),
        issues=await quarterly.issues(db, scope, quarter=quarter.key),
        models=await quarterly.models(db, scope, until=utc_stamp(min(now, quarter_end))),
        materials=await quarter_materials(db, scope, quarter, tz),
        meetings=await meeting_store.per_cell(db, scope, quarter.first_day, quarter.last_day, now.replace(tzinfo=None)),
        programme=await model_summary.load_programme(db, scope, quarter, now),
        proposals=await proposals.of_quarter(db, quarter.key, scope),
    )


def file_name(report: QuarterReport) -> str:
    """'bao-cao-2026-Q4.xlsx': ASCII, so every phone and mail client keeps it."""
    return f"bao-cao-{report.quarter.key}.xlsx"


def to_bytes(report: QuarterReport, lang: str = "vi") -> bytes:
    out = io.BytesIO()
    build(report, lang).save(out)
    return out.getvalue()


def build(report: QuarterReport, lang: str = "vi") -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _summary_sheet(workbook, report, lang)
    _detail_sheet(workbook, report, lang)
    _issues_sheet(workbook, report, lang)
    _models_sheet(workbook, report, lang)
    _materials_sheet(workbook, report, lang)
    _meetings_sheet(workbook, report, lang)
    programme_workbook.add_sheets(
        workbook, lambda key, width: _sheet(workbook, report, key, lang, width), report.programme,
        report.proposals, report.made_at, lang,
    )
    return workbook


# --- helpers --------------------------------------------------------------------------------


def _sheet(workbook: Workbook, report: QuarterReport, key: str, lang: str, width: int) -> Worksheet:
    ws = workbook.create_sheet(t(key, lang))
    scope = report.scope_name or t("wb.scope_all", lang)
    xlsx.header_block(
        ws,
        [
            report.organisation,
            t("wb.title", lang, quarter=report.quarter.label(lang).upper(), scope=scope),
            t("wb.made_on", lang, date=format_date(report.made_at.date()), as_of=format_date(report.as_of)),
        ],
        width,
    )
    return ws


def _local_date(stamp: str | None, report: QuarterReport) -> date | None:
    if not stamp:
        return None
    assert report.made_at.tzinfo is not None
    return parse_stamp(stamp).astimezone(report.made_at.tzinfo).date()


def _commune(name: str | None, lang: str) -> str:
    return name or t("wb.other_commune", lang)


def coverage_ratio(row: CommuneCoverage) -> float:
    """Visits made of visits owed, as Excel's 0% shows it (the same rounding as /tonghop)."""
    return row.done / row.owed if row.owed else 1.0


# --- Tổng hợp ---------------------------------------------------------------------------------


SUMMARY_COLUMNS = ("wb.col.unit", "wb.col.assignments", "wb.col.filed", "wb.col.late", "wb.col.excused",
                   "wb.col.due", "wb.col.coverage")


def _summary_sheet(workbook: Workbook, report: QuarterReport, lang: str) -> None:
    columns = [Column(t(SUMMARY_COLUMNS[0], lang))]
    columns += [Column(t(key, lang), INTEGER_FORMAT) for key in SUMMARY_COLUMNS[1:-1]]
    columns.append(Column(t(SUMMARY_COLUMNS[-1], lang), PERCENT_FORMAT))
    ws = _sheet(workbook, report, "wb.sheet.summary", lang, len(columns))
    ordered = sorted(report.coverage, key=lambda c: _natural(c.commune or "\uffff"))
    rows = [
        [_commune(c.commune, lang), c.filed + c.late + c.excused + c.due, c.filed, c.late, c.excused, c.due,
         coverage_ratio(c)]
        for c in ordered
    ]
    last = xlsx.table(ws, columns, rows)
    total = last + 1
    sums: dict[int, tuple[str | int, str | None]] = {
        col: (xlsx.over("SUM", letter, last), INTEGER_FORMAT) for col, letter in enumerate("BCDEF", start=2)
    }
    sums[7] = (f"=IF(C{total}+D{total}+F{total}=0,1,(C{total}+D{total})/(C{total}+D{total}+F{total}))",
               PERCENT_FORMAT)
    xlsx.totals_row(ws, total, t("wb.total", lang), sums)
    xlsx.finish(ws, columns, total)
    if rows:
        _coverage_chart(ws, report, lang, last)


def _coverage_chart(ws: Worksheet, report: QuarterReport, lang: str, last: int) -> None:
    """Coverage by commune, drawn by Excel from the cells (so it stays editable)."""
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: long commune names read well
    chart.title = t("wb.chart.title", lang, quarter=report.quarter.label(lang))
    chart.y_axis.title = t("wb.chart.axis", lang)
    chart.y_axis.number_format = PERCENT_FORMAT
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend = None
    data = Reference(ws, min_col=7, min_row=xlsx.HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=FIRST_ROW, max_row=last))
    chart.height = max(7.5, 0.8 * (last - xlsx.HEADER_ROW) + 3)
    chart.width = 18
    ws.add_chart(chart, f"A{last + 4}")


# --- Chi tiết ---------------------------------------------------------------------------------


def _detail_sheet(workbook: Workbook, report: QuarterReport, lang: str) -> None:
    columns = [
        Column(t("wb.col.commune", lang)), Column(t("wb.col.cell", lang)), Column(t("wb.col.cadre_code", lang)),
        Column(t("wb.col.cadre", lang)), Column(t("wb.col.status", lang)),
        Column(t("wb.col.visit_date", lang), DATE_FORMAT), Column(t("wb.col.report_no", lang), INTEGER_FORMAT),
        Column(t("wb.col.filed_by", lang)),
    ]
    ws = _sheet(workbook, report, "wb.sheet.detail", lang, len(columns))
    ordered = sorted(
        report.detail,
        key=lambda r: (_natural(r.commune or "\uffff"), _natural(r.cell_name), sort_key(r.cadre_name), r.cadre_code),
    )
    rows = [
        [_commune(r.commune, lang), r.cell_name, r.cadre_code, r.cadre_name, t(f"status.{r.status.value}", lang),
         r.meeting_date, r.report_id, r.filed_by]
        for r in ordered
    ]
    last = xlsx.table(ws, columns, rows)
    xlsx.totals_row(ws, last + 1, t("wb.total", lang), {
        4: (xlsx.over("COUNTA", "D", last), INTEGER_FORMAT),
        7: (xlsx.over("COUNT", "G", last), INTEGER_FORMAT),
    })
    xlsx.finish(ws, columns, last + 1)


# --- Kiến nghị --------------------------------------------------------------------------------


def open_days(issue: IssueRow, report: QuarterReport) -> int:
    """Days an issue waited: settled on the spot, none; escalated, until its answer (or
    until today while it has none)."""
    if issue.resolution == "settled":
        return 0
    answered = _local_date(issue.answered_at, report)
    return max(((answered or report.made_at.date()) - issue.raised_on).days, 0)


def _issue_status(issue: IssueRow, lang: str) -> str:
    if issue.resolution == "settled":
        return t("wb.issue.settled", lang)
    return t(f"wb.issue.{issue.status}", lang)


def _issues_sheet(workbook: Workbook, report: QuarterReport, lang: str) -> None:
    columns = [
        Column(t("wb.col.issue_no", lang), INTEGER_FORMAT), Column(t("wb.col.commune", lang)),
        Column(t("wb.col.cell", lang)), Column(t("wb.col.raised_on", lang), DATE_FORMAT),
        Column(t("wb.col.raised_by", lang)), Column(t("wb.col.issue", lang), wrap=True),
        Column(t("wb.col.resolution", lang)), Column(t("wb.col.issue_status", lang)),
        Column(t("wb.col.answer", lang), wrap=True), Column(t("wb.col.answered_on", lang), DATE_FORMAT),
        Column(t("wb.col.open_days", lang), INTEGER_FORMAT),
    ]
    ws = _sheet(workbook, report, "wb.sheet.issues", lang, len(columns))
    rows = [
        [i.issue_id, _commune(i.commune, lang), i.cell_name, i.raised_on, i.cadre_name, i.description,
         t(f"wb.resolution.{i.resolution}", lang), _issue_status(i, lang), i.answer,
         _local_date(i.answered_at, report), open_days(i, report)]
        for i in report.issues
    ]
    last = xlsx.table(ws, columns, rows)
    xlsx.totals_row(ws, last + 1, t("wb.total", lang), {
        6: (xlsx.over("COUNTA", "F", last), INTEGER_FORMAT),
    })
    xlsx.finish(ws, columns, last + 1)


# --- Mô hình ----------------------------------------------------------------------------------


def _models_sheet(workbook: Workbook, report: QuarterReport, lang: str) -> None:
    columns = [
        Column(t("wb.col.model_code", lang)), Column(t("wb.col.model", lang), wrap=True),
        Column(t("wb.col.level", lang)), Column(t("wb.col.owner", lang), wrap=True),
        Column(t("wb.col.places", lang), wrap=True), Column(t("wb.col.model_status", lang)),
        Column(t("wb.col.assessment", lang)), Column(t("wb.col.assessed_on", lang), DATE_FORMAT),
        Column(t("wb.col.proposal", lang)), Column(t("wb.col.proposal_places", lang), wrap=True),
        Column(t("wb.col.inspected_on", lang), DATE_FORMAT),
    ]
    ws = _sheet(workbook, report, "wb.sheet.models", lang, len(columns))
    rows = [_model_row(m, report, lang) for m in report.models]
    last = xlsx.table(ws, columns, rows)
    xlsx.totals_row(ws, last + 1, t("wb.total", lang), {
        2: (xlsx.over("COUNTA", "B", last), INTEGER_FORMAT),
    })
    xlsx.finish(ws, columns, last + 1)


def _model_row(m: ModelRow, report: QuarterReport, lang: str) -> list[object]:
    return [
        m.code, m.name, t(f"wb.level.{m.level}", lang), m.owner, m.places, t(f"wb.model.{m.status}", lang),
        t(f"model.assessment.{m.assessment}", lang) if m.assessment else None,
        _local_date(m.assessed_at, report),
        t(f"model.proposal.{m.proposal}", lang) if m.proposal else None,
        m.proposal_places or None,
        _local_date(m.inspected_at, report),
    ]


# --- Tài liệu ---------------------------------------------------------------------------------


def _materials_sheet(workbook: Workbook, report: QuarterReport, lang: str) -> None:
    """The materials sent in the quarter, their receipt rate over the scope's cells, and
    the cells that have not confirmed them."""
    columns = [
        Column(t("wb.col.material_no", lang), INTEGER_FORMAT), Column(t("wb.col.material", lang), wrap=True),
        Column(t("wb.col.sent_on", lang), DATE_FORMAT), Column(t("wb.col.cells", lang), INTEGER_FORMAT),
        Column(t("wb.col.reached", lang), INTEGER_FORMAT), Column(t("wb.col.received", lang), INTEGER_FORMAT),
        Column(t("wb.col.receipt_rate", lang), PERCENT_FORMAT), Column(t("wb.col.not_received", lang), wrap=True),
    ]
    ws = _sheet(workbook, report, "wb.sheet.materials", lang, len(columns))
    rows = [
        [m.material_id, m.title, _local_date(m.created_at, report), m.cells, m.sent, m.received,
         m.received / m.cells if m.cells else 1.0, _not_received(m, lang)]
        for m in sorted(report.materials, key=lambda m: (m.created_at, m.material_id))
    ]
    last = xlsx.table(ws, columns, rows)
    total = last + 1
    xlsx.totals_row(ws, total, t("wb.total", lang), {
        4: (xlsx.over("SUM", "D", last), INTEGER_FORMAT),
        5: (xlsx.over("SUM", "E", last), INTEGER_FORMAT),
        6: (xlsx.over("SUM", "F", last), INTEGER_FORMAT),
        7: (f"=IF(D{total}=0,1,F{total}/D{total})", PERCENT_FORMAT),
    })
    xlsx.finish(ws, columns, total)


def _meetings_sheet(workbook: Workbook, report: QuarterReport, lang: str) -> None:
    """Every cell of the scope with its meetings announced and held in the quarter (/hop);
    a cell that announced none is marked: a finding for the committee."""
    columns = [
        Column(t("meet.wb.col.commune", lang)), Column(t("meet.wb.col.cell", lang)),
        Column(t("meet.wb.col.announced", lang), INTEGER_FORMAT), Column(t("meet.wb.col.held", lang), INTEGER_FORMAT),
        Column(t("meet.wb.col.note", lang), wrap=True),
    ]
    ws = _sheet(workbook, report, "meet.wb.sheet", lang, len(columns))
    rows = [
        [_commune(c.commune_name, lang), c.cell_name, c.announced, c.held,
         None if c.announced else t("meet.wb.none", lang)]
        for c in report.meetings
    ]
    last = xlsx.table(ws, columns, rows)
    total = last + 1
    xlsx.totals_row(ws, total, t("wb.total", lang), {
        3: (xlsx.over("SUM", "C", last), INTEGER_FORMAT),
        4: (xlsx.over("SUM", "D", last), INTEGER_FORMAT),
    })
    xlsx.finish(ws, columns, total)


def _not_received(receipt: Receipt, lang: str) -> str | None:
    cells = [f"{cell} ({_commune(commune, lang)})" for cell, commune in receipt.missing]
    return "; ".join(cells) or None


def organisation_name(config: Config) -> str:
    """The organisation in the header block: BAOCAO_ORG_NAME («Đảng ủy xã Đăk Ruồng»)."""
    return config.organisation.name
