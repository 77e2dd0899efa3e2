from nicegui import ui
from nicegui.testing import User

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
