"""How many claims, and how many Rupiah, are past the payment duty: counted on the smaller side.

Why (issue 19, benchmarks/ui_queries.py): on the demo's 1,000,000 claims 315,000 of the 320,000
unpaid claims are overdue; counting them reads 315,000 index entries (20 ms, the queue's and the
dashboard's biggest cost). The claim tally knows every unpaid claim; the overdue ones are that
minus the ones not yet due (or with no due date). Whichever side is smaller is counted, so the
count stays small both on these figures and in a healthy programme, where few claims are late:
the not-yet-due side is read up to half the unpaid claims, and past that the overdue side is
counted directly (then it is the smaller one). Exact either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peewee import fn

from core.claims import tally
from models import Claim


def past_duty_totals(statuses: Sequence[str], today: dt.date, kabupaten: Sequence[str] | None = None,
                     benefit_types: Sequence[str] = ()) -> tuple[int, int]:
    """(claims, Rupiah) in `statuses` (unpaid ones) with `payment_due_date` before `today`, in
    `kabupaten` (None: all) and of `benefit_types` (empty: all)."""
    unpaid, unpaid_amount = tally.counts(statuses, kabupaten, benefit_types)
    where = [Claim.status.in_(tuple(statuses))]
    if kabupaten is not None:
        where.append(Claim.kabupaten_code.in_(tuple(kabupaten) or ("-",)))
    if benefit_types:
        where.append(Claim.benefit_type.in_(tuple(benefit_types)))
    half = unpaid // 2 + 1
    # Two index ranges, not one OR: with `due >= today OR due IS NULL` PostgreSQL read every unpaid entry.
    dated = _capped([*where, Claim.payment_due_date >= today], half)
    undated = _capped([*where, Claim.payment_due_date.is_null()], half)
    n, amount = dated[0] + undated[0], dated[1] + undated[1]
    if n < half:  # the not-yet-due side was the smaller: all of it was read
        return unpaid - n, unpaid_amount - amount
    past = Claim.select(fn.COUNT(1), fn.COALESCE(fn.SUM(Claim.approved_amount), 0)) \
        .where(*where, Claim.payment_due_date < today).tuples().get()
    return int(past[0]), int(past[1])


def _capped(where: list, cap: int) -> tuple[int, int]:
    """(claims, Rupiah) of at most `cap` claims matching `where`."""
    rows = Claim.select(Claim.approved_amount).where(*where).limit(cap).alias("capped")
    n, amount = Claim.select(fn.COUNT(1), fn.COALESCE(fn.SUM(rows.c.approved_amount), 0)).from_(rows) \
        .tuples().get()
    return int(n), int(amount)
