"""A queue of several statuses, read one status at a time and merged, shows exactly the page one
query over all of them would show: same rows, same order, every page."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from core.claims import status_merge
from core.claims.queries import PAGE_COLUMNS, SORTS, ClaimFilter, Duty, claims_page, filtered
from models import Claim, ClaimStatus
from tests.factories import make_claim

S = ClaimStatus
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def claims(database):
    statuses = (S.READY, S.NEEDS_REVIEW, S.ON_HOLD, S.AWAITING_APPROVAL, S.PAID, S.INSTRUCTED)
    names = ("Yohanes Ndun", "Maria Bria", "Agustinus Tefa", "Petrus Lake")
    for n, (status, name) in enumerate(zip(itertools.cycle(statuses), itertools.cycle(names))):
        if n == 130:
            break
        claim = make_claim(status, worker_name=name, approved_amount=1_000_000 + (n % 7) * 250_000,
                           payment_due_date=TODAY + dt.timedelta(days=(n % 5) - 2))
        # received_at ties on purpose: the id must break them the same way in both reads
        Claim.update(received_at=dt.datetime(2026, 11, 1, 8) + dt.timedelta(hours=n // 3)).where(
            Claim.id == claim.id).execute()


def _one_query(f: ClaimFilter, sort_by: str, descending: bool, page: int) -> list[int]:
    column = SORTS[sort_by]
    order = (column.desc(), Claim.id.desc()) if descending else (column.asc(), Claim.id.asc())
    query = filtered(f, Duty(), TODAY, PAGE_COLUMNS).order_by(*order).limit(25).offset((page - 1) * 25)
    return [row["id"] for row in query.dicts()]


@pytest.mark.parametrize("sort_by", sorted(status_merge.MERGED_SORTS))
@pytest.mark.parametrize("descending", [True, False])
def test_merged_pages_equal_the_single_query(claims, sort_by, descending):
    for f in (ClaimFilter(past_duty=True), ClaimFilter(statuses=(S.ON_HOLD, S.AWAITING_APPROVAL)),
              ClaimFilter(statuses=(S.READY, S.PAID, S.INSTRUCTED), kabupaten=("5371",))):
        for page in (1, 2, 3, 9):
            rows = claims_page(f, sort_by=sort_by, descending=descending, page=page, today=TODAY).rows
            assert [r["id"] for r in rows] == _one_query(f, sort_by, descending, page), (f, page)


def test_a_merged_page_converts_values_and_counts_exactly(claims):
    f = ClaimFilter(past_duty=True)
    page = claims_page(f, today=TODAY)
    assert len(page.rows) == 25
    row = page.rows[0]
    assert isinstance(row["received_at"], dt.datetime) and isinstance(row["payment_due_date"], dt.date)
    assert all(r["payment_due_date"] < TODAY and r["status"] != S.PAID for r in page.rows)
    assert page.total == filtered(f, Duty(), TODAY).count()


def test_only_several_statuses_sorted_by_an_indexed_column_without_a_search_are_merged():
    assert status_merge.mergeable((S.READY, S.PAID), "received_at", "")
    assert not status_merge.mergeable((S.READY,), "received_at", "")
    assert not status_merge.mergeable((S.READY, S.PAID), "kabupaten_code", "")
    assert not status_merge.mergeable((S.READY, S.PAID), "received_at", "ndun")
