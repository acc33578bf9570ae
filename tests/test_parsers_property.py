"""Property-based tests (hypothesis) for what a person can type or send at the bot: dates,
phone numbers, invite codes, free text (length, control characters, right-to-left marks,
emoji), and the callback data of buttons on old messages.

The pure parsers are checked on their own; then the same inputs go through the real
Application on the simulator, where a refusal must be a polite message and never an
exception.
"""

from __future__ import annotations

import pkgutil
import re
import unicodedata
from datetime import date, timedelta
from importlib import import_module

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import handlers
from domain.dates import DateError, format_date, parse_date, parse_past_date
from bot.harness import Harness
from bot.invites import ALPHABET, CODE_LENGTH, format_code, normalise_code
from domain.quarters import Quarter
from domain.phones import PhoneError, normalise_phone
from bot.simulator import SimUser
from domain.textinput import TextEmpty, TextTooLong, clean_text
from handlers.registration import mask_phone
from handlers.visit import ISSUE_LIMIT
from tests.conftest import CADRE_TG
from tests.test_faults import ReportingCadre, step_of

TODAY = date(2026, 11, 23)
E2E = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text as phones produce it: any Unicode, with the troublemakers made likely.
TROUBLE = "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200d\x00\x07\x1b\t\r\n\x85\u2028"
EMOJI = ["👍", "🇻🇳", "👨‍👩‍👧", "❤️", "🙏🏽", "✅"]
typed_text = st.text(
    # codec="utf-8": what can travel in Telegram's JSON (a lone surrogate cannot; the
    # simulator could not even deliver it, and the bot would wait for it forever).
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(TROUBLE), st.sampled_from("ăâđêôơưáàảãạếềểễệ ")),
    max_size=80,
) | st.lists(st.sampled_from([*EMOJI, "Nghị quyết", " ", "\n", "\u202e", "\u200f", "‏אב", "عربي"]), max_size=30).map("".join)


# --- dates ---------------------------------------------------------------------------------------


@given(st.text(max_size=30), st.dates(date(2000, 1, 1), date(2100, 12, 31)))
@example("31/02/2026", TODAY)
@example("29/02", date(2025, 3, 1))
@example("٣/١١/٢٠٢٦", TODAY)  # Arabic-Indic digits
def test_a_typed_date_is_a_date_or_a_polite_refusal(text: str, today: date) -> None:
    try:
        parse_past_date(text, today)
    except DateError as error:
        assert error.reason in ("date.format", "date.invalid", "date.need_year")


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.sampled_from(["/", ".", "-", " / "]), st.booleans())
def test_a_date_reads_back_however_it_is_written(day: date, separator: str, short_year: bool) -> None:
    year = f"{day.year % 100:02d}" if short_year else str(day.year)
    text = f"{day.day}{separator}{day.month}{separator}{year}"
    assert parse_date(text, TODAY) == day
    assert parse_date(format_date(day), TODAY) == day


@given(st.dates(date(2001, 1, 1), date(2099, 12, 31)), st.integers(0, 364))
def test_a_date_without_year_is_the_latest_such_day_not_in_the_future(today: date, back: int) -> None:
    """...when that day is in this quarter or the last one; else the cadre types the year."""
    day = today - timedelta(days=back)
    assume(not (day.month == 2 and day.day == 29))
    if Quarter.of(day) >= Quarter.of(today).previous():
        assert parse_past_date(f"{day.day}/{day.month}", today) == day
    else:
        with pytest.raises(DateError) as refused:
            parse_past_date(f"{day.day}/{day.month}", today)
        assert refused.value.reason == "date.need_year" and refused.value.day == day


# --- phone numbers -------------------------------------------------------------------------------

NATIONAL = st.from_regex(r"[35789][0-9]{8}", fullmatch=True)
VIETNAMESE = re.compile(r"\+84[35789][0-9]{8}", re.ASCII)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=20))
def test_a_phone_is_plus84_and_nine_ascii_digits_or_refused(text: str) -> None:
    try:
        phone = normalise_phone(text)
    except PhoneError:
        return
    assert VIETNAMESE.fullmatch(phone)
    assert normalise_phone(phone) == phone


