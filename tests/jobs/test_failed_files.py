"""The re-run of a failed run names the file that made it fail and that file's fate (still
quarantined, re-processed, ignored) instead of a green "nothing to do" (jobs/failed_files.py)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from jobs.registry import JOBS
from jobs.result import JobError, JobResult
from jobs.runlog import current_run_id
from jobs.runner import run_job
from models import BatchFile, FileStatus, JobRun

JOB = "bpjs_pull"
NAME = "BPJSTK_KLAIM_20261103_01.txt"


@pytest.fixture
def pull(monkeypatch):
    """bpjs_pull replaced: `pull.work` runs inside the job (the run's id is current_run_id())."""

    class Pull:
        work = staticmethod(lambda: JobResult())

    monkeypatch.setitem(JOBS, JOB, dataclasses.replace(JOBS[JOB], func=lambda ctx, log: Pull.work()))
    return Pull


def _file(name: str, status: str, **fields) -> BatchFile:
    return BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS", name=name,
                            status=status, job_run=current_run_id(), **fields)


def _failed_run(job_ctx, pull) -> JobRun:
    def reject() -> JobResult:
        _file(NAME, FileStatus.REJECTED, error="total kontrol salah", file_id="BPJS-1")
        raise JobError(f"Berkas {NAME} ditolak seluruhnya: total kontrol salah.", cause="file_rejected")

    pull.work = reject
    failed = run_job(job_ctx, JOB)
    assert failed.outcome == "FAILED"
    pull.work = lambda: JobResult()  # the re-run finds nothing new, unless a test says otherwise
    return failed


def test_a_rerun_that_finds_nothing_says_the_failed_file_is_still_quarantined(job_ctx, pull):
    failed = _failed_run(job_ctx, pull)
    rerun = run_job(job_ctx, JOB, trigger="retry", retry_of=failed)
    assert rerun.outcome == "SUCCEEDED_WITH_WARNINGS"  # not green: somebody must still act
    assert f"Berkas {NAME} yang membuat run #{failed.id} gagal MASIH DIKARANTINA" in rerun.log
    assert "tidak ada yang perlu dikerjakan" not in rerun.log
    assert f"berkas gagal {NAME} masih dikarantina" in rerun.log  # in the closing summary line
    assert json.loads(rerun.counts)["failed_file_quarantined"] == 1


def test_a_rerun_after_the_partner_resent_the_file_says_it_was_reprocessed(job_ctx, pull):
    failed = _failed_run(job_ctx, pull)
    pull.work = lambda: (_file(NAME, FileStatus.PROCESSED, file_id="BPJS-1"), JobResult({"files": 1}))[1]
    rerun = run_job(job_ctx, JOB, trigger="retry", retry_of=failed)
    assert rerun.outcome == "SUCCEEDED"
    assert (f"Berkas {NAME} yang membuat run #{failed.id} gagal: sudah diproses ulang, diganti {NAME}"
            in rerun.log)
    assert json.loads(rerun.counts)["failed_file_reprocessed"] == 1


def test_a_rerun_after_the_file_was_ignored_says_so(job_ctx, pull):
    failed = _failed_run(job_ctx, pull)
    BatchFile.update(status=FileStatus.IGNORED, ignore_reason="tidak dikirim ulang").execute()
    rerun = run_job(job_ctx, JOB, trigger="retry", retry_of=failed)
    assert rerun.outcome == "SUCCEEDED"
    assert "gagal: diabaikan (IGNORED)" in rerun.log
    assert json.loads(rerun.counts)["failed_file_ignored"] == 1


def test_a_quarantined_file_marked_handled_is_named_without_a_warning(job_ctx, pull):
    failed = _failed_run(job_ctx, pull)
    BatchFile.update(handled_by="coordinator", handled_note="BPJS kirim ulang besok").execute()
    rerun = run_job(job_ctx, JOB, trigger="retry", retry_of=failed)
    assert rerun.outcome == "SUCCEEDED"
    assert "masih dikarantina, sudah ditandai ditangani oleh coordinator" in rerun.log


def test_a_retry_of_a_retry_still_names_the_file_of_the_first_failure(job_ctx, pull):
    failed = _failed_run(job_ctx, pull)
    pull.work = lambda: (_ for _ in ()).throw(JobError("Server BPJS tidak menjawab.", cause="unreachable"))
    second = run_job(job_ctx, JOB, trigger="retry", retry_of=failed)
    pull.work = lambda: JobResult()
    third = run_job(job_ctx, JOB, trigger="retry", retry_of=second)
    assert third.outcome == "SUCCEEDED_WITH_WARNINGS" and f"Berkas {NAME}" in third.log


def test_a_first_run_that_finds_nothing_still_says_nothing_to_do(job_ctx, pull):
    run = run_job(job_ctx, JOB)
    assert run.outcome == "SUCCEEDED" and "tidak ada yang perlu dikerjakan" in run.log
