"""What became of the files a failed run rejected: the re-run of a failed run says it plainly.

Why (issue 16): a re-run that found nothing new on the partner's server ended green with
"nothing to do" while the file that made the first run fail was still in quarantine. Now the
re-run (a run with `retry_of`) looks up every incoming file its failed predecessors recorded
REJECTED or IGNORED and names each with its fate:

- `reprocessed`: a later file of the same partner and type, with the same name or file id, has
  been applied (the partner resent it corrected); named with its replacement;
- `ignored`: a supervisor marked it IGNORED (the data is dropped, with a reason);
- `quarantined`: still rejected and kept in quarantine, nothing of it applied. Unless a person
  marked it handled (desk/handled.py), the re-run ends with a warning (not green): somebody
  must still get the partner to resend it, or ignore it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from jobs.result import JobResult
from models import BatchFile, FileStatus, JobRun

MAX_ANCESTORS = 20  # a retry of a retry of ...: far more than the configured retries


@dataclass(frozen=True)
class FailedFile:
    name: str
    fate: str  # reprocessed | ignored | quarantined
    replacement: str | None  # the applied file that took its place (reprocessed)
    handled_by: str | None  # who marked it handled, if anybody


def replacement_of(batch_file: BatchFile) -> BatchFile | None:
    """The file applied after a rejected one that took its place (same name or same file id), if any."""
    same = BatchFile.name == batch_file.name
    if batch_file.file_id:
        same = same | (BatchFile.file_id == batch_file.file_id)
    return (BatchFile.select()
            .where(BatchFile.direction == "IN", BatchFile.partner == batch_file.partner,
                   BatchFile.file_type == batch_file.file_type, BatchFile.id > batch_file.id,
                   BatchFile.status.in_(FileStatus.APPLIED), same)
            .order_by(BatchFile.id).first())


def failed_files(run: JobRun) -> list[FailedFile]:
    """The files the failed runs this run retries rejected, each with its fate now."""
    runs, run_id = [], run.retry_of_id
    while run_id and len(runs) < MAX_ANCESTORS:
        runs.append(run_id)
        run_id = JobRun.select(JobRun.retry_of).where(JobRun.id == run_id).scalar()
    if not runs:
        return []
    rejected = (BatchFile.select().where(BatchFile.job_run.in_(runs), BatchFile.direction == "IN",
                                         BatchFile.status.in_((FileStatus.REJECTED, FileStatus.IGNORED)))
                .order_by(BatchFile.id))
    out = []
    for f in rejected:
        replacement = replacement_of(f)
        fate = ("reprocessed" if replacement else "ignored" if f.status == FileStatus.IGNORED
                else "quarantined")
        out.append(FailedFile(f.name, fate, replacement.name if replacement else None, f.handled_by))
    return out


def report_failed_files(run: JobRun, result: JobResult, job_log: logging.Logger) -> list[FailedFile]:
    """Log each failed file's fate, count it (`failed_file_<fate>`), and warn for one still in
    quarantine that nobody marked handled. Call in a re-run, after the job's work."""
    files = failed_files(run)
    for f in files:
        result.add(f"failed_file_{f.fate}")
        if f.fate == "reprocessed":
            job_log.info("Berkas %s yang membuat run #%s gagal: sudah diproses ulang, diganti %s",
                         f.name, run.retry_of_id, f.replacement)
        elif f.fate == "ignored":
            job_log.info("Berkas %s yang membuat run #%s gagal: diabaikan (IGNORED), datanya tidak dipakai",
                         f.name, run.retry_of_id)
        elif f.handled_by:
            job_log.info("Berkas %s yang membuat run #%s gagal: masih dikarantina, sudah ditandai "
                         "ditangani oleh %s", f.name, run.retry_of_id, f.handled_by)
        else:
            message = (f"Berkas {f.name} yang membuat run #{run.retry_of_id} gagal MASIH DIKARANTINA: "
                       "tidak ada berkas pengganti yang diproses. Minta mitra mengirim ulang berkas yang "
                       "sudah diperbaiki, lalu jalankan ulang; atau abaikan berkas itu di menu Berkas.")
            job_log.warning(message)
            result.warn(message)
    return files


def fates_summary(files: list[FailedFile]) -> str:
    """One phrase for the run's closing line: `berkas X masih dikarantina; berkas Y diproses ulang`."""
    words = {"reprocessed": "sudah diproses ulang", "ignored": "diabaikan",
             "quarantined": "masih dikarantina"}
    return "; ".join(f"berkas gagal {f.name} {words[f.fate]}" for f in files)
