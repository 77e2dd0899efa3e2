"""The pre-payout checks one claim at a time (core/claims/checks.py), as desk actions run them."""

from __future__ import annotations

from core.claims.checks import evaluate
from models import ClaimStatus
from tests.factories import make_claim

S = ClaimStatus
RULES = {"approval_threshold": 50_000_000, "instalment_benefits": frozenset({"JKK_STMB", "BEASISWA"})}


def test_a_death_claim_of_a_worker_already_dead_in_another_case_names_it(database):
    first = make_claim(S.PAID, benefit_type="JKM", case_no="KSS-A", nik="5371014107850001")
    second = make_claim(S.ON_HOLD, benefit_type="JKK_MENINGGAL", case_no="KSS-B", nik="5371014107850001")
    verdict = evaluate(second, **RULES)
    assert verdict.status == S.NEEDS_REVIEW and first.claim_no in verdict.reason


def test_a_cancelled_death_claim_does_not_stop_another(database):
    make_claim(S.CANCELLED, benefit_type="JKM", case_no="KSS-A", nik="5371014107850001")
    second = make_claim(S.ON_HOLD, benefit_type="JKK_MENINGGAL", case_no="KSS-B", nik="5371014107850001")
    assert "meninggal" not in (evaluate(second, **RULES).reason or "")


def test_an_account_paid_to_another_beneficiary_is_found_from_the_database(database):
    account = {"bank_code": "130", "account_no": "0099887766"}
    first = make_claim(S.PAID, beneficiary_nik="5371015507880002", **account)
    second = make_claim(S.ON_HOLD, beneficiary_nik="5371015507880003", **account)
    verdict = evaluate(second, **RULES)
    assert verdict.status == S.NEEDS_REVIEW and "rekening bersama" in verdict.reason
    assert first.claim_no in verdict.reason
