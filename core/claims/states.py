"""The claim state machine: the only way a claim's status changes.

Every change goes through `transition`, which checks the move is allowed, updates the
claim conditionally on the status it was read in (so two writers cannot both move it), and
writes the claim's event in the same transaction. Events that do not move the status
(a note, a revision applied in place, a flag) go through `record_event`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.db import bulk_insert, in_values, write_tx
from models import Claim, ClaimEvent, ClaimStatus, utcnow

S = ClaimStatus

# Allowed moves. None is "no claim yet": where a new claim from BPJS lands.
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.REJECTED}),
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

FINAL_OUTCOMES = frozenset({S.PAID, S.PAYOUT_FAILED})  # reported to BPJS
NOT_YET_SENT = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.REJECTED})


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
        for start in range(0, len(claim_ids), chunk):
            ids = claim_ids[start:start + chunk]
            updated = (Claim.update(**values)
                       .where(in_values(Claim.id, ids), Claim.status == from_status)
                       .execute())
            if updated != len(ids):
                raise ConcurrentChange(f"{len(ids) - updated} dari {len(ids)} klaim", from_status)
            bulk_insert(ClaimEvent, [  # executemany: peewee's insert_many builds SQL per row
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
        claim = Claim.create(status=to_status, status_changed_at=now, updated_at=now, **fields)
        _event(claim, actor, action, None, to_status, reason, details, now)
    return claim


def record_event(claim: Claim, *, actor: str, action: str, reason: str | None = None,
                 details: dict[str, Any] | None = None, **changes: Any) -> ClaimEvent:
    """Write an event that does not change the status, applying `changes` in the same transaction.

    `changes` may not include `status`: that is `transition`'s job.
    """
    if "status" in changes:
        raise ValueError("record_event cannot change the status; use transition()")
    now = utcnow()
    with write_tx():
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


def _event(claim: Claim, actor: str, action: str, from_status: str | None, to_status: str | None,
           reason: str | None, details: dict[str, Any] | None, at) -> ClaimEvent:
    return ClaimEvent.create(
        claim=claim, at=at, actor=actor, action=action, from_status=from_status,
        to_status=to_status, reason=reason,
        details=json.dumps(details, default=str, ensure_ascii=False) if details else None)
