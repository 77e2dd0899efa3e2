"""`users add NAME --role ROLE [--kabupaten CODE[,CODE...]]` (contract sections 5 and 8), as an operator
runs it: a kabupaten desk from checked codes, and a first password that must be changed at login."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from desk.scope import codes_of
from models import AuditLog, User
from tests.cli.test_run_commands import run

PASSWORD = "Sumba-Timur-2026"


@pytest.fixture
def config(tmp_path, settings_override, database) -> Path:
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump(settings_override))
    return path


def test_users_add_with_kabupaten_makes_a_desk_that_must_change_its_password(config):
    result = run("users", "add", "ina", "--role", "coordinator", "--kabupaten", "5371, 5301",
                 stdin=f"{PASSWORD}\n", config=config)
    assert result.returncode == 0, result.stderr
    assert "Kab. Kupang, Kota Kupang" in result.stdout
    user = User.get(User.username == "ina")
    assert (codes_of(user), user.must_change_password) == (("5301", "5371"), True)
    assert AuditLog.select().where(AuditLog.action == "USER_DESK_CHANGED", AuditLog.target == "ina").exists()


def test_users_add_without_kabupaten_sees_the_province_and_must_change_its_password(config):
    result = run("users", "add", "obed", "--role", "viewer", stdin=f"{PASSWORD}\n", config=config)
    assert result.returncode == 0, result.stderr
    user = User.get(User.username == "obed")
    assert (codes_of(user), user.must_change_password) == (None, True)


@pytest.mark.parametrize("codes", ["5301,9999", "", "Kupang"])
def test_users_add_refuses_an_unknown_kabupaten_in_one_line_and_creates_nobody(config, codes):
    result = run("users", "add", "ina", "--role", "viewer", "--kabupaten", codes, stdin=f"{PASSWORD}\n",
                 config=config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and "Kode kabupaten/kota tidak dikenal" in line and " / " in line
    assert not User.select().where(User.username == "ina").exists()
