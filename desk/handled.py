"""Marking a failure handled: a failed job run, or a rejected (quarantined) incoming file, that a
person dealt with (re-ran it, had the partner resend the file, decided to leave it), with a note.

Why: a failure used to stay red forever; now the jobs and files pages separate OPEN failures
from HANDLED ones, and each handled one says who dealt with it, when and what was done.
Coordinator and up (`Action.MARK_HANDLED`), with a required note, audited (RUN_HANDLED,
FILE_HANDLED). The open alerts of that run or file are acknowledged with the same note in the
same transaction: an alert is "act on this", and the failure it points at is acted on.
Marking is a conditional update (still failed/rejected, not yet handled), so two people
clicking at once cannot both mark it, and a refusal writes nothing.
"""

from __future__ import annotations

from core.audit import audit
from core.db import write_tx
from desk.acting import acting_user, clean_text
from desk.permissions import Action
from desk.refusal import Refused
from models import Alert, BatchFile, FileStatus, JobRun, RunOutcome, User, utcnow

HANDLED_FILE_STATUSES = (FileStatus.REJECTED,)  # an incoming file kept in quarantine


def mark_run_handled(run_id: int, username: str, note: str | None) -> JobRun:
    """Mark the failed run `run_id` handled with `note` (coordinator and up); returns the run.

    Raises Refused (no such run, not a failed run, already handled, empty note) writing nothing.
    """
    actor = acting_user(username, Action.MARK_HANDLED)
    text = clean_text(note, required=True)
    with write_tx():
        run = JobRun.get_or_none(JobRun.id == run_id)
        if run is None:
            raise Refused("runs.error.not_found", run=str(run_id))
        if run.outcome != RunOutcome.FAILED:
            raise Refused("runs.error.not_failed", run=str(run_id))
        now = utcnow()
        done = (JobRun.update(handled_at=now, handled_by=actor.username, handled_note=text)
                .where(JobRun.id == run_id, JobRun.outcome == RunOutcome.FAILED, JobRun.handled_at.is_null())
                .execute())
        if done != 1:
            raise Refused("handled.error.run_already", run=str(run_id), by=run.handled_by or "-")
        alerts = _acknowledge(Alert.job_run == run_id, actor, text)
        audit("RUN_HANDLED", username=actor.username, target=f"{run.job} #{run.id}",
              details={"run_id": run.id, "note": text, "alerts": alerts})
    return JobRun.get_by_id(run_id)


def mark_file_handled(file_id: int, username: str, note: str | None) -> BatchFile:
    """Mark the rejected incoming file `file_id` handled with `note` (coordinator and up).

    Raises Refused (no such file, not rejected, already handled, empty note) writing nothing.
    """
    actor = acting_user(username, Action.MARK_HANDLED)
    text = clean_text(note, required=True)
    with write_tx():
        batch_file = BatchFile.get_or_none(BatchFile.id == file_id)
        if batch_file is None:
            raise Refused("files.error.not_found", file=str(file_id))
        if batch_file.direction != "IN" or batch_file.status not in HANDLED_FILE_STATUSES:
            raise Refused("files.error.not_rejected", name=batch_file.name)
        now = utcnow()
        done = (BatchFile.update(handled_at=now, handled_by=actor.username, handled_note=text)
                .where(BatchFile.id == file_id, BatchFile.status.in_(HANDLED_FILE_STATUSES),
                       BatchFile.handled_at.is_null())
                .execute())
        if done != 1:
            raise Refused("handled.error.file_already", name=batch_file.name, by=batch_file.handled_by or "-")
        alerts = _acknowledge(Alert.batch_file == file_id, actor, text)
        audit("FILE_HANDLED", username=actor.username, target=batch_file.name,
              details={"file_id": batch_file.id, "note": text, "alerts": alerts})
    return BatchFile.get_by_id(file_id)


def _acknowledge(which, actor: User, note: str) -> list[int]:
    """Acknowledge the open alerts matching `which` with the handling note; their ids."""
    ids = [a for (a,) in Alert.select(Alert.id).where(which, Alert.acknowledged_at.is_null()).tuples()]
    if ids:
        (Alert.update(acknowledged_at=utcnow(), acknowledged_by=actor.id, acknowledge_note=note)
         .where(Alert.id.in_(ids), Alert.acknowledged_at.is_null()).execute())
    return ids
