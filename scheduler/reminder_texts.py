"""What a visit reminder says: one message per cadre and slot, a button per due cell.

Most of a slot's reminder is the same for every cadre who reads the same language on the
same messenger: why now (the lead) and how long is left (in days and working days).
``SlotTexts`` makes those once per sweep, so a fan-out of 10,000 reminders does not count
the quarter's working days 10,000 times; only the cells and their buttons are per cadre.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from bot.screens import Option, Screen
from bot.texts import t, text_variant
from domain.callbacks import CB_START_FOR_CELL
from domain.dates import format_date
from domain.quarters import Quarter
from domain.workdays import WorkCalendar
from scheduler import meetings
from scheduler.schedule import KIND_LAST, KIND_START, Slot
from storage.reminders import ReminderTarget


def cell_label(target: ReminderTarget) -> str:
    return f"{target.cell_name} ({target.commune_name})" if target.commune_name else target.cell_name


def _days_left(quarter: Quarter, today: date, calendar: WorkCalendar, lang: str) -> str:
    """'Còn 30 ngày, đến hết ngày 31/12/2026 (22 ngày làm việc).'"""
    return t(
        "sched.remind.days_left", lang, days=quarter.days_left(today), end=format_date(quarter.last_day),
        workdays=calendar.working_days_between(today, quarter.last_day),
    )


@dataclass(frozen=True)
class ReminderMessage:
    """One cadre's reminder for one slot: every cell they still owe a visit, in one message."""

    targets: tuple[ReminderTarget, ...]

    @property
    def cadre(self) -> ReminderTarget:
        return self.targets[0]

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return [(target.cadre_id, target.cell_id) for target in self.targets]

    def only(self, pairs: set[tuple[int, int]]) -> ReminderMessage | None:
        """The message about the cells among ``pairs`` (those claimed), or None if none."""
        kept = tuple(target for target in self.targets if (target.cadre_id, target.cell_id) in pairs)
        return ReminderMessage(kept) if kept else None


def by_cadre(targets: list[ReminderTarget]) -> list[ReminderMessage]:
    """Targets ordered by cadre, as one message per cadre."""
    return [ReminderMessage(tuple(group)) for _, group in groupby(targets, key=lambda target: target.cadre_id)]


def _lead(slot: Slot, today: date, lang: str) -> str:
    quarter = slot.quarter
    if slot.kind == KIND_START:
        return t("sched.remind.lead.start", lang, quarter=quarter.label(lang))
    if slot.kind == KIND_LAST and today >= quarter.last_day:
        return t("sched.remind.lead.last", lang, quarter=quarter.label(lang))
    if slot.kind == KIND_LAST:  # the quarter ends on a day off: its last working day
        return t("sched.remind.lead.last_working", lang, quarter=quarter.label(lang))
    return t("sched.remind.lead.before", lang, days=quarter.days_left(today), quarter=quarter.label(lang))


def _frame(slot: Slot, today: date, lang: str, calendar: WorkCalendar) -> tuple[str, str]:
    """(why now, how long is left): the same for every cadre of the slot in ``lang``."""
    quarter = slot.quarter
    if slot.kind == KIND_START or slot.kind == KIND_LAST:
        left = _days_left(quarter, today, calendar, lang)
    else:  # the lead already says how many days are left: only the deadline
        left = t("remind.deadline", lang, end=format_date(quarter.last_day),
                 workdays=calendar.working_days_between(today, quarter.last_day))
    return _lead(slot, today, lang), left


@dataclass
class SlotTexts:
    """A slot's lead and days-left lines, made once per language and messenger variant
    (the current ``text_variant``: "press" on Telegram, "type" on Zalo)."""

    slot: Slot
    today: date
    calendar: WorkCalendar
    _made: dict[tuple[str, str | None], tuple[str, str]] = field(default_factory=dict)

    def frame(self, lang: str) -> tuple[str, str]:
        key = (lang, text_variant.get())
        if key not in self._made:
            self._made[key] = _frame(self.slot, self.today, lang, self.calendar)
        return self._made[key]


def _short_cell(name: str) -> str:
    """'Chi bộ thôn 9' → 'thôn 9', for a button."""
    return name[len("chi bộ ") :] if name.lower().startswith("chi bộ ") else name


def reminder_screen(
    message: ReminderMessage | ReminderTarget, slot: Slot, today: date, lang: str,
    calendar: WorkCalendar | None = None, meetings_next: dict[int, datetime] | None = None,
    texts: SlotTexts | None = None,
) -> Screen:
    """The reminder: why now, which cells (when each meets: its next announced meeting,
    ``meetings_next`` by cell id, else its usual day), how long is left (in days and in
    working days, said once), and a button per cell. ``texts``: the slot's prepared lines."""
    coming = {cell: meetings.short_when(starts, lang) for cell, starts in (meetings_next or {}).items()}
    if isinstance(message, ReminderTarget):
        message = ReminderMessage((message,))
    lead, left = (texts or SlotTexts(slot, today, calendar or WorkCalendar())).frame(lang)
    targets = message.targets
    if len(targets) == 1:
        target = targets[0]
        lines = [lead, "", t("sched.remind.body", lang, cell=cell_label(target))]
        if target.cell_id in coming:
            lines.append(t("meet.next", lang, cell=target.cell_name, when=coming[target.cell_id]))
        elif target.meeting_day:
            lines.append(t("sched.remind.meeting_day", lang, day=target.meeting_day))
        lines += [left, "", t("sched.remind.action", lang)]
        button = Option(t("sched.btn.report_now", lang), f"{CB_START_FOR_CELL}{target.cell_id}")
        return Screen.of("\n".join(lines), button)
    lines = [lead, "", t("remind.cells_head", lang, count=len(targets))]
    for target in targets:
        if target.cell_id in coming:
            lines.append(t("meet.cell_line", lang, cell=cell_label(target), when=coming[target.cell_id]))
        elif target.meeting_day:
            lines.append(t("remind.cell_line_meets", lang, cell=cell_label(target), day=target.meeting_day))
        else:
            lines.append(t("remind.cell_line", lang, cell=cell_label(target)))
    lines += [left, "", t("remind.action_many", lang)]
    buttons = [
        Option(t("remind.btn.cell", lang, cell=_short_cell(target.cell_name)), f"{CB_START_FOR_CELL}{target.cell_id}")
        for target in targets
    ]
    return Screen.of("\n".join(lines), *buttons)


def secretary_text(target: ReminderTarget, quarter: Quarter, today: date, lang: str, calendar: WorkCalendar) -> str:
    """To a cell's secretary: which committee member still owes this quarter's visit."""
    return "\n".join([
        t("sched.secretary.lead", lang, cadre=target.cadre_name, cell=cell_label(target),
          quarter=quarter.label(lang)),
        _days_left(quarter, today, calendar, lang),
        "",
        t("sched.secretary.action", lang),
    ])
