"""`statement import`, `statement exceptions` and `check` as an operator runs them (contract 5, 10)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.settings import PROJECT_ROOT
from core.statements.tables import Statement, StatementLine
from demo.simulate.mt940 import Movement, build_mt940
from models import Claim
from tests.factories import make_batch

DAY = dt.date(2026, 11, 3)


@pytest.fixture
def config(tmp_path, settings_override, database) -> Path:
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump(settings_override))
    return path


def run(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "run.py"), "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)


def statement_file(tmp_path: Path, movements, account="0011223344", closing=None, name="MT940_X.txt") -> Path:
    path = tmp_path / name
    path.write_text(build_mt940(account=account, reference="STMT-CLI", number="00007/001", opening=9_000_000,
                                opening_date=DAY - dt.timedelta(days=1), movements=movements, closing=closing,
                                closing_date=DAY), encoding="ascii")
    return path


def test_import_matches_a_debit_and_a_second_import_says_it_was_already_done(config, tmp_path):
    make_batch("B01")
    ins = Claim.get(Claim.instruction_id == "INSB0101")
    path = statement_file(tmp_path, [Movement(DAY, "D", ins.approved_amount, ins.instruction_id, "NTT1")])
    first = run(config, "statement", "import", str(path))
    assert first.returncode == 0, first.stderr
    assert "Rekening koran STMT-CLI no. 00007/001 diimpor: 1 transaksi, 1 cocok" in first.stdout
    assert Claim.get_by_id(ins.id).debited_on == DAY
    again = run(config, "statement", "import", str(path))
    assert again.returncode == 0
    assert "sudah pernah diimpor" in again.stdout and "already imported" in again.stdout
    assert Statement.select().count() == 1 and StatementLine.select().count() == 1


def test_a_rejected_statement_exits_1_with_one_line_and_applies_nothing(config, tmp_path):
    path = statement_file(tmp_path, [Movement(DAY, "D", 10, "B1")], closing=1)
    result = run(config, "statement", "import", str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "ditolak seluruhnya" in result.stderr and " / " in result.stderr
    assert "Traceback" not in result.stderr and Statement.select().count() == 0
    missing = run(config, "statement", "import", str(tmp_path / "none.txt"))
    assert missing.returncode != 0 and "tidak dapat dibaca" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_exceptions_are_listed_as_json_and_check_fails_naming_each(config, tmp_path):
    path = statement_file(tmp_path, [Movement(DAY, "D", 123_000, "NOT-OURS", "NTT9")])
    assert run(config, "statement", "import", str(path)).returncode == 0
    listed = run(config, "statement", "exceptions", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [{k: r[k] for k in ("kind", "instruction_id", "claim_no", "amount", "value_date",
                               "statement_reference")} for r in rows] == [
        {"kind": "UNKNOWN_DEBIT", "instruction_id": None, "claim_no": None, "amount": 123_000,
         "value_date": "2026-11-03", "statement_reference": "STMT-CLI"}]
    csv_out = run(config, "statement", "exceptions")
    assert csv_out.stdout.splitlines()[0].startswith("kind,instruction_id,claim_no,amount,value_date")
    checked = run(config, "check")
    assert checked.returncode == 1
    assert "UNRESOLVED statement_exception: UNKNOWN_DEBIT NOT-OURS" in checked.stderr
