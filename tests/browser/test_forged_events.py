"""A click counts only from the browser that was served the page (hardening finding 7, ui/event_guard.py).

Two real browsers (separate cookie jars) log in: an admin and a viewer. The admin's click on
"run now" is recorded as the socket message the browser sent. Replayed from the viewer's
socket (the client id is no secret), it must not reach the admin's page; replayed from the
admin's own socket, the same message opens the confirmation again, so the test can fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from core.db import init_db
from core.settings import PROJECT_ROOT
from core.users import create_user
from models import Role, db
from tests.browser.support import ARGS, CHROMIUM, free_port, playwright, serving, wait_for_http

SHOTS = PROJECT_ROOT / "test-output" / "forged_events"
PASSWORD = "pantai-lasiana-2026"
RECORD = """() => {
  window.__sent = [];
  const emit = window.socket.emit.bind(window.socket);
  window.socket.emit = (name, data) => {
    if (name === 'event') window.__sent.push(data);
    return emit(name, data);
  };
}"""
pytestmark = pytest.mark.browser


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    playwright()
    port, database = free_port(), f"sqlite:///{tmp_path / 'santunan.db'}"
    init_db(database)
    create_user("admin1", PASSWORD, Role.ADMIN)
    create_user("viewer1", PASSWORD, Role.VIEWER)
    db.close()
    db.initialize(None)
    config = tmp_path / "forged.yaml"
    config.write_text(yaml.safe_dump({
        "database": database, "work_dir": str(tmp_path / "data"), "seed_demo_data": False,
        "web": {"host": "127.0.0.1", "port": port},
        "embedded_sftp": {"enabled": False, "root": str(tmp_path / "sftp")},
    }), encoding="utf-8")
    log = tmp_path / "serve.log"
    with serving(config, tmp_path, log) as process:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{url}/login", process)
        yield url


def _login(browser, base: str, username: str):
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID").new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{base}/tugas")
    page.wait_for_function("() => window.did_handshake === true")
    return page


def _dialogs(page) -> int:
    return page.locator(".q-dialog").count()


def test_a_click_replayed_from_another_browser_never_reaches_the_admins_page(base: str):
    with playwright()() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            admin, viewer = _login(browser, base, "admin1"), _login(browser, base, "viewer1")
            admin.evaluate(RECORD)
            admin.get_by_role("button", name="Jalankan sekarang").first.click()
            admin.locator(".q-dialog").first.wait_for()
            click = admin.evaluate("() => window.__sent[window.__sent.length - 1]")
            assert click["client_id"] == admin.evaluate("() => window.clientId")
            admin.keyboard.press("Escape")
            admin.wait_for_function("() => document.querySelectorAll('.q-dialog').length === 0")

            viewer.evaluate("(msg) => window.socket.emit('event', msg)", click)  # the forgery
            time.sleep(2)
            assert _dialogs(admin) == 0, "a viewer's socket clicked the admin's button"

            admin.evaluate("(msg) => window.socket.emit('event', msg)", click)  # the control
            admin.locator(".q-dialog").first.wait_for()
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for name, page in (("admin", locals().get("admin")), ("viewer", locals().get("viewer"))):
                if page is not None:
                    page.screenshot(path=str(SHOTS / f"failure-{name}.png"), full_page=True)
            raise
        finally:
            browser.close()
