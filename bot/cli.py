"""The ``baocao`` command: run the bot, try it in a demo, import the roster, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from telegram.error import InvalidToken

from bot.cli_text import row_error_text, sheet_titles
from bot.config import ENV_NAMES, Config, ConfigError, load_config
from bot.texts import EN, VI, t, use_organisation
from domain.dates import format_date
from storage.db import Database, StorageError, UnusableDatabase
from storage.lock import AlreadyRunning, process_lock
from storage.migrate import upgrade
from storage.records import Cadre

log = logging.getLogger("baocao")


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """Every command and argument with its help, in BAOCAO_LANGUAGE (Vietnamese unless en)."""
    lang = lang or _env_language()

    def h(key: str) -> str:
        return t(key, lang)

    parser = argparse.ArgumentParser(prog="baocao", description=h("cli.description"),
                                     epilog=h("cli.epilog"))  # fmt: skip
    parser.add_argument("--config", metavar="FILE", help=h("cli.arg.config"))
    parser.add_argument("-v", "--verbose", action="store_true", help=h("cli.arg.verbose"))
    parser.add_argument("--version", action="version", version=f"baocao {_version()}",
                        help=h("cli.arg.version"))  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     help=h("cli.arg.command"))  # fmt: skip

    def command(name: str, parent: argparse._SubParsersAction = commands, **extra: object) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=h(f"cli.{name}.help"),
                                 description=h(f"cli.{name}.description"), **extra)  # fmt: skip

    command("run", epilog=_environment_epilog(lang),
            formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip

    demo = command("demo")
    demo.add_argument("--script", metavar="FILE", help=h("cli.demo.script"))
    demo.add_argument("--db", metavar="FILE", help=h("cli.demo.db"))
    demo.add_argument("--roster", metavar="FILE", help=h("cli.demo.roster"))
    demo.add_argument("--now", metavar="ISO", help=h("cli.demo.now"))
    demo.add_argument("--channel", choices=("telegram", "zalo"), default="telegram", help=h("cli.demo.channel"))

    importer = command("import")
    importer.add_argument("files", nargs="+", metavar="FILE", help=h("cli.import.files"))
    importer.add_argument("--transfer-rule", choices=("any_day", "at_end", "half"),
                          help=h("cli.import.transfer_rule"))  # fmt: skip

    invite = command("invite")
    invite.add_argument("--cadre", nargs="+", action="extend", default=[], metavar="CODE",
                        help=h("cli.invite.cadre"))  # fmt: skip
    invite.add_argument("--all-unlinked", action="store_true", help=h("cli.invite.all_unlinked"))
    invite.add_argument("--days", type=int, default=14, metavar="N", help=h("cli.invite.days"))
    invite.add_argument("--channel", choices=("telegram", "zalo"), default="telegram", help=h("cli.invite.channel"))
    invite.add_argument("--out", metavar="FILE.csv", help=h("cli.invite.out"))

    remind = command("remind")
    remind.add_argument("--dry-run", action="store_true", help=h("cli.remind.dry_run"))
    remind.add_argument("--now", metavar="ISO", help=h("cli.arg.now"))
    summary = command("summary")
    summary.add_argument("--print", action="store_true", help=h("cli.summary.print"))
    summary.add_argument("--unit", metavar="CODE", help=h("cli.summary.unit"))
    summary.add_argument("--chat", type=int, metavar="CHAT_ID", help=h("cli.summary.chat"))
    summary.add_argument("--now", metavar="ISO", help=h("cli.arg.now"))

    report = command("report")
    report_kinds = report.add_subparsers(dest="report_kind", required=True, metavar="FORMAT",
                                         help=h("cli.report.format"))  # fmt: skip
    workbook = report_kinds.add_parser("xlsx", help=h("cli.report.xlsx"), description=h("cli.report.xlsx"))
    workbook.add_argument("--quarter", metavar="YYYY-QN", help=h("cli.report.quarter"))
    workbook.add_argument("--unit", metavar="CODE", help=h("cli.report.unit"))
    workbook.add_argument("--out", metavar="FILE.xlsx", required=True, help=h("cli.report.out"))
    workbook.add_argument("--now", metavar="ISO", help=h("cli.arg.now"))

    fund = command("fund")
    fund_kinds = fund.add_subparsers(dest="fund_kind", required=True, metavar="FORMAT",
                                     help=h("cli.report.format"))  # fmt: skip
    fund_book = fund_kinds.add_parser("xlsx", help=h("cli.fund.xlsx"), description=h("cli.fund.xlsx"))
    fund_book.add_argument("--unit", metavar="CODE", help=h("cli.fund.unit"))
    fund_book.add_argument("--out", metavar="FILE.xlsx", required=True, help=h("cli.report.out"))
    fund_book.add_argument("--now", metavar="ISO", help=h("cli.arg.now"))

    db = command("db")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION",
                                    help=h("cli.db.action"))  # fmt: skip
    db_commands.add_parser("upgrade", help=h("cli.db.upgrade"), description=h("cli.db.upgrade"))
    backup = db_commands.add_parser("backup", help=h("cli.db.backup"), description=h("cli.db.backup"))
    backup.add_argument("path", metavar="PATH", help=h("cli.db.backup.path"))
    db_commands.add_parser("check", help=h("cli.db.check"), description=h("cli.db.check"))
    return parser


def _env_language() -> str:
    """BAOCAO_LANGUAGE as --help needs it, before the configuration is read."""
    return EN if os.environ.get("BAOCAO_LANGUAGE", "").strip().lower() == EN else VI


def _version() -> str:
    try:
        return metadata.version("baocao")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _environment_epilog(lang: str) -> str:
    """`run --help` lists every environment variable the bot reads."""
    return "\n".join([t("cli.run.environment", lang), *(f"  {name}" for name in ENV_NAMES.values())])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The demo is a conversation on the terminal: only warnings may interrupt it.
    quiet = args.command == "demo" and not args.verbose
    _configure_logging(logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO)
    lang = _env_language()
    try:
        config = load_config(config_file=args.config)
        lang = config.default_language
        use_organisation(config.organisation)  # what `summary --print` and the rest name
        return _dispatch(args, config)
    except ConfigError as exc:
        _error(t("cli.error", lang, message=exc.text(lang)))
    except StorageError as exc:
        _error(_storage_problem(exc, lang))
    except sqlite3.Error as exc:  # e.g. a read-only file: opens, then refuses the first write
        _error(t("cli.db_error", lang, path=os.environ.get("BAOCAO_DB", ""), reason=exc))
    except InvalidToken:
        _error(t("cli.token_refused", lang))
    except KeyboardInterrupt:
        return 130
    return 2


def _storage_problem(exc: StorageError, lang: str) -> str:
    """One line, in the operator's language, for what is wrong with the database."""
    from bot.startup import DamagedDatabase

    if isinstance(exc, UnusableDatabase):
        return t("cli.db_unusable", lang, path=exc.path, reason=exc.reason)
    if isinstance(exc, DamagedDatabase):
        return t("cli.db_damaged", lang, path=exc.path, problem=exc.problems[0])
    if isinstance(exc, AlreadyRunning):
        return t("cli.already_running", lang, pid=exc.holder or "?", path=exc.lock_path.with_suffix(""))
    return t("cli.error", lang, message=exc)


