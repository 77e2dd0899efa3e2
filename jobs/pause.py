"""Pausing a job's schedule: a row in `job_pause`, honoured by every process's scheduler.

A paused job does not run on its schedule (nor its retries); a person may still run it
by hand. The row survives restarts, and the UI shows who paused it and why.
"""

from __future__ import annotations

import logging

from core.audit import audit
from core.db import write_tx
from models import JobPause

log = logging.getLogger(__name__)


def pause_job(job_id: str, *, by: str, reason: str | None = None) -> JobPause:
    """Pause `job_id`'s schedule (idempotent: a second pause keeps the first row)."""
    with write_tx():
        row = JobPause.get_or_none(JobPause.job == job_id)
        if row is None:
            row = JobPause.create(job=job_id, paused_by=by, reason=reason)
            audit("JOB_PAUSE", username=by, target=job_id, details={"reason": reason} if reason else None)
            log.info("Jadwal tugas %s dihentikan sementara oleh %s", job_id, by)
    return row


def resume_job(job_id: str, *, by: str) -> bool:
    """Resume `job_id`'s schedule; False when it was not paused."""
    with write_tx():
        deleted = JobPause.delete().where(JobPause.job == job_id).execute()
        if deleted:
            audit("JOB_RESUME", username=by, target=job_id)
            log.info("Jadwal tugas %s dilanjutkan oleh %s", job_id, by)
    return bool(deleted)


def paused(job_id: str) -> JobPause | None:
    return JobPause.get_or_none(JobPause.job == job_id)
