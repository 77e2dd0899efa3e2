"""Claims export (CLI `claims export`, and the UI's CSV download): streamed row by row."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from models import Claim

# The columns of a claims export, in this order (the CSV header, the JSON keys): who is paid
# what, to which account, where the payment stands, and the case behind it.
EXPORT_FIELDS = (
    "claim_no", "revision", "status", "case_no", "kpj", "nik", "worker_name", "kabupaten_code",
    "occupation", "accident_date", "benefit_type", "decision", "approved_amount",
    "beneficiary_name", "beneficiary_relation", "beneficiary_nik", "bank_code", "account_no",
    "instruction_id", "batch_id", "bank_reference", "paid_date", "failure_code", "hold_reason",
    "review_reason", "flagged", "verified_at", "received_at",
)


def export_rows(query=None, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Yield claims as plain dicts, keyset-paginated so memory stays flat at 1M claims."""
    query = query if query is not None else Claim.select()
    fields = [getattr(Claim, name) for name in EXPORT_FIELDS]
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
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


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
