"""`check` as an operator runs it: an audit row edited or deleted with plain SQL fails it, named."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.audit import audit
from core.claims.states import transition
from core.settings import PROJECT_ROOT
from models import ClaimEvent, ClaimStatus
from tests.factories import make_claim


@pytest.fixture
def config(tmp_path, settings_override, database) -> Path:
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump(settings_override))
    return path


def check(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "run.py"), "--config", str(config), "check"],
                          capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)


def _four() -> list[int]:
    return [audit(action, username="supervisor", target="KLM-1").id
            for action in ("LOGIN", "CLAIM_HOLD", "APPROVE", "LOGOUT")]


def test_check_passes_an_intact_audit_chain(config):
    _four()
    result = check(config)
    assert result.returncode == 0, result.stderr
    assert "Rantai log audit utuh: 4 baris diperiksa / Audit chain intact: 4 rows checked" in result.stdout


def test_check_fails_naming_an_audit_row_edited_with_plain_sql(config, database):
    ids = _four()
    database.execute_sql(f"UPDATE audit_log SET username = 'coordinator' WHERE id = {ids[2]}")
    result = check(config)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "audit_chain" in line]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"putus di baris audit_log id {ids[2]}: isinya diubah" in lines[0]
    assert f" / Audit chain broken at audit_log row {ids[2]}: its content was changed" in lines[0]


def test_check_fails_naming_the_link_after_an_audit_row_deleted_with_plain_sql(config, database):
    ids = _four()
    database.execute_sql(f"DELETE FROM audit_log WHERE id = {ids[1]}")
    result = check(config)
    assert result.returncode == 1
    assert f"audit_log id {ids[2]}: baris sebelumnya (setelah id {ids[0]}) dihapus" in result.stderr


def _money_events() -> list[int]:
    claim = make_claim()
    transition(claim, ClaimStatus.ON_HOLD, actor="coordinator", action="HOLD", reason="cek ahli waris")
    transition(claim, ClaimStatus.READY, actor="coordinator", action="RELEASE")
    return [e for (e,) in ClaimEvent.select(ClaimEvent.id).order_by(ClaimEvent.id).tuples()]


def test_check_passes_an_intact_money_event_chain(config):
    _money_events()
    result = check(config)
    assert result.returncode == 0, result.stderr
    assert ("Rantai peristiwa uang utuh: 3 baris diperiksa / Money event chain intact: 3 rows checked"
            in result.stdout)


def test_check_fails_naming_a_money_event_edited_with_plain_sql(config, database):
    ids = _money_events()
    database.execute_sql(f"UPDATE claim_event SET to_status = 'PAID' WHERE id = {ids[1]}")
    result = check(config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "money_chain" in line]
    assert len(lines) == 1 and f"putus di baris claim_event id {ids[1]}: isinya diubah" in lines[0]
    assert f" / Money event chain broken at claim_event row {ids[1]}" in lines[0]


def test_check_fails_naming_the_link_after_a_money_event_deleted_with_plain_sql(config, database):
    ids = _money_events()
    database.execute_sql(f"DELETE FROM claim_event WHERE id = {ids[1]}")
    result = check(config)
    assert result.returncode == 1
    assert f"claim_event id {ids[2]}: baris sebelumnya (setelah id {ids[0]}) dihapus" in result.stderr
