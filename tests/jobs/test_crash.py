"""Exactly once, proven: every job stopped dead at every step, then run again.

Each test sets up the cycle up to the job under test, makes the job stop at one crash
point (an injected BaseException that skips the job's own error handling, or a child
process ended with os._exit), runs the job again, and checks that the outcome is exactly
that of an uninterrupted run: no claim lost, none instructed or reported twice, every
file applied once, the totals tie out (core/claims/invariants.py).
"""

from __future__ import annotations

import pytest

from core.claims.invariants import check_all
from core.statements.tables import Statement, StatementException, StatementLine
from jobs import crashpoints, incoming
from jobs.crashpoints import EXIT_CODE, InjectedCrash
from jobs.sftp import staging
from jobs.sftp.staging import sha256_of
from models import (
    BatchFile,
    Claim,
    ClaimEvent,
    ClaimStatus,
    JobRun,
    PayoutBatch,
    PayoutInstruction,
    RecordError,
    StatusReport,
)
from tests.fixtures.jobs import run_cli, subprocess_config

S = ClaimStatus
CHUNK = 7  # several chunks per file, so "between chunks" and "inside a chunk" are different places


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(incoming, "CHUNK_RECORDS", CHUNK)


# -- the cycle up to each job, and what an uninterrupted run of it leaves -------------------------

def before_bpjs_pull(cycle):
    drops = [cycle.bpjs_drop(claims=24, bad_records=2, seed=1), cycle.bpjs_drop(claims=16, bad_records=1,
                                                                                seed=2)]
    return {"good": sum(d.records - d.bad_records for d in drops), "bad": sum(d.bad_records for d in drops),
            "files": [d.path.name for d in drops]}


def expect_bpjs_pull(cycle, state):
    assert Claim.select().count() == state["good"]
    received = ClaimEvent.select(ClaimEvent.claim).where(ClaimEvent.action == "RECEIVED")
    assert received.count() == state["good"]
    assert received.distinct().count() == state["good"]  # one each
    files = list(BatchFile.select().where(BatchFile.direction == "IN").order_by(BatchFile.id))
    assert [f.name for f in files] == state["files"]
    assert {f.status for f in files} == {"PROCESSED_WITH_ERRORS"}
    assert sum(f.applied_count for f in files) == state["good"]
    assert sum(f.error_count for f in files) == state["bad"]
    assert len({(e.batch_file_id, e.line_no) for e in RecordError.select()}) == state["bad"]
    assert sorted(p.name for p in cycle.outbox("bpjs").glob("*.txt")) == []
    assert sorted(p.name for p in (cycle.outbox("bpjs") / "archive").glob("*.txt")) == state["files"]
    assert list((cycle.settings.work_dir / "staging" / "bpjs").glob("*")) == []


def before_bank_push(cycle):
    cycle.bpjs_drop(claims=30, bad_records=0, seed=1)
    assert cycle.run("bpjs_pull").outcome == "SUCCEEDED"
    return {"ready": sorted(c.claim_no for c in Claim.select().where(Claim.status == S.READY))}


def expect_bank_push(cycle, state):
    batch = PayoutBatch.get()
    assert batch.status == "DELIVERED" and batch.file.status == "DELIVERED"
    instructions = list(PayoutInstruction.select().order_by(PayoutInstruction.line_no))
    assert sorted(i.claim.claim_no for i in instructions) == state["ready"]
    assert sorted(c.claim_no for c in Claim.select().where(Claim.status == S.INSTRUCTED)) == state["ready"]
    assert ClaimEvent.select().where(ClaimEvent.action == "INSTRUCTED").count() == len(state["ready"])
    uploaded = list(cycle.inbox("bank").iterdir())
    assert [p.name for p in uploaded] == [batch.file.name]  # no second file, no .part left
    assert sha256_of(uploaded[0])[0] == batch.file.sha256


def before_bank_pull(cycle):
    cycle.to_bank(claims=30)
    answered = cycle.bank_answer(fail_rate=0.3, split_rate=1.0)
    return {"paid": answered.success, "failed": answered.failed,
            "files": sorted(p.name for p in answered.result_files)}


def expect_bank_pull(cycle, state):
    statuses = [c.status for c in Claim.select().where(Claim.instruction_id.is_null(False))]
    assert (statuses.count(S.PAID), statuses.count(S.PAYOUT_FAILED)) == (state["paid"], state["failed"])
    assert len(statuses) == state["paid"] + state["failed"]
    assert ClaimEvent.select().where(ClaimEvent.action.in_(("PAID",
                                                            "PAYOUT_FAILED"))).count() == len(statuses)
    assert not PayoutInstruction.select().where(PayoutInstruction.result_status == "SENT").exists()
    assert PayoutBatch.get().status == "COMPLETE"
    results = BatchFile.select().where(BatchFile.file_type == "PAYOUT_RESULT").order_by(BatchFile.name)
    assert [(f.name, f.status) for f in results] == [(name, "PROCESSED") for name in state["files"]]
    assert not Claim.select().where(Claim.flagged == True).exists()  # noqa: E712 - no repeat taken for a contradiction
    # The demo bank's statement (section 10): imported once, each debit matched once, no exception.
    statement = Statement.get()
    assert statement.line_count == StatementLine.select().count() > 0
    assert StatementException.select().count() == 0
    assert Claim.select().where(Claim.debited_on.is_null(False)).count() == state["paid"]
    files = BatchFile.select().where(BatchFile.file_type == "BANK_STATEMENT")
    assert [(f.name, f.status) for f in files] == [(statement.file_name, "PROCESSED")]
    assert list((cycle.settings.work_dir / "staging" / "bank").glob("*")) == []


