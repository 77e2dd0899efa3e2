"""The payment duty clock: BPJS must pay within N working days of a complete file.

Working days are Monday to Friday, less Indonesia's public holidays as maintained by the
`holidays` library (not a hand-kept list). The clock starts when the claim reached us
(`Claim.received_at`), counted in the programme's zone: the day of receipt is day 0.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from core.text.fmt import DEFAULT_ZONE, local_midnight_utc, to_local


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, language="id")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def holiday_name(day: dt.date) -> str | None:
    return _holidays(day.year).get(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (`start` itself is not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def due_date(received_at: dt.datetime, days: int, zone: str = DEFAULT_ZONE) -> dt.date:
    """Last day on which a claim received at `received_at` (naive UTC) is paid in time."""
    return add_working_days(to_local(received_at, zone).date(), days)


def overdue_before(today: dt.date, days: int, zone: str = DEFAULT_ZONE) -> dt.datetime:
    """Naive-UTC cut-off: an unpaid claim received before it is past its duty on `today`.

    The due date only grows with the day of receipt, so walking back from today to the
    last receipt day whose due date has passed gives one bound a query can use on an index.
    """
    day = today
    while add_working_days(day, days) >= today:
        day -= dt.timedelta(days=1)
    return local_midnight_utc(day + dt.timedelta(days=1), zone)


def working_days_late(received_at: dt.datetime, today: dt.date, days: int, zone: str = DEFAULT_ZONE) -> int:
    """Working days past the due date (0 when still in time)."""
    due = due_date(received_at, days, zone)
    late = 0
    day = due
    while day < today:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            late += 1
    return late
