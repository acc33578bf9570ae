"""A summary as texts a phone can show (the numbers come from scheduler/summaries.py).

Short sections — coverage by commune with the four statuses (due, filed, late,
excused), who is still due and how long is left, who is excused and until when (never
why: a group reads it), reports filed on a cadre's behalf, open escalations and their
age, model assessments and proposals, cadres the bot cannot reach — cut into messages
by scheduler/message_split.py. Plain text, no parse mode: names never break the markup.

A digest sends the "still due" section apart, as one message of its own
(``render_due_message``, cut to fit with "… and N more"), which scheduler/live.py edits
in place as reports arrive. The top unit's group gets ``render_top``
(scheduler/top_summary.py).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from itertools import groupby
from typing import TYPE_CHECKING

from bot.texts import t
from domain.clock import parse_stamp
from domain.collation import natural_key, sort_key
from domain.dates import format_date
from scheduler import model_summary, top_summary
from scheduler.materials import receipt_lines
from scheduler.meetings import meeting_lines
from scheduler.message_split import MESSAGE_LIMIT, split_message, utf16_len
from storage import summaries as store
from storage.summaries import DueVisit

if TYPE_CHECKING:
    from scheduler.summaries import Summary

MAX_DUE_LINES = 150  # cadre lines; a province-wide summary would otherwise be a book
MAX_ESCALATIONS = 15
MAX_UNREACHABLE = 50
MAX_EXCUSED_LINES = 50
ESCALATION_TEXT = 80  # characters of an escalation shown
DUE_MESSAGE_RESERVE = 200  # room in the due message for its "… and N more" and time lines


def _percent(done: int, due: int) -> int:
    return store.percent(done, due)


def _local_date(stamp: str, tz: tzinfo) -> date:
    return parse_stamp(stamp).astimezone(tz).date()


def _short_cell(name: str) -> str:
    """'Chi bộ thôn 9' → 'thôn 9': the section already says these are cells."""
    return name[len("chi bộ ") :] if name.lower().startswith("chi bộ ") else name


def _natural(name: str) -> tuple[object, ...]:
    """'thôn 9' before 'thôn 12', 'Đức Hòa' after the D's (Vietnamese order)."""
    return natural_key(name)


def _header(s: Summary, lang: str) -> list[str]:
    scope = s.scope_name or t("sched.scope_all", lang)
    quarter = s.quarter.label(lang)
    if s.final or s.kind == "quarter":
        title = t("sched.sum.title_final", lang, quarter=quarter, scope=scope)
    elif s.kind == "weekly":
        title = t("sched.sum.title_weekly", lang, quarter=quarter, scope=scope)
    else:
        title = t("sched.sum.title", lang, quarter=quarter, scope=scope)
    if s.final:
        when = t("sched.sum.as_of_final", lang, date=format_date(s.quarter.last_day))
    else:
        when = t("sched.sum.as_of", lang, date=format_date(s.today), days=s.quarter.days_left(s.today))
    return [title, when]


def _statuses(lang: str, filed: int, late: int, excused: int, due: int) -> str:
    """'đã dự 1, chưa dự 13': the statuses that are not zero (a line of zeros hides the
    one that matters), in a fixed order."""
    counts = {"filed": filed, "late": late, "excused": excused, "due": due}
    shown = [t(f"sum.status.{status}", lang, count=count) for status, count in counts.items() if count]
    return ", ".join(shown) or t("sum.status.due", lang, count=0)


def _coverage(s: Summary, lang: str) -> list[str]:
    """Visits done of those owed (excused ones are not owed), then each commune with
    its four statuses."""
    if not s.coverage:
        return [t("sched.sum.coverage_none", lang)]
    lines = [
        t("sched.sum.coverage_head", lang, done=s.total_done, due=s.total_owed,
          pct=_percent(s.total_done, s.total_owed)),
        _statuses(lang, s.total("filed"), s.total("late"), s.total("excused"), s.total("due")),
    ]
    for row in sorted(s.coverage, key=lambda c: _natural(c.commune or "\uffff")):
        commune = row.commune or t("sched.sum.other_commune", lang)
        lines.append(
            t("sched.sum.coverage_line", lang, commune=commune, done=row.done, due=row.owed, pct=row.percent,
              statuses=_statuses(lang, row.filed, row.late, row.excused, row.due))
        )
    return lines


