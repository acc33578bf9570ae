"""The ``baocao`` command: run the bot, try it in a demo, import the roster, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from bot.texts import use_organisation
from domain.dates import format_date
from storage.db import Database, StorageError
from storage.migrate import upgrade
from storage.records import Cadre

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

    commands.add_parser(
        "run", help="run the bot on every channel whose token is set (polling, or webhooks with BAOCAO_PUBLIC_URL)"
    )

    demo = commands.add_parser(
        "demo", help="try the bot in the terminal: built-in simulator, sample roster, no token"
    )
    demo.add_argument("--script", metavar="FILE", help="play a scripted conversation; '-' = stdin")
    demo.add_argument("--db", metavar="PATH", help="keep the demo database here (default: a temp file)")
    demo.add_argument("--roster", metavar="FILE", help="roster to load (default: the sample)")
    demo.add_argument("--now", metavar="ISO", help="pin the clock, e.g. 2026-11-23T09:00")
    demo.add_argument(
        "--channel", choices=("telegram", "zalo"), default="telegram",
        help="the messenger to simulate: Telegram's buttons, or Zalo's numbered choices",
    )

    importer = commands.add_parser("import", help="import the roster from .xlsx or .csv files")
    importer.add_argument("files", nargs="+", metavar="FILE")
    importer.add_argument(
        "--transfer-rule",
        choices=("any_day", "at_end", "half"),
        help="whether a cadre whose assignment starts or ends inside a quarter owes that quarter's "
        "visit: any_day (assigned on any day of it), at_end (still assigned on its last day) or half "
        "(assigned for at least half of it); kept until changed (also by /quytac)",
    )

    invite = commands.add_parser(
        "invite", help="one-time codes with which cadres link their Telegram account"
    )
    invite.add_argument(
        "--cadre", nargs="+", action="extend", default=[], metavar="CODE", help="roster code(s) of the cadres"
    )
    invite.add_argument("--all-unlinked", action="store_true", help="every active cadre not linked yet")
    invite.add_argument("--days", type=int, default=14, metavar="N", help="valid for N days (default 14)")
    invite.add_argument(
        "--channel", choices=("telegram", "zalo"), default="telegram",
        help="the messenger the codes link (a cadre on Telegram may link Zalo too); default telegram",
    )
    invite.add_argument("--out", metavar="FILE.csv", help="write a CSV to hand out instead of printing")

    remind = commands.add_parser("remind", help="visit reminders: who would be reminded now, and why")
    remind.add_argument("--dry-run", action="store_true", help="print the plan; send nothing")
    remind.add_argument("--now", metavar="ISO", help="as if it were then, e.g. 2026-12-01T08:30")
    summary = commands.add_parser("summary", help="the summary a group chat would get")
    summary.add_argument("--print", action="store_true", help="print it here; send nothing")
    summary.add_argument("--unit", metavar="CODE", help="for this unit: the top unit, a commune (default: all)")
    summary.add_argument("--chat", type=int, metavar="CHAT_ID", help="as the registered group gets it")
    summary.add_argument("--now", metavar="ISO", help="as if it were then, e.g. 2026-12-01T08:30")

    report = commands.add_parser("report", help="the official quarterly report")
    report_kinds = report.add_subparsers(dest="report_kind", required=True, metavar="FORMAT")
    workbook = report_kinds.add_parser("xlsx", help="the quarterly report as an Excel workbook")
    workbook.add_argument("--quarter", metavar="YYYY-QN", help="e.g. 2026-Q4 (default: the current quarter)")
    workbook.add_argument("--unit", metavar="CODE", help="for this unit and what is under it (default: all)")
    workbook.add_argument("--out", metavar="FILE.xlsx", required=True, help="where to write it")
    workbook.add_argument("--now", metavar="ISO", help="as if it were then, e.g. 2027-01-04T08:00")

    fund = commands.add_parser("fund", help="the savings fund's ledger")
    fund_kinds = fund.add_subparsers(dest="fund_kind", required=True, metavar="FORMAT")
    fund_book = fund_kinds.add_parser("xlsx", help="contributions by cadre × month, aid, balance by month")
    fund_book.add_argument("--unit", metavar="CODE", help="this unit's fund and the funds under it (default: all)")
    fund_book.add_argument("--out", metavar="FILE.xlsx", required=True, help="where to write it")
    fund_book.add_argument("--now", metavar="ISO", help="as if it were then, e.g. 2027-01-04T08:00")

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
        use_organisation(config.organisation)  # what `summary --print` and the rest name
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
        return asyncio.run(_import(config, [Path(f) for f in args.files], args.transfer_rule))
    if args.command == "invite":
        return asyncio.run(_invite(config, args))
    if args.command in ("remind", "summary", "report", "fund"):
        from scheduler import console  # pulls in the handlers and matplotlib: on demand

        return asyncio.run(console.run(config, args))
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
    from bot.runner import run

    log.info("starting: %r", config)
    return asyncio.run(run(config))


async def _import(config: Config, files: list[Path], transfer_rule: str | None = None) -> int:
    from domain.clock import SystemClock, utc_stamp
    from bot.progress import progress_bar
    from bot.roster_import import RosterError, import_roster
    from storage import obligations

    async with Database(config.db_path) as db:
        await upgrade(db)
        if transfer_rule is not None:
            # Set before importing: the rule is a setting of its own, audit-logged, and
            # what the roster's transfers mean from then on.
            rule = obligations.TransferRule(transfer_rule)
            now = utc_stamp(SystemClock().now())
            await obligations.set_transfer_rule(db, rule, by=None, telegram_id=None, now=now)
            print(f"transfer rule: {rule.value}")
        try:
            with progress_bar() as progress:
                result = await import_roster(db, files, now=utc_stamp(SystemClock().now()), progress=progress)
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


INVITE_HEADERS = ("Mã cán bộ", "Họ và tên", "Mã mời", "Hết hạn")


async def _invite(config: Config, args: argparse.Namespace) -> int:
    """Creates invite codes and prints them (or writes a CSV) for the committee's office.

    Only a hash of each code is stored, so this output is the one place the codes exist;
    it is written inside the transaction that stores them, and a failure to write it
    (say the CSV exists already) leaves the database as it was, older codes still valid.
    """
    from domain.clock import SystemClock
    from handlers.registration import issue_invite
    from storage import invites

    if not args.cadre and not args.all_unlinked:
        print("baocao invite: give --cadre CODE … or --all-unlinked", file=sys.stderr)
        return 2
    if args.days < 1:
        print("baocao invite: --days must be at least 1", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        print(f"baocao: {out} exists already; choose a new file name", file=sys.stderr)
        return 1
    async with Database(config.db_path) as db:
        await upgrade(db)
        channel = getattr(args, "channel", "telegram")
        unlinked = await invites.unlinked_cadre_codes(db, channel) if args.all_unlinked else []
        cadres, problems = await _cadres_to_invite(db, list(args.cadre) + unlinked, channel)
        if problems:
            print("Không tạo mã mời nào — no code was created:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        now = SystemClock(config.tz).now()
        async with db.transaction() as tx:
            rows = []
            for cadre in cadres:
                issued = await issue_invite(tx, cadre.id, now, args.days)
                rows.append((cadre.code, cadre.full_name, issued.shown, format_date(issued.last_day)))
            _write_invites(rows, out)
    if out is not None:
        print(f"{len(rows)} invite code(s) written to {out}")
    return 0


async def _cadres_to_invite(db: Database, codes: list[str], channel: str = "telegram") -> tuple[list[Cadre], list[str]]:
    """The cadres named (each once, in order), and what is wrong with the others.

    A cadre linked on ``channel`` already is refused; linked on the other messenger only,
    they get a code to link this one too (one cadre, two messengers)."""
    from storage import accounts, roster

    cadres: list[Cadre] = []
    problems: list[str] = []
    for code in dict.fromkeys(code.strip() for code in codes):
        cadre = await roster.cadre_by_code(db, code)
        if cadre is None:
            problems.append(f"{code}: not on the roster")
        elif not cadre.active:
            problems.append(f"{code}: not active on the roster")
        elif any(a.channel == channel for a in await accounts.accounts_of(db, cadre.id)):
            name = "Telegram" if channel == "telegram" else "Zalo"
            problems.append(f"{code}: linked to {name} already; an admin unlinks first (/golienket {code})")
        else:
            cadres.append(cadre)
    return cadres, problems


def _write_invites(rows: list[tuple[str, str, str, str]], out: Path | None) -> None:
    """A CSV readable by Excel (UTF-8 with BOM) only its owner can read, or a table on stdout."""
    if out is None:
        widths = [max(len(str(r[i])) for r in [INVITE_HEADERS, *rows]) for i in range(len(INVITE_HEADERS))]
        for row in [INVITE_HEADERS, *rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
        return
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(INVITE_HEADERS)
        writer.writerows(rows)


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
    from bot.progress import progress_bar

    async with Database(config.db_path) as db:
        with progress_bar(unit="page") as progress:
            await db.backup_to(target, progress=lambda done, total: progress("sao lưu / backup", done, total))
    print(f"backed up {config.db_path} to {target}")
    return 0
