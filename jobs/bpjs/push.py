"""bpjs_push: report final payout outcomes to BPJS in a PAYOUT_STATUS file.

Each claim whose final outcome BPJS has not heard of (`report_pending`: set by the state
machine on PAID and PAYOUT_FAILED, so a later change is pending again) goes in one file,
once: the file, its lines and the claims' "reported" marks (with their events, through the
state machine's `mark_reported`) are recorded in one transaction, then written, uploaded
and marked delivered (`jobs.outgoing`). A claim that left its final status before the
report (a failed payout already sent again) waits for its next outcome.

A file holds at most FILE_LINES claims (on SQLite, as many as its transaction records in about
a second: core/turnstile.py): more outcomes go in several files in one run, each
recorded in its own short transaction, so that the database's write lock is never held for
long (SQLite has one writer: a web login or another job waits for it) and a crash between
two files loses nothing (the next run delivers what was recorded and reports the rest).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from core.claims.states import mark_reported
from core.claims.statuses import FINAL_OUTCOMES, awaiting_report
from core.context import AppContext
from core.db import bulk_insert, is_postgres, is_sqlite, write_tx
from core.files.layout import BadValue
from core.turnstile import HoldBudget
from jobs import crashpoints
from jobs.outgoing import Outbound, connection, deliver, pending
from jobs.registry import get_job
from jobs.result import JobError, JobResult
from jobs.runlog import current_run_id
from jobs.transfer import local_time, next_counter, today
from models import BatchFile, Claim, ClaimStatus, FileStatus, StatusReport, utcnow

S = ClaimStatus
ACTOR = "job:bpjs_push"
PAID, FAILED = "PAID", "FAILED"  # a final outcome in the PAYOUT_STATUS file (StatusReport.status)
REPORTED = {S.PAID: PAID, S.PAYOUT_FAILED: FAILED}  # one label for each of FINAL_OUTCOMES
FILE_LINES = 20_000  # claims per PAYOUT_STATUS file at most; fewer on SQLite when that holds the lock long


def push_payout_status(ctx: AppContext, log: logging.Logger) -> JobResult:
    """Deliver pending status files, then report the final outcomes not yet reported."""
    result = JobResult()
    with connection(ctx, "bpjs") as sftp:
        for batch_file in pending(OUTBOUND):
            log.info("Menyelesaikan berkas status %s yang belum terkirim (%s)", batch_file.name,
                     batch_file.status)
            deliver(ctx, log, OUTBOUND, batch_file, sftp)
            result.add("resent_files")
        if not _awaiting().exists():
            log.info("Tidak ada hasil pembayaran baru untuk dilaporkan ke BPJS")
            return result
        sftp.connect()
        after: int | None = 0
        budget = HoldBudget(FILE_LINES, sqlite=is_sqlite())
        while after is not None:
            with budget.timing(budget.size):
                batch_file, after = record_report(ctx, log, result, after=after, limit=budget.size)
            if batch_file is not None:
                crashpoints.hit("bpjs_push.after_record")
                deliver(ctx, log, OUTBOUND, batch_file, sftp)
    return result


def _awaiting():
    return awaiting_report().where(Claim.status.in_(FINAL_OUTCOMES))


def record_report(ctx: AppContext, log: logging.Logger, result: JobResult, *,
                  after: int = 0, limit: int | None = None) -> tuple[BatchFile | None, int | None]:
    """Record one status file of the next `limit` (FILE_LINES) awaiting claims with an id above `after`.

    Returns the file (None when none of them could be reported) and the id to continue
    after (None when no claim is left to look at).
    """
    layout = ctx.layouts["PAYOUT_STATUS"]
    limit = limit or FILE_LINES
    with write_tx():
        query = _awaiting().where(Claim.id > after).limit(limit)
        if is_postgres():
            query = query.for_update()
        lines, claims, seen = [], [], 0
        last = after
        for claim in query:
            seen, last = seen + 1, claim.id
            line = {"claim_no": claim.claim_no, "status": REPORTED[claim.status],
                    "amount": claim.approved_amount,
                    "bank_reference": claim.bank_reference if claim.status == S.PAID else None,
                    "paid_date": claim.paid_date if claim.status == S.PAID else None,
                    "failure_code": claim.failure_code if claim.status == S.PAYOUT_FAILED else None}
            try:
                layout.detail.render(line, None, None)
            except BadValue as exc:
                log.warning("Klaim %s belum bisa dilaporkan: kolom %s: %s", claim.claim_no, exc.field,
                            exc.reason)
                result.warn(f"Klaim {claim.claim_no} belum bisa dilaporkan ke BPJS: {exc}")
                continue
            lines.append(line)
            claims.append(claim)
        following = last if seen == limit else None
        if not lines:
            return None, following
        day = today(ctx)
        seq = next_counter(f"status_file:{day:%Y%m%d}")
        if seq > 99:  # the file name has two digits for the day's sequence
            raise JobError(f"Sudah 99 berkas status dikirim hari ini ({day:%d/%m/%Y}): nama berkas habis. "
                           "Jalankan lagi besok.", cause="internal")
        name = layout.make_name(date=day, seq=seq)
        created = utcnow().replace(microsecond=0)
        paid_total = sum(line["amount"] for line in lines if line["status"] == PAID)
        batch_file = BatchFile.create(
            direction="OUT", partner="bpjs", file_type="PAYOUT_STATUS", name=name,
            file_id=f"SANTUNAN-STATUS-{day:%Y%m%d}-{seq:02d}", status=FileStatus.RECORDED,
            record_count=len(lines), control_total=paid_total, job_run=current_run_id(), created_at=created)
        bulk_insert(StatusReport, [{"file": batch_file.id, "claim": claim.id, **{k: line[k] for k in (
            "status", "amount", "bank_reference", "paid_date", "failure_code")}}
            for claim, line in zip(claims, lines, strict=True)])
        crashpoints.hit("bpjs_push.mid_record")
        mark_reported([(claim, line["status"]) for claim, line in zip(claims, lines, strict=True)],
                      actor=ACTOR, file_name=name, at=created)
    result.add("reported", len(lines))
    result.add("reported_paid", sum(1 for line in lines if line["status"] == PAID))
    result.add("reported_failed", sum(1 for line in lines if line["status"] == FAILED))
    log.info("Laporan %s dicatat: %d klaim", name, len(lines))
    return batch_file, following


def _header(ctx: AppContext, batch_file: BatchFile) -> dict[str, Any]:
    return {"file_id": batch_file.file_id, "created_at": local_time(ctx, batch_file.created_at),
            "sender": ctx.settings.organisation_id, "receiver": ctx.settings.partner("bpjs").id}


def _records(batch_file: BatchFile) -> Iterable[dict[str, Any]]:
    line = StatusReport
    query = (line.select(Claim.claim_no, line.status, line.amount, line.bank_reference, line.paid_date,
                         line.failure_code)
             .join(Claim).where(line.file == batch_file.id).order_by(line.id).tuples())
    for claim_no, status, amount, reference, paid_date, failure_code in query.iterator():
        yield {"claim_no": claim_no, "status": status, "amount": amount, "bank_reference": reference,
               "paid_date": paid_date, "failure_code": failure_code}


SPEC = get_job("bpjs_push")  # partner and file type are the registry's
OUTBOUND = Outbound(job=SPEC.id, partner=SPEC.partner, file_type=SPEC.file_type, header=_header,
                    records=_records)
