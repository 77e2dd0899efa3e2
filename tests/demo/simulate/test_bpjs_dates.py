"""The demo BPJS's claims tell one story in time and pass the benefit rules (issue 14)."""

from __future__ import annotations

from models import Claim, ClaimStatus
from tests.demo.simulate.test_partners import read_all


def test_demo_bpjs_accidents_are_covered_and_verified_before_the_file_is_written(cycle):
    dropped = cycle.bpjs_drop(claims=200, bad_records=0, seed=5)
    check, records, errors = read_all(cycle.ctx.layouts["VERIFIED_CLAIMS"], dropped.path, "BPJSTK",
                                      "PEMPROV_NTT")
    assert errors == []
    created = check.header["created_at"]
    start = cycle.settings.programme_start
    for r in records:
        assert start <= r["accident_date"] < r["verified_at"].date() <= created.date(), r["claim_no"]
        assert r["verified_at"] < created, r["claim_no"]


def test_demo_bpjs_claims_go_through_the_pre_payout_checks_unstopped_but_for_the_missing_accounts(cycle):
    cycle.bpjs_drop(claims=200, bad_records=0, seed=9)
    run = cycle.run("bpjs_pull")
    assert run.outcome == "SUCCEEDED", run.error
    reviewed = [c.review_reason for c in Claim.select().where(Claim.status == ClaimStatus.NEEDS_REVIEW)]
    assert reviewed and all(reason.startswith("Rekening bank belum ada") for reason in reviewed), reviewed
