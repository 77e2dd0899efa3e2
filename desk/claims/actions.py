"""The claim actions: which there are, which a person may do on many claims at once, what each writes.

A claim action is one of the permissions' actions (`desk.permissions.Action`): the role a
person needs for it is in that one table, so there is no second enum to keep in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from core.claims.checks import BenefitRules
from core.claims.queries import ClaimFilter, Duty
from desk.permissions import Action

ClaimAction: TypeAlias = Action  # one of CLAIM_ACTIONS (iterate those, not ClaimAction)

# In the order the claim page shows their buttons.
CLAIM_ACTIONS: tuple[Action, ...] = (Action.HOLD, Action.RELEASE, Action.CORRECT_BANK, Action.APPROVE,
                                     Action.RESEND, Action.CANCEL, Action.ADD_NOTE, Action.CLEAR_FLAG,
                                     Action.CLEAR_REVIEW)
# Bulk actions only: a bank-detail change, a cancellation, a note or a cleared review is about one
# claim, read alone (clearing a review needs its own written reason, contract section 7).
BULK_ACTIONS = (Action.HOLD, Action.RELEASE, Action.APPROVE)
# Approving needs no reason: the approver's name is the record; every other action says why.
REASON_OPTIONAL = frozenset({Action.APPROVE})
REVIEW_CLEARED = "REVIEW_CLEARED"  # its event's details list the review reasons cleared, for the revision
EVENT_ACTION = {  # ClaimEvent.action written by each (the audit row is CLAIM_<this>)
    Action.HOLD: "HOLD",
    Action.RELEASE: "RELEASE",
    Action.CORRECT_BANK: "BANK_DETAILS_CORRECTED",
    Action.APPROVE: "APPROVED",
    Action.RESEND: "RESEND",
    Action.CANCEL: "CANCEL",
    Action.ADD_NOTE: "NOTE",
    Action.CLEAR_FLAG: "FLAG_CLEARED",
    Action.CLEAR_REVIEW: REVIEW_CLEARED,
}

Target: TypeAlias = Sequence[int] | ClaimFilter  # claim ids, or every claim matching a filter


@dataclass(frozen=True)
class Rules:
    """The settings the pre-payout checks need.

    `benefit_rules`: ceilings, cover and beneficiaries (checks 1, 4, 5 of contract section 7),
    so a release, approval or resend holds a claim to the same rules as intake.
    """

    approval_threshold: int
    instalment_benefits: frozenset[str]
    duty: Duty = field(default_factory=Duty)
    benefit_rules: BenefitRules | None = None

    @classmethod
    def of(cls, ctx) -> Rules:
        s = ctx.settings
        return cls(s.approval_threshold, ctx.reference.instalment_benefits,
                   Duty(s.timezone), BenefitRules.of(s, ctx.reference))
