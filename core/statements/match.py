"""Matching statement lines to our instructions and batches (contract section 10): pure functions.

The rules, for each `:61:` line in statement order:
- money out whose customer reference is an `instruction_id` of ours is that instruction's
  debit: DEBIT_ON_FAILED when the bank's result said FAILED, AMOUNT_MISMATCH when the amount
  is not the instructed one, DOUBLE_DEBIT when the instruction was already debited and not
  returned in between (money paid twice); otherwise matched, and the claim's `debited_on`
  is the line's value date (when the instruction is still the claim's current one);
- money out whose reference is a `batch_id` is a bulk debit: its amount must be the sum of
  the batch's successful instructions (SUCCESS, or RETURNED: paid, then come back), each of
  which it debits; any of them already debited makes it a DOUBLE_DEBIT;
- any other money out is an UNKNOWN_DEBIT;
- money in whose reference is an `instruction_id` is a return: matched when the instruction
  is RETURNED, otherwise RETURN_WITHOUT_RESULT; other money in (a top-up) is not ours to match.
`net` carries, per instruction, debits less returns seen so far (earlier statements included),
so a double debit inside one statement is caught as well as one across two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from core.statements.parse import Line
from core.statements.tables import ExceptionKind as K
from core.statements.tables import LineKind as L
from models import InstructionStatus as R

PAID = (R.SUCCESS, R.RETURNED)  # the bank paid it (a return comes back later as a credit)


@dataclass(frozen=True)
class Instruction:
    instruction_id: str
    claim_id: int
    claim_no: str
    amount: int
    status: str
    batch_id: str
    current: bool  # still the claim's instruction (a failed claim sent again has a newer one)


@dataclass(frozen=True)
class Batch:
    batch_id: str
    paid: tuple[Instruction, ...]  # its SUCCESS and RETURNED instructions

    @property
    def total(self) -> int:
        return sum(i.amount for i in self.paid)


@dataclass(frozen=True)
class Draft:
    """An exception to record; `key` makes it unique whatever re-runs."""
    key: str
    kind: str
    line_no: int | None
    instruction_id: str | None
    batch_id: str | None
    claim_no: str | None
    amount: int
    value_date: dt.date
    customer_reference: str | None
    detail: str


@dataclass
class Matched:
    # per line: (LineKind, instruction_id, batch_id)
    kinds: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    exceptions: list[Draft] = field(default_factory=list)
    debited: dict[int, dt.date] = field(default_factory=dict)  # claim id -> value date
    debited_instructions: set[str] = field(default_factory=set)  # debits found (clears MISSING_DEBIT)


def references(lines: Iterable[Line]) -> set[str]:
    return {line.customer_reference for line in lines if line.customer_reference}


def match_lines(lines: Iterable[Line], instructions: Mapping[str, Instruction], batches: Mapping[str, Batch],
                net: dict[str, int], statement_key: str) -> Matched:
    """Classify every line; `net` (instruction id -> debits less returns so far) is updated in place."""
    out = Matched()
    for line in lines:
        ref = line.customer_reference
        if line.amount < 0:
            _debit(out, line, -line.amount, instructions.get(ref or ""), batches.get(ref or ""), net,
                   statement_key)
        elif line.amount > 0 and ref in instructions:
            ins = instructions[ref]
            if ins.status == R.RETURNED:
                net[ref] = net.get(ref, 0) - 1
                out.kinds.append((L.RETURN, ref, ins.batch_id))
            else:
                _exception(out, statement_key, line, K.RETURN_WITHOUT_RESULT, line.amount, ins, None,
                           f"status hasil bank {ins.status}, bukan RETURNED")
        else:
            out.kinds.append((L.CREDIT, None, None))
    return out


def _debit(out: Matched, line: Line, amount: int, ins: Instruction | None, batch: Batch | None,
           net: dict[str, int], statement_key: str) -> None:
    if ins is not None:
        if ins.status == R.FAILED:
            _exception(out, statement_key, line, K.DEBIT_ON_FAILED, amount, ins, None,
                       "hasil bank: FAILED")
        elif amount != ins.amount:
            _exception(out, statement_key, line, K.AMOUNT_MISMATCH, amount, ins, None,
                       f"instruksi {ins.amount}")
        elif net.get(ins.instruction_id, 0) >= 1:
            _exception(out, statement_key, line, K.DOUBLE_DEBIT, amount, ins, None,
                       "sudah didebet sebelumnya dan tidak dikembalikan")
        else:
            net[ins.instruction_id] = net.get(ins.instruction_id, 0) + 1
            _debited(out, line, ins)
            out.kinds.append((L.DEBIT, ins.instruction_id, ins.batch_id))
        return
    if batch is not None:
        if any(net.get(i.instruction_id, 0) >= 1 for i in batch.paid):
            _exception(out, statement_key, line, K.DOUBLE_DEBIT, amount, None, batch,
                       "instruksi batch ini sudah didebet sebelumnya")
        elif amount != batch.total:
            _exception(out, statement_key, line, K.AMOUNT_MISMATCH, amount, None, batch,
                       f"jumlah instruksi berhasil {batch.total}")
        else:
            for paid in batch.paid:
                net[paid.instruction_id] = net.get(paid.instruction_id, 0) + 1
                _debited(out, line, paid)
            out.kinds.append((L.BULK_DEBIT, None, batch.batch_id))
        return
    _exception(out, statement_key, line, K.UNKNOWN_DEBIT, amount, None, None,
               "bukan instruksi atau batch dari aplikasi ini")


def _debited(out: Matched, line: Line, ins: Instruction) -> None:
    out.debited_instructions.add(ins.instruction_id)
    if ins.current:
        out.debited[ins.claim_id] = line.value_date


def _exception(out: Matched, statement_key: str, line: Line, kind: str, amount: int,
               ins: Instruction | None, batch: Batch | None, detail: str) -> None:
    # The line names the batch only for a batch's own debit: a single instruction's line must not
    # count as a debit of its whole batch (MISSING_DEBIT looks for either).
    out.kinds.append((L.EXCEPTION, ins.instruction_id if ins else None, batch.batch_id if batch else None))
    out.exceptions.append(Draft(
        key=f"{kind}:{statement_key}:{line.line_no}", kind=kind, line_no=line.line_no,
        instruction_id=ins.instruction_id if ins else None,
        batch_id=batch.batch_id if batch else ins.batch_id if ins else None,
        claim_no=ins.claim_no if ins else None, amount=amount, value_date=line.value_date,
        customer_reference=line.customer_reference, detail=detail))


def missing_cutoff(closing_date: dt.date, grace_working_days: int,
                   is_working_day: Callable[[dt.date], bool]) -> dt.date:
    """The last value date that is more than `grace_working_days` working days before `closing_date`.

    A SUCCESS valued on or before it with no debit in any statement is a MISSING_DEBIT:
    working days in (value_date, closing_date] exceed the grace.
    """
    day, count = closing_date, 0
    while True:
        if is_working_day(day):
            count += 1  # now the working days in (day - 1, closing_date]
        day -= dt.timedelta(days=1)
        if count > grace_working_days:
            return day
