"""Shared fixtures: a fresh SQLite file per test, a manual clock, the bot on the simulator.

Like python-telegram-bot's own suite, the tests may not reach the network: only loopback
connections (the built-in simulator) are allowed.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from domain.clock import VIETNAM, ManualClock, utc_stamp
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.texts import Organisation, use_organisation
from storage.db import Database
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ROSTER = ROOT / "examples" / "roster.xlsx"  # the legacy district roster (the demo loads examples/commune/)
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

# People of the sample roster the tests rely on (examples/make_roster.py).
CADRE_CODE = "CAN-001"
ADMIN_CODE = "CAN-002"
CADRE_TG = 1001
ADMIN_TG = 1002
STRANGER_TG = 1999


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if sock.family != socket.AF_UNIX and host not in LOOPBACK:
            raise RuntimeError(f"tests must not use the network (tried {address!r})")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def _default_organisation() -> Iterator[None]:
    """Texts name the organisation of the last application built: back to the default after
    a test that configured another one."""
    yield
    use_organisation(Organisation())


@pytest.fixture
def clock() -> ManualClock:
    """Monday 23/11/2026, 09:00 in Vietnam: the middle of Q4."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(db_path=tmp_path / "baocao.sqlite3")


@pytest.fixture
async def db(config: Config) -> AsyncIterator[Database]:
    async with Database(config.db_path) as database:
        await upgrade(database)
        yield database


@pytest.fixture
async def roster_db(config: Config, roster_template: Path) -> AsyncIterator[Database]:
    """The sample roster, with CAN-001 and CAN-002 linked to their Telegram accounts.

    A fresh file per test, copied from one imported once per session: the import itself
    is tested in tests/test_roster_import.py, and doing it 400 times costs minutes.
    """
    shutil.copyfile(roster_template, config.db_path)
    async with Database(config.db_path) as database:
        yield database


@pytest.fixture(scope="session")
def roster_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bot.demo import prepare_database

    path = tmp_path_factory.mktemp("template") / "roster.sqlite3"
    start = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM))
    asyncio.run(prepare_database(Config(db_path=path), SAMPLE_ROSTER, start))
    with sqlite3.connect(path) as conn:  # one self-contained file: no -wal beside it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    return path


@pytest.fixture
async def harness(config: Config, clock: ManualClock, roster_db: Database) -> AsyncIterator[Harness]:
    """The real Application polling the built-in simulator, on the sample roster."""
    async with bot_with_simulator(config, clock=clock, poll_timeout=1) as running:
        yield running


def stamp(clock: ManualClock) -> str:
    return utc_stamp(clock.now())


def with_admins(config: Config, *ids: int) -> Config:
    return replace(config, admin_ids=frozenset(ids))


@pytest.fixture(params=["telegram", "zalo"])
async def channel_harness(
    request: pytest.FixtureRequest, config: Config, clock: ManualClock, roster_db: Database
) -> AsyncIterator[Harness]:
    """The real Application of one messenger on the simulator; conversation tests that take
    it run on Telegram and on Zalo (CAN-001 and CAN-002 are linked on both)."""
    from tests.channels import link_on_zalo, zalo_id

    if request.param == "zalo":
        await link_on_zalo(roster_db, CADRE_CODE, zalo_id(CADRE_TG))
        await link_on_zalo(roster_db, ADMIN_CODE, zalo_id(ADMIN_TG))
    async with bot_with_simulator(config, clock=clock, poll_timeout=1, channel=request.param) as running:
        yield running
