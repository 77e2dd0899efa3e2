"""What both browser tests share: the app served in a child process, and one Chromium page."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import need

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def playwright():
    """`sync_playwright`, or a skip (a failure under CI) when Chromium or playwright is missing."""
    need(Path(CHROMIUM).exists(), "Debian chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright package")
    return sync_playwright


@contextmanager
def serving(config: Path, tmp_path: Path, log_path: Path) -> Iterator[subprocess.Popen]:
    """`run.py --config CONFIG serve` in a child process, its output in `log_path`; stopped after."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_CURRENT_TEST", "NICEGUI_USER_SIMULATION", "SANTUNAN_CONFIG", "DATABASE_URL")}
    env["NICEGUI_STORAGE_PATH"] = str(tmp_path / "nicegui")
    log = log_path.open("w")
    command = [sys.executable, str(PROJECT_ROOT / "run.py"), "--config", str(config), "serve"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def browser_page(shots: Path, timeout_ms: int) -> Iterator:
    """A fresh Chromium page at 1366x900 in Indonesian; a full-page `failure.png` when the test fails."""
    sync_playwright = playwright()
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="id-ID")
        page.set_default_timeout(timeout_ms)
        try:
            yield page
        except Exception:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}")
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer")


def first_login(page, base: str, password: str, new_password: str) -> None:
    """The first login of `admin`, who must change the one-time password at once; ends on Beranda."""
    page.goto(f"{base}/login")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kata sandi sekarang").fill(password)
    page.get_by_label("Kata sandi baru", exact=True).fill(new_password)
    page.get_by_label("Ulangi kata sandi baru").fill(new_password)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(r"/$"))  # sent to Beranda once the new password is kept
