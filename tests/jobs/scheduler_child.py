"""A scheduler process for tests/jobs/test_two_processes.py (not a test module).

    python -m tests.jobs.scheduler_child CONFIG SECONDS JOB_SECONDS   (from the project root)

Runs the real scheduler with bank_pull fired every second for SECONDS; the job itself is
replaced by one that takes JOB_SECONDS. Prints a JSON summary of what this process did: the
scheduled times it ran and the scheduled times it found taken by the other process.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import time

from apscheduler.triggers.cron import CronTrigger

from core.context import build_context
from core.settings import load_settings
from jobs import runner
from jobs.registry import JOBS
from jobs.result import JobResult
from jobs.scheduler import start_scheduler, stop_scheduler

JOB = "bank_pull"


def main(config: str, seconds: float, job_seconds: float) -> None:
    ctx = build_context(load_settings(config, environ={}))
    ctx.open_database()
    done: dict[str, list[str]] = {"ran": [], "skipped": []}

    def slow_job(ctx, log):
        time.sleep(job_seconds)
        return JobResult({"files": 0})

    JOBS[JOB] = dataclasses.replace(JOBS[JOB], func=slow_job)
    real = runner.run_scheduled

    def counted(ctx, job_id, when):
        run = real(ctx, job_id, when)
        done["ran" if run else "skipped"].append(when.isoformat())
        return run

    runner.run_scheduled = counted

    async def serve() -> None:
        start_scheduler(ctx, triggers={JOB: CronTrigger(second="*", timezone=ctx.settings.timezone)},
                        extra_jobs=False)
        await asyncio.sleep(seconds)
        stop_scheduler(ctx)
        await asyncio.sleep(job_seconds + 0.5)  # let a run in progress finish

    asyncio.run(serve())
    print(json.dumps(done))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
