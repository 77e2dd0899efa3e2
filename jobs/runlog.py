"""The log lines of one job run, kept in `JobRun.log` so the UI can show them live.

A handler on the root logger takes the records of the thread running the job (the job's
own logger, the SFTP client, the business rules it calls) and writes them to the run's
row about once a second. It never writes inside the job's open transaction: that would
tie the progress display to a commit, and on SQLite a second connection would wait for
the job's own write lock. A line logged inside a transaction, followed by a long silent
step, is written by a small flusher thread on its own connection, so the live log is
never more than a couple of seconds behind. Both write only while the run is RUNNING:
the runner's final update (the whole log) is never overwritten by a late flush.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from core.text import fmt
from models import JobRun, RunOutcome, db

HEAD_LINES = 1000  # a run of 100k bad records keeps its first and last lines
TAIL_LINES = 2000
FLUSH_SECONDS = 1.0
CAPTURED_LOGGERS = ("jobs", "core")
OUR_LOGGERS = ("jobs", "core", "desk", "demo")
# Library lines a coordinator reads in a job's log (issue 17): paramiko's own, in Indonesian.
# Anything else a library says at INFO is dropped; its warnings and errors are kept as said.
LIBRARY_LINES = (
    (re.compile(r"^Connected \(version [^,]+, client (?P<server>[^)]+)\)"),
     "Tersambung ke server SFTP ({server})"),
    (re.compile(r"^Authentication \((?P<how>[^)]+)\) successful"), "Login ke server SFTP berhasil ({how})"),
    (re.compile(r"^Authentication \((?P<how>[^)]+)\) failed"), "Login ke server SFTP ditolak ({how})"),
    (re.compile(r"Opened sftp connection"), "Sesi SFTP dibuka"),
    (re.compile(r"sftp session closed"), "Sesi SFTP ditutup"),
)
_current = threading.local()  # the run this thread is executing, for rows that link to it


def current_run_id() -> int | None:
    """The id of the JobRun the calling thread is running, if any."""
    return getattr(_current, "run_id", None)


class RunLogHandler(logging.Handler):
    def __init__(self, run_id: int, thread_id: int, zone: str, flush_seconds: float | None = None):
        super().__init__(level=logging.INFO)
        self.run_id = run_id
        self.thread_id = thread_id
        self.zone = zone
        self.flush_seconds = FLUSH_SECONDS if flush_seconds is None else flush_seconds
        self.head: list[str] = []
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self.skipped = 0
        self._last_flush = 0.0  # the first line is shown at once
        self._dirty = False
        self._flushing = threading.local()
        self._lines = threading.Lock()  # head/tail are read by the flusher thread

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread_id or getattr(self._flushing, "on", False):
            return
        try:
            if not record.name.startswith(OUR_LOGGERS):
                translated = library_line(record)
                if translated is None:
                    return
                record = logging.makeLogRecord({**record.__dict__, "msg": translated, "args": None})
            line = self.line(record)
        except Exception:  # a bad format string must not break the job
            line = str(record.msg)
        with self._lines:
            if len(self.head) < HEAD_LINES:
                self.head.append(line)
            else:
                if len(self.tail) == self.tail.maxlen:
                    self.skipped += 1
                self.tail.append(line)
            self._dirty = True
        if self.due() and not db.in_transaction():
            self.save()

    def due(self) -> bool:
        """Lines are waiting and the last write is at least `flush_seconds` old."""
        return self._dirty and time.monotonic() - self._last_flush >= self.flush_seconds

    def line(self, record: logging.LogRecord) -> str:
        at = fmt.to_local(_utc(record.created), self.zone)
        level = {"WARNING": "PERINGATAN", "ERROR": "GALAT", "CRITICAL": "GALAT"}.get(record.levelname, "")
        text = record.getMessage()
        if record.exc_info and record.levelno >= logging.ERROR:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        return f"{at:%H:%M:%S} {level + ' ' if level else ''}{text}"

    def text(self) -> str:
        with self._lines:
            lines = list(self.head)
            if self.skipped:
                lines.append(f"... ({self.skipped} baris dilewati / lines skipped) ...")
            lines.extend(self.tail)
            self._dirty = False  # what changes from here on is written next time
        return "\n".join(lines)

    def save(self) -> None:
        """Write the lines so far to the run's row (outside any transaction of the job's)."""
        if not self._dirty:
            return
        self._flushing.on = True
        try:
            (JobRun.update(log=self.text())
             .where(JobRun.id == self.run_id, JobRun.outcome == RunOutcome.RUNNING).execute())
        except Exception:
            self._dirty = True  # e.g. SQLite busy past its timeout: the next flush tries again
            raise
        finally:
            self._flushing.on = False
            self._last_flush = time.monotonic()


@contextmanager
def capture(run_id: int, zone: str) -> Iterator[RunLogHandler]:
    """Collect the current thread's INFO+ records into the run's log while the block runs."""
    handler = RunLogHandler(run_id, threading.get_ident(), zone)
    for name in CAPTURED_LOGGERS:  # INFO lines must exist even when logging is not configured
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    _current.run_id = run_id
    stop = threading.Event()
    flusher = threading.Thread(target=_flush_while_silent, args=(handler, stop), daemon=True,
                               name=f"runlog-{run_id}")
    flusher.start()
    try:
        yield handler
    finally:
        stop.set()
        flusher.join()
        _current.run_id = None
        root.removeHandler(handler)


def _flush_while_silent(handler: RunLogHandler, stop: threading.Event) -> None:
    """Write lines the job thread could not (it was inside a transaction) while it stays silent."""
    while not stop.wait(max(handler.flush_seconds, 0.2)):
        if not handler.due():
            continue
        try:
            with db.connection_context():
                handler.save()
        except Exception as exc:  # the job must never fail because its progress display did
            logging.getLogger(__name__).debug("run log flush failed: %s", exc)


def library_line(record: logging.LogRecord) -> str | None:
    """A library's log line in Indonesian, or None to leave it out of the run's log."""
    message = record.getMessage()
    for pattern, text in LIBRARY_LINES:
        if match := pattern.search(message):
            return text.format(**match.groupdict())
    return message if record.levelno >= logging.WARNING else None


def _utc(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC)
