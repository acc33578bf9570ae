from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from domain.workdays import WorkCalendar

CALENDAR = WorkCalendar()


def test_tet_2026_is_not_a_working_day_and_the_next_one_is_monday_23_february() -> None:
    tet = date(2026, 2, 17)
    assert CALENDAR.is_holiday(tet) and not CALENDAR.is_working_day(tet)
    assert CALENDAR.next_working_day(tet) == date(2026, 2, 23)


def test_weekends_and_local_days_off() -> None:
    assert not CALENDAR.is_working_day(date(2026, 11, 28))  # Saturday
    assert CALENDAR.is_working_day(date(2026, 11, 23))
    local = WorkCalendar.with_days_off([date(2026, 11, 23)])
    assert not local.is_working_day(date(2026, 11, 23))
    assert local.next_working_day(date(2026, 11, 23)) == date(2026, 11, 25)  # 24/11 is a holiday


def test_last_working_day_of_2026_q4() -> None:
    assert CALENDAR.previous_working_day(date(2026, 12, 31)) == date(2026, 12, 31)
    assert CALENDAR.previous_working_day(date(2027, 1, 3)) == date(2026, 12, 31)


def test_working_days_in_a_week_with_a_holiday() -> None:
    assert CALENDAR.working_days_between(date(2026, 11, 23), date(2026, 11, 29)) == 4


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
def test_next_working_day_is_a_working_day_and_never_earlier(day: date) -> None:
    found = CALENDAR.next_working_day(day)
    assert found >= day and CALENDAR.is_working_day(found)
    assert (found - day).days < 14  # Tết is the longest break
