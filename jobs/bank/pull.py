"""bank_pull: fetch PAYOUT_RESULT files from Bank NTT and reconcile them; then its statements.

The file handling is `jobs.incoming`; matching results to instructions and claims is
`core.claims.reconcile`. A file answering a batch we never sent is rejected whole.
"""

from __future__ import annotations

import logging
from typing import Any

from core.claims.reconcile import Reconciler
from core.context import AppContext
from jobs.bank.statement import pull_statements
from jobs.incoming import ChunkReport, Inbound, pull_files
from jobs.registry import get_job
from jobs.result import JobResult
from models import BatchFile, InstructionStatus, PayoutBatch

R = InstructionStatus


class ResultApplier:
    def __init__(self, ctx: AppContext, batch_file: BatchFile, header: dict[str, Any]):
        batch = PayoutBatch.get(PayoutBatch.batch_id == header["batch_id"])
        self.reconciler = Reconciler(batch_file, batch)

    def apply(self, records: list[tuple[int, dict[str, Any]]]) -> ChunkReport:
        report = self.reconciler.apply(records)
        applied = report.applied
        counts = {"paid": applied[R.SUCCESS], "failed": applied[R.FAILED], "returned": applied[R.RETURNED],
                  "repeats": report.repeats,
                  "contradictions": report.contradictions, "unknown_instructions": report.unknown,
                  "completed_batches": len(report.completed_batches)}
        return ChunkReport({k: v for k, v in counts.items() if v},
                           [(n.line_no, n.field, n.message, n.key) for n in report.notes])


def known_batch(ctx: AppContext, header: dict[str, Any]) -> str | None:
    if not PayoutBatch.select().where(PayoutBatch.batch_id == header["batch_id"]).exists():
        return (f"batch {header['batch_id']} yang dijawab berkas ini tidak pernah dikirim dari aplikasi ini "
                "(periksa apakah berkas ini untuk program lain)")
    return None


SPEC = get_job("bank_pull")  # partner and file type are the registry's
INBOUND = Inbound(job=SPEC.id, partner=SPEC.partner, file_type=SPEC.file_type, applier=ResultApplier,
                  check_header=known_batch)


def pull_payout_results(ctx: AppContext, log: logging.Logger) -> JobResult:
    """Download, check and reconcile every new PAYOUT_RESULT file (spec 3.3), then import the
    account statements waiting beside them (section 10): after the results, so that a debit or a
    return is matched against what the bank said of the transfer."""
    result = pull_files(ctx, log, INBOUND)
    pull_statements(ctx, log, result)
    return result
