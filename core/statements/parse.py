"""Reading an MT940 statement with the `mt-940` parser, in chunks of transactions.

The file is cut into its tags by one pass over its lines (a line starting `:NN:` or `:NNa:`
opens a tag, any other continues it); the statement's own tags (`:20:`, `:25:`, `:28C:`,
`:60F:`, `:62F:`) are parsed once, and the `:61:` lines (each with its `:86:`) are handed to
`mt940` a chunk at a time behind the same header, so its per-statement state (currency, the
statement's reference) is right for every chunk and no chunk holds more than CHUNK lines of
parsed objects. What comes out is plain: whole Rupiah as int, credit positive.

Rules of contract section 10 that are about the file itself (one statement, IDR, whole
Rupiah, balances present) reject it here, with an i18n key naming the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import mt940

CHUNK = 5000  # :61: lines per call of the parser
_TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):")
# RC (reversal of a credit) is money out: signed like a debit (mt-940 issue #130).
_OPTIONS = mt940.Options(reversal_sign=True, case_insensitive_marks=True)


class StatementRejected(Exception):
    """The statement is rejected whole; `key`/`params` name the reason (messages/statements.yaml)."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(f"{key} {params}")


class Line(NamedTuple):
    """One :61: transaction: amount in whole Rupiah, negative for money out."""
    line_no: int
    value_date: dt.date
    mark: str
    amount: int
    customer_reference: str | None
    bank_reference: str | None
    details: str | None


@dataclass
class ParsedStatement:
    account: str
    reference: str
    number: str
    currency: str
    opening_balance: int
    opening_date: dt.date
    closing_balance: int
    closing_date: dt.date
    lines: list[Line] = field(default_factory=list)

    @property
    def debit_total(self) -> int:
        return -sum(line.amount for line in self.lines if line.amount < 0)

    @property
    def credit_total(self) -> int:
        return sum(line.amount for line in self.lines if line.amount > 0)


def parse_statement(data: bytes) -> ParsedStatement:
    """The one statement in `data` (MT940 text); raises StatementRejected when it cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # SWIFT's character set is a subset of both
    header, groups, trailer = _cut(text)
    head = _parse("\n".join(header + trailer))
    info = head.data
    if not info.get("account_identification") or not info.get("transaction_reference"):
        raise StatementRejected("statement.reject.no_header")
    opening, closing = info.get("final_opening_balance"), info.get("final_closing_balance")
    if opening is None or closing is None:
        raise StatementRejected("statement.reject.no_balance")
    currency = str(opening.amount.currency)
    if currency != "IDR" or str(closing.amount.currency) != "IDR":
        raise StatementRejected("statement.reject.currency", currency=currency)
    number = str(info.get("statement_number") or "")
    if info.get("sequence_number"):
        number = f"{number}/{info['sequence_number']}"
    parsed = ParsedStatement(
        account=str(info["account_identification"]).strip(),
        reference=str(info["transaction_reference"]).strip(),
        number=number, currency=currency,
        opening_balance=_rupiah(opening.amount.amount, "60F"), opening_date=_date(opening.date),
        closing_balance=_rupiah(closing.amount.amount, "62F"), closing_date=_date(closing.date))
    line_no = 0
    for chunk in _chunks(groups):
        for transaction in _parse("\n".join(header + chunk)).transactions:
            line_no += 1
            data_ = transaction.data
            parsed.lines.append(Line(
                line_no, _date(data_["date"]), str(data_.get("status") or ""),
                _rupiah(data_["amount"].amount, f"61 #{line_no}"),
                _text(data_.get("customer_reference")), _text(data_.get("bank_reference")),
                _text(data_.get("transaction_details"))))
    if line_no != len(groups):
        raise StatementRejected("statement.reject.unreadable_lines", read=line_no, lines=len(groups))
    return parsed


def _cut(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(statement header tags, one list of lines per :61: with its :86:, closing tags)."""
    blocks: list[list[str]] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line or line in ("-", "-}") or (line.startswith("{") and not blocks):
            continue  # the SWIFT envelope ({1:...}{4:) and its end mark
        if _TAG.match(line) or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    header: list[str] = []
    groups: list[list[str]] = []
    trailer: list[str] = []
    references = 0
    for block in blocks:
        tag = _TAG.match(block[0])
        name = tag.group(1) if tag else ""
        if name == "20":
            references += 1
        if name.startswith("62") or trailer:
            trailer.extend(block)
        elif name == "61":
            groups.append(list(block))
        elif groups and name in ("86", "NS"):
            groups[-1].extend(block)
        elif groups:
            raise StatementRejected("statement.reject.tag_order", tag=name or block[0][:20])
        else:
            header.extend(block)
    if references != 1:
        raise StatementRejected("statement.reject.one_statement", count=references)
    return header, groups, trailer


def _chunks(groups: list[list[str]]) -> Iterator[list[str]]:
    for start in range(0, len(groups), CHUNK):
        yield [line for group in groups[start:start + CHUNK] for line in group]


def _parse(text: str) -> mt940.models.Transactions:
    transactions = mt940.models.Transactions(options=_OPTIONS)
    try:
        transactions.parse(text + "\n")
    except (RuntimeError, ValueError, KeyError) as exc:
        raise StatementRejected("statement.reject.unreadable", error=str(exc)[:200]) from exc
    return transactions


def _rupiah(amount: Decimal, where: str) -> int:
    """Whole Rupiah: MT940 writes `1500000,` or `1500000,00`; a fraction of a Rupiah rejects the statement."""
    if amount != amount.to_integral_value():
        raise StatementRejected("statement.reject.fraction", where=where, amount=str(amount))
    return int(amount)


def _date(value: Any) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None
