"""Bank NTT's account statements (MT940, contract section 10): the one import path.

`import_bytes` is what `statement import`, the statements page and `bank_pull` all call: the
checks and the one-transaction apply are `core.statements.importer`; this module adds the
crash points (`bank_pull.statement_<step>`, jobs/crashpoints.py) and, for `bank_pull`, the fetch of
files matching `statement.file_pattern` from the bank's download directory through the
same SFTP client, staging, archive and quarantine as the result files (`jobs.incoming`):

1. fetch to staging;
2. in ONE transaction: import the statement and record the file (PROCESSED, or DUPLICATE
   when the statement was imported before); a rejected statement is recorded REJECTED,
   quarantined, and fails the run with the reason (nothing of it applied);
3. settle the remote copy (`after_download`), then archive the local one.
A crash between any two steps is finished by the next run: the file is fetched again and
either found recorded (only settled and archived) or imported then.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.context import AppContext
from core.db import write_tx
from core.statements.importer import ImportOutcome, import_statement
from core.statements.parse import StatementRejected
from core.text import fmt
from core.text.i18n import t
from jobs import crashpoints
from jobs.incoming import Inbound, _archive, _put_away
from jobs.result import JobError, JobResult
from jobs.runlog import current_run_id
from jobs.sftp.client import Downloaded
from jobs.transfer import local_dir, open_sftp
from models import BatchFile, FileStatus, utcnow

FILE_TYPE = "BANK_STATEMENT"  # BatchFile.file_type of a statement (no layout: MT940 is read by mt-940)
PARTNER = "bank"
ACTOR = "job:bank_pull"
# The incoming flow's description of a statement file: jobs.incoming puts its copies away
# (archive, quarantine) and finishes what an interrupted run left in staging.
INBOUND = Inbound(job="bank_pull", partner=PARTNER, file_type=FILE_TYPE, applier=lambda *_: None)


def import_bytes(ctx: AppContext, data: bytes, file_name: str, actor: str) -> ImportOutcome:
    """Import one statement (raises StatementRejected: nothing applied)."""
    return import_statement(ctx.settings, data, file_name, actor, hook=_crash_point)


def _crash_point(step: str) -> None:
    crashpoints.hit(f"bank_pull.statement_{step}")


def import_file(ctx: AppContext, path: Path, actor: str) -> ImportOutcome:
    """`statement import PATH`: the file's bytes and name (raises OSError, StatementRejected)."""
    return import_bytes(ctx, path.read_bytes(), path.name, actor)


def describe(outcome: ImportOutcome, file_name: str, lang: str = "id") -> list[str]:
    """What an import did, in lines for a person (the run log, the command line, the page)."""
    s = outcome.statement
    if not outcome.imported:
        return [t("statement.duplicate", lang, file=file_name, reference=s.reference, number=s.number)]
    lines = [t("statement.imported", lang, reference=s.reference, number=s.number, lines=outcome.lines,
               matched=outcome.matched, exceptions=sum(outcome.exceptions.values()))]
    if outcome.gap:
        lines.append(t("statement.gap", lang, opening=fmt.rupiah(s.opening_balance),
                       previous=fmt.rupiah(s.opening_balance - outcome.gap), gap=fmt.rupiah(outcome.gap)))
    if outcome.cleared_missing:
        lines.append(t("statement.cleared_missing", lang, count=outcome.cleared_missing))
    lines += [f"{kind}: {n}" for kind, n in sorted(outcome.exceptions.items())]
    return lines


def pull_statements(ctx: AppContext, log: logging.Logger, result: JobResult) -> None:
    """bank_pull's statement step: every statement file waiting in the bank's download directory."""
    pattern = ctx.settings.statement.file_pattern
    staging = local_dir(ctx, "staging", PARTNER)
    with open_sftp(ctx, PARTNER) as sftp:
        remote_files = sftp.list_files(pattern)
        log.info("%d rekening koran (%s) di server Bank NTT", len(remote_files), pattern)
        for remote in remote_files:
            got = sftp.download(remote.name, staging)  # 1. fetch to staging
            crashpoints.hit("bank_pull.statement_after_download")
            batch_file = _take(ctx, log, got, result)  # 2. import and record, one transaction
            sftp.settle(remote.name)  # 3. settle the remote copy, then the local one
            crashpoints.hit("bank_pull.statement_after_finish_remote")
            _archive(ctx, INBOUND, batch_file, got.local_path)


def _take(ctx: AppContext, log: logging.Logger, got: Downloaded, result: JobResult) -> BatchFile:
    seen = (BatchFile.select().where(BatchFile.direction == "IN", BatchFile.partner == PARTNER,
                                     BatchFile.file_type == FILE_TYPE, BatchFile.sha256 == got.sha256,
                                     BatchFile.name == got.name).first())
    if seen is not None:
        log.info("%s sudah tercatat (%s): hanya diselesaikan di server", got.name, seen.status)
        return seen
    try:
        with write_tx():
            outcome = import_bytes(ctx, got.local_path.read_bytes(), got.name, ACTOR)
            s = outcome.statement
            status = FileStatus.PROCESSED if outcome.imported else FileStatus.DUPLICATE
            batch_file = _record(got, status, file_id=f"{s.reference} {s.number}"[:64],
                                 record_count=s.line_count, applied_count=outcome.lines,
                                 control_total=s.debit_total,
                                 ignore_reason=None if outcome.imported else describe(outcome, got.name)[0])
    except StatementRejected as rejected:
        return _reject(ctx, log, got, rejected, result)
    for line in describe(outcome, got.name):
        log.info("%s", line)
    result.add("statements" if outcome.imported else "duplicate_statements")
    if outcome.gap:
        result.warn(describe(outcome, got.name)[1])
    if outcome.exceptions:
        result.add("statement_exceptions", sum(outcome.exceptions.values()))
        result.warn(f"{got.name}: " + ", ".join(f"{k} {n}" for k, n in sorted(outcome.exceptions.items())))
    return batch_file


def _reject(ctx: AppContext, log: logging.Logger, got: Downloaded, rejected: StatementRejected,
            result: JobResult) -> BatchFile:
    reason, reason_en = t(rejected.key, "id", **rejected.params), t(rejected.key, "en", **rejected.params)
    batch_file = _record(got, FileStatus.REJECTED, error=reason, processed_at=utcnow())
    kept = _put_away(ctx, INBOUND, batch_file, got.local_path)
    log.warning("Rekening koran %s ditolak seluruhnya: %s", got.name, reason)
    result.add("rejected_files")
    result.fail(JobError(f"{t('statement.rejected', 'id', file=got.name, reason=reason)} ({kept})",
                         cause="file_rejected", permanent=True,
                         english=t("statement.rejected", "en", file=got.name, reason=reason_en)))
    return batch_file


def _record(got: Downloaded, status: str, **fields: object) -> BatchFile:
    with write_tx():
        return BatchFile.create(direction="IN", partner=PARTNER, file_type=FILE_TYPE, name=got.name,
                                sha256=got.sha256, status=status, local_path=str(got.local_path),
                                job_run=current_run_id(), processed_at=fields.pop("processed_at", utcnow()),
                                **fields)
