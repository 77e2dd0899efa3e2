"""Preview and perform: the two halves of every claim action, sharing the one planner.

- `preview(...)` reads, checks the role and the input, and returns the plan: which claims
  move from which status to which, their count and Rupiah total, which are skipped and
  why, and a digest of the plan.
- `perform(...)` plans again inside one write transaction, refuses when the digest differs
  from the one previewed (someone or some job changed the claims meanwhile), applies every
  step through `core.claims.states` (so each claim gets its event) and writes one audit row.
A refused action raises `desk.refusal.Refused` and writes nothing. The role is read from the
database inside the action (a demoted or deactivated user is refused at once), never taken
from the caller.
"""

from __future__ import annotations

import json
from typing import Any

from core.audit import audit
from core.claims.queries import ClaimFilter
from core.claims.states import record_event, transition, transition_many
from core.db import write_tx
from desk.acting import REASON_MAX, acting_user
from desk.claims.actions import BULK_ACTIONS, EVENT_ACTION, REASON_OPTIONAL, Rules, Target
from desk.claims.bank_details import BankDetails, check_bank
from desk.claims.plan import Ask, plan
from desk.claims.steps import Outcome, Preview, Step
from desk.permissions import Action
from desk.refusal import Refused
from models import Claim, User


def preview(action: Action, target: Target, *, by: str, rules: Rules, reason: str | None = None,
            bank: BankDetails | None = None) -> Preview:
    """The plan of `action` on `target` (claim ids, or every claim matching a filter), read-only.

    The reason may still be empty (people read the plan, then write why). Raises Refused
    when the user may not do it, the input is invalid, or the target is too large. Claims
    the action does not apply to are counted in `skipped`.
    """
    user = acting_user(by, action)
    reason = _check_input(action, target, reason, bank, reason_required=False)
    return plan(action, target, Ask(user, rules, reason, bank))


def perform(action: Action, target: Target, *, by: str, rules: Rules, reason: str | None = None,
            bank: BankDetails | None = None, expected_digest: str | None = None) -> Outcome:
    """Apply `action` as previewed; all or nothing. Raises Refused (nothing written)."""
    with write_tx():
        user = acting_user(by, action)
        reason = _check_input(action, target, reason, bank)
        planned = plan(action, target, Ask(user, rules, reason, bank))
        if not planned.steps:
            _refuse_empty(planned, target)
        if expected_digest is not None and planned.digest != expected_digest:
            raise Refused("action.error.changed", count=planned.count, total=planned.total)
        _apply(planned, user, reason)
        _audit(planned, user, target, reason)
    return Outcome(action, planned.count, planned.total, planned.moves)


def hold(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(Action.HOLD, [claim_id], by=by, rules=rules, reason=reason)


def release(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(Action.RELEASE, [claim_id], by=by, rules=rules, reason=reason)


def correct_bank_details(claim_id: int, bank: BankDetails, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(Action.CORRECT_BANK, [claim_id], by=by, rules=rules, reason=reason, bank=bank)


def approve(claim_id: int, *, by: str, rules: Rules, reason: str | None = None) -> Outcome:
    return perform(Action.APPROVE, [claim_id], by=by, rules=rules, reason=reason)


def resend(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(Action.RESEND, [claim_id], by=by, rules=rules, reason=reason)


def cancel(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(Action.CANCEL, [claim_id], by=by, rules=rules, reason=reason)


def add_note(claim_id: int, *, by: str, text: str, rules: Rules) -> Outcome:
    return perform(Action.ADD_NOTE, [claim_id], by=by, rules=rules, reason=text)


def clear_flag(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(Action.CLEAR_FLAG, [claim_id], by=by, rules=rules, reason=reason)


def clear_review(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    """Overrule the pre-payout checks that stopped the claim, with a written reason (contract section 7)."""
    return perform(Action.CLEAR_REVIEW, [claim_id], by=by, rules=rules, reason=reason)


def _check_input(action: Action, target: Target, reason: str | None, bank: BankDetails | None,
                 reason_required: bool = True) -> str | None:
    if (isinstance(target, ClaimFilter) or len(target) != 1) and action not in BULK_ACTIONS:
        raise Refused("action.error.not_bulk")
    reason = (reason or "").strip() or None
    if reason is None and reason_required and action not in REASON_OPTIONAL:
        raise Refused("action.error.reason_required")
    if reason and (len(reason) > REASON_MAX or any(c in reason for c in "|\r\n")):
        raise Refused("action.error.reason_invalid", max=REASON_MAX)
    if action is Action.CORRECT_BANK:
        check_bank(bank)
    return reason


def _refuse_empty(planned: Preview, target: Target) -> None:
    """Nothing to do: one claim says why it was skipped, a selection how many were."""
    if planned.skipped and not isinstance(target, ClaimFilter) and len(target) == 1:
        raise Refused(next(iter(planned.skipped)))
    raise Refused("action.error.nothing", skipped=sum(planned.skipped.values()))


def _apply(planned: Preview, user: User, reason: str | None) -> None:
    event = EVENT_ACTION[planned.action]
    groups: dict[tuple[str, str, tuple], list[Step]] = {}
    for one in planned.steps:
        groups.setdefault((one.from_status, one.to_status, one.changes), []).append(one)
    for (from_status, to_status, changes), steps in groups.items():
        if from_status != to_status and len(steps) > 1:
            transition_many([s.claim_id for s in steps], from_status, to_status, actor=user.username,
                            action=event, reason=reason,
                            details={s.claim_id: dict(s.details) for s in steps if s.details},
                            **dict(changes))
            continue
        for one in steps:
            # Only id, number and status are read by the state machine: no need to load the row.
            claim = Claim(id=one.claim_id, claim_no=one.claim_no, status=one.from_status)
            if from_status != to_status:
                transition(claim, to_status, actor=user.username, action=event, reason=reason,
                           details=dict(one.details) or None, **dict(changes))
            else:
                record_event(claim, actor=user.username, action=event, reason=reason,
                             details=dict(one.details) or None, **dict(changes))


def _audit(planned: Preview, user: User, target: Target, reason: str | None) -> None:
    details: dict[str, Any] = {"count": planned.count, "total": planned.total, "reason": reason,
                               "moves": [[m.from_status, m.to_status, m.count] for m in planned.moves]}
    if planned.skipped:
        details["skipped"] = planned.skipped
    if isinstance(target, ClaimFilter):
        details["filter"] = target.to_params()
        subject = f"{planned.count} klaim (filter)"
    elif planned.count == 1:
        subject = planned.steps[0].claim_no
    else:
        subject = f"{planned.count} klaim"
        details["claims"] = [s.claim_no for s in planned.steps[:100]]
    audit(f"CLAIM_{EVENT_ACTION[planned.action]}", username=user.username, target=subject,
          details=json.loads(json.dumps(details, default=str)))
