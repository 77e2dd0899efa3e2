"""The role x action table through the web app: every action refused to every role that may not
do it, even when the (disabled) button's event is forged, and the refusal writes nothing."""

import itertools

import pytest
from nicegui.testing import User

from desk.claims import BULK_ACTIONS, CLAIM_ACTIONS, ClaimAction
from desk.permissions import MIN_ROLE
from models import AuditLog, Claim, ClaimEvent, ClaimStatus, Role
from models import User as Account
from tests.factories import make_claim
from tests.ui.conftest import login

S = ClaimStatus
STATUS_FOR = {ClaimAction.HOLD: S.READY, ClaimAction.RELEASE: S.ON_HOLD, ClaimAction.CORRECT_BANK: S.READY,
              ClaimAction.APPROVE: S.AWAITING_APPROVAL, ClaimAction.RESEND: S.PAYOUT_FAILED,
              ClaimAction.CANCEL: S.READY, ClaimAction.ADD_NOTE: S.READY, ClaimAction.CLEAR_FLAG: S.READY,
              ClaimAction.CLEAR_REVIEW: S.NEEDS_REVIEW}


def may(role: str, action: ClaimAction) -> bool:
    return Role.ALL.index(role) >= Role.ALL.index(MIN_ROLE[action])


REFUSED = [(a, r) for a, r in itertools.product(CLAIM_ACTIONS, Role.ALL) if not may(r, a)]
REFUSED_BULK = [(a, r) for a, r in REFUSED if a in BULK_ACTIONS]


def claim_for(action: ClaimAction) -> Claim:
    return make_claim(STATUS_FOR[action], flagged=True, flag_reason="cek", hold_reason="x",
                      approved_amount=60_000_000, benefit_type="JKK_CACAT")


def snapshot():
    return ([tuple(c.__data__.items()) for c in Claim.select().order_by(Claim.id)],
            ClaimEvent.select().count(), AuditLog.select().count())


@pytest.mark.parametrize(("action", "role"), REFUSED)
async def test_forged_click_on_a_disabled_claim_action_is_refused_and_writes_nothing(accounts, user: User,
                                                                                     action, role):
    claim = claim_for(action)
    await login(user, role)
    await user.open(f"/klaim/{claim.claim_no}")
    button = user.find(marker=f"action-{action}")
    assert not next(iter(button.elements)).enabled
    before = snapshot()
    button.trigger("click")
    await user.should_see("tidak boleh", retries=30)
    await user.should_not_see(marker="action-dialog")
    assert snapshot() == before


@pytest.mark.parametrize(("action", "role"), REFUSED_BULK)
async def test_forged_bulk_action_is_refused_and_writes_nothing(accounts, user: User, action, role):
    claim_for(action)
    await login(user, role)
    await user.open("/klaim")
    user.find(marker="select-all-matching").click()
    await user.should_see("Semua 1 klaim", retries=30)
    before = snapshot()
    user.find(marker=f"action-{action}").trigger("click")
    await user.should_see("tidak boleh", retries=30)
    assert snapshot() == before


@pytest.mark.parametrize("action", CLAIM_ACTIONS)
async def test_role_taken_away_while_the_dialog_is_open_refuses_the_confirmation(accounts, user: User,
                                                                                  action):
    claim = claim_for(action)
    await login(user, "admin")
    await user.open(f"/klaim/{claim.claim_no}")
    user.find(marker=f"action-{action}").click()
    await user.should_see(marker="action-dialog", retries=30)
    if action is ClaimAction.CORRECT_BANK:
        user.find(marker="account-no").elements.pop().value = "9988776655"
        user.find(marker="action-preview-button").click()
    await user.should_see(marker="preview-move", retries=30)
    user.find(marker="action-reason").type("alasan yang cukup")
    Account.update(role=Role.VIEWER).where(Account.username == "admin").execute()
    before = snapshot()
    user.find(marker="action-confirm").click()
    await user.should_see("tidak boleh", retries=30)
    assert snapshot() == before


async def test_allowed_role_sees_every_applicable_action_enabled(accounts, user: User):
    claim = make_claim(S.READY, flagged=True, flag_reason="cek")
    await login(user, "supervisor")
    await user.open(f"/klaim/{claim.claim_no}")
    for action in (ClaimAction.HOLD, ClaimAction.CORRECT_BANK, ClaimAction.CANCEL, ClaimAction.ADD_NOTE,
                   ClaimAction.CLEAR_FLAG):
        assert user.find(marker=f"action-{action}").elements.pop().enabled
    await user.should_not_see(marker="action-release")  # not on hold: the action does not apply
