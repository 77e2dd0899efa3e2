"""The PAYOUT_INSTRUCTION carries the account holder's name when a coordinator recorded one
(contract section 7, bank details), BPJS's beneficiary otherwise."""

from __future__ import annotations

from core.claims.checks import payout_fingerprint
from models import Claim, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.factories import make_claim
from tests.jobs.bank.test_push import read_instructions

S = ClaimStatus


def test_the_instruction_names_the_account_holder_when_one_was_recorded(cycle):
    child = make_claim(S.READY, benefit_type="BEASISWA", beneficiary_relation="CHILD",
                       beneficiary_name="Maria Ndun", beneficiary_nik="5371015507880002",
                       account_holder_name="Petrus Lake")
    own = make_claim(S.READY, account_no="0099887766")
    run = cycle.run("bank_push")
    assert run.outcome == "SUCCEEDED", run.error
    _, records = read_instructions(cycle, cycle.inbox("bank") / PayoutBatch.get().file.name)
    assert {r["claim_no"]: r["beneficiary_name"] for r in records} == {
        child.claim_no: "Petrus Lake", own.claim_no: "Yohanes Ndun"}
    assert PayoutInstruction.get(PayoutInstruction.claim == child.id).beneficiary_name == "Petrus Lake"
    assert Claim.get_by_id(child.id).beneficiary_name == "Maria Ndun"  # BPJS's heir is never overwritten


def test_the_approval_fingerprint_covers_the_account_holder(database):
    claim = make_claim(S.READY)
    signed = payout_fingerprint(claim)
    claim.account_holder_name = "Petrus Lake"
    assert payout_fingerprint(claim) != signed
