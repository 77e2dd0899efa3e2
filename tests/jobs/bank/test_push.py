"""bank_push against the embedded SFTP server: READY claims out in one immutable batch file."""

from __future__ import annotations

import datetime as dt

import pytest

from core.claims.states import transition
from core.db import is_postgres
from core.files.layout import Record, check_file, read_records
from core.text import fmt
from core.turnstile import HoldBudget
from jobs import crashpoints
from jobs.bank import push
from jobs.sftp.client import SftpClient
from jobs.sftp.connection import error_context
from jobs.sftp.errors import SftpError
from jobs.sftp.staging import sha256_of
from models import BatchFile, Claim, ClaimStatus, PayoutBatch, PayoutInstruction, db
from tests.factories import make_claim

S = ClaimStatus


def read_instructions(cycle, path):
    layout = cycle.ctx.layouts["PAYOUT_INSTRUCTION"]
    check = check_file(layout, path, expected_sender="PEMPROV_NTT", expected_receiver="BANKNTT",
                       today=dt.date.today())
    records = [r.values for r in read_records(layout, path, expected_sender=None, expected_receiver=None,
                                                today=dt.date.today()) if isinstance(r, Record)]
    return check, records


def test_ready_claims_go_to_the_bank_in_one_batch_file(cycle):
    ready = [make_claim(S.READY, approved_amount=amount) for amount in (1_000_000, 10_000_000, 42_000_000)]
    make_claim(S.NEEDS_REVIEW)
    run = cycle.run("bank_push")
    assert run.outcome == "SUCCEEDED", run.error
    batch = PayoutBatch.get()
    assert (batch.status, batch.instruction_count, batch.total_amount) == ("DELIVERED", 3, 53_000_000)
    file = batch.file
    remote = cycle.inbox("bank") / file.name
    assert file.name == f"NTTPAY_{fmt.local_today():%Y%m%d}_{batch.batch_id}.txt"
    assert (file.status, file.sha256) == ("DELIVERED", sha256_of(remote)[0])
    check, records = read_instructions(cycle, remote)
    assert check.header["file_id"] == batch.batch_id and check.header["source_account"] == "0011223344"
    assert check.control_total == 53_000_000
    claims = {c.id: c for c in Claim.select().where(Claim.id.in_([c.id for c in ready]))}
    assert {c.status for c in claims.values()} == {S.INSTRUCTED}
    assert [r["claim_no"] for r in records] == [c.claim_no for c in ready]
    assert [r["instruction_id"] for r in records] == [claims[c.id].instruction_id for c in ready]
    assert records[0]["remark"] == f"SANTUNAN JKK {ready[0].claim_no}"
    assert all(claims[c.id].batch_id == batch.batch_id for c in ready)


def test_nothing_ready_means_no_file_and_no_connection(cycle):
    cycle.server.stop()
    run = cycle.run("bank_push")
    assert run.outcome == "SUCCEEDED"
    assert BatchFile.select().count() == 0


def test_an_unreachable_bank_leaves_the_claims_ready(cycle):
    claim = make_claim(S.READY)
    cycle.server.stop()
    run = cycle.run("bank_push")
    assert (run.outcome, run.error_cause) == ("FAILED", "unreachable")
    assert Claim.get_by_id(claim.id).status == S.READY
    assert PayoutBatch.select().count() == 0


def test_a_failed_upload_is_sent_again_with_the_same_bytes_and_ids(cycle, monkeypatch):
    make_claim(S.READY)
    make_claim(S.READY)
    real_upload = SftpClient.upload

    def timeout_once(self, *args, **kwargs):
        monkeypatch.setattr(SftpClient, "upload", real_upload)
        raise SftpError("timeout", error_context(self.partner), "upload", args[0].name)

    monkeypatch.setattr(SftpClient, "upload", timeout_once)
    first = cycle.run("bank_push")
    assert (first.outcome, first.error_cause) == ("FAILED", "timeout")
    file = BatchFile.get()
    assert file.status == "WRITTEN" and not (cycle.inbox("bank") / file.name).exists()
    ids = sorted(i.instruction_id for i in PayoutInstruction.select())
    second = cycle.run("bank_push")
    assert second.outcome == "SUCCEEDED"
    assert PayoutBatch.select().count() == 1
    assert sorted(i.instruction_id for i in PayoutInstruction.select()) == ids
    assert sha256_of(cycle.inbox("bank") / file.name)[0] == BatchFile.get().sha256 == file.sha256
    assert BatchFile.get().status == "DELIVERED"


def test_a_big_claim_without_a_valid_approval_is_held_back(cycle):
    big = make_claim(S.READY, approved_amount=60_000_000)
    small = make_claim(S.READY)
    cycle.run("bank_push")
    assert Claim.get_by_id(big.id).status == S.AWAITING_APPROVAL
    assert Claim.get_by_id(small.id).status == S.INSTRUCTED
    assert PayoutInstruction.select().count() == 1


def test_a_claim_with_a_live_instruction_is_never_sent_twice(cycle):
    claim = make_claim(S.READY)
    cycle.run("bank_push")
    Claim.update(status=S.READY).where(Claim.id == claim.id).execute()  # a corrupted state
    run = cycle.run("bank_push")
    assert run.outcome == "SUCCEEDED"
    assert PayoutInstruction.select().count() == 1
    assert Claim.get_by_id(claim.id).status == S.NEEDS_REVIEW


