"""The pre-payout checks of the benefit rules, driven through VERIFIED_CLAIMS files and bpjs_pull:
ceiling, a worker dies once, one-off benefits once per case, cover, beneficiary, shared account."""

from __future__ import annotations

import datetime as dt

from models import ClaimStatus
from tests.fixtures.jobs import claim_record
from tests.fixtures.jobs import pull_records as pull
from tests.fixtures.jobs import stored_claim as claim

S = ClaimStatus
OTHER_WORKER = {"nik": "5371014107850009", "kpj": "27000000099"}
HEIR = {"beneficiary_relation": "SPOUSE", "beneficiary_nik": "5371015507880002",
        "beneficiary_name": "Maria Ndun"}


def test_an_amount_over_the_benefits_ceiling_needs_review_naming_the_ceiling(cycle):
    pull(cycle, claim_record(1, benefit_type="JKK_PEMAKAMAN", approved_amount=100_000_000, **HEIR),
         claim_record(2, benefit_type="JKK_PEMAKAMAN", approved_amount=10_000_000, **OTHER_WORKER, **HEIR))
    assert claim(1).status == S.NEEDS_REVIEW
    assert "batas manfaat" in claim(1).review_reason and "Rp 10.000.000" in claim(1).review_reason
    assert claim(2).status == S.READY


def test_a_ceiling_in_reference_wages_follows_the_reference_wage(cycle):
    pull(cycle, claim_record(1, benefit_type="JKK_MENINGGAL", approved_amount=48_000_001, **HEIR))
    assert claim(1).status == S.NEEDS_REVIEW and "Rp 48.000.000" in claim(1).review_reason


def test_a_worker_who_dies_in_two_cases_needs_review_naming_the_earlier_claim(cycle):
    pull(cycle, claim_record(1, benefit_type="JKM", approved_amount=42_000_000, **HEIR))
    pull(cycle, claim_record(2, benefit_type="JKK_MENINGGAL", approved_amount=40_000_000, **HEIR), n=2)
    assert claim(1).status == S.READY
    assert claim(2).status == S.NEEDS_REVIEW
    reason = claim(2).review_reason
    assert "meninggal sekali" in reason and claim(1).claim_no in reason


def test_the_same_kpj_under_another_nik_is_the_same_worker(cycle):
    kpj = claim_record(1)["kpj"]
    pull(cycle, claim_record(1, benefit_type="JKM", approved_amount=42_000_000, **HEIR),
         claim_record(2, benefit_type="JKM", kpj=kpj, nik="5371014107850009", approved_amount=42_000_000,
                      **HEIR))
    assert claim(2).status == S.NEEDS_REVIEW and claim(1).claim_no in claim(2).review_reason


def test_jkm_never_stands_beside_a_work_accident_death_of_the_same_case(cycle):
    case = {"case_no": "KSS-2026-0000001"}
    pull(cycle, claim_record(1, benefit_type="JKK_PEMAKAMAN", approved_amount=10_000_000, **case, **HEIR),
         claim_record(2, benefit_type="JKM", approved_amount=42_000_000, **case, **HEIR))
    assert claim(1).status == S.READY
    assert claim(2).status == S.NEEDS_REVIEW
    assert "JKK" in claim(2).review_reason and claim(1).claim_no in claim(2).review_reason


def test_funeral_and_death_benefit_of_one_case_are_both_payable(cycle):
    case = {"case_no": "KSS-2026-0000001"}
    pull(cycle, claim_record(1, benefit_type="JKK_MENINGGAL", approved_amount=48_000_000, **case, **HEIR),
         claim_record(2, benefit_type="JKK_PEMAKAMAN", approved_amount=10_000_000, **case, **HEIR))
    assert [claim(1).status, claim(2).status] == [S.READY, S.READY]


def test_a_rejected_death_claim_does_not_count_as_a_death(cycle):
    pull(cycle, claim_record(1, benefit_type="JKM", decision="REJECTED", approved_amount=0,
                             decision_reason="Bukan peserta", **HEIR),
         claim_record(2, benefit_type="JKK_MENINGGAL", approved_amount=40_000_000, **HEIR))
    assert claim(2).status == S.READY


