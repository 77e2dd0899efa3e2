"""What the screens, the command line, `check` and `bank_push` ask of the statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peewee import fn

from core.statements.tables import LineKind as L
from core.statements.tables import Statement, StatementException, StatementLine
from models import Claim, InstructionStatus, PayoutInstruction

EXCEPTION_FIELDS = ("kind", "instruction_id", "claim_no", "amount", "value_date", "statement_reference",
                    "batch_id", "customer_reference", "detail", "id")


def open_exceptions(limit: int | None = None) -> list[StatementException]:
    """Unresolved exceptions, oldest first."""
    query = (StatementException.select().where(StatementException.resolved_at.is_null())
             .order_by(StatementException.created_at, StatementException.id))
    return list(query.limit(limit) if limit else query)


def open_exception_count() -> int:
    return StatementException.select().where(StatementException.resolved_at.is_null()).count()


def exception_rows() -> Iterator[dict[str, Any]]:
    """`statement exceptions`: the contract's fields first (kind, instruction_id, claim_no, amount,
    value_date, statement_reference), raw codes and ISO dates."""
    for exc in open_exceptions():
        yield {"kind": exc.kind, "instruction_id": exc.instruction_id, "claim_no": exc.claim_no,
               "amount": exc.amount, "value_date": exc.value_date.isoformat() if exc.value_date else None,
               "statement_reference": exc.statement_reference, "batch_id": exc.batch_id,
               "customer_reference": exc.customer_reference, "detail": exc.detail, "id": exc.id}


def unresolved_for_check() -> list[str]:
    """`check`: one line naming each unresolved exception."""
    return [f"{e.kind} {e.instruction_id or e.batch_id or e.customer_reference or '-'}"
            f" klaim/claim {e.claim_no or '-'} Rp {e.amount or 0} valuta {e.value_date or '-'}"
            f" rekening koran/statement {e.statement_reference or '-'} (#{e.id})" for e in open_exceptions()]


def recent_statements(limit: int = 50) -> list[Statement]:
    return list(Statement.select().order_by(Statement.closing_date.desc(), Statement.id.desc()).limit(limit))


@dataclass(frozen=True)
class Balance:
    """The programme account's balance as far as we know: the last closing balance less what is owed."""
    closing: int
    closing_date: dt.date
    statement_reference: str
    outstanding: int  # instructed (sent or paid) and not yet debited in any statement

    @property
    def available(self) -> int:
        return self.closing - self.outstanding


def available_balance() -> Balance | None:
    """None while no statement was imported (the balance is unknown)."""
    last = Statement.select().order_by(Statement.closing_date.desc(), Statement.id.desc()).first()
    if last is None:
        return None
    # A live instruction is owed until a debit of it (or a bulk debit of its batch) is in a
    # statement; Claim.debited_on marks exactly that for the claim's current instruction.
    single = StatementLine.select(StatementLine.id).where(
        StatementLine.instruction_id == PayoutInstruction.instruction_id, StatementLine.kind == L.DEBIT)
    outstanding = (PayoutInstruction.select(fn.COALESCE(fn.SUM(PayoutInstruction.amount), 0))
                   .join(Claim, on=(PayoutInstruction.claim == Claim.id))
                   .where(PayoutInstruction.result_status.in_(InstructionStatus.LIVE),
                          Claim.debited_on.is_null(), ~fn.EXISTS(single))
                   .scalar())
    return Balance(last.closing_balance, last.closing_date, last.reference, int(outstanding or 0))
