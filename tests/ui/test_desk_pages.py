import pytest
from nicegui.testing import User

from models import Alert, BatchFile, PayoutBatch
from tests.ui.conftest import login
from tests.ui.desk_helpers import finished_run

ENGLISH = {  # page: a text it shows in English
    "/tugas": "every day at 01:00 WITA",
    "/tugas/riwayat": "Failures of the last 30 days by cause",
    "/tugas/riwayat/1": "What to do next",
    "/berkas": "Search file name",
    "/berkas/1": "Rejected whole",
    "/batch": "Overdue only",
    "/batch/B000001": "Open its claims in the claim queue",
    "/peringatan": "Open alerts (1)",
    "/audit": "entries",
    "/pengguna": "Add user",
}


@pytest.fixture
def some_of_everything(accounts) -> None:
    run = finished_run("bank_push", "FAILED", error_cause="host_key_changed", error="Kunci host berubah")
    BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS", status="REJECTED",
                     name="BPJSTK_KLAIM_20261103_01.txt", error="trailer salah", job_run=run)
    PayoutBatch.create(batch_id="B000001", status="DELIVERED")
    Alert.create(kind="job_failed", subject="Tugas gagal", message="Kunci host berubah", job_run=run)


@pytest.mark.parametrize("path", list(ENGLISH))
async def test_every_desk_page_opens_in_both_languages(some_of_everything, user: User, path):
    await login(user, "admin")
    await user.open(path)
    await user.should_see(marker="page-title")
    user.find(marker="language").elements.pop().set_value("en")
    await user.should_see(ENGLISH[path], retries=50)
