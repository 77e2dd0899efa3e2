import datetime as dt
import json

import pytest
from nicegui.testing import User

from models import AuditLog, BatchFile, JobRun, utcnow
from models import User as Account
from tests.ui.conftest import confirm, login
from tests.ui.desk_helpers import FakeJob, finished_run
from tests.ui.desk_helpers import wait_until_no_run_is_running as wait_for_runs

HOST_KEY_ERROR = ("Kunci host server Bank NTT (127.0.0.1:2222) berubah: server menunjukkan SHA256:AAA, "
                  "yang tercatat di data/keys/known_hosts adalah SHA256:BBB. Tidak ada file yang diambil "
                  "atau dikirim.")


@pytest.fixture
def fake_push(monkeypatch, app_config):
    job = FakeJob("bank_push", blocking=False).install(monkeypatch)
    yield job
    wait_for_runs()


def _failed_host_key_run() -> JobRun:
    return finished_run("bank_push", "FAILED", error=HOST_KEY_ERROR, error_cause="host_key_changed",
                        log="01:00:00 Mulai: Kirim instruksi pembayaran ke Bank NTT (terjadwal)\n"
                            "01:00:01 PERINGATAN Gagal: Kunci host server Bank NTT berubah")


async def test_history_lists_runs_with_trigger_user_start_duration_counts_and_outcome(accounts, user: User):
    coordinator = Account.get(Account.username == "coordinator")
    finished_run("bpjs_pull", "SUCCEEDED_WITH_WARNINGS", seconds=42, trigger="manual", user=coordinator,
                 counts=json.dumps({"records": 30, "bad_records": 2}))
    _failed_host_key_run()
    await login(user, "viewer")
    await user.open("/tugas/riwayat")
    await user.should_see(marker="runs-count", content="2 proses")
    table = user.find(marker="runs-table").elements.pop()
    rows = {r["job_label"]: r for r in table.rows}
    pull = rows["Ambil klaim BPJS"]
    assert (pull["trigger_label"], pull["user"], pull["duration"]) == ("Manual", "coordinator", "42 dtk")
    assert pull["counts"] == "30 baris · 2 baris salah"
    assert pull["outcome_label"] == "Berhasil, ada catatan"
    push = rows["Kirim instruksi ke bank"]
    assert (push["trigger_label"], push["user"], push["outcome_label"]) == ("Terjadwal", "sistem", "Gagal")
    assert push["cause"] == "Kunci host server berubah"


async def test_failures_are_grouped_by_cause_over_the_last_30_days(accounts, user: User):
    for _ in range(2):
        _failed_host_key_run()
    finished_run("bank_pull", "FAILED", error_cause="unreachable", error="Server Bank NTT tidak menjawab")
    finished_run("bpjs_pull", "FAILED", error_cause="file_rejected", error="Berkas ditolak seluruhnya")
    finished_run("bpjs_pull", "SUCCEEDED_WITH_WARNINGS", counts=json.dumps({"bad_records": 3}))
    old = finished_run("bpjs_pull", "FAILED", error_cause="auth_failed", error="Login ditolak")
    JobRun.update(started_at=utcnow() - dt.timedelta(days=31)).where(JobRun.id == old.id).execute()
    await login(user, "viewer")
    await user.open("/tugas/riwayat")
    await user.should_see(marker="cause-host_key_changed", content="Kunci host server berubah: 2")
    await user.should_see(marker="cause-unreachable", content="Server tidak dapat dihubungi: 1")
    await user.should_see(marker="cause-file_rejected", content=": 1")
    await user.should_see(marker="cause-bad_records", content="Baris salah dilewati: 1")
    await user.should_not_see(marker="cause-auth_failed")


async def test_the_cause_filter_in_the_url_shows_only_those_runs(accounts, user: User):
    _failed_host_key_run()
    finished_run("bpjs_pull", "SUCCEEDED")
    await login(user, "viewer")
    await user.open("/tugas/riwayat?cause=host_key_changed")
    await user.should_see(marker="runs-count", content="1 proses")
    rows = user.find(marker="runs-table").elements.pop().rows
    assert [r["job_label"] for r in rows] == ["Kirim instruksi ke bank"]


