"""What coordinators and supervisors may do to claims, and exactly what each action does.

Every action has two halves that share one planner, so what a person confirms is what
happens:
- `preview(...)` reads, checks the role and the rules, and returns the plan: which claims
  move from which status to which, their count and Rupiah total, which are skipped and why,
  and a digest of the plan.
- `perform(...)` plans again inside one write transaction, refuses when the digest differs
  from the one previewed (someone or some job changed the claims meanwhile), applies every
  step through `core.claims.states` (so each claim gets its event) and writes one audit row.
A refused action raises `ActionRefused` and writes nothing.

Roles are read from the database inside the action (a demoted or deactivated user is
refused at once), never taken from the caller. Four-eyes: a bank-detail correction waits
in `pending_*` until a different user approves it; nobody approves their own change.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from core.audit import audit
from core.claims.checks import ACCOUNT_NO, BANK_CODE, Verdict, evaluate, payout_fingerprint
from core.claims.queries import ClaimFilter, Duty, count_and_total, filtered
from core.claims.states import can_transition, record_event, transition, transition_many
from core.db import write_tx
from core.text import i18n
from desk.permissions import MIN_ROLE, Action, allowed
from models import Claim, ClaimStatus, PayoutInstruction, User

S = ClaimStatus
BULK_LIMIT = 20_000  # claims per bulk action; a larger selection must be narrowed first
REASON_MAX = 500
HOLDABLE = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.PAYOUT_FAILED})
CORRECTABLE = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.PAYOUT_FAILED})
CANCELLABLE = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.PAYOUT_FAILED,
                         S.REJECTED})


class ClaimAction(StrEnum):
    HOLD = "hold"
    RELEASE = "release"
    CORRECT_BANK = "correct_bank"
    APPROVE = "approve"
    RESEND = "resend"
    CANCEL = "cancel"
    ADD_NOTE = "add_note"
    CLEAR_FLAG = "clear_flag"


PERMISSION: dict[ClaimAction, Action] = {
    ClaimAction.HOLD: Action.HOLD,
    ClaimAction.RELEASE: Action.RELEASE,
    ClaimAction.CORRECT_BANK: Action.CORRECT_BANK,
    ClaimAction.APPROVE: Action.APPROVE,
    ClaimAction.RESEND: Action.RESEND,
    ClaimAction.CANCEL: Action.CANCEL,
    ClaimAction.ADD_NOTE: Action.ADD_NOTE,
    ClaimAction.CLEAR_FLAG: Action.CLEAR_FLAG,
}
BULK_ACTIONS = (ClaimAction.HOLD, ClaimAction.RELEASE, ClaimAction.APPROVE)
REASON_OPTIONAL = frozenset({ClaimAction.APPROVE})
EVENT_ACTION = {  # ClaimEvent.action written by each
    ClaimAction.HOLD: "HOLD",
    ClaimAction.RELEASE: "RELEASE",
    ClaimAction.CORRECT_BANK: "BANK_DETAILS_CORRECTED",
    ClaimAction.APPROVE: "APPROVED",
    ClaimAction.RESEND: "RESEND",
    ClaimAction.CANCEL: "CANCEL",
    ClaimAction.ADD_NOTE: "NOTE",
    ClaimAction.CLEAR_FLAG: "FLAG_CLEARED",
}

Target = Sequence[int] | ClaimFilter


class ActionRefused(Exception):
    """A refused action: nothing was written. `key`/`params` name the message in `core.text.i18n`."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(i18n.t(key, "id", **params))

    def message(self, lang: str = "id") -> str:
        return i18n.t(self.key, lang, **self.params)


@dataclass(frozen=True)
class Rules:
    """The settings the pre-payout checks need."""

    approval_threshold: int
    instalment_benefits: frozenset[str]
    duty: Duty = field(default_factory=Duty)

    @classmethod
    def of(cls, ctx) -> Rules:
        s = ctx.settings
        return cls(s.approval_threshold, ctx.reference.instalment_benefits,
                   Duty(s.payment_duty_working_days, s.timezone))


@dataclass(frozen=True)
class BankDetails:
    bank_code: str
    account_no: str
    beneficiary_name: str


