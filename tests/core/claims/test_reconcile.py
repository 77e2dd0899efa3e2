"""Applying PAYOUT_RESULT records (core/claims/reconcile.py): results, repeats, returns, contradictions."""

from __future__ import annotations

import datetime as dt

import pytest

from core.claims.reconcile import Reconciler
from models import BatchFile, Claim, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.factories import make_claim

S = ClaimStatus
VALUE_DATE = dt.date(2026, 11, 24)


@pytest.fixture
def batch(database) -> PayoutBatch:
    file = BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION",
                            name="NTTPAY_20261123_B000001.txt", file_id="B000001", status="DELIVERED")
    return PayoutBatch.create(batch_id="B000001", file=file, status="DELIVERED")


def instructed(batch: PayoutBatch, n: int = 1, amount: int = 1_000_000) -> Claim:
    instruction_id = f"B000001-{n:06d}"
    claim = make_claim(S.INSTRUCTED, approved_amount=amount)
    Claim.update(instruction_id=instruction_id, batch_id=batch.batch_id).where(Claim.id == claim.id).execute()
    PayoutInstruction.create(instruction_id=instruction_id, batch=batch, claim=claim, beneficiary_name="Y",
                             bank_code="130", account_no="0012345678", amount=amount, remark="R",
                             line_no=n + 1)
    return claim


def success(n: int = 1, amount: int = 1_000_000, reference: str = "NTT26112400000001") -> dict:
    return {"instruction_id": f"B000001-{n:06d}", "status": "SUCCESS", "amount": amount,
            "bank_reference": reference, "value_date": VALUE_DATE}


def failed(n: int = 1, amount: int = 1_000_000, status: str = "FAILED", code: str = "ACCOUNT_CLOSED") -> dict:
    return {"instruction_id": f"B000001-{n:06d}", "status": status, "amount": amount, "failure_code": code,
            "failure_reason": "Rekening sudah ditutup"}


def apply(batch: PayoutBatch, *records: dict):
    result_file = BatchFile.create(direction="IN", partner="bank", file_type="PAYOUT_RESULT",
                                   name=f"NTTPAY_20261124_B000001_RESULT_{BatchFile.select().count():02d}.txt",
                                   status="RECEIVED")
    return Reconciler(result_file, batch).apply([(i + 2, r) for i, r in enumerate(records)])


def fresh(claim: Claim) -> Claim:
    return Claim.get_by_id(claim.id)


def test_success_pays_the_claim_with_reference_and_value_date(batch):
    claim = instructed(batch)
    report = apply(batch, success())
    claim = fresh(claim)
    assert report.applied["SUCCESS"] == 1
    assert (claim.status, claim.bank_reference, claim.paid_date) == (S.PAID, "NTT26112400000001", VALUE_DATE)
    assert claim.report_pending
    assert PayoutInstruction.get(PayoutInstruction.claim == claim.id).result_status == "SUCCESS"


def test_failure_marks_the_payout_failed_with_its_code(batch):
    claim = instructed(batch)
    apply(batch, failed())
    claim = fresh(claim)
    assert (claim.status, claim.failure_code) == (S.PAYOUT_FAILED, "ACCOUNT_CLOSED")


def test_return_after_success_makes_the_claim_failed_again(batch):
    claim = instructed(batch)
    apply(batch, success())
    report = apply(batch, failed(status="RETURNED"))
    claim = fresh(claim)
    assert report.applied["RETURNED"] == 1
    assert (claim.status, claim.failure_code, claim.paid_date) == (S.PAYOUT_FAILED, "ACCOUNT_CLOSED", None)
    assert PayoutInstruction.get(PayoutInstruction.claim == claim.id).result_status == "RETURNED"


@pytest.mark.parametrize("result", [success(), failed()])
def test_the_same_result_again_is_harmless(batch, result):
    claim = instructed(batch)
    apply(batch, result)
    before = fresh(claim)
    report = apply(batch, result)
    after = fresh(claim)
    assert report.repeats == 1 and report.contradictions == 0
    assert (after.status, after.updated_at, after.flagged) == (before.status, before.updated_at, False)


@pytest.mark.parametrize(("first", "second", "why"), [
    (success(), failed(), "bertentangan"),
    (failed(), success(), "bertentangan"),
    (None, failed(status="RETURNED"), "bertentangan"),
    (failed(), failed(status="RETURNED"), "bertentangan"),
    (None, success(amount=999_000), "berbeda dari nilai instruksi"),
    (success(), success(reference="NTT-OTHER"), "referensi bank"),
])
def test_a_contradiction_is_flagged_and_never_applied(batch, first, second, why):
    claim = instructed(batch)
    if first:
        apply(batch, first)
    status = fresh(claim).status
    report = apply(batch, second)
    claim = fresh(claim)
    assert report.contradictions == 1
    assert claim.status == status
    assert claim.flagged and why in claim.flag_reason
    assert report.notes[0].flagged


def test_an_instruction_never_sent_is_reported_and_changes_nothing(batch):
    claim = instructed(batch)
    report = apply(batch, success(n=99))
    assert report.unknown == 1
    assert "tidak pernah dikirim" in report.notes[0].message
    assert fresh(claim).status == S.INSTRUCTED


def test_a_batch_is_complete_when_every_instruction_has_a_final_result(batch):
    instructed(batch, 1)
    instructed(batch, 2)
    first = apply(batch, success(1))
    assert first.completed_batches == [] and PayoutBatch.get_by_id(batch.id).status == "DELIVERED"
    second = apply(batch, failed(2))
    assert second.completed_batches == ["B000001"]
    assert PayoutBatch.get_by_id(batch.id).status == "COMPLETE"


def test_results_for_a_batch_not_yet_marked_delivered_mark_it_delivered(batch):
    PayoutBatch.update(status="WRITTEN").execute()
    BatchFile.update(status="WRITTEN").where(BatchFile.id == batch.file_id).execute()
    instructed(batch, 1)
    instructed(batch, 2)
    apply(batch, success(1))
    assert PayoutBatch.get_by_id(batch.id).status == "DELIVERED"
    assert BatchFile.get_by_id(batch.file_id).status == "DELIVERED"


def delivered(batch: PayoutBatch, at: dt.datetime) -> PayoutBatch:
    PayoutBatch.update(delivered_at=at).where(PayoutBatch.id == batch.id).execute()
    return PayoutBatch.get_by_id(batch.id)


def test_a_value_date_before_the_batch_was_sent_is_reported_and_not_applied(batch):
    batch = delivered(batch, dt.datetime(2026, 11, 25, 1, 0))
    claim = instructed(batch)
    report = apply(batch, success())  # value date 24/11, batch sent 25/11 WITA
    assert report.applied["SUCCESS"] == 0
    assert [(n.field, n.key) for n in report.notes] == [("value_date", "B000001-000001")]
    assert "sebelum batch B000001 dikirim (25/11/2026)" in report.notes[0].message
    assert fresh(claim).status == S.INSTRUCTED


def test_a_value_date_on_the_wita_day_the_batch_was_sent_is_applied(batch):
    # 16:30 UTC on 23/11 is already 24/11 in WITA, the value date's day
    batch = delivered(batch, dt.datetime(2026, 11, 23, 16, 30))
    claim = instructed(batch)
    report = apply(batch, success())
    assert report.applied["SUCCESS"] == 1
    assert fresh(claim).status == S.PAID
