"""APScheduler wiring: the registry's jobs on their cron, the overdue watch, retries, interval tasks.

The only module that imports APScheduler. Job definitions live in code (`jobs.registry`)
and run history in our own table, so nothing of the scheduler's state needs sharing: two
processes each fire every job, and the runner lets exactly one of them run it (advisory
lock, plus the unique (job, scheduled_for) row for each scheduled time).

Settings: `misfire_grace_time` is hours (a busy process must not skip a nightly run),
`coalesce` and `max_instances=1`. Cron expressions are standard crontab: day-of-week 0
and 7 are Sunday (APScheduler 3 alone would read 0 as Monday; `cron_trigger` translates).

Whoever starts the scheduler may add its own background tasks on an interval with
`add_interval_task` (the demo partners of `serve` do, from demo/embedded.py): the
scheduler knows nothing of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.context import AppContext
from core.text import fmt
from jobs.registry import JOBS
from models import JobRun, db

log = logging.getLogger(__name__)

WATCH_EVERY_MINUTES = 10
CRONTAB_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def start_scheduler(ctx: AppContext, *, triggers: dict[str, BaseTrigger] | None = None,
                    extra_jobs: bool = True) -> AsyncIOScheduler:
    """Build and start the scheduler on the running event loop; kept in ctx.extras["scheduler"].

    `triggers` replaces a job's cron trigger (tests fire every second); `extra_jobs` adds
    the overdue and payment-duty watches.
    """
    settings = ctx.settings
    grace = int(settings.job_defaults.misfire_grace_hours * 3600)
    # "Running job ... executed successfully" every 45 s drowns the log; runs are in JobRun.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    scheduler = AsyncIOScheduler(timezone=settings.timezone, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": grace})
    for job_id in JOBS:
        job_settings = settings.jobs[job_id]
        if not job_settings.enabled:
            log.info("Tugas %s dimatikan di konfigurasi: tidak dijadwalkan", job_id)
            continue
        trigger = (triggers or {}).get(job_id) or cron_trigger(job_settings.cron, settings.timezone)
        scheduler.add_job(_fire, trigger, args=(ctx, job_id, trigger), id=job_id, name=job_id)
    if extra_jobs:
        from core.claims.duty_alerts import watch_payment_duty
        from jobs.watch import watch_overdue

        scheduler.add_job(_in_thread(watch_overdue), IntervalTrigger(minutes=WATCH_EVERY_MINUTES),
                          args=(ctx,), id="watch_overdue", name="watch_overdue",
                          next_run_time=dt.datetime.now(dt.UTC))
        # Claims past BPJS's payment duty: at most one alert a day (see core.claims.duty_alerts).
        scheduler.add_job(_in_thread(watch_payment_duty), IntervalTrigger(minutes=WATCH_EVERY_MINUTES),
                          args=(ctx,), id="watch_payment_duty", name="watch_payment_duty",
                          next_run_time=dt.datetime.now(dt.UTC))
    ctx.extras["scheduler"] = scheduler
    ctx.extras["schedule_retry"] = _retry_hook(ctx, scheduler)
    scheduler.start()
    log.info("Penjadwal tugas berjalan (%s): %s", settings.timezone,
             ", ".join(f"{j.id} [{j.trigger}]" for j in scheduler.get_jobs()))
    return scheduler


def add_interval_task(ctx: AppContext, task_id: str, func: Callable[..., Any], args: tuple[Any, ...] = (),
                      *, every_seconds: float, first_after_seconds: float = 0) -> None:
    """Run `func(*args)` every `every_seconds` on the started scheduler, the first time after
    `first_after_seconds`; in a worker thread with its own database connection, an error logged."""
    scheduler: AsyncIOScheduler = ctx.extras["scheduler"]
    first = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=first_after_seconds)
    scheduler.add_job(_in_thread(func), IntervalTrigger(seconds=every_seconds), args=args, id=task_id,
                      name=task_id, next_run_time=first)


def stop_scheduler(ctx: AppContext) -> None:
    scheduler: AsyncIOScheduler | None = ctx.extras.pop("scheduler", None)
    ctx.extras.pop("schedule_retry", None)
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)


def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """A CronTrigger from a standard 5-field crontab line (Sunday is 0 or 7)."""
    minute, hour, day, month, day_of_week = expr.split()
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_crontab_days(day_of_week), timezone=timezone)


def next_run_time(ctx: AppContext, job_id: str) -> dt.datetime | None:
    """When the job next runs on its schedule (naive UTC), from the live scheduler or the cron."""
    scheduler: AsyncIOScheduler | None = ctx.extras.get("scheduler")
    if scheduler is not None and scheduler.running:
        job = scheduler.get_job(job_id)
        when = job.next_run_time if job else None
    else:
        trigger = cron_trigger(ctx.settings.jobs[job_id].cron, ctx.settings.timezone)
        when = trigger.get_next_fire_time(None, dt.datetime.now(dt.UTC))
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when else None


def scheduled_time(trigger: BaseTrigger, now: dt.datetime, grace_seconds: int) -> dt.datetime:
    """The latest fire time of `trigger` at or before `now` (naive UTC, whole seconds).

    APScheduler does not tell a job which time it was fired for; every process computes
    the same answer from the same trigger, which is what the unique run row needs.
    """
    latest = None
    for window in (60, 3600, max(grace_seconds, 3600)):  # short first: a per-second test trigger
        when = trigger.get_next_fire_time(None, now - dt.timedelta(seconds=window))
        while when is not None and when <= now:
            latest = when
            when = trigger.get_next_fire_time(when, when + dt.timedelta(microseconds=1))
        if latest is not None:
            break
    chosen = latest or now
    return chosen.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def _fire(ctx: AppContext, job_id: str, trigger: BaseTrigger) -> None:
    from jobs.runner import run_scheduled

    grace = int(ctx.settings.job_defaults.misfire_grace_hours * 3600)
    when = scheduled_time(trigger, dt.datetime.now(dt.UTC), grace)
    with db.connection_context():
        run_scheduled(ctx, job_id, when)


def _retry_hook(ctx: AppContext, scheduler: AsyncIOScheduler) -> Callable[[JobRun, float], None]:
    def schedule_retry(run: JobRun, delay: float) -> None:
        at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay)
        scheduler.add_job(_retry, DateTrigger(at), args=(ctx, run.job, run.id),
                          id=f"retry-{run.job}-{run.id}", name=f"retry-{run.job}", misfire_grace_time=None)
        log.info("Percobaan ulang %s dijadwalkan pukul %s", run.job,
                 f"{fmt.to_local(at, ctx.settings.timezone):%H:%M:%S} {fmt.zone_name(ctx.settings.timezone)}")

    return schedule_retry


def _retry(ctx: AppContext, job_id: str, run_id: int) -> None:
    from jobs.runner import run_retry

    with db.connection_context():
        run_retry(ctx, job_id, run_id)


def _in_thread(func: Callable[..., Any]) -> Callable[..., Any]:
    """A background task with its own database connection, logging instead of raising."""

    def call(*args: Any) -> None:
        try:
            with db.connection_context():
                func(*args)
        except Exception:
            log.exception("Tugas latar %s gagal", getattr(func, "__name__", func))

    call.__name__ = getattr(func, "__name__", "task")
    return call


def _crontab_days(field: str) -> str:
    if field in ("*", "?"):
        return "*"
    out: list[str] = []
    for token in field.split(","):
        base, _, step = token.partition("/")
        if not (base == "*" or base.replace("-", "").isdigit()):
            out.append(token)  # names (mon-fri) already mean the same in both
            continue
        low, _, high = base.partition("-")
        first, last = (0, 6) if base == "*" else (int(low), int(high or (6 if step else low)))
        for day in range(first, last + 1, int(step or 1)):
            if not 0 <= day <= 7:
                raise ValueError(f"day of week {day} out of range 0-7")
            out.append(CRONTAB_DAYS[day])
    return ",".join(dict.fromkeys(out))

