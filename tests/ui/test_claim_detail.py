import datetime as dt
import json

from nicegui import ui
from nicegui.testing import User

from core.text import fmt
from models import BatchFile, Claim, ClaimEvent, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.factories import make_claim
from tests.ui.conftest import claim_action, login, should_see_all

S = ClaimStatus
NIK = "5305014107850001"


def _failed_claim_with_history() -> Claim:
    source = BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS",
                              name="BPJSTK_KLAIM_20261101_01.txt", status="PROCESSED")
    claim = make_claim(S.PAYOUT_FAILED, nik=NIK, case_no="KSS-000000077", source_file=source.id,
                       source_line=12, failure_code="ACCOUNT_CLOSED", instruction_id="INS000000000001")
    make_claim(S.PAID, case_no="KSS-000000077", benefit_type="JKK_PEMAKAMAN", approved_amount=10_000_000)
    batch = PayoutBatch.create(batch_id="20261102000001")
    PayoutInstruction.create(instruction_id="INS000000000001", batch=batch, claim=claim,
                             beneficiary_name="Yohanes Ndun", bank_code="130", account_no="0012345678",
                             amount=1_000_000, remark="SANTUNAN JKK", result_status="FAILED",
                             failure_code="ACCOUNT_CLOSED", failure_reason="Rekening ditutup nasabah")
    return claim


async def test_detail_shows_fields_case_attempts_source_and_timeline(accounts, user: User):
    claim = _failed_claim_with_history()
    await login(user, "coordinator")
    await user.open(f"/klaim/{claim.claim_no}")
    await should_see_all(user, "Gagal Dibayar", "Rp 1.000.000", NIK, "BPJSTK_KLAIM_20261101_01.txt", "12",
                         "Pembayaran lain kasus KSS-000000077 (1)", "JKK - Biaya Pemakaman",
                         "INS000000000001 · batch 20261102000001",
                         "Rekening sudah ditutup: Rekening ditutup nasabah")
    titles = [e.props["title"] for e in user.find(ui.timeline_entry).elements]
    assert titles == ["Diterima dari BPJS"]  # the timeline's one event (newest first)


async def test_viewer_sees_nik_and_account_masked_and_actions_greyed_out(accounts, user: User):
    claim = _failed_claim_with_history()
    await login(user, "viewer")
    await user.open(f"/klaim/{claim.claim_no}")
    await user.should_see("530501")
    await user.should_not_see(NIK)
    await user.should_not_see("0012345678")
    button = user.find(marker="action-resend").elements.pop()
    assert not button.enabled


async def test_unknown_claim_says_so(accounts, user: User):
    await login(user, "viewer")
    await user.open("/klaim/KLM-TIDAK-ADA")
    await user.should_see("Klaim KLM-TIDAK-ADA tidak ditemukan")


async def test_hold_then_release_from_the_detail_page(accounts, user: User):
    claim = make_claim(S.READY, approved_amount=3_500_000)
    await login(user, "coordinator")
    await user.open(f"/klaim/{claim.claim_no}")
    user.find(marker="action-hold").click()
    await user.should_see("1 klaim (Rp 3.500.000): Siap Dibayar → Ditunda", retries=30)
    user.find(marker="action-confirm").click()
    await user.should_see("Alasan wajib diisi", retries=30)
    assert Claim.get_by_id(claim.id).status == S.READY
    user.find(marker="action-reason").type("Menunggu surat keterangan ahli waris")
    user.find(marker="action-confirm").click()
    await user.should_see("Alasan ditunda/dibatalkan: Menunggu surat keterangan ahli waris", retries=30)
    assert Claim.get_by_id(claim.id).status == S.ON_HOLD
    await claim_action(user, "release", "Ditunda → Siap Dibayar", "Surat sudah diterima")
    await user.should_see(marker="claim-status", content="Siap Dibayar", retries=30)
    actions = [e.action for e in ClaimEvent.select().where(ClaimEvent.claim == claim.id)]
    assert actions[-2:] == ["HOLD", "RELEASE"]


async def test_corrected_account_needs_another_person_to_approve(accounts, user: User):
    claim = make_claim(S.PAYOUT_FAILED, failure_code="ACCOUNT_CLOSED")
    await login(user, "supervisor")
    await user.open(f"/klaim/{claim.claim_no}")
    user.find(marker="action-correct_bank").click()
    await user.should_see(marker="account-no", retries=30)
    user.find(marker="account-no").elements.pop().value = "9988776655"
    user.find(marker="action-preview-button").click()
    await user.should_see("Gagal Dibayar → Menunggu Persetujuan", retries=30)
    user.find(marker="action-reason").type("Rekening lama ditutup, nasabah buka baru")
    user.find(marker="action-confirm").click()
    await user.should_see(marker="pending-change", retries=30)
    user.find(marker="action-approve").click()
    await user.should_see("orang lain yang harus menyetujui", retries=30)
    assert Claim.get_by_id(claim.id).status == S.AWAITING_APPROVAL

    user.find(marker="logout").click()
    await user.should_see("Anda sudah keluar", retries=30)
    await login(user, "admin")
    await user.open(f"/klaim/{claim.claim_no}")
    user.find(marker="action-approve").click()
    await user.should_see("Menunggu Persetujuan → Siap Dibayar", retries=30)
    user.find(marker="action-confirm").click()
    await user.should_see(marker="claim-status", content="Siap Dibayar", retries=30)
    stored = Claim.get_by_id(claim.id)
    assert (stored.account_no, stored.approved_by) == ("9988776655", "admin")


