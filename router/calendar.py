"""Working days on a ministry's calendar.

Service levels are promised in working days, so a due time must skip the
profile's weekend, its country's public holidays (the Eids move every
year, which is why they come from the ``holidays`` package rather than a
fixed list) and the extra days the ministry announces.
"""

from __future__ import annotations

import datetime as dt

import holidays

from router.profile import Calendar


class WorkingCalendar:
    def __init__(self, calendar: Calendar):
        self.zone = calendar.zone
        self._weekend = frozenset(calendar.weekend)
        self._extra_days_off = frozenset(calendar.extra_days_off)
        self._public_holidays = (
            holidays.country_holidays(calendar.holidays_country)
            if calendar.holidays_country else {})
        # Bulk scoring asks about the same few days again and again; the holidays lookup is slow.
        self._known: dict[dt.date, bool] = {}
        self._due_days: dict[tuple[dt.date, int], dt.date] = {}

    def is_working_day(self, day: dt.date) -> bool:
        working = self._known.get(day)
        if working is None:
            working = self._known[day] = (day.isoweekday() not in self._weekend
                                          and day not in self._extra_days_off
                                          and day not in self._public_holidays)
        return working

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The same local time of day, ``days`` working days after ``start``.

        A post that arrives on a day off starts its clock from that moment
        all the same: the first day counted is the next working day.
        """
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        local = start.astimezone(self.zone)
        due_day = self._due_days.get((local.date(), days))
        if due_day is None:
            due_day = self._due_days[(local.date(), days)] = self._count_working_days(
                local.date(), days)
        return dt.datetime.combine(due_day, local.time(), tzinfo=self.zone)

    def _count_working_days(self, day: dt.date, days: int) -> dt.date:
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day
