"""The two hash chains: the audit trail (AuditLog) and the money events (ClaimEvent).

Each row carries SHA-256 of its content and the previous row's hash (`prev_hash`), in id order.
Why: both logs were append-only by convention only; a row edited or deleted with plain SQL left
no trace. Now an edited row no longer matches its own hash, a deleted or inserted row breaks the
`prev_hash` link of the row after it, and a deleted last row no longer matches the chain head (a
`Counter` row per chain holding the id of the last row appended). `verify_chain()` walks one chain
in id order and names the first broken link; `check` and the audit page's "Periksa rantai" walk
both (`verify_chains`). Limit: there is no secret key, so whoever can rewrite the table AND
recompute every later hash is not caught; the chain shows edits made behind the application's
back, it does not prevent them.

Canonical form hashed (`link_hash`): JSON of the chain's fields with sorted keys, no spaces, None
as null, `at` as ISO text with microseconds, `details` as the stored JSON text, the claim of an
event as its id. The first row's prev_hash is None.

Writers: `core.audit.audit()` appends one audit row (`append`); the claim state machine
(`core.claims.states`) links every ClaimEvent it writes with `link_rows(MONEY, rows)` just before
inserting them, in bulk for intake and bank_push (the hashes are computed in Python over the rows,
so the chain costs no extra round trip per row). The head is locked inside the write transaction,
so two writers never link to the same row (a fork) and the ids follow the chain's order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Model

from core.db import allocate_ids, lock_row, write_tx
from core.text.i18n import t
from models import AuditLog, ClaimEvent, Counter, utcnow

HEAD = "audit_chain_head"  # Counter row: id of the audit chain's last row
FIELDS = ("id", "at", "username", "action", "target", "details", "ip", "prev_hash")
CHUNK = 5000
# The canonical JSON encoder, made once: json.dumps with options builds a new encoder per call,
# which was most of the chain's cost on a 100,000-event bulk write.
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Chain:
    """One hash-chained table: `key` names its messages (`<key>_chain.*`)."""
    key: str
    model: type[Model]
    head: str  # the Counter row holding the id of the chain's last row
    fields: tuple[str, ...]  # the columns hashed (peewee field names), prev_hash included


AUDIT = Chain("audit", AuditLog, HEAD, FIELDS)
MONEY = Chain("money", ClaimEvent, "claim_event_chain_head",
              ("id", "claim", "at", "actor", "action", "from_status", "to_status", "reason", "details",
               "prev_hash"))
CHAINS = (AUDIT, MONEY)


def link_hash(row: Mapping[str, Any], chain: Chain = AUDIT) -> str:
    """SHA-256 (hex) of one row's canonical form; `row` holds the chain's fields (stored values)."""
    return _hash(row, chain.fields, _iso(row.get("at")))


def _hash(row: Mapping[str, Any], fields: tuple[str, ...], iso_at: Any) -> str:
    content = {name: row.get(name) for name in fields}
    content["at"] = iso_at
    claim = content.get("claim")
    if isinstance(claim, Model):
        content["claim"] = claim.id
    return hashlib.sha256(_ENCODE(content).encode("utf-8")).hexdigest()


def _iso(at: Any) -> Any:
    if isinstance(at, str):  # SQLite keeps times as text; raw SQL hands the text back
        try:
            at = dt.datetime.fromisoformat(at)
        except ValueError:
            return at
    return at.isoformat(timespec="microseconds") if isinstance(at, dt.datetime) else at


def append(**fields: Any) -> AuditLog:
    """Insert one audit row as the chain's new last link. Call `audit()`."""
    row = {**fields, "at": fields.get("at") or utcnow()}
    with write_tx():
        link_rows(AUDIT, [row])
        AuditLog.insert(**row).execute()
    return AuditLog.get_by_id(row["id"])