def _still_due(s: Summary, lang: str) -> list[str]:
    if not s.due:
        return [t("sched.sum.due_none", lang)] if s.coverage else []
    count = s.total_due
    if s.final:
        lines = [t("sched.sum.due_head_final", lang, count=count)]
    else:
        lines = [t("sched.sum.due_head", lang, count=count, days=s.quarter.days_left(s.today))]
    cadre_lines = 0
    shown = 0
    ordered = sorted(s.due, key=lambda v: (_natural(v.commune or "\uffff"), sort_key(v.cadre_name), v.cadre_id))
    for commune, visits in groupby(ordered, key=lambda v: v.commune):
        if cadre_lines >= MAX_DUE_LINES:
            break
        lines.append(t("sched.sum.due_commune", lang, commune=commune or t("sched.sum.other_commune", lang)))
        for _, own in groupby(visits, key=lambda v: v.cadre_id):
            if cadre_lines >= MAX_DUE_LINES:
                break
            own_visits = list(own)
            lines.append(_due_line(own_visits, lang))
            cadre_lines += 1
            shown += len(own_visits)
    if shown < count:
        lines.append(t("sched.sum.more_due", lang, count=count - shown))
    return lines


def _due_line(visits: list[DueVisit], lang: str) -> str:
    first = visits[0]
    marks = ""
    if not first.linked:
        marks = t("sched.sum.mark_unlinked", lang)
    elif first.unreachable_since:
        marks = t("sched.sum.mark_unreachable", lang)
    cells = ", ".join(sorted((_short_cell(v.cell_name) for v in visits), key=_natural))
    return t("sched.sum.due_line", lang, cadre=first.cadre_name, cells=cells, marks=marks)


def _excused(s: Summary, lang: str) -> list[str]:
    """Who is excused and until when, never why: the reason is between the cadre and the
    admin, and a group reads this."""
    if not s.excused:
        return []
    lines = [t("sched.sum.excused_head", lang, count=s.total("excused") or len(s.excused))]
    ordered = sorted(s.excused, key=lambda v: (_natural(v.commune or "\uffff"), sort_key(v.cadre_name), v.cadre_id))
    shown = 0
    for _, own in groupby(ordered, key=lambda v: (v.commune, v.cadre_id)):
        if shown >= MAX_EXCUSED_LINES:
            break
        visits = list(own)
        cells = ", ".join(sorted((_short_cell(v.cell_name) for v in visits), key=_natural))
        until = max(v.until for v in visits)
        lines.append(
            t("sched.sum.excused_line", lang, cadre=visits[0].cadre_name, cells=cells,
              until=format_date(date.fromisoformat(until)))
        )
        shown += 1
    return lines


def _on_behalf(s: Summary, lang: str) -> list[str]:
    """Reports filed for a cadre by someone else: how many, and whose, with both names."""
    if not s.on_behalf.count:
        return []
    lines = [t("sched.sum.on_behalf_head", lang, count=s.on_behalf.count)]
    for report in s.on_behalf.reports:
        cell = f"{_short_cell(report.cell_name)}, {report.commune}" if report.commune else _short_cell(report.cell_name)
        lines.append(
            t("sched.sum.on_behalf_line", lang, number=report.report_id, cadre=report.cadre_name, cell=cell,
              filer=report.filer_name, mark=t("sched.sum.mark_on_behalf", lang))
        )
    if s.on_behalf.count > len(s.on_behalf.reports):
        lines.append(t("sched.sum.on_behalf_more", lang, count=s.on_behalf.count - len(s.on_behalf.reports)))
    return lines


