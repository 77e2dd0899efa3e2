"""Files and folders the commands create are private to the OS user running the app (umask 077)."""

import stat
from pathlib import Path

import pytest
import yaml

from tests.cli.test_run_commands import run


@pytest.fixture
def fresh_config(tmp_path) -> Path:
    """A configuration whose database and work_dir do not exist yet: the command creates them."""
    path = tmp_path / "fresh.yaml"
    path.write_text(yaml.safe_dump({
        "database": f"sqlite:///{tmp_path / 'work' / 'santunan.db'}", "work_dir": str(tmp_path / "work"),
        "seed_demo_data": False, "embedded_sftp": {"root": str(tmp_path / "sftp_drops")},
    }))
    return path


def test_the_database_and_work_dir_a_command_creates_are_readable_by_its_user_only(tmp_path, fresh_config):
    """The attack: the database (NIKs, account numbers) was world-readable (0644)."""
    result = run("users", "add", "maria", "--role", "viewer", stdin="Sangat-Rahasia-2025\n",
                 config=fresh_config)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "work" / "santunan.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "work").stat().st_mode) == 0o700


@pytest.mark.parametrize("weak", ["password1234", "123456789012"])
def test_users_add_refuses_a_guessable_password_in_one_line_saying_why(fresh_config, weak):
    result = run("users", "add", "maria", "--role", "viewer", stdin=f"{weak}\n", config=fresh_config)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "INFO" not in line]  # migrations log
    assert len(lines) == 1 and lines[0].startswith("Pengguna tidak dibuat")
    assert lines[0].index("mudah ditebak") < lines[0].index("too easy to guess")


def test_users_add_accepts_a_password_of_uncommon_words(fresh_config):
    result = run("users", "add", "maria", "--role", "viewer", stdin="Sangat-Rahasia-2025\n",
                 config=fresh_config)
    assert result.returncode == 0, result.stderr
