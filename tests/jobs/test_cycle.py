"""The whole payout cycle end to end, against the embedded SFTP server and a real OpenSSH sshd.

BPJS file -> claims READY -> PAYOUT_INSTRUCTION to the bank -> PAYOUT_RESULT files ->
PAID / PAYOUT_FAILED (and a return) -> PAYOUT_STATUS to BPJS. The suite runs this on SQLite
and again on PostgreSQL (SANTUNAN_TEST_DATABASE).
"""

from __future__ import annotations

import pytest

from core.claims.invariants import check_all
from models import BatchFile, Claim, ClaimStatus, PayoutBatch, StatusReport

S = ClaimStatus


def whole_cycle(cycle) -> None:
    first = cycle.bpjs_drop(claims=40, bad_records=2, seed=11)
    pulled = cycle.run("bpjs_pull")
    assert pulled.outcome == "SUCCEEDED_WITH_WARNINGS", pulled.error
    assert Claim.select().count() == first.records - first.bad_records
    ready = Claim.select().where(Claim.status == S.READY).count()
    assert ready > 0

    pushed = cycle.run("bank_push")
    assert pushed.outcome == "SUCCEEDED", pushed.error
    assert Claim.select().where(Claim.status == S.INSTRUCTED).count() == ready
    assert len(list(cycle.inbox("bank").glob("NTTPAY_*.txt"))) == 1

    answered = cycle.bank_answer(fail_rate=0.25, split_rate=1.0, seed=12)
    results = cycle.run("bank_pull")
    assert results.outcome == "SUCCEEDED", results.error
    assert Claim.select().where(Claim.status == S.PAID).count() == answered.success
    assert Claim.select().where(Claim.status == S.PAYOUT_FAILED).count() == answered.failed
    assert PayoutBatch.get().status == "COMPLETE"

    reported = cycle.run("bpjs_push")
    assert reported.outcome == "SUCCEEDED", reported.error
    assert StatusReport.select().count() == answered.success + answered.failed

    # A day later: a credit comes back, BPJS sends more claims, and the cycle turns again.
    cycle.bpjs_drop(claims=10, bad_records=0, seed=13)
    cycle.bank_answer(return_rate=1.0, seed=14)
    for job in ("bank_pull", "bpjs_pull", "bank_push"):
        assert cycle.run(job).outcome != "FAILED"
    cycle.bank_answer(fail_rate=0.0, seed=15)
    for job in ("bank_pull", "bpjs_push"):
        assert cycle.run(job).outcome != "FAILED"
    assert not Claim.select().where(Claim.status == S.INSTRUCTED).exists()
    assert not Claim.select().where(Claim.report_pending == True).exists()  # noqa: E712
    assert BatchFile.select().where(BatchFile.file_type == "PAYOUT_STATUS").count() == 2
    assert check_all() == []


def test_the_whole_cycle_against_the_embedded_server(cycle):
    whole_cycle(cycle)


@pytest.mark.sshd
def test_the_whole_cycle_against_openssh(openssh_cycle):
    whole_cycle(openssh_cycle)