@given(NATIONAL, st.sampled_from(["0{}", "+84{}", "84{}", "{}", "+84 {}"]), st.lists(st.sampled_from(" .-()"), max_size=4), st.randoms())
def test_every_way_of_writing_a_number_gives_the_same_phone(national: str, form: str, separators: list[str], rnd) -> None:  # noqa: ANN001
    text = form.format(national)
    for separator in separators:  # wherever people put them
        at = rnd.randint(1, len(text))
        text = text[:at] + separator + text[at:]
    assert normalise_phone(text) == "+84" + national


@given(NATIONAL)
@example("912345678")
def test_non_ascii_digits_give_an_ascii_phone_or_a_refusal(national: str) -> None:
    fullwidth = national[0] + national[1:].translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    try:
        phone = normalise_phone("0" + fullwidth)
    except PhoneError:
        return
    assert VIETNAMESE.fullmatch(phone), phone


@given(st.text(max_size=24))
def test_a_masked_phone_shows_at_most_three_digits(raw: str) -> None:
    masked = mask_phone(raw)
    assert sum(c.isdigit() for c in masked) <= 3 + 2  # '09•• ••• 678' keeps the 0 and the network digit


# --- invite codes --------------------------------------------------------------------------------

CODES = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)


@given(st.text(max_size=30))
def test_a_typed_code_is_canonical_or_none(text: str) -> None:
    code = normalise_code(text)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(ALPHABET))


@given(CODES, st.sampled_from(["{}", "{} ", " {}", "{}\n"]), st.sampled_from(["-", " ", "–", "", "—", " - "]), st.booleans())
def test_a_code_reads_back_however_it_is_typed(code: str, around: str, dash: str, lower: bool) -> None:
    shown = format_code(code).replace("-", dash)
    typed = around.format(shown.lower() if lower else shown)
    assert normalise_code(typed) == code


# --- free text -----------------------------------------------------------------------------------

