"""A real browser (Playwright driving Debian's Chromium) through `python run.py serve` on demo data:
first login with the one-time admin password, the dashboard counts against the database, a
filtered queue, a claim held and released. Screenshots go to test-output/browser/."""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cli.serve import FIRST_ADMIN_FILE
from core.settings import PROJECT_ROOT
from tests.browser.support import browser_page, free_port, playwright, serving, wait_for_http

SHOTS = PROJECT_ROOT / "test-output" / "browser"
NEW_PASSWORD = "sabana-sumba-2026"
pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """`serve` on a fresh SQLite database with 400 demo claims: (base URL, admin password, db path)."""
    playwright()  # skip (or fail under CI) before starting anything
    port = free_port()
    db_path = tmp_path / "santunan.db"
    config = tmp_path / "browser.yaml"
    config.write_text(yaml.safe_dump({
        "database": f"sqlite:///{db_path}", "work_dir": str(tmp_path / "data"), "demo_claims": 400,
        "seed_demo_data": True, "web": {"host": "127.0.0.1", "port": port},
        "embedded_sftp": {"enabled": False, "root": str(tmp_path / "sftp")},
    }), encoding="utf-8")
    with serving(config, tmp_path, tmp_path / "serve.log") as process:
        password = _wait_for_password(tmp_path / "data" / FIRST_ADMIN_FILE, tmp_path / "serve.log", process)
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/login", process)
        yield base, password, db_path


def test_login_dashboard_queue_hold_and_release_in_a_real_browser(server):
    base, password, db_path = server
    with browser_page(SHOTS, timeout_ms=15_000) as page:
        _first_login(page, base, password)
        _dashboard_matches_database(page, db_path)
        claim_no = _filter_queue_and_open_a_claim(page, base, db_path)
        _hold_and_release(page, db_path, claim_no)


def _first_login(page, base: str, password: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(password)
    page.screenshot(path=str(SHOTS / "01-login.png"))
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Kata sandi Anda sementara").wait_for()  # one-time password: change it first
    page.get_by_label("Kata sandi sekarang").fill(password)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    page.screenshot(path=str(SHOTS / "02-change-password.png"))
    page.get_by_role("button", name="Simpan").click()
    # the card title (an alert repeats it)
    page.get_by_text("Melewati batas bayar", exact=True).first.wait_for()


def _dashboard_matches_database(page, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        counts = dict(conn.execute("SELECT status, COUNT(*) FROM claim GROUP BY status").fetchall())
    assert sum(counts.values()) >= 400
    page.wait_for_timeout(500)  # the chart animates in
    page.screenshot(path=str(SHOTS / "03-dashboard.png"), full_page=True)
    for status in ("NEEDS_REVIEW", "AWAITING_APPROVAL", "READY", "ON_HOLD", "INSTRUCTED", "PAID",
                   "PAYOUT_FAILED", "REJECTED", "CANCELLED"):
        card = page.locator(f'a[href="/klaim?status={status}"]')
        shown = int(re.search(r"\n([\d.]+)\n", card.inner_text()).group(1).replace(".", ""))
        assert shown == counts.get(status, 0), status


def _filter_queue_and_open_a_claim(page, base: str, db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        (ready,) = conn.execute("SELECT COUNT(*) FROM claim WHERE status = 'READY'").fetchone()
    page.get_by_role("button", name="Klaim").click()
    page.get_by_text(re.compile(r"klaim cocok")).wait_for()
    page.get_by_label("Status").click()
    page.get_by_role("option", name="Siap Dibayar").click()
    page.keyboard.press("Escape")
    page.get_by_text(f"{ready} klaim cocok").wait_for()
    assert "status=READY" in page.url
    page.screenshot(path=str(SHOTS / "04-queue-ready.png"), full_page=True)
    link = page.locator("tbody a[href^='/klaim/']").first
    claim_no = link.inner_text().strip()
    link.click()
    page.get_by_text(f"Klaim {claim_no}").first.wait_for()
    page.screenshot(path=str(SHOTS / "05-claim.png"), full_page=True)
    return claim_no


def _hold_and_release(page, db_path: Path, claim_no: str) -> None:
    _act(page, "Tunda", "Siap Dibayar → Ditunda", "Menunggu surat keterangan ahli waris", "06-hold")
    page.get_by_text("Alasan ditunda/dibatalkan: Menunggu surat keterangan ahli waris").wait_for()
    assert _status(db_path, claim_no) == "ON_HOLD"
    _act(page, "Lepas tunda", "Ditunda → Siap Dibayar", "Surat sudah diterima", "07-release")
    page.get_by_text("Dilepas dari tunda").first.wait_for()
    assert _status(db_path, claim_no) == "READY"
    page.screenshot(path=str(SHOTS / "08-released.png"), full_page=True)


def _act(page, button: str, preview: str, reason: str, shot: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.locator(".q-dialog")
    dialog.get_by_text(preview).wait_for()
    dialog.locator("textarea").fill(reason)
    page.screenshot(path=str(SHOTS / f"{shot}-preview.png"))
    dialog.get_by_role("button", name="Konfirmasi").click()
    dialog.wait_for(state="hidden")


def _status(db_path: Path, claim_no: str) -> str:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT status FROM claim WHERE claim_no = ?", (claim_no,)).fetchone()[0]


def _wait_for_password(path: Path, log: Path, process: subprocess.Popen, timeout: float = 90) -> str:
    """The one-time admin password from its 0600 file; the serve log names the file, never the password."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if str(path) in log.read_text(errors="replace"):
            password = path.read_text(encoding="utf-8").strip()
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert password not in log.read_text(errors="replace")
            return password
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"serve named no one-time password file:\n{log.read_text()}")
