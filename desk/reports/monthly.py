"""The monthly report's figures (contract section 9), for one calendar month in WITA.

For each kabupaten/kota (all 22 of config/reference.yaml, in its order, those with nothing
included: the unreached are the point) and for each benefit type:
- `received`: claims received from BPJS in the month (`received_at`, local date);
- `paid` and `paid_amount`: claims PAID with a `paid_date` in the month, and their Rupiah;
- `failed`: payouts the bank failed or returned in the month (each attempt counts: a claim
  failed twice in a month was two failures the family waited through);
- `unpaid`: claims received up to the end of the month and still unpaid when the report is
  made (the statuses of `core.claims.statuses.UNPAID`);
- `late`: claims whose payment duty fell due in the month and that were paid after it, or are
  still unpaid past it (`PaymentDuty.claim_days_late` > 0, the rule of section 7);
- per kabupaten/kota also the sosialisasi sessions held in the month and their attendees;
- and the most frequent failure reasons of the month.

Every claim query starts from `desk.documents.data.within`, the one place that narrows to the
acting user's kabupaten desk; a desk's report lists its own kabupaten/kota only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from core.claims.payment_duty import PaymentDuty
from core.claims.statuses import UNPAID
from core.reference import Reference
from core.roster.tables import OutreachSession
from core.settings import Settings
from core.text import fmt
from desk.documents.data import kabupaten_of, within
from desk.refusal import Refused
from desk.scope import codes_of
from models import Claim, ClaimStatus, InstructionStatus, PayoutInstruction, User, utcnow

MONTH = re.compile(r"(\d{4})-(\d{2})")
FAILED_RESULTS = (InstructionStatus.FAILED, InstructionStatus.RETURNED)
TOP_REASONS = 10
FIGURES = ("received", "paid", "paid_amount", "failed", "unpaid", "late")


@dataclass
class Figures:
    received: int = 0
    paid: int = 0
    paid_amount: int = 0
    failed: int = 0
    unpaid: int = 0
    late: int = 0

    def add(self, other: Figures) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def values(self) -> list[int]:
        return [getattr(self, name) for name in FIGURES]


@dataclass
class Row:
    code: str
    name: str
    figures: Figures = field(default_factory=Figures)
    sessions: int = 0
    attendees: int = 0


@dataclass
class MonthlyReport:
    month: dt.date  # its first day
    made_at: dt.datetime  # naive UTC
    kabupaten: list[Row]
    benefits: list[Row]
    sessions: list[dict]  # date, kabupaten_code, kabupaten, place, facilitator, attendees
    reasons: list[tuple[str, str, int, int]]  # code, label, count, Rupiah
    desk: tuple[str, ...] | None  # the kabupaten desk it was made for (None: the province)

    @property
    def totals(self) -> Row:
        total = Row("", "")
        for row in self.kabupaten:
            total.figures.add(row.figures)
            total.sessions += row.sessions
            total.attendees += row.attendees
        return total


def parse_month(text: str) -> dt.date:
    """`2026-03` -> 1 March 2026; raises Refused (`report.error.month`) for anything else."""
    match = MONTH.fullmatch((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise Refused("report.error.month", month=text)
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_end(first: dt.date) -> dt.date:
    """The last day of the month that starts on `first`."""
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def monthly_report(first: dt.date, settings: Settings, reference: Reference, user: User | None = None,
                   today: dt.date | None = None) -> MonthlyReport:
    """The figures of the month starting `first`, as `user` may see them (None: the province)."""
    zone = settings.timezone
    last = month_end(first)
    start_utc = fmt.local_midnight_utc(first, zone)
    end_utc = fmt.local_midnight_utc(last + dt.timedelta(days=1), zone)
    today = today or fmt.local_today(zone)
    codes = kabupaten_of(user, reference)
    by_kab = {c: Row(c, reference.label("kabupaten", c)) for c in codes}
    by_benefit = {c: Row(c, reference.label("benefit_type", c)) for c in reference.lists["benefit_type"]}

    def count(pairs: Iterable[tuple[str, str, int, int]], name: str, amount: str | None = None) -> None:
        for kab, benefit, n, total in pairs:
            for row in (by_kab.get(kab), by_benefit.get(benefit)):
                if row is not None:
                    setattr(row.figures, name, getattr(row.figures, name) + int(n))
                    if amount:
                        setattr(row.figures, amount, getattr(row.figures, amount) + int(total or 0))

    count(_grouped(Claim.received_at >= start_utc, Claim.received_at < end_utc, user=user), "received")
    count(_grouped(Claim.status == ClaimStatus.PAID, Claim.paid_date >= first, Claim.paid_date <= last,
                   user=user), "paid", "paid_amount")
    count(_grouped(Claim.status.in_(UNPAID), Claim.received_at < end_utc, user=user), "unpaid")
    failures = _failures(start_utc, end_utc, user)
    count(((kab, benefit, 1, 0) for kab, benefit, _code, _amount in failures), "failed")
    count(_late(first, last, PaymentDuty.of(settings, reference), today, user), "late")
    sessions = _sessions(first, last, codes, reference)
    for session in sessions:
        row = by_kab[session["kabupaten_code"]]
        row.sessions += 1
        row.attendees += session["attendees"]
    return MonthlyReport(first, utcnow(), list(by_kab.values()), list(by_benefit.values()), sessions,
                         _reasons(failures, reference), codes_of(user))


def _grouped(*where: Any, user: User | None) -> list[tuple[str, str, int, int]]:
    """(kabupaten, benefit, count, Rupiah) of the claims matching `where`, on the user's desk."""
    query = (Claim.select(Claim.kabupaten_code, Claim.benefit_type, fn.COUNT(Claim.id),
                          fn.COALESCE(fn.SUM(Claim.approved_amount), 0))
             .where(*where).group_by(Claim.kabupaten_code, Claim.benefit_type))
    return list(within(query, user).tuples())


