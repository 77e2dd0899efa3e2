"""Tables of bank statement reconciliation (contract section 10), created by migration 0009.

models.py holds the claim-and-payout tables; a later capability keeps its own tables in its
core package, and `core.schema.TABLES` lists them all (tests, schema checks, drop_all).

- `Statement`: one imported MT940 statement of the programme account. Its SHA-256 and its
  (account, :20:, :28C:) are unique: the same statement is never applied twice.
- `StatementLine`: one `:61:` line, with what it was matched to (`kind`).
- `StatementException`: what a supervisor must look at; `key` is unique, so a re-run or a
  later statement never records the same exception twice. Kept until resolved with a reason.
"""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from models import BaseModel, utcnow


class LineKind:
    """StatementLine.kind: what a `:61:` line was matched to."""
    DEBIT = "DEBIT"  # one instruction's debit
    BULK_DEBIT = "BULK_DEBIT"  # a batch's debit: the sum of its successful instructions
    RETURN = "RETURN"  # a returned instruction's credit
    CREDIT = "CREDIT"  # money in that is not ours to match (a top-up of the programme account)
    EXCEPTION = "EXCEPTION"  # recorded as a StatementException


class ExceptionKind:
    UNKNOWN_DEBIT = "UNKNOWN_DEBIT"
    DOUBLE_DEBIT = "DOUBLE_DEBIT"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    DEBIT_ON_FAILED = "DEBIT_ON_FAILED"
    MISSING_DEBIT = "MISSING_DEBIT"
    RETURN_WITHOUT_RESULT = "RETURN_WITHOUT_RESULT"
    ALL = (UNKNOWN_DEBIT, DOUBLE_DEBIT, AMOUNT_MISMATCH, DEBIT_ON_FAILED, MISSING_DEBIT,
           RETURN_WITHOUT_RESULT)


class Statement(BaseModel):
    """One MT940 statement of the programme account; balances in whole Rupiah (credit positive)."""
    sha256 = CharField(max_length=64, unique=True)
    account = CharField(max_length=35)  # :25:
    reference = CharField(max_length=16)  # :20:
    number = CharField(max_length=16)  # :28C: statement/sequence, as written
    opening_balance = BigIntegerField()  # :60F:
    opening_date = DateField()
    closing_balance = BigIntegerField()  # :62F:
    closing_date = DateField()
    line_count = IntegerField(default=0)
    debit_total = BigIntegerField(default=0)
    credit_total = BigIntegerField(default=0)
    gap = BigIntegerField(null=True)  # opening minus the previous statement's closing, when not 0
    file_name = CharField(max_length=200)
    imported_at = DateTimeField(default=utcnow)
    imported_by = CharField(max_length=64)  # a username, "cli" or "job:bank_pull"

    class Meta:
        indexes = ((("account", "reference", "number"), True), (("closing_date",), False))


class StatementLine(BaseModel):
    """One `:61:` transaction; amount is positive, `mark` says D (debit) or C (credit)."""
    statement = ForeignKeyField(Statement, backref="lines", on_delete="CASCADE", index=False)
    line_no = IntegerField()  # the transaction's position in the statement, from 1
    value_date = DateField()
    mark = CharField(max_length=2)  # D, C, RD, RC (reversals)
    amount = BigIntegerField()
    customer_reference = CharField(max_length=16, null=True)
    bank_reference = CharField(max_length=35, null=True)
    details = TextField(null=True)  # :86:
    kind = CharField(max_length=16)  # LineKind
    instruction_id = CharField(max_length=32, null=True)  # matched instruction (DEBIT, RETURN)
    batch_id = CharField(max_length=32, null=True)  # matched batch (BULK_DEBIT)

    class Meta:
        indexes = ((("statement", "line_no"), True), (("instruction_id", "kind"), False),
                   (("batch_id", "kind"), False))


class StatementException(BaseModel):
    """A movement of the account (or a missing one) that does not tie out; open until resolved."""
    key = CharField(max_length=100, unique=True)  # one exception per fact, whatever re-runs
    kind = CharField(max_length=24)  # ExceptionKind
    instruction_id = CharField(max_length=32, null=True)
    batch_id = CharField(max_length=32, null=True)
    claim_no = CharField(max_length=30, null=True)
    amount = BigIntegerField(null=True)
    value_date = DateField(null=True)
    statement = ForeignKeyField(Statement, null=True, backref="exceptions", on_delete="SET NULL", index=False)
    statement_reference = CharField(max_length=16, null=True)
    customer_reference = CharField(max_length=16, null=True)
    detail = TextField(null=True)  # what was expected, in plain words
    created_at = DateTimeField(default=utcnow)
    resolved_at = DateTimeField(null=True)
    resolved_by = CharField(max_length=64, null=True)
    resolution_note = TextField(null=True)

    class Meta:
        indexes = ((("resolved_at", "created_at"), False), (("instruction_id",), False))


TABLES: list[type[Model]] = [Statement, StatementLine, StatementException]