def _escalations(s: Summary, lang: str) -> list[str]:
    count = len(s.escalations) if s.escalation_count is None else s.escalation_count
    if not count:
        return [t("sched.sum.esc_none", lang)]
    lines = [t("sched.sum.esc_head", lang, count=count)]
    for e in s.escalations[:MAX_ESCALATIONS]:
        text = e.description if len(e.description) <= ESCALATION_TEXT else e.description[: ESCALATION_TEXT - 1] + "…"
        cell = f"{e.cell_name}, {e.commune}" if e.commune else e.cell_name
        acknowledged = t("sched.sum.esc_ack", lang) if e.status == "acknowledged" else ""
        if e.on_behalf:
            acknowledged += t("sched.sum.mark_on_behalf", lang)
        age = (s.today - _local_date(e.reported_at, s.tz)).days
        lines.append(
            t("sched.sum.esc_line", lang, number=e.issue_id, cell=cell, days=age,
              acknowledged=acknowledged, text=" ".join(text.split()))
        )
    if count > MAX_ESCALATIONS:
        lines.append(t("sched.sum.esc_more", lang, count=count - MAX_ESCALATIONS))
    return lines


def _models(s: Summary, lang: str) -> list[str]:
    period = t("sched.sum.period_week" if s.kind == "weekly" else "sched.sum.period_quarter", lang)
    activity = s.models
    if not activity.total:
        return [t("sched.sum.models_none", lang, period=period)]
    counts = activity.assessments
    lines = [
        t("sched.sum.models_head", lang, period=period, count=activity.total, good=counts.get("good", 0),
          fair=counts.get("fair", 0), ineffective=counts.get("ineffective", 0))
    ]
    for proposal in activity.proposals:
        places = t("sched.sum.places", lang, places=proposal.places) if proposal.places.strip() else ""
        key = "sched.sum.proposal_replicate" if proposal.proposal == "replicate" else "sched.sum.proposal_convert"
        lines.append(t(key, lang, model=proposal.model_name, places=places))
    return lines


def _unreachable(s: Summary, lang: str) -> list[str]:
    if not s.unreachable:
        return []
    lines = [t("sched.sum.unreachable_head", lang, count=len(s.unreachable))]
    for cadre in s.unreachable[:MAX_UNREACHABLE]:
        since = format_date(_local_date(cadre.since, s.tz))
        lines.append(t("sched.sum.unreachable_line", lang, cadre=cadre.cadre_name, since=since))
    if len(s.unreachable) > MAX_UNREACHABLE:
        lines.append(t("sched.sum.more_cadres", lang, count=len(s.unreachable) - MAX_UNREACHABLE))
    return lines


def render(summary: Summary, lang: str, *, due_apart: bool = False) -> list[str]:
    """The summary as messages, each under Telegram's limit; ``due_apart``: without the
    "still due" section (a digest sends it as its own message, see render_due_message)."""
    if summary.children is not None:
        return render_top(summary, lang)
    sections = [
        _header(summary, lang),
        _coverage(summary, lang),
        [] if due_apart else _still_due(summary, lang),
        _excused(summary, lang),
        _on_behalf(summary, lang),
        _escalations(summary, lang),
        _models(summary, lang),
        model_summary.lines(summary.programme, lang),
        receipt_lines(summary.materials, lang, summary.tz),
        meeting_lines(summary.meetings, lang),
        _unreachable(summary, lang),
    ]
    text = "\n\n".join("\n".join(lines) for lines in sections if lines)
    return split_message(text, lang)


