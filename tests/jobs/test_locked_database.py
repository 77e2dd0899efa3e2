"""A job that meets a locked database (hardening finding 5): it waits, or it records a plain failure."""

from __future__ import annotations

import os
import sqlite3
import threading
import time

import pytest
from peewee import OperationalError

from core.db import retry_when_locked
from core.turnstile import is_background
from jobs import runner
from jobs.registry import JOBS
from jobs.result import JobResult
from models import JobRun, RunOutcome, db


@pytest.fixture
def sqlite_file(job_ctx):
    if not job_ctx.settings.is_sqlite:
        pytest.skip("SQLite's single writer is what locks; PostgreSQL locks rows")
    return job_ctx.settings.database.removeprefix("sqlite:///")


def hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another process's long write: BEGIN IMMEDIATE held for `seconds`."""
    started = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait()
    return thread


def test_a_run_waits_out_a_long_writer_and_is_recorded(job_ctx, sqlite_file, monkeypatch):
    monkeypatch.setattr(runner, "_sleep", lambda seconds: time.sleep(0.2))
    db.execute_sql("PRAGMA busy_timeout = 300")  # the app waits 30 s; the test, 0.3 s per try
    holder = hold_write_lock(sqlite_file, 1.0)
    try:
        run = runner.run_job(job_ctx, "bpjs_push")
    finally:
        holder.join()
    assert JobRun.get_by_id(run.id).outcome != RunOutcome.RUNNING


def test_a_job_body_that_meets_the_lock_records_a_plain_transient_failure(job_ctx, monkeypatch):
    def locked(ctx, log):
        raise OperationalError("database is locked")

    monkeypatch.setitem(JOBS, "bpjs_push", JOBS["bpjs_push"].__class__(
        **{**JOBS["bpjs_push"].__dict__, "func": locked}))
    run = runner.run_job(job_ctx, "bpjs_push", on_retry=lambda run, delay: None)
    stored = JobRun.get_by_id(run.id)
    assert (stored.outcome, stored.error_cause) == (RunOutcome.FAILED, "database_locked")
    assert "terkunci" in stored.error and "dicoba lagi otomatis" in stored.error
    assert run.will_retry_in is not None  # transient: retried, not an alert at once


def test_only_lock_conflicts_are_tried_again():
    calls: list[int] = []

    def broken() -> JobResult:
        calls.append(1)
        raise OperationalError("no such table: claim")

    with pytest.raises(OperationalError):
        retry_when_locked(broken, sleep=lambda s: None)
    assert len(calls) == 1

    tries = iter([OperationalError("database is locked"), OperationalError("database is locked"), None])

    def flaky() -> str:
        error = next(tries)
        if error:
            raise error
        return "done"

    assert retry_when_locked(flaky, sleep=lambda s: None) == "done"


def test_a_job_gives_way_to_people_in_its_writes_and_its_cpu(job_ctx, monkeypatch):
    seen: list[tuple[bool, int]] = []
    tid = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, tid)

    def body(ctx, log):
        seen.append((is_background(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        return JobResult()

    monkeypatch.setitem(JOBS, "bpjs_push", JOBS["bpjs_push"].__class__(
        **{**JOBS["bpjs_push"].__dict__, "func": body}))
    runner.run_job(job_ctx, "bpjs_push")
    assert seen == [(True, min(19, before + runner.JOB_NICE))] and not is_background()
    if os.geteuid() == 0:  # only root may raise a priority again
        assert os.getpriority(os.PRIO_PROCESS, tid) == before