Failure = tuple[str, str, str, int]  # kabupaten, benefit, failure code, Rupiah


def _failures(start_utc: dt.datetime, end_utc: dt.datetime, user: User | None) -> list[Failure]:
    """(kabupaten, benefit, failure code, Rupiah) of each payout failed or returned in the month."""
    query = (PayoutInstruction
             .select(Claim.kabupaten_code, Claim.benefit_type, PayoutInstruction.failure_code,
                     PayoutInstruction.amount)
             .join(Claim)
             .where(PayoutInstruction.result_status.in_(FAILED_RESULTS),
                    PayoutInstruction.result_at >= start_utc, PayoutInstruction.result_at < end_utc))
    return [(kab, benefit, code or "OTHER", int(amount)) for kab, benefit, code, amount
            in within(query, user).tuples()]


def _late(first: dt.date, last: dt.date, duty: PaymentDuty, today: dt.date,
          user: User | None) -> Iterable[tuple[str, str, int, int]]:
    """(kabupaten, benefit, 1, 0) per claim due in the month and paid after it, or unpaid past it."""
    query = (Claim.select(Claim.kabupaten_code, Claim.benefit_type, Claim.status, Claim.payment_due_date,
                          Claim.paid_date)
             .where(Claim.payment_due_date >= first, Claim.payment_due_date <= last))
    for kab, benefit, status, due, paid in within(query, user).tuples().iterator():
        if duty.claim_days_late(status, due, paid, today) > 0:
            yield kab, benefit, 1, 0


def _sessions(first: dt.date, last: dt.date, codes: list[str], reference: Reference) -> list[dict]:
    """The sosialisasi sessions held in the month in the desk's kabupaten/kota, by date."""
    query = (OutreachSession.select(OutreachSession.date, OutreachSession.kabupaten_code,
                                    OutreachSession.place, OutreachSession.facilitator,
                                    OutreachSession.attendees)
             .where(OutreachSession.date >= first, OutreachSession.date <= last,
                    OutreachSession.kabupaten_code.in_(codes or ["-"]))
             .order_by(OutreachSession.date, OutreachSession.id))
    return [{**row, "kabupaten": reference.label("kabupaten", row["kabupaten_code"]),
             "attendees": int(row["attendees"] or 0)} for row in query.dicts()]


def _reasons(failures: list[Failure], reference: Reference) -> list[tuple[str, str, int, int]]:
    """The most frequent failure reasons: (code, label, count, Rupiah), most frequent first."""
    counts: Counter[str] = Counter(code for _k, _b, code, _a in failures)
    amounts: Counter[str] = Counter()
    for _k, _b, code, amount in failures:
        amounts[code] += amount
    return [(code, reference.label("failure_code", code), n, amounts[code])
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]]
