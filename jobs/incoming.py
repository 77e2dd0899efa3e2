"""Pulling a partner's files, as a straight line: fetch to staging, decide and apply locally,
then settle the remote copy once.

Each step is durable before the next starts, so a crash at any line leaves a trace from
which the next run finishes the work without applying anything twice:

0. Before connecting, what an interrupted run left: a file recorded but not fully applied
   (a crash mid-apply) is in local staging and its `applied_through_line` says where to
   continue; a file recorded as dealt with but still in staging (a crash before its local
   copy was put away) goes to the archive or quarantine.
1. Fetch: each remote file matching the layout's name is downloaded to staging (`name.part`,
   renamed when complete). Nothing is recorded yet: after a crash it is simply fetched again.
2. Decide and apply, locally and in the database only; the outcome is the file's record:
   - the same bytes already recorded under the same name: ours from an interrupted run
     (or `after_download: keep`): nothing more to do here;
   - check the whole file; rejected -> recorded REJECTED, kept in quarantine, nothing applied;
   - the same bytes under another name, or the name or file_id of a file already
     applied -> recorded DUPLICATE, nothing applied;
   - otherwise recorded RECEIVED (name, SHA-256, file_id), then applied chunk by chunk:
     each chunk, its record errors and the progress mark commit in one transaction, so a
     crash loses or repeats nothing; then PROCESSED (or PROCESSED_WITH_ERRORS).
3. Settle: only once the file is recorded, one call applies `after_download` (move, delete
   or keep) on the server; then the local copy leaves staging. Until the remote step is
   done the file is still on the server, and step 2 finds it already recorded next time.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from core.context import AppContext
from core.db import bulk_insert, is_sqlite, write_tx
from core.files.layout import FileCheck, FileRejected, Record, check_file, read_records
from core.files.layout import RecordError as BadRecord
from core.turnstile import HoldBudget
from jobs import crashpoints
from jobs.result import JobError, JobResult
from jobs.runlog import current_run_id
from jobs.sftp.client import Downloaded
from jobs.transfer import local_dir, open_sftp, partner_label, today
from models import BatchFile, FileStatus, RecordError, utcnow

CHUNK_RECORDS = 20000  # records per transaction at most; fewer on SQLite when that holds the lock long
MAX_STORED_ERRORS = 5000  # per file; every bad record is still counted
MAX_WARNINGS = 50  # record problems copied into the run's warnings


@dataclass
class ChunkReport:
    """What applying one chunk did: counts for the run, notes for the file's report."""

    counts: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[int, str | None, str,
                      str | None]] = field(default_factory=list)  # line, field, msg, key


class Applier(Protocol):
    def apply(self, records: list[tuple[int, dict[str, Any]]]) -> ChunkReport: ...


@dataclass(frozen=True)
class Inbound:
    """One partner's incoming file type."""

    job: str
    partner: str
    file_type: str
    applier: Callable[[AppContext, BatchFile, dict[str, Any]], Applier]  # (ctx, file, header)
    check_header: Callable[[AppContext, dict[str, Any]], str | None] | None = None  # -> rejection reason


class _Rejected(Exception):
    def __init__(self, reason: str, code: str):
        self.reason, self.code = reason, code
        super().__init__(reason)


def pull_files(ctx: AppContext, log: logging.Logger, inbound: Inbound) -> JobResult:
    """Every new file of the partner's type, each taken through the three steps of the module docstring."""
    result = JobResult()
    _finish_interrupted(ctx, log, inbound, result)
    layout = ctx.layouts[inbound.file_type]
    staging = local_dir(ctx, "staging", inbound.partner)
    with open_sftp(ctx, inbound.partner) as sftp:
        remote_files = [f for f in sftp.list_files(layout.file_name.glob) if layout.match_name(f.name)]
        log.info("%d berkas %s di server %s", len(remote_files), inbound.file_type,
                 partner_label(inbound.partner))
        for remote in remote_files:
            got = sftp.download(remote.name, staging)  # 1. fetch to staging
            crashpoints.hit(f"{inbound.job}.after_download")
            batch_file = _take(ctx, log, inbound, got, result)  # 2. decide and apply locally
            sftp.settle(remote.name)  # 3. settle the remote copy, once it is recorded...
            crashpoints.hit(f"{inbound.job}.after_finish_remote")
            _archive(ctx, inbound, batch_file, got.local_path)  # ... then the local one
    return result


