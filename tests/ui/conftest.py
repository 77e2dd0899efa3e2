"""Fixtures for the web app tests: NiceGUI's `user` fixture runs run.py (`serve`) on a test database.

Request `app_config` before `user` in a test's arguments: it writes the test configuration
and points SANTUNAN_CONFIG at it before the app starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from nicegui.testing import User as TestUser

from core.users import create_user
from models import Role

PASSWORD = "kupang-rahasia-2026"


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
