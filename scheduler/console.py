"""The operator's view of the scheduler: ``baocao remind --dry-run``, ``baocao summary
--print`` and ``baocao report xlsx``. They read the database and print or write a file;
none sends anything."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from domain.clock import parse_stamp
from bot.config import Config
from domain.dates import format_date
from domain.quarters import Quarter
from scheduler.reminder_plan import Plan, plan
from scheduler.reminder_texts import cell_label
from scheduler.schedule import next_slot, quiet_until
from scheduler.summaries import load_summary, render
from storage import groups
from storage.db import Database
from storage.migrate import upgrade


async def run(config: Config, args: argparse.Namespace) -> int:
    if args.command == "remind" and not args.dry_run:
        print("baocao remind: the running bot sends reminders itself; "
              "use --dry-run to see who would be reminded now", file=sys.stderr)
        return 2
    if args.command == "summary" and not args.print:
        print("baocao summary: registered groups get it from the bot (or /tonghop); "
              "use --print to see it here", file=sys.stderr)
        return 2
    now = _now(config, args.now)
    async with Database(config.db_path) as db:
        await upgrade(db)
        if args.command == "remind":
            print("\n".join(describe_plan(await plan(db, config, now), config)))
            return 0
        if args.command == "report":
            return await _write_workbook(db, config, now, args)
        if args.command == "fund":
            return await _write_fund(db, config, now, args)
        return await _print_summary(db, config, now, args)


def _now(config: Config, text: str | None) -> datetime:
    if not text:
        return datetime.now(config.tz)
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=config.tz) if moment.tzinfo is None else moment.astimezone(config.tz)


def _when(moment: datetime) -> str:
    return f"{format_date(moment.date())} {moment:%H:%M}"


def describe_plan(p: Plan, config: Config) -> list[str]:
    """The dry run, line by line: the moment, the slot, quiet hours or a day off, who and why."""
    settings = p.settings
    calendar = settings.calendar
    quarter = Quarter.of(p.now.date())
    lines = [f"Now: {_when(p.now)} ({config.tz.key}), {quarter.label('en')}"]
    if p.slot is None:
        upcoming = next_slot(p.now, settings)
        lines.append(
            f"No reminder is due now. Next: '{upcoming.kind}' of {upcoming.quarter.label('en')} "
            f"at {_when(upcoming.due_at)}."
        )
    else:
        until = settings.window_end(p.slot.due_at)
        lines.append(
            f"Due: the '{p.slot.kind}' reminder (due {_when(p.slot.due_at)}, "
            f"sent until {_when(until)} if the bot was down)."
        )
        if p.quiet:
            today = p.now.date()
            if calendar.is_working_day(today):
                why = f"Quiet hours ({config.quiet_start:%H:%M}-{config.quiet_end:%H:%M})"
            else:
                kind = calendar.holiday_name(today) or ("weekend" if today.weekday() >= 5 else "local day off")
                why = f"{format_date(today)} is not a working day ({kind})"
            lines.append(f"{why}: nothing is sent now; these go out at {_when(quiet_until(p.now, settings))}.")
        days = quarter.days_left(p.now.date())
        workdays = calendar.working_days_between(p.now.date(), quarter.last_day)
        lines.append(f"{len(p.targets)} reminder(s) would be sent:")
        lines += [
            f"  {target.cadre_code} {target.cadre_name} → {cell_label(target)}: no visit reported in "
            f"{quarter.label('en')}, {days} day(s) left ({workdays} working)"
            for target in p.targets
        ]
    if p.unsettled:
        lines.append("Not settled this quarter:")
        for entry in p.unsettled:
            claimed = _when(parse_stamp(entry.claimed_at).astimezone(config.tz))
            if entry.status == "claimed":
                why = "outcome unknown (a crash or a lost answer): not sent again"
            else:
                why = f"failed {entry.attempts}x ({entry.last_error}): a later sweep retries"
            lines.append(f"  {entry.cadre_code} cell {entry.cell_id} '{entry.kind}' since {claimed}: {why}")
    return lines


class _NoScope(Exception):
    """--unit or --chat names nothing usable; the message says why."""


async def _scope(db: Database, args: argparse.Namespace) -> int | None:
    """The unit of --chat (a registered group's) or --unit; None: everything."""
    if getattr(args, "chat", None) is not None:
        group = await groups.get(db, args.chat)
        if group is None or not group.active:
            raise _NoScope(f"chat {args.chat} is not a registered group")
        return group.unit_id
    if args.unit:
        found = await groups.find_scope_units(db, args.unit)
        if len(found) != 1:
            known = ", ".join(u.code for u in found) or "none"
            raise _NoScope(f"--unit {args.unit!r} names no single unit (matches: {known})")
        return found[0].id
    return None


async def _write_workbook(db: Database, config: Config, now: datetime, args: argparse.Namespace) -> int:
    """``baocao report xlsx``: the workbook /baocaoquy sends, written to a file."""
    from scheduler import workbook  # openpyxl's writer: only when asked

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"baocao: --out {out} should end in .xlsx", file=sys.stderr)
        return 2
    try:
        quarter = Quarter.parse(args.quarter.strip().upper()) if args.quarter else Quarter.of(now.date())
    except ValueError:
        print(f"baocao: --quarter {args.quarter!r} is not a quarter such as 2026-Q4", file=sys.stderr)
        return 2
    try:
        scope = await _scope(db, args)
    except _NoScope as problem:
        print(f"baocao: {problem}", file=sys.stderr)
        return 1
    lang = config.default_language
    report = await workbook.load_report(
        db, scope, quarter, now, organisation=workbook.organisation_name(config)
    )
    out.write_bytes(workbook.to_bytes(report, lang))
    print(f"{quarter.label('en')}: {len(report.coverage)} unit(s), {len(report.detail)} obligation(s), "
          f"{len(report.issues)} issue(s), {len(report.models)} model(s) written to {out}")
    return 0


async def _write_fund(db: Database, config: Config, now: datetime, args: argparse.Namespace) -> int:
    """``baocao fund xlsx``: the savings fund's ledger, for one unit's funds or all."""
    from scheduler import fund_workbook, workbook  # openpyxl's writer: only when asked
    from storage.scope import units_within

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"baocao: --out {out} should end in .xlsx", file=sys.stderr)
        return 2
    try:
        scope = await _scope(db, args)
    except _NoScope as problem:
        print(f"baocao: {problem}", file=sys.stderr)
        return 1
    within = None if scope is None else await units_within(db, scope)
    ledger = await fund_workbook.load(db, within, now, workbook.organisation_name(config))
    out.write_bytes(fund_workbook.to_bytes(ledger, config.tz, config.default_language))
    entries = sum(len(e) for e in ledger.entries.values())
    print(f"{len(ledger.units)} fund(s), {entries} ledger entr{'y' if entries == 1 else 'ies'} written to {out}")
    return 0


async def _print_summary(db: Database, config: Config, now: datetime, args: argparse.Namespace) -> int:
    try:
        scope = await _scope(db, args)
    except _NoScope as problem:
        print(f"baocao: {problem}", file=sys.stderr)
        return 1
    summary = await load_summary(db, scope, Quarter.of(now.date()), now)
    chunks = render(summary, config.default_language)
    for number, chunk in enumerate(chunks, 1):
        if len(chunks) > 1:
            print(f"----- message {number}/{len(chunks)} -----")
        print(chunk)
    if summary.coverage:
        print(f"----- + a chart of coverage by commune ({len(summary.coverage)} bar(s)) -----")
    return 0
