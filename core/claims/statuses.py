"""Groups of claim statuses, each defined once beside the state machine (`core.claims.states`).

Each group names the rule it serves; screens, jobs and checks import it from here instead
of listing statuses again. tests/core/claims/test_states.py checks the groups that follow
from the transition table against it.
"""

from __future__ import annotations

from models import Claim, ClaimStatus

S = ClaimStatus

# Where a new claim from BPJS may land: the pre-payout checks' verdicts, or BPJS's rejection.
FIRST = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.REJECTED})

# A final payout outcome is reported to BPJS once: reaching one sets `report_pending`.
FINAL_OUTCOMES = frozenset({S.PAID, S.PAYOUT_FAILED})

# Not yet sent to the bank: a higher BPJS revision replaces the claim (the checks run again);
# of any other status it is flagged for a coordinator, not applied.
NOT_YET_SENT = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.REJECTED})

# At the bank or past it: the bank's answer, not a person, decides what happens next.
SENT_TO_BANK = frozenset({S.INSTRUCTED, S.PAID, S.PAYOUT_FAILED})

# Still owed (the payment duty clock runs): the money has not reached the beneficiary and
# nobody closed the claim.
UNPAID = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.INSTRUCTED,
                    S.PAYOUT_FAILED})

# Being paid or paid: a second claim of the same case and (one-off) benefit in one of these
# is a likely double payment, so the pre-payout checks stop it.
PAYING = frozenset({S.AWAITING_APPROVAL, S.READY, S.INSTRUCTED, S.PAID})

# A person may hold a claim that could still go to the bank (not once it is there).
HOLDABLE = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.PAYOUT_FAILED})

# Bank details may be corrected until the claim is at the bank, and after a failed payout.
CORRECTABLE = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.PAYOUT_FAILED})

# A claim may be cancelled until it is at the bank or paid (a failed payout included).
CANCELLABLE = frozenset({S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY, S.ON_HOLD, S.PAYOUT_FAILED,
                         S.REJECTED})


def awaiting_report():
    """Outcomes BPJS has not heard of (a changed one again), oldest first.

    The bare column is the partial index's WHERE (`claim_report_pending`, models.py): written
    `== True` the index could not serve it.
    """
    return Claim.select().where(Claim.report_pending).order_by(Claim.id)
