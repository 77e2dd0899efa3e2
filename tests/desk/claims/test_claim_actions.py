import itertools

import pytest

from core.claims.checks import payout_fingerprint
from core.claims.queries import ClaimFilter
from desk import claims as ca
from desk.claims import CLAIM_ACTIONS, BankDetails, ClaimAction, Rules
from desk.claims import plan as planner
from desk.permissions import MIN_ROLE
from desk.refusal import Refused
from models import AuditLog, Claim, ClaimEvent, ClaimStatus, PayoutBatch, PayoutInstruction, Role, User
from tests.factories import make_claim

S = ClaimStatus
RULES = Rules(approval_threshold=50_000_000, instalment_benefits=frozenset({"JKK_STMB", "BEASISWA"}))
NEW_BANK = BankDetails("130", "9988776655", "Maria Ndun")


@pytest.fixture
def users(database):
    return {role: User.create(username=role, role=role, password_hash="-") for role in Role.ALL} | {
        "supervisor2": User.create(username="supervisor2", role=Role.SUPERVISOR, password_hash="-")}


def snapshot():
    """Everything a refused action must leave untouched."""
    claims = [tuple(c.__data__.items()) for c in Claim.select().order_by(Claim.id)]
    return claims, ClaimEvent.select().count(), AuditLog.select().count()


def events(claim):
    return list(ClaimEvent.select().where(ClaimEvent.claim == claim.id).order_by(ClaimEvent.id))


def test_hold_moves_claim_off_the_payout_queue_with_reason_event_and_audit(users):
    claim = make_claim(S.READY)
    outcome = ca.hold(claim.id, by="coordinator", reason="Cek KTP ahli waris", rules=RULES)
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.hold_reason) == (S.ON_HOLD, "Cek KTP ahli waris")
    assert (outcome.count, outcome.total) == (1, 1_000_000)
    last = events(claim)[-1]
    assert (last.actor, last.action, last.from_status, last.to_status, last.reason) == (
        "coordinator", "HOLD", S.READY, S.ON_HOLD, "Cek KTP ahli waris")
    row = AuditLog.get(AuditLog.action == "CLAIM_HOLD")
    assert (row.username, row.target) == ("coordinator", claim.claim_no)


def test_release_runs_the_pre_payout_checks_again(users):
    good = make_claim(S.ON_HOLD, hold_reason="x")
    no_account = make_claim(S.ON_HOLD, hold_reason="x", account_no=None)
    ca.release(good.id, by="coordinator", reason="KTP sudah dicek", rules=RULES)
    ca.release(no_account.id, by="coordinator", reason="KTP sudah dicek", rules=RULES)
    assert Claim.get_by_id(good.id).status == S.READY
    stored = Claim.get_by_id(no_account.id)
    assert stored.status == S.NEEDS_REVIEW and "Rekening" in stored.review_reason
    assert stored.hold_reason is None


def test_preview_shows_the_target_status_and_amount_before_anything_changes(users):
    claim = make_claim(S.ON_HOLD, approved_amount=70_000_000, benefit_type="JKM",
                       beneficiary_relation="SPOUSE", beneficiary_nik="5371015507850002")
    before = snapshot()
    plan = ca.preview(ClaimAction.RELEASE, [claim.id], by="coordinator", reason="ok", rules=RULES)
    assert [(m.from_status, m.to_status, m.count, m.total) for m in plan.moves] == [
        (S.ON_HOLD, S.AWAITING_APPROVAL, 1, 70_000_000)]
    assert "persetujuan" in plan.steps[0].note
    assert snapshot() == before


def test_reason_is_required_for_every_action_but_approval(users):
    claim = make_claim(S.READY)
    before = snapshot()
    for action in CLAIM_ACTIONS:
        if action is ClaimAction.APPROVE:
            continue
        with pytest.raises(Refused) as err:
            ca.perform(action, [claim.id], by="admin", rules=RULES, reason="  ", bank=NEW_BANK)
        assert err.value.key == "action.error.reason_required"
    assert snapshot() == before


