"""The money invariants (core/claims/invariants.py): each one holds on clean data and catches its breach."""

from __future__ import annotations

import pytest

from core.claims.invariants import INVARIANTS, check_all
from demo.data import generate
from models import BatchFile, Claim, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.factories import make_claim

S = ClaimStatus


def batch(batch_id: str = "B000001", count: int = 1, total: int = 1_000_000) -> PayoutBatch:
    file = BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION",
                            name=f"NTTPAY_20261123_{batch_id}.txt", file_id=batch_id, status="DELIVERED",
                            record_count=count, control_total=total)
    return PayoutBatch.create(batch_id=batch_id, file=file, status="DELIVERED", instruction_count=count,
                              total_amount=total)


def instruct(claim: Claim, in_batch: PayoutBatch, n: int = 1, result: str = "SENT", amount: int | None = None,
             reference: str | None = None) -> PayoutInstruction:
    instruction = PayoutInstruction.create(
        instruction_id=f"{in_batch.batch_id}-{n:06d}", batch=in_batch, claim=claim, beneficiary_name="Y",
        bank_code="130", account_no="0012345678", amount=amount or claim.approved_amount, remark="R",
        result_status=result, bank_reference=reference)
    Claim.update(instruction_id=instruction.instruction_id, bank_reference=reference).where(
        Claim.id == claim.id).execute()
    return instruction


def broken() -> set[str]:
    return {v.name for v in check_all()}


def test_consistent_payouts_break_no_invariant(database):
    paid = make_claim(S.PAID)
    sent = make_claim(S.INSTRUCTED)
    b = batch(count=2, total=2_000_000)
    instruct(paid, b, 1, "SUCCESS", reference="NTT1")
    instruct(sent, b, 2)
    assert check_all() == []


def test_demo_data_breaks_no_invariant(database, reference):
    generate(400, 3, reference=reference)
    assert check_all() == []


def test_a_claim_paid_twice_is_caught(database):
    claim = make_claim(S.PAID)
    instruct(claim, batch("B000001"), 1, "SUCCESS", reference="NTT1")
    instruct(claim, batch("B000002"), 1, "SUCCESS", reference="NTT2")
    assert {"one_success_per_claim", "one_live_instruction_per_claim"} <= broken()


def test_a_claim_in_two_live_instructions_is_caught(database):
    claim = make_claim(S.INSTRUCTED)
    instruct(claim, batch("B000001"))
    instruct(claim, batch("B000002"))
    assert "one_live_instruction_per_claim" in broken()


def test_an_instructed_amount_different_from_the_approved_one_is_caught(database):
    claim = make_claim(S.INSTRUCTED)
    instruct(claim, batch(total=900_000), amount=900_000)
    assert "instructed_equals_approved" in broken()


def test_an_instruction_without_its_batch_file_is_caught(database):
    claim = make_claim(S.INSTRUCTED)
    orphan = PayoutBatch.create(batch_id="B000009", instruction_count=1, total_amount=1_000_000)
    instruct(claim, orphan)
    assert "instruction_in_one_file" in broken()


def test_a_batch_whose_file_total_differs_is_caught(database):
    claim = make_claim(S.INSTRUCTED)
    b = batch(total=1_000_000)
    instruct(claim, b)
    BatchFile.update(control_total=1_500_000).execute()
    assert "batch_totals_tie_out" in broken()


def test_a_paid_claim_without_bank_reference_is_caught(database):
    claim = make_claim(S.PAID)
    instruct(claim, batch(), result="SUCCESS", reference=None)
    assert "paid_has_bank_reference" in broken()


def test_an_instructed_claim_without_an_instruction_is_caught(database):
    make_claim(S.INSTRUCTED)
    assert "instructed_has_live_instruction" in broken()


@pytest.mark.parametrize(("claim_status", "result"), [(S.READY, "SENT"), (S.PAYOUT_FAILED, "SUCCESS")])
def test_an_instruction_result_that_does_not_match_the_claim_is_caught(database, claim_status, result):
    claim = make_claim(claim_status)
    instruct(claim, batch(), result=result, reference="NTT1")
    assert "live_instruction_matches_claim" in broken()


def test_every_invariant_has_a_bilingual_description():
    assert all(" / " in description for description, _ in INVARIANTS.values())
