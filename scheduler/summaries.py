"""Group summaries: the numbers of a scope and quarter (storage/summaries.py) gathered
into a ``Summary``, which scheduler/summary_text.py turns into texts a phone can show and
scheduler/message_split.py cuts into messages under Telegram's 4096 characters.

``load_summary`` reads what a group's summary shows; a scope with many communes (the
top unit's group) gets the compact one of scheduler/top_summary.py. ``load_due_summary``
reads only the "still due" list that a digest sends apart and scheduler/live.py redraws.
The rendering and splitting names are re-exported here, where callers have always
found them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from domain.clock import utc_stamp
from domain.quarters import Quarter
from scheduler import model_summary, top_summary
from scheduler.model_summary import ModelProgramme
from scheduler.message_split import MESSAGE_LIMIT, PART_RESERVE, split_message, utf16_len
from scheduler.summary_text import MAX_ESCALATIONS, render, render_due_message, render_top
from storage import materials as material_store
from storage import meetings as meeting_store
from storage import obligations
from storage import summaries as store
from storage.db import Executor
from storage.materials import Receipt
from storage.meetings import CellMeetings
from storage.summaries import (
    CommuneCoverage,
    DueList,
    DueVisit,
    ExcusedVisit,
    ModelActivity,
    OnBehalf,
    OpenEscalation,
    UnreachableCadre,
)

__all__ = [
    "KIND_ON_DEMAND", "MESSAGE_LIMIT", "PART_RESERVE", "Summary", "load_due_summary", "load_summary",
    "obligation_window", "quarter_materials", "render", "render_due_message", "render_top", "split_message",
    "utf16_len",
]

DUE_MESSAGE_VISITS = 500  # more than one message can show

KIND_ON_DEMAND = "on_demand"


@dataclass(frozen=True)
class Summary:
    kind: str  # weekly | quarter | on_demand
    scope_name: str | None
    quarter: Quarter
    today: date
    tz: tzinfo
    coverage: list[CommuneCoverage]
    due: list[DueVisit]
    escalations: list[OpenEscalation]
    models: ModelActivity
    unreachable: list[UnreachableCadre]
    excused: list[ExcusedVisit] = field(default_factory=list)
    on_behalf: OnBehalf = field(default_factory=OnBehalf)
    due_cadres: int | None = None  # cadres with a visit still due (None: count ``due``)
    due_list: DueList | None = None  # the due list's own totals, when there is no coverage
    materials: list[Receipt] = field(default_factory=list)  # materials of the quarter (/tailieu)
    meetings: list[CellMeetings] = field(default_factory=list)  # the scope's cells and their meetings (/hop)
    # The top unit's compact summary (scheduler/top_summary.py): coverage by the units
    # directly under the scope; None for a summary with the due list by name.
    children: list[CommuneCoverage] | None = None
    escalation_count: int | None = None  # open escalations in all (None: count ``escalations``)
    # Inspections, replications, commendations, conversions (scheduler/model_summary.py).
    programme: ModelProgramme | None = None

    @property
    def final(self) -> bool:
        """The quarter is over: what is still due was missed."""
        return self.today > self.quarter.last_day

    @property
    def total_owed(self) -> int:
        """Visits owed: filed, late or still due (excused ones are not owed)."""
        return sum(c.owed for c in self.coverage)

    @property
    def total_done(self) -> int:
        """Visits made: reported on time or late."""
        return sum(c.done for c in self.coverage)

    @property
    def total_due(self) -> int:
        """Visits still due."""
        return sum(c.due for c in self.coverage)

    def total(self, status: str) -> int:
        return sum(getattr(c, status) for c in self.coverage)


async def obligation_window(db: Executor, quarter: Quarter, today: date) -> dict[str, object]:
    """The parameters of storage/obligations.py's OBLIGATIONS_SQL for a quarter asked
    about on ``today``, under the transfer rule in force."""
    rule = await obligations.transfer_rule(db)
    return obligations.obligation_params(quarter.key, quarter.first_day, quarter.last_day, today, rule)


async def load_summary(
    db: Executor, scope: int | None, quarter: Quarter, now: datetime, *, kind: str = KIND_ON_DEMAND
) -> Summary:
    """Everything one summary shows; the weekly one shows the week's model updates only."""
    tz = now.tzinfo
    assert tz is not None
    today = now.date()
    window = await obligation_window(db, quarter, today)
    since = utc_stamp(now - timedelta(days=7)) if kind == "weekly" else None
    coverage = await store.coverage(db, scope, window)
    if len(coverage) > top_summary.COMPACT_ABOVE:
        return await _load_top(db, scope, quarter, now, kind, window, coverage, since)
    due = await store.still_due(db, scope, window)
    escalations = await store.open_escalations(db, scope, limit=MAX_ESCALATIONS)
    return Summary(
        kind=kind,
        scope_name=await store.scope_name(db, scope),
        quarter=quarter,
        today=today,
        tz=tz,
        coverage=coverage,
        due=due.visits,
        escalations=escalations.oldest,
        escalation_count=escalations.total,
        models=await store.model_activity(db, scope, quarter=quarter.key, since=since),
        unreachable=await store.unreachable_cadres(
            db, scope, first_day=str(window["first_day"]), as_of=str(window["as_of"])
        ),
        excused=await store.excused(db, scope, window),
        on_behalf=await store.on_behalf(db, scope, quarter=quarter.key),
        due_cadres=due.cadres,
        materials=await quarter_materials(db, scope, quarter, tz),
        meetings=await meeting_store.per_cell(db, scope, quarter.first_day, quarter.last_day, now.replace(tzinfo=None)),
        programme=await model_summary.load_programme(db, scope, quarter, now),
    )


