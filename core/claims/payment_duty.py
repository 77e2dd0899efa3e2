"""The payment duty: BPJS pays a claim within N working days of the day it found the file complete.

The rule (PP 44/2015 as amended by PP 82/2019, as the interface contract writes it): a
claim's `payment_due_date` is the Nth working day after the local date of its `verified_at`
(that day itself is day 0), N being its benefit's duty in the reference data (JKM 3, the
others 7). Working days are Monday to Friday less Indonesia's national holidays and cuti
bersama (the `holidays` library, categories public and government: a hand-kept list goes
stale) and less the configured `non_working_days`. `days_late` counts the working days after
the due date until the claim was paid, or until today while it is unpaid; 0 when in time.

The due date is stored on the claim when it is created or revised (`PaymentDuty.due_date`),
so the queue's late filter, the dashboard and the alert compare one indexed column with
today instead of recomputing a calendar per claim. Calendar answers are cached: a file of
100,000 claims spans a few verification days, hence a few calendar walks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import holidays

from core.claims.statuses import UNPAID
from core.text.fmt import DEFAULT_ZONE
from models import ClaimStatus

if TYPE_CHECKING:
    from core.reference import Reference
    from core.settings import Settings

DEFAULT_DUTY_DAYS = 7  # a benefit type without a rule (none after loading): the JKK duty
LOCAL_DAY_OFF = "Hari libur setempat"  # a `non_working_days` date, as the claim page names it


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    # Cuti bersama are the "government" category; without it 18-24 March 2026 would count as working days.
    return holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id")


@dataclass(frozen=True)
class WorkCalendar:
    """Indonesian working days, less the local days off (`non_working_days`)."""

    days_off: frozenset[dt.date] = frozenset()

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday or day off on `day` (None on an ordinary day, weekends included)."""
        name = _national(day.year).get(day)
        if name:
            return name
        return LOCAL_DAY_OFF if day in self.days_off else None

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.days_off and day not in _national(day.year)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself is not counted)."""
        return _add(self, start, days)

    def count(self, after: dt.date, until: dt.date) -> int:
        """Working days in (after, until]: 0 when `until` is not after `after`."""
        return _count(self, after, until)

    def holidays_between(self, after: dt.date, until: dt.date) -> list[tuple[dt.date, str]]:
        """Holidays and local days off in (after, until] on a weekday: the ones that moved a date."""
        out = []
        day = after + dt.timedelta(days=1)
        while day <= until:
            name = self.holiday_name(day) if day.weekday() < 5 else None
            if name:
                out.append((day, name))
            day += dt.timedelta(days=1)
        return out


@lru_cache(maxsize=65536)
def _add(calendar: WorkCalendar, start: dt.date, days: int) -> dt.date:
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


@lru_cache(maxsize=65536)
def _count(calendar: WorkCalendar, after: dt.date, until: dt.date) -> int:
    n, day = 0, after
    while day < until:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            n += 1
    return n


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class PaymentDuty:
    """Due dates and lateness of claims: the duty per benefit type on one working-day calendar."""

    duty_days: Mapping[str, int]  # benefit_type -> working days
    calendar: WorkCalendar = WorkCalendar()
    zone: str = DEFAULT_ZONE
    _memo: dict[tuple[Any, ...], dt.date] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, settings: Settings, reference: Reference) -> PaymentDuty:
        """The duty the configuration and the reference data describe."""
        return cls({code: rule.duty_days for code, rule in reference.benefits.items()},
                   WorkCalendar(frozenset(settings.non_working_days)), settings.timezone)

    def days(self, benefit_type: str) -> int:
        return self.duty_days.get(benefit_type, DEFAULT_DUTY_DAYS)

    def start(self, verified_at: dt.datetime) -> dt.date:
        """The local date the clock starts on (day 0): the day BPJS verified the file, in WITA."""
        if verified_at.tzinfo is None:
            verified_at = verified_at.replace(tzinfo=dt.UTC)
        return verified_at.astimezone(_zone(self.zone)).date()

    def due_date(self, benefit_type: str, verified_at: dt.datetime) -> dt.date:
        """The last day on which a claim verified at `verified_at` (naive UTC) is paid in time."""
        if verified_at.tzinfo is not None:
            verified_at = verified_at.astimezone(dt.UTC).replace(tzinfo=None)
        # Memo per quarter hour (every zone's offset is a multiple of 15 minutes): a file of
        # 100,000 claims then costs a few hundred calendar look-ups, not 100,000.
        key = (benefit_type, verified_at.date(), verified_at.hour, verified_at.minute // 15)
        due = self._memo.get(key)
        if due is None:
            due = self._memo[key] = self.calendar.add(self.start(verified_at), self.days(benefit_type))
        return due

    def days_late(self, due: dt.date | None, paid: dt.date | None, today: dt.date) -> int:
        """Working days after `due` until `paid` (or `today` while unpaid); 0 when in time."""
        if due is None:
            return 0
        return self.calendar.count(due, paid or today)

    def claim_days_late(self, status: str, due: dt.date | None, paid: dt.date | None, today: dt.date) -> int:
        """`days_late` of a claim in `status`: until paid, until today while owed, 0 if rejected/cancelled."""
        if status == ClaimStatus.PAID:
            return self.days_late(due, paid, today)
        return self.days_late(due, None, today) if status in UNPAID else 0

    def holidays_in(self, verified_at: dt.datetime, until: dt.date) -> list[tuple[dt.date, str]]:
        """The holidays and days off that moved the clock from verification to `until`."""
        return self.calendar.holidays_between(self.start(verified_at), until)

    def with_due_dates(self, rows: Iterable[dict[str, Any]]) -> None:
        """Set `payment_due_date` on each claim row from its `benefit_type` and `verified_at` (in place)."""
        for row in rows:
            row["payment_due_date"] = self.due_date(row["benefit_type"], row["verified_at"])
