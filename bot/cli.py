"""The ``baocao`` command: run the bot, try it in a demo, import the roster, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from storage.db import Database, StorageError
from storage.migrate import upgrade

log = logging.getLogger("baocao")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baocao",
        description="Báo cáo: báo cáo dự sinh hoạt chi bộ qua Telegram / "
        "cadres' cell-visit reports over Telegram.",
    )
    parser.add_argument("--config", metavar="FILE", help="a TOML file of settings")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("run", help="run the bot (long polling; needs BAOCAO_TELEGRAM_TOKEN)")

    demo = commands.add_parser(
        "demo", help="try the bot in the terminal: built-in simulator, sample roster, no token"
    )
    demo.add_argument("--script", metavar="FILE", help="play a scripted conversation; '-' = stdin")
    demo.add_argument("--db", metavar="PATH", help="keep the demo database here (default: a temp file)")
    demo.add_argument("--roster", metavar="FILE", help="roster to load (default: the sample)")
    demo.add_argument("--now", metavar="ISO", help="pin the clock, e.g. 2026-11-23T09:00")

    importer = commands.add_parser("import", help="import the roster from .xlsx or .csv files")
    importer.add_argument("files", nargs="+", metavar="FILE")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply pending schema migrations")
    backup = db_commands.add_parser("backup", help="consistent online copy of the database")
    backup.add_argument("path", metavar="PATH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The demo is a conversation on the terminal: only warnings may interrupt it.
    quiet = args.command == "demo" and not args.verbose
    _configure_logging(logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO)
    try:
        config = load_config(config_file=args.config)
        return _dispatch(args, config)
    except (ConfigError, StorageError) as exc:
        print(f"baocao: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.command == "run":
        return _run(config)
    if args.command == "demo":
        from bot.demo import run_demo  # the demo pulls in the simulator; load it on demand

        return asyncio.run(run_demo(config, args))
    if args.command == "import":
        return asyncio.run(_import(config, [Path(f) for f in args.files]))
    if args.db_command == "upgrade":
        return asyncio.run(_db_upgrade(config))
    return asyncio.run(_db_backup(config, Path(args.path)))


def _configure_logging(level: int) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and the Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _run(config: Config) -> int:
    from bot.app import build_application

    application = build_application(config)
    log.info("starting: %r", config)
    application.run_polling(allowed_updates=None, drop_pending_updates=False)
    return 0


async def _import(config: Config, files: list[Path]) -> int:
    from bot.clock import SystemClock, utc_stamp
    from bot.roster_import import RosterError, import_roster

    async with Database(config.db_path) as db:
        await upgrade(db)
        try:
            result = await import_roster(db, files, now=utc_stamp(SystemClock().now()))
        except RosterError as exc:
            print(f"Không nhập được danh sách — nothing was imported ({len(exc.errors)} error(s)):", file=sys.stderr)
            for error in exc.errors:
                print(f"  {error}", file=sys.stderr)
            return 1
    for sheet in result.created:
        print(
            f"{sheet}: {result.created[sheet]} created, {result.updated[sheet]} updated, "
            f"{result.unchanged[sheet]} unchanged"
        )
    return 0


async def _db_upgrade(config: Config) -> int:
    async with Database(config.db_path) as db:
        applied = await upgrade(db)
    if applied:
        for migration in applied:
            print(f"applied {migration.version:04d}_{migration.name}")
    else:
        print("the database is up to date")
    return 0


async def _db_backup(config: Config, target: Path) -> int:
    if not config.db_path.exists():
        print(f"baocao: no database at {config.db_path}", file=sys.stderr)
        return 1
    if target.exists():
        print(f"baocao: {target} exists already; choose a new file name", file=sys.stderr)
        return 1
    async with Database(config.db_path) as db:
        await db.backup_to(target)
    print(f"backed up {config.db_path} to {target}")
    return 0