def test_bank_correction_waits_for_a_second_person(users):
    claim = make_claim(S.PAYOUT_FAILED, failure_code="ACCOUNT_CLOSED")
    ca.correct_bank_details(claim.id, NEW_BANK, by="coordinator", reason="Rekening lama ditutup", rules=RULES)
    stored = Claim.get_by_id(claim.id)
    assert stored.status == S.AWAITING_APPROVAL
    assert (stored.bank_code, stored.account_no) == ("130", "0012345678")  # not used until approved
    assert (stored.pending_account_no, stored.pending_account_holder_name) == ("9988776655", "Maria Ndun")
    assert stored.pending_change_by_id == users["coordinator"].id
    assert events(claim)[-1].action == "BANK_DETAILS_CORRECTED"


def test_nobody_approves_their_own_change_and_the_refusal_writes_nothing(users):
    claim = make_claim(S.READY)
    ca.correct_bank_details(claim.id, NEW_BANK, by="supervisor", reason="Salah ketik", rules=RULES)
    before = snapshot()
    with pytest.raises(Refused) as err:
        ca.approve(claim.id, by="supervisor", rules=RULES)
    assert err.value.key == "action.skip.own_change"
    assert snapshot() == before


def test_approval_by_another_supervisor_applies_the_new_account_and_records_who_approved(users):
    claim = make_claim(S.READY)
    ca.correct_bank_details(claim.id, NEW_BANK, by="coordinator", reason="Salah ketik", rules=RULES)
    ca.approve(claim.id, by="supervisor2", rules=RULES)
    stored = Claim.get_by_id(claim.id)
    assert stored.status == S.READY
    # BPJS's beneficiary stays; the holder's name is kept beside it (contract section 7).
    assert (stored.bank_code, stored.account_no, stored.beneficiary_name, stored.account_holder_name) == (
        "130", "9988776655", claim.beneficiary_name, "Maria Ndun")
    assert stored.pending_account_no is None and stored.pending_change_by_id is None
    assert stored.approved_by == "supervisor2"
    assert stored.approved_fingerprint == payout_fingerprint(stored)


def test_approving_an_over_threshold_claim_records_the_approval(users):
    claim = make_claim(S.AWAITING_APPROVAL, approved_amount=56_000_000, benefit_type="JKK_CACAT")
    ca.approve(claim.id, by="supervisor", rules=RULES, reason="Dokumen lengkap")
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.approved_by) == (S.READY, "supervisor")
    assert stored.approved_fingerprint == payout_fingerprint(stored)


def test_held_claim_with_a_pending_correction_returns_to_approval_when_released(users):
    claim = make_claim(S.ON_HOLD, hold_reason="x")
    ca.correct_bank_details(claim.id, NEW_BANK, by="coordinator", reason="Rekening baru", rules=RULES)
    assert Claim.get_by_id(claim.id).status == S.ON_HOLD
    ca.release(claim.id, by="coordinator", reason="Selesai", rules=RULES)
    assert Claim.get_by_id(claim.id).status == S.AWAITING_APPROVAL


def test_resend_puts_a_failed_payout_back_in_the_queue_and_warns_about_the_same_account(users):
    claim = make_claim(S.PAYOUT_FAILED, failure_code="ACCOUNT_DORMANT", instruction_id="INS1")
    batch = PayoutBatch.create(batch_id="B1")
    PayoutInstruction.create(instruction_id="INS1", batch=batch, claim=claim, beneficiary_name="Yohanes Ndun",
                             bank_code="130", account_no="0012345678", amount=1_000_000, remark="x",
                             result_status="FAILED", failure_code="ACCOUNT_DORMANT")
    plan = ca.preview(ClaimAction.RESEND, [claim.id], by="coordinator", rules=RULES)
    assert plan.warnings and plan.warnings[0][0] == "action.warn.same_account"
    ca.resend(claim.id, by="coordinator", reason="Rekening sudah diaktifkan lagi", rules=RULES)
    assert Claim.get_by_id(claim.id).status == S.READY
    assert events(claim)[-1].action == "RESEND"


