"""The issue-7 story in a real browser (Playwright driving Debian's Chromium) through `python run.py serve`:

Bank NTT's SFTP host key no longer matches the pinned one, so "send payout instructions"
fails before any file moves; the coordinator starts it from the Tugas page, watches it
fail live, opens the run and reads the cause and what to do next; the configuration is
fixed (the known_hosts file the configuration names gets the right key back, as the
system admin would after checking the fingerprint with the bank); the coordinator presses
Re-run, the run succeeds and the READY claims move on to the bank (INSTRUCTED, batch
delivered). Screenshots go to test-output/host_key_rerun/.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from core.db import init_db
from core.settings import PROJECT_ROOT
from core.users import create_user
from jobs.sftp.keys import generate_ed25519, pin_host_key
from models import Claim, ClaimStatus, JobRun, PayoutBatch, Role, db
from tests.browser.support import browser_page, free_port, playwright, serving, wait_for_http
from tests.factories import make_claim

SHOTS = PROJECT_ROOT / "test-output" / "host_key_rerun"
PASSWORD = "pantai-lasiana-2026"
READY_CLAIMS = 6
pytestmark = pytest.mark.browser


@dataclass
class Served:
    base: str
    known_hosts: Path
    good_known_hosts: str  # as the server pinned it at start
    sftp_root: Path
    sftp_port: int
    log: Path


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`serve` with the embedded SFTP server on free ports, a coordinator and READY claims."""
    playwright()  # skip (or fail under CI) before starting anything
    web_port, sftp_port = free_port(), free_port()
    work, database = tmp_path / "data", f"sqlite:///{tmp_path / 'santunan.db'}"
    _seed(database)
    keys = work / "keys"
    sftp = {"host": "127.0.0.1", "port": sftp_port, "private_key": str(keys / "client_ed25519"),
            "known_hosts": str(keys / "known_hosts"), "timeout_seconds": 5}
    config = tmp_path / "host-key.yaml"
    config.write_text(yaml.safe_dump({
        "database": database, "work_dir": str(work), "seed_demo_data": False,
        "web": {"host": "127.0.0.1", "port": web_port},
        "embedded_sftp": {"enabled": True, "host": "127.0.0.1", "port": sftp_port,
                          "root": str(tmp_path / "sftp"), "simulate": False},
        "partners": {name: {"sftp": {**sftp, "username": name}} for name in ("bpjs", "bank")},
        "job_defaults": {"retries": 0},
    }), encoding="utf-8")
    log_path = tmp_path / "serve.log"
    try:
        with serving(config, tmp_path, log_path) as process:
            base = f"http://127.0.0.1:{web_port}"
            wait_for_http(f"{base}/login", process)
            known_hosts = keys / "known_hosts"
            _wait_for_file(known_hosts, process)
            yield Served(base, known_hosts, known_hosts.read_text(encoding="utf-8"), tmp_path / "sftp",
                         sftp_port, log_path)
    finally:
        _unbind()


def test_host_key_failure_is_explained_fixed_and_re_run_moves_the_claims_on(served: Served, tmp_path: Path):
    _bank_host_key_changes(served, tmp_path)
    try:
        with browser_page(SHOTS, timeout_ms=30_000) as page:
            _login(page, served.base)
            failed_run = _run_now_and_watch_it_fail(page, served.base)
            _read_the_cause(page, failed_run)
            assert _claims() == {ClaimStatus.READY: READY_CLAIMS}  # nothing moved, nothing sent
            assert not list((served.sftp_root / "bank" / "inbox").glob("NTTPAY_*"))
            served.known_hosts.write_text(served.good_known_hosts, encoding="utf-8")  # the admin's fix
            retry = _re_run_and_watch_it_succeed(page, failed_run)
            _claims_moved_on(page, served, failed_run, retry)
    except Exception:
        print(served.log.read_text(errors="replace")[-5000:])
        raise


def _bank_host_key_changes(served: Served, tmp_path: Path) -> None:
    """Pin another key for the server: to the app, the bank's host key has changed."""
    impostor = generate_ed25519(tmp_path / "other_host_ed25519", comment="not-the-bank")
    pin_host_key(served.known_hosts, "127.0.0.1", served.sftp_port, impostor)
    assert served.known_hosts.read_text(encoding="utf-8") != served.good_known_hosts


