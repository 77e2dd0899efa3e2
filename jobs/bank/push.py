"""bank_push: send the READY claims to Bank NTT in a PAYOUT_INSTRUCTION batch.

1. Deliver any batch recorded or written earlier and not yet delivered (same bytes).
2. Nothing READY: no file. Otherwise connect first (an unreachable bank leaves the claims
   READY), then, in ONE transaction: take the READY claims, hold back those that must not
   go (a live instruction already, approval missing or outdated, a value the layout
   refuses), give each a new instruction id, record the batch, its file and its lines,
   and move the claims READY -> INSTRUCTED.
3. Write, upload, mark delivered (`jobs.outgoing`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, NamedTuple

from core.claims.checks import payout_fingerprint
from core.claims.states import transition_many
from core.context import AppContext
from core.db import bulk_insert, is_postgres, write_tx
from core.files.layout import BadValue
from core.text import fmt
from jobs import crashpoints
from jobs.outgoing import Outbound, connection, deliver, pending
from jobs.registry import get_job
from jobs.result import JobResult
from jobs.runlog import current_run_id
from jobs.transfer import local_time, next_counter
from models import (
    BatchFile,
    BatchStatus,
    Claim,
    ClaimStatus,
    FileStatus,
    InstructionStatus,
    PayoutBatch,
    PayoutInstruction,
    db,
    utcnow,
)

S = ClaimStatus
ACTOR = "job:bank_push"
REMARK_LENGTH = 35


def push_payout_instructions(ctx: AppContext, log: logging.Logger) -> JobResult:
    """Deliver pending batches, then send the READY claims as a new batch (spec 3.2)."""
    result = JobResult()
    with connection(ctx, "bank") as sftp:
        for batch_file in pending(OUTBOUND):
            log.info("Menyelesaikan batch %s yang belum terkirim (%s)", batch_file.file_id, batch_file.status)
            deliver(ctx, log, OUTBOUND, batch_file, sftp)
            result.add("resent_batches")
        if not Claim.ready_for_payout().exists():
            log.info("Tidak ada klaim Siap Dibayar: tidak ada berkas baru")
            return result
        sftp.connect()  # connect before moving any claim
        batch_file = record_batch(ctx, log, result)
        if batch_file is not None:
            crashpoints.hit("bank_push.after_record")
            deliver(ctx, log, OUTBOUND, batch_file, sftp)
    return result


class _Ready(NamedTuple):
    id: int
    claim_no: str
    benefit_type: str
    beneficiary_name: str
    bank_code: str | None
    account_no: str | None
    approved_amount: int
    approved_fingerprint: str | None


def record_batch(ctx: AppContext, log: logging.Logger, result: JobResult) -> BatchFile | None:
    """Record a new batch of the READY claims (one transaction); None when none may go."""
    layout = ctx.layouts["PAYOUT_INSTRUCTION"]
    with write_tx():
        query = (Claim.select(*[getattr(Claim, f) for f in _Ready._fields])
                 .where(Claim.status == S.READY).order_by(Claim.id))
        if is_postgres():
            query = query.for_update()
        # The driver's rows as they are (str and int): peewee's per-row conversion of 100k
        # rows cost more than the query.
        ready = list(map(_Ready._make, db.execute_sql(*query.sql())))
        held = _held_back(ctx, ready)
        for (status, reason), ids in held.items():
            transition_many(ids, S.READY, status, actor=ACTOR, action="HELD_BACK", reason=reason,
                            review_reason=reason)
            log.warning("%d klaim tidak dikirim (%s): %s", len(ids), status, reason)
            result.add("held_back", len(ids))
        skipped = {i for ids in held.values() for i in ids}
        claims = [c for c in ready if c.id not in skipped]
        lines, refused = _lines(layout, claims)
        for claim_id, reason in refused:
            transition_many([claim_id], S.READY, S.NEEDS_REVIEW, actor=ACTOR, action="HELD_BACK",
                            reason=reason,
                            review_reason=reason)
            log.warning("Klaim %s tidak dikirim: %s", next(c.claim_no for c in claims if c.id == claim_id),
                        reason)
            result.add("held_back")
        if not lines:
            return None
        return _record(ctx, log, lines, result)


def _held_back(ctx: AppContext, ready: list[_Ready]) -> dict[tuple[str, str], list[int]]:
    live = {row[0] for row in PayoutInstruction.select(PayoutInstruction.claim)
            .join(Claim).where(Claim.status == S.READY,
                               PayoutInstruction.result_status.in_(InstructionStatus.LIVE)).tuples()}
    held: dict[tuple[str, str], list[int]] = {}
    threshold = ctx.settings.approval_threshold
    for claim in ready:
        if claim.id in live:
            key = (S.NEEDS_REVIEW,
                   "Klaim masih punya instruksi pembayaran yang belum gagal: tidak dikirim dua kali")
        elif claim.approved_amount >= threshold and claim.approved_fingerprint != payout_fingerprint(claim):
            key = (S.AWAITING_APPROVAL,
                   "Persetujuan orang kedua belum ada atau sudah tidak sesuai (nilai atau "
                                        "rekening berubah)")
        else:
            continue
        held.setdefault(key, []).append(claim.id)
    return held


def _lines(layout: Any, claims: list[_Ready]) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """The file's lines (without ids yet), checked by the layout; and the claims it refused."""
    lines, refused = [], []
    for claim in claims:
        line = {"instruction_id": "X", "claim_no": claim.claim_no, "beneficiary_name": claim.beneficiary_name,
                "bank_code": claim.bank_code, "account_no": claim.account_no, "amount": claim.approved_amount,
                "currency": "IDR", "remark": remark(claim.benefit_type, claim.claim_no)}
        try:
            layout.detail.render(line, None, None)
        except BadValue as exc:
            refused.append((claim.id,
                            f"Data tidak dapat ditulis ke berkas bank: kolom {exc.field}: {exc.reason}"))
            continue
        line["claim_id"] = claim.id
        lines.append(line)
    return lines, refused


