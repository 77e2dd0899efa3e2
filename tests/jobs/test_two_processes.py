"""Two app processes on one PostgreSQL: a job never runs twice at once, a scheduled time fires once.

Two real scheduler processes (tests/jobs/scheduler_child.py) fire bank_pull every second
against the same database. SQLite is for one process, so this runs on PostgreSQL only.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from models import JobRun
from tests.fixtures.jobs import subprocess_config

CHILD = "tests.jobs.scheduler_child"


def start(config: Path, seconds: float, job_seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", CHILD, str(config), str(seconds), str(job_seconds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)


def finish(process: subprocess.Popen[str]) -> dict[str, list[str]]:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def config(job_ctx, tmp_path):
    if job_ctx.settings.is_sqlite:
        pytest.skip("SQLite serves one app process; the cross-process guarantee is PostgreSQL's")
    return subprocess_config(tmp_path, job_ctx.settings)


def test_two_schedulers_never_run_the_same_job_at_once(config):
    children = [start(config, 4, 1.2), start(config, 4, 1.2)]
    done = [finish(child) for child in children]
    runs = list(JobRun.select().where(JobRun.job == "bank_pull").order_by(JobRun.started_at))
    assert len(runs) >= 2 and all(r.outcome == "SUCCEEDED" for r in runs)
    for earlier, later in itertools.pairwise(runs):
        assert later.started_at >= earlier.finished_at  # never overlapping
    assert sum(len(d["skipped"]) for d in done) > 0  # the other process was turned away


def test_each_scheduled_time_fires_once_across_processes(config):
    children = [start(config, 4, 0.05), start(config, 4, 0.05)]
    done = [finish(child) for child in children]
    runs = list(JobRun.select().where(JobRun.job == "bank_pull"))
    assert len(runs) == len({r.scheduled_for for r in runs}) >= 3
    first, second = ({*d["ran"], *d["skipped"]} for d in done)
    both = first & second  # the processes start a moment apart: judge the seconds both fired
    assert len(both) >= 2
    for when in both:  # each second both processes fired: exactly one of them ran it
        assert (when in done[0]["ran"]) != (when in done[1]["ran"]), when
    assert sum(len(d["ran"]) for d in done) == len(runs)