_INVISIBLE = set("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


@given(typed_text, st.integers(1, 100))
@example("e\u200b\u0301", 10)  # a mark separated from its letter by an invisible space
@example("\u202eabc\u202c", 10)
@example("👨‍👩‍👧 họp chi bộ", 50)
def test_clean_text_is_clean_bounded_and_stable(raw: str, limit: int) -> None:
    try:
        cleaned = clean_text(raw, limit)
    except TextEmpty:
        assert not "".join(c for c in raw if c not in _INVISIBLE and unicodedata.category(c) != "Cc").strip()
        return
    except TextTooLong as error:
        assert error.length > limit and error.limit == limit
        return
    assert 0 < len(cleaned) <= limit
    assert cleaned == cleaned.strip() and "\n\n\n" not in cleaned
    assert not any(c in _INVISIBLE for c in cleaned)
    assert all(c == "\n" or unicodedata.category(c) != "Cc" for c in cleaned)
    # Cleaning twice changes nothing (up to NFC: see test_clean_text_is_nfc).
    assert clean_text(cleaned, limit) == unicodedata.normalize("NFC", cleaned)


@given(typed_text)
@example("e\u200b\u0301")
def test_clean_text_is_nfc(raw: str) -> None:
    """The same word typed on two phones (composed or decomposed) is the same string."""
    try:
        cleaned = clean_text(raw, 10_000)
    except TextEmpty:
        return
    assert unicodedata.is_normalized("NFC", cleaned)


@given(st.lists(st.sampled_from(EMOJI + ["họp", "chi bộ", "ngày 5"]), min_size=1, max_size=12))
def test_emoji_and_vietnamese_survive_cleaning(words: list[str]) -> None:
    text = " ".join(words)
    assert clean_text(text, 1000) == unicodedata.normalize("NFC", text)
    decomposed = unicodedata.normalize("NFD", text)
    assert clean_text(decomposed, 1000) == clean_text(text, 1000)


@given(st.lists(st.sampled_from(["Đường", "sạt", "lở", "👍"]), min_size=1, max_size=8), st.lists(st.sampled_from(sorted(_INVISIBLE)), min_size=1, max_size=5), st.randoms())
def test_direction_marks_and_invisible_spaces_are_dropped(words: list[str], marks: list[str], rnd) -> None:  # noqa: ANN001
    text = " ".join(words)
    marked = text
    for mark in marks:
        at = rnd.randint(0, len(marked))
        marked = marked[:at] + mark + marked[at:]
    assert "".join(clean_text(marked, 1000).split()) == "".join(text.split())


# --- through the bot -----------------------------------------------------------------------------


class Steps:
    """Moves one cadre's visit report to a given step, from wherever it is."""

    def __init__(self, harness: Harness, user: SimUser) -> None:
        self.harness = harness
        self.user = user
        self.cadre = ReportingCadre(harness.simulator, user, wanted=10**6)

    def text(self) -> str:
        screen = self.cadre.screen()
        return screen.content if screen else ""

    async def act(self) -> None:
        update_id = await self.cadre.act(self.cadre.screen())
        if update_id is not None:
            await self.harness.handled(update_id)

    async def until(self, step: int) -> None:
        for _ in range(20):
            if step_of(self.text()) == step:
                return
            await self.act()
        raise AssertionError(f"could not reach step {step}: {self.text()!r}")

    async def send(self, text: str) -> str:
        await self.harness.handled(await self.user.send_text(text))
        return self.text()

    async def press(self, prefix: str) -> str:
        screen = max((m for m in self.user.messages() if m.buttons()), key=lambda m: m.seq)
        label = next(b for b in screen.button_list() if b.startswith(prefix))
        await self.harness.handled(await self.user.press(label, message=screen))
        return self.text()


def capture_errors(harness: Harness) -> list[BaseException]:
    errors: list[BaseException] = []

    async def record(_update: object, context: object) -> None:
        errors.append(context.error)  # type: ignore[attr-defined]

    harness.application.add_error_handler(record)
    return errors


typed_message = typed_text.filter(lambda t: t.strip() and not t.lstrip().startswith("/"))


@E2E
@given(text=typed_message)
@example(text="Xin hỗ trợ giống lúa 🌾")
@example(text="\u202eđường\u202c sạt lở")
@example(text="x" * (ISSUE_LIMIT + 1))
@example(text="\u200b\u200f")
async def test_an_issue_typed_in_the_report_is_stored_clean_or_refused_politely(harness: Harness, roster_db: object, text: str) -> None:
    errors = capture_errors(harness)
    steps = Steps(harness, harness.simulator.user(CADRE_TG, "An"))
    await steps.until(4)
    await steps.press("➕")
    answer = await steps.send(text)
    try:
        expected = clean_text(text, ISSUE_LIMIT)
    except TextTooLong:
        assert str(ISSUE_LIMIT) in answer and "Bước" not in answer
    except TextEmpty:
        assert "Bước" not in answer and "«" not in answer
    else:
        assert f"«{expected}»" in answer  # shown back as it will be stored
        assert "Bước 4/6" in await steps.press("✅") and expected in steps.text()
        await steps.press("🗑")
    assert errors == []


@E2E
@given(text=st.text(max_size=20).filter(lambda t: t.strip() and not t.lstrip().startswith("/")))
@example(text="31/02/2026")
@example(text="20/11")
@example(text="1/1/2099")
async def test_a_typed_meeting_date_is_taken_or_refused_politely(harness: Harness, roster_db: object, text: str) -> None:
    errors = capture_errors(harness)
    steps = Steps(harness, harness.simulator.user(CADRE_TG, "An"))
    await steps.until(2)
    await steps.press("📅")
    answer = await steps.send(text)
    try:
        day = parse_past_date(text, TODAY)
    except DateError:
        assert "Bước" not in answer
    else:
        if day > TODAY or (TODAY - day).days > 366:
            assert format_date(day) in answer and "Bước" not in answer
        elif Quarter.of(day) < Quarter.of(TODAY):
            assert format_date(day) in answer and "nộp muộn" in answer and "Bước" not in answer
        else:
            assert "Bước 3/6" in answer
            await steps.press("✏ Ngày") if "✏ Ngày" in answer else await steps.harness.handled(await steps.user.send_text("/huy"))
    assert errors == []


def _callback_prefixes() -> list[str]:
    """Every CB_ constant of the handlers: the prefixes the bot's own buttons carry."""
    found = set()
    for module in pkgutil.iter_modules(handlers.__path__):
        for name, value in vars(import_module(f"handlers.{module.name}")).items():
            if name.startswith("CB_") and isinstance(value, str):
                found.add(value)
    return sorted(found)


PREFIXES = _callback_prefixes()
tails = st.one_of(
    st.just(""), st.integers(-5, 10**12).map(str), st.text(max_size=30),
    st.sampled_from(["0", "1", "all", "2026-02-30", "x:y:z", "-1", "٣", "1:x", "²", "9" * 20]),
)  # fmt: skip


callback_data = st.one_of(st.builds(lambda p, t: p + t, st.sampled_from(PREFIXES), tails), st.text(min_size=1, max_size=64)).map(
    lambda d: d.encode("utf-8")[:64].decode("utf-8", "ignore")
).filter(bool)


@E2E
@given(actions=st.lists(st.one_of(st.just("step"), callback_data), min_size=1, max_size=6), on_first=st.booleans())
async def test_any_callback_data_from_an_old_message_is_answered_and_harmless(harness: Harness, roster_db: object, actions: list[str], on_first: bool) -> None:
    """A report in any state, buttons of old messages carrying anything: every press is
    answered (no spinner left), no handler raises, and the bot sends Telegram nothing invalid."""
    assert len(PREFIXES) > 20
    sim = harness.simulator
    errors = capture_errors(harness)
    steps = Steps(harness, sim.user(CADRE_TG, "An"))
    for action in actions:
        if action == "step" or not steps.user.messages():
            await steps.act()
            continue
        messages = steps.user.messages()
        answered, mark, failed = len(steps.user.callback_answers), len(sim.call_log()), len(errors)
        await harness.handled(await steps.user.press_data(action, message=messages[0] if on_first else messages[-1]))
        assert len(steps.user.callback_answers) == answered + 1, action
        raised = errors[failed:]
        assert raised == [], (action, raised)
        refused = [(c.method, c.response) for c in sim.call_log()[mark:]
                   if c.status != 200 and "not modified" not in str(c.response)]  # fmt: skip
        assert refused == [], action  # an unchanged edit is skipped by show(); nothing else fails
    assert sim.internal_errors == []


async def test_a_refused_button_is_answered_once(harness: Harness, roster_db: object) -> None:
    sim = harness.simulator
    user = sim.user(CADRE_TG, "An")
    await harness.handled(await user.send_text("/start"))
    await harness.handled(await user.press_data("reg:invite:1", message=user.last_message()))
    assert [c.status for c in sim.calls("answerCallbackQuery")] == [200]
    assert "quản trị" in (user.callback_answers[-1]["text"] or "")


@pytest.mark.parametrize("data", ["v:vp:1:x", "v:c:²", "v:c:99999999999999999999"])
async def test_malformed_numbers_in_callback_data_are_refused_politely(harness: Harness, roster_db: object, data: str) -> None:
    errors = capture_errors(harness)
    steps = Steps(harness, harness.simulator.user(CADRE_TG, "An"))
    await steps.until(1)  # the cell list, where these buttons live
    await harness.handled(await steps.user.press_data(data, message=steps.cadre.screen()))
    assert errors == [], errors