def _finish_interrupted(ctx: AppContext, log: logging.Logger, inbound: Inbound, result: JobResult) -> None:
    """Step 0: apply the rest of files left RECEIVED, put away files dealt with but still in staging."""
    for pending in BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == inbound.partner,
                                            BatchFile.file_type == inbound.file_type,
                                            BatchFile.status == FileStatus.RECEIVED).order_by(BatchFile.id):
        log.info("Melanjutkan berkas %s yang terputus di baris %d", pending.name,
                 pending.applied_through_line or 0)
        _resume(ctx, log, inbound, pending, result)
    staging = local_dir(ctx, "staging", inbound.partner)
    done = BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == inbound.partner,
                                    BatchFile.status != FileStatus.RECEIVED,
                                    BatchFile.local_path.startswith(str(staging)))
    for batch_file in done:
        path = Path(batch_file.local_path)
        if path.parent == staging and path.exists():
            _put_away(ctx, inbound, batch_file, path)


def _resume(ctx: AppContext, log: logging.Logger, inbound: Inbound, batch_file: BatchFile,
            result: JobResult) -> None:
    path = Path(batch_file.local_path or "")
    try:
        check = _check(ctx, inbound, path)
    except (_Rejected, OSError) as exc:
        raise JobError(f"Berkas {batch_file.name} yang sedang diterapkan tidak dapat dibaca lagi dari {path} "
                       f"({exc}). Jangan hapus berkas di folder staging; hubungi admin sistem.",
                       cause="internal") from exc
    _apply(ctx, log, inbound, batch_file, check.header, result)


# --- step 2: decide and apply, locally ---------------------------------------------------------

def _take(ctx: AppContext, log: logging.Logger, inbound: Inbound, got: Downloaded,
          result: JobResult) -> BatchFile:
    """What the downloaded file is, acted on locally; returns the record that now accounts for it."""
    seen = _find(inbound, BatchFile.sha256 == got.sha256)
    if seen is not None and seen.name == got.name:
        log.info("%s sudah tercatat (%s): hanya diselesaikan di server", got.name, seen.status)
        return seen
    try:
        check = _check(ctx, inbound, got.local_path)
    except _Rejected as rejected:
        return _reject(ctx, log, inbound, got, rejected, result)
    applied = BatchFile.status.in_(FileStatus.APPLIED)
    original = seen or _find(inbound, BatchFile.name == got.name, applied) or (
        _find(inbound, BatchFile.file_id == str(check.header.get("file_id")), applied))
    if original is not None:
        return _duplicate(log, inbound, got, check, original, result)
    batch_file = _record(inbound, got, FileStatus.RECEIVED, file_id=str(check.header.get("file_id")),
                         record_count=check.detail_count, control_total=check.control_total)
    crashpoints.hit(f"{inbound.job}.after_record_file")
    _apply(ctx, log, inbound, batch_file, check.header, result)
    return batch_file


def _check(ctx: AppContext, inbound: Inbound, path: Path) -> FileCheck:
    layout = ctx.layouts[inbound.file_type]
    try:
        check = check_file(layout, path, expected_sender=ctx.settings.partner(inbound.partner).id,
                           expected_receiver=ctx.settings.organisation_id, today=today(ctx))
    except FileRejected as rejected:
        raise _Rejected(rejected.reason, rejected.code) from rejected
    if inbound.check_header is not None:
        reason = inbound.check_header(ctx, check.header)
        if reason:
            raise _Rejected(reason, "unknown_reference")
    return check


