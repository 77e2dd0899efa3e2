"""What coordinators and supervisors may do to claims, and exactly what each action does.

- `actions`: the claim actions (permissions' actions), which go in bulk, what event each writes;
- `plan`: the one planner, shared by preview and perform, and `available` for the claim page;
- `bank_details`: four-eyes bank-detail correction (pending until another user approves);
- `act`: `preview` and `perform` (and one function per action), the writing half.
"""

from desk.claims.act import (
    add_note,
    approve,
    cancel,
    clear_flag,
    clear_review,
    correct_bank_details,
    hold,
    perform,
    preview,
    release,
    resend,
)
from desk.claims.actions import (
    BULK_ACTIONS,
    CLAIM_ACTIONS,
    EVENT_ACTION,
    REASON_OPTIONAL,
    ClaimAction,
    Rules,
    Target,
)
from desk.claims.bank_details import BankDetails
from desk.claims.plan import available
from desk.claims.steps import Move, Outcome, Preview, Step

__all__ = ["BULK_ACTIONS", "CLAIM_ACTIONS", "EVENT_ACTION", "REASON_OPTIONAL", "BankDetails", "ClaimAction",
           "Move", "Outcome", "Preview", "Rules", "Step", "Target", "add_note", "approve", "available",
           "cancel", "clear_flag", "clear_review", "correct_bank_details", "hold", "perform", "preview",
           "release", "resend"]
