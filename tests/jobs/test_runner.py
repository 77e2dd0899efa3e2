"""The runner (jobs/runner.py): runs recorded before they start, logs, outcomes, busy jobs, retries."""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import threading
import time

import pytest

from core.alerts import words
from core.db import write_tx
from jobs import locks
from jobs.locks import HOLDER, JobBusy
from jobs.registry import JOBS, UnknownJob
from jobs.result import JobError, JobResult
from jobs.runner import run_job, run_with_retries, start_job
from models import Alert, AuditLog, Claim, ClaimStatus, JobRun, SchedulerLock, User, db
from tests.factories import make_claim

JOB = "bpjs_pull"


@pytest.fixture
def fake_job(monkeypatch):
    """Replace bpjs_pull's function with one the test sets: `fake_job.func = ...`."""

    class Fake:
        func = staticmethod(lambda ctx, log: JobResult())

    def call(ctx, log):
        return Fake.func(ctx, log)

    monkeypatch.setitem(JOBS, JOB, dataclasses.replace(JOBS[JOB], func=call))
    return Fake


def test_a_run_is_recorded_as_running_before_the_job_starts(job_ctx, fake_job):
    seen = {}

    def job(ctx, log):
        seen["run"] = JobRun.get(JobRun.job == JOB)
        return JobResult({"files": 1})

    fake_job.func = job
    run = run_job(job_ctx, JOB, trigger="manual")
    assert seen["run"].outcome == "RUNNING" and seen["run"].finished_at is None
    stored = JobRun.get_by_id(run.id)
    assert (stored.outcome, stored.trigger, stored.attempt) == ("SUCCEEDED", "manual", 1)
    assert json.loads(stored.counts) == {"files": 1, "warnings": 0}
    assert stored.finished_at >= stored.started_at


def test_the_runs_log_lines_are_kept_with_the_run(job_ctx, fake_job):
    def job(ctx, log):
        log.info("Memproses berkas %s", "BPJSTK_KLAIM_20261123_01.txt")
        logging.getLogger("core.claims.intake").warning("Revisi diabaikan")
        return JobResult()

    fake_job.func = job
    run = run_job(job_ctx, JOB)
    log = JobRun.get_by_id(run.id).log
    assert "Memproses berkas BPJSTK_KLAIM_20261123_01.txt" in log
    assert "PERINGATAN Revisi diabaikan" in log


def test_the_log_is_visible_while_the_job_still_runs(job_ctx, fake_job, monkeypatch):
    monkeypatch.setattr("jobs.runlog.FLUSH_SECONDS", 0.0)
    release, progressed = threading.Event(), threading.Event()

    def job(ctx, log):
        log.info("langkah satu selesai")
        progressed.set()
        release.wait(10)
        return JobResult()

    fake_job.func = job
    run = start_job(job_ctx, JOB)
    assert run.outcome == "RUNNING"
    assert progressed.wait(10)
    assert "langkah satu selesai" in JobRun.get_by_id(run.id).log
    assert JobRun.get_by_id(run.id).outcome == "RUNNING"
    release.set()
    deadline = time.monotonic() + 10
    while JobRun.get_by_id(run.id).outcome == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert JobRun.get_by_id(run.id).outcome == "SUCCEEDED"


def test_a_line_logged_in_a_transaction_shows_while_the_job_stays_silent(job_ctx, fake_job, monkeypatch):
    """The job thread cannot write its log inside its own transaction; the flusher does, soon after."""
    monkeypatch.setattr("jobs.runlog.FLUSH_SECONDS", 0.2)
    release, logged = threading.Event(), threading.Event()

    def job(ctx, log):
        with write_tx():
            log.info("berkas besar: mulai menerapkan")
        logged.set()
        release.wait(10)  # a long step that logs nothing
        return JobResult()

    fake_job.func = job
    run = start_job(job_ctx, JOB)
    try:
        assert logged.wait(10)
        deadline = time.monotonic() + 5
        while "mulai menerapkan" not in (JobRun.get_by_id(run.id).log or "") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "mulai menerapkan" in JobRun.get_by_id(run.id).log
        assert JobRun.get_by_id(run.id).outcome == "RUNNING"
    finally:
        release.set()
    deadline = time.monotonic() + 10
    while JobRun.get_by_id(run.id).outcome == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Selesai" in JobRun.get_by_id(run.id).log  # the final log, not overwritten by a late flush


def test_after_a_run_sqlite_has_statistics_for_the_tables_the_job_queried(job_ctx, fake_job):
    """Without them SQLite's planner guesses; bank_push once went quadratic on a guess."""
    if not job_ctx.settings.is_sqlite:
        pytest.skip("PostgreSQL's side: tests/core/test_db.py::"
                    "test_on_postgresql_a_table_changed_past_autovacuums_threshold_is_analysed_after_a_job")

    def job(ctx, log):
        for n in range(20):
            make_claim(ClaimStatus.READY, approved_amount=1_000_000 + n)
        # a query with several usable indexes: the planner's choice is what statistics inform
        Claim.select().where(Claim.status == ClaimStatus.READY, Claim.approved_amount > 1_000_005).count()
        return JobResult()

    fake_job.func = job
    assert run_job(job_ctx, JOB).outcome == "SUCCEEDED"
    analysed = {row[0] for row in db.execute_sql("SELECT tbl FROM sqlite_stat1")}
    assert "claim" in analysed


def test_warnings_make_the_run_succeed_with_warnings(job_ctx, fake_job):
    fake_job.func = lambda ctx, log: JobResult({"bad_records": 2}, ["baris 3, kolom nik: NIK harus 16 angka"])
    assert run_job(job_ctx, JOB).outcome == "SUCCEEDED_WITH_WARNINGS"


