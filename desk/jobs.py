"""What people do to jobs from the web app: run now, re-run a failed run, pause and resume a schedule.

A thin layer over the jobs package: the role is checked first (nothing is written on a
refusal), then `jobs.runner.start_job` records, locks and starts the run in its own
thread and audits it (JOB_RUN), or `jobs.pause` pauses/resumes and audits it. The jobs
layer's own errors (the job is already running anywhere: `JobBusy`; no such job:
`UnknownJob`) become a `Refused` here, at the desk's edge, like every other refusal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.context import AppContext
from desk.acting import acting_user, clean_text
from desk.permissions import Action
from desk.refusal import Refused
from jobs.locks import JobBusy
from jobs.pause import pause_job, resume_job
from jobs.registry import UnknownJob, get_job
from jobs.runner import start_job
from models import JobPause, JobRun, RunOutcome, User


def run_now(ctx: AppContext, job_id: str, username: str) -> JobRun:
    """Start `job_id` now for `username` (coordinator and up); returns the RUNNING run.

    Raises Refused (no such user or job, the role may not, the job is running), before
    anything is written.
    """
    actor = acting_user(username, Action.RUN_JOB)
    return start(ctx, job_id, "manual", actor)


def rerun(ctx: AppContext, run_id: int, username: str) -> JobRun:
    """Run the job of the failed run `run_id` again (trigger "retry", linked to it)."""
    actor = acting_user(username, Action.RUN_JOB)
    failed = JobRun.get_or_none(JobRun.id == run_id)
    if failed is None:
        raise Refused("runs.error.not_found", run=str(run_id))
    if failed.outcome != RunOutcome.FAILED:
        raise Refused("runs.error.not_failed", run=str(run_id))
    return start(ctx, failed.job, "retry", actor, retry_of=failed)


def pause(job_id: str, username: str, reason: str | None = None) -> JobPause:
    """Pause the job's schedule (supervisor and up); a person may still run it by hand."""
    actor = acting_user(username, Action.PAUSE_SCHEDULE)
    with job_refusals():
        get_job(job_id)
    return pause_job(job_id, by=actor.username, reason=clean_text(reason, required=False))


def resume(job_id: str, username: str) -> bool:
    """Resume the job's schedule (supervisor and up); False when it was not paused."""
    actor = acting_user(username, Action.PAUSE_SCHEDULE)
    with job_refusals():
        get_job(job_id)
    return resume_job(job_id, by=actor.username)


def start(ctx: AppContext, job_id: str, trigger: str, actor: User, **options: Any) -> JobRun:
    """`jobs.runner.start_job` for a person: an unknown or running job is refused, nothing written."""
    with job_refusals():
        get_job(job_id)
        return start_job(ctx, job_id, trigger, actor, **options)


@contextmanager
def job_refusals() -> Iterator[None]:
    """The jobs layer's "not now" errors as the desk's one refusal, their texts unchanged."""
    try:
        yield
    except JobBusy as busy:  # its text is "<Indonesian> / <English>"
        raise Refused("jobs.error.busy", indonesian=busy.message,
                      english=str(busy).split(" / ", 1)[-1]) from busy
    except UnknownJob as unknown:  # one text in both languages
        raise Refused("jobs.error.unknown", indonesian=str(unknown), english=str(unknown)) from unknown