def link_rows(chain: Chain, rows: Sequence[dict[str, Any]]) -> None:
    """Make `rows` (dicts about to be inserted, in order) the chain's next links: give each its
    id (unless it has one), `prev_hash` and `hash`, and move the head to the last of them.

    Call inside `write_tx()` and insert the rows in the same transaction: the head stays locked
    until commit (PostgreSQL: FOR UPDATE; SQLite: BEGIN IMMEDIATE serialises writers already), so
    a concurrent writer waits and links after these rows; a rollback undoes the head with them.
    Rows given their own ids (demo data) must carry ids above the chain's last one, in order.
    """
    if not rows:
        return
    head = lock_head(chain)
    prev = (chain.model.select(chain.model.hash).where(chain.model.id == head.value).scalar()
            if head.value else None)
    missing = [row for row in rows if row.get("id") is None]
    for row, new_id in zip(missing, allocate_ids(chain.model, len(missing)), strict=True):
        row["id"] = new_id
    times: dict[Any, Any] = {}  # the rows of one bulk write mostly share one time: format it once
    fields = chain.fields
    for row in rows:
        row["prev_hash"] = prev
        at = row.get("at")
        iso = times.get(at)
        if iso is None:
            iso = times[at] = _iso(at)
        prev = row["hash"] = _hash(row, fields, iso)
    Counter.update(value=rows[-1]["id"]).where(Counter.name == chain.head).execute()


def lock_head(chain: Chain = AUDIT) -> Counter:
    """The chain head, created when missing, locked for this transaction. Call inside `write_tx()`.

    A writer that also changes claims takes it FIRST (see core.claims.states), so two writers
    never hold a claim row and the head in opposite orders (a PostgreSQL deadlock).
    """
    Counter.insert(name=chain.head, value=0).on_conflict_ignore().execute()
    head = lock_row(Counter, Counter.name == chain.head)
    assert head is not None
    return head


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link: `kind` is no_hash, changed, gap or head (keys <chain>_chain.<kind>)."""
    kind: str
    row_id: int  # the row found broken (for `head`: the last row the head names)
    before_id: int | None  # the last intact row before it (None: it is the first)
    chain: str = "audit"

    def message(self, lang: str) -> str:
        before = str(self.before_id) if self.before_id else t(f"{self.chain}_chain.start", lang)
        return t(f"{self.chain}_chain.{self.kind}", lang, row=str(self.row_id), before=before)

    def __str__(self) -> str:
        return f"{self.message('id')} / {self.message('en')}"


@dataclass(frozen=True)
class ChainReport:
    checked: int  # rows whose link held
    broken: ChainBreak | None
    chain: str = "audit"

    @property
    def intact(self) -> bool:
        return self.broken is None

    def message(self, lang: str) -> str:
        """The first broken link, or how many rows hold, in `lang`."""
        if self.broken:
            return self.broken.message(lang)
        return t(f"{self.chain}_chain.intact", lang, count=self.checked)

    def __str__(self) -> str:
        return f"{self.message('id')} / {self.message('en')}"


def verify_chain(chunk: int = CHUNK, chain: Chain = AUDIT) -> ChainReport:
    """Walk one chain in id order; stop at the first broken link."""
    model = chain.model
    head = Counter.get_or_none(Counter.name == chain.head)
    expected: str | None = None
    last, checked = 0, 0
    columns = [getattr(model, name) for name in chain.fields] + [model.hash]
    while True:
        rows: Sequence[dict[str, Any]] = list(
            model.select(*columns).where(model.id > last).order_by(model.id).limit(chunk).dicts())
        for row in rows:
            kind = ("no_hash" if not row["hash"] else "gap" if row["prev_hash"] != expected
                    else "changed" if link_hash(row, chain) != row["hash"] else None)
            if kind:
                return ChainReport(checked, ChainBreak(kind, row["id"], last or None, chain.key), chain.key)
            expected, last, checked = row["hash"], row["id"], checked + 1
        if len(rows) < chunk:
            break
    head_id = head.value if head else 0
    if head_id != last:  # the last rows were deleted (or rows appended behind the head's back)
        return ChainReport(checked, ChainBreak("head", head_id, last or None, chain.key), chain.key)
    return ChainReport(checked, None, chain.key)


def verify_chains(chunk: int = CHUNK) -> list[ChainReport]:
    """Walk every chain (the audit trail, then the money events): one report each."""
    return [verify_chain(chunk, chain) for chain in CHAINS]