def test_a_manual_run_is_refused_while_the_same_job_runs(job_ctx, fake_job):
    def job(ctx, log):
        with pytest.raises(JobBusy) as busy:
            run_job(ctx, JOB, trigger="manual")
        assert "sedang berjalan" in busy.value.message
        return JobResult()

    fake_job.func = job
    assert run_job(job_ctx, JOB).outcome == "SUCCEEDED"
    assert JobRun.select().count() == 1


def test_a_run_in_another_live_process_makes_the_job_busy(job_ctx, fake_job):
    if not job_ctx.settings.is_sqlite:
        pytest.skip("on PostgreSQL the advisory lock decides (tests/jobs/test_two_processes.py)")
    other = subprocess.Popen(["sleep", "30"])
    try:
        holder = f"{locks.HOSTNAME}:{other.pid}:{locks._start_token(other.pid)}"
        SchedulerLock.create(job=JOB, holder=holder, since=JobRun.started_at.default())
        with pytest.raises(JobBusy):
            run_job(job_ctx, JOB)
    finally:
        other.kill()
        other.wait()
    assert run_job(job_ctx, JOB).outcome == "SUCCEEDED"  # its holder is gone: taken over


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(job_ctx, fake_job):
    stale = JobRun.create(job=JOB, trigger="schedule", host="elsewhere:1:1")
    run_job(job_ctx, JOB)
    stale = JobRun.get_by_id(stale.id)
    assert (stale.outcome, stale.error_cause) == ("FAILED", "interrupted")
    assert "berhenti mendadak" in stale.error


def test_an_unknown_job_is_refused(job_ctx):
    with pytest.raises(UnknownJob):
        run_job(job_ctx, "bank_pulll")


def test_a_manual_run_by_a_user_is_audited(job_ctx, fake_job):
    user = User.create(username="maria", password_hash="x", role="coordinator")
    run = run_job(job_ctx, JOB, user=user)
    assert JobRun.get_by_id(run.id).user_id == user.id
    entry = AuditLog.get(AuditLog.action == "JOB_RUN")
    assert (entry.username, entry.target) == ("maria", JOB)


def test_a_transient_failure_is_retried_until_it_succeeds(job_ctx, fake_job):
    attempts = []

    def job(ctx, log):
        attempts.append(1)
        if len(attempts) < 3:
            raise JobError("Server BPJS menolak koneksi.", cause="unreachable", permanent=False)
        return JobResult({"files": 1})

    fake_job.func = job
    waits = []
    run = run_with_retries(job_ctx, JOB, sleep=waits.append)
    runs = list(JobRun.select().order_by(JobRun.id))
    assert [(r.trigger, r.attempt, r.outcome) for r in runs] == [
        ("manual", 1, "FAILED"), ("retry", 2, "FAILED"), ("retry", 3, "SUCCEEDED")]
    assert [r.retry_of_id for r in runs] == [None, runs[0].id, runs[1].id]
    assert waits == [60.0, 120.0]  # retry_delay_seconds, doubling
    assert "Dicoba lagi otomatis" in runs[0].error
    assert run.outcome == "SUCCEEDED"
    assert Alert.select().count() == 0  # only a final failure alerts


def test_retries_stop_at_the_configured_count_and_the_final_failure_alerts(job_ctx, fake_job):
    def job(ctx, log):
        raise JobError("Server Bank NTT tidak menjawab dalam 30 detik.", cause="timeout", permanent=False)

    fake_job.func = job
    run = run_with_retries(job_ctx, JOB, sleep=lambda s: None)
    assert JobRun.select().count() == job_ctx.settings.job_defaults.retries + 1
    assert (run.outcome, run.error_cause) == ("FAILED", "timeout")
    alert = Alert.get()
    assert (alert.kind, alert.job_run_id) == ("job_failed", run.id)
    assert "setelah 4 percobaan" in words(alert.message)
    assert "after 4 attempts" in words(alert.message, "en")


def test_a_permanent_failure_is_not_retried(job_ctx, fake_job):
    def job(ctx, log):
        raise JobError("Berkas X ditolak seluruhnya: total kontrol salah.", cause="file_rejected")

    fake_job.func = job
    run = run_with_retries(job_ctx, JOB, sleep=lambda s: pytest.fail("must not wait"))
    assert JobRun.select().count() == 1
    assert run.error == "Berkas X ditolak seluruhnya: total kontrol salah."
    assert Alert.get().kind == "file_rejected"


def test_a_failure_after_useful_work_keeps_its_counts(job_ctx, fake_job):
    def job(ctx, log):
        result = JobResult({"files": 2, "new_claims": 40})
        result.fail(JobError("Berkas ketiga ditolak.", cause="file_rejected"))
        return result

    fake_job.func = job
    run = run_job(job_ctx, JOB)
    assert run.outcome == "FAILED"
    assert json.loads(run.counts)["new_claims"] == 40


def test_an_unexpected_error_is_an_internal_failure_with_advice(job_ctx, fake_job):
    def job(ctx, log):
        raise KeyError("bank_code")

    fake_job.func = job
    run = run_job(job_ctx, JOB)
    assert (run.outcome, run.error_cause) == ("FAILED", "internal")
    assert "laporkan ke admin" in run.error
    assert "KeyError" in JobRun.get_by_id(run.id).log


def test_the_lock_row_names_the_running_process_and_is_released(job_ctx, fake_job):
    seen = {}

    def job(ctx, log):
        seen["lock"] = SchedulerLock.get_by_id(JOB)
        return JobResult()

    fake_job.func = job
    run = run_job(job_ctx, JOB)
    assert (seen["lock"].holder, seen["lock"].run_id) == (HOLDER, run.id)
    assert SchedulerLock.get_by_id(JOB).holder is None
