"""Every page walked in a real browser (issue 17), in Bahasa Indonesia at 1280x800 and in English.

The walk takes its pages from the navigation (`ui.frame.NAV`: a page another change adds is walked
without touching this file), plus the account page and the first detail page each list links to.
On each page it fails on: a raw status or benefit code, an English word of ENGLISH (Indonesian
walk) or an Indonesian word of INDONESIAN (English walk), a horizontal scroll bar, a date typed
as digits and slashes (`03/10/2026` is read month-first by some and day-first by others: every
page shows `10 Mar 2026`), a browser date input (Chromium draws it `mm/dd/yyyy`), and a header
that wraps onto a second line. Screenshots go to test-output/browser/walk/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cli.serve import FIRST_ADMIN_FILE
from core.reference import load_reference
from core.settings import PROJECT_ROOT
from tests.browser.support import browser_page, first_login, free_port, playwright, serving, wait_for_http
from tests.browser.test_coordinator_flow import _wait_for_password
from ui.frame import NAV

SHOTS = PROJECT_ROOT / "test-output" / "browser" / "walk"
NEW_PASSWORD = "flores-timur-2026"
pytestmark = pytest.mark.browser

_REFERENCE = load_reference(PROJECT_ROOT / "config" / "reference.yaml")
# Status and benefit codes, less one its own label quotes ("JKM - Jaminan Kematian").
_CODES = sorted((code for name in ("claim_status", "benefit_type") for code in _REFERENCE.codes(name)
                 if code not in _REFERENCE.label(name, code, "id") + _REFERENCE.label(name, code, "en")),
                key=len, reverse=True)
RAW_CODES = re.compile(r"\b(" + "|".join(_CODES) + r")\b")
# English a coordinator met on Indonesian pages (issue 17), and Quasar's own English.
ENGLISH = ("Record", "record", "run", "file", "Dashboard", "Claims", "Jobs", "Files", "Alerts", "Users",
           "Log out", "Save", "Cancel", "Search", "Rows per page", "No data", "Loading", "Status code",
           "Received", "Amount", "Yes", "Today")
# Indonesian that must not be left on English pages (words of our catalogue, not names).
INDONESIAN = ("Beranda", "Tugas", "Berkas", "Pengguna", "Peringatan", "Keluar", "Simpan", "Batal",
              "Cari", "Ditunda", "Siap Dibayar", "Perlu Ditinjau", "Berhasil Dibayar", "dulu", "bisa",
              "lewat", "Baris per halaman", "Tidak ada data")
SLASH_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
WIDTHS = (1280, 1366, 1920)
HEADER_ONE_LINE_PX = 64  # the header is one line of 36 px buttons plus padding


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`serve` on a fresh SQLite database with demo claims: (base URL, one-time admin password)."""
    playwright()
    port = free_port()
    config = tmp_path / "walk.yaml"
    config.write_text(yaml.safe_dump({
        "database": f"sqlite:///{tmp_path / 'santunan.db'}", "work_dir": str(tmp_path / "data"),
        "demo_claims": 200, "seed_demo_data": True, "web": {"host": "127.0.0.1", "port": port},
        "embedded_sftp": {"enabled": False, "root": str(tmp_path / "sftp")},
    }), encoding="utf-8")
    with serving(config, tmp_path, tmp_path / "serve.log") as process:
        password = _wait_for_password(tmp_path / "data" / FIRST_ADMIN_FILE, tmp_path / "serve.log", process)
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/login", process)
        yield base, password


def test_every_page_is_indonesian_fits_1280_and_english_has_no_indonesian_left(server):
    base, password = server
    with browser_page(SHOTS, timeout_ms=20_000) as page:
        page.set_viewport_size({"width": 1280, "height": 800})
        first_login(page, base, password, NEW_PASSWORD)
        problems = _walk(page, base, "id")
        _switch_language(page, "English")
        problems += _walk(page, base, "en")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{base}/klaim")
            _settle(page)
            height = page.locator("header").first.bounding_box()["height"]
            if height > HEADER_ONE_LINE_PX:
                problems.append(f"header wraps at {width} px ({height:.0f} px high)")
    assert not problems, "\n".join(problems)


def pages(page, base: str) -> list[str]:
    """The navigation's pages, the account page, and the first detail page of each list."""
    paths = [item.path for item in NAV] + ["/akun"]
    for listing, prefix in (("/klaim", "/klaim/"), ("/berkas", "/berkas/"), ("/batch", "/batch/"),
                            ("/tugas/riwayat", "/tugas/riwayat/")):
        page.goto(base + listing)
        _settle(page)
        link = page.locator(f"main a[href^='{prefix}']").first
        if link.count():
            paths.append(link.get_attribute("href"))
    return paths


def _walk(page, base: str, lang: str) -> list[str]:
    problems = []
    for n, path in enumerate(pages(page, base)):
        page.goto(base + path)
        _settle(page)
        page.screenshot(path=str(SHOTS / f"{lang}-{n:02d}{path.replace('/', '_')}.png"), full_page=True)
        problems += [f"{lang} {path}: {problem}" for problem in _check(page, lang)]
    return problems


def _check(page, lang: str) -> list[str]:
    text = page.locator("body").inner_text()
    found = []
    found += [f"raw code {code}" for code in sorted(set(RAW_CODES.findall(text)))]
    words = ENGLISH if lang == "id" else INDONESIAN
    found += [f"word {word!r}" for word in words
              if re.search(rf"(?<![\w/.]){re.escape(word)}(?![\w/.])", text)]
    found += [f"date {date!r}" for date in sorted(set(SLASH_DATE.findall(text)))]
    if page.locator("input[type=date]").count():
        found.append("a browser date input (drawn mm/dd/yyyy)")
    if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
        found.append("horizontal overflow")
    # a table that scrolls sideways inside itself cuts its last columns (the queue's received time)
    cut = page.evaluate("""() => [...document.querySelectorAll('.q-table__middle')]
        .filter(t => t.scrollWidth > t.clientWidth + 1).length""")
    if cut:
        found.append(f"{cut} table(s) cut at the right edge")
    return found


def _switch_language(page, label: str) -> None:
    page.locator("header .q-select").first.click()
    page.get_by_role("option", name=label).click()
    page.wait_for_timeout(1000)
    _settle(page)


def _settle(page) -> None:
    """The page drawn: its title shown, and a moment for tables filled off the event loop."""
    page.locator("main .text-h5, .q-page .text-h5").first.wait_for()
    page.wait_for_timeout(700)
