"""When a model is due an inspection: a pure rule of dates, so the scheduler, the
summaries and the tests all ask the same question.

Each model level has an inspection plan of at least N inspections a year (settings,
storage/inspections.py). A model is due when it has had no inspection within 365/N days
(rounded up: 4 a year → 92 days), or none ever. Being due lasts until the next
inspection, cut into *due periods* of the same length: the inspector is reminded once
per period (the period's first day keys the reminder), so a model left uninspected for
long is remembered again each period rather than every day or never again.

A model never inspected is due at once; its periods are counted from 1 January, so a
new plan does not make every model's reminder fall on the same day forever after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

LEVELS = ("province", "district", "grassroots")
DEFAULT_PER_YEAR = {"province": 4, "district": 2, "grassroots": 1}
MAX_PER_YEAR = 52  # once a week at most: more is a typing error, not a plan


def interval(per_year: int) -> timedelta:
    """The longest gap the plan allows between two inspections."""
    return timedelta(days=math.ceil(365 / per_year))


@dataclass(frozen=True, slots=True)
class Due:
    """A model due an inspection: since when, and the period the reminder belongs to."""

    since: date | None  # the day it fell due; None: never inspected
    period: date  # the first day of the current due period (the reminder's key)


def due(last_inspected: date | None, per_year: int, today: date) -> Due | None:
    """Whether a model is due an inspection today, and in which due period; None if not.

    ``per_year`` 0 means no plan for the level: never due.
    """
    if per_year <= 0:
        return None
    step = interval(per_year)
    if last_inspected is None:
        start = date(today.year, 1, 1)
        return Due(None, start + step * ((today - start) // step))
    since = last_inspected + step
    if today < since:
        return None
    return Due(since, since + step * ((today - since) // step))