def _login(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.locator(".q-page").first.wait_for()


def _run_now_and_watch_it_fail(page, base: str) -> int:
    page.goto(f"{base}/tugas")  # the jobs page (in the navigation's "Tugas & Berkas" menu)
    card = page.locator(".q-card").filter(has_text="Kirim instruksi ke bank").first
    card.get_by_text("setiap hari pukul 02.00 WITA").wait_for()
    page.screenshot(path=str(SHOTS / "01-jobs.png"), full_page=True)
    card.get_by_role("button", name="Jalankan sekarang").click()
    dialog = page.locator(".q-dialog")
    dialog.get_by_text("Jalankan \u201cKirim instruksi ke bank\u201d sekarang?").wait_for()
    page.screenshot(path=str(SHOTS / "02-confirm-run.png"))
    dialog.get_by_role("button", name="Jalankan sekarang").click()
    watch = page.locator(".q-card").filter(has_text="Log proses #").first
    watch.get_by_text("Gagal", exact=True).wait_for()
    watch.get_by_text("Kunci host server Bank NTT").first.wait_for()
    page.get_by_text("selesai: Gagal").wait_for()  # the notification
    page.screenshot(path=str(SHOTS / "03-failed-live.png"), full_page=True)
    run = JobRun.get(JobRun.job == "bank_push")
    assert (run.outcome, run.error_cause, run.trigger, run.user.username) == (
        "FAILED", "host_key_changed", "manual", "koordinator")
    return run.id


def _read_the_cause(page, run_id: int) -> None:
    page.get_by_role("link", name=f"Buka proses #{run_id}").first.click()
    page.get_by_text("Apa yang terjadi").wait_for()
    page.get_by_text("Penyebab: Kunci host server berubah").wait_for()
    page.get_by_text("cocokkan sidik jari kunci barunya").wait_for()
    page.screenshot(path=str(SHOTS / "04-run-cause.png"), full_page=True)


def _re_run_and_watch_it_succeed(page, failed_run: int) -> int:
    page.get_by_role("button", name="Jalankan ulang").click()
    dialog = page.locator(".q-dialog")
    dialog.get_by_text(f"percobaan ulang proses #{failed_run}").wait_for()
    page.screenshot(path=str(SHOTS / "05-confirm-rerun.png"))
    dialog.get_by_role("button", name="Jalankan ulang").click()
    watch = page.locator(".q-card").filter(has_text="Log proses #").first
    watch.get_by_text("Berhasil", exact=True).wait_for()
    page.get_by_text("selesai: Berhasil").wait_for()
    page.screenshot(path=str(SHOTS / "06-rerun-succeeded.png"), full_page=True)
    retry = JobRun.get(JobRun.job == "bank_push", JobRun.id != failed_run)
    assert (retry.trigger, retry.retry_of_id, retry.outcome, retry.user.username) == (
        "retry", failed_run, "SUCCEEDED", "koordinator")
    return retry.id


def _claims_moved_on(page, served: Served, failed_run: int, retry: int) -> None:
    assert _claims() == {ClaimStatus.INSTRUCTED: READY_CLAIMS}
    batch = PayoutBatch.get()
    assert (batch.status, batch.instruction_count) == ("DELIVERED", READY_CLAIMS)
    assert list((served.sftp_root / "bank" / "inbox").glob(f"NTTPAY_*_{batch.batch_id}.txt"))
    page.goto(f"{served.base}/batch/{batch.batch_id}")
    page.get_by_text("Terkirim ke bank").first.wait_for()
    page.screenshot(path=str(SHOTS / "07-batch.png"), full_page=True)
    page.goto(f"{served.base}/tugas/riwayat/{failed_run}")
    page.get_by_text(f"sudah berhasil lagi di proses #{retry}").wait_for()
    page.screenshot(path=str(SHOTS / "08-failed-run-resolved.png"), full_page=True)


def _claims() -> dict[str, int]:
    """How many claims are in each status, read from the database the server writes."""
    counts: dict[str, int] = {}
    for (status,) in Claim.select(Claim.status).tuples():
        counts[status] = counts.get(status, 0) + 1
    return counts


def _seed(database: str) -> None:
    init_db(database)
    create_user("koordinator", PASSWORD, Role.COORDINATOR, full_name="Koordinator Kupang")
    for n in range(READY_CLAIMS):
        make_claim(ClaimStatus.READY, approved_amount=1_000_000 + n * 250_000, account_no=f"00{n + 1:08d}")
    db.close()


def _unbind() -> None:
    if not db.is_closed():
        db.close()
    db.initialize(None)


def _wait_for_file(path: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"serve did not write {path} (exit code {process.poll()})")
        time.sleep(0.2)
