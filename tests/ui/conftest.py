"""Fixtures for the web app tests: NiceGUI's `user` fixture runs run.py (`serve`) on a test database.

Request `app_config` before `user` in a test's arguments: it writes the test configuration
and points SANTUNAN_CONFIG at it before the app starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from nicegui.testing import User as TestUser

from core.users import THROTTLE, create_user
from models import Role

PASSWORD = "kupang-rahasia-2026"


@pytest.fixture(autouse=True)
def fresh_login_throttle():
    """Failed logins of one test must not slow the next (the throttle lives as long as the process)."""
    THROTTLE.clear()
    yield
    THROTTLE.clear()


@pytest.fixture
def app_config(tmp_path: Path, settings_override: dict, database, monkeypatch) -> dict:
    settings_override["embedded_sftp"] = {"enabled": False, "root": str(tmp_path / "sftp_drops")}
    path = tmp_path / "ui-config.yaml"

    def write() -> None:
        values = {k: v for k, v in settings_override.items() if k != "_write"}
        path.write_text(yaml.safe_dump(values), encoding="utf-8")

    write()
    monkeypatch.setenv("SANTUNAN_CONFIG", str(path))
    settings_override["_write"] = write  # a test may change the override, then call this
    return settings_override


@pytest.fixture
def accounts(app_config) -> dict[str, str]:
    """One user per role, named after it, all with PASSWORD."""
    for role in Role.ALL:
        create_user(role, PASSWORD, role)
    return {role: role for role in Role.ALL}


async def login(user: TestUser, username: str, password: str = PASSWORD) -> None:
    await user.open("/login")
    user.find(marker="username").type(username)
    user.find(marker="password").type(password)
    user.find(marker="login-submit").click()
    await user.should_see(marker="page-title", retries=50)
    # A browser loads the page the login's redirects end on as a new request under the new
    # session id. NiceGUI's simulated user follows them inside the login button's event, whose
    # context still names the login page's request (old session id): load the page again, as the
    # browser would, and remember it instead of the one-use ticket URL.
    await user.open(user.client.request.url.path)


async def open_as(user: TestUser, username: str, path: str) -> None:
    """Log in as `username`, then open `path`."""
    await login(user, username)
    await user.open(path)


async def should_see_all(user: TestUser, *texts: str) -> None:
    """Each of `texts` is on the page."""
    for text in texts:
        await user.should_see(text)


async def confirm(user: TestUser, marker: str) -> None:
    """Click the desk action button `marker`, then confirm in its dialog."""
    user.find(marker=marker).click()
    await user.should_see(marker="confirm-dialog")
    user.find(marker="confirm-ok").click()


async def claim_action(user: TestUser, action: str, preview: str, reason: str) -> None:
    """Open the claim action `action`, wait until its preview shows `preview`, give `reason`, confirm."""
    user.find(marker=f"action-{action}").click()
    await user.should_see(preview, retries=30)
    user.find(marker="action-reason").type(reason)
    user.find(marker="action-confirm").click()
