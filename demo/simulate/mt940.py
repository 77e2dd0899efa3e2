"""A small MT940 writer: the demo bank's daily statement, and the statements tests build.

SWIFT MT940 as Bank NTT would send it for the programme account: `:20:` reference, `:25:`
account, `:28C:` statement/sequence number, `:60F:` opening balance, one `:61:` per movement
(value date, entry date, D/C mark, amount with a decimal comma, `NTRF`, our reference as
the customer reference, `//` the bank's reference) with its `:86:` text, and `:62F:` the
closing balance. Lines end in CRLF, as SWIFT files do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Movement:
    value_date: dt.date
    mark: str  # D (money out) or C (money in); RD / RC for reversals
    amount: int  # whole Rupiah, positive
    customer_reference: str = "NONREF"
    bank_reference: str = ""
    details: str = ""


def amount_text(rupiah: int) -> str:
    """`1500000,` : whole Rupiah with the decimal comma MT940 requires."""
    return f"{rupiah},"


def balance(tag: str, rupiah: int, day: dt.date) -> str:
    mark = "C" if rupiah >= 0 else "D"
    return f":{tag}:{mark}{day:%y%m%d}IDR{amount_text(abs(rupiah))}"


def build_mt940(*, account: str, reference: str, number: str, opening: int, opening_date: dt.date,
                movements: Iterable[Movement], closing_date: dt.date | None = None,
                closing: int | None = None) -> str:
    """The statement's text. `closing` defaults to opening plus the movements (a test may break it)."""
    lines = [f":20:{reference}", f":25:{account}", f":28C:{number}", balance("60F", opening, opening_date)]
    total, last = opening, opening_date
    for move in movements:
        sign = -1 if move.mark in ("D", "RC") else 1
        total += sign * move.amount
        last = max(last, move.value_date)
        bank = f"//{move.bank_reference}" if move.bank_reference else ""
        lines.append(f":61:{move.value_date:%y%m%d%m%d}{move.mark}{amount_text(move.amount)}"
                     f"NTRF{move.customer_reference}{bank}")
        if move.details:
            lines.append(f":86:{move.details}")
    lines.append(balance("62F", total if closing is None else closing, closing_date or last))
    return "\r\n".join(lines) + "\r\n"