def test_a_second_one_off_benefit_of_a_case_in_a_later_file_names_the_first(cycle):
    case = {"case_no": "KSS-2026-0000001", "benefit_type": "JKK_CACAT", "approved_amount": 5_000_000}
    pull(cycle, claim_record(1, **case))
    pull(cycle, claim_record(2, **case), n=2)
    assert claim(2).status == S.NEEDS_REVIEW
    assert "pembayaran ganda" in claim(2).review_reason and claim(1).claim_no in claim(2).review_reason


def test_an_accident_before_the_programme_started_is_not_covered(cycle):
    start = cycle.ctx.settings.programme_start
    pull(cycle, claim_record(1, accident_date=start - dt.timedelta(days=1)),
         claim_record(2, accident_date=start))
    assert claim(1).status == S.NEEDS_REVIEW and "pertanggungan" in claim(1).review_reason
    assert claim(2).status == S.READY


def test_a_beneficiary_the_benefit_does_not_allow_needs_review(cycle):
    pull(cycle, claim_record(1, benefit_type="BEASISWA", **HEIR),
         claim_record(2, benefit_type="JKK_STMB", beneficiary_relation="FUNERAL_ORGANISER",
                      beneficiary_nik="5371015507880003"),
         claim_record(3, benefit_type="JKM", approved_amount=42_000_000),
         claim_record(4, benefit_type="BEASISWA", beneficiary_relation="CHILD",
                      beneficiary_nik="5371015507880004"))
    assert "Aturan penerima" in claim(1).review_reason and "SPOUSE" in claim(1).review_reason
    assert "Aturan penerima" in claim(2).review_reason
    assert "peserta sendiri" in claim(3).review_reason
    assert [claim(n).status for n in (1, 2, 3, 4)] == [S.NEEDS_REVIEW] * 3 + [S.READY]


def test_an_account_already_used_by_another_beneficiary_needs_review(cycle):
    account = {"bank_code": "130", "account_no": "0012345678"}
    pull(cycle, claim_record(1, **account), claim_record(2, **account))  # same beneficiary: fine
    pull(cycle, claim_record(3, benefit_type="JKM", approved_amount=42_000_000, **account, **HEIR), n=2)
    assert [claim(1).status, claim(2).status] == [S.READY, S.READY]
    assert claim(3).status == S.NEEDS_REVIEW
    assert "rekening bersama" in claim(3).review_reason and claim(1).claim_no in claim(3).review_reason


def test_a_revision_that_newly_breaks_a_rule_goes_to_review(cycle):
    child = {"beneficiary_relation": "CHILD", "beneficiary_nik": "5371015507880005"}
    pull(cycle, claim_record(1, benefit_type="JKM", approved_amount=42_000_000, **HEIR),
         claim_record(2, benefit_type="JKM", approved_amount=42_000_000, **OTHER_WORKER, **child))
    assert claim(2).status == S.READY
    pull(cycle, claim_record(2, revision=2, benefit_type="JKM", approved_amount=45_000_000,
                             account_no=claim_record(1)["account_no"], **OTHER_WORKER, **child), n=2)
    reason = claim(2).review_reason
    assert claim(2).status == S.NEEDS_REVIEW and claim(2).revision == 2
    assert "Rp 42.000.000" in reason and "rekening bersama" in reason and claim(1).claim_no in reason


def test_a_revision_that_mends_the_rule_makes_the_claim_payable(cycle):
    pull(cycle, claim_record(1, benefit_type="JKK_PEMAKAMAN", approved_amount=12_000_000, **HEIR))
    assert claim(1).status == S.NEEDS_REVIEW
    pull(cycle, claim_record(1, revision=2, benefit_type="JKK_PEMAKAMAN", approved_amount=10_000_000, **HEIR),
         n=2)
    assert (claim(1).status, claim(1).review_reason) == (S.READY, None)