def before_bpjs_push(cycle):
    state = before_bank_pull(cycle)
    assert cycle.run("bank_pull").outcome == "SUCCEEDED"
    return state


def expect_bpjs_push(cycle, state):
    file = BatchFile.get(BatchFile.file_type == "PAYOUT_STATUS")
    assert file.status == "DELIVERED" and file.record_count == state["paid"] + state["failed"]
    assert StatusReport.select().count() == file.record_count
    assert StatusReport.select(StatusReport.claim).distinct().count() == file.record_count
    assert not Claim.select().where(Claim.report_pending == True).exists()  # noqa: E712
    assert ClaimEvent.select().where(ClaimEvent.action == "REPORTED").count() == file.record_count
    uploaded = list(cycle.inbox("bpjs").iterdir())
    assert [p.name for p in uploaded] == [file.name]
    assert sha256_of(uploaded[0])[0] == file.sha256


SCENARIOS = {"bpjs_pull": (before_bpjs_pull, expect_bpjs_pull), "bank_push": (before_bank_push,
                                                                              expect_bank_push),
             "bank_pull": (before_bank_pull, expect_bank_pull), "bpjs_push": (before_bpjs_push,
                                                                              expect_bpjs_push)}
# Points reached more than once in a run are also tried at a later pass (the second file).
LATER = [("bpjs_pull.after_record_file", 1), ("bpjs_pull.in_chunk", 3), ("bank_pull.mid_apply", 1),
         ("bank_pull.after_finish_remote", 1)]
# bank_pull's statement step has its own points (bank_pull.statement_*): the same scenario, whose
# demo bank also wrote the day's MT940, crashes the import at each of them.


def test_every_crash_point_is_exercised():
    assert len(crashpoints.POINTS) >= 20
    assert {p.split(".")[0] for p in crashpoints.POINTS} == set(SCENARIOS)


@pytest.mark.parametrize(("point", "after"), [(p, 0) for p in crashpoints.POINTS] + LATER,
                         ids=[p for p in crashpoints.POINTS] + [f"{p}+{n}" for p, n in LATER])
def test_a_job_stopped_dead_finishes_its_work_once_when_run_again(cycle, point, after):
    job = point.split(".")[0]
    before, expect = SCENARIOS[job]
    state = before(cycle)
    with crashpoints.armed(point, after=after), pytest.raises(InjectedCrash):
        cycle.run(job)
    again = cycle.run(job)
    assert again.outcome in ("SUCCEEDED", "SUCCEEDED_WITH_WARNINGS"), again.error
    expect(cycle, state)
    assert check_all() == []
    interrupted = JobRun.get(JobRun.id < again.id, JobRun.job == job, JobRun.trigger == "manual",
                             JobRun.error_cause == "interrupted")
    assert interrupted.outcome == "FAILED"


def test_an_upload_cut_off_in_the_middle_is_sent_whole_on_the_next_run(cycle, monkeypatch):
    state = before_bank_push(cycle)
    real_read = staging.HashingReader.read
    calls = []

    def cut_off(self, size=-1):
        calls.append(size)
        if len(calls) == 2:  # the data is in name.part on the server; the rename never happens
            raise InjectedCrash("bank_push.mid_upload")
        return real_read(self, size)

    monkeypatch.setattr(staging.HashingReader, "read", cut_off)
    with pytest.raises(InjectedCrash):
        cycle.run("bank_push")
    sent = BatchFile.get(BatchFile.direction == "OUT")
    assert [p.name for p in cycle.inbox("bank").iterdir()] == [sent.name + ".part"]
    monkeypatch.setattr(staging.HashingReader, "read", real_read)
    assert cycle.run("bank_push").outcome == "SUCCEEDED"
    expect_bank_push(cycle, state)
    assert check_all() == []


@pytest.mark.parametrize("point", ["bpjs_pull.in_chunk", "bank_push.after_upload", "bank_pull.mid_apply",
                                   "bpjs_push.after_write"])
def test_a_killed_process_leaves_work_the_next_run_finishes_once(cycle, tmp_path, point):
    job = point.split(".")[0]
    before, expect = SCENARIOS[job]
    state = before(cycle)
    config = subprocess_config(tmp_path, cycle.settings)
    killed = run_cli(config, "jobs", "run", job, "--crash-at", point)
    assert killed.returncode == EXIT_CODE, killed.stderr
    assert JobRun.select().where(JobRun.job == job, JobRun.outcome == "RUNNING").count() == 1
    again = run_cli(config, "jobs", "run", job)
    assert again.returncode == 0, again.stderr
    expect(cycle, state)
    assert check_all() == []
    assert JobRun.select().where(JobRun.job == job, JobRun.error_cause == "interrupted").count() == 1
