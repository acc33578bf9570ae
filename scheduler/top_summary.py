"""The summary for a group high in the tree (the province's, a large district's): what
fits its reader, not 40,000 names.

A scope with more than COMPACT_ABOVE communes gets coverage by the units directly under
it, the ten communes with the lowest coverage, how many visits are still due (the list
by name goes to each commune's own group), open escalations by age and models: at most
three messages. It reads the obligations once (the commune coverage the full summary
reads too) and adds the units above the communes, so neither the due list nor the
excused list of the whole province is ever queried.
"""

from __future__ import annotations

from storage.summaries import CommuneCoverage

COMPACT_ABOVE = 30  # communes: more, and the summary is the top unit's compact one
LOWEST = 10
MAX_CHILDREN = 60  # lines of units under the scope (a province has a few dozen)


def by_child(coverage: list[CommuneCoverage], parents: dict[int, int | None], scope: int | None,
             names: dict[int, str]) -> list[CommuneCoverage]:
    """Commune coverage summed by the unit directly under ``scope`` that holds each
    commune (a commune directly under the scope is its own child)."""
    totals: dict[int | None, list[int]] = {}
    for row in coverage:
        child = _child_of(row.commune_id, parents, scope)
        counts = totals.setdefault(child, [0, 0, 0, 0])
        for n, value in enumerate((row.filed, row.late, row.excused, row.due)):
            counts[n] += value
    return [
        CommuneCoverage(child, names.get(child) if child is not None else None, *counts)
        for child, counts in totals.items()
    ]


def _child_of(unit: int | None, parents: dict[int, int | None], scope: int | None) -> int | None:
    """The ancestor of ``unit`` (itself included) whose parent is ``scope``."""
    seen = 0
    while unit is not None and parents.get(unit) != scope and seen < 64:
        unit, seen = parents.get(unit), seen + 1
    return unit


def lowest(coverage: list[CommuneCoverage], count: int = LOWEST) -> list[CommuneCoverage]:
    """The communes doing worst: lowest share of visits done, then most still due."""
    owed = [row for row in coverage if row.owed]
    return sorted(owed, key=lambda row: (row.percent, -row.due, row.commune or ""))[:count]