def render_top(summary: Summary, lang: str) -> list[str]:
    """The top unit's compact summary: coverage by the units under it, the lowest ten
    communes, how many are still due, escalations and models (at most 3 messages)."""
    children = sorted(summary.children or [], key=lambda c: _natural(c.commune or "\uffff"))
    cover = [
        t("sched.sum.coverage_head", lang, done=summary.total_done, due=summary.total_owed,
          pct=_percent(summary.total_done, summary.total_owed)),
        _statuses(lang, summary.total("filed"), summary.total("late"), summary.total("excused"), summary.total("due")),
        t("sum.children_head", lang, count=len(children)),
    ]
    for row in children[: top_summary.MAX_CHILDREN]:
        cover.append(t("sched.sum.coverage_line", lang, commune=row.commune or t("sched.sum.other_commune", lang),
                       done=row.done, due=row.owed, pct=row.percent,
                       statuses=_statuses(lang, row.filed, row.late, row.excused, row.due)))  # fmt: skip
    if len(children) > top_summary.MAX_CHILDREN:
        cover.append(t("sum.more_children", lang, count=len(children) - top_summary.MAX_CHILDREN))
    worst = top_summary.lowest(summary.coverage)
    low = [t("sum.lowest_head", lang, count=len(worst))] + [
        t("sched.sum.coverage_line", lang, commune=row.commune or t("sched.sum.other_commune", lang), done=row.done,
          due=row.owed, pct=row.percent, statuses=_statuses(lang, row.filed, row.late, row.excused, row.due))
        for row in worst
    ]
    due = [t("sum.due_elsewhere", lang, count=summary.total_due)] if summary.total_due else []
    sections = [_header(summary, lang), cover, low, due, _escalations(summary, lang), _models(summary, lang),
                model_summary.lines(summary.programme, lang)]
    text = "\n\n".join("\n".join(lines) for lines in sections if lines)
    return split_message(text, lang)


def render_due_message(summary: Summary, lang: str, updated: datetime | None) -> str:
    """The "still due" list as one message under Telegram's limit: its scope and quarter,
    the cadres still due (cut with "… and N more comrades" when long), and when it was
    last brought up to date (no time line when ``updated`` is None: the list alone, to
    compare). A digest sends it; the live due list edits it."""
    scope = summary.scope_name or t("sched.scope_all", lang)
    title = t("sched.due.title", lang, quarter=summary.quarter.label(lang), scope=scope)
    stamp = [] if updated is None else [
        "", t("sched.due.updated", lang, time=f"{updated:%H:%M}", date=format_date(updated.date()))
    ]
    listed = summary.due_list
    if not summary.due:
        any_owed = listed.obligations if listed is not None else summary.coverage
        body = t("sched.sum.due_none", lang) if any_owed else t("sched.sum.coverage_none", lang)
        return "\n".join([title, body, *stamp])
    count = listed.total if listed is not None else summary.total_due or len(summary.due)
    lines = [title]
    if summary.final:
        lines.append(t("sched.sum.due_head_final", lang, count=count))
    else:
        lines.append(t("sched.sum.due_head", lang, count=count, days=summary.quarter.days_left(summary.today)))
    budget = MESSAGE_LIMIT - DUE_MESSAGE_RESERVE - utf16_len("\n".join(lines))
    shown: set[int] = set()
    ordered = sorted(summary.due, key=lambda v: (_natural(v.commune or "\uffff"), sort_key(v.cadre_name), v.cadre_id))
    for commune, visits in groupby(ordered, key=lambda v: v.commune):
        heading = t("sched.sum.due_commune", lang, commune=commune or t("sched.sum.other_commune", lang))
        block, full = [heading], False
        for cadre_id, own in groupby(visits, key=lambda v: v.cadre_id):
            line = _due_line(list(own), lang)
            if utf16_len("\n".join([*block, line])) + 1 > budget:
                full = True
                break
            block.append(line)
            shown.add(cadre_id)
        if len(block) > 1:
            lines += block
            budget -= utf16_len("\n".join(block)) + 1
        if full:
            break
    total = summary.due_cadres if summary.due_cadres is not None else len({v.cadre_id for v in summary.due})
    if total > len(shown):
        lines.append(t("sched.due.more", lang, count=total - len(shown)))
    return "\n".join([*lines, *stamp])
