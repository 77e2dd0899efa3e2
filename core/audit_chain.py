"""The audit trail's hash chain: each AuditLog row carries SHA-256 of its content and the previous row's hash.

Why: the audit log was append-only by convention only; a row edited or deleted with plain SQL left
no trace. Now an edited row no longer matches its own hash, a deleted or inserted row breaks the
`prev_hash` link of the row after it, and a deleted last row no longer matches the chain head (the
`Counter` row HEAD, holding the id of the last row appended). `verify_chain()` walks the rows in id
order and names the first broken link; `check` and the audit page's "Periksa rantai" run it.
Limit: there is no secret key, so whoever can rewrite the table AND recompute every later hash
is not caught; the chain shows edits made behind the application's back, it does not prevent them.

Canonical form hashed (`link_hash`): JSON of FIELDS with sorted keys, no spaces, None as null,
`at` as ISO text with microseconds, `details` as the stored JSON text. The first row's prev_hash
is None. Money events (ClaimEvent) are not chained.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.db import allocate_ids, lock_row, write_tx
from core.text.i18n import t
from models import AuditLog, Counter, utcnow

HEAD = "audit_chain_head"  # Counter row: id of the chain's last row
FIELDS = ("id", "at", "username", "action", "target", "details", "ip", "prev_hash")
CHUNK = 5000


def link_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of one row's canonical form; `row` holds FIELDS (stored values)."""
    content = {name: row.get(name) for name in FIELDS}
    content["at"] = _iso(content["at"])
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(at: Any) -> Any:
    if isinstance(at, str):  # SQLite keeps times as text; raw SQL hands the text back
        try:
            at = dt.datetime.fromisoformat(at)
        except ValueError:
            return at
    return at.isoformat(timespec="microseconds") if isinstance(at, dt.datetime) else at


def append(**fields: Any) -> AuditLog:
    """Insert one audit row as the chain's new last link.

    The head is locked inside the write transaction so two appends never link to the same
    row (a fork): on PostgreSQL the HEAD row is locked FOR UPDATE until commit; on SQLite
    `write_tx()` is BEGIN IMMEDIATE, which serialises writers already. Call `audit()`.
    """
    with write_tx():
        head = lock_head()
        prev = (AuditLog.select(AuditLog.hash).where(AuditLog.id == head.value).scalar()
                if head.value else None)
        row = {**fields, "id": allocate_ids(AuditLog, 1)[0], "at": fields.get("at") or utcnow(),
               "prev_hash": prev}
        row["hash"] = link_hash(row)
        AuditLog.insert(**row).execute()
        Counter.update(value=row["id"]).where(Counter.name == HEAD).execute()
    return AuditLog.get_by_id(row["id"])


def lock_head() -> Counter:
    """The chain head, created when missing, locked for this transaction. Call inside `write_tx()`."""
    Counter.insert(name=HEAD, value=0).on_conflict_ignore().execute()
    head = lock_row(Counter, Counter.name == HEAD)
    assert head is not None
    return head


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link: `kind` is no_hash, changed, gap or head (keys audit_chain.<kind>)."""
    kind: str
    row_id: int  # the row found broken (for `head`: the last row the head names)
    before_id: int | None  # the last intact row before it (None: it is the first)

    def message(self, lang: str) -> str:
        before = str(self.before_id) if self.before_id else t("audit_chain.start", lang)
        return t(f"audit_chain.{self.kind}", lang, row=str(self.row_id), before=before)

    def __str__(self) -> str:
        return f"{self.message('id')} / {self.message('en')}"


@dataclass(frozen=True)
class ChainReport:
    checked: int  # rows whose link held
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(chunk: int = CHUNK) -> ChainReport:
    """Walk the chain in id order; stop at the first broken link."""
    head = Counter.get_or_none(Counter.name == HEAD)
    expected: str | None = None
    last, checked = 0, 0
    columns = [getattr(AuditLog, name) for name in FIELDS] + [AuditLog.hash]
    while True:
        rows: Sequence[dict[str, Any]] = list(
            AuditLog.select(*columns).where(AuditLog.id > last).order_by(AuditLog.id).limit(chunk).dicts())
        for row in rows:
            kind = ("no_hash" if not row["hash"] else "gap" if row["prev_hash"] != expected
                    else "changed" if link_hash(row) != row["hash"] else None)
            if kind:
                return ChainReport(checked, ChainBreak(kind, row["id"], last or None))
            expected, last, checked = row["hash"], row["id"], checked + 1
        if len(rows) < chunk:
            break
    head_id = head.value if head else 0
    if head_id != last:  # the last rows were deleted (or rows appended behind the head's back)
        return ChainReport(checked, ChainBreak("head", head_id, last or None))
    return ChainReport(checked, None)
