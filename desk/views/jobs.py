"""Read queries of the jobs pages: the jobs at a glance, run history, one run, failures by cause.

Synchronous database work, called from the UI through `run.io_bound` and from `jobs list`.
Runs are few (four jobs, a handful of runs a day), so the history pages with LIMIT/OFFSET
on the (job, started_at) and (outcome, started_at) indexes answer at once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Case, fn

from core.context import AppContext
from jobs.registry import JOBS, PARTNERS
from jobs.runner import TRIGGERS as TRIGGERS  # what started a run: the run list filters on it
from jobs.scheduler import next_run_time
from models import BatchFile, JobPause, JobRun, RunOutcome, User, utcnow

FAILURE_WINDOW_DAYS = 30
RUN_SORTS = {"started_at": JobRun.started_at, "job": JobRun.job, "outcome": JobRun.outcome, "id": JobRun.id}
BAD_RECORDS = "bad_records"  # not a failure cause: runs that succeeded but skipped bad records


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
    """Every job of the registry with its schedule, next run, pause, last outcome and current run."""
    infos = []
    for spec in JOBS.values():
        settings = ctx.settings.jobs[spec.id]
        last = (JobRun.select().where(JobRun.job == spec.id, JobRun.outcome != RunOutcome.RUNNING)
                .order_by(JobRun.started_at.desc(), JobRun.id.desc()).first())
        running = (JobRun.select().where(JobRun.job == spec.id, JobRun.outcome == RunOutcome.RUNNING)
                   .order_by(JobRun.id.desc()).first())
        infos.append(JobInfo(
            id=spec.id, label=spec.label, label_en=spec.label_en, partner=spec.partner,
            cron=settings.cron, enabled=settings.enabled,
            next_run_at=next_run_time(ctx, spec.id) if settings.enabled else None,
            paused=JobPause.get_or_none(JobPause.job == spec.id), last_run=last, running=running))
    return infos


@dataclass(frozen=True)
class JobView:
    """One job as the jobs page shows it (plain values: compared between polls)."""

    id: str
    partner: str
    cron: str
    enabled: bool
    next_run_at: dt.datetime | None
    paused_by: str | None
    paused_at: dt.datetime | None
    pause_reason: str | None
    last: dict[str, Any] | None  # the latest finished run, as `run_row`
    running: dict[str, Any] | None  # the run in progress, as `run_row`
    open_failures: int = 0  # failed runs nobody marked handled (issue 16: kept apart from handled ones)
    handled_failures: int = 0  # runs marked handled (desk/handled.py)


def jobs_overview(ctx: AppContext) -> list[JobView]:
    """Every job with its schedule, next run, pause, last outcome and duration, a run in progress, and
    its open and handled failures."""
    views = []
    failures = failure_counts()
    for info in job_infos(ctx):
        pause = info.paused
        views.append(JobView(
            id=info.id, partner=info.partner, cron=info.cron, enabled=info.enabled,
            next_run_at=info.next_run_at,
            paused_by=pause.paused_by if pause else None, paused_at=pause.paused_at if pause else None,
            pause_reason=pause.reason if pause else None,
            last=run_row(info.last_run, _username(info.last_run)) if info.last_run else None,
            running=run_row(info.running, _username(info.running)) if info.running else None,
            open_failures=failures.get(info.id, (0, 0))[0],
            handled_failures=failures.get(info.id, (0, 0))[1]))
    return views


def failure_counts() -> dict[str, tuple[int, int]]:
    """Per job: (open failures, handled failures), by the runs list's own conditions
    (`failure_condition`), so each number is the count of the list it links to."""
    failed = JobRun.outcome == RunOutcome.FAILED
    kinds = [fn.SUM(Case(None, [(failure_condition(JobRun, kind, failed), 1)], 0))
             for kind in (OPEN, HANDLED)]
    rows = (JobRun.select(JobRun.job, *kinds).where(failed | JobRun.handled_at.is_null(False))
            .group_by(JobRun.job).tuples())
    return {job: (int(n_open or 0), int(n_handled or 0)) for job, n_open, n_handled in rows}


@dataclass(frozen=True)
class RunFilter:
    job: str | None = None
    outcome: str | None = None
    trigger: str | None = None
    cause: str | None = None
    failures: str | None = None  # OPEN: failed, not marked handled; HANDLED: marked (desk/handled.py)


OPEN, HANDLED = "open", "handled"  # the two kinds of failure the pages keep apart


def failure_condition(model: Any, failures: str | None, failed: Any) -> Any:
    """OPEN: `failed` and not marked handled; HANDLED: marked handled; None: no condition.
    Shared by the run and file lists (a run's failure is FAILED, a file's is REJECTED)."""
    if failures == OPEN:
        return failed & model.handled_at.is_null()
    if failures == HANDLED:
        return model.handled_at.is_null(False)
    return None


def runs_page(f: RunFilter, *, page: int = 1, per_page: int = 25, sort_by: str = "started_at",
              descending: bool = True) -> tuple[list[dict[str, Any]], int]:
    """One page of the run history and the number of runs matching."""
    query = (JobRun.select(JobRun, User.username.alias("username"))
             .join(User, JOIN.LEFT_OUTER, on=(JobRun.user == User.id)))
    where = [c for c in (
        JobRun.job == f.job if f.job else None, JobRun.outcome == f.outcome if f.outcome else None,
        JobRun.trigger == f.trigger if f.trigger else None, _cause_condition(f.cause),
        failure_condition(JobRun, f.failures, JobRun.outcome == RunOutcome.FAILED)) if c is not None]
    if where:
        query = query.where(*where)
    total = query.count()
    column = RUN_SORTS.get(sort_by, JobRun.started_at)
    order = [column.desc(), JobRun.id.desc()] if descending else [column.asc(), JobRun.id.asc()]
    rows = query.order_by(*order).paginate(max(1, page), per_page).objects()
    return [run_row(r, r.username) for r in rows], total


@dataclass
class RunDetail:
    run: dict[str, Any]
    log: str
    error: str | None
    retry_of: dict[str, Any] | None
    retries: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    later_success: dict[str, Any] | None = None  # a newer successful run of the same job


def run_detail(run_id: int) -> RunDetail | None:
    run = JobRun.get_or_none(JobRun.id == run_id)
    if run is None:
        return None
    retry_of = JobRun.get_or_none(JobRun.id == run.retry_of_id) if run.retry_of_id else None
    retries = JobRun.select().where(JobRun.retry_of == run.id).order_by(JobRun.id)
    files = (BatchFile.select(BatchFile.id, BatchFile.name, BatchFile.direction, BatchFile.status,
                              BatchFile.record_count, BatchFile.error_count)
             .where(BatchFile.job_run == run.id).order_by(BatchFile.id).dicts())
    later = (JobRun.select().where(JobRun.job == run.job, JobRun.id > run.id, JobRun.outcome.in_(
                                       (RunOutcome.SUCCEEDED, RunOutcome.SUCCEEDED_WITH_WARNINGS)))
             .order_by(JobRun.id).first())
    return RunDetail(
        run=run_row(run, _username(run)), log=run.log or "", error=run.error,
        retry_of=run_row(retry_of, _username(retry_of)) if retry_of else None,
        retries=[run_row(r, _username(r)) for r in retries], files=list(files),
        later_success=run_row(later, _username(later)) if later else None)


def run_progress(run_id: int) -> tuple[str, str, str | None, str | None] | None:
    """(outcome, log, error, error_cause) of a run, for live display while it runs."""
    row = (JobRun.select(JobRun.outcome, JobRun.log, JobRun.error, JobRun.error_cause)
           .where(JobRun.id == run_id).tuples().first())
    return tuple(row) if row else None  # type: ignore[return-value]


def failures_by_cause(days: int = FAILURE_WINDOW_DAYS,
                      now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """How often runs failed per cause over the last `days`, most frequent first.

    Runs that succeeded but skipped bad records are counted as `bad_records`, because a
    coordinator follows them up with the partner like a failure.
    """
    since = (now or utcnow()) - dt.timedelta(days=days)
    counts: dict[str, int] = {}
    failed = (JobRun.select(JobRun.error_cause, fn.COUNT(JobRun.id))
              .where(JobRun.outcome == RunOutcome.FAILED, JobRun.started_at >= since)
              .group_by(JobRun.error_cause).tuples())
    for cause, n in failed:
        counts[cause or "internal"] = counts.get(cause or "internal", 0) + n
    bad = sum(1 for (text,) in JobRun.select(JobRun.counts)
              .where(JobRun.started_at >= since, JobRun.counts.contains(f'"{BAD_RECORDS}"')).tuples()
              if _counts(text).get(BAD_RECORDS))
    if bad:
        counts[BAD_RECORDS] = bad
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def run_row(run: JobRun, username: str | None) -> dict[str, Any]:
    finished = run.finished_at
    seconds = (finished - run.started_at).total_seconds() if finished and run.started_at else None
    return {"id": run.id, "job": run.job, "trigger": run.trigger, "user": username, "attempt": run.attempt,
            "retry_of": run.retry_of_id, "started_at": run.started_at, "finished_at": finished,
            "seconds": seconds, "outcome": run.outcome, "counts": _counts(run.counts),
            "error_cause": run.error_cause, "error": run.error, "handled_at": run.handled_at,
            "handled_by": run.handled_by, "handled_note": run.handled_note}


def _cause_condition(cause: str | None) -> Any:
    if not cause:
        return None
    if cause == BAD_RECORDS:
        return JobRun.counts.contains(f'"{BAD_RECORDS}"')
    return (JobRun.outcome == RunOutcome.FAILED) & (JobRun.error_cause == cause)


def _username(run: JobRun | None) -> str | None:
    if run is None or run.user_id is None:
        return None
    user = User.get_or_none(User.id == run.user_id)
    return user.username if user else None


def _counts(text: str | None) -> dict[str, int]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return {k: int(v) for k, v in value.items() if isinstance(v, int)} if isinstance(value, dict) else {}


def job_ids() -> list[str]:
    """The registry's job ids, in the order of one payout cycle."""
    return list(JOBS)


def partner_ids() -> list[str]:
    """The registry's partner ids (each needs its `partners.<id>` configuration)."""
    return list(PARTNERS)


def file_types() -> list[str]:
    """The file types the registry's jobs read or write (each needs its layout)."""
    return list(dict.fromkeys(spec.file_type for spec in JOBS.values()))


def job_name(job_id: str, lang: str) -> str:
    """The job's short name on the screens ("en" or Bahasa Indonesia); an unknown id as it is."""
    spec = JOBS.get(job_id)
    if spec is None:
        return job_id
    return spec.short_en if lang == "en" else spec.short


def partner_name(partner: str, lang: str) -> str:
    """The partner's name on the screens ("en" or Bahasa Indonesia); an unknown id as it is."""
    known = PARTNERS.get(partner)
    if known is None:
        return partner
    return known.label_en if lang == "en" else known.label
