"""What people do to jobs from the web app: run now, re-run a failed run, pause and resume a schedule.

A thin layer over the jobs package: the role is checked first (nothing is written on a
refusal), then `jobs.runner.start_job` records, locks and starts the run in its own
thread and audits it (JOB_RUN), or `jobs.pause` pauses/resumes and audits it. A run
while the same job runs anywhere raises `jobs.locks.JobBusy`, whose `.message` is shown.
"""

from __future__ import annotations

from core.context import AppContext
from desk.acting import Refused, acting_user, clean_text
from desk.permissions import Action
from jobs.pause import pause_job, resume_job
from jobs.registry import get_job
from jobs.runner import FAILED, start_job
from models import JobPause, JobRun


def run_now(ctx: AppContext, job_id: str, username: str) -> JobRun:
    """Start `job_id` now for `username` (coordinator and up); returns the RUNNING run.

    Raises PermissionDenied, Refused, UnknownJob or JobBusy, all before anything is written.
    """
    actor = acting_user(username, Action.RUN_JOB)
    get_job(job_id)
    return start_job(ctx, job_id, "manual", actor)


def rerun(ctx: AppContext, run_id: int, username: str) -> JobRun:
    """Run the job of the failed run `run_id` again (trigger "retry", linked to it)."""
    actor = acting_user(username, Action.RUN_JOB)
    failed = JobRun.get_or_none(JobRun.id == run_id)
    if failed is None:
        raise Refused("runs.error.not_found", run=str(run_id))
    if failed.outcome != FAILED:
        raise Refused("runs.error.not_failed", run=str(run_id))
    return start_job(ctx, failed.job, "retry", actor, retry_of=failed)


def pause(job_id: str, username: str, reason: str | None = None) -> JobPause:
    """Pause the job's schedule (supervisor and up); a person may still run it by hand."""
    actor = acting_user(username, Action.PAUSE_SCHEDULE)
    get_job(job_id)
    return pause_job(job_id, by=actor.username, reason=clean_text(reason, required=False))


def resume(job_id: str, username: str) -> bool:
    """Resume the job's schedule (supervisor and up); False when it was not paused."""
    actor = acting_user(username, Action.PAUSE_SCHEDULE)
    get_job(job_id)
    return resume_job(job_id, by=actor.username)
