"""Progress bars for the long CLI jobs (a roster import, a backup), on a terminal only.

One library for all of them: tqdm, small and dependency-free. A job reports
``(stage, done, total)`` to the callback it is given; ``progress_bar`` draws that on
standard error when it is a terminal and does nothing at all otherwise, so cron jobs and
scripts that capture the output get the same lines they always got.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

# (stage shown to the operator, units done, units in all; 0 when not known yet)
ProgressCallback = Callable[[str, int, int], None]


def _ignore(stage: str, done: int, total: int) -> None:
    return None


@contextmanager
def progress_bar(*, unit: str = "row", stream: TextIO | None = None) -> Iterator[ProgressCallback]:
    """A callback that moves a bar on ``stream`` (stderr); a no-op unless it is a tty."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield _ignore
        return
    from tqdm import tqdm  # only on a terminal

    bar = tqdm(total=0, unit=unit, unit_scale=True, file=stream, dynamic_ncols=True, leave=True)
    stage_shown = ""

    def update(stage: str, done: int, total: int) -> None:
        nonlocal stage_shown
        if stage != stage_shown:
            bar.set_description_str(stage, refresh=False)
            stage_shown = stage
        if total != bar.total:
            bar.reset(total=total or None)
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()
