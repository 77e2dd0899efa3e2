"""The claim state machine: the only way a claim's status changes.

Every change goes through `transition`, which checks the move is allowed, updates the
claim conditionally on the status it was read in (so two writers cannot both move it), and
writes the claim's event in the same transaction. Events that do not move the status
(a note, a revision applied in place, a flag) go through `record_event`. The batch jobs
use the bulk forms: `transition_many` (bank_push), `create_claims` (intake of a BPJS file)
and `mark_reported` (the BPJS payout status report). Status groups: `core.claims.statuses`.

Every event is a link of the money events' hash chain (`core.audit_chain.MONEY`): `_insert_events`
hashes the rows in Python and inserts them in bulk. Each writer locks the chain head FIRST in its
transaction, before touching a claim, so on PostgreSQL no two writers hold a claim row and the
head in opposite orders (deadlock); concurrent writers of events serialise on the head.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from core.audit_chain import MONEY, link_rows, lock_head
from core.claims.name_search import index_new_names
from core.claims.statuses import FINAL_OUTCOMES, FIRST
from core.claims.tally import count_new_claims
from core.db import bulk_insert, in_values, write_tx
from models import Claim, ClaimEvent, ClaimStatus, utcnow

S = ClaimStatus

# Allowed moves. None is "no claim yet": where a new claim from BPJS lands.
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: FIRST,
    # Pre-payout checks, corrections and approvals move claims among the first three.
    S.NEEDS_REVIEW: frozenset({S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.REJECTED, S.CANCELLED}),
    S.AWAITING_APPROVAL: frozenset({S.NEEDS_REVIEW, S.READY, S.ON_HOLD, S.REJECTED, S.CANCELLED}),
    S.READY: frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.ON_HOLD, S.INSTRUCTED, S.REJECTED,
                        S.CANCELLED}),
    # Release from hold re-runs the checks, so it may land in any of the three.
    S.ON_HOLD: frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.CANCELLED}),
    # Once at the bank, only the bank's answer moves it.
    S.INSTRUCTED: frozenset({S.PAID, S.PAYOUT_FAILED}),
    # RETURNED: the credit came back; the money is in the programme account again.
    S.PAID: frozenset({S.PAYOUT_FAILED}),
    # A failed payout is fixed (details corrected -> approval) and sent again, held or cancelled.
    S.PAYOUT_FAILED: frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD,
                                S.CANCELLED}),
    # A higher BPJS revision may turn a rejection into a payable decision.
    S.REJECTED: frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.CANCELLED}),
    S.CANCELLED: frozenset(),
}


class IllegalTransition(Exception):
    """A status change the state machine does not allow."""

    def __init__(self, claim_no: str, from_status: str | None, to_status: str):
        self.claim_no, self.from_status, self.to_status = claim_no, from_status, to_status
        super().__init__(
            f"Klaim {claim_no}: status tidak dapat diubah dari {from_status or '(baru)'} ke {to_status}"
            f" / claim {claim_no}: cannot move from {from_status or '(new)'} to {to_status}")


class ConcurrentChange(Exception):
    """The claim changed under us (another user or job moved it first)."""

    def __init__(self, claim_no: str, expected: str):
        self.claim_no = claim_no
        super().__init__(
            f"Klaim {claim_no} baru saja diubah oleh pengguna atau tugas lain (bukan lagi {expected});"
            " muat ulang lalu coba lagi")


def can_transition(from_status: str | None, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def transition(claim: Claim, to_status: str, *, actor: str, action: str, reason: str | None = None,
               details: dict[str, Any] | None = None, **changes: Any) -> ClaimEvent:
    """Move `claim` to `to_status`, apply `changes` to its fields, and write its event.

    Raises IllegalTransition for a move the table forbids and ConcurrentChange when the
    claim is no longer in the status it was read in. `claim` is updated in memory.
    """
    from_status = claim.status
    if not can_transition(from_status, to_status):
        raise IllegalTransition(claim.claim_no, from_status, to_status)
    now = utcnow()
    values = {**changes, "status": to_status, "status_changed_at": now, "updated_at": now}
    if to_status in FINAL_OUTCOMES:
        values["report_pending"] = True
    with write_tx():
        lock_head(MONEY)  # first: see the module's docstring
        updated = (Claim.update(**values)
                   .where(Claim.id == claim.id, Claim.status == from_status)
                   .execute())
        if updated != 1:
            raise ConcurrentChange(claim.claim_no, from_status)
        for name, value in values.items():
            setattr(claim, name, value)
        return _event(claim, actor, action, from_status, to_status, reason, details, now)


def transition_many(claim_ids: list[int], from_status: str, to_status: str, *, actor: str, action: str,
                    reason: str | None = None, details: Mapping[int, dict[str, Any] | str] | None = None,
                    chunk: int = 500, **changes: Any) -> int:
    """Move many claims that are all in `from_status` at once (batch jobs, bulk UI actions).

    All or nothing: if any claim is no longer in `from_status`, nothing moves and
    ConcurrentChange is raised. `details` maps a claim id to its event details.
    Returns the number of claims moved. Call inside or outside a transaction.
    """
    if not can_transition(from_status, to_status):
        raise IllegalTransition(f"{len(claim_ids)} klaim", from_status, to_status)
    now = utcnow()
    values = {**changes, "status": to_status, "status_changed_at": now, "updated_at": now}
    if to_status in FINAL_OUTCOMES:
        values["report_pending"] = True
    details = details or {}
    with write_tx():
        lock_head(MONEY)  # first: see the module's docstring
        for start in range(0, len(claim_ids), chunk):
            ids = claim_ids[start:start + chunk]
            updated = (Claim.update(**values)
                       .where(in_values(Claim.id, ids), Claim.status == from_status)
                       .execute())
            if updated != len(ids):
                raise ConcurrentChange(f"{len(ids) - updated} dari {len(ids)} klaim", from_status)
            _insert_events([  # executemany/COPY: peewee's insert_many builds SQL per row
                {"claim": cid, "at": now, "actor": actor, "action": action, "from_status": from_status,
                 "to_status": to_status, "reason": reason,
                 "details": _details_json(details.get(cid))}
                for cid in ids
            ])
    return len(claim_ids)


def _details_json(details: dict[str, Any] | str | None) -> str | None:
    """Event details as stored: a dict is serialised; a str is taken as JSON already written
    (bulk callers build it with an f-string: 100k json.dumps calls cost half a second)."""
    if details is None or isinstance(details, str):
        return details
    return json.dumps(details, default=str, ensure_ascii=False)


def create_claim(to_status: str, *, actor: str, action: str = "RECEIVED", reason: str | None = None,
                 details: dict[str, Any] | None = None, **fields: Any) -> Claim:
    """Insert a new claim straight into its first status, with its first event."""
    if not can_transition(None, to_status):
        raise IllegalTransition(fields.get("claim_no", "?"), None, to_status)
    now = utcnow()
    with write_tx():
        lock_head(MONEY)  # first: see the module's docstring
        claim = Claim.create(status=to_status, status_changed_at=now, updated_at=now, **fields)
        _event(claim, actor, action, None, to_status, reason, details, now)
        index_new_names()  # the name search's index, in the same transaction
        count_new_claims()  # and the claim tally (SQLite; PostgreSQL's triggers did)
    return claim


def create_claims(rows: list[dict[str, Any]], *, actor: str, reasons: Sequence[str | None],
                  details: Sequence[dict[str, Any] | str | None], action: str = "RECEIVED",
                  at: dt.datetime | None = None) -> int:
    """Insert many new claims straight into their first status, each with its first event
    (`create_claim` in bulk: one multi-row insert per table, for intake of a BPJS file).

    Each row carries every Claim column it sets, its `id` (`core.db.allocate_ids`) and its
    `status`; `status_changed_at` and `updated_at` are set here to `at` (default now), the
    time of the events. `reasons[i]` and `details[i]` go in the event of `rows[i]` (details
    as for `transition_many`). Raises IllegalTransition, writing nothing, if a row's status
    is not one a new claim may start in. Call inside `write_tx()`; returns the row count.
    """
    for status in {row["status"] for row in rows}:
        if not can_transition(None, status):
            claim_no = next(row["claim_no"] for row in rows if row["status"] == status)
            raise IllegalTransition(claim_no, None, status)
    now = at or utcnow()
    for row in rows:
        row["status_changed_at"] = row["updated_at"] = now
    with write_tx():
        lock_head(MONEY)  # first: see the module's docstring
        bulk_insert(Claim, rows)
        index_new_names()  # the name search's index, one INSERT ... SELECT for the chunk
        count_new_claims()  # and the claim tally, one grouped upsert (SQLite)
        _insert_events([
            {"claim": row["id"], "at": now, "actor": actor, "action": action, "from_status": None,
             "to_status": row["status"], "reason": reason, "details": _details_json(detail)}
            for row, reason, detail in zip(rows, reasons, details, strict=True)])
    return len(rows)


def record_event(claim: Claim, *, actor: str, action: str, reason: str | None = None,
                 details: dict[str, Any] | None = None, **changes: Any) -> ClaimEvent:
    """Write an event that does not change the status, applying `changes` in the same transaction.

    `changes` may not include `status`: that is `transition`'s job.
    """
    if "status" in changes:
        raise ValueError("record_event cannot change the status; use transition()")
    now = utcnow()
    with write_tx():
        lock_head(MONEY)  # first: see the module's docstring
        if changes:
            changes["updated_at"] = now
            updated = (Claim.update(**changes)
                       .where(Claim.id == claim.id, Claim.status == claim.status)
                       .execute())
            if updated != 1:
                raise ConcurrentChange(claim.claim_no, claim.status)
            for name, value in changes.items():
                setattr(claim, name, value)
        return _event(claim, actor, action, claim.status, claim.status, reason, details, now)


def mark_reported(reported: Sequence[tuple[Claim, str]], *, actor: str, file_name: str, at: dt.datetime,
                  chunk: int = 500) -> int:
    """Record that BPJS has been told each claim's final outcome: (claim, label sent) pairs.

    Clears `report_pending` (set by `transition` on reaching a final outcome, so a later
    outcome is reported again), keeps the label and time, and writes a REPORTED event
    that leaves the status as it is. Only a claim still in the status it was read in and
    still pending is marked. Call inside `write_tx()`, with the claims read in it.
    """
    with write_tx():
        lock_head(MONEY)  # first: see the module's docstring
        for start in range(0, len(reported), chunk):
            part: dict[tuple[str, str], list[int]] = {}
            for claim, label in reported[start:start + chunk]:
                part.setdefault((claim.status, label), []).append(claim.id)
            for (status, label), ids in part.items():
                (Claim.update(report_pending=False, reported_status=label, reported_at=at)
                 .where(Claim.id.in_(ids), Claim.status == status,
                        Claim.report_pending)  # the bare column, as in statuses.awaiting_report
                 .execute())
        _insert_events([
            {"claim": claim.id, "at": at, "actor": actor, "action": "REPORTED", "from_status": claim.status,
             "to_status": claim.status, "reason": None,
             "details": json.dumps({"file": file_name, "status": label})}
            for claim, label in reported])
    return len(reported)


def _event(claim: Claim, actor: str, action: str, from_status: str | None, to_status: str | None,
           reason: str | None, details: dict[str, Any] | None, at) -> ClaimEvent:
    row = {"claim": claim.id, "at": at, "actor": actor, "action": action, "from_status": from_status,
           "to_status": to_status, "reason": reason,
           "details": json.dumps(details, default=str, ensure_ascii=False) if details else None}
    _insert_events([row])
    return ClaimEvent(**{**row, "claim": claim})


def _insert_events(rows: list[dict[str, Any]]) -> None:
    """Insert event rows as the money chain's next links (ids, prev_hash, hash set on the rows).
    Call inside `write_tx()`, after `lock_head(MONEY)`."""
    link_rows(MONEY, rows)
    bulk_insert(ClaimEvent, rows)