def _error(line: str) -> None:
    print(line, file=sys.stderr)


def _dispatch(args: argparse.Namespace, config: Config) -> int:
    lang = config.default_language
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
        return asyncio.run(_db_upgrade(config, lang))
    if args.db_command == "check":
        return asyncio.run(_db_check(config, lang))
    return asyncio.run(_db_backup(config, Path(args.path), lang))


def _configure_logging(level: int) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and the Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # python-telegram-bot logs every Bot API call with its parameters at DEBUG: message
    # texts (personal data) and the webhook secret. -v is for our own debug lines only.
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))


def _run(config: Config) -> int:
    """Serves until stopped: one bot per database (its lock), a healthy database, and a
    Bot API that is waited for (with backoff) rather than given up on."""
    from bot.runner import run
    from bot.startup import check_database, wait_for_bot_api

    with process_lock(config.db_path):
        asyncio.run(check_database(config))
        if config.telegram_token:
            asyncio.run(wait_for_bot_api(config))
        log.info("starting: %r", config)
        return asyncio.run(run(config))


async def _import(config: Config, files: list[Path], transfer_rule: str | None = None) -> int:
    from bot.progress import progress_bar
    from bot.roster_import import RosterError, import_roster
    from domain.clock import SystemClock, utc_stamp
    from storage import obligations

    lang = config.default_language
    async with Database(config.db_path) as db:
        await upgrade(db)
        if transfer_rule is not None:
            # Set before importing: the rule is a setting of its own, audit-logged, and
            # what the roster's transfers mean from then on.
            rule = obligations.TransferRule(transfer_rule)
            now = utc_stamp(SystemClock().now())
            await obligations.set_transfer_rule(db, rule, by=None, telegram_id=None, now=now)
            print(t("cli.transfer_rule", lang, rule=rule.value))
        try:
            with progress_bar() as progress:
                result = await import_roster(db, files, now=utc_stamp(SystemClock().now()), progress=progress)
        except RosterError as exc:
            titles = sheet_titles(files)
            _error(t("cli.import_refused", lang, count=len(exc.errors)))
            for error in exc.errors:
                _error(f"  {row_error_text(error, titles, lang)}")
            return 1
    titles = sheet_titles(files)
    for sheet in result.created:
        print(t("cli.import_counts", lang, sheet=titles.get(sheet, sheet), created=result.created[sheet],
                updated=result.updated[sheet], unchanged=result.unchanged[sheet]))  # fmt: skip
    return 0


