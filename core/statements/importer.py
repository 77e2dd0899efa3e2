"""Importing one MT940 statement (contract section 10): check it whole, then apply it in ONE transaction.

1. Already imported (same SHA-256, or same account, `:20:` and `:28C:`)? Then nothing is
   applied and the outcome says so.
2. Read and check the whole statement (core/statements/parse.py): the account must be
   `source_account`, opening balance plus the movements must equal the closing balance.
   Otherwise StatementRejected: nothing is written.
3. One write transaction records the statement, its lines as matched
   (core/statements/match.py), the exceptions (each with a unique key), each matched
   claim's `debited_on`, the MISSING_DEBIT sweep and the audit row. A crash anywhere leaves
   either all of it or none of it, so a re-run never matches twice or loses an exception;
   `hook(step)` lets the job layer put its crash points between the steps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import SQL, fn

from core.audit import audit
from core.claims.payment_duty import WorkCalendar
from core.db import bulk_insert, in_values, lock_row, write_tx
from core.settings import Settings
from core.statements.match import PAID, Batch, Instruction, Matched, match_lines, missing_cutoff, references
from core.statements.parse import ParsedStatement, StatementRejected, parse_statement
from core.statements.tables import ExceptionKind as K
from core.statements.tables import LineKind as L
from core.statements.tables import Statement, StatementException, StatementLine
from core.text import fmt
from models import Claim, InstructionStatus, PayoutBatch, PayoutInstruction, db, utcnow

R = InstructionStatus
LOOKUP_CHUNK = 5000
Hook = Callable[[str], None]
STEPS = ("after_check", "mid_apply", "after_apply")  # where `hook` is called (jobs/crashpoints.py)


@dataclass
class ImportOutcome:
    imported: bool  # False: the statement was already imported, nothing applied
    statement: Statement
    duplicate_reason: str | None = None  # "sha256" or "reference"
    lines: int = 0
    matched: int = 0
    exceptions: Counter[str] = field(default_factory=Counter)
    missing: int = 0  # new MISSING_DEBIT exceptions
    cleared_missing: int = 0  # MISSING_DEBIT resolved by a debit found now
    gap: int | None = None


def import_statement(settings: Settings, data: bytes, file_name: str, actor: str,
                     hook: Hook | None = None) -> ImportOutcome:
    """Import one statement; raises StatementRejected (nothing written) when it is not acceptable."""
    step = hook or (lambda _step: None)
    sha256 = hashlib.sha256(data).hexdigest()
    seen = Statement.get_or_none(Statement.sha256 == sha256)
    if seen is not None:
        return ImportOutcome(False, seen, "sha256")
    parsed = parse_statement(data)
    check_statement(parsed, settings.source_account)
    seen = _same_statement(parsed)
    if seen is not None:
        return ImportOutcome(False, seen, "reference")
    step("after_check")
    with write_tx():
        # Checked again under the write lock: two imports of one statement at once apply it once
        # (the unique keys would refuse the second anyway).
        seen = lock_row(Statement, Statement.sha256 == sha256) or _same_statement(parsed)
        if seen is not None:
            return ImportOutcome(False, seen, "sha256" if seen.sha256 == sha256 else "reference")
        outcome = _apply(settings, parsed, sha256, file_name, actor, step)
    step("after_apply")
    return outcome


def check_statement(parsed: ParsedStatement, source_account: str) -> None:
    """Section 10: the programme account's statement, and its balances add up; else rejected whole."""
    if not account_matches(parsed.account, source_account):
        raise StatementRejected("statement.reject.account", account=parsed.account, expected=source_account)
    computed = parsed.opening_balance + sum(line.amount for line in parsed.lines)
    if computed != parsed.closing_balance:
        raise StatementRejected("statement.reject.balance", opening=fmt.rupiah(parsed.opening_balance),
                                movements=fmt.rupiah(computed - parsed.opening_balance),
                                closing=fmt.rupiah(parsed.closing_balance),
                                difference=fmt.rupiah(parsed.closing_balance - computed))


def account_matches(account: str, source_account: str) -> bool:
    """`:25:` is the account, or `<bank code or BIC>/<account>` as many banks write it."""
    return account.strip().rsplit("/", 1)[-1].replace(" ", "") == source_account


def _same_statement(parsed: ParsedStatement) -> Statement | None:
    return Statement.get_or_none(Statement.account == parsed.account, Statement.reference == parsed.reference,
                                 Statement.number == parsed.number)


