"""bank_push: send the READY claims to Bank NTT in a PAYOUT_INSTRUCTION batch.

1. Deliver any batch recorded or written earlier and not yet delivered (same bytes).
2. Nothing READY: no file. Otherwise connect first (an unreachable bank leaves the claims
   READY), then, in ONE transaction: take the READY claims, hold back those that must not
   go (a live instruction already, approval missing or outdated, a value the layout
   refuses), give each a new instruction id, record the batch, its file and its lines,
   and move the claims READY -> INSTRUCTED.
3. Write, upload, mark delivered (`jobs.outgoing`).

A batch holds at most BATCH_CLAIMS claims, and on SQLite as many as its transaction can record
in about a second (core/turnstile.py: a login waits for one batch, not for the run); more READY
claims go out as several batches in one run, each recorded in its own transaction (step 2) and
delivered before the next is taken.
On SQLite one writer holds the database at a time: a single 1,000,000-claim transaction held
it for a minute, so a job started meanwhile died "database is locked" and a web login stalled
(hardening finding 5). A crash between two batches loses nothing: the recorded one is
delivered by the next run (step 1), the rest are still READY.

Available balance (contract section 10): once a statement of the programme account is known,
the batch must fit in its last closing balance less what was instructed and not yet debited
(core/statements/queries.py). A batch that does not fit is not recorded: its claims stay
READY and an alert says by how much the account falls short. Without any statement the
batch goes as before, and the run log says the balance is unknown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, NamedTuple

from core.alerts import raise_alert, said
from core.claims.checks import payee_name, payout_fingerprint
from core.claims.states import transition_many
from core.context import AppContext
from core.db import bulk_insert, in_values, is_postgres, is_sqlite, write_tx
from core.files.layout import BadValue
from core.statements.queries import available_balance
from core.text import fmt
from core.text.i18n import t
from core.turnstile import HoldBudget
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
BATCH_CLAIMS = 25_000  # claims per batch at most; fewer on SQLite when that holds the lock long


def push_payout_instructions(ctx: AppContext, log: logging.Logger) -> JobResult:
    """Deliver pending batches, then send the READY claims as a new batch (spec 3.2)."""
    result = JobResult()
    with connection(ctx, "bank") as sftp:
        for batch_file in pending(OUTBOUND):
            log.info("Menyelesaikan batch %s yang belum terkirim (%s)", batch_file.file_id, batch_file.status)
            deliver(ctx, log, OUTBOUND, batch_file, sftp)
            result.add("resent_batches")
        if not Claim.select().where(Claim.status == S.READY).exists():
            log.info("Tidak ada klaim Siap Dibayar: tidak ada berkas baru")
            return result
        sftp.connect()  # connect before moving any claim
        after: int | None = 0
        budget = HoldBudget(BATCH_CLAIMS, sqlite=is_sqlite())
        while after is not None:
            with budget.timing(budget.size):
                batch_file, after = record_batch(ctx, log, result, after=after, limit=budget.size)
            if batch_file is not None:
                crashpoints.hit("bank_push.after_record")
                deliver(ctx, log, OUTBOUND, batch_file, sftp)
    return result


class _Ready(NamedTuple):
    id: int
    claim_no: str
    benefit_type: str
    beneficiary_name: str
    account_holder_name: str | None  # set when the account is not the beneficiary's (contract 7)
    bank_code: str | None
    account_no: str | None
    approved_amount: int
    approved_fingerprint: str | None


def record_batch(ctx: AppContext, log: logging.Logger, result: JobResult, *,
                 after: int = 0, limit: int | None = None) -> tuple[BatchFile | None, int | None]:
    """Record a batch of the next `limit` (BATCH_CLAIMS) READY claims with an id above `after` (one
    transaction). Returns the batch's file (None when none of them may go) and the id to go on
    after (None: no READY claim left, or the programme account cannot cover more)."""
    short: dict[str, Any] = {}
    batch_file, following = _record_batch(ctx, log, result, short, after, limit or BATCH_CLAIMS)
    if short:  # after the transaction: the alert (and its e-mail) never holds the write lock
        # Message keys (core.alerts.said): each reader sees it in their language, the date too.
        closing_date = short.pop("closing_date")
        params = {**short, "date": closing_date}
        raise_alert("insufficient_balance",
                    said("statement.balance_short.subject", shortfall=short["shortfall"]),
                    said("statement.balance_short", **params), alerts=ctx.settings.alerts)
        return batch_file, None
    return batch_file, following


def _record_batch(ctx: AppContext, log: logging.Logger, result: JobResult,
                  short: dict[str, Any], after: int, limit: int) -> tuple[BatchFile | None, int | None]:
    layout = ctx.layouts["PAYOUT_INSTRUCTION"]
    with write_tx():
        query = (Claim.select(*[getattr(Claim, f) for f in _Ready._fields])
                 .where(Claim.status == S.READY, Claim.id > after).order_by(Claim.id).limit(limit))
        if is_postgres():
            query = query.for_update()
        # The driver's rows as they are (str and int): peewee's per-row conversion of 100k
        # rows cost more than the query.
        ready = list(map(_Ready._make, db.execute_sql(*query.sql())))
        following = ready[-1].id if len(ready) == limit else None
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
            return None, following
        if not _fits(log, lines, result, short):
            return None, None
        return _record(ctx, log, lines, result), following


def _fits(log: logging.Logger, lines: list[dict[str, Any]], result: JobResult, short: dict[str, Any]) -> bool:
    """Whether the programme account can cover the batch (unknown without a statement: it goes)."""
    balance = available_balance()
    if balance is None:
        log.info("%s", t("statement.balance_unknown"))
        return True
    total = sum(line["amount"] for line in lines)
    known = {"available": fmt.rupiah(balance.available), "closing": fmt.rupiah(balance.closing),
             "date": fmt.date(balance.closing_date),
             "outstanding": fmt.rupiah(balance.outstanding), "total": fmt.rupiah(total)}
    if total <= balance.available:
        log.info("%s", t("statement.balance_ok", **known))
        return True
    short.update(known, count=len(lines), shortfall=fmt.rupiah(total - balance.available),
                 closing_date=balance.closing_date)
    message = t("statement.balance_short", **short)
    log.warning("%s", message)
    result.warn(message)
    result.add("short_of_balance", len(lines))
    return False


def _held_back(ctx: AppContext, ready: list[_Ready]) -> dict[tuple[str, str], list[int]]:
    # The batch's own claims only: every READY claim (or every live instruction) is a pass over
    # up to a million rows, paid again by each batch of the run.
    live = {row[0] for row in PayoutInstruction.select(PayoutInstruction.claim)
            .where(in_values(PayoutInstruction.claim, [c.id for c in ready]),
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
        line = {"instruction_id": "X", "claim_no": claim.claim_no, "beneficiary_name": payee_name(claim),
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
