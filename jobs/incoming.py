"""Pulling a partner's files: download, check, record, apply in chunks, then archive remotely.

The steps and why they are in this order (each step is durable before the next starts):

1. Finish any file recorded earlier but not fully applied (a crash mid-apply): it is in
   local staging, and its `applied_through_line` says where to continue.
2. For each remote file matching the layout's name: download to staging (`name.part`,
   renamed when complete), then:
   - the same bytes already recorded under the same name: ours from an interrupted run
     (or `after_download: keep`): only the remote step is finished;
   - check the whole file; rejected -> recorded REJECTED, kept in quarantine, nothing applied;
   - the same bytes under another name, or the name or file_id of a file already
     applied -> recorded DUPLICATE, nothing applied;
   - otherwise recorded RECEIVED (name, SHA-256, file_id), then applied chunk by chunk:
     each chunk, its record errors and the progress mark commit in one transaction, so a
     crash loses or repeats nothing; then PROCESSED (or PROCESSED_WITH_ERRORS).
3. Only then `after_download` (move/delete/keep) on the server, and the local copy goes
   to the archive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from core.context import AppContext
from core.db import bulk_insert, write_tx
from core.files.layout import FileCheck, FileRejected, Record, check_file, read_records
from core.files.layout import RecordError as BadRecord
from jobs import crashpoints
from jobs.result import JobError, JobResult
from jobs.runlog import current_run_id
from jobs.sftp.client import SftpClient
from jobs.transfer import local_dir, move_aside, open_sftp, partner_label, today
from models import BatchFile, RecordError, utcnow

CHUNK_RECORDS = 20000  # records per transaction: big enough for bulk inserts, small enough to show progress
MAX_STORED_ERRORS = 5000  # per file; every bad record is still counted
MAX_WARNINGS = 50  # record problems copied into the run's warnings
APPLIED = ("RECEIVED", "PROCESSED", "PROCESSED_WITH_ERRORS")


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
    result = JobResult()
    for pending in BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == inbound.partner,
                                            BatchFile.file_type == inbound.file_type,
                                            BatchFile.status == "RECEIVED").order_by(BatchFile.id):
        log.info("Melanjutkan berkas %s yang terputus di baris %d", pending.name,
                 pending.applied_through_line or 0)
        _resume(ctx, log, inbound, pending, result)
    _tidy_staging(ctx, inbound)
    layout = ctx.layouts[inbound.file_type]
    with open_sftp(ctx, inbound.partner) as sftp:
        remote_files = [f for f in sftp.list_files(layout.file_name.glob) if layout.match_name(f.name)]
        log.info("%d berkas %s di server %s", len(remote_files), inbound.file_type,
                 partner_label(inbound.partner))
        for remote in remote_files:
            _pull_one(ctx, log, inbound, sftp, remote.name, result)
    return result


def _pull_one(ctx: AppContext, log: logging.Logger, inbound: Inbound, sftp: SftpClient, name: str,
              result: JobResult) -> None:
    job = inbound.job
    got = sftp.download(name, local_dir(ctx, "staging", inbound.partner))
    crashpoints.hit(f"{job}.after_download")
    seen = _find(inbound, BatchFile.sha256 == got.sha256)
    if seen is not None and seen.name == name:
        log.info("%s sudah tercatat (%s): hanya diselesaikan di server", name, seen.status)
        _finish_remote(ctx, inbound, sftp, name, got.local_path, seen)
        return
    layout = ctx.layouts[inbound.file_type]
    try:
        check = _check(ctx, inbound, got.local_path)
    except _Rejected as rejected:
        _reject(ctx, log, inbound, sftp, name, got, rejected, result)
        return
    duplicate = seen or _find(inbound, BatchFile.name == name, BatchFile.status.in_(APPLIED)) or (
        _find(inbound, BatchFile.file_id == str(check.header.get("file_id")), BatchFile.status.in_(APPLIED)))
    if duplicate is not None:
        _duplicate(ctx, log, inbound, sftp, name, got, check, duplicate, result)
        return
    with write_tx():
        batch_file = BatchFile.create(
            direction="IN", partner=inbound.partner, file_type=layout.file_type, name=name, sha256=got.sha256,
            file_id=str(check.header.get("file_id")), status="RECEIVED", record_count=check.detail_count,
            control_total=check.control_total, local_path=str(got.local_path), job_run=_run_id(ctx))
    crashpoints.hit(f"{job}.after_record_file")
    _apply(ctx, log, inbound, batch_file, check.header, result)
    _finish_remote(ctx, inbound, sftp, name, got.local_path, batch_file)


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


def _apply(ctx: AppContext, log: logging.Logger, inbound: Inbound, batch_file: BatchFile,
           header: dict[str, Any], result: JobResult) -> None:
    layout = ctx.layouts[inbound.file_type]
    applier = inbound.applier(ctx, batch_file, header)
    stored_errors = RecordError.select().where(RecordError.batch_file == batch_file.id).count()
    chunk: list[Record | BadRecord] = []
    chunks = 0
    done = batch_file.applied_through_line or 0

    def flush() -> None:
        nonlocal stored_errors, chunks
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
        if len(chunk) >= CHUNK_RECORDS and item.line_no != chunk[-1].line_no:
            flush()
        chunk.append(item)
    if chunk:
        flush()
    with write_tx():
        status = "PROCESSED_WITH_ERRORS" if batch_file.error_count else "PROCESSED"
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


def _finish_remote(ctx: AppContext, inbound: Inbound, sftp: SftpClient, name: str, local: Path,
                   batch_file: BatchFile) -> None:
    sftp.finish_download(name)
    crashpoints.hit(f"{inbound.job}.after_finish_remote")
    recorded = Path(batch_file.local_path) if batch_file.local_path else None
    if recorded is not None and recorded.exists() and recorded.parent == local.parent:
        kind = "quarantine" if batch_file.status == "REJECTED" else "archive"
        archived = move_aside(recorded, local_dir(ctx, kind, inbound.partner), f"f{batch_file.id}")
        BatchFile.update(local_path=str(archived)).where(BatchFile.id == batch_file.id).execute()
    if local.exists() and (recorded is None or local.resolve() != recorded.resolve()):
        local.unlink()  # a second copy of a file already kept


def _tidy_staging(ctx: AppContext, inbound: Inbound) -> None:
    """Local copies of files already dealt with but still in staging (a crash after the remote step)."""
    staging = local_dir(ctx, "staging", inbound.partner)
    done = BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == inbound.partner,
                                    BatchFile.status != "RECEIVED",
                                    BatchFile.local_path.startswith(str(staging)))
    for batch_file in done:
        path = Path(batch_file.local_path)
        if path.parent == staging and path.exists():
            kind = "quarantine" if batch_file.status == "REJECTED" else "archive"
            moved = move_aside(path, local_dir(ctx, kind, inbound.partner), f"f{batch_file.id}")
            BatchFile.update(local_path=str(moved)).where(BatchFile.id == batch_file.id).execute()


def _reject(ctx: AppContext, log: logging.Logger, inbound: Inbound, sftp: SftpClient, name: str, got: Any,
            rejected: _Rejected, result: JobResult) -> None:
    with write_tx():
        batch_file = BatchFile.create(
            direction="IN", partner=inbound.partner, file_type=inbound.file_type, name=name,
            sha256=got.sha256, status="REJECTED", error=rejected.reason, local_path=str(got.local_path),
            job_run=_run_id(ctx), processed_at=utcnow())
    kept = move_aside(got.local_path, local_dir(ctx, "quarantine", inbound.partner), f"f{batch_file.id}")
    BatchFile.update(local_path=str(kept)).where(BatchFile.id == batch_file.id).execute()
    sftp.finish_download(name)
    label = partner_label(inbound.partner)
    log.warning("Berkas %s ditolak seluruhnya: %s", name, rejected.reason)
    result.add("rejected_files")
    result.fail(JobError(
        f"Berkas {name} ditolak seluruhnya: {rejected.reason}. Tidak ada data dari berkas ini yang "
        f"diterapkan; berkas disimpan di karantina ({kept}). Minta {label} mengirim ulang berkas yang benar.",
        cause="file_rejected", permanent=True,
        english=f"File {name} rejected whole: {rejected.reason}. Nothing applied; ask {label} to resend it."))


def _duplicate(ctx: AppContext, log: logging.Logger, inbound: Inbound, sftp: SftpClient, name: str, got: Any,
               check: FileCheck, original: BatchFile, result: JobResult) -> None:
    why = ("isinya sama persis" if original.sha256 == got.sha256 else
           "namanya sama" if original.name == name else f"file_id {check.header.get('file_id')} sama")
    reason = (f"Duplikat dari {original.name} (diterima {original.created_at:%Y-%m-%d}): {why}; "
              "tidak diterapkan")
    with write_tx():
        batch_file = BatchFile.create(
            direction="IN", partner=inbound.partner, file_type=inbound.file_type, name=name,
            sha256=got.sha256, file_id=str(check.header.get("file_id")), status="DUPLICATE",
            duplicate_of=original.id, ignore_reason=reason, record_count=check.detail_count,
            control_total=check.control_total, local_path=str(got.local_path), job_run=_run_id(ctx),
            processed_at=utcnow())
    log.warning("Berkas %s: %s", name, reason)
    result.add("duplicate_files")
    result.warn(f"Berkas {name}: {reason}")
    _finish_remote(ctx, inbound, sftp, name, got.local_path, batch_file)


def _find(inbound: Inbound, *where: Any) -> BatchFile | None:
    return (BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == inbound.partner,
                                     *where)
            .order_by(BatchFile.id).first())


def _run_id(ctx: AppContext) -> int | None:
    return current_run_id()


def _clip(value: str | None, limit: int = 200) -> str | None:
    return value if value is None or len(value) <= limit else value[:limit - 1] + "…"
