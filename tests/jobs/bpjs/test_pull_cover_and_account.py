"""Checks 4 (roster cover) and 7 (no or bad account) of contract section 7, driven through
VERIFIED_CLAIMS files and bpjs_pull; and a revision re-checks a claim whose review was cleared."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from core.claims import checks
from core.settings import RosterSettings
from desk import claims as ca
from desk.claims import ClaimAction, Rules
from models import ClaimStatus, Role, User
from tests.fixtures.jobs import claim_record
from tests.fixtures.jobs import pull_records as pull
from tests.fixtures.jobs import stored_claim as claim

S = ClaimStatus
ON_ROSTER = claim_record(1)["kpj"]
LATE_JOINER = claim_record(2)["kpj"]
HEIR = {"beneficiary_relation": "SPOUSE", "beneficiary_nik": "5371015507880002",
        "beneficiary_name": "Maria Ndun"}


@pytest.fixture
def roster(monkeypatch):
    """A roster of two workers (the real table is issue 15's); counts the look-ups."""
    periods = {ON_ROSTER: (dt.date(2025, 8, 1), None),
               LATE_JOINER: (dt.date(2026, 10, 10), dt.date(2027, 10, 9))}
    calls: list[set[str]] = []

    def cover_periods(kpjs):
        kpjs = set(kpjs)
        calls.append(kpjs)
        return {kpj: period for kpj, period in periods.items() if kpj in kpjs}

    monkeypatch.setattr(checks, "cover_periods", cover_periods)
    return calls


def require_roster(cycle) -> None:
    cycle.ctx.settings = dataclasses.replace(cycle.ctx.settings, roster=RosterSettings(required=True))


def test_an_accident_outside_the_workers_roster_period_needs_review(cycle, roster):
    pull(cycle, claim_record(1), claim_record(2), claim_record(3))  # 3: not on the roster, not required
    assert [claim(n).status for n in (1, 2, 3)] == [S.READY, S.NEEDS_REVIEW, S.READY]
    reason = claim(2).review_reason
    assert "masa kepesertaan" in reason and "10 Oktober 2026" in reason and LATE_JOINER in reason
    assert len(roster) == 1  # one roster look-up for the whole chunk, not one a claim


def test_with_the_roster_required_a_worker_not_on_it_needs_review(cycle, roster):
    require_roster(cycle)
    pull(cycle, claim_record(1), claim_record(3))
    assert claim(1).status == S.READY
    assert claim(3).status == S.NEEDS_REVIEW and "tidak ada di daftar peserta" in claim(3).review_reason


def test_a_revision_moving_the_accident_outside_the_roster_period_goes_to_review(cycle, roster):
    pull(cycle, claim_record(1))
    assert claim(1).status == S.READY
    pull(cycle, claim_record(1, revision=2, accident_date=dt.date(2025, 7, 25)), n=2)
    after = claim(1)
    assert (after.status, after.revision) == (S.NEEDS_REVIEW, 2) and "masa kepesertaan" in after.review_reason


def test_no_account_needs_review_and_a_revision_bringing_one_is_payable(cycle):
    # A malformed account is a bad record (the layout refuses it); an empty one is a claim to review.
    pull(cycle, claim_record(1, bank_code="", account_no=""), claim_record(2, account_no=""))
    assert claim(1).status == S.NEEDS_REVIEW and "Rekening bank belum ada" in claim(1).review_reason
    assert claim(2).status == S.NEEDS_REVIEW
    pull(cycle, claim_record(1, revision=2), n=2)
    assert (claim(1).status, claim(1).review_reason) == (S.READY, None)


def test_a_revision_checks_a_cleared_claim_afresh(cycle):
    User.create(username="koordinator", role=Role.COORDINATOR, password_hash="-")
    rules = Rules.of(cycle.ctx)
    pull(cycle, claim_record(1, benefit_type="JKK_PEMAKAMAN", approved_amount=12_000_000, **HEIR))
    ca.perform(ClaimAction.CLEAR_REVIEW, [claim(1).id], by="koordinator", rules=rules,
               reason="Surat BPJS: biaya adat")
    assert claim(1).status == S.READY
    # BPJS's revision 2 still breaks the ceiling: the clearance was for revision 1 only.
    pull(cycle, claim_record(1, revision=2, benefit_type="JKK_PEMAKAMAN", approved_amount=12_500_000, **HEIR),
         n=2)
    assert claim(1).status == S.NEEDS_REVIEW and "Rp 10.000.000" in claim(1).review_reason
