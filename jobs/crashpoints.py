"""Named points where a test (or `jobs run --crash-at`) makes a job stop dead.

The jobs call `hit("bank_push.after_record")` between every two durable steps. Nothing
happens unless a point was armed: a test arms one to raise `InjectedCrash`, the command
line arms one to end the process at once with `os._exit` (no cleanup, no commit, like a
power cut). Re-running the job afterwards must finish the work without doing any twice;
the crash tests walk every point listed in `POINTS`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from jobs.registry import JOBS

log = logging.getLogger(__name__)

Mode = Literal["raise", "exit"]
EXIT_CODE = 97  # what a process ended at a crash point exits with

PULL_STEPS = (
    "after_download",       # file in local staging, nothing recorded
    "after_record_file",    # file recorded (RECEIVED), no record applied
    "in_chunk",             # inside a chunk's transaction, some records applied
    "mid_apply",            # after the first chunk committed
    "after_apply",          # every record applied, file still on the partner's server
    "after_finish_remote",  # file archived on the server, local copy not yet archived
)
PUSH_STEPS = (
    "mid_record",           # inside the transaction recording the file and its lines
    "after_record",         # file and lines recorded, file not yet written
    "after_write",          # file written locally, its SHA-256 not yet recorded
    "after_record_written",  # file recorded as written, not yet uploaded
    "after_upload",         # uploaded, not yet recorded as delivered
    "after_delivered",      # recorded as delivered (the job's last step)
)

# bank_pull's statement step (jobs/bank/statement.py), after its result files: `bank_pull.statement_<step>`
STATEMENT_STEPS = (
    "after_download",       # statement in local staging, nothing recorded
    "after_check",          # read and checked whole, nothing written
    "mid_apply",            # inside the import's one transaction, lines recorded, exceptions not yet
    "after_apply",          # imported, still inside the transaction that records the file
    "after_finish_remote",  # settled on the server, local copy not yet archived
)

# Every point a job calls, so tests can check they cover them all: each job of the
# registry passes the steps of its direction (jobs.incoming pulls, jobs.outgoing pushes).
POINTS: tuple[str, ...] = tuple(
    [f"{job.id}.{step}" for job in JOBS.values() if job.direction == "IN" for step in PULL_STEPS]
    + [f"{job.id}.{step}" for job in JOBS.values() if job.direction == "OUT" for step in PUSH_STEPS]
    + [f"bank_pull.statement_{step}" for step in STATEMENT_STEPS]
)

class InjectedCrash(BaseException):
    """Raised at an armed point. A BaseException, so `except Exception` does not swallow
    it: like a real crash, it skips the job's own error handling."""

    def __init__(self, point: str):
        self.point = point
        super().__init__(f"injected crash at {point}")


_armed: dict[str, tuple[Mode, int]] = {}  # point -> (mode, hits to let pass first)
_lock = threading.Lock()


def hit(point: str) -> None:
    """Crash here when `point` is armed; otherwise do nothing (one dict look-up)."""
    if not _armed:
        return
    with _lock:
        armed = _armed.get(point)
        if armed is None:
            return
        mode, skip = armed
        if skip > 0:
            _armed[point] = (mode, skip - 1)
            return
        del _armed[point]
    log.warning("crash point %s reached: stopping (%s)", point, mode)
    if mode == "exit":
        logging.shutdown()
        os._exit(EXIT_CODE)
    raise InjectedCrash(point)


def arm(point: str, mode: Mode = "raise", after: int = 0) -> None:
    """Crash at the (after+1)-th time `point` is reached. Raises ValueError for an unknown point."""
    if point not in POINTS:
        raise ValueError(f"unknown crash point {point!r}; known: {', '.join(POINTS)}")
    with _lock:
        _armed[point] = (mode, after)


def disarm_all() -> None:
    with _lock:
        _armed.clear()


@contextmanager
def armed(point: str, after: int = 0) -> Iterator[None]:
    """Arm `point` to raise for the duration of a `with` block (tests)."""
    arm(point, "raise", after)
    try:
        yield
    finally:
        with _lock:
            _armed.pop(point, None)
