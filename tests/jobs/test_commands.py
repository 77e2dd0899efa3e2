"""`jobs list`, `jobs run`, `check` and `simulate` as a person runs them (child processes, exit codes)."""

from __future__ import annotations

from models import Claim, ClaimStatus, PayoutInstruction
from tests.fixtures.jobs import claim_record, run_cli, subprocess_config


def test_jobs_list_shows_every_job_with_its_schedule(cycle, tmp_path):
    result = run_cli(subprocess_config(tmp_path, cycle.settings), "jobs", "list")
    assert result.returncode == 0, result.stderr
    for job, cron in (("bpjs_pull", "0 1 * * *"), ("bank_push", "0 2 * * *"), ("bank_pull", "0 6-18/2 * * *"),
                      ("bpjs_push", "0 19 * * *")):
        assert job in result.stdout and cron in result.stdout
    assert "belum pernah" in result.stdout and "WITA" in result.stdout


def test_jobs_run_exits_0_when_bad_records_were_only_reported(cycle, tmp_path):
    cycle.bpjs_drop(claims=20, bad_records=2)
    result = run_cli(subprocess_config(tmp_path, cycle.settings), "jobs", "run", "bpjs_pull")
    assert result.returncode == 0, result.stderr
    assert "berhasil dengan peringatan" in result.stdout
    assert "bad_records: 2" in result.stdout and "kolom" in result.stdout
    assert Claim.select().count() == 18


def test_jobs_run_exits_1_when_a_file_is_rejected_whole(cycle, tmp_path):
    path = cycle.write_claims([claim_record(1)], name="BPJSTK_KLAIM_20261123_01.txt")
    path.write_text(path.read_text().replace("T|1|1000000", "T|2|1000000"))
    result = run_cli(subprocess_config(tmp_path, cycle.settings), "jobs", "run", "bpjs_pull")
    assert result.returncode == 1
    assert "BPJSTK_KLAIM_20261123_01.txt ditolak seluruhnya" in result.stderr


def test_jobs_run_exits_1_when_the_partner_cannot_be_reached(cycle, tmp_path):
    cycle.server.stop()
    result = run_cli(subprocess_config(tmp_path, cycle.settings), "jobs", "run", "bank_pull", "--no-retry")
    assert result.returncode == 1
    assert "menolak koneksi" in result.stderr


def test_jobs_run_refuses_an_unknown_job_with_usage(cycle, tmp_path):
    result = run_cli(subprocess_config(tmp_path, cycle.settings), "jobs", "run", "bank_pul")
    assert result.returncode == 2
    assert "bpjs_pull" in result.stderr


def test_check_exits_1_naming_a_broken_invariant(cycle, tmp_path):
    config = subprocess_config(tmp_path, cycle.settings)
    cycle.to_bank(claims=5)
    assert run_cli(config, "check").returncode == 0
    PayoutInstruction.update(amount=PayoutInstruction.amount + 1).where(
        PayoutInstruction.id == PayoutInstruction.select().first().id).execute()
    result = run_cli(config, "check")
    assert result.returncode == 1
    assert "instructed_equals_approved" in result.stderr and "batch_totals_tie_out" in result.stderr


def test_simulated_partners_play_the_whole_cycle(cycle, tmp_path):
    config = subprocess_config(tmp_path, cycle.settings)
    # The commands work on the embedded server's folders: point them at this test's server.
    assert cycle.server.root == cycle.settings.embedded_sftp.root
    dropped = run_cli(config, "simulate", "bpjs", "--claims", "12", "--seed", "4")
    assert dropped.returncode == 0 and "berisi" in dropped.stdout
    assert run_cli(config, "jobs", "run", "bpjs_pull").returncode == 0
    assert run_cli(config, "jobs", "run", "bank_push").returncode == 0
    answered = run_cli(config, "simulate", "bank", "--fail-rate", "0.5", "--seed", "4")
    assert answered.returncode == 0 and "berkas hasil" in answered.stdout
    assert run_cli(config, "jobs", "run", "bank_pull").returncode == 0
    done = {c.status for c in Claim.select().where(Claim.instruction_id.is_null(False))}
    assert done <= {ClaimStatus.PAID, ClaimStatus.PAYOUT_FAILED} and done
    assert run_cli(config, "simulate", "bank", "--fail-rate", "2").returncode == 2
