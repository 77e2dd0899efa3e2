"""bank_pull against the embedded SFTP server: results reconciled, returns, contradictions, unknown ids."""

from __future__ import annotations

from core.claims.invariants import check_all
from core.text.fmt import local_today
from models import BatchFile, Claim, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.fixtures.jobs import write_partner_file

S = ClaimStatus


def counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for claim in Claim.select().where(Claim.instruction_id.is_null(False)):
        out[claim.status] = out.get(claim.status, 0) + 1
    return out


def test_results_are_reconciled_and_the_batch_completes(cycle):
    cycle.to_bank(claims=25)
    answered = cycle.bank_answer(fail_rate=0.3, split_rate=1.0)
    assert len(answered.result_files) == 2
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED", run.error
    assert counts() == {S.PAID: answered.success, S.PAYOUT_FAILED: answered.failed}
    assert PayoutBatch.get().status == "COMPLETE"
    paid = Claim.get(Claim.status == S.PAID)
    assert paid.bank_reference.startswith("NTT") and paid.paid_date is not None
    assert BatchFile.select().where(BatchFile.file_type == "PAYOUT_RESULT",
                                    BatchFile.status == "PROCESSED").count() == 2
    assert check_all() == []


def test_a_credit_returned_in_a_later_file_makes_the_claim_failed(cycle):
    cycle.to_bank(claims=10)
    cycle.bank_answer(fail_rate=0.0)
    cycle.run("bank_pull")
    paid = Claim.select().where(Claim.status == S.PAID).count()
    returned = cycle.bank_answer(return_rate=1.0)
    assert returned.returned == paid
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED"
    assert counts() == {S.PAYOUT_FAILED: paid}
    assert {i.result_status for i in PayoutInstruction.select()} == {"RETURNED"}
    assert check_all() == []


def test_a_result_file_for_a_batch_never_sent_is_rejected_whole(cycle):
    cycle.write_results("B999999", [{"instruction_id": "B999999-000001", "status": "FAILED", "amount": 1,
                                     "failure_code": "OTHER"}])
    run = cycle.run("bank_pull")
    assert (run.outcome, run.error_cause) == ("FAILED", "file_rejected")
    assert "B999999" in run.error and "Minta Bank NTT mengirim ulang" in run.error


def test_a_contradicting_result_is_flagged_and_not_applied(cycle):
    cycle.to_bank(claims=3)
    instruction = PayoutInstruction.select().order_by(PayoutInstruction.id).first()
    batch_id = instruction.batch.batch_id
    cycle.write_results(batch_id, [{"instruction_id": instruction.instruction_id, "status": "SUCCESS",
                                    "amount": instruction.amount, "bank_reference": "NTT1", "value_date":
                                    local_today()}], seq=1)
    cycle.run("bank_pull")
    cycle.write_results(batch_id, [{"instruction_id": instruction.instruction_id, "status": "FAILED",
                                    "amount": instruction.amount, "failure_code": "NAME_MISMATCH"}], seq=2)
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS"
    claim = Claim.get_by_id(instruction.claim_id)
    assert (claim.status, claim.flagged) == (S.PAID, True)
    assert "bertentangan" in run.log


def test_an_unknown_instruction_id_is_reported(cycle):
    cycle.to_bank(claims=3)
    batch = PayoutBatch.get()
    cycle.write_results(batch.batch_id, [{"instruction_id": f"{batch.batch_id}-999999", "status": "FAILED",
                                          "amount": 5, "failure_code": "OTHER"}])
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS"
    assert "tidak pernah dikirim" in run.log
    assert set(counts()) == {S.INSTRUCTED}


def test_a_result_named_for_another_batch_than_its_header_is_rejected_whole(cycle):
    cycle.to_bank(claims=2)
    before = counts()
    instruction = PayoutInstruction.select().order_by(PayoutInstruction.id).first()
    batch_id = instruction.batch.batch_id
    name = cycle.ctx.layouts["PAYOUT_RESULT"].make_name(date=local_today(), batch_id="B999999", seq=1)
    write_partner_file(cycle.ctx, "PAYOUT_RESULT", cycle.outbox("bank"), [
        {"instruction_id": instruction.instruction_id, "status": "FAILED", "amount": instruction.amount,
         "failure_code": "OTHER"}], name=name, header={
        "file_id": f"RES-{batch_id}-01", "sender": cycle.settings.partner("bank").id,
        "receiver": cycle.settings.organisation_id, "batch_id": batch_id})
    run = cycle.run("bank_pull")
    assert (run.outcome, run.error_cause) == ("FAILED", "file_rejected")
    assert "B999999" in run.error and batch_id in run.error
    assert counts() == before == {S.INSTRUCTED: PayoutInstruction.select().count()}
