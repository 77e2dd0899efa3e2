"""The one planner of claim actions: what an action will do to each claim of its target.

Preview and perform both call `plan`, so what a person confirms is what happens. Each
action has one `Planner`: the claims it applies to (by status, or the flag), the reason
shown when a claim is skipped, and the step it takes on a claim it applies to. The claim
page asks the same planners which actions apply (`available`), so a button is offered
exactly where the action would do something.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from core.claims.checks import (
    DbLookups,
    Verdict,
    account_problem,
    evaluate,
    payout_fingerprint,
    review_problems,
)
from core.claims.queries import ClaimFilter, count_and_total, filtered
from core.claims.states import can_transition
from core.claims.statuses import CANCELLABLE, CORRECTABLE, HOLDABLE
from core.text import i18n
from desk.claims.actions import CLAIM_ACTIONS, REVIEW_CLEARED, Rules, Target
from desk.claims.bank_details import (
    PENDING_CLEARED,
    BankDetails,
    approved_changes,
    has_pending,
    plan_correction,
)
from desk.claims.steps import Preview, Step, step
from desk.permissions import Action
from desk.refusal import Refused
from desk.scope import ensure_in_scope, scoped
from models import Claim, ClaimEvent, ClaimStatus, PayoutInstruction, User

S = ClaimStatus
BULK_LIMIT = 20_000  # claims per bulk action; a larger selection must be narrowed first


@dataclass(frozen=True)
class Ask:
    """What the person asked for, as the planners read it: who, under which rules, why, which account."""

    user: User
    rules: Rules
    reason: str | None = None
    bank: BankDetails | None = None


@dataclass(frozen=True)
class Planner:
    applies: Callable[[Claim], bool]  # the action does something to this claim
    skip_key: str  # message key of why a claim it does not apply to is skipped
    plan: Callable[[Claim, Ask], Step | str]  # its step, or the key of why it is skipped after all


def plan(action: Action, target: Target, ask: Ask) -> Preview:
    """The plan of `action` on `target`: a step for each claim it applies to, the others counted by why."""
    steps: list[Step] = []
    skipped: Counter[str] = Counter()
    planner = PLANNERS[action]
    for claim in _claims(target, ask.rules, skipped, ask.user):
        result = planner.plan(claim, ask) if planner.applies(claim) else planner.skip_key
        if isinstance(result, str):
            skipped[result] += 1
        else:
            steps.append(result)
    warnings = _resend_warnings(steps[0]) if action is Action.RESEND and len(steps) == 1 else []
    return Preview(action, tuple(steps), dict(skipped), tuple(warnings))


def available(claim: Claim) -> list[Action]:
    """Actions that apply to `claim` in its status, whatever the role (the UI greys out the others)."""
    return [action for action in CLAIM_ACTIONS if PLANNERS[action].applies(claim)]


def _claims(target: Target, rules: Rules, skipped: Counter[str], user: User,
            chunk: int = 1000) -> Iterator[Claim]:
    """The target's claims in id order, read in chunks so 20,000 claims stay light.

    Kabupaten desks (section 8): a filter is narrowed to the acting user's desk, and a claim named
    by id in another kabupaten refuses the whole action (desk.scope), before anything is written.
    """
    if isinstance(target, ClaimFilter):
        target = scoped(user, target)
        n, total = count_and_total(target, rules.duty)
        if n > BULK_LIMIT:
            raise Refused("action.error.too_many", count=n, total=total, limit=BULK_LIMIT)
        query = filtered(target, rules.duty)
    else:
        ids = sorted(set(target))
        if len(ids) > BULK_LIMIT:
            raise Refused("action.error.too_many", count=len(ids), total=0, limit=BULK_LIMIT)
        found = 0
        for start in range(0, len(ids), chunk):
            for claim in Claim.select().where(Claim.id.in_(ids[start:start + chunk])).order_by(Claim.id):
                found += 1
                ensure_in_scope(user, claim.kabupaten_code, claim.claim_no)
                yield claim
        if found < len(ids):
            skipped["action.skip.not_found"] += len(ids) - found
        return
    last = 0
    while True:
        page = list(query.where(Claim.id > last).order_by(Claim.id).limit(chunk))
        if not page:
            return
        last = page[-1].id
        yield from page


# -- what each action does to a claim it applies to ------------------------------------------

def _verdict(claim: Claim, ask: Ask, waived: frozenset[str] | None = None) -> Verdict:
    """The pre-payout checks of contract section 7, as at intake (ceilings, cover, beneficiaries,
    the other claims from the database), less the reasons a coordinator cleared for this revision."""
    rules = ask.rules
    return evaluate(claim, approval_threshold=rules.approval_threshold,
                    instalment_benefits=rules.instalment_benefits, benefit_rules=rules.benefit_rules,
                    waived=cleared_reasons(claim) if waived is None else waived)


def cleared_reasons(claim: Claim) -> frozenset[str]:
    """The review reasons a coordinator cleared on the claim's current revision (none after a new one:
    BPJS's revision is checked afresh, contract section 7)."""
    last = (ClaimEvent.select(ClaimEvent.details)
            .where(ClaimEvent.claim == claim.id, ClaimEvent.action == REVIEW_CLEARED)
            .order_by(ClaimEvent.id.desc()).first())
    details = json.loads(last.details) if last and last.details else {}
    if details.get("revision") != claim.revision:
        return frozenset()
    return frozenset(details.get("cleared", ()))