def _reject(ctx: AppContext, log: logging.Logger, inbound: Inbound, got: Downloaded, rejected: _Rejected,
            result: JobResult) -> BatchFile:
    batch_file = _record(inbound, got, FileStatus.REJECTED, error=rejected.reason, processed_at=utcnow())
    kept = _put_away(ctx, inbound, batch_file, got.local_path)
    name, label = got.name, partner_label(inbound.partner)
    log.warning("Berkas %s ditolak seluruhnya: %s", name, rejected.reason)
    result.add("rejected_files")
    result.fail(JobError(
        f"Berkas {name} ditolak seluruhnya: {rejected.reason}. Tidak ada data dari berkas ini yang "
        f"diterapkan; berkas disimpan di karantina ({kept}). Minta {label} mengirim ulang berkas yang benar.",
        cause="file_rejected", permanent=True,
        english=f"File {name} rejected whole: {rejected.reason}. Nothing applied; ask {label} to resend it."))
    return batch_file


def _duplicate(log: logging.Logger, inbound: Inbound, got: Downloaded, check: FileCheck, original: BatchFile,
               result: JobResult) -> BatchFile:
    why = ("isinya sama persis" if original.sha256 == got.sha256 else
           "namanya sama" if original.name == got.name else f"file_id {check.header.get('file_id')} sama")
    reason = (f"Duplikat dari {original.name} (diterima {original.created_at:%Y-%m-%d}): {why}; "
              "tidak diterapkan")
    batch_file = _record(inbound, got, FileStatus.DUPLICATE, file_id=str(check.header.get("file_id")),
                         duplicate_of=original.id, ignore_reason=reason, record_count=check.detail_count,
                         control_total=check.control_total, processed_at=utcnow())
    log.warning("Berkas %s: %s", got.name, reason)
    result.add("duplicate_files")
    result.warn(f"Berkas {got.name}: {reason}")
    return batch_file


def _record(inbound: Inbound, got: Downloaded, status: str, **fields: Any) -> BatchFile:
    """The file's record, pointing at its copy in staging (one transaction)."""
    with write_tx():
        return BatchFile.create(direction="IN", partner=inbound.partner, file_type=inbound.file_type,
                                name=got.name, sha256=got.sha256, status=status,
                                local_path=str(got.local_path), job_run=current_run_id(), **fields)


def _apply(ctx: AppContext, log: logging.Logger, inbound: Inbound, batch_file: BatchFile,
           header: dict[str, Any], result: JobResult) -> None:
    layout = ctx.layouts[inbound.file_type]
    applier = inbound.applier(ctx, batch_file, header)
    stored_errors = RecordError.select().where(RecordError.batch_file == batch_file.id).count()
    chunk: list[Record | BadRecord] = []
    chunks = 0
    done = batch_file.applied_through_line or 0
    # A chunk holds SQLite's write lock about a second: a login waits for one chunk, not the file.
    budget = HoldBudget(CHUNK_RECORDS, sqlite=is_sqlite())

    def flush() -> None:
        nonlocal stored_errors, chunks
        with budget.timing(len(chunk)):
            stored_errors += _apply_chunk(log, inbound, applier, batch_file, chunk, stored_errors, result)
        chunk.clear()
        chunks += 1
        if chunks == 1:
            crashpoints.hit(f"{inbound.job}.mid_apply")

    items = read_records(layout, Path(batch_file.local_path), expected_sender=ctx.settings.partner(
        inbound.partner).id, expected_receiver=ctx.settings.organisation_id, today=today(ctx))
    for item in items:
        if item.line_no <= done:
            continue
        if len(chunk) >= budget.size and item.line_no != chunk[-1].line_no:
            flush()
        chunk.append(item)
    if chunk:
        flush()
    with write_tx():
        status = FileStatus.PROCESSED_WITH_ERRORS if batch_file.error_count else FileStatus.PROCESSED
        BatchFile.update(status=status, processed_at=utcnow()).where(BatchFile.id == batch_file.id).execute()
        batch_file.status = status
    result.add("files")
    log.info("%s: %d record diterapkan, %d record salah%s", batch_file.name, batch_file.applied_count,
             batch_file.error_count, " (diproses dengan kesalahan)" if batch_file.error_count else "")
    if result.counts.get("warnings_not_listed"):
        log.warning("... dan %d masalah lain: lihat laporan berkas di aplikasi",
                    result.counts["warnings_not_listed"])
    crashpoints.hit(f"{inbound.job}.after_apply")


