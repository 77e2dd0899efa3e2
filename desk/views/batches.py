"""Read queries of the payout batches pages: counters, Rupiah totals, files, overdue flag, instructions.

A batch's counters come from its instructions grouped by result (SENT = awaiting result,
SUCCESS = paid, FAILED, RETURNED), one grouped query per page of batches. "Overdue" is the
rule of the overdue watch (`jobs.watch`): delivered, some instruction still unanswered,
`overdue_results_hours` after delivery.

Kabupaten desks (section 8, `scope`: the user's codes, None for the province): a desk sees the
batches that hold a claim of its kabupaten/kota, and in them only those claims: counters, totals
and the instruction list are of its claims; a batch with none of them is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import fn

from core.claims.queries import scope_conditions
from desk.refusal import Refused
from models import BatchFile, BatchStatus, Claim, InstructionStatus, PayoutBatch, PayoutInstruction, utcnow

R = InstructionStatus
RESULT_COUNTERS = {R.SUCCESS: "paid", R.FAILED: "failed", R.RETURNED: "returned", R.SENT: "awaiting"}
COUNTERS = ("instructed", "paid", "failed", "returned", "awaiting")


@dataclass(frozen=True)
class Overdue:
    hours: int
    now: dt.datetime | None = None

    @property
    def limit(self) -> dt.datetime:
        return (self.now or utcnow()) - dt.timedelta(hours=self.hours)


def batches_page(overdue: Overdue, *, page: int = 1, per_page: int = 25, overdue_only: bool = False,
                 scope: tuple[str, ...] | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of batches, newest first, each with its counters and overdue flag."""
    query = PayoutBatch.select()
    if scope is not None:
        query = query.where(PayoutBatch.id.in_(_scoped_instructions(scope).select(PayoutInstruction.batch)))
    if overdue_only:
        awaiting = (PayoutInstruction.select(PayoutInstruction.batch)
                    .where(PayoutInstruction.result_status == R.SENT))
        query = query.where(PayoutBatch.status == BatchStatus.DELIVERED,
                            PayoutBatch.delivered_at <= overdue.limit, PayoutBatch.id.in_(awaiting))
    total = query.count()
    batches = list(query.order_by(PayoutBatch.created_at.desc(), PayoutBatch.id.desc()).paginate(max(1, page),
                                                                                                  per_page))
    counters = _counters([b.id for b in batches], scope)
    return [batch_row(b, counters.get(b.id, {}), overdue, scope) for b in batches], total


@dataclass
class BatchDetail:
    batch: dict[str, Any]
    files: list[dict[str, Any]]


def batch_detail(batch_id: str, overdue: Overdue, scope: tuple[str, ...] | None = None) -> BatchDetail | None:
    batch = PayoutBatch.get_or_none(PayoutBatch.batch_id == batch_id)
    if batch is None:
        return None
    mine = None if scope is None else _scoped_instructions(scope).where(PayoutInstruction.batch == batch.id)
    if mine is not None and not mine.exists():
        raise Refused("scope.batch_refused", batch_id=batch_id, desk=", ".join(scope))
    settled = PayoutInstruction.select(PayoutInstruction.result_file).where(
        PayoutInstruction.batch == batch.id, PayoutInstruction.result_file.is_null(False))
    answers = (BatchFile.file_type == "PAYOUT_RESULT") & (
        BatchFile.id.in_(settled) | BatchFile.name.contains(f"_{batch_id}_RESULT_"))
    files = (BatchFile.select(BatchFile.id, BatchFile.name, BatchFile.direction, BatchFile.file_type,
                              BatchFile.status, BatchFile.record_count, BatchFile.control_total,
                              BatchFile.created_at, BatchFile.delivered_at)
             .where((BatchFile.id == batch.file_id) | answers).order_by(BatchFile.id).dicts())
    return BatchDetail(batch_row(batch, _counters([batch.id], scope).get(batch.id, {}), overdue, scope),
                       list(files))


def instructions_page(batch_id: str, *, result: str | None = None, page: int = 1, per_page: int = 25,
                      scope: tuple[str, ...] | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of a batch's instructions with their claim and result, in file order."""
    query = (PayoutInstruction
             .select(PayoutInstruction.instruction_id, PayoutInstruction.beneficiary_name,
                     PayoutInstruction.bank_code, PayoutInstruction.account_no, PayoutInstruction.amount,
                     PayoutInstruction.result_status, PayoutInstruction.bank_reference,
                     PayoutInstruction.value_date, PayoutInstruction.failure_code,
                     PayoutInstruction.failure_reason, PayoutInstruction.line_no, Claim.claim_no,
                     Claim.status.alias("claim_status"))
             .join(PayoutBatch).switch(PayoutInstruction).join(Claim)
             .where(PayoutBatch.batch_id == batch_id, *scope_conditions(scope)))
    if result:
        query = query.where(PayoutInstruction.result_status == result)
    total = query.count()
    rows = query.order_by(PayoutInstruction.line_no, PayoutInstruction.id).paginate(max(1, page), per_page)
    return list(rows.dicts()), total


def batch_row(batch: PayoutBatch, counters: dict[str, tuple[int, int]], overdue: Overdue,
              scope: tuple[str, ...] | None = None) -> dict[str, Any]:
    instructed = (batch.instruction_count, batch.total_amount) if scope is None else (
        sum(n for n, _ in counters.values()), sum(t for _, t in counters.values()))  # the desk's claims only
    row: dict[str, Any] = {"id": batch.id, "batch_id": batch.batch_id, "status": batch.status,
                           "created_at": batch.created_at, "delivered_at": batch.delivered_at,
                           "completed_at": batch.completed_at, "instructed": instructed}
    for name in RESULT_COUNTERS.values():
        row[name] = counters.get(name, (0, 0))
    row["overdue"] = bool(batch.status == BatchStatus.DELIVERED and batch.delivered_at is not None
                          and batch.delivered_at <= overdue.limit and row["awaiting"][0] > 0)
    return row


def _scoped_instructions(scope: tuple[str, ...]):
    """The instructions of the desk's claims (join Claim: the kabupaten is the claim's)."""
    return PayoutInstruction.select(PayoutInstruction.id).join(Claim).where(*scope_conditions(scope))


def _counters(batch_ids: list[int], scope: tuple[str, ...] | None = None
              ) -> dict[int, dict[str, tuple[int, int]]]:
    if not batch_ids:
        return {}
    amount = fn.COALESCE(fn.SUM(PayoutInstruction.amount), 0)
    query = PayoutInstruction.select(PayoutInstruction.batch, PayoutInstruction.result_status,
                                     fn.COUNT(PayoutInstruction.id), amount)
    if scope is not None:
        query = query.join(Claim).where(*scope_conditions(scope))
    rows = (query.where(PayoutInstruction.batch.in_(batch_ids))
            .group_by(PayoutInstruction.batch, PayoutInstruction.result_status).tuples())
    out: dict[int, dict[str, tuple[int, int]]] = {}
    for batch_id, status, count, total in rows:
        name = RESULT_COUNTERS.get(status)
        if name:
            out.setdefault(batch_id, {})[name] = (int(count), int(total))
    return out