async def test_claim_page_shows_the_due_date_days_late_and_the_holidays_inside(accounts, user: User):
    """Verified 17 March 2026 10:00 WITA, JKK death benefit: due 2 April after the cuti bersama."""
    claim = make_claim(S.READY, benefit_type="JKK_MENINGGAL", beneficiary_relation="SPOUSE",
                       verified_at=dt.datetime(2026, 3, 17, 2, 0))
    assert claim.payment_due_date == dt.date(2026, 4, 2)
    await login(user, "viewer")
    await user.open(f"/klaim/{claim.claim_no}")
    duty = user.find(marker="duty").elements.pop().text
    assert duty.startswith("Melewati batas bayar 2 April 2026: terlambat ")
    late = int(duty.split("terlambat ")[1].split()[0])
    assert late >= 150  # working days since April 2026, more every working day
    holidays = user.find(marker="duty-holidays").elements.pop().text
    assert "18 Maret 2026 (Cuti Bersama Hari Suci Nyepi)" in holidays and "Hari Suci Nyepi" in holidays
    assert "3 April 2026" in holidays  # Good Friday fell while it was late


async def test_a_claim_paid_in_time_says_so(accounts, user: User):
    today = fmt.local_today()
    claim = make_claim(S.PAID, payment_due_date=today + dt.timedelta(days=3), paid_date=today,
                       verified_at=dt.datetime.combine(today, dt.time(1)))
    await login(user, "viewer")
    await user.open(f"/klaim/{claim.claim_no}")
    await user.should_see("Dibayar tepat waktu")


NEW_NIK, OLD_ACCOUNT, NEW_ACCOUNT = "5305015508900002", "0012345678", "0098765432"
LATE = (f"Koreksi BPJS revisi 2 untuk klaim KLM-X yang sudah dibayar tidak diterapkan: nik {NIK} -> "
        f"{NEW_NIK}; account_no {OLD_ACCOUNT} -> {NEW_ACCOUNT}. Status dan nilai klaim tetap.")


def _flagged_late_correction() -> Claim:
    claim = make_claim(S.PAID, nik=NIK)
    Claim.update(flagged=True, flag_reason=LATE).where(Claim.id == claim.id).execute()
    ClaimEvent.create(claim=claim, actor="job:bpjs_pull", action="LATE_CORRECTION", from_status=S.PAID,
                      to_status=S.PAID, reason=LATE,
                      details=json.dumps({"file": "BPJSTK_KLAIM_20261101_02.txt", "differences": {
                          "nik": [NIK, NEW_NIK], "account_no": [OLD_ACCOUNT, NEW_ACCOUNT]}}))
    return claim


async def test_a_viewer_sees_no_full_nik_or_account_in_a_correction_flag_or_the_history(accounts, user: User):
    claim = _flagged_late_correction()
    await login(user, "viewer")
    await user.open(f"/klaim/{claim.claim_no}")
    await user.should_see(marker="claim.flag_reason")
    await user.should_see("••••••5432")
    for number in (NIK, NEW_NIK, OLD_ACCOUNT, NEW_ACCOUNT):
        await user.should_not_see(number)
    bodies = " ".join(str(e.props.get("body", "")) for e in user.find(ui.timeline_entry).elements)
    assert "BPJSTK_KLAIM_20261101_02.txt" in bodies and "••••••5678" in bodies
    assert not any(number in bodies for number in (NIK, NEW_NIK, OLD_ACCOUNT, NEW_ACCOUNT))


async def test_a_coordinator_sees_the_correction_flag_in_full(accounts, user: User):
    claim = _flagged_late_correction()
    await login(user, "coordinator")
    await user.open(f"/klaim/{claim.claim_no}")
    await should_see_all(user, f"nik {NIK} -> {NEW_NIK}", f"account_no {OLD_ACCOUNT} -> {NEW_ACCOUNT}")


async def test_beneficiary_and_account_holder_side_by_side_warn_when_unrelated(accounts, user: User):
    stranger = make_claim(S.READY, beneficiary_name="Maria Ndun", account_holder_name="Petrus Lake")
    guardian = make_claim(S.READY, beneficiary_name="Maria Ndun", account_holder_name="Maria Ndun Tefa")
    await login(user, "coordinator")
    await user.open(f"/klaim/{stranger.claim_no}")
    await should_see_all(user, "Penerima", "Maria Ndun", "Nama pemilik rekening", "Petrus Lake")
    warning = user.find(marker="holder-unrelated").elements.pop().text
    assert "Petrus Lake" in warning and "Maria Ndun" in warning
    await user.open(f"/klaim/{guardian.claim_no}")
    await user.should_see("Maria Ndun Tefa")
    await user.should_not_see(marker="holder-unrelated")


async def test_clearing_a_review_from_the_claim_page_keeps_the_reason_in_the_history(accounts, user: User):
    claim = make_claim(S.NEEDS_REVIEW, benefit_type="JKK_PEMAKAMAN", approved_amount=12_000_000,
                       beneficiary_relation="SPOUSE", beneficiary_nik="5371015507880002",
                       review_reason="Aturan batas manfaat: di atas Rp 10.000.000")
    await login(user, "coordinator")
    await user.open(f"/klaim/{claim.claim_no}")
    await claim_action(user, "clear_review", "Perlu Ditinjau → Siap Dibayar", "Surat BPJS: biaya adat")
    await user.should_see(marker="claim-status", content="Siap Dibayar", retries=30)
    entries = {e.props["title"]: str(e.props.get("body", "")) for e in user.find(ui.timeline_entry).elements}
    cleared = entries["Tinjauan diselesaikan"]
    assert "Surat BPJS: biaya adat" in cleared and "Aturan batas manfaat: di atas Rp 10.000.000" in cleared
