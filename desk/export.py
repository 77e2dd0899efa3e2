"""Claims export (CLI `claims export`, and the UI's downloads): streamed row by row.

CSV goes through `core.files.sheets`, the one writer that neutralises spreadsheet formulas.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from core.claims.payment_duty import PaymentDuty
from core.files.sheets import write_csv as write_sheet_csv
from models import Claim

# The columns of a claims export, in this order (the CSV header, the JSON keys): every field of
# contract section 5 (the JSON adds `days_late` after `payment_due_date`), then the few more a
# coordinator reads (decision, hold reason, flag, when we received it). Raw codes, ISO dates.
EXPORT_FIELDS = (
    "claim_no", "revision", "status", "case_no", "kpj", "nik", "worker_name", "kabupaten_code",
    "occupation", "accident_date", "benefit_type", "decision", "approved_amount",
    "beneficiary_name", "beneficiary_relation", "beneficiary_nik", "account_holder_name", "bank_code",
    "account_no", "verified_at", "payment_due_date", "review_reason", "instruction_id", "batch_id",
    "bank_reference", "paid_date", "failure_code", "debited_on", "hold_reason", "flagged", "received_at",
)


def export_rows(query=None, chunk: int = 2000, extra: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """Yield claims as plain dicts, keyset-paginated so memory stays flat at 1M claims.

    `extra`: more Claim columns, after the export fields (one already among them is not repeated).
    """
    query = query if query is not None else Claim.select()
    fields = [getattr(Claim, name) for name in dict.fromkeys(EXPORT_FIELDS + extra)]
    last_id = 0
    while True:
        page = list(query.select(Claim.id, *fields).where(Claim.id > last_id)
                    .order_by(Claim.id).limit(chunk).dicts())
        if not page:
            return
        last_id = page[-1]["id"]
        for row in page:
            row.pop("id")
            yield {k: plain_value(v) for k, v in row.items()}


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """The export as CSV (header, then one line a claim); text that would start a formula is quoted."""
    return write_sheet_csv(out, EXPORT_FIELDS, rows)


def with_days_late(rows: Iterator[dict[str, Any]], duty: PaymentDuty,
                   today: dt.date) -> Iterator[dict[str, Any]]:
    """Rows of `export_rows` with their `days_late` after `payment_due_date` (the JSON export):
    working days past the due date until paid, or until `today` while unpaid."""
    for row in rows:
        due, paid = row["payment_due_date"], row["paid_date"]
        late = duty.claim_days_late(row["status"], due and dt.date.fromisoformat(due),
                                    paid and dt.date.fromisoformat(paid), today)
        out: dict[str, Any] = {}
        for key, value in row.items():
            out[key] = value
            if key == "payment_due_date":
                out["days_late"] = late
        yield out


def write_json(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """A JSON array written element by element (never the whole list in memory)."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def plain_value(value: Any) -> Any:
    """A database value as exported: dates ISO, naive-UTC datetimes with their +00:00 offset."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
