"""The benefit rules of contract section 7 in the desk actions: a release, an approval or a resend
holds a claim to the same pre-payout checks as intake; a coordinator clears a review only with a
written reason; a bank-detail correction never overwrites BPJS's beneficiary_name."""

import datetime as dt
import json

import pytest

from core.claims.checks import BenefitRules, payee_name
from core.reference import load_reference
from core.settings import PROJECT_ROOT
from desk import claims as ca
from desk.claims import BankDetails, ClaimAction, Rules
from desk.refusal import Refused
from models import AuditLog, Claim, ClaimEvent, ClaimStatus, Role, User
from tests.factories import make_claim

S = ClaimStatus
REFERENCE = load_reference(PROJECT_ROOT / "config" / "reference.yaml")
BENEFITS = BenefitRules(REFERENCE.benefits, reference_wage=1_000_000, programme_start=dt.date(2025, 7, 21))
RULES = Rules(approval_threshold=50_000_000, instalment_benefits=REFERENCE.instalment_benefits,
              benefit_rules=BENEFITS)
HEIR = {"beneficiary_relation": "SPOUSE", "beneficiary_nik": "5371015507880002",
        "beneficiary_name": "Maria Ndun"}


@pytest.fixture
def users(database):
    return {role: User.create(username=role, role=role, password_hash="-") for role in Role.ALL} | {
        "supervisor2": User.create(username="supervisor2", role=Role.SUPERVISOR, password_hash="-")}


def stored(claim: Claim) -> Claim:
    return Claim.get_by_id(claim.id)


def last_event(claim: Claim) -> ClaimEvent:
    return ClaimEvent.select().where(ClaimEvent.claim == claim.id).order_by(ClaimEvent.id.desc()).get()


# -- account holder apart from the beneficiary ------------------------------------------------

def test_an_approved_correction_keeps_the_beneficiary_and_records_the_holder(users):
    claim = make_claim(S.READY, benefit_type="BEASISWA", beneficiary_relation="CHILD",
                       beneficiary_name="Maria Ndun", beneficiary_nik="5371015507880002")
    guardian = BankDetails("130", "9988776655", "Petrus Lake")
    ca.correct_bank_details(claim.id, guardian, by="coordinator", reason="Rekening wali", rules=RULES)
    ca.approve(claim.id, by="supervisor", rules=RULES)
    after = stored(claim)
    assert (after.beneficiary_name, after.account_holder_name, after.account_no) == (
        "Maria Ndun", "Petrus Lake", "9988776655")
    assert payee_name(after) == "Petrus Lake" and after.status == S.READY


def test_a_correction_naming_the_beneficiary_leaves_no_separate_holder(users):
    claim = make_claim(S.READY)
    ca.correct_bank_details(claim.id, BankDetails("130", "9988776655", "YOHANES NDUN"), by="coordinator",
                            reason="Rekening baru", rules=RULES)
    ca.approve(claim.id, by="supervisor", rules=RULES)
    after = stored(claim)
    assert (after.beneficiary_name, after.account_holder_name) == ("Yohanes Ndun", None)


# -- the checks hold in release, approval and resend -------------------------------------------

def test_release_sends_a_claim_over_its_ceiling_to_review_not_ready(users):
    claim = make_claim(S.ON_HOLD, hold_reason="x", benefit_type="JKK_PEMAKAMAN", approved_amount=12_000_000,
                       **HEIR)
    ca.release(claim.id, by="coordinator", reason="Dokumen lengkap", rules=RULES)
    after = stored(claim)
    assert after.status == S.NEEDS_REVIEW and "Rp 10.000.000" in after.review_reason


def test_approval_of_a_claim_that_now_breaks_a_rule_goes_to_review(users):
    first = make_claim(S.PAID, benefit_type="JKM", approved_amount=42_000_000, **HEIR)
    claim = make_claim(S.AWAITING_APPROVAL, benefit_type="JKK_MENINGGAL", approved_amount=48_000_000, **HEIR)
    ca.approve(claim.id, by="supervisor", rules=RULES)
    after = stored(claim)
    assert after.status == S.NEEDS_REVIEW
    assert "meninggal sekali" in after.review_reason and first.claim_no in after.review_reason


def test_approval_of_an_amount_over_the_ceiling_goes_to_review(users):
    claim = make_claim(S.AWAITING_APPROVAL, benefit_type="JKM", approved_amount=70_000_000, **HEIR)
    ca.approve(claim.id, by="supervisor", rules=RULES)
    after = stored(claim)
    assert after.status == S.NEEDS_REVIEW and "Rp 42.000.000" in after.review_reason


