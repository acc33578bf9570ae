from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.phones import PhoneError, normalise_phone
from domain.quarters import Quarter


@pytest.mark.parametrize(
    ("day", "key", "first", "last"),
    [
        (date(2026, 1, 1), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 3, 31), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), "2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 11, 23), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        (date(2028, 2, 29), "2028-Q1", date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_quarter_boundaries(day: date, key: str, first: date, last: date) -> None:
    quarter = Quarter.of(day)
    assert quarter.key == key
    assert (quarter.first_day, quarter.last_day) == (first, last)
    assert Quarter.parse(key) == quarter


def test_quarter_labels_and_days_left() -> None:
    q4 = Quarter(2026, 4)
    assert q4.label("vi") == "Quý IV/2026"
    assert q4.label("en") == "Q4 2026"
    assert q4.days_left(date(2026, 12, 31)) == 1
    assert q4.days_left(date(2026, 12, 1)) == 31
    assert q4.days_left(date(2027, 1, 1)) == 0
    assert q4.next() == Quarter(2027, 1) and Quarter(2027, 1).previous() == q4


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_is_in_exactly_one_quarter(day: date) -> None:
    quarter = Quarter.of(day)
    assert quarter.contains(day)
    assert not quarter.next().contains(day) and not quarter.previous().contains(day)
    assert Quarter.of(quarter.last_day + timedelta(days=1)) == quarter.next()


@pytest.mark.parametrize(
    "raw",
    ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84912345678", "912345678", "+84 912-345-678"],
)
def test_phone_forms_agree(raw: str) -> None:
    assert normalise_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["", "0912", "09123456789", "+1 555 0100", "0212345678", "09x2345678", "phone"])
def test_bad_phones_are_refused(raw: str) -> None:
    with pytest.raises(PhoneError):
        normalise_phone(raw)


@given(st.sampled_from("35789"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_all_written_forms_of_a_mobile_normalise_alike(prefix: str, rest: str) -> None:
    national = prefix + rest
    expected = "+84" + national
    assert normalise_phone("0" + national) == expected
    assert normalise_phone("+84" + national) == expected
    assert normalise_phone("84" + national) == expected
    assert normalise_phone(national) == expected


@given(st.text(max_size=30))
def test_phone_parser_never_crashes(raw: str) -> None:
    try:
        result = normalise_phone(raw)
    except PhoneError:
        return
    assert result.startswith("+84") and len(result) == 12 and result[1:].isdigit()