async def test_a_run_page_shows_the_whole_log_the_error_and_what_to_do_next(accounts, user: User):
    run = _failed_host_key_run()
    incoming = BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION",
                                name="NTTPAY_20261102_20261102000001.txt", status="WRITTEN", job_run=run.id)
    await login(user, "viewer")
    await user.open(f"/tugas/riwayat/{run.id}")
    await user.should_see(marker="run-error-text", content="Kunci host server Bank NTT (127.0.0.1:2222)")
    await user.should_see(marker="run-cause", content="Penyebab: Kunci host server berubah")
    await user.should_see(marker="run-next", content="cocokkan sidik jari kunci barunya")
    await user.should_see("01:00:01 PERINGATAN Gagal: Kunci host server Bank NTT berubah")
    await user.should_see(incoming.name)


async def test_re_run_of_a_failed_run_asks_first_then_runs_it_as_a_retry(accounts, fake_push, user: User):
    failed = _failed_host_key_run()
    await login(user, "coordinator")
    await user.open(f"/tugas/riwayat/{failed.id}")
    await confirm(user, "rerun")
    await user.should_see("langkah 3: selesai", retries=80)
    await user.should_see(marker="run-outcome", content="Berhasil", retries=30)
    retry = JobRun.get(JobRun.id != failed.id)
    assert (retry.trigger, retry.retry_of_id, retry.user.username, retry.attempt) == ("retry", failed.id,
                                                                                      "coordinator", 2)
    assert AuditLog.get(AuditLog.action == "JOB_RUN").username == "coordinator"
    await user.open(f"/tugas/riwayat/{failed.id}")
    await user.should_see(marker="retried-in", content=f"#{retry.id}")
    await user.should_see(marker="later-success")


async def test_a_viewer_cannot_re_run_and_the_refusal_writes_nothing(accounts, fake_push, user: User):
    failed = _failed_host_key_run()
    await login(user, "viewer")
    await user.open(f"/tugas/riwayat/{failed.id}")
    button = user.find(marker="rerun")
    assert not next(iter(button.elements)).enabled
    button.trigger("click")
    await user.should_see("tidak boleh melakukan ini", retries=30)
    assert JobRun.select().count() == 1
    assert not AuditLog.select().where(AuditLog.action == "JOB_RUN").exists()


async def test_a_run_that_skipped_bad_records_says_what_to_do(accounts, user: User):
    counts = json.dumps({"records": 28, "bad_records": 2})
    run = finished_run("bpjs_pull", "SUCCEEDED_WITH_WARNINGS", counts=counts)
    await login(user, "viewer")
    await user.open(f"/tugas/riwayat/{run.id}")
    await user.should_see(marker="run-cause", content="Baris salah dilewati")
    await user.should_not_see(marker="rerun")


async def test_the_run_page_heading_is_in_the_chosen_language(accounts, user: User):
    run = finished_run("bpjs_pull", "SUCCEEDED")
    await login(user, "viewer")
    await user.open(f"/tugas/riwayat/{run.id}")
    title = user.find(marker="page-title").elements.pop()
    assert title.text == f"Proses tugas #{run.id}"
    user.find(marker="language").elements.pop().set_value("en")
    await user.should_see(marker="page-title", content=f"Run #{run.id}", retries=50)
    assert user.find(marker="page-title").elements.pop().text == f"Run #{run.id}"


async def test_an_unknown_run_says_so(accounts, user: User):
    await login(user, "viewer")
    await user.open("/tugas/riwayat/999")
    await user.should_see("Proses #999 tidak ditemukan")


async def test_a_viewer_reads_a_runs_log_and_error_with_nik_and_account_numbers_masked(accounts, user: User):
    quoting = "baris 7: NIK 5371011505850001, rekening 0012345678 ditolak bank"
    run = finished_run("bank_pull", "FAILED", error=f"Berkas hasil ditolak: {quoting}",
                       error_cause="file_rejected", log=f"01:00:00 Mulai (terjadwal)\n01:00:01 {quoting}")
    await login(user, "viewer")
    await user.open(f"/tugas/riwayat/{run.id}")
    await user.should_see(marker="run-error-text", content="NIK 537101••••••0001, rekening ••••••5678")
    await user.should_see("01:00:01 baris 7: NIK 537101••••••0001, rekening ••••••5678 ditolak bank")
    await user.should_not_see("5371011505850001")
    await user.should_not_see("0012345678")


async def test_a_coordinator_reads_the_runs_log_in_full(accounts, user: User):
    run = finished_run("bank_pull", "FAILED", error="NIK 5371011505850001 ditolak",
                       error_cause="file_rejected", log="01:00:01 NIK 5371011505850001 ditolak")
    await login(user, "coordinator")
    await user.open(f"/tugas/riwayat/{run.id}")
    await user.should_see(marker="run-error-text", content="NIK 5371011505850001 ditolak")
    await user.should_see("01:00:01 NIK 5371011505850001 ditolak")
