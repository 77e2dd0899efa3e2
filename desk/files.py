"""What people do to partners' files: download a copy, ignore a rejected file, reprocess it.

- Download (supervisor and up): the kept local copy (archive, quarantine or outgoing);
  audited with the file's SHA-256, so who took which bytes is on record.
- Ignore (supervisor and up): a rejected file nobody will resend is marked IGNORED with
  a reason; it stays in quarantine and in the list. Dropping a partner's data is a
  supervisor's decision, like cancelling a claim.
- Reprocess (coordinator and up): a rejected file is never re-read as it was (its totals
  or header are wrong, so nothing of it may be applied). The partner fixes it and puts
  the corrected file on its server, under the same name or a new one; the next pull
  takes it as a new file, because a rejected file does not count as "already
  processed". Reprocess starts that pull now, instead of waiting for the schedule; the
  rejected row then shows the file that replaced it (`replacement_of`).
"""

from __future__ import annotations

from pathlib import Path

from core.audit import audit
from core.context import AppContext
from core.db import write_tx
from desk.acting import acting_user, clean_text
from desk.jobs import start
from desk.permissions import Action
from desk.refusal import Refused
from desk.scope import ensure_province
from jobs.failed_files import replacement_of as replacement_of  # the rejected file's page shows it
from jobs.registry import JOBS
from models import BatchFile, FileStatus, JobRun, utcnow

PULL_JOBS = {(j.partner, j.file_type): j.id for j in JOBS.values() if j.direction == "IN"}


def file_for_download(file_id: int, username: str) -> tuple[Path, str]:
    """(local path, file name) of a kept file for `username` (supervisor and up), audited."""
    actor = acting_user(username, Action.DOWNLOAD_FILE)
    ensure_province(actor, "scope.what.file")  # a partner file holds every kabupaten's claims (section 8)
    batch_file = _file(file_id)
    path = Path(batch_file.local_path) if batch_file.local_path else None
    if path is None or not path.is_file():
        raise Refused("files.error.no_copy", name=batch_file.name)
    audit("FILE_DOWNLOAD", username=actor.username, target=batch_file.name,
          details={"file_id": batch_file.id, "sha256": batch_file.sha256})
    return path, batch_file.name


def ignore_file(file_id: int, username: str, reason: str | None) -> BatchFile:
    """Mark a rejected incoming file IGNORED with a reason (supervisor and up)."""
    actor = acting_user(username, Action.IGNORE_FILE)
    why = clean_text(reason, required=True)
    with write_tx():
        batch_file = _file(file_id)
        changed = (BatchFile.update(status=FileStatus.IGNORED, ignore_reason=why, processed_at=utcnow())
                   .where(BatchFile.id == file_id, BatchFile.direction == "IN",
                          BatchFile.status == FileStatus.REJECTED)
                   .execute())
        if changed != 1:
            raise Refused("files.error.not_rejected", name=batch_file.name)
        audit("FILE_IGNORED", username=actor.username, target=batch_file.name,
              details={"file_id": batch_file.id, "reason": why})
    return BatchFile.get_by_id(file_id)


def reprocess_file(ctx: AppContext, file_id: int, username: str) -> JobRun:
    """Start the partner's pull now, to take the file that replaces a rejected one (coordinator and up).

    Raises Refused (not a rejected incoming file, the role may not, the pull is running)
    before anything is written; returns the RUNNING run.
    """
    actor = acting_user(username, Action.REPROCESS_FILE)
    batch_file = _file(file_id)
    job_id = PULL_JOBS.get((batch_file.partner, batch_file.file_type))
    if batch_file.direction != "IN" or batch_file.status != FileStatus.REJECTED or job_id is None:
        raise Refused("files.error.not_rejected", name=batch_file.name)
    run = start(ctx, job_id, "manual", actor)
    audit("FILE_REPROCESS", username=actor.username, target=batch_file.name,
          details={"file_id": batch_file.id, "run_id": run.id, "job": job_id})
    return run


def _file(file_id: int) -> BatchFile:
    batch_file = BatchFile.get_or_none(BatchFile.id == file_id)
    if batch_file is None:
        raise Refused("files.error.not_found", file=str(file_id))
    return batch_file