def test_cancel_needs_a_supervisor_and_a_reason(users):
    claim = make_claim(S.NEEDS_REVIEW)
    with pytest.raises(Refused):
        ca.cancel(claim.id, by="coordinator", reason="Ganda", rules=RULES)
    ca.cancel(claim.id, by="supervisor", reason="Klaim ganda", rules=RULES)
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.hold_reason) == (S.CANCELLED, "Klaim ganda")


def test_note_and_flag_clearing_are_events_without_a_move(users):
    claim = make_claim(S.PAID, flagged=True, flag_reason="Revisi 2 setelah dibayar")
    ca.add_note(claim.id, by="coordinator", text="Sudah telepon ahli waris", rules=RULES)
    ca.clear_flag(claim.id, by="coordinator", reason="Selisih sudah dicek BPJS", rules=RULES)
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.flagged, stored.flag_reason) == (S.PAID, False, None)
    assert [e.action for e in events(claim)][-2:] == ["NOTE", "FLAG_CLEARED"]
    assert "Revisi 2" in events(claim)[-1].details


def test_action_that_does_not_apply_to_the_status_is_refused_with_why(users):
    claim = make_claim(S.PAID)
    before = snapshot()
    with pytest.raises(Refused) as err:
        ca.hold(claim.id, by="coordinator", reason="x y z", rules=RULES)
    assert err.value.key == "action.skip.not_holdable"
    assert "ditunda" in str(err.value)
    assert snapshot() == before


def test_bad_bank_details_are_refused(users):
    claim = make_claim(S.NEEDS_REVIEW)
    for bank, key in [(BankDetails("13", "9988776655", "A"), "action.error.bank_code"),
                      (BankDetails("130", "12-34", "A"), "action.error.account_no"),
                      (BankDetails("130", "9988776655", " "), "action.error.beneficiary_name")]:
        with pytest.raises(Refused) as err:
            ca.correct_bank_details(claim.id, bank, by="coordinator", reason="x", rules=RULES)
        assert err.value.key == key


# -- bulk ----------------------------------------------------------------------------------

def test_bulk_hold_on_all_matching_previews_count_and_total_then_skips_what_does_not_apply(users):
    ready = [make_claim(S.READY, kabupaten_code="5305", approved_amount=2_000_000) for _ in range(3)]
    make_claim(S.PAID, kabupaten_code="5305")
    make_claim(S.READY, kabupaten_code="5371")
    target = ClaimFilter(kabupaten=("5305",))
    plan = ca.preview(ClaimAction.HOLD, target, by="coordinator", reason="Verifikasi desa", rules=RULES)
    assert (plan.count, plan.total, plan.skipped) == (3, 6_000_000, {"action.skip.not_holdable": 1})
    outcome = ca.perform(ClaimAction.HOLD, target, by="coordinator", reason="Verifikasi desa", rules=RULES,
                         expected_digest=plan.digest)
    assert outcome.count == 3
    assert {Claim.get_by_id(c.id).status for c in ready} == {S.ON_HOLD}
    assert all(events(c)[-1].action == "HOLD" for c in ready)
    audit_row = AuditLog.get(AuditLog.action == "CLAIM_HOLD")
    assert '"kab": "5305"' in audit_row.details


def test_bulk_action_is_refused_when_the_claims_changed_since_the_preview(users):
    target = ClaimFilter(statuses=(S.READY,))
    make_claim(S.READY)
    plan = ca.preview(ClaimAction.HOLD, target, by="coordinator", reason="x", rules=RULES)
    make_claim(S.READY)  # a job brought a new claim in meanwhile
    before = snapshot()
    with pytest.raises(Refused) as err:
        ca.perform(ClaimAction.HOLD, target, by="coordinator", reason="x", rules=RULES,
                   expected_digest=plan.digest)
    assert err.value.key == "action.error.changed" and err.value.params["count"] == 2
    assert snapshot() == before


