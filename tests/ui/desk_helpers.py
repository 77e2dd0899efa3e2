"""Helpers of the desk page tests (jobs, runs, files...): a controllable stand-in for a job.

`FakeJob` replaces a registered job's function (monkeypatch `jobs.registry.JOBS`), so a
test decides when a run ends and how: it logs, waits for `release()`, then succeeds or
raises the JobError it was given. Real jobs against real SFTP run in tests/jobs and in the
browser test.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable

from core.context import AppContext, build_context
from core.settings import load_settings
from jobs.registry import JOBS
from jobs.result import JobError, JobResult
from models import JobRun, db, utcnow

HOST_KEY_CHANGED = JobError(
    "Kunci host server Bank NTT (127.0.0.1:2222) berubah: server menunjukkan AAA, yang tercatat adalah BBB. "
    "Tidak ada file yang diambil atau dikirim.", cause="host_key_changed", permanent=True)


class FakeJob:
    def __init__(self, job_id: str, *, blocking: bool = True):
        self.job_id = job_id
        self.gate = threading.Event()
        if not blocking:
            self.gate.set()
        self.failure: JobError | None = None
        self.counts = {"records": 3}
        self.effect: Callable[[], None] | None = None  # what the run does to the database, if anything

    def __call__(self, ctx: AppContext, log: logging.Logger) -> JobResult:
        log.info("langkah 1: menyambung ke server")
        time.sleep(1.05)  # the run log is written about once a second
        log.info("langkah 2: menunggu berkas")
        self.gate.wait(timeout=30)
        log.info("langkah 3: selesai")
        if self.failure is not None:
            raise self.failure
        if self.effect is not None:
            self.effect()
        return JobResult(counts=dict(self.counts))

    def release(self) -> None:
        self.gate.set()

    def install(self, monkeypatch) -> FakeJob:
        spec = JOBS[self.job_id]
        fake = dataclasses.replace(spec, func=self)
        monkeypatch.setitem(JOBS, self.job_id, fake)
        return self


def wait_until_no_run_is_running(timeout: float = 30) -> None:
    """Let started runs finish before the test database goes away."""
    deadline = time.monotonic() + timeout
    with db.connection_context():
        while JobRun.select().where(JobRun.outcome == "RUNNING").exists() and time.monotonic() < deadline:
            time.sleep(0.1)


def finished_run(job: str, outcome: str = "SUCCEEDED", *, seconds: int = 65, **fields) -> JobRun:
    """A finished run of `job` recorded straight in the table."""
    start = utcnow() - dt.timedelta(seconds=seconds + 60)
    return JobRun.create(job=job, trigger=fields.pop("trigger", "schedule"), outcome=outcome,
                         started_at=start, finished_at=start + dt.timedelta(seconds=seconds), **fields)


def app_ctx() -> AppContext:
    """A context on the same configuration as the app under test (SANTUNAN_CONFIG of `app_config`)."""
    return build_context(load_settings(os.environ["SANTUNAN_CONFIG"], environ={}))


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until `check()` holds (a page's async handlers are still running), or fail."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)
