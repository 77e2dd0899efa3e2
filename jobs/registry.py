"""The four jobs, registered once: the scheduler, the command line and the UI read this dict.

A job is `verb_noun(ctx, log) -> JobResult`. Adding a partner's job is one entry here
plus its module under `jobs/<partner>/` (see docs/jobs.md for the checklist).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from core.context import AppContext
from jobs.bank.pull import pull_payout_results
from jobs.bank.push import push_payout_instructions
from jobs.bpjs.pull import pull_verified_claims
from jobs.bpjs.push import push_payout_status
from jobs.result import JobResult
from models import JobPause, JobRun

JobFunc = Callable[[AppContext, logging.Logger], JobResult]


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: JobFunc
    partner: str  # bpjs / bank
    label: str  # Bahasa Indonesia, what coordinators read
    label_en: str


JOBS: dict[str, JobSpec] = {spec.id: spec for spec in (
    JobSpec("bpjs_pull", pull_verified_claims, "bpjs", "Ambil klaim terverifikasi dari BPJS",
            "Fetch verified claims from BPJS"),
    JobSpec("bank_push", push_payout_instructions, "bank", "Kirim instruksi pembayaran ke Bank NTT",
            "Send payout instructions to Bank NTT"),
    JobSpec("bank_pull", pull_payout_results, "bank", "Ambil hasil pembayaran dari Bank NTT",
            "Fetch payout results from Bank NTT"),
    JobSpec("bpjs_push", push_payout_status, "bpjs", "Laporkan status pembayaran ke BPJS",
            "Report payout status to BPJS"),
)}


class UnknownJob(ValueError):
    def __init__(self, job_id: str):
        self.job_id = job_id
        super().__init__(f"Tugas tidak dikenal / unknown job: {job_id!r}; pilih / choose: {', '.join(JOBS)}")


def get_job(job_id: str) -> JobSpec:
    try:
        return JOBS[job_id]
    except KeyError:
        raise UnknownJob(job_id) from None


@dataclass(frozen=True)
class JobInfo:
    id: str
    label: str
    label_en: str
    partner: str
    cron: str
    enabled: bool
    next_run_at: dt.datetime | None  # naive UTC; None when disabled
    paused: JobPause | None
    last_run: JobRun | None  # the latest finished run
    running: JobRun | None  # the run in progress, if any


def job_infos(ctx: AppContext) -> list[JobInfo]:
    """Every job with its schedule, next run, pause, last outcome and current run (for UI and CLI)."""
    from jobs.scheduler import next_run_time

    infos = []
    for spec in JOBS.values():
        settings = ctx.settings.jobs[spec.id]
        last = (JobRun.select().where(JobRun.job == spec.id, JobRun.outcome != "RUNNING")
                .order_by(JobRun.started_at.desc(), JobRun.id.desc()).first())
        running = (JobRun.select().where(JobRun.job == spec.id, JobRun.outcome == "RUNNING")
                   .order_by(JobRun.id.desc()).first())
        infos.append(JobInfo(
            id=spec.id, label=spec.label, label_en=spec.label_en, partner=spec.partner,
            cron=settings.cron, enabled=settings.enabled,
            next_run_at=next_run_time(ctx, spec.id) if settings.enabled else None,
            paused=JobPause.get_or_none(JobPause.job == spec.id), last_run=last, running=running))
    return infos
