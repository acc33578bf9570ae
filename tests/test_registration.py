"""Registration end to end: invite codes, the shared phone contact, re-linking, language."""

from __future__ import annotations

import asyncio
import csv
import re
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from domain.clock import VIETNAM, ManualClock
from bot.harness import Harness
from bot.invites import ALPHABET, CODE_LENGTH, format_code, normalise_code
from bot.simulator import SimUser
from handlers.relink import issue_invite
from storage import audit, invites, registration, roster
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG, STRANGER_TG

NEWCOMER_TG = 2001
OTHER_TG = 2002
# CAN-003 of the sample roster: active, not linked, phone 0905 210 003.
UNLINKED_CODE = "CAN-003"
UNLINKED_NAME = "Lê Văn Thắng"
CAN_001_PHONE = "0912345001"
SHOWN_CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")


async def send(harness: Harness, user: SimUser, text: str) -> str:
    """Sends a text as the user, waits until the bot handled it, returns the bot's last reply."""
    update_id = await user.send_text(text)
    await harness.handled(update_id)
    message = user.last_message()
    assert message is not None, "the bot answered nothing"
    return message.text or ""


async def share(harness: Harness, user: SimUser, phone: str, *, own: bool = True) -> str:
    update_id = await user.share_contact(phone, own=own)
    await harness.handled(update_id)
    message = user.last_message()
    assert message is not None
    return message.text or ""


async def press(harness: Harness, user: SimUser, label: str) -> str:
    await harness.handled(await user.press(label))
    message = user.last_message()
    assert message is not None
    return message.text or ""


async def invite_for(db: Database, clock: ManualClock, cadre_code: str, days: int = 14) -> str:
    """A fresh code for a cadre, as ``baocao invite`` makes it; returns it as printed."""
    cadre = await roster.cadre_by_code(db, cadre_code)
    assert cadre is not None
    async with db.transaction() as tx:
        issued = await issue_invite(tx, cadre.id, clock.now(), days)
    return issued.shown


async def linked_code(db: Database, telegram_id: int) -> str | None:
    cadre = await roster.cadre_by_telegram_id(db, telegram_id)
    return cadre.code if cadre else None


async def unlink_can_001(db: Database) -> None:
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    assert cadre is not None
    await registration.unlink_telegram(db, cadre.id)


# --- invite codes ------------------------------------------------------------------------


