"""One claim's page: the claim, the other payments of its case, its events and payout attempts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from core.claims.queries import scope_conditions
from models import BatchFile, Claim, ClaimEvent, PayoutBatch, PayoutInstruction, User


@dataclass(frozen=True)
class ClaimDetail:
    claim: Claim
    case_claims: list[dict[str, Any]]  # the other payments of the same accident case
    events: list[ClaimEvent]
    attempts: list[dict[str, Any]]  # each payout instruction, newest first
    source_file: BatchFile | None
    pending_change_by: str | None  # who proposed the bank details waiting for approval


def claim_detail(claim_no: str, scope: Sequence[str] | None = None) -> ClaimDetail | None:
    """The claim and its history. `scope`: the other claims of its case are listed within the desk only
    (the claim itself is checked by the caller, `desk.scope`, which refuses rather than hides it)."""
    claim = Claim.get_or_none(Claim.claim_no == claim_no)
    if claim is None:
        return None
    case_claims = list(Claim.select(Claim.id, Claim.claim_no, Claim.benefit_type, Claim.approved_amount,
                                    Claim.status, Claim.received_at, Claim.paid_date, Claim.beneficiary_name)
                       .where(Claim.case_no == claim.case_no, Claim.id != claim.id, *scope_conditions(scope))
                       .order_by(Claim.received_at, Claim.id).dicts())
    events = list(ClaimEvent.select().where(ClaimEvent.claim == claim.id)
                  .order_by(ClaimEvent.at.desc(), ClaimEvent.id.desc()))
    attempts = list(PayoutInstruction
                    .select(PayoutInstruction, PayoutBatch.batch_id, PayoutBatch.created_at.alias("batch_at"),
                            PayoutBatch.status.alias("batch_status"),
                            BatchFile.name.alias("result_file_name"))
                    .join(PayoutBatch).switch(PayoutInstruction)
                    .join(BatchFile, JOIN.LEFT_OUTER, on=(PayoutInstruction.result_file == BatchFile.id))
                    .where(PayoutInstruction.claim == claim.id)
                    .order_by(PayoutInstruction.id.desc()).dicts())
    source = BatchFile.get_or_none(BatchFile.id == claim.source_file_id) if claim.source_file_id else None
    changer = (User.select(User.username).where(User.id == claim.pending_change_by_id).scalar()
               if claim.pending_change_by_id else None)
    return ClaimDetail(claim, case_claims, events, attempts, source, changer)