def test_a_failed_payout_sent_again_gets_a_new_instruction_id(cycle):
    claim = make_claim(S.READY)
    cycle.run("bank_push")
    first = PayoutInstruction.get()
    PayoutInstruction.update(result_status="FAILED", failure_code="ACCOUNT_CLOSED").execute()
    claim = Claim.get_by_id(claim.id)
    transition(claim, S.PAYOUT_FAILED, actor="job:bank_pull", action="PAYOUT_FAILED",
               failure_code="ACCOUNT_CLOSED")
    transition(claim, S.READY, actor="maria", action="RESEND", account_no="0099887766")
    cycle.run("bank_push")
    instructions = list(PayoutInstruction.select().order_by(PayoutInstruction.id))
    assert len(instructions) == 2 and instructions[0].instruction_id == first.instruction_id
    assert instructions[1].instruction_id != first.instruction_id
    assert instructions[1].account_no == "0099887766"
    claim = Claim.get_by_id(claim.id)
    assert (claim.status, claim.instruction_id, claim.failure_code) == (S.INSTRUCTED,
                                                                        instructions[1].instruction_id,
                                                                         None)
    assert PayoutBatch.select().count() == 2


@pytest.mark.parametrize(("benefit", "claim_no", "remark"), [
    ("JKK_STMB", "KLM-202611-0000001", "SANTUNAN JKK KLM-202611-0000001"),
    ("JKM", "KLM-202611-0000001", "SANTUNAN JKM KLM-202611-0000001"),
    ("JKK_CACAT", "KLM-2026110000000000000001", "SNT JKK KLM-2026110000000000000001"),
    ("JKK_CACAT", "K" * 30, "K" * 30),
])
def test_the_remark_fits_35_characters(benefit, claim_no, remark):
    from jobs.bank.push import remark as make_remark

    assert make_remark(benefit, claim_no) == remark


def test_each_claims_own_instruction_is_looked_up_by_claim_not_by_batch(cycle, monkeypatch):
    """The batch's index would read every instruction of the batch once per claim (quadratic at 100k)."""
    if is_postgres():
        pytest.skip("PostgreSQL plans a few dozen rows with a scan whatever its statistics")
    import jobs.bank.push as push

    plans = []
    real = push.transition_many

    def explain_then_move(ids, *args, **changes):
        own = changes["instruction_id"]
        sql, params = Claim.select(Claim.id, own.alias("own")).where(Claim.id.in_(ids)).sql()
        plans.append(" | ".join(str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)))
        return real(ids, *args, **changes)

    monkeypatch.setattr(push, "transition_many", explain_then_move)
    for _ in range(40):
        make_claim(S.READY)
    assert cycle.run("bank_push").outcome == "SUCCEEDED"
    assert len(plans) == 1
    assert "payoutinstruction_claim_id_result_status" in plans[0], plans[0]
    assert "batch_id_result_status" not in plans[0], plans[0]


def test_more_ready_claims_than_a_batch_holds_go_in_several_batches_each_once(cycle, monkeypatch):
    """BATCH_CLAIMS caps a batch and its write transaction (hardening finding 5)."""
    monkeypatch.setattr(push, "BATCH_CLAIMS", 3)
    ready = [make_claim(S.READY, approved_amount=1_000_000 + n) for n in range(8)]
    run = cycle.run("bank_push")
    assert run.outcome == "SUCCEEDED", run.error
    batches = list(PayoutBatch.select().order_by(PayoutBatch.id))
    assert [b.instruction_count for b in batches] == [3, 3, 2]
    assert {b.status for b in batches} == {"DELIVERED"}
    sent = [r["claim_no"] for b in batches
            for r in read_instructions(cycle, cycle.inbox("bank") / b.file.name)[1]]
    assert sent == [c.claim_no for c in ready]  # every READY claim once, in id order
    assert not Claim.select().where(Claim.status == S.READY).exists()


def test_on_sqlite_a_batch_is_sized_by_the_write_locks_time(cycle, monkeypatch):
    """The first batch is small, the next ones as big as a second of write lock allows (issue
    18: a login waits for one batch); PostgreSQL locks rows and sends one batch of BATCH_CLAIMS."""
    monkeypatch.setattr(HoldBudget, "START", 2)
    monkeypatch.setattr(HoldBudget, "LEAST", 1)
    monkeypatch.setattr(HoldBudget, "SECONDS", 3600)  # every batch is quick: the next one doubles
    ready = [make_claim(S.READY, approved_amount=1_000_000 + n) for n in range(7)]
    assert cycle.run("bank_push").outcome == "SUCCEEDED"
    sizes = [b.instruction_count for b in PayoutBatch.select().order_by(PayoutBatch.id)]
    assert sizes == ([2, 4, 1] if cycle.ctx.settings.is_sqlite else [7])
    sent = [r["claim_no"] for b in PayoutBatch.select().order_by(PayoutBatch.id)
            for r in read_instructions(cycle, cycle.inbox("bank") / b.file.name)[1]]
    assert sent == [c.claim_no for c in ready]


def test_a_crash_between_two_batches_sends_the_rest_once_on_the_next_run(cycle, monkeypatch):
    monkeypatch.setattr(push, "BATCH_CLAIMS", 3)
    ready = [make_claim(S.READY, approved_amount=1_000_000 + n) for n in range(7)]
    with crashpoints.armed("bank_push.after_record", after=1), pytest.raises(crashpoints.InjectedCrash):
        cycle.run("bank_push")  # the second batch is recorded, not delivered
    assert Claim.select().where(Claim.status == S.READY).count() == 1
    assert cycle.run("bank_push").outcome == "SUCCEEDED"
    sent = [r["claim_no"] for b in PayoutBatch.select().order_by(PayoutBatch.id)
            for r in read_instructions(cycle, cycle.inbox("bank") / b.file.name)[1]]
    assert sorted(sent) == sorted(c.claim_no for c in ready) and len(sent) == len(set(sent))
