"""One run of a job at a time: in this process, across processes, across machines.

- In this process: a set of running job ids.
- PostgreSQL: a session advisory lock per job (`pg_try_advisory_lock`) on a connection of
  its own, held for the whole run. The database drops it when the process dies, so a
  crash never leaves a job locked.
- SQLite (one process, maybe several commands): the `scheduler_lock` row names the holder
  (host, pid and the process start time); a holder that no longer exists is taken over.

The row is written on PostgreSQL too, so "who runs this?" has one answer for the UI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.db import is_postgres, write_tx
from core.text import fmt
from models import JobRun, SchedulerLock, db, utcnow

log = logging.getLogger(__name__)

_running: set[str] = set()
_running_lock = threading.Lock()


def _start_token(pid: int) -> str:
    """The process start time in clock ticks (Linux), so a reused pid is not taken for ours."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


HOSTNAME = socket.gethostname()
HOLDER = f"{HOSTNAME}:{os.getpid()}:{_start_token(os.getpid())}"


class JobBusy(Exception):
    """The job is already running (here or in another process); the UI shows the message."""

    def __init__(self, job: str, since: dt.datetime | None = None, trigger: str | None = None,
                 holder: str | None = None, zone: str = fmt.DEFAULT_ZONE):
        self.job, self.since, self.trigger, self.holder = job, since, trigger, holder
        when = f" sejak {fmt.datetime(since, zone=zone)}" if since else ""
        how = {"schedule": " (terjadwal)", "manual": " (dijalankan manual)",
               "retry": " (percobaan ulang)"}.get(trigger or "", "")
        self.message = (f"Tugas {job} sedang berjalan{when}{how}. Tunggu sampai selesai, lalu jalankan "
                        f"lagi bila masih perlu.")
        super().__init__(f"{self.message} / Job {job} is already running; wait until it ends.")


@dataclass
class JobLock:
    job: str
    connection: Any = None  # PostgreSQL: the connection holding the advisory lock
    key: int | None = None
    released: bool = False

    def attach_run(self, run: JobRun) -> None:
        SchedulerLock.update(run=run).where(SchedulerLock.job == self.job).execute()

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        try:
            (SchedulerLock.update(holder=None, run=None, since=None)
             .where(SchedulerLock.job == self.job, SchedulerLock.holder == HOLDER).execute())
        finally:
            if self.connection is not None:
                try:
                    with self.connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
                finally:
                    self.connection.close()
            with _running_lock:
                _running.discard(self.job)


def acquire(job: str, zone: str = fmt.DEFAULT_ZONE) -> JobLock:
    """Take the job's lock or raise JobBusy. Release it with `lock.release()`."""
    with _running_lock:
        busy = job in _running
        _running.add(job)
    if busy:
        raise _busy(job, zone)
    lock = JobLock(job)
    try:
        if is_postgres():
            _take_advisory(lock, zone)
        _take_row(lock, zone)
    except BaseException:
        if lock.connection is not None:
            lock.connection.close()
            lock.connection = None
        with _running_lock:
            _running.discard(job)
        raise
    return lock


def running_here(job: str) -> bool:
    with _running_lock:
        return job in _running


def holder_alive(holder: str | None) -> bool:
    """Whether the process named in a lock row still exists (other hosts: assumed alive)."""
    if not holder:
        return False
    try:
        host, pid_text, token = holder.split(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != HOSTNAME:
        return True
    if holder == HOLDER:
        return False  # ourselves: the in-process set is the truth, checked before
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return not token or _start_token(pid) in ("", token)


def _take_advisory(lock: JobLock, zone: str) -> None:
    connection = db.obj._connect()  # a connection of its own: the lock lives as long as it does
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
            key = int.from_bytes(hashlib.sha256(f"santunan:{schema}:{lock.job}".encode()).digest()[:8],
                                 "big", signed=True)
            cursor.execute("SELECT pg_try_advisory_lock(%s)", (key,))
            got = cursor.fetchone()[0]
    except BaseException:
        connection.close()
        raise
    if not got:
        connection.close()
        raise _busy(lock.job, zone)
    lock.connection, lock.key = connection, key


def _take_row(lock: JobLock, zone: str) -> None:
    with write_tx():
        row = SchedulerLock.get_or_none(SchedulerLock.job == lock.job)
        if (row is not None and not is_postgres() and row.holder and row.holder != HOLDER
                and holder_alive(row.holder)):
            raise _busy(lock.job, zone, row)
        if row is not None and row.holder and row.holder != HOLDER:
            log.warning("Kunci tugas %s dari proses %s yang sudah berhenti diambil alih", lock.job,
                        row.holder)
        if row is None:
            SchedulerLock.create(job=lock.job, holder=HOLDER, since=utcnow())
        else:
            (SchedulerLock.update(holder=HOLDER, since=utcnow(), run=None)
             .where(SchedulerLock.job == lock.job).execute())


def _busy(job: str, zone: str, row: SchedulerLock | None = None) -> JobBusy:
    if row is None:
        row = SchedulerLock.get_or_none(SchedulerLock.job == job)
    run = None
    if row is not None and row.run_id is not None:
        run = JobRun.get_or_none(JobRun.id == row.run_id)
    return JobBusy(job, since=run.started_at if run else (row.since if row else None),
                   trigger=run.trigger if run else None, holder=row.holder if row else None, zone=zone)