async def _invite(config: Config, args: argparse.Namespace) -> int:
    """Creates invite codes and prints them (or writes a CSV) for the committee's office.

    Only a hash of each code is stored, so this output is the one place the codes exist;
    it is written inside the transaction that stores them, and a failure to write it
    (say the CSV exists already) leaves the database as it was, older codes still valid.
    """
    from domain.clock import SystemClock
    from handlers.relink import issue_invite
    from storage import invites

    lang = config.default_language
    if not args.cadre and not args.all_unlinked:
        _error(t("cli.invite_needs_whom", lang))
        return 2
    if args.days < 1:
        _error(t("cli.invite_days", lang))
        return 2
    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        _error(t("cli.file_exists", lang, path=out))
        return 1
    async with Database(config.db_path) as db:
        await upgrade(db)
        channel = getattr(args, "channel", "telegram")
        unlinked = await invites.unlinked_cadre_codes(db, channel) if args.all_unlinked else []
        cadres, problems = await _cadres_to_invite(db, list(args.cadre) + unlinked, lang, channel)
        if problems:
            _error(t("cli.invite_refused", lang))
            for problem in problems:
                _error(f"  {problem}")
            return 1
        now = SystemClock(config.tz).now()
        async with db.transaction() as tx:
            rows = []
            for cadre in cadres:
                issued = await issue_invite(tx, cadre.id, now, args.days)
                rows.append((cadre.code, cadre.full_name, issued.shown, format_date(issued.last_day)))
            _write_invites(rows, out, tuple(t("cli.invite_headers", lang).split("|")))
    if out is not None:
        print(t("cli.invites_written", lang, count=len(rows), path=out))
    return 0


async def _cadres_to_invite(
    db: Database, codes: list[str], lang: str, channel: str = "telegram"
) -> tuple[list[Cadre], list[str]]:
    """The cadres named (each once, in order), and what is wrong with the others.

    A cadre linked on ``channel`` already is refused; linked on the other messenger only,
    they get a code to link this one too (one cadre, two messengers)."""
    from storage import accounts, roster

    cadres: list[Cadre] = []
    problems: list[str] = []
    for code in dict.fromkeys(code.strip() for code in codes):
        cadre = await roster.cadre_by_code(db, code)
        if cadre is None:
            problems.append(t("cli.invite_not_on_roster", lang, code=code))
        elif not cadre.active:
            problems.append(t("cli.invite_inactive", lang, code=code))
        elif any(a.channel == channel for a in await accounts.accounts_of(db, cadre.id)):
            name = "Telegram" if channel == "telegram" else "Zalo"
            problems.append(t("cli.invite_linked", lang, code=code, messenger=name))
        else:
            cadres.append(cadre)
    return cadres, problems


def _write_invites(rows: list[tuple[str, str, str, str]], out: Path | None, headers: tuple[str, ...]) -> None:
    """A CSV readable by Excel (UTF-8 with BOM) only its owner can read, or a table on stdout."""
    if out is None:
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, *rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
        return
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


async def _db_upgrade(config: Config, lang: str) -> int:
    async with Database(config.db_path) as db:
        applied = await upgrade(db)
    if applied:
        for migration in applied:
            print(t("cli.migration_applied", lang, name=f"{migration.version:04d}_{migration.name}"))
    else:
        print(t("cli.up_to_date", lang))
    return 0


async def _db_check(config: Config, lang: str) -> int:
    """integrity_check and foreign_key_check: 0 when healthy, 1 with the problems listed."""
    if not config.db_path.exists():
        _error(t("cli.no_database", lang, path=config.db_path))
        return 2
    async with Database(config.db_path) as db:
        problems = await db.check()
    if not problems:
        print(t("cli.check_ok", lang, path=config.db_path))
        return 0
    print(t("cli.check_problems", lang, path=config.db_path, count=len(problems)))
    for problem in problems:
        print(f"  {problem}")
    return 1


async def _db_backup(config: Config, target: Path, lang: str) -> int:
    if not config.db_path.exists():
        _error(t("cli.no_database", lang, path=config.db_path))
        return 2
    if target.exists():
        _error(t("cli.file_exists", lang, path=target))
        return 1
    from bot.progress import progress_bar

    async with Database(config.db_path) as db:
        with progress_bar(unit="page") as progress:
            await db.backup_to(target, progress=lambda done, total: progress("sao lưu / backup", done, total))
    print(t("cli.backed_up", lang, path=config.db_path, target=target))
    return 0
