import asyncio

import pytest
from nicegui.testing import User

from models import AuditLog, BatchFile, JobRun, RecordError
from tests.ui.conftest import confirm, login
from tests.ui.desk_helpers import FakeJob
from tests.ui.desk_helpers import wait_until_no_run_is_running as wait_for_runs

SHA = "3f" * 32
NAME = "BPJSTK_KLAIM_20261103_01.txt"


@pytest.fixture
def fake_pull(monkeypatch, app_config):
    job = FakeJob("bpjs_pull", blocking=False).install(monkeypatch)
    yield job
    wait_for_runs()


def _rejected(tmp_path, **fields) -> BatchFile:
    copy = tmp_path / NAME
    copy.write_text("H|VERIFIED_CLAIMS|BPJS-1|2026-11-03T01:00:00+08:00|BPJSTK|PEMPROV_NTT|1.0\nT|1|5000000\n",
                    encoding="utf-8")
    values = {"direction": "IN", "partner": "bpjs", "file_type": "VERIFIED_CLAIMS", "name": NAME,
              "sha256": SHA, "status": "REJECTED", "local_path": str(copy),
              "error": "jumlah baris detail 0 tidak sama dengan trailer 1"}
    values.update(fields)
    return BatchFile.create(**values)


async def test_files_received_and_sent_are_listed_with_status_count_total_and_hash(accounts, user: User):
    BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS",
                     name="BPJSTK_KLAIM_20261101_01.txt", sha256=SHA, status="PROCESSED_WITH_ERRORS",
                     record_count=1200, control_total=3_456_000_000, error_count=3)
    BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION", status="WRITTEN",
                     name="NTTPAY_20261102_20261102000001.txt", record_count=40, control_total=80_000_000)
    BatchFile.create(direction="OUT", partner="bpjs", file_type="PAYOUT_STATUS", status="DELIVERED",
                     name="SANTUNAN_STATUS_20261102_01.txt", record_count=5)
    await login(user, "viewer")
    await user.open("/berkas")
    await user.should_see(marker="files-count", content="3 berkas")
    rows = {r["name"]: r for r in user.find(marker="files-table").elements.pop().rows}
    received = rows["BPJSTK_KLAIM_20261101_01.txt"]
    assert (received["status_label"], received["records"], received["errors"], received["total"],
            received["sha_short"], received["direction"]) == ("Diproses dengan kesalahan", "1.200", "3",
                                                              "Rp 3.456.000.000", SHA[:12], "Diterima")
    assert rows["NTTPAY_20261102_20261102000001.txt"]["status_label"] == "Menunggu dikirim"
    assert rows["SANTUNAN_STATUS_20261102_01.txt"]["status_label"] == "Terkirim"
    await user.open("/berkas?partner=bank")
    await user.should_see(marker="files-count", content="1 berkas")


async def test_a_file_shows_its_record_errors_a_page_at_a_time(accounts, user: User):
    processed = BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS", name=NAME,
                                 status="PROCESSED_WITH_ERRORS", record_count=100, error_count=30)
    for line in range(2, 32):
        RecordError.create(batch_file=processed, line_no=line, field="nik", value=f"53710141078{line:05d}",
                           message="NIK tidak valid: tanggal lahir 00")
    await login(user, "viewer")
    await user.open(f"/berkas/{processed.id}")
    await user.should_see(marker="record-errors-title", content="Kesalahan baris (30)")
    table = user.find(marker="record-errors").elements.pop()
    assert [r["line_no"] for r in table.rows] == list(range(2, 27))
    assert table.pagination["rowsNumber"] == 30
    user.find(marker="record-errors").trigger("request", {"pagination": {"page": 2, "rowsPerPage": 25}})
    for _ in range(50):
        if table.pagination["page"] == 2:
            break
        await asyncio.sleep(0.1)
    assert [r["line_no"] for r in table.rows] == list(range(27, 32))


async def test_a_rejected_file_says_why_and_that_no_replacement_came_yet(accounts, user: User, tmp_path):
    rejected = _rejected(tmp_path)
    await login(user, "viewer")
    await user.open(f"/berkas/{rejected.id}")
    await user.should_see(marker="file-rejected-reason", content="tidak sama dengan trailer")
    await user.should_see(marker="file-no-replacement", content="Minta BPJS Ketenagakerjaan")
    await user.should_see(SHA)