async def _load_top(
    db: Executor, scope: int | None, quarter: Quarter, now: datetime, kind: str, window: dict[str, object],
    coverage: list[CommuneCoverage], since: str | None,
) -> Summary:
    """The compact summary of a scope with many communes (scheduler/top_summary.py)."""
    tz = now.tzinfo
    assert tz is not None
    parents, names = await store.upper_units(db)
    escalations = await store.open_escalations(db, scope, limit=MAX_ESCALATIONS)
    return Summary(
        kind=kind, scope_name=await store.scope_name(db, scope), quarter=quarter, today=now.date(), tz=tz,
        coverage=coverage, due=[], escalations=escalations.oldest, escalation_count=escalations.total,
        models=await store.model_activity(db, scope, quarter=quarter.key, since=since), unreachable=[],
        children=top_summary.by_child(coverage, parents, scope, names),
        programme=await model_summary.load_programme(db, scope, quarter, now),
    )


async def quarter_materials(db: Executor, scope: int | None, quarter: Quarter, tz: tzinfo) -> list[Receipt]:
    """The materials sent in the quarter, with the cells of the scope that have not
    confirmed them (summaries and the quarterly workbook show the same)."""
    start = datetime.combine(quarter.first_day, time(0), tz)
    end = datetime.combine(quarter.last_day + timedelta(days=1), time(0), tz)
    return await material_store.receipts(db, scope, since=utc_stamp(start), until=utc_stamp(end), limit=50)


async def load_due_summary(db: Executor, scope: int | None, quarter: Quarter, now: datetime) -> Summary:
    """Only what the "still due" message shows, in one query: the live due list redraws
    it often, and one message holds a few hundred visits at most."""
    tz = now.tzinfo
    assert tz is not None
    window = await obligation_window(db, quarter, now.date())
    due = await store.still_due(db, scope, window, limit=DUE_MESSAGE_VISITS)
    return Summary(
        kind=KIND_ON_DEMAND, scope_name=await store.scope_name(db, scope), quarter=quarter, today=now.date(),
        tz=tz, coverage=[], due=due.visits, escalations=[], models=ModelActivity({}, []), unreachable=[],
        due_cadres=due.cadres, due_list=due,
    )
