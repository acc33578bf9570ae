"""Communes merged into a new one (as on 1 July 2025): re-importing the roster loses
nothing, the old units stay readable, and the new commune's summaries count its
predecessors' cells and reports from the merger date."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from bot.roster_import import import_roster
from domain.clock import VIETNAM, utc_stamp
from domain.quarters import Quarter
from scheduler.summaries import load_summary, render
from storage import places, roster, scope
from storage.db import Database
from storage.reports import VisitReportInput, submit_visit
from tests.test_org_trees import write_roster

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)
Q4, Q3 = Quarter(2026, 4), Quarter(2026, 3)

BEFORE = {
    "units": [
        ["QNG", "Quảng Ngãi", "tỉnh", ""],
        ["TLAP", "Tân Lập", "xã", "QNG"],
        ["DRUONG", "Đăk Ruồng", "xã", "QNG"],
        ["DKOI", "Đăk Kôi", "xã", "QNG"],
        ["TLAP-T1", "Thôn 1", "thôn", "TLAP"],
        ["DRUONG-T9", "Thôn 9", "thôn", "DRUONG"],
        ["DKOI-T1", "Thôn 1", "thôn", "DKOI"],
    ],
    "cadres": [
        ["M1", "Nguyễn Văn Hùng", "0912700101", "cán bộ", "Ủy viên", "QNG"],
        ["M2", "Lê Thị Cúc", "0912700102", "cán bộ", "Ủy viên", "QNG"],
    ],
    "cells": [
        ["CB-TLAP-T1", "Chi bộ thôn 1 Tân Lập", "TLAP-T1", "", ""],
        ["CB-DRUONG-T9", "Chi bộ thôn 9 Đăk Ruồng", "DRUONG-T9", "", ""],
        ["CB-DKOI-T1", "Chi bộ thôn 1 Đăk Kôi", "DKOI-T1", "", ""],
    ],
    "assignments": [
        ["M1", "CB-TLAP-T1", "2026-01-01"],
        ["M1", "CB-DRUONG-T9", "2026-01-01"],
        ["M2", "CB-DKOI-T1", "2026-01-01"],
    ],
}
NEW_COMMUNE = ["KRAY", "Kon Rẫy", "xã", "QNG"]
# Tân Lập and Đăk Ruồng merged into the new commune Kon Rẫy on 1 October 2026.
MARKED_MERGED = {
    "units": [
        ["QNG", "Quảng Ngãi", "tỉnh", "", "", ""],
        NEW_COMMUNE + ["", ""],
        ["TLAP", "Tân Lập", "xã", "QNG", "KRAY", "01/10/2026"],
        ["DRUONG", "Đăk Ruồng", "xã", "QNG", "KRAY", "01/10/2026"],
        ["DKOI", "Đăk Kôi", "xã", "QNG", "", ""],
    ],
}
# The other way an operator may write it: the old communes are gone from the sheet and
# their villages are under the new commune.
VANISHED = {
    "units": [
        ["QNG", "Quảng Ngãi", "tỉnh", ""],
        NEW_COMMUNE,
        ["DKOI", "Đăk Kôi", "xã", "QNG"],
        ["TLAP-T1", "Thôn 1 (Tân Lập cũ)", "thôn", "KRAY"],
        ["DRUONG-T9", "Thôn 9 (Đăk Ruồng cũ)", "thôn", "KRAY"],
        ["DKOI-T1", "Thôn 1", "thôn", "DKOI"],
    ],
}


async def file(db: Database, cadre: str, cell: str, day: date) -> None:
    kadre = await roster.cadre_by_code(db, cadre)
    assert kadre is not None
    await submit_visit(
        db,
        VisitReportInput(
            token=f"{cadre}-{cell}-{day}", cadre_id=kadre.id, filed_by_id=kadre.id,
            cell_id=(await roster.cell_ids_by_code(db))[cell], meeting_date=day,
            quarter=Quarter.of(day).key, late=False, disseminated="Nghị quyết",
        ),
        now=utc_stamp(NOW),
    )


async def counts(db: Database) -> dict[str, int]:
    tables = ("units", "cells", "assignments", "visit_reports", "cadres")
    return {name: int(await db.fetchval(f"SELECT count(*) FROM {name}") or 0) for name in tables}


async def unit_id(db: Database, code: str) -> int:
    return (await roster.unit_ids_by_code(db))[code]


async def before_the_merger(db: Database, tmp_path: Path) -> dict[str, int]:
    await import_roster(db, write_roster(tmp_path / "before", BEFORE), now=utc_stamp(NOW))
    await file(db, "M1", "CB-TLAP-T1", date(2026, 11, 5))
    await file(db, "M1", "CB-DRUONG-T9", date(2026, 11, 10))
    await file(db, "M1", "CB-TLAP-T1", date(2026, 8, 5))  # Q3: before the merger
    return await counts(db)


async def test_marked_mergers_count_the_old_reports_in_the_new_commune(db: Database, tmp_path: Path) -> None:
    before = await before_the_merger(db, tmp_path)
    await import_roster(db, write_roster(tmp_path / "after", MARKED_MERGED), now=utc_stamp(NOW))
    after = await counts(db)
    assert after == {**before, "units": before["units"] + 1}  # nothing deleted, one new

    kray = await unit_id(db, "KRAY")
    summary = await load_summary(db, kray, Q4, NOW)
    assert summary.total_done == 2 and summary.total_owed == 2
    assert [(c.commune, c.done) for c in summary.coverage] == [("Kon Rẫy", 2)]
    assert "Kon Rẫy: 2/2 (100%)" in "\n".join(render(summary, "vi"))

    # before the merger date the old communes stand alone: Q3's report is Tân Lập's
    assert (await load_summary(db, kray, Q3, NOW)).total_done == 0
    old = await load_summary(db, await unit_id(db, "TLAP"), Q3, NOW)
    assert old.total_done == 1 and [c.commune for c in old.coverage] == ["Tân Lập"]

    # the old commune's history stays readable, and the province counts every report once
    assert (await load_summary(db, await unit_id(db, "TLAP"), Q4, NOW)).total_done == 1
    whole = await load_summary(db, await unit_id(db, "QNG"), Q4, NOW)
    assert whole.total_done == 2 and whole.total_owed == 3
    assert {c.commune: c.done for c in whole.coverage} == {"Kon Rẫy": 2, "Đăk Kôi": 0}

    # pick-lists offer today's communes; the new one reaches its predecessors' cells
    assert sorted(u.code for u in await places.communes(db)) == ["DKOI", "KRAY"]
    cells = await places.cells_in_commune(db, kray)
    assert sorted(c.code for c in cells) == ["CB-DRUONG-T9", "CB-TLAP-T1"]
    assert (await scope.top_unit(db)).code == "QNG"  # type: ignore[union-attr]
    merged = await roster.get_unit(db, await unit_id(db, "TLAP"))
    assert merged is not None and merged.merged_into_id == kray and merged.merged_on == date(2026, 10, 1)


async def test_communes_gone_from_the_roster_orphan_and_delete_nothing(db: Database, tmp_path: Path) -> None:
    before = await before_the_merger(db, tmp_path)
    await import_roster(db, write_roster(tmp_path / "after", VANISHED), now=utc_stamp(NOW))
    assert await counts(db) == {**before, "units": before["units"] + 1}

    kray = await unit_id(db, "KRAY")
    summary = await load_summary(db, kray, Q4, NOW)
    assert summary.total_done == 2 and [(c.commune, c.done) for c in summary.coverage] == [("Kon Rẫy", 2)]
    # every report still has its cell, every cell its unit, every unit a known parent
    dangling = await db.fetchval(
        """SELECT count(*) FROM visit_reports AS r LEFT JOIN cells AS c ON c.id = r.cell_id
           LEFT JOIN units AS u ON u.id = c.unit_id WHERE u.id IS NULL"""
    )
    assert dangling == 0
    assert await roster.get_unit(db, await unit_id(db, "TLAP")) is not None  # kept, empty


async def test_a_merger_cycle_is_refused(db: Database, tmp_path: Path) -> None:
    from bot.roster_import import RosterError

    await import_roster(db, write_roster(tmp_path / "before", BEFORE), now=utc_stamp(NOW))
    cycle = {"units": [["TLAP", "Tân Lập", "xã", "QNG", "DRUONG", "01/10/2026"],
                       ["DRUONG", "Đăk Ruồng", "xã", "QNG", "TLAP", "01/10/2026"]]}
    try:
        await import_roster(db, write_roster(tmp_path / "cycle", cycle), now=utc_stamp(NOW))
    except RosterError as exc:
        assert "cycle in mergers" in str(exc.errors[0])
    else:
        raise AssertionError("a cycle of mergers was imported")
