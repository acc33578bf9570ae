"""The 2026 sample: a merged commune's Party Committee (examples/make_commune_roster.py),
which the demo loads by default."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from types import ModuleType

from bot.demo import SAMPLE_ROSTER
from bot.roster_import import import_roster, read_roster
from domain.clock import VIETNAM, utc_stamp
from domain.quarters import Quarter
from scheduler.summaries import load_summary
from storage import places, roster, scope
from storage.db import Database

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)


def make_commune_roster() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_commune_roster", EXAMPLES / "make_commune_roster.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_loads_the_commune_sample() -> None:
    assert SAMPLE_ROSTER == EXAMPLES / "commune" / "roster.xlsx"


def test_committed_commune_sample_is_what_its_script_writes(tmp_path: Path) -> None:
    make_commune_roster().main(["make_commune_roster.py", str(tmp_path)])
    for path in sorted((EXAMPLES / "commune" / "csv").glob("*.csv")):
        assert (tmp_path / "csv" / path.name).read_bytes() == path.read_bytes(), path.name
    assert read_roster([tmp_path / "roster.xlsx"]) == read_roster([SAMPLE_ROSTER])


async def test_the_commune_is_the_top_unit_and_its_summary_covers_the_merged_villages(db: Database) -> None:
    result = await import_roster(db, [SAMPLE_ROSTER], now=utc_stamp(NOW))
    expected = {sheet: len(rows) for sheet, rows in make_commune_roster().roster().items()}
    assert result.created == expected
    top = await scope.top_unit(db)
    assert top is not None and (top.code, top.name) == ("XA-DRUONG", "Đăk Ruồng")
    admin = await roster.cadre_by_code(db, "CAN-002")
    assert await scope.scope_of_admin(db, admin) is None
    assert [u.code for u in await places.communes(db)] == ["XA-DRUONG"]
    assert len(await places.cells_in_commune(db, top.id)) == 26
    summary = await load_summary(db, top.id, Quarter.of(NOW.date()), NOW)
    assert [c.commune for c in summary.coverage] == ["Đăk Ruồng"]
    assert summary.total_owed == 29  # 30 assignments, one ended in 2025
