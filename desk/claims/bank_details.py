"""Correcting a claim's bank details, four-eyes: the new account waits until another person approves.

A correction writes the new bank code, account and account holder into the claim's
`pending_*` fields, with who made it; the claim goes to (or stays in) awaiting approval,
and the account it is paid to is still the old one. Approval by a different user moves the
pending details into the claim (`approved_changes`); nobody approves their own change.
BPJS's `beneficiary_name` is never overwritten (contract section 7): the holder's name goes
in `account_holder_name`, left empty when the holder is the beneficiary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.claims.checks import ACCOUNT_NO, BANK_CODE, payee_name
from core.text import i18n
from desk.claims.steps import Step, step
from desk.refusal import Refused
from models import Claim, ClaimStatus, User

S = ClaimStatus
NAME_MAX = 100  # the account holder's field in the bank's payout file
# A correction no longer pending (approved, or its claim cancelled).
PENDING_CLEARED: dict[str, Any] = {"pending_bank_code": None, "pending_account_no": None,
                                   "pending_account_holder_name": None, "pending_change_by": None}


@dataclass(frozen=True)
class BankDetails:
    bank_code: str
    account_no: str
    beneficiary_name: str  # the ACCOUNT HOLDER's name as the bank knows it (may differ from BPJS's heir)


def check_bank(bank: BankDetails | None) -> None:
    """Refuse details the bank's payout file could not carry (the same rules as the pre-payout checks)."""
    if bank is None:
        raise Refused("action.error.bank_missing")
    if not BANK_CODE.fullmatch(bank.bank_code or ""):
        raise Refused("action.error.bank_code", value=bank.bank_code)
    if not ACCOUNT_NO.fullmatch(bank.account_no or ""):
        raise Refused("action.error.account_no", value=bank.account_no)
    name = (bank.beneficiary_name or "").strip()
    if not name or len(name) > NAME_MAX or any(c in name for c in "|\r\n"):
        raise Refused("action.error.beneficiary_name")


def has_pending(claim: Claim) -> bool:
    """A correction waits for its second pair of eyes."""
    return claim.pending_account_no is not None or claim.pending_bank_code is not None


def plan_correction(claim: Claim, user: User, bank: BankDetails) -> Step | str:
    """The correction's step: the new details as pending, by `user`; a skip key when nothing changes."""
    name = bank.beneficiary_name.strip()
    if (bank.bank_code, bank.account_no, name) == (claim.bank_code, claim.account_no, payee_name(claim)):
        return "action.skip.same_bank_details"
    # A held claim stays held; the change waits for approval after release.
    to_status = claim.status if claim.status in (S.ON_HOLD, S.AWAITING_APPROVAL) else S.AWAITING_APPROVAL
    changes: dict[str, Any] = {"pending_bank_code": bank.bank_code, "pending_account_no": bank.account_no,
                               "pending_account_holder_name": name, "pending_change_by": user.id}
    if to_status == S.AWAITING_APPROVAL:
        changes["review_reason"] = i18n.t("action.note.pending_change", "id")
    old = {"bank_code": claim.bank_code, "account_no": claim.account_no,
           "account_holder_name": payee_name(claim)}
    new = {"bank_code": bank.bank_code, "account_no": bank.account_no, "account_holder_name": name}
    return step(claim, to_status, details=(("new", new), ("old", old)), **changes)


def approved_changes(claim: Claim) -> dict[str, Any]:
    """What approving `claim` writes of its bank details: the pending ones become the account.

    Empty when no correction is pending (an approval of the amount alone). The holder's name
    goes in `account_holder_name` (None when it is the beneficiary's own): `beneficiary_name`
    stays as BPJS sent it.
    """
    if not has_pending(claim):
        return {}
    holder = (claim.pending_account_holder_name or "").strip()
    same = holder.casefold() == claim.beneficiary_name.strip().casefold()
    return {"bank_code": claim.pending_bank_code, "account_no": claim.pending_account_no,
            "account_holder_name": None if not holder or same else holder, **PENDING_CLEARED}
