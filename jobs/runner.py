"""Running a job: the one place that records runs, holds locks, retries and raises alerts.

    run = run_job(ctx, "bpjs_pull", trigger="manual", user=current_user)   # UI "run now" / re-run
    run = start_job(ctx, "bpjs_pull", user=current_user)   # same, returns at once (RUNNING)

A run is recorded (outcome RUNNING) before the job starts and updated when it ends, so
a crash leaves a visible trace; the next run of the job marks such a run as interrupted.
The run's log lines go to `JobRun.log` while it runs. A transient failure (refused,
timeout) is retried with doubling back-off up to `job_defaults.retries` times, each retry
its own run (trigger "retry", `retry_of` the failed one); only the final failure raises an
alert. A run while the same job runs anywhere raises `JobBusy` (its `.message` is for the UI).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from peewee import IntegrityError

from core.alerts import cause_said, raise_alert, said
from core.audit import audit
from core.context import AppContext
from core.db import refresh_statistics, retry_when_locked
from core.text import fmt
from core.turnstile import background_writes
from jobs.errors import describe
from jobs.failed_files import fates_summary, report_failed_files
from jobs.locks import HOLDER, JobBusy, JobLock, acquire
from jobs.registry import JobSpec, get_job
from jobs.result import JobError, JobResult
from jobs.runlog import capture
from models import JobRun, RunOutcome, User, db, utcnow

log = logging.getLogger(__name__)
JOB_NICE = 10  # a job thread's CPU priority below the web app's (see giving_way)

TRIGGERS = ("schedule", "manual", "retry")
RetryHook = Callable[[JobRun, float], None]

__all__ = ["JobBusy", "run_job", "run_scheduled", "run_with_retries", "start_job"]


@dataclass
class _Prepared:
    ctx: AppContext
    spec: JobSpec
    run: JobRun
    lock: JobLock


def run_job(ctx: AppContext, job_id: str, trigger: str = "manual", user: User | None = None,
            retry_of: JobRun | None = None, *, scheduled_for=None,
            on_retry: RetryHook | None = None) -> JobRun:
    """Run one attempt of a job in this thread; returns its finished JobRun.

    Raises JobBusy when the job is running anywhere, UnknownJob for a bad id, and
    AlreadyFired for a scheduled time another process has taken. A transient failure
    with retries left is handed to `on_retry(run, delay)`, else to the scheduler's hook
    (`ctx.extras["schedule_retry"]`); with neither, it is final.
    """
    prepared = _locked_wait(lambda: _prepare(ctx, job_id, trigger, user, retry_of, scheduled_for))
    return _execute(prepared, on_retry)


def start_job(ctx: AppContext, job_id: str, trigger: str = "manual", user: User | None = None,
              retry_of: JobRun | None = None) -> JobRun:
    """Record and lock the run here (JobBusy is raised at once), run it in a new thread.

    Returns the RUNNING JobRun; poll `JobRun.log` / `outcome` for progress.
    """
    prepared = _locked_wait(lambda: _prepare(ctx, job_id, trigger, user, retry_of, None))

    def work() -> None:
        with db.connection_context():
            _execute(prepared, None)

    threading.Thread(target=work, name=f"job-{job_id}-{prepared.run.id}", daemon=True).start()
    return prepared.run


class AlreadyFired(Exception):
    """Another process already ran this job for this scheduled time."""


def run_scheduled(ctx: AppContext, job_id: str, scheduled_for) -> JobRun | None:
    """The scheduler's entry point: None when paused, busy or already fired elsewhere."""
    from jobs.pause import paused

    if paused(job_id):
        log.info("Tugas %s dijeda: jadwal %s dilewati", job_id, scheduled_for)
        return None
    try:
        return run_job(ctx, job_id, trigger="schedule", scheduled_for=scheduled_for)
    except JobBusy as busy:
        log.info("Jadwal %s dilewati: %s", job_id, busy.message)
    except AlreadyFired:
        log.info("Jadwal %s pukul %s sudah dijalankan proses lain", job_id, scheduled_for)
    return None


def run_retry(ctx: AppContext, job_id: str, retry_of_id: int) -> JobRun | None:
    """A scheduled retry: skipped when the job was paused or someone else is running it now."""
    from jobs.pause import paused

    failed = JobRun.get_or_none(JobRun.id == retry_of_id)
    if failed is None or paused(job_id):
        return None
    try:
        return run_job(ctx, job_id, trigger="retry", retry_of=failed)
    except JobBusy as busy:
        log.info("Percobaan ulang %s dilewati: %s", job_id, busy.message)
    return None