def _apply(settings: Settings, parsed: ParsedStatement, sha256: str, file_name: str, actor: str,
           step: Hook) -> ImportOutcome:
    previous = (Statement.select().where(Statement.account == parsed.account)
                .order_by(Statement.closing_date.desc(), Statement.id.desc()).first())
    gap = parsed.opening_balance - previous.closing_balance if previous is not None else 0
    statement = Statement.create(
        sha256=sha256, account=parsed.account, reference=parsed.reference, number=parsed.number,
        opening_balance=parsed.opening_balance, opening_date=parsed.opening_date,
        closing_balance=parsed.closing_balance, closing_date=parsed.closing_date,
        line_count=len(parsed.lines), debit_total=parsed.debit_total, credit_total=parsed.credit_total,
        gap=gap or None,
        file_name=file_name[:200], imported_by=actor[:64])
    instructions, batches, net = _lookups(parsed.lines)
    matched = match_lines(parsed.lines, instructions, batches, net, sha256[:16])
    bulk_insert(StatementLine, [
        {"statement": statement.id, "line_no": line.line_no, "value_date": line.value_date, "mark": line.mark,
         "amount": abs(line.amount), "customer_reference": _clip(line.customer_reference, 16),
         "bank_reference": _clip(line.bank_reference, 35), "details": line.details, "kind": kind,
         "instruction_id": instruction_id, "batch_id": batch_id}
        for line, (kind, instruction_id, batch_id) in zip(parsed.lines, matched.kinds, strict=True)])
    step("mid_apply")
    _record_exceptions(statement, [dict(d.__dict__) for d in matched.exceptions])
    _set_debited_on(matched)
    cleared = _clear_missing(statement, matched)
    missing = _sweep_missing(settings, statement)
    outcome = ImportOutcome(True, statement, lines=len(parsed.lines),
                            matched=sum(1 for kind, *_ in matched.kinds if kind != L.EXCEPTION),
                            exceptions=Counter(d.kind for d in matched.exceptions), missing=missing,
                            cleared_missing=cleared, gap=gap or None)
    if missing:
        outcome.exceptions[K.MISSING_DEBIT] += missing
    audit("STATEMENT_IMPORTED", username=actor, target=f"{parsed.reference} {parsed.number}"[:200],
          details={"file": file_name, "sha256": sha256, "lines": len(parsed.lines),
                   "exceptions": dict(outcome.exceptions), "gap": gap or None})
    return outcome


def _lookups(lines: list[Any]) -> tuple[dict[str, Instruction], dict[str, Batch], dict[str, int]]:
    """Our instructions and batches the lines name, and each one's debits less returns so far."""
    refs = sorted(references(lines))
    instructions: dict[str, Instruction] = {}
    for chunk in _chunks(refs):
        instructions.update((i.instruction_id, i) for i in _instructions(
            PayoutInstruction.instruction_id, chunk))
    batch_ids = [ref for ref in refs if ref not in instructions]
    found = []
    for chunk in _chunks(batch_ids):
        found += [row[0] for row in PayoutBatch.select(PayoutBatch.batch_id)
                  .where(in_values(PayoutBatch.batch_id, chunk)).tuples()]
    batches: dict[str, Batch] = {}
    for batch_id in found:
        paid = [i for i in _instructions(PayoutBatch.batch_id, [batch_id]) if i.status in PAID]
        batches[batch_id] = Batch(batch_id, tuple(paid))
    net: dict[str, int] = {}
    named = list(instructions) + [i.instruction_id for b in batches.values() for i in b.paid]
    for chunk in _chunks(named):
        for instruction_id, kind, n in (StatementLine.select(StatementLine.instruction_id, StatementLine.kind,
                                                             fn.COUNT(StatementLine.id))
                                        .where(in_values(StatementLine.instruction_id, chunk),
                                               StatementLine.kind.in_((L.DEBIT, L.RETURN)))
                                        .group_by(StatementLine.instruction_id, StatementLine.kind).tuples()):
            net[instruction_id] = net.get(instruction_id, 0) + (n if kind == L.DEBIT else -n)
    # Earlier bulk debits of the batches these instructions belong to debited them too.
    batch_of = {i.batch_id for i in instructions.values()} | set(batches)
    bulk = dict(StatementLine.select(StatementLine.batch_id, fn.COUNT(StatementLine.id))
                .where(in_values(StatementLine.batch_id, sorted(batch_of)),
                       StatementLine.kind == L.BULK_DEBIT)
                .group_by(StatementLine.batch_id).tuples()) if batch_of else {}
    for batch_id, n in bulk.items():
        for ins in _instructions(PayoutBatch.batch_id, [batch_id]):
            if ins.status in PAID:
                net[ins.instruction_id] = net.get(ins.instruction_id, 0) + n
    return instructions, batches, net