async def test_a_supervisor_downloads_the_kept_copy_and_it_is_audited(accounts, user: User, tmp_path):
    rejected = _rejected(tmp_path)
    await login(user, "supervisor")
    await user.open(f"/berkas/{rejected.id}")
    user.find(marker="file-download").click()
    response = await user.download.next(timeout=5)
    assert response.status_code == 200 and response.text.startswith("H|VERIFIED_CLAIMS|BPJS-1")
    entry = AuditLog.get(AuditLog.action == "FILE_DOWNLOAD")
    assert (entry.username, entry.target) == ("supervisor", NAME)


async def test_a_coordinator_may_not_download_even_by_the_address(accounts, user: User, tmp_path):
    rejected = _rejected(tmp_path)
    await login(user, "coordinator")
    await user.open(f"/berkas/{rejected.id}")
    assert not next(iter(user.find(marker="file-download").elements)).enabled
    response = await user.http_client.get(f"/berkas/{rejected.id}/unduh")
    assert response.status_code == 403 and "tidak boleh" in response.text
    assert not AuditLog.select().where(AuditLog.action == "FILE_DOWNLOAD").exists()


async def test_the_download_address_needs_a_session(app_config, user: User):
    response = await user.http_client.get("/berkas/1/unduh")
    assert response.status_code in (302, 307)


async def test_a_supervisor_ignores_a_rejected_file_with_a_reason(accounts, user: User, tmp_path):
    rejected = _rejected(tmp_path)
    await login(user, "supervisor")
    await user.open(f"/berkas/{rejected.id}")
    await confirm(user, "file-ignore")
    await user.should_see(marker="confirm-error", content="Alasan wajib diisi", retries=30)
    user.find(marker="confirm-reason").type("BPJS mengganti dengan BPJSTK_KLAIM_20261103_02.txt")
    user.find(marker="confirm-ok").click()
    await user.should_see(marker="file-status", content="Diabaikan", retries=30)
    await user.should_see(marker="file-ignore-reason", content="BPJS mengganti dengan")
    assert BatchFile.get_by_id(rejected.id).status == "IGNORED"
    assert AuditLog.get(AuditLog.action == "FILE_IGNORED").username == "supervisor"


async def test_reprocess_runs_the_pull_then_shows_the_replacement(accounts, fake_pull, user: User, tmp_path):
    rejected = _rejected(tmp_path)

    def partner_sent_a_corrected_file() -> None:
        BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS", name=NAME,
                         sha256="9" * 64, status="PROCESSED", record_count=1, control_total=5_000_000)

    fake_pull.effect = partner_sent_a_corrected_file
    await login(user, "coordinator")
    await user.open(f"/berkas/{rejected.id}")
    await confirm(user, "file-reprocess")
    await user.should_see("langkah 3: selesai", retries=80)
    await user.should_see(marker="file-replacement", retries=40)
    run = JobRun.get()
    assert (run.job, run.trigger, run.user.username) == ("bpjs_pull", "manual", "coordinator")
    assert AuditLog.get(AuditLog.action == "FILE_REPROCESS").target == NAME


@pytest.mark.parametrize(("role", "marker"), [("viewer", "file-reprocess"), ("viewer", "file-ignore"),
                                              ("coordinator", "file-ignore"), ("viewer", "file-download")])
async def test_a_role_that_may_not_is_refused_and_nothing_changes(accounts, user: User, tmp_path, role,
                                                                  marker):
    rejected = _rejected(tmp_path)
    await login(user, role)
    await user.open(f"/berkas/{rejected.id}")
    button = user.find(marker=marker)
    assert not next(iter(button.elements)).enabled
    audited = AuditLog.select().count()
    button.trigger("click")
    await user.should_see("tidak boleh melakukan ini", retries=30)
    assert BatchFile.get_by_id(rejected.id).status == "REJECTED"
    assert not JobRun.select().exists()
    assert AuditLog.select().count() == audited
