import datetime as dt

from nicegui.testing import User

from models import BatchFile, ClaimStatus, PayoutBatch, PayoutInstruction, utcnow
from tests.factories import make_claim
from tests.ui.conftest import login

S = ClaimStatus
BATCH = "20261102000001"


def _batch(batch_id: str = BATCH, *, delivered_hours_ago: float = 3,
           results=("SUCCESS", "SUCCESS", "FAILED", "RETURNED", "SENT")) -> PayoutBatch:
    delivered = utcnow() - dt.timedelta(hours=delivered_hours_ago)
    instruction_file = BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION",
                                        name=f"NTTPAY_20261102_{batch_id}.txt", status="DELIVERED",
                                        record_count=len(results), control_total=1_000_000 * len(results))
    batch = PayoutBatch.create(batch_id=batch_id, file=instruction_file, instruction_count=len(results),
                               total_amount=1_000_000 * len(results), status="DELIVERED",
                               delivered_at=delivered)
    answer = BatchFile.create(direction="IN", partner="bank", file_type="PAYOUT_RESULT", status="PROCESSED",
                              name=f"NTTPAY_20261102_{batch_id}_RESULT_01.txt", record_count=4)
    status_of = {"SUCCESS": S.PAID, "FAILED": S.PAYOUT_FAILED, "RETURNED": S.PAYOUT_FAILED,
                 "SENT": S.INSTRUCTED}
    for n, result in enumerate(results, start=1):
        claim = make_claim(status_of[result], batch_id=batch_id, account_no=f"00123456{n:02d}")
        PayoutInstruction.create(
            instruction_id=f"INS{batch_id}{n:02d}", batch=batch, claim=claim, beneficiary_name="Yohanes Ndun",
            bank_code="130", account_no=f"00123456{n:02d}", amount=1_000_000, remark="SANTUNAN JKK",
            line_no=n,
            result_status=result, result_file=answer if result != "SENT" else None,
            bank_reference="NTT-REF-1" if result == "SUCCESS" else None,
            value_date=dt.date(2026, 11, 3) if result == "SUCCESS" else None,
            failure_code={"FAILED": "ACCOUNT_CLOSED", "RETURNED": "NAME_MISMATCH"}.get(result),
            failure_reason="Rekening ditutup" if result == "FAILED" else None)
    return batch


async def test_batches_show_counters_with_rupiah_totals(accounts, user: User):
    _batch()
    await login(user, "viewer")
    await user.open("/batch")
    await user.should_see(marker="batches-count", content="1 batch")
    row = user.find(marker="batches-table").elements.pop().rows[0]
    assert (row["instructed"], row["paid"], row["failed"], row["returned"], row["awaiting"]) == (
        "5 · Rp 5.000.000", "2 · Rp 2.000.000", "1 · Rp 1.000.000", "1 · Rp 1.000.000", "1 · Rp 1.000.000")
    assert row["status_label"] == "Terkirim ke bank" and not row["overdue"]


async def test_a_batch_whose_results_are_late_is_flagged_and_can_be_listed_alone(accounts, user: User):
    _batch()
    _batch("20261030000001", delivered_hours_ago=60)
    await login(user, "viewer")
    await user.open("/batch?overdue=1")
    await user.should_see(marker="batches-count", content="1 batch")
    row = user.find(marker="batches-table").elements.pop().rows[0]
    assert (row["batch_id"], row["overdue"]) == ("20261030000001", True)
    await user.open("/batch/20261030000001")
    await user.should_see(marker="batch-overdue", content="1 instruksi belum ada hasilnya setelah 48 jam")


async def test_a_batch_page_shows_its_counters_files_and_instructions(accounts, user: User):
    _batch()
    await login(user, "coordinator")
    await user.open(f"/batch/{BATCH}")
    await user.should_see(marker="counter-paid", content="Rp 2.000.000")
    await user.should_see(f"NTTPAY_20261102_{BATCH}.txt")
    await user.should_see(f"NTTPAY_20261102_{BATCH}_RESULT_01.txt")
    rows = user.find(marker="instructions-table").elements.pop().rows
    assert [r["result"] for r in rows] == ["Berhasil", "Berhasil", "Gagal", "Dikembalikan", "Menunggu hasil"]
    assert rows[0]["detail"] == "NTT-REF-1 · 3 November 2026"
    assert rows[2]["detail"].endswith("Rekening ditutup") and rows[0]["account"] == "130 0012345601"
    assert rows[4]["claim_status"] == "Dikirim ke Bank"


async def test_the_drill_down_opens_the_batch_claims_in_the_queue(accounts, user: User):
    _batch()
    make_claim(S.PAID, batch_id="20261001000009")  # another batch's claim
    await login(user, "viewer")
    await user.open(f"/batch/{BATCH}")
    link = user.find(marker="batch-claims").elements.pop()
    assert link.props["href"] == f"/klaim?batch={BATCH}"
    await user.open(link.props["href"])
    await user.should_see(marker="matching-count", content="5 klaim cocok", retries=30)


async def test_a_viewer_sees_account_numbers_masked(accounts, user: User):
    _batch()
    await login(user, "viewer")
    await user.open(f"/batch/{BATCH}")
    rows = user.find(marker="instructions-table").elements.pop().rows
    assert rows[0]["account"] == "130 ••••••5601"


async def test_an_unknown_batch_says_so(accounts, user: User):
    await login(user, "viewer")
    await user.open("/batch/TIDAKADA")
    await user.should_see("Batch TIDAKADA tidak ditemukan")
