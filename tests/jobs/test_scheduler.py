"""The scheduler (jobs/scheduler.py), pauses and the job list for the UI and the command line."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from desk.views.jobs import job_infos
from jobs.pause import pause_job, paused, resume_job
from jobs.registry import JOBS
from jobs.result import JobError, JobResult
from jobs.runner import run_scheduled
from jobs.scheduler import cron_trigger, next_run_time, scheduled_time, start_scheduler, stop_scheduler
from models import AuditLog, JobRun

WITA = ZoneInfo("Asia/Makassar")
JOB = "bank_pull"
EVERY_SECOND = {JOB: CronTrigger(second="*", timezone="Asia/Makassar")}


@pytest.fixture
def fake_job(monkeypatch):
    class Fake:
        func = staticmethod(lambda ctx, log: JobResult({"files": 0}))

    monkeypatch.setitem(JOBS, JOB, dataclasses.replace(JOBS[JOB], func=lambda ctx, log: Fake.func(ctx, log)))
    return Fake


async def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(condition):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


@pytest.mark.parametrize(("cron", "weekdays"), [
    ("0 2 * * 0", {6}), ("0 2 * * 7", {6}), ("0 2 * * 1-5", {0, 1, 2, 3, 4}), ("0 2 * * mon-fri", {0, 1, 2,
                                                                                                   3, 4}),
    ("0 2 * * */2", {6, 1, 3, 5}), ("0 2 * * *", set(range(7))),
])
def test_cron_days_of_week_follow_crontab(cron, weekdays):
    trigger = cron_trigger(cron, "Asia/Makassar")
    when, seen = dt.datetime(2026, 11, 23, tzinfo=WITA), set()
    for _ in range(14):
        when = trigger.get_next_fire_time(when, when + dt.timedelta(seconds=1))
        seen.add(when.weekday())
    assert seen == weekdays


def test_the_scheduled_time_is_the_latest_fire_time_in_utc():
    trigger = cron_trigger("0 1 * * *", "Asia/Makassar")
    now = dt.datetime(2026, 11, 23, 1, 0, 7, tzinfo=WITA)  # fired 7 s late
    assert scheduled_time(trigger, now, 6 * 3600) == dt.datetime(2026, 11, 22, 17, 0)


def test_next_run_is_computed_from_the_cron_without_a_scheduler(job_ctx):
    when = next_run_time(job_ctx, "bpjs_pull")
    local = when.replace(tzinfo=dt.UTC).astimezone(WITA)
    assert (local.hour, local.minute) == (1, 0)


def test_a_scheduled_time_runs_once_even_when_fired_twice(job_ctx, fake_job):
    when = dt.datetime(2026, 11, 22, 17, 0)
    assert run_scheduled(job_ctx, JOB, when) is not None
    assert run_scheduled(job_ctx, JOB, when) is None
    assert JobRun.select().count() == 1


async def test_the_scheduler_runs_a_job_on_its_schedule(job_ctx, fake_job):
    start_scheduler(job_ctx, triggers=EVERY_SECOND, extra_jobs=False)
    try:
        await wait_for(lambda: JobRun.select().where(JobRun.outcome == "SUCCEEDED").exists())
    finally:
        stop_scheduler(job_ctx)
    run = JobRun.select().order_by(JobRun.id).first()
    assert run.trigger == "schedule"
    assert run.scheduled_for is not None and run.scheduled_for.microsecond == 0


async def test_a_paused_job_does_not_run_on_its_schedule(job_ctx, fake_job):
    pause_job(JOB, by="supervisor", reason="Bank NTT sedang pemeliharaan")
    start_scheduler(job_ctx, triggers=EVERY_SECOND, extra_jobs=False)
    await asyncio.sleep(2.5)
    stop_scheduler(job_ctx)
    assert JobRun.select().count() == 0


async def test_a_transient_failure_is_retried_by_the_scheduler(job_ctx, fake_job, monkeypatch):
    import dataclasses

    monkeypatch.setattr(job_ctx, "settings", dataclasses.replace(
        job_ctx.settings, job_defaults=dataclasses.replace(job_ctx.settings.job_defaults,
                                                           retry_delay_seconds=0.2)))
    calls = []

    def job(ctx, log):
        calls.append(1)
        if len(calls) == 1:
            raise JobError("Server menolak koneksi.", cause="unreachable", permanent=False)
        return JobResult()

    fake_job.func = job
    start_scheduler(job_ctx, triggers={JOB: CronTrigger(year=2099, timezone="Asia/Makassar")},
                    extra_jobs=False)
    try:
        from jobs.runner import run_job

        failed = await asyncio.to_thread(run_job, job_ctx, JOB)
        assert failed.outcome == "FAILED" and failed.will_retry_in == pytest.approx(0.2)
        await wait_for(lambda: JobRun.select().where(JobRun.trigger == "retry").exists())
        await wait_for(lambda: JobRun.get(JobRun.trigger == "retry").outcome != "RUNNING")
    finally:
        stop_scheduler(job_ctx)
    retry = JobRun.get(JobRun.trigger == "retry")
    assert (retry.outcome, retry.retry_of_id, retry.attempt) == ("SUCCEEDED", failed.id, 2)


def test_pause_and_resume_are_recorded_and_audited(job_ctx):
    pause_job(JOB, by="supervisor", reason="Pemeliharaan")
    pause_job(JOB, by="admin")  # already paused: the first pause stays
    assert paused(JOB).paused_by == "supervisor"
    assert resume_job(JOB, by="supervisor") is True
    assert resume_job(JOB, by="supervisor") is False
    assert paused(JOB) is None
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)] == ["JOB_PAUSE", "JOB_RESUME"]


def test_job_infos_list_every_job_with_schedule_pause_and_last_outcome(job_ctx, fake_job):
    from jobs.runner import run_job

    run = run_job(job_ctx, JOB)
    pause_job("bpjs_push", by="supervisor")
    infos = {info.id: info for info in job_infos(job_ctx)}
    assert list(infos) == ["bpjs_pull", "bank_push", "bank_pull", "bpjs_push"]
    assert infos["bpjs_pull"].cron == "0 1 * * *" and infos["bpjs_pull"].next_run_at is not None
    assert infos[JOB].last_run.id == run.id and infos[JOB].running is None
    assert infos["bpjs_push"].paused is not None and infos["bpjs_pull"].paused is None