@dataclass(frozen=True)
class Step:
    """What will happen to one claim. `to_status == from_status`: an event without a move."""

    claim_id: int
    claim_no: str
    amount: int
    from_status: str
    to_status: str
    version: str  # the claim's updated_at: any change to the claim changes the plan's digest
    changes: tuple[tuple[str, Any], ...] = ()
    details: tuple[tuple[str, Any], ...] = ()
    note_key: str | None = None  # why it lands where it does (e.g. the check that failed)
    note: str | None = None


@dataclass(frozen=True)
class Move:
    from_status: str
    to_status: str
    count: int
    total: int


@dataclass(frozen=True)
class Preview:
    action: ClaimAction
    steps: tuple[Step, ...]
    skipped: dict[str, int] = field(default_factory=dict)  # message key -> number of claims
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def count(self) -> int:
        return len(self.steps)

    @property
    def total(self) -> int:
        return sum(s.amount for s in self.steps)

    @property
    def moves(self) -> list[Move]:
        groups: dict[tuple[str, str], list[Step]] = {}
        for step in self.steps:
            groups.setdefault((step.from_status, step.to_status), []).append(step)
        return [Move(a, b, len(g), sum(s.amount for s in g)) for (a, b), g in sorted(groups.items())]

    @property
    def digest(self) -> str:
        """Fingerprint of the plan: which claims, as they were, from and to which status, for how much.

        The person's own input (reason, new account) is not part of it: it is checked again
        when the action is performed.
        """
        text = "\n".join(f"{s.claim_id}|{s.version}|{s.from_status}|{s.to_status}|{s.amount}"
                         for s in self.steps)
        return hashlib.sha256(f"{self.action}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    action: ClaimAction
    count: int
    total: int
    moves: list[Move]


# -- public API --------------------------------------------------------------------------

def preview(action: ClaimAction, target: Target, *, by: str, rules: Rules, reason: str | None = None,
            bank: BankDetails | None = None) -> Preview:
    """The plan of `action` on `target` (claim ids, or every claim matching a filter), read-only.

    The reason may still be empty (people read the plan, then write why). Raises
    ActionRefused when the user may not do it, the input is invalid, or the target is too
    large. Claims the action does not apply to are counted in `skipped`.
    """
    user = _actor(by, action)
    reason = _check_input(action, target, reason, bank, reason_required=False)
    return _plan(action, target, user, rules, reason, bank)


def perform(action: ClaimAction, target: Target, *, by: str, rules: Rules, reason: str | None = None,
            bank: BankDetails | None = None, expected_digest: str | None = None) -> Outcome:
    """Apply `action` as previewed; all or nothing. Raises ActionRefused (nothing written)."""
    with write_tx():
        user = _actor(by, action)
        reason = _check_input(action, target, reason, bank)
        plan = _plan(action, target, user, rules, reason, bank)
        if not plan.steps:
            _refuse_empty(plan, target)
        if expected_digest is not None and plan.digest != expected_digest:
            raise ActionRefused("action.error.changed", count=plan.count, total=plan.total)
        _apply(plan, user, reason)
        _audit(plan, user, target, reason)
    return Outcome(action, plan.count, plan.total, plan.moves)


def hold(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.HOLD, [claim_id], by=by, rules=rules, reason=reason)


def release(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.RELEASE, [claim_id], by=by, rules=rules, reason=reason)


def correct_bank_details(claim_id: int, bank: BankDetails, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.CORRECT_BANK, [claim_id], by=by, rules=rules, reason=reason, bank=bank)


def approve(claim_id: int, *, by: str, rules: Rules, reason: str | None = None) -> Outcome:
    return perform(ClaimAction.APPROVE, [claim_id], by=by, rules=rules, reason=reason)


def resend(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.RESEND, [claim_id], by=by, rules=rules, reason=reason)


def cancel(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.CANCEL, [claim_id], by=by, rules=rules, reason=reason)


def add_note(claim_id: int, *, by: str, text: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.ADD_NOTE, [claim_id], by=by, rules=rules, reason=text)


def clear_flag(claim_id: int, *, by: str, reason: str, rules: Rules) -> Outcome:
    return perform(ClaimAction.CLEAR_FLAG, [claim_id], by=by, rules=rules, reason=reason)


def available(claim: Claim) -> list[ClaimAction]:
    """Actions that apply to `claim` in its status, whatever the role (the UI greys out the others)."""
    return [a for a in ClaimAction if _applies(a, claim)]


def can(role: str | None, action: ClaimAction) -> bool:
    return allowed(role, PERMISSION[action])


# -- checks ------------------------------------------------------------------------------

def _actor(username: str, action: ClaimAction) -> User:
    user = User.get_or_none(User.username == username)
    if user is None or not user.active:
        raise ActionRefused("action.error.no_user", user=username)
    permission = PERMISSION[action]
    if not allowed(user.role, permission):
        raise ActionRefused("error.permission_denied", role=user.role, action=str(permission),
                            needed=MIN_ROLE[permission])
    return user


def _check_input(action: ClaimAction, target: Target, reason: str | None, bank: BankDetails | None,
                 reason_required: bool = True) -> str | None:
    if (isinstance(target, ClaimFilter) or len(target) != 1) and action not in BULK_ACTIONS:
        raise ActionRefused("action.error.not_bulk")
    reason = (reason or "").strip() or None
    if reason is None and reason_required and action not in REASON_OPTIONAL:
        raise ActionRefused("action.error.reason_required")
    if reason and (len(reason) > REASON_MAX or any(c in reason for c in "|\r\n")):
        raise ActionRefused("action.error.reason_invalid", max=REASON_MAX)
    if action is ClaimAction.CORRECT_BANK:
        _check_bank(bank)
    return reason


def _check_bank(bank: BankDetails | None) -> None:
    if bank is None:
        raise ActionRefused("action.error.bank_missing")
    if not BANK_CODE.fullmatch(bank.bank_code or ""):
        raise ActionRefused("action.error.bank_code", value=bank.bank_code)
    if not ACCOUNT_NO.fullmatch(bank.account_no or ""):
        raise ActionRefused("action.error.account_no", value=bank.account_no)
    name = (bank.beneficiary_name or "").strip()
    if not name or len(name) > 100 or any(c in name for c in "|\r\n"):
        raise ActionRefused("action.error.beneficiary_name")


def _applies(action: ClaimAction, claim: Claim) -> bool:
    status = claim.status
    return {
        ClaimAction.HOLD: status in HOLDABLE,
        ClaimAction.RELEASE: status == S.ON_HOLD,
        ClaimAction.CORRECT_BANK: status in CORRECTABLE,
        ClaimAction.APPROVE: status == S.AWAITING_APPROVAL,
        ClaimAction.RESEND: status == S.PAYOUT_FAILED,
        ClaimAction.CANCEL: status in CANCELLABLE,
        ClaimAction.ADD_NOTE: True,
        ClaimAction.CLEAR_FLAG: bool(claim.flagged),
    }[action]


# -- planning ----------------------------------------------------------------------------

def _plan(action: ClaimAction, target: Target, user: User, rules: Rules, reason: str | None,
          bank: BankDetails | None) -> Preview:
    steps: list[Step] = []
    skipped: Counter[str] = Counter()
    warnings: list[tuple[str, dict[str, Any]]] = []
    planner = PLANNERS[action]
    for claim in _claims(target, rules, skipped):
        result = planner(claim, user, rules, reason, bank)
        if isinstance(result, str):
            skipped[result] += 1
        else:
            steps.append(result)
    if action is ClaimAction.RESEND and len(steps) == 1:
        warnings.extend(_resend_warnings(steps[0]))
    return Preview(action, tuple(steps), dict(skipped), tuple(warnings))


def _claims(target: Target, rules: Rules, skipped: Counter[str], chunk: int = 1000) -> Iterator[Claim]:
    """The target's claims in id order, read in chunks so 20,000 claims stay light."""
    if isinstance(target, ClaimFilter):
        n, total = count_and_total(target, rules.duty)
        if n > BULK_LIMIT:
            raise ActionRefused("action.error.too_many", count=n, total=total, limit=BULK_LIMIT)
        query = filtered(target, rules.duty)
    else:
        ids = sorted(set(target))
        if len(ids) > BULK_LIMIT:
            raise ActionRefused("action.error.too_many", count=len(ids), total=0, limit=BULK_LIMIT)
        found = 0
        for start in range(0, len(ids), chunk):
            for claim in Claim.select().where(Claim.id.in_(ids[start:start + chunk])).order_by(Claim.id):
                found += 1
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


def _step(claim: Claim, to_status: str, verdict: Verdict | None = None, **changes: Any) -> Step:
    details = {}
    if verdict and verdict.reason:
        details["check"] = verdict.reason
    return Step(claim.id, claim.claim_no, claim.approved_amount, claim.status, to_status,
                str(claim.updated_at), tuple(sorted(changes.items())), tuple(sorted(details.items())),
                note=verdict.reason if verdict else None)


def _has_pending(claim: Claim) -> bool:
    return claim.pending_account_no is not None or claim.pending_bank_code is not None


def _verdict(claim: Claim, rules: Rules) -> Verdict:
    if _has_pending(claim):
        return Verdict(S.AWAITING_APPROVAL, i18n.t("action.note.pending_change", "id"))
    return evaluate(claim, approval_threshold=rules.approval_threshold,
                    instalment_benefits=rules.instalment_benefits)


def _plan_hold(claim, user, rules, reason, bank) -> Step | str:
    if claim.status not in HOLDABLE:
        return "action.skip.not_holdable"
    return _step(claim, S.ON_HOLD, hold_reason=reason)


def _plan_release(claim, user, rules, reason, bank) -> Step | str:
    if claim.status != S.ON_HOLD:
        return "action.skip.not_on_hold"
    verdict = _verdict(claim, rules)
    if not can_transition(claim.status, verdict.status):
        return "action.skip.not_allowed"
    return _step(claim, verdict.status, verdict, hold_reason=None, review_reason=verdict.reason)


def _plan_correct(claim, user, rules, reason, bank: BankDetails) -> Step | str:
    if claim.status not in CORRECTABLE:
        return "action.skip.not_correctable"
    name = bank.beneficiary_name.strip()
    if (bank.bank_code, bank.account_no, name) == (claim.bank_code, claim.account_no, claim.beneficiary_name):
        return "action.skip.same_bank_details"
    # A held claim stays held; the change waits for approval after release.
    to_status = claim.status if claim.status in (S.ON_HOLD, S.AWAITING_APPROVAL) else S.AWAITING_APPROVAL
    changes: dict[str, Any] = {"pending_bank_code": bank.bank_code, "pending_account_no": bank.account_no,
                               "pending_beneficiary_name": name, "pending_change_by": user.id}
    if to_status == S.AWAITING_APPROVAL:
        changes["review_reason"] = i18n.t("action.note.pending_change", "id")
    step = _step(claim, to_status, **changes)
    old = {"bank_code": claim.bank_code, "account_no": claim.account_no,
           "beneficiary_name": claim.beneficiary_name}
    new = {"bank_code": bank.bank_code, "account_no": bank.account_no, "beneficiary_name": name}
    return replace(step, details=(("new", new), ("old", old)))


def _plan_approve(claim, user, rules, reason, bank) -> Step | str:
    if claim.status != S.AWAITING_APPROVAL:
        return "action.skip.not_awaiting"
    if claim.pending_change_by_id == user.id:
        return "action.skip.own_change"
    changes: dict[str, Any] = {}
    if _has_pending(claim):
        changes = {"bank_code": claim.pending_bank_code, "account_no": claim.pending_account_no,
                   "beneficiary_name": claim.pending_beneficiary_name or claim.beneficiary_name,
                   "pending_bank_code": None, "pending_account_no": None,
                   "pending_beneficiary_name": None, "pending_change_by": None}
    applied = {k: v for k, v in changes.items() if not k.startswith("pending")}
    approved = Claim(**{**claim.__data__, **applied})  # the claim as it will be, to check and fingerprint
    fingerprint = payout_fingerprint(approved)
    approved.approved_fingerprint = fingerprint
    verdict = evaluate(approved, approval_threshold=rules.approval_threshold,
                       instalment_benefits=rules.instalment_benefits)
    if not can_transition(claim.status, verdict.status):
        return "action.skip.not_allowed"
    return _step(claim, verdict.status, verdict, approved_by=user.username, approved_fingerprint=fingerprint,
                 review_reason=verdict.reason, **changes)


def _plan_resend(claim, user, rules, reason, bank) -> Step | str:
    if claim.status != S.PAYOUT_FAILED:
        return "action.skip.not_failed"
    verdict = _verdict(claim, rules)
    if not can_transition(claim.status, verdict.status):
        return "action.skip.not_allowed"
    return _step(claim, verdict.status, verdict, review_reason=verdict.reason)


def _plan_cancel(claim, user, rules, reason, bank) -> Step | str:
    if claim.status not in CANCELLABLE:
        return "action.skip.not_cancellable"
    return _step(claim, S.CANCELLED, hold_reason=reason, pending_bank_code=None, pending_account_no=None,
                 pending_beneficiary_name=None, pending_change_by=None)


def _plan_note(claim, user, rules, reason, bank) -> Step | str:
    return _step(claim, claim.status)


def _plan_clear_flag(claim, user, rules, reason, bank) -> Step | str:
    if not claim.flagged:
        return "action.skip.not_flagged"
    step = _step(claim, claim.status, flagged=False, flag_reason=None)
    return replace(step, details=(("flag_reason", claim.flag_reason),))


PLANNERS = {
    ClaimAction.HOLD: _plan_hold,
    ClaimAction.RELEASE: _plan_release,
    ClaimAction.CORRECT_BANK: _plan_correct,
    ClaimAction.APPROVE: _plan_approve,
    ClaimAction.RESEND: _plan_resend,
    ClaimAction.CANCEL: _plan_cancel,
    ClaimAction.ADD_NOTE: _plan_note,
    ClaimAction.CLEAR_FLAG: _plan_clear_flag,
}


def _resend_warnings(step: Step) -> list[tuple[str, dict[str, Any]]]:
    """Sending again to the account that just failed usually fails again: say so."""
    claim = Claim.get_by_id(step.claim_id)
    last = (PayoutInstruction.select().where(PayoutInstruction.claim == step.claim_id)
            .order_by(PayoutInstruction.id.desc()).first())
    if last and (last.bank_code, last.account_no) == (claim.bank_code, claim.account_no):
        return [("action.warn.same_account", {"code": last.failure_code or "-"})]
    return []


def _refuse_empty(plan: Preview, target: Target) -> None:
    if plan.skipped and not isinstance(target, ClaimFilter) and len(target) == 1:
        raise ActionRefused(next(iter(plan.skipped)))
    raise ActionRefused("action.error.nothing", skipped=sum(plan.skipped.values()))


# -- applying ----------------------------------------------------------------------------

def _apply(plan: Preview, user: User, reason: str | None) -> None:
    event = EVENT_ACTION[plan.action]
    groups: dict[tuple[str, str, tuple], list[Step]] = {}
    for step in plan.steps:
        groups.setdefault((step.from_status, step.to_status, step.changes), []).append(step)
    for (from_status, to_status, changes), steps in groups.items():
        if from_status != to_status and len(steps) > 1:
            transition_many([s.claim_id for s in steps], from_status, to_status, actor=user.username,
                            action=event, reason=reason,
                            details={s.claim_id: dict(s.details) for s in steps if s.details},
                            **dict(changes))
            continue
        for step in steps:
            # Only id, number and status are read by the state machine: no need to load the row.
            claim = Claim(id=step.claim_id, claim_no=step.claim_no, status=step.from_status)
            if from_status != to_status:
                transition(claim, to_status, actor=user.username, action=event, reason=reason,
                           details=dict(step.details) or None, **dict(changes))
            else:
                record_event(claim, actor=user.username, action=event, reason=reason,
                             details=dict(step.details) or None, **dict(changes))


def _audit(plan: Preview, user: User, target: Target, reason: str | None) -> None:
    details: dict[str, Any] = {"count": plan.count, "total": plan.total, "reason": reason,
                               "moves": [[m.from_status, m.to_status, m.count] for m in plan.moves]}
    if plan.skipped:
        details["skipped"] = plan.skipped
    if isinstance(target, ClaimFilter):
        details["filter"] = target.to_params()
        subject = f"{plan.count} klaim (filter)"
    elif plan.count == 1:
        subject = plan.steps[0].claim_no
    else:
        subject = f"{plan.count} klaim"
        details["claims"] = [s.claim_no for s in plan.steps[:100]]
    audit(f"CLAIM_{EVENT_ACTION[plan.action]}", username=user.username, target=subject,
          details=json.loads(json.dumps(details, default=str)))
