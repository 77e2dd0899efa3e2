"""Take the README's screenshots: `python docs/screens/take.py` (from the project folder).

Starts `run.py serve` on a free port with a fresh SQLite database of demo data (in a temporary
folder; the configured database is never touched), logs in as the first admin with the one-time
password `serve` wrote to its file, and saves the main pages at 1366x900 in Indonesian into this
folder. Needs the `playwright` package and Debian's `chromium` (as the browser tests do).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.support import first_login, free_port, wait_for_http  # noqa: E402  (as the browser tests)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
SIZE = {"width": 1366, "height": 900}
PASSWORD = "Layar-Dokumentasi-2026"
# (file name, path); klaim-detail.png is the first paid claim of the queue, opened from it.
PAGES = [("dashboard.png", "/"), ("klaim.png", "/klaim"), ("tugas.png", "/tugas"),
         ("peserta.png", "/peserta"), ("sosialisasi.png", "/sosialisasi"),
         ("rekonsiliasi.png", "/rekonsiliasi"), ("rekening-koran.png", "/rekening-koran")]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="santunan-screens-") as tmp:
        work = Path(tmp)
        port = free_port()
        config = work / "screens.yaml"
        config.write_text(yaml.safe_dump({
            "database": f"sqlite:///{work / 'santunan.db'}", "work_dir": str(work / "data"),
            "demo_claims": 2000, "seed_demo_data": True, "web": {"host": "127.0.0.1", "port": port},
            "embedded_sftp": {"enabled": False, "root": str(work / "sftp")},
        }), encoding="utf-8")
        env = {**os.environ, "NICEGUI_STORAGE_PATH": str(work / "nicegui")}
        with (work / "serve.log").open("w") as log:
            command = [sys.executable, str(ROOT / "run.py"), "--config", str(config), "serve"]
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                password = _one_time_password(work / "data" / "first-admin-password.txt", server)
                wait_for_http(f"{base}/login", server)
                _take(base, password)
            finally:
                server.terminate()
                server.wait(timeout=15)
    return 0


def _take(base: str, password: str) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=SIZE, locale="id-ID")
        page.set_default_timeout(20_000)
        first_login(page, base, password, PASSWORD)
        for name, path in PAGES:
            page.goto(base + path)
            _settle(page)
            page.screenshot(path=str(HERE / name))
            print(f"{name}: {path}")
        page.goto(f"{base}/klaim?status=PAID")
        _settle(page)
        page.locator("main a[href^='/klaim/']").first.click()
        _settle(page)
        page.screenshot(path=str(HERE / "klaim-detail.png"))
        print(f"klaim-detail.png: {page.url.removeprefix(base)}")
        browser.close()


def _settle(page: Page) -> None:
    """The page drawn: its title shown, and a moment for the tables filled off the event loop."""
    page.locator("main .text-h5, .q-page .text-h5").first.wait_for()
    page.wait_for_timeout(1500)


def _one_time_password(path: Path, server: subprocess.Popen, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").strip():
            return path.read_text(encoding="utf-8").strip()
        if server.poll() is not None:
            raise SystemExit(f"serve exited with {server.returncode}")
        time.sleep(0.3)
    raise SystemExit(f"serve wrote no one-time password to {path}")


if __name__ == "__main__":
    sys.exit(main())