def _record(ctx: AppContext, log: logging.Logger, lines: list[dict[str, Any]],
            result: JobResult) -> BatchFile:
    layout = ctx.layouts["PAYOUT_INSTRUCTION"]
    batch_id = f"B{next_counter('payout_batch'):06d}"
    created = utcnow().replace(microsecond=0)
    total = sum(line["amount"] for line in lines)
    name = layout.make_name(date=local_time(ctx, created).date(), batch_id=batch_id)
    batch_file = BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION", name=name,
                                  file_id=batch_id, status=FileStatus.RECORDED, record_count=len(lines),
                                  control_total=total, job_run=current_run_id(), created_at=created)
    batch = PayoutBatch.create(batch_id=batch_id, file=batch_file, instruction_count=len(lines),
                               total_amount=total, status=BatchStatus.RECORDED, created_at=created)
    rows = [{"instruction_id": f"{batch_id}-{index:06d}", "batch": batch.id, "claim": line["claim_id"],
             "beneficiary_name": line["beneficiary_name"], "bank_code": line["bank_code"],
             "account_no": line["account_no"], "amount": line["amount"], "remark": line["remark"],
             "line_no": index + 1, "result_status": InstructionStatus.SENT}
            for index, line in enumerate(lines, 1)]
    bulk_insert(PayoutInstruction, rows)
    crashpoints.hit("bank_push.mid_record")
    ids = [row["claim"] for row in rows]
    # Statistics of the rows just inserted, for the look-up below: without them a planner may
    # take the batch's index (every row of the batch) over the claim's, once per claim.
    db.execute_sql('ANALYZE "payout_instruction"')
    # Each claim's own instruction id, set in the same UPDATE that moves it: one row version
    # (and one pass over the claim table's many indexes) per claim instead of two.
    own = (PayoutInstruction.select(PayoutInstruction.instruction_id)
           .where(PayoutInstruction.claim == Claim.id, PayoutInstruction.batch == batch.id))
    # Event details written out (the ids are [A-Z0-9-]): 100k json.dumps calls cost half a second.
    details = {row["claim"]: f'{{"instruction_id": "{row["instruction_id"]}", "batch_id": "{batch_id}"}}'
               for row in rows}
    # One UPDATE for the whole batch: one pass over the READY claims, whatever plan the
    # (possibly stale) statistics after a big intake suggest.
    transition_many(ids, S.READY, S.INSTRUCTED, actor=ACTOR, action="INSTRUCTED", chunk=len(ids),
                    details=details, batch_id=batch_id, instruction_id=own, bank_reference=None,
                    paid_date=None, failure_code=None)
    result.add("instructions", len(rows))
    result.add("batches")
    log.info("Batch %s dicatat: %d instruksi, total %s", batch_id, len(rows), fmt.rupiah(total))
    return batch_file


def remark(benefit_type: str, claim_no: str) -> str:
    """`SANTUNAN JKK <claim_no>` (JKM for a non-work death), shortened to fit 35 characters."""
    program = "JKM" if benefit_type == "JKM" else "JKK"
    for text in (f"SANTUNAN {program} {claim_no}", f"SNT {program} {claim_no}", claim_no):
        if len(text) <= REMARK_LENGTH:
            return text
    return claim_no[:REMARK_LENGTH]


def _header(ctx: AppContext, batch_file: BatchFile) -> dict[str, Any]:
    return {"file_id": batch_file.file_id, "created_at": local_time(ctx, batch_file.created_at),
            "sender": ctx.settings.organisation_id, "receiver": ctx.settings.partner("bank").id,
            "source_account": ctx.settings.source_account}


def _records(batch_file: BatchFile) -> Iterable[dict[str, Any]]:
    query = (PayoutInstruction
             .select(PayoutInstruction.instruction_id, Claim.claim_no, PayoutInstruction.beneficiary_name,
                     PayoutInstruction.bank_code, PayoutInstruction.account_no, PayoutInstruction.amount,
                     PayoutInstruction.remark)
             .join(Claim).switch(PayoutInstruction).join(PayoutBatch)
             .where(PayoutBatch.file == batch_file.id)
             .order_by(PayoutInstruction.line_no))
    for instruction_id, claim_no, name, bank_code, account_no, amount, text in db.execute_sql(*query.sql()):
        yield {"instruction_id": instruction_id, "claim_no": claim_no, "beneficiary_name": name,
               "bank_code": bank_code, "account_no": account_no, "amount": amount, "currency": "IDR",
               "remark": text}


def _mirror(batch_file: BatchFile, status: str) -> None:
    changes: dict[str, Any] = {"status": status}
    if status == FileStatus.DELIVERED:
        changes["delivered_at"] = utcnow()
    (PayoutBatch.update(**changes)
     .where(PayoutBatch.file == batch_file.id,
            PayoutBatch.status.in_((BatchStatus.RECORDED, BatchStatus.WRITTEN))).execute())


SPEC = get_job("bank_push")  # partner and file type are the registry's
OUTBOUND = Outbound(job=SPEC.id, partner=SPEC.partner, file_type=SPEC.file_type, header=_header,
                    records=_records, on_status=_mirror)

__all__ = ["OUTBOUND", "push_payout_instructions", "record_batch", "remark"]