def test_resend_of_an_accident_before_the_programme_goes_to_review(users):
    claim = make_claim(S.PAYOUT_FAILED, accident_date=dt.date(2025, 7, 20))
    ca.resend(claim.id, by="coordinator", reason="Coba lagi", rules=RULES)
    after = stored(claim)
    assert after.status == S.NEEDS_REVIEW and "pertanggungan" in after.review_reason


def test_resend_to_an_account_of_another_beneficiary_goes_to_review(users):
    other = make_claim(S.PAID, account_no="7777777777", beneficiary_nik="5371015507880009")
    claim = make_claim(S.PAYOUT_FAILED, account_no="7777777777")
    ca.resend(claim.id, by="coordinator", reason="Coba lagi", rules=RULES)
    after = stored(claim)
    assert after.status == S.NEEDS_REVIEW
    assert "rekening bersama" in after.review_reason and other.claim_no in after.review_reason


# -- clearing a review -----------------------------------------------------------------------

def over_ceiling() -> Claim:
    return make_claim(S.NEEDS_REVIEW, benefit_type="JKK_PEMAKAMAN", approved_amount=12_000_000,
                      review_reason="Aturan batas manfaat: ...", **HEIR)


def test_clearing_a_review_needs_a_written_reason_and_writes_nothing_without(users):
    claim = over_ceiling()
    with pytest.raises(Refused) as err:
        ca.perform(ClaimAction.CLEAR_REVIEW, [claim.id], by="coordinator", rules=RULES, reason="  ")
    assert err.value.key == "action.error.reason_required"
    assert stored(claim).status == S.NEEDS_REVIEW and last_event(claim).action == "RECEIVED"


def test_a_cleared_review_is_audited_and_its_reason_stays_in_the_history(users):
    claim = over_ceiling()
    ca.perform(ClaimAction.CLEAR_REVIEW, [claim.id], by="coordinator", rules=RULES,
               reason="Biaya pemakaman adat, disetujui BPJS lewat surat")
    after = stored(claim)
    assert (after.status, after.review_reason) == (S.READY, None)
    event = last_event(claim)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "REVIEW_CLEARED", "coordinator", S.NEEDS_REVIEW, S.READY)
    assert event.reason == "Biaya pemakaman adat, disetujui BPJS lewat surat"
    details = json.loads(event.details)
    assert details["review_reason"] == "Aturan batas manfaat: ..." and details["revision"] == 1
    assert any("Rp 10.000.000" in text for text in details["cleared"])
    audit = AuditLog.get(AuditLog.action == "CLAIM_REVIEW_CLEARED")
    assert (audit.username, audit.target) == ("coordinator", claim.claim_no)


def test_a_cleared_rule_is_not_raised_again_by_hold_and_release(users):
    claim = over_ceiling()
    ca.clear_review(claim.id, by="coordinator", rules=RULES, reason="Sudah dicek BPJS")
    ca.hold(claim.id, by="coordinator", reason="Tunggu KTP", rules=RULES)
    ca.release(claim.id, by="coordinator", reason="KTP ada", rules=RULES)
    assert stored(claim).status == S.READY


def test_a_cleared_claim_over_the_approval_threshold_still_needs_a_second_person(users):
    claim = make_claim(S.NEEDS_REVIEW, benefit_type="JKK_CACAT", approved_amount=60_000_000,
                       review_reason="batas")
    ca.perform(ClaimAction.CLEAR_REVIEW, [claim.id], by="coordinator", rules=RULES, reason="Sesuai putusan")
    assert stored(claim).status == S.AWAITING_APPROVAL
    ca.approve(claim.id, by="supervisor", rules=RULES)  # the cleared ceiling does not stop the approval
    assert stored(claim).status == S.READY


def test_a_missing_account_cannot_be_cleared(users):
    claim = make_claim(S.NEEDS_REVIEW, account_no=None, review_reason="Rekening bank belum ada")
    with pytest.raises(Refused) as err:
        ca.perform(ClaimAction.CLEAR_REVIEW, [claim.id], by="coordinator", rules=RULES, reason="Sudah")
    assert err.value.key == "action.skip.account_problem"
    assert stored(claim).status == S.NEEDS_REVIEW


def test_a_viewer_may_not_clear_a_review(users):
    claim = over_ceiling()
    with pytest.raises(Refused) as err:
        ca.perform(ClaimAction.CLEAR_REVIEW, [claim.id], by="viewer", rules=RULES, reason="Sudah")
    assert err.value.key == "error.permission_denied"