async def test_invite_code_typed_loosely_links_welcomes_and_removes_the_keyboard(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    code = await invite_for(roster_db, clock, UNLINKED_CODE)
    user = harness.simulator.user(NEWCOMER_TG, "Thắng")
    assert "chỉ dành cho cán bộ" in await send(harness, user, "/start")
    assert user.reply_keyboard() == [["📱 Gửi số điện thoại"]]

    reply = await send(harness, user, "  " + code.lower().replace("-", " ") + " ")

    assert reply.startswith(f"Xin chào đồng chí {UNLINKED_NAME}")
    assert "/baocao" in reply
    assert user.reply_keyboard() == []
    assert await linked_code(roster_db, NEWCOMER_TG) == UNLINKED_CODE
    [entry] = await audit.entries(roster_db, action="cadre.link")
    assert entry.details == {"method": "invite"} and entry.telegram_id == NEWCOMER_TG
    # Registered now: /start is the ordinary welcome.
    assert (await send(harness, user, "/start")).startswith(f"Xin chào đồng chí {UNLINKED_NAME}")


async def test_deep_link_start_with_code_links(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    code = await invite_for(roster_db, clock, UNLINKED_CODE)
    user = harness.simulator.user(NEWCOMER_TG, "Thắng", language_code="en")
    reply = await send(harness, user, f"/start {code.replace('-', '')}")
    assert reply.startswith(f"Hello, comrade {UNLINKED_NAME}")
    assert await linked_code(roster_db, NEWCOMER_TG) == UNLINKED_CODE


async def test_expired_code_is_refused(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    code = await invite_for(roster_db, clock, UNLINKED_CODE, days=1)  # valid through 24/11
    clock.advance(timedelta(days=1, hours=15))  # 25/11 00:00
    user = harness.simulator.user(NEWCOMER_TG, "Thắng")
    assert "đã hết hạn" in await send(harness, user, code)
    assert await linked_code(roster_db, NEWCOMER_TG) is None


async def test_code_works_once_and_a_newer_code_replaces_the_older(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    older = await invite_for(roster_db, clock, "CAN-004")
    newer = await invite_for(roster_db, clock, "CAN-004")
    first = harness.simulator.user(NEWCOMER_TG, "Nhung")
    second = harness.simulator.user(OTHER_TG, "Khác")

    assert "thay bằng một mã mới hơn" in await send(harness, first, older)
    assert (await send(harness, first, newer)).startswith("Xin chào đồng chí Phạm Thị Hồng Nhung")
    assert "đã được dùng rồi" in await send(harness, second, newer)
    assert await linked_code(roster_db, OTHER_TG) is None
    cadre = await roster.cadre_by_code(roster_db, "CAN-004")
    assert cadre is not None
    used = [i for i in await invites.of_cadre(roster_db, cadre.id) if i.used_at]
    assert [i.used_by_telegram_id for i in used] == [NEWCOMER_TG]


async def test_wrong_codes_are_answered_politely_then_blocked_for_an_hour(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    code = await invite_for(roster_db, clock, UNLINKED_CODE)
    user = harness.simulator.user(NEWCOMER_TG, "Thắng")
    for wrong in ("AAAA-AAAA", "bbbb bbbb", "CCCCCCCC", "/start DDDDDDDD", "EEEE-EEEE"):
        assert "Mã mời này không đúng" in await send(harness, user, wrong), wrong
        clock.advance(timedelta(minutes=1))
    # The sixth attempt is refused even with the right code, until an hour after the first.
    assert "thử lại sau 10:00" in await send(harness, user, code)
    assert await roster_db.fetchval(
        "SELECT count(*) FROM invite_attempts WHERE telegram_id = ?", (NEWCOMER_TG,)
    ) == 5
    # Someone else is not blocked by it.
    assert "không đúng" in await send(harness, harness.simulator.user(OTHER_TG, "Khác"), "FFFF-FFFF")
    clock.advance(timedelta(minutes=56))  # 10:01
    assert (await send(harness, user, code)).startswith(f"Xin chào đồng chí {UNLINKED_NAME}")


async def test_registered_cadres_code_like_text_goes_to_their_conversation(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    """A registered cadre's typed text is never taken for an invite code."""
    user = harness.simulator.user(CADRE_TG, "Hùng")
    assert "chưa hiểu tin nhắn" in await send(harness, user, "ABCD-EFGH")
    await harness.handled(await user.send_text("/baocao"))
    reply = await send(harness, user, "ABCD-EFGH")  # at the cell step: a cell search
    assert "Không tìm thấy chi bộ nào khớp «abcd-efgh»" in reply
    assert "Mã mời" not in reply


# --- sharing the phone contact -------------------------------------------------------------


@pytest.mark.parametrize("phone", ["0912345001", "+84912345001", "84912345001"])
async def test_own_contact_matching_the_roster_links(harness: Harness, roster_db: Database, phone: str) -> None:
    await unlink_can_001(roster_db)
    user = harness.simulator.user(NEWCOMER_TG, "Hùng", phone_number=phone)
    await send(harness, user, "/start")
    # The share-my-phone-number button of the reply keyboard sends the user's own contact.
    await harness.handled(await user.press_reply_button("📱 Gửi số điện thoại"))
    reply = user.last_message()
    assert reply is not None and (reply.text or "").startswith("Xin chào đồng chí Nguyễn Văn Hùng")
    assert user.reply_keyboard() == []
    assert await linked_code(roster_db, NEWCOMER_TG) == CADRE_CODE
    [entry] = await audit.entries(roster_db, action="cadre.link")
    assert entry.details == {"method": "contact"}


async def test_someone_elses_contact_is_refused(harness: Harness, roster_db: Database) -> None:
    await unlink_can_001(roster_db)
    user = harness.simulator.user(NEWCOMER_TG, "Khác")
    assert "không gửi danh bạ của người khác" in await share(harness, user, CAN_001_PHONE, own=False)
    assert await linked_code(roster_db, NEWCOMER_TG) is None


async def test_unknown_phone_is_refused_with_the_number_masked(harness: Harness, roster_db: Database) -> None:
    user = harness.simulator.user(STRANGER_TG, "Khách")
    reply = await share(harness, user, "+84 909 555 678")
    assert "09•• ••• 678" in reply and "Văn phòng Đảng ủy" in reply
    assert "555" not in reply
    assert await linked_code(roster_db, STRANGER_TG) is None


async def test_linking_is_refused_when_cadre_or_account_is_linked_already(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    # CAN-001 is linked to 1001: a second account with the same phone is refused.
    newcomer = harness.simulator.user(NEWCOMER_TG, "Hùng")
    assert "đã được liên kết với một tài khoản Telegram khác" in await share(harness, newcomer, CAN_001_PHONE)
    # 1001 is linked to CAN-001: it cannot take CAN-003's code, nor share another number.
    code = await invite_for(roster_db, clock, UNLINKED_CODE)
    cadre = harness.simulator.user(CADRE_TG, "Hùng")
    reply = await send(harness, cadre, f"/start {code}")
    assert "đã được liên kết với đồng chí Nguyễn Văn Hùng" in reply and "quản trị viên" in reply
    assert "đã được liên kết với đồng chí" in await share(harness, cadre, "0905 210 003")
    assert await linked_code(roster_db, CADRE_TG) == CADRE_CODE
    assert await linked_code(roster_db, NEWCOMER_TG) is None
    # The refused code was not spent.
    assert (await send(harness, newcomer, code)).startswith(f"Xin chào đồng chí {UNLINKED_NAME}")


# --- an admin re-links ---------------------------------------------------------------------


async def test_admin_unlinks_and_issues_a_new_code_that_relinks(harness: Harness, roster_db: Database) -> None:
    admin = harness.simulator.user(ADMIN_TG, "Hà")
    reply = await send(harness, admin, f"/golienket {CADRE_CODE.lower()}")
    assert "Đã gỡ liên kết Telegram của đồng chí Nguyễn Văn Hùng (CAN-001)" in reply
    assert await linked_code(roster_db, CADRE_TG) is None
    [entry] = await audit.entries(roster_db, action="cadre.unlink")
    assert entry.details == {"telegram_id": CADRE_TG}

    shown = await press(harness, admin, "Cấp mã mời mới")
    code = SHOWN_CODE.search(shown)
    assert code is not None and "07/12/2026" in shown
    assert f"https://t.me/baocao_bot?start={code[0].replace('-', '')}" in shown

    old_phone = harness.simulator.user(CADRE_TG, "Hùng")
    assert "chỉ dành cho cán bộ" in await send(harness, old_phone, "/start")
    new_phone = harness.simulator.user(NEWCOMER_TG, "Hùng")
    assert (await send(harness, new_phone, code[0])).startswith("Xin chào đồng chí Nguyễn Văn Hùng")
    assert await linked_code(roster_db, NEWCOMER_TG) == CADRE_CODE


async def test_unlink_is_for_admins_only(harness: Harness, roster_db: Database) -> None:
    cadre = harness.simulator.user(CADRE_TG, "Hùng")
    assert "chỉ dành cho quản trị viên" in await send(harness, cadre, "/golienket CAN-003")
    stranger = harness.simulator.user(STRANGER_TG, "Khách")
    assert "chỉ dành cho quản trị viên" in await send(harness, stranger, "/unlink CAN-001")
    assert await linked_code(roster_db, CADRE_TG) == CADRE_CODE
    assert await audit.entries(roster_db, action="cadre.unlink") == []


# --- language ------------------------------------------------------------------------------


async def test_ngonngu_switches_the_language_of_later_replies(harness: Harness, roster_db: Database) -> None:
    user = harness.simulator.user(CADRE_TG, "Hùng")
    assert (await send(harness, user, "/ngonngu")).startswith("Chọn ngôn ngữ")
    assert user.last_message().buttons() == [["Tiếng Việt", "English"]]  # type: ignore[union-attr]
    assert "speaks English" in await press(harness, user, "English")
    assert (await send(harness, user, "/help")).startswith("Your commands")
    assert (await roster.cadre_by_code(roster_db, CADRE_CODE)).language == "en"  # type: ignore[union-attr]
    await send(harness, user, "/language")
    assert "nói tiếng Việt" in await press(harness, user, "Tiếng Việt")
    assert (await send(harness, user, "/help")).startswith("Các lệnh")


async def test_a_stranger_may_switch_language_before_registering(harness: Harness) -> None:
    user = harness.simulator.user(STRANGER_TG, "Guest")
    await send(harness, user, "/ngonngu")
    await harness.handled(await user.press("English"))
    reply = user.last_message()
    assert reply is not None and (reply.text or "").startswith("Hello! This bot is only for cadres")
    assert user.reply_keyboard() == [["📱 Share phone number"]]
    assert "only for cadres" in await send(harness, user, "xin chào")


# --- baocao invite -------------------------------------------------------------------------


async def test_cli_invite_prints_codes_that_work_in_the_bot(
    harness: Harness,
    roster_db: Database,
    clock: ManualClock,
    config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    # The command runs its own event loop, so it runs in a thread next to the bot's.
    assert await asyncio.to_thread(main, ["invite", "--cadre", UNLINKED_CODE, "CAN-004", "--days", "7"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Mã", "cán", "bộ", "Họ", "và", "tên", "Mã", "mời", "Hết", "hạn"]
    row = next(line for line in lines if line.startswith(UNLINKED_CODE))
    assert UNLINKED_NAME in row
    code = SHOWN_CODE.search(row)
    assert code is not None
    clock.set(datetime.now(VIETNAM))  # the command used the real clock
    user = harness.simulator.user(NEWCOMER_TG, "Thắng")
    assert (await send(harness, user, code[0])).startswith(f"Xin chào đồng chí {UNLINKED_NAME}")


async def test_cli_invite_writes_a_private_csv_and_refuses_linked_cadres(
    roster_db: Database, config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert await asyncio.to_thread(main, ["invite", "--cadre", CADRE_CODE]) == 1
    assert "CAN-001: đã liên kết Telegram" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["invite", "--cadre", "CAN-999", UNLINKED_CODE]) == 1
    assert "CAN-999: không có trong danh sách" in capsys.readouterr().err
    assert await roster_db.fetchval("SELECT count(*) FROM invite_codes") == 0

    out = tmp_path / "codes.csv"
    assert await asyncio.to_thread(main, ["invite", "--all-unlinked", "--out", str(out)]) == 0
    assert "đã ghi 37 mã mời vào" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Mã cán bộ", "Họ và tên", "Mã mời", "Hết hạn"]
    codes = {row[0] for row in rows[1:]}
    assert len(codes) == 37 and CADRE_CODE not in codes and "CAN-022" not in codes  # linked, inactive
    assert all(SHOWN_CODE.fullmatch(row[2]) and re.fullmatch(r"\d\d/\d\d/\d{4}", row[3]) for row in rows[1:])
    # Only hashes are stored, and the file is never overwritten.
    stored = sqlite_hashes(config.db_path)
    assert not any(row[2].replace("-", "") in stored for row in rows[1:])
    assert await asyncio.to_thread(main, ["invite", "--all-unlinked", "--out", str(out)]) == 1


def sqlite_hashes(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return " ".join(r[0] for r in conn.execute("SELECT code_hash FROM invite_codes"))


# --- code normalisation --------------------------------------------------------------------

codes = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)
separators = st.lists(st.sampled_from(["", "", " ", "-", " - ", "–", "  "]), min_size=CODE_LENGTH + 1, max_size=CODE_LENGTH + 1)


@given(code=codes, seps=separators, lower=st.lists(st.booleans(), min_size=CODE_LENGTH, max_size=CODE_LENGTH))
def test_a_code_is_read_back_whatever_the_case_and_separators(code: str, seps: list[str], lower: list[bool]) -> None:
    typed = seps[0] + "".join(
        (c.lower() if low else c) + sep for c, low, sep in zip(code, lower, seps[1:])
    )
    assert normalise_code(typed) == code
    assert normalise_code(format_code(code)) == code


@given(code=codes, bad=st.sampled_from("0O1IL"), at=st.integers(0, CODE_LENGTH - 1))
def test_a_code_with_a_look_alike_or_a_wrong_length_is_no_code(code: str, bad: str, at: int) -> None:
    assert normalise_code(code[:at] + bad + code[at + 1 :]) is None
    assert normalise_code(code[:-1]) is None
    assert normalise_code(code + code[0]) is None