def _instructions(key: Any, values: list[str]) -> list[Instruction]:
    query = (PayoutInstruction.select(PayoutInstruction.instruction_id, Claim.id, Claim.claim_no,
                                      PayoutInstruction.amount, PayoutInstruction.result_status,
                                      PayoutBatch.batch_id, Claim.instruction_id)
             .join(Claim, on=(PayoutInstruction.claim == Claim.id))
             .switch(PayoutInstruction).join(PayoutBatch, on=(PayoutInstruction.batch == PayoutBatch.id))
             .where(in_values(key, values)))
    return [Instruction(iid, claim_id, claim_no, amount, status, batch_id, current == iid)
            for iid, claim_id, claim_no, amount, status, batch_id, current in db.execute_sql(*query.sql())]


def _record_exceptions(statement: Statement, drafts: list[dict[str, Any]]) -> None:
    rows = [{"key": d["key"], "kind": d["kind"], "instruction_id": d["instruction_id"],
             "batch_id": d["batch_id"],
             "claim_no": d["claim_no"], "amount": d["amount"], "value_date": d["value_date"],
             "statement": statement.id, "statement_reference": statement.reference,
             "customer_reference": _clip(d["customer_reference"], 16), "detail": d["detail"],
             "created_at": utcnow()} for d in drafts]
    for start in range(0, len(rows), 500):
        StatementException.insert_many(rows[start:start + 500]).on_conflict_ignore().execute()


def _set_debited_on(matched: Matched) -> None:
    by_date: dict[dt.date, list[int]] = {}
    for claim_id, day in matched.debited.items():
        by_date.setdefault(day, []).append(claim_id)
    for day, ids in by_date.items():
        for chunk in _chunks(ids):
            Claim.update(debited_on=day).where(in_values(Claim.id, chunk)).execute()


def _clear_missing(statement: Statement, matched: Matched) -> int:
    """A MISSING_DEBIT whose debit this statement brings is resolved by it (said so in the note)."""
    if not matched.debited_instructions:
        return 0
    open_missing = (StatementException.kind == K.MISSING_DEBIT) & StatementException.resolved_at.is_null()
    if not StatementException.select().where(open_missing).exists():
        return 0
    done = 0
    for chunk in _chunks(sorted(matched.debited_instructions)):
        done += (StatementException.update(
            resolved_at=utcnow(), resolved_by=f"statement:{statement.reference}"[:64],
            resolution_note=f"Debet ditemukan di rekening koran {statement.reference} {statement.number} / "
                            "debit found in the statement")
            .where(open_missing, in_values(StatementException.instruction_id, chunk)).execute())
    return done


def _sweep_missing(settings: Settings, statement: Statement) -> int:
    """SUCCESS instructions valued more than the grace before the closing date with no debit anywhere.

    Only value dates after the first statement's opening date count: a debit before it can be
    in no statement we hold.
    """
    calendar = WorkCalendar(frozenset(settings.non_working_days))
    cutoff = missing_cutoff(statement.closing_date, settings.statement.grace_working_days,
                            calendar.is_working_day)
    first = Statement.select(fn.MIN(Statement.opening_date)).scalar()
    single = (StatementLine.select(SQL("1"))
              .where(StatementLine.instruction_id == PayoutInstruction.instruction_id))
    bulk = StatementLine.select(SQL("1")).where(StatementLine.batch_id == PayoutBatch.batch_id,
                                                StatementLine.instruction_id.is_null())
    query = (PayoutInstruction.select(PayoutInstruction.instruction_id, PayoutBatch.batch_id, Claim.claim_no,
                                      PayoutInstruction.amount, PayoutInstruction.value_date)
             .join(Claim, on=(PayoutInstruction.claim == Claim.id))
             .switch(PayoutInstruction).join(PayoutBatch, on=(PayoutInstruction.batch == PayoutBatch.id))
             .where(PayoutInstruction.result_status == R.SUCCESS, PayoutInstruction.value_date <= cutoff,
                    PayoutInstruction.value_date > first, ~fn.EXISTS(single), ~fn.EXISTS(bulk)))
    rows = [{"key": f"{K.MISSING_DEBIT}:{iid}", "kind": K.MISSING_DEBIT, "instruction_id": iid,
             "batch_id": batch_id, "claim_no": claim_no, "amount": amount, "value_date": value_date,
             "statement": statement.id, "statement_reference": statement.reference,
             "detail": f"tidak ada debet sampai {statement.closing_date.isoformat()}", "created_at": utcnow()}
            for iid, batch_id, claim_no, amount, value_date in db.execute_sql(*query.sql())]
    before = StatementException.select().where(StatementException.kind == K.MISSING_DEBIT).count()
    for start in range(0, len(rows), 500):
        StatementException.insert_many(rows[start:start + 500]).on_conflict_ignore().execute()
    return StatementException.select().where(StatementException.kind == K.MISSING_DEBIT).count() - before


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start:start + LOOKUP_CHUNK]


def _clip(value: str | None, limit: int) -> str | None:
    return value if value is None or len(value) <= limit else value[:limit]