def run_with_retries(ctx: AppContext, job_id: str, user: User | None = None, *,
                     sleep: Callable[[float], None] = time.sleep, retry: bool = True,
                     on_wait: Callable[[JobRun, float], None] | None = None) -> JobRun:
    """Run in the foreground, waiting out the back-off between retries (the command line)."""
    pending: list[float] = []

    def hook(run: JobRun, delay: float) -> None:
        pending.append(delay)

    run = run_job(ctx, job_id, "manual", user, on_retry=hook if retry else _no_retry)
    while pending:
        delay = pending.pop()
        if on_wait:
            on_wait(run, delay)
        sleep(delay)
        run = run_job(ctx, job_id, "retry", user, retry_of=run, on_retry=hook)
    return run


def _locked_wait(work: Callable[[], _Prepared]) -> _Prepared:
    """Recording the run waits out a long writer elsewhere (hardening finding 5).

    On SQLite one writer holds the database at a time; a run that met it used to die with
    "database is locked" and no run record. Each try waits the busy timeout, then a pause;
    `_prepare` releases the job's lock when it fails, so a try starts clean.
    """
    return retry_when_locked(work, sleep=_sleep)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _no_retry(run: JobRun, delay: float) -> None:
    raise _NoRetry


class _NoRetry(Exception):
    pass


def _prepare(ctx: AppContext, job_id: str, trigger: str, user: User | None, retry_of: JobRun | None,
             scheduled_for) -> _Prepared:
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    spec = get_job(job_id)
    lock = acquire(job_id, ctx.settings.timezone)
    try:
        _close_interrupted(job_id)
        try:
            with db.atomic():
                run = JobRun.create(job=job_id, trigger=trigger, user=user, scheduled_for=scheduled_for,
                                    attempt=retry_of.attempt + 1 if retry_of else 1, retry_of=retry_of,
                                    host=HOLDER[:120])
        except IntegrityError:
            raise AlreadyFired(f"{job_id} @ {scheduled_for}") from None
        lock.attach_run(run)
        if user is not None:
            audit("JOB_RUN", username=user.username, target=job_id,
                  details={"run_id": run.id, "trigger": trigger})
    except BaseException:
        lock.release()
        raise
    return _Prepared(ctx, spec, run, lock)


def _close_interrupted(job_id: str) -> None:
    """Runs left RUNNING by a process that died: we hold the lock, so none is alive."""
    stale = (JobRun.update(
        outcome=RunOutcome.FAILED, finished_at=utcnow(), error_cause="interrupted",
        error="Proses berhenti mendadak saat tugas ini berjalan (dimatikan atau mati listrik). Langkah yang "
              "sudah tercatat dilanjutkan oleh run berikutnya tanpa mengulang pembayaran.")
        .where(JobRun.job == job_id, JobRun.outcome == RunOutcome.RUNNING).execute())
    if stale:
        log.warning("%d run %s yang terputus ditandai gagal", stale, job_id)


def _execute(prepared: _Prepared, on_retry: RetryHook | None) -> JobRun:
    ctx, spec, run = prepared.ctx, prepared.spec, prepared.run
    zone = ctx.settings.timezone
    try:
        with capture(run.id, zone) as handler:
            job_log = logging.getLogger(f"jobs.{spec.id}")
            job_log.info("Mulai: %s (%s%s)", spec.label, _trigger_label(run.trigger),
                         f", percobaan ke-{run.attempt}" if run.attempt > 1 else "")
            started = time.monotonic()
            result, error = _call(spec, ctx, job_log)
            # A re-run names what became of the file that made the failed run fail (issue 16),
            # instead of a green "nothing to do" while that file is still in quarantine.
            fates = _failed_files(run, result, job_log) if run.retry_of_id else []
            _refresh_statistics()
            retry_in = _plan_retry(ctx, run, error, on_retry) if error else None
            outcome = RunOutcome.FAILED if error else (
                RunOutcome.SUCCEEDED_WITH_WARNINGS if result.warnings else RunOutcome.SUCCEEDED)
            message = None
            if error:
                message = error.message
                if retry_in is not None:
                    message += (f" Dicoba lagi otomatis dalam {fmt.duration(retry_in)} (percobaan ke-"
                                f"{run.attempt + 1} dari {ctx.settings.job_defaults.retries + 1}).")
                job_log.warning("Gagal: %s", message)
            else:
                job_log.info("Selesai dalam %s: %s", fmt.duration(time.monotonic() - started),
                             "; ".join(p for p in (_summary(result, bool(fates)), fates_summary(fates)) if p)
                             or "tidak ada yang perlu dikerjakan")
            cause, text = error.cause if error else None, handler.text()
            retry_when_locked(lambda: _finish(run, outcome, result, message, cause, text), sleep=_sleep)
        run.will_retry_in = retry_in  # type: ignore[attr-defined]
        if error and retry_in is None:
            _alert(ctx, spec, run, error)
        return run
    finally:
        prepared.lock.release()