def test_bulk_approve_skips_the_approvers_own_changes(users):
    own, other = make_claim(S.READY), make_claim(S.READY)
    ca.correct_bank_details(own.id, NEW_BANK, by="supervisor", reason="x", rules=RULES)
    ca.correct_bank_details(other.id, NEW_BANK, by="coordinator", reason="x", rules=RULES)
    plan = ca.preview(ClaimAction.APPROVE, [own.id, other.id], by="supervisor", rules=RULES)
    assert plan.count == 1 and plan.skipped == {"action.skip.own_change": 1}
    ca.perform(ClaimAction.APPROVE, [own.id, other.id], by="supervisor", rules=RULES,
               expected_digest=plan.digest)
    assert Claim.get_by_id(own.id).status == S.AWAITING_APPROVAL
    assert Claim.get_by_id(other.id).status == S.READY


def test_single_claim_actions_refuse_a_selection(users):
    claims = [make_claim(S.READY), make_claim(S.READY)]
    with pytest.raises(Refused) as err:
        ca.perform(ClaimAction.CANCEL, [c.id for c in claims], by="admin", reason="x", rules=RULES)
    assert err.value.key == "action.error.not_bulk"


def test_too_large_a_selection_is_refused(users, monkeypatch):
    monkeypatch.setattr(planner, "BULK_LIMIT", 2)
    for _ in range(3):
        make_claim(S.READY)
    with pytest.raises(Refused) as err:
        ca.preview(ClaimAction.HOLD, ClaimFilter(), by="coordinator", reason="x", rules=RULES)
    assert err.value.key == "action.error.too_many" and err.value.params["count"] == 3


# -- role x action table ---------------------------------------------------------------------

STATUS_FOR = {ClaimAction.HOLD: S.READY, ClaimAction.RELEASE: S.ON_HOLD, ClaimAction.CORRECT_BANK: S.READY,
              ClaimAction.APPROVE: S.AWAITING_APPROVAL, ClaimAction.RESEND: S.PAYOUT_FAILED,
              ClaimAction.CANCEL: S.READY, ClaimAction.ADD_NOTE: S.READY, ClaimAction.CLEAR_FLAG: S.READY,
              ClaimAction.CLEAR_REVIEW: S.NEEDS_REVIEW}
TABLE = list(itertools.product(CLAIM_ACTIONS, Role.ALL))


@pytest.mark.parametrize(("action", "role"), TABLE)
def test_role_action_table(users, action, role):
    claim = make_claim(STATUS_FOR[action], flagged=True, flag_reason="cek", approved_amount=60_000_000,
                       benefit_type="JKK_CACAT")
    may = Role.ALL.index(role) >= Role.ALL.index(MIN_ROLE[action])
    before = snapshot()
    if may:
        ca.perform(action, [claim.id], by=role, rules=RULES, reason="alasan", bank=NEW_BANK)
        assert snapshot() != before
        return
    for call in (ca.preview, ca.perform):
        with pytest.raises(Refused) as err:
            call(action, [claim.id], by=role, rules=RULES, reason="alasan", bank=NEW_BANK)
        assert err.value.key == "error.permission_denied"
    assert snapshot() == before


def test_deactivated_or_unknown_user_is_refused(users):
    claim = make_claim(S.READY)
    User.update(active=False).where(User.username == "admin").execute()
    before = snapshot()
    for name in ("admin", "nobody"):
        with pytest.raises(Refused) as err:
            ca.hold(claim.id, by=name, reason="x", rules=RULES)
        assert err.value.key == "action.error.no_user"
    assert snapshot() == before