def _checked(claim: Claim, ask: Ask, *, waived: frozenset[str] | None = None, **changes: Any) -> Step | str:
    """Release, resend and a cleared review run the pre-payout checks again: the claim goes where they
    send it. A pending bank-detail correction sends it to approval first (four eyes)."""
    if has_pending(claim):
        verdict = Verdict(S.AWAITING_APPROVAL, i18n.t("action.note.pending_change", "id"))
    else:
        verdict = _verdict(claim, ask, waived)
    if not can_transition(claim.status, verdict.status):
        return "action.skip.not_allowed"
    return step(claim, verdict.status, verdict, review_reason=verdict.reason, **changes)


def _clear_review(claim: Claim, ask: Ask) -> Step | str:
    """A coordinator overrules the checks that stopped the claim, with a written reason (contract
    section 7). The cleared reasons are kept in the event, for this revision only; a missing or bad
    account cannot be cleared (it needs a bank-detail correction)."""
    if account_problem(claim):
        return "action.skip.account_problem"
    problems = review_problems(claim, ask.rules.instalment_benefits, DbLookups(), ask.rules.benefit_rules)
    cleared = frozenset(problems) | cleared_reasons(claim)
    result = _checked(claim, ask, waived=cleared)
    if isinstance(result, str):
        return result
    # The event keeps what was cleared and the review reason it replaces: the history shows both.
    details = (("cleared", tuple(sorted(cleared))), ("review_reason", claim.review_reason),
               ("revision", claim.revision))
    return replace(result, details=details)


def _approve(claim: Claim, ask: Ask) -> Step | str:
    """Approve as the claim will be paid (a pending correction applied), fingerprinted for the bank push.

    The approved claim passes the pre-payout checks again: one that now breaks a rule of
    contract section 7 goes to NEEDS_REVIEW, not READY.
    """
    if claim.pending_change_by_id == ask.user.id:
        return "action.skip.own_change"  # four eyes: nobody approves their own bank-detail change
    changes = approved_changes(claim)
    applied = {k: v for k, v in changes.items() if not k.startswith("pending")}
    approved = Claim(**{**claim.__data__, **applied})  # the claim as it will be, to check and fingerprint
    fingerprint = payout_fingerprint(approved)
    approved.approved_fingerprint = fingerprint
    verdict = _verdict(approved, ask)
    if not can_transition(claim.status, verdict.status):
        return "action.skip.not_allowed"
    return step(claim, verdict.status, verdict, approved_by=ask.user.username,
                approved_fingerprint=fingerprint, review_reason=verdict.reason, **changes)


def _in(statuses: frozenset[str]) -> Callable[[Claim], bool]:
    return lambda claim: claim.status in statuses


PLANNERS: dict[Action, Planner] = {
    Action.HOLD: Planner(_in(HOLDABLE), "action.skip.not_holdable",
                         lambda claim, ask: step(claim, S.ON_HOLD, hold_reason=ask.reason)),
    Action.RELEASE: Planner(_in(frozenset({S.ON_HOLD})), "action.skip.not_on_hold",
                            lambda claim, ask: _checked(claim, ask, hold_reason=None)),
    Action.CORRECT_BANK: Planner(_in(CORRECTABLE), "action.skip.not_correctable",
                                 lambda claim, ask: plan_correction(claim, ask.user, ask.bank)),
    Action.APPROVE: Planner(_in(frozenset({S.AWAITING_APPROVAL})), "action.skip.not_awaiting", _approve),
    Action.RESEND: Planner(_in(frozenset({S.PAYOUT_FAILED})), "action.skip.not_failed", _checked),
    Action.CLEAR_REVIEW: Planner(_in(frozenset({S.NEEDS_REVIEW})), "action.skip.not_in_review",
                                 _clear_review),
    Action.CANCEL: Planner(_in(CANCELLABLE), "action.skip.not_cancellable",
                           lambda claim, ask: step(claim, S.CANCELLED, hold_reason=ask.reason,
                                                   **PENDING_CLEARED)),
    Action.ADD_NOTE: Planner(lambda claim: True, "", lambda claim, ask: step(claim, claim.status)),
    Action.CLEAR_FLAG: Planner(lambda claim: bool(claim.flagged), "action.skip.not_flagged",
                               lambda claim, ask: step(claim, claim.status, flagged=False, flag_reason=None,
                                                       details=(("flag_reason", claim.flag_reason),))),
}


def _resend_warnings(resend: Step) -> list[tuple[str, dict[str, Any]]]:
    """Sending again to the account that just failed usually fails again: say so."""
    claim = Claim.get_by_id(resend.claim_id)
    last = (PayoutInstruction.select().where(PayoutInstruction.claim == resend.claim_id)
            .order_by(PayoutInstruction.id.desc()).first())
    if last and (last.bank_code, last.account_no) == (claim.bank_code, claim.account_no):
        return [("action.warn.same_account", {"code": last.failure_code or "-"})]
    return []