def _call(spec: JobSpec, ctx: AppContext, job_log: logging.Logger) -> tuple[JobResult, JobError | None]:
    try:
        with giving_way():
            result = spec.function()(ctx, job_log)  # imported here: a broken import fails the run
    except Exception as exc:
        error = describe(exc)
        if error.cause == "internal":
            job_log.exception("Kesalahan internal")
        return getattr(exc, "result", None) or JobResult(), error
    return result, result.failure


@contextmanager
def giving_way() -> Iterator[None]:
    """A job's body gives way to people (issue 18: no login over 2 s while jobs run). Its SQLite
    writes wait at the turnstile (core/turnstile.py): a login waits for one of its transactions.
    Its thread runs at nice +JOB_NICE (Linux sets it per thread): on two cores two jobs took the CPU
    from the web app's page builds and a login took 2-3 s of CPU waiting. Restored afterwards where
    the system allows it (raising a priority again needs root): a pool thread may stay lowered."""
    tid = threading.get_native_id()
    try:
        before: int | None = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, before + JOB_NICE))
    except OSError:
        before = None
    try:
        with background_writes():
            yield
    finally:
        if before is not None:
            with suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, tid, before)


def _failed_files(run: JobRun, result: JobResult, job_log: logging.Logger) -> list:
    try:
        return report_failed_files(run, result, job_log)
    except Exception:  # a report about an earlier run must never turn this run's outcome
        job_log.exception("Nasib berkas dari run #%s yang gagal tidak dapat dibaca", run.retry_of_id)
        return []


def _refresh_statistics() -> None:
    try:
        refresh_statistics()
    except Exception:  # the planner's statistics are an optimisation: never a job's failure
        log.exception("Statistik basis data tidak dapat diperbarui")


def _plan_retry(ctx: AppContext, run: JobRun, error: JobError, on_retry: RetryHook | None) -> float | None:
    defaults = ctx.settings.job_defaults
    if error.permanent or run.attempt > defaults.retries:
        return None
    hook = on_retry or ctx.extras.get("schedule_retry")
    if hook is None:
        return None
    delay = defaults.retry_delay_seconds * 2 ** (run.attempt - 1)
    try:
        hook(run, delay)
    except _NoRetry:
        return None
    return delay


def _finish(run: JobRun, outcome: str, result: JobResult, error: str | None, cause: str | None,
            text: str) -> None:
    values = {"finished_at": utcnow(), "outcome": outcome, "log": text, "error": error, "error_cause": cause,
              "counts": json.dumps({**result.counts, "warnings": len(result.warnings)}, sort_keys=True)}
    JobRun.update(**values).where(JobRun.id == run.id).execute()
    for name, value in values.items():
        setattr(run, name, value)


def _alert(ctx: AppContext, spec: JobSpec, run: JobRun, error: JobError) -> None:
    kind = "file_rejected" if error.cause == "file_rejected" else "job_failed"
    # Kept as message keys (core.alerts.said), read in each reader's language; the cause as its
    # label and advice, not its code, and not the error text, which may name server paths (issue 17).
    job = {"id": spec.label, "en": spec.label_en}
    cause, advice = cause_said(error.cause)
    tries = said("alert.after_attempts", n=run.attempt) if run.attempt > 1 else ""
    message = said("alert.job_failed", job=job, started=run.started_at, tries=tries, cause=cause,
                   advice=advice, run=str(run.id))
    try:
        raise_alert(kind, said("alert.job_failed.subject", job=job), message, alerts=ctx.settings.alerts,
                    job_run=run)
    except Exception:  # the run is recorded as failed; a broken alert must not hide that
        log.exception("Peringatan untuk run %s tidak dapat dibuat", run.id)


def _summary(result: JobResult, fates_named: bool = False) -> str:
    parts = [f"{key} {value}" for key, value in sorted(result.counts.items())
             if value and not (fates_named and key.startswith("failed_file_"))]
    if result.warnings:
        parts.append(f"{len(result.warnings)} peringatan")
    return ", ".join(parts)


def _trigger_label(trigger: str) -> str:
    return {"schedule": "terjadwal", "manual": "manual", "retry": "percobaan ulang"}[trigger]
