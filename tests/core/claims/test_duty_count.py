"""The payment-duty count is exact whichever side it counts (core/claims/duty_count.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.claims.duty_count import past_duty_totals
from core.claims.queries import ClaimFilter, Duty, count_and_total, filtered, past_duty_summary
from core.claims.statuses import UNPAID
from models import Claim, ClaimStatus
from tests.factories import make_claim

S = ClaimStatus
TODAY = dt.date(2026, 11, 20)


def _direct(statuses, kabupaten=None, benefits=()) -> tuple[int, int]:
    query = Claim.select().where(Claim.status.in_(statuses), Claim.payment_due_date < TODAY)
    if kabupaten is not None:
        query = query.where(Claim.kabupaten_code.in_(kabupaten))
    if benefits:
        query = query.where(Claim.benefit_type.in_(benefits))
    claims = list(query)
    return len(claims), sum(c.approved_amount for c in claims)


@pytest.mark.parametrize("overdue", [2, 9], ids=["few overdue", "most overdue"])
def test_past_duty_totals_are_exact_on_either_side(database, overdue):
    for n in range(10):
        due = TODAY - dt.timedelta(days=3) if n < overdue else TODAY + dt.timedelta(days=n)
        make_claim(S.READY if n % 2 else S.ON_HOLD, kabupaten_code="5371" if n % 3 else "5305",
                   approved_amount=1_000_000 + n * 10_000, payment_due_date=due)
    make_claim(S.NEEDS_REVIEW, payment_due_date=None)  # no due date: never overdue
    make_claim(S.PAID, payment_due_date=TODAY - dt.timedelta(days=30))  # paid: never overdue
    unpaid = tuple(UNPAID)
    assert past_duty_totals(unpaid, TODAY) == _direct(unpaid)
    assert past_duty_totals(unpaid, TODAY, ("5305",)) == _direct(unpaid, ("5305",))
    stmb = ("JKK_STMB",)
    assert past_duty_totals((S.READY,), TODAY, None, stmb) == _direct((S.READY,), None, stmb)
    assert past_duty_totals(unpaid, TODAY, ()) == (0, 0)  # an empty desk sees nothing
    f = ClaimFilter(past_duty=True, scope=("5371",))
    assert count_and_total(f, Duty(), TODAY)[0] == filtered(f, Duty(), TODAY).count()
    assert past_duty_summary(Duty(), TODAY).count == _direct(unpaid)[0]
