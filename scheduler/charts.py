"""The coverage chart sent with each digest: visits done by commune, as a PNG.

Coverage is visits made (reported on time or late) of visits owed: an excused visit is
not owed, so it is left out of the denominator rather than counted as missed.

Drawn with matplotlib's object API on the Agg canvas — no pyplot, no display, no global
state — so it is safe to run in a worker thread while the bot keeps answering.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

from storage.summaries import CommuneCoverage  # noqa: E402

MAX_BARS = 40  # a phone screen; more communes are summed up as the last bar
BAR_HEIGHT_INCHES = 0.42
DONE_COLOUR = "#2e7d32"
LOW_COLOUR = "#c62828"
MID_COLOUR = "#f9a825"


def _colour(percent: int) -> str:
    if percent >= 80:
        return DONE_COLOUR
    return MID_COLOUR if percent >= 50 else LOW_COLOUR


def coverage_chart(
    rows: Sequence[CommuneCoverage], *, title: str, axis_label: str, other_label: str
) -> bytes:
    """A horizontal bar per commune: percent of owed visits done (filed + late), labelled
    'done/owed'; excused visits are in neither number."""
    rows = list(rows)
    if len(rows) > MAX_BARS:
        rest = rows[MAX_BARS - 1 :]
        rows = rows[: MAX_BARS - 1] + [
            CommuneCoverage(
                None, other_label, sum(r.filed for r in rest), sum(r.late for r in rest),
                sum(r.excused for r in rest), sum(r.due for r in rest),
            )
        ]
    labels = [row.commune or other_label for row in rows][::-1]
    percents = [row.percent for row in rows][::-1]
    counts = [f"{row.done}/{row.owed}" for row in rows][::-1]
    figure = Figure(figsize=(7.0, 1.4 + BAR_HEIGHT_INCHES * max(len(rows), 1)), dpi=110)
    axes = figure.add_subplot()
    bars = axes.barh(labels, percents, color=[_colour(p) for p in percents], height=0.6)
    for bar, text in zip(bars, counts, strict=True):
        axes.text(min(bar.get_width() + 1.5, 101), bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=9)
    axes.set_xlim(0, 112)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel(axis_label)
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