def _apply_chunk(log: logging.Logger, inbound: Inbound, applier: Applier, batch_file: BatchFile,
                 chunk: list[Record | BadRecord], stored_errors: int, result: JobResult) -> int:
    records = [(i.line_no, i.values) for i in chunk if isinstance(i, Record)]
    bad = [i for i in chunk if not isinstance(i, Record)]
    bad_lines = len({e.line_no for e in bad})
    with write_tx():
        report = applier.apply(records)
        crashpoints.hit(f"{inbound.job}.in_chunk")
        rows = [{"batch_file": batch_file.id, "line_no": e.line_no, "field": e.field, "value": _clip(e.value),
                 "message": e.message if not e.key else f"{e.key}: {e.message}"} for e in bad]
        rows += [{"batch_file": batch_file.id, "line_no": line_no, "field": name, "value": _clip(key),
                  "message": message} for line_no, name, message, key in report.notes]
        room = max(0, MAX_STORED_ERRORS - stored_errors)
        bulk_insert(RecordError, rows[:room])
        last_line = chunk[-1].line_no
        BatchFile.update(applied_count=BatchFile.applied_count + len(records),
                         error_count=BatchFile.error_count + bad_lines,
                         applied_through_line=last_line).where(BatchFile.id == batch_file.id).execute()
    batch_file.applied_count += len(records)
    batch_file.error_count += bad_lines
    batch_file.applied_through_line = last_line
    result.add("records", len(records))
    if bad_lines:
        result.add("bad_records", bad_lines)
    for key, n in report.counts.items():
        result.add(key, n)
    for problem in [str(e) for e in bad] + [f"{batch_file.name} baris {n[0]}: {n[2]}" for n in report.notes]:
        if len(result.warnings) < MAX_WARNINGS:
            result.warn(problem)
            log.warning("%s", problem)
        else:
            result.counts["warnings_not_listed"] = result.counts.get("warnings_not_listed", 0) + 1
    return min(len(rows), room)


# --- step 3, local side: the copy leaves staging ---------------------------------------------

def _archive(ctx: AppContext, inbound: Inbound, batch_file: BatchFile, local: Path) -> None:
    """The recorded copy, if still in staging, goes to the archive (quarantine when rejected); a
    second download of a file already kept is dropped."""
    recorded = Path(batch_file.local_path) if batch_file.local_path else None
    if recorded is not None and recorded.exists() and recorded.parent == local.parent:
        _put_away(ctx, inbound, batch_file, recorded)
    if local.exists() and (recorded is None or local.resolve() != recorded.resolve()):
        local.unlink()


def _put_away(ctx: AppContext, inbound: Inbound, batch_file: BatchFile, path: Path) -> Path:
    """Move a recorded file's local copy out of staging and record where it went.

    A rejected file goes to quarantine (kept as evidence for the partner), any other to the
    archive; a file of the same name already there is never overwritten (the record id goes
    before the suffix).
    """
    kind = "quarantine" if batch_file.status == FileStatus.REJECTED else "archive"
    folder = local_dir(ctx, kind, inbound.partner)
    target = folder / path.name
    if target.exists() and target.resolve() != path.resolve():
        target = folder / f"{path.stem}.f{batch_file.id}{path.suffix}"
    if target.resolve() != path.resolve():
        shutil.move(str(path), target)
    BatchFile.update(local_path=str(target)).where(BatchFile.id == batch_file.id).execute()
    batch_file.local_path = str(target)
    return target


def _find(inbound: Inbound, *where: Any) -> BatchFile | None:
    return (BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == inbound.partner,
                                     *where)
            .order_by(BatchFile.id).first())


def _clip(value: str | None, limit: int = 200) -> str | None:
    return value if value is None or len(value) <= limit else value[:limit - 1] + "…"
