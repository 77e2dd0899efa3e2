"""Read queries of the files pages: every file received and sent, one file, its record errors.

Called from the UI through `run.io_bound`. The list is paged on the server (the
(created_at) index), so years of nightly files stay quick; record errors of a file are
paged too (a bad 100,000-record file may carry thousands).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.files import PULL_JOBS
from desk.handled import HANDLED_FILE_STATUSES
from desk.views.jobs import failure_condition
from jobs.failed_files import replacement_of
from models import BatchFile, FileStatus, JobRun, PayoutBatch, PayoutInstruction, RecordError

FILE_COLUMNS = (BatchFile.id, BatchFile.direction, BatchFile.partner, BatchFile.file_type, BatchFile.name,
                BatchFile.status, BatchFile.record_count, BatchFile.control_total, BatchFile.error_count,
                BatchFile.sha256, BatchFile.created_at, BatchFile.processed_at, BatchFile.delivered_at,
                BatchFile.handled_at, BatchFile.handled_by, BatchFile.handled_note)


@dataclass(frozen=True)
class FileFilter:
    partner: str | None = None
    direction: str | None = None  # IN / OUT
    status: str | None = None
    search: str = ""  # part of the file name
    failures: str | None = None  # OPEN: rejected, not marked handled; HANDLED: marked (desk/handled.py)


def files_page(f: FileFilter, *, page: int = 1, per_page: int = 25) -> tuple[list[dict[str, Any]], int]:
    """One page of files, newest first, and how many match."""
    query = BatchFile.select(*FILE_COLUMNS)
    where = []
    if f.partner:
        where.append(BatchFile.partner == f.partner)
    if f.direction:
        where.append(BatchFile.direction == f.direction)
    if f.status:
        # a file waiting to be delivered shows as WRITTEN, whether or not it is written yet
        statuses = FileStatus.UNDELIVERED if f.status == FileStatus.WRITTEN else (f.status,)
        where.append(BatchFile.status.in_(statuses))
    if f.search:
        where.append(BatchFile.name.contains(f.search.strip()))
    failures = failure_condition(BatchFile, f.failures, BatchFile.status.in_(HANDLED_FILE_STATUSES))
    if failures is not None:
        where.append(failures)
    if where:
        query = query.where(*where)
    total = query.count()
    rows = query.order_by(BatchFile.created_at.desc(), BatchFile.id.desc()).paginate(max(1, page), per_page)
    return [file_row(r) for r in rows.dicts()], total


@dataclass
class FileDetail:
    file: dict[str, Any]
    error: str | None
    ignore_reason: str | None
    has_copy: bool
    run: dict[str, Any] | None  # the job run that received or sent it
    duplicate_of: dict[str, Any] | None
    replacement: dict[str, Any] | None  # for a rejected file: the file that took its place
    batch_id: str | None  # a PAYOUT_INSTRUCTION file's batch, or the batch a result file answers
    pull_job: str | None  # the job a reprocess starts


def file_detail(file_id: int) -> FileDetail | None:
    f = BatchFile.get_or_none(BatchFile.id == file_id)
    if f is None:
        return None
    run = JobRun.get_or_none(JobRun.id == f.job_run_id) if f.job_run_id else None
    original = BatchFile.get_or_none(BatchFile.id == f.duplicate_of_id) if f.duplicate_of_id else None
    replacement = replacement_of(f) if f.status in (FileStatus.REJECTED, FileStatus.IGNORED) else None
    batch = PayoutBatch.get_or_none(PayoutBatch.file == f.id)
    batch_id = batch.batch_id if batch else _answered_batch(f)
    return FileDetail(
        file=file_row(_as_dict(f)), error=f.error, ignore_reason=f.ignore_reason,
        has_copy=bool(f.local_path) and Path(f.local_path).is_file(),
        run={"id": run.id, "job": run.job, "outcome": run.outcome, "started_at": run.started_at}
        if run else None,
        duplicate_of={"id": original.id, "name": original.name} if original else None,
        replacement={"id": replacement.id, "name": replacement.name, "status": replacement.status}
        if replacement else None,
        batch_id=batch_id, pull_job=PULL_JOBS.get((f.partner, f.file_type)) if f.direction == "IN" else None)


def record_errors_page(file_id: int, *, page: int = 1,
                       per_page: int = 25) -> tuple[list[dict[str, Any]], int]:
    """One page of a file's record errors (line, field, value, reason), in line order."""
    query = RecordError.select(RecordError.id, RecordError.line_no, RecordError.field, RecordError.value,
                               RecordError.message).where(RecordError.batch_file == file_id)
    total = query.count()
    rows = query.order_by(RecordError.line_no, RecordError.id).paginate(max(1, page), per_page).dicts()
    return list(rows), total


def file_row(row: dict[str, Any]) -> dict[str, Any]:
    """A file's row as the pages use it: sent files get their delivery time as `at`."""
    out = {key: row.get(key) for key in ("id", "direction", "partner", "file_type", "name", "status",
                                          "record_count", "control_total", "error_count", "sha256",
                                          "created_at", "processed_at", "delivered_at", "handled_at",
                                          "handled_by", "handled_note")}
    out["status_key"] = FileStatus.WRITTEN if row.get("status") == FileStatus.RECORDED else row.get("status")
    out["at"] = row.get("created_at") if row.get("direction") == "IN" else row.get("delivered_at")
    return out


def _as_dict(f: BatchFile) -> dict[str, Any]:
    return {column.name: getattr(f, column.name) for column in FILE_COLUMNS}


def _answered_batch(f: BatchFile) -> str | None:
    """The batch a PAYOUT_RESULT file answers, from the instructions it settled."""
    if f.file_type != "PAYOUT_RESULT":
        return None
    row = (PayoutBatch.select(PayoutBatch.batch_id).join(PayoutInstruction)
           .where(PayoutInstruction.result_file == f.id).first())
    return row.batch_id if row else None
