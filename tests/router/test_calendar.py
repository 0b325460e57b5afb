import datetime as dt

import pytest

from router.calendar import WorkingCalendar


@pytest.fixture(scope="module")
def calendar(profile):
    return WorkingCalendar(profile.calendar)


def at(day: str, hour: int = 14) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+03:00")


@pytest.mark.parametrize("start, days, due", [
    ("2026-11-29", 3, "2026-12-02"),   # Sunday → Wednesday
    ("2026-11-26", 3, "2026-12-01"),   # Thursday: Friday and Saturday are the weekend
    ("2026-11-27", 3, "2026-12-01"),   # arrives on a Friday: counting starts Sunday
    ("2026-11-26", 5, "2026-12-03"),   # inspection service level
    ("2026-12-29", 3, "2027-01-04"),   # 31 December is a listed extra day off
    ("2027-03-07", 3, "2027-03-16"),   # across Eid al-Fitr 2027 (9–14 March)
    ("2026-05-24", 3, "2026-06-02"),   # across Arafah and Eid al-Adha 2026
])
def test_due_time_skips_weekends_holidays_and_extra_days(calendar, start, days, due):
    assert calendar.add_working_days(at(start), days) == at(due)


def test_due_time_keeps_the_hour_in_the_profile_time_zone(calendar):
    start = dt.datetime(2026, 11, 29, 21, 30, tzinfo=dt.UTC)  # 00:30 Monday in Riyadh
    due = calendar.add_working_days(start, 3)
    assert due.utcoffset() == dt.timedelta(hours=3)
    assert (due.date(), due.hour, due.minute) == (dt.date(2026, 12, 3), 0, 30)


def test_naive_start_is_refused(calendar):
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.add_working_days(dt.datetime(2026, 11, 29, 10), 3)


def test_eid_days_are_not_working_days(calendar):
    assert not calendar.is_working_day(dt.date(2027, 3, 10))
    assert calendar.is_working_day(dt.date(2027, 3, 15))
