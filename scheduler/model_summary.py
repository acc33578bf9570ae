"""The follow-up of models in group summaries (issue 14 part 2): inspections done in the
quarter, the models overdue for inspection by their plan (storage/inspections.py),
replications and commendations decided or waiting, and conversions in the quarter.

Its own module beside scheduler/summary_text.py (which only calls ``lines``): the
figures are storage/model_programme.py's per-model rows added up, and the proposals of
storage/proposals.py, so a summary and the workbook's «Theo dõi mô hình» sheet agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.texts import t
from domain.clock import utc_stamp
from domain.quarters import Quarter
from storage import inspections, model_programme, proposals
from storage.db import Executor
from storage.model_programme import ModelFollowUp
from storage.proposals import APPROVED, COMMEND, REPLICATE, Proposal

MAX_DECIDED_LINES = 8  # approved replications and commendations named in a summary
MAX_OVERDUE_NAMES = 5


@dataclass(frozen=True)
class ModelProgramme:
    quarter: Quarter
    models: list[ModelFollowUp]
    decided: list[Proposal]  # decided in the quarter, approved or not
    waiting: list[Proposal] = field(default_factory=list)  # waiting for a decision now
    # Models overdue for inspection by their plan (storage/inspections.py), longest first,
    # by name; None: not asked (a quarter already over).
    overdue: list[tuple[int, str]] | None = None  # (model id, name)
    # The quarter as UTC stamps [since, until): what "converted in the quarter" means.
    since: str = ""
    until: str = ""

    @property
    def inspections(self) -> int:
        return sum(m.inspections for m in self.models)

    @property
    def inspected_models(self) -> int:
        return sum(1 for m in self.models if m.inspections)

    @property
    def conversions(self) -> list[ModelFollowUp]:
        """The models converted in the quarter."""
        return [m for m in self.models if m.converted_between(self.since, self.until)]

    def approved(self, kind: str) -> list[Proposal]:
        return [p for p in self.decided if p.kind == kind and p.status == APPROVED]

    def waiting_count(self, kind: str) -> int:
        return sum(1 for p in self.waiting if p.kind == kind)


async def load_programme(db: Executor, scope: int | None, quarter: Quarter, now: datetime) -> ModelProgramme:
    """The scope's models and proposals for ``quarter``, as counted at ``now`` (local
    time): the overdue list is today's, for a quarter not over yet."""
    tz = now.tzinfo
    assert tz is not None
    start = datetime.combine(quarter.first_day, time(0), tz)
    end = datetime.combine(quarter.last_day + timedelta(days=1), time(0), tz)
    overdue = None
    if now.date() <= quarter.last_day:
        overdue = [(o.model.id, o.model.name) for o in await inspections.overdue_inspections(db, scope, now.date())]
    return ModelProgramme(
        quarter=quarter,
        models=await model_programme.follow_up(db, scope, quarter.key),
        decided=await proposals.decided_in_quarter(db, quarter.key, scope),
        waiting=await proposals.open_proposals(db, scope, limit=500),
        overdue=overdue,
        since=utc_stamp(start),
        until=utc_stamp(end),
    )


def form_name(form: str, lang: str) -> str:
    """A form's code as words (Bằng khen); a typed form as typed."""
    return t(f"pr.form.{form}", lang) if form in proposals.FORMS else form


def lines(programme: ModelProgramme | None, lang: str) -> list[str]:
    """The summary's section; nothing for a scope without models."""
    if programme is None or not programme.models:
        return []
    p = programme
    out = [
        t("pr.sum.head", lang, period=p.quarter.label(lang)),
        t("pr.sum.inspections", lang, count=p.inspections, models=p.inspected_models),
    ]
    if p.overdue is not None:
        shown = [name for _, name in p.overdue[:MAX_OVERDUE_NAMES]]
        more = "…" if len(p.overdue) > len(shown) else ""
        names = f": {', '.join(shown)}{more}" if shown else ""
        out.append(t("pr.sum.overdue", lang, count=len(p.overdue), names=names))
    replications, commendations = p.approved(REPLICATE), p.approved(COMMEND)
    out.append(t("pr.sum.replications", lang, approved=len(replications), waiting=p.waiting_count(REPLICATE)))
    out += [_decided_line(r, t("pr.kind.replicate", lang), lang) for r in replications[:MAX_DECIDED_LINES]]
    out.append(t("pr.sum.commendations", lang, approved=len(commendations), waiting=p.waiting_count(COMMEND)))
    out += [_decided_line(c, _form_of(c, lang), lang) for c in commendations[:MAX_DECIDED_LINES]]
    conversions = p.conversions
    out.append(t("pr.sum.conversions", lang, count=len(conversions)))
    out += [t("pr.sum.line", lang, what=t("pr.kind.convert", lang), model=m.name, target="")
            for m in conversions[:MAX_DECIDED_LINES]]
    return out


def _form_of(proposal: Proposal, lang: str) -> str:
    if proposal.decision_form == "other":
        return proposal.decision or t("pr.form.other", lang)
    return form_name(proposal.decision_form or "other", lang)


def _decided_line(proposal: Proposal, what: str, lang: str) -> str:
    target = t("pr.sum.target", lang, target=proposal.target_name) if proposal.target_name else ""
    return t("pr.sum.line", lang, what=what, model=proposal.model_name, target=target)
