"""bpjs_pull: fetch VERIFIED_CLAIMS files from BPJS and turn their records into claims.

The file handling (download, whole-file check, duplicates, chunked crash-safe apply,
archive) is `jobs.incoming`; the business rules of each record are `core.claims.intake`.
"""

from __future__ import annotations

import logging
from typing import Any

from core.claims.checks import BenefitRules
from core.claims.intake import Intake
from core.claims.payment_duty import PaymentDuty
from core.context import AppContext
from jobs.incoming import ChunkReport, Inbound, pull_files
from jobs.registry import get_job
from jobs.result import JobResult
from models import BatchFile, ClaimStatus

S = ClaimStatus
COUNTED_STATUSES = {S.READY: "ready", S.NEEDS_REVIEW: "needs_review",
                    S.AWAITING_APPROVAL: "awaiting_approval",
                    S.REJECTED: "rejected_by_bpjs", S.ON_HOLD: "on_hold"}


class ClaimApplier:
    def __init__(self, ctx: AppContext, batch_file: BatchFile, header: dict[str, Any]):
        self.intake = Intake(batch_file, approval_threshold=ctx.settings.approval_threshold,
                             instalment_benefits=ctx.reference.instalment_benefits,
                             payment_duty=PaymentDuty.of(ctx.settings, ctx.reference),
                             benefit_rules=BenefitRules.of(ctx.settings, ctx.reference))

    def apply(self, records: list[tuple[int, dict[str, Any]]]) -> ChunkReport:
        report = self.intake.apply(records)
        counts = {"new_claims": report.new, "revised": report.revised, "ignored_revisions": report.ignored,
                  "flagged": report.flagged}
        for status, n in report.statuses.items():
            key = COUNTED_STATUSES.get(status, status.lower())
            counts[key] = counts.get(key, 0) + n
        return ChunkReport({k: v for k, v in counts.items() if v},
                           [(n.line_no, n.field, n.message, n.claim_no) for n in report.notes])


SPEC = get_job("bpjs_pull")  # partner and file type are the registry's
INBOUND = Inbound(job=SPEC.id, partner=SPEC.partner, file_type=SPEC.file_type, applier=ClaimApplier)


def pull_verified_claims(ctx: AppContext, log: logging.Logger) -> JobResult:
    """Download, check and apply every new VERIFIED_CLAIMS file (spec 3.1)."""
    return pull_files(ctx, log, INBOUND)
