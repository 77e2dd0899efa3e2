"""People's writes go before the jobs' next write on SQLite (hardening, finding 5).

SQLite lets one writer in at a time, and a writer that finds the database locked polls for it
(the busy timeout) instead of queueing: a job that commits a batch and begins the next one a
millisecond later takes the lock again before a waiting login's next poll. Two jobs taking turns
kept a login waiting 4-8 s for the lock at 1,000,000 claims (traced).

The turnstile is a lock file beside the database, taken with flock (between processes: `serve`,
`jobs run`, the scheduler's threads). A person's write (a login, an action on a page) holds it
exclusively while it waits for the database; a job, before each of its write transactions, takes
it shared and lets go at once, so it stops there while a person is waiting. A person then waits
at most for the transaction that holds the database now. The job's own transactions, and so its
crash safety, are unchanged. PostgreSQL locks rows, not the database: no turnstile there.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_BACKGROUND: ContextVar[bool] = ContextVar("background_writer", default=False)


@contextmanager
def background_writes() -> Iterator[None]:
    """Mark the writes made inside (a job's run) as ones that give way to people's writes."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


def is_background() -> bool:
    return _BACKGROUND.get()


@contextmanager
def turn(database_path: str) -> Iterator[None]:
    """Wrap the BEGIN of an outermost SQLite write transaction (not the transaction itself).

    A person: exclusive until the caller has the database. A background writer: waits while
    any person holds it, then goes on (shared, let go at once)."""
    fd = os.open(f"{database_path}-turnstile", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if _BACKGROUND.get():
            fcntl.flock(fd, fcntl.LOCK_SH)
            fcntl.flock(fd, fcntl.LOCK_UN)
            yield
        else:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield  # the lock file is closed below, which lets the turnstile go
    finally:
        os.close(fd)


class HoldBudget:
    """How many rows a job's next write transaction takes, so that it holds SQLite's write lock
    for about SECONDS: the turnstile bounds a person's wait by one transaction, this bounds the
    transaction. The same batch costs more as the tables grow (25,000 claims held the lock 5-9 s
    at 1,000,000 claims, 1-2 s at 100,000), so the size follows the last transaction's time,
    growing at most twofold a step from START, never beyond `most` (the caller's cap: a file's
    or a batch's lines) nor below LEAST. PostgreSQL locks rows: there it is always `most`."""

    SECONDS = 1.0  # a login waits for at most one such transaction (the goal: 2 s)
    LEAST = 500
    START = 2000  # the first transaction of a run: its time is not known yet

    def __init__(self, most: int, *, sqlite: bool):
        self.most, self.least = most, min(self.LEAST, most)
        self.size = min(self.START, most) if sqlite else most
        self.sqlite = sqlite

    def took(self, rows: int, seconds: float) -> None:
        """Record a transaction of `rows` rows that held the lock `seconds`; sizes the next one."""
        if not self.sqlite or rows <= 0:
            return
        fitting = int(rows * self.SECONDS / max(seconds, 1e-3))
        self.size = max(self.least, min(self.most, 2 * self.size, fitting))

    @contextmanager
    def timing(self, rows: int) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.took(rows, time.monotonic() - started)
