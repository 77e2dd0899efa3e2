"""Desk actions (jobs, files, alerts) called directly: who may, what they write, a refusal writes nothing."""

import pytest

from desk.alerts import acknowledge
from desk.files import file_for_download, ignore_file, replacement_of, reprocess_file
from desk.jobs import pause, rerun, resume, run_now
from desk.permissions import PermissionDenied
from desk.refusal import Refused
from jobs.locks import JobBusy
from jobs.registry import UnknownJob
from models import Alert, AuditLog, BatchFile, JobPause, JobRun, Role, User
from tests.ui.desk_helpers import FakeJob, finished_run
from tests.ui.desk_helpers import wait_until_no_run_is_running as wait_for_runs


@pytest.fixture
def staff(database) -> None:
    for role in Role.ALL:  # role and active flag are all the desk actions read
        User.create(username=role, role=role, password_hash="-")


@pytest.fixture
def fake_pull(monkeypatch, job_ctx):
    job = FakeJob("bpjs_pull", blocking=False).install(monkeypatch)
    yield job
    job.release()
    wait_for_runs()


def _writes() -> tuple[int, int, int, int]:
    return (AuditLog.select().count(), JobRun.select().count(), JobPause.select().count(),
            Alert.select().where(Alert.acknowledged_at.is_null(False)).count())


def _rejected(**fields) -> BatchFile:
    values = {"direction": "IN", "partner": "bpjs", "file_type": "VERIFIED_CLAIMS",
              "name": "BPJSTK_KLAIM_20261103_01.txt", "status": "REJECTED",
              "error": "total kontrol 5.000.000 tidak sama dengan jumlah baris detail 4.000.000"}
    values.update(fields)
    return BatchFile.create(**values)


def test_run_now_starts_a_manual_run_and_audits_it(staff, job_ctx, fake_pull):
    run = run_now(job_ctx, "bpjs_pull", "coordinator")
    assert (run.trigger, run.outcome) == ("manual", "RUNNING")
    wait_for_runs()
    assert JobRun.get_by_id(run.id).outcome == "SUCCEEDED"
    assert AuditLog.get(AuditLog.action == "JOB_RUN").username == "coordinator"


def test_run_now_while_the_job_runs_is_refused_and_writes_nothing(staff, job_ctx, monkeypatch):
    job = FakeJob("bpjs_pull").install(monkeypatch)
    try:
        run_now(job_ctx, "bpjs_pull", "coordinator")
        before = _writes()
        with pytest.raises(Refused) as busy:
            run_now(job_ctx, "bpjs_pull", "supervisor")
        assert busy.value.key == "jobs.error.busy" and isinstance(busy.value.__cause__, JobBusy)
        assert "sedang berjalan" in busy.value.message("id")
        assert busy.value.message("en") == "Job bpjs_pull is already running; wait until it ends."
        assert _writes() == before
    finally:
        job.release()
        wait_for_runs()


def test_an_unknown_job_is_refused(staff, job_ctx):
    with pytest.raises(Refused) as err:
        run_now(job_ctx, "bpjs_nope", "coordinator")
    assert err.value.key == "jobs.error.unknown" and isinstance(err.value.__cause__, UnknownJob)
    assert "bpjs_nope" in err.value.message("id") and err.value.message("en") == err.value.message("id")
    assert _writes() == (0, 0, 0, 0)


def test_re_run_is_a_retry_of_a_failed_run_only(staff, job_ctx, fake_pull):
    failed = finished_run("bpjs_pull", "FAILED", error_cause="host_key_changed")
    ok = finished_run("bpjs_pull", "SUCCEEDED")
    with pytest.raises(Refused) as err:
        rerun(job_ctx, ok.id, "coordinator")
    assert err.value.key == "runs.error.not_failed"
    retry = rerun(job_ctx, failed.id, "coordinator")
    assert (retry.trigger, retry.retry_of_id, retry.attempt) == ("retry", failed.id, 2)


def test_pause_and_resume_are_for_supervisors_and_audited(staff):
    pause("bank_push", "supervisor", "  Bank NTT migrasi  ")
    assert JobPause.get(JobPause.job == "bank_push").reason == "Bank NTT migrasi"
    assert resume("bank_push", "supervisor") is True
    assert resume("bank_push", "supervisor") is False
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)] == ["JOB_PAUSE", "JOB_RESUME"]


def test_ignore_needs_a_reason_and_only_takes_a_rejected_file(staff):
    rejected = _rejected()
    processed = _rejected(name="BPJSTK_KLAIM_20261103_02.txt", status="PROCESSED")
    with pytest.raises(Refused) as err:
        ignore_file(rejected.id, "supervisor", "   ")
    assert err.value.key == "action.error.reason_required"
    with pytest.raises(Refused) as err:
        ignore_file(processed.id, "supervisor", "salah kirim")
    assert err.value.key == "files.error.not_rejected"
    assert _writes() == (0, 0, 0, 0)
    done = ignore_file(rejected.id, "supervisor", "BPJS mengirim ulang dengan nama lain")
    assert (done.status, done.ignore_reason) == ("IGNORED", "BPJS mengirim ulang dengan nama lain")
    assert AuditLog.get(AuditLog.action == "FILE_IGNORED").target == rejected.name


def test_reprocess_starts_the_partners_pull_and_shows_the_replacement(staff, job_ctx, fake_pull):
    rejected = _rejected()
    run = reprocess_file(job_ctx, rejected.id, "coordinator")
    assert (run.job, run.trigger) == ("bpjs_pull", "manual")
    assert AuditLog.get(AuditLog.action == "FILE_REPROCESS").target == rejected.name
    wait_for_runs()
    assert replacement_of(rejected) is None
    replacement = _rejected(status="PROCESSED", sha256="b" * 64)
    assert replacement_of(rejected).id == replacement.id
    with pytest.raises(Refused):
        reprocess_file(job_ctx, replacement.id, "coordinator")  # not rejected


def test_download_returns_the_kept_copy_and_audits_it(staff, tmp_path):
    copy = tmp_path / "BPJSTK_KLAIM_20261103_01.txt"
    copy.write_text("H|VERIFIED_CLAIMS|...\n", encoding="utf-8")
    kept = _rejected(local_path=str(copy), sha256="a" * 64)
    gone = _rejected(name="BPJSTK_KLAIM_20261103_09.txt", local_path=str(tmp_path / "hilang.txt"))
    assert file_for_download(kept.id, "supervisor") == (copy, kept.name)
    entry = AuditLog.get(AuditLog.action == "FILE_DOWNLOAD")
    assert entry.username == "supervisor" and "a" * 64 in entry.details
    with pytest.raises(Refused):
        file_for_download(gone.id, "supervisor")
    assert AuditLog.select().count() == 1


def test_acknowledge_needs_a_note_and_closes_an_alert_once(staff):
    alert = Alert.create(kind="job_failed", subject="Tugas gagal: bank_push", message="Kunci host berubah")
    with pytest.raises(Refused):
        acknowledge(alert.id, "coordinator", "")
    done = acknowledge(alert.id, "coordinator", "Sudah dicek dengan Bank NTT, kunci diperbarui")
    assert done.acknowledged_by.username == "coordinator" and done.acknowledged_at is not None
    with pytest.raises(Refused) as err:
        acknowledge(alert.id, "supervisor", "saya juga")
    assert err.value.key == "alerts.error.already"
    assert AuditLog.select().where(AuditLog.action == "ALERT_ACK").count() == 1


# role x action: every desk action, refused to every role below its minimum, writes nothing
CASES = [
    ("run_now", Role.COORDINATOR, lambda ctx, ids: run_now(ctx, "bpjs_pull", ids["who"])),
    ("rerun", Role.COORDINATOR, lambda ctx, ids: rerun(ctx, ids["failed"], ids["who"])),
    ("pause", Role.SUPERVISOR, lambda ctx, ids: pause("bpjs_pull", ids["who"], "x")),
    ("resume", Role.SUPERVISOR, lambda ctx, ids: resume("bank_pull", ids["who"])),
    ("ignore", Role.SUPERVISOR, lambda ctx, ids: ignore_file(ids["file"], ids["who"], "x")),
    ("reprocess", Role.COORDINATOR, lambda ctx, ids: reprocess_file(ctx, ids["file"], ids["who"])),
    ("download", Role.SUPERVISOR, lambda ctx, ids: file_for_download(ids["file"], ids["who"])),
    ("acknowledge", Role.COORDINATOR, lambda ctx, ids: acknowledge(ids["alert"], ids["who"], "x")),
]
REFUSED = [(name, role, call) for name, minimum, call in CASES for role in Role.ALL
           if Role.ALL.index(role) < Role.ALL.index(minimum)]


@pytest.mark.parametrize(("name", "role", "call"), REFUSED, ids=[f"{n}-{r}" for n, r, _ in REFUSED])
def test_a_role_below_the_minimum_is_refused_and_nothing_is_written(staff, job_ctx, tmp_path, name, role,
                                                                    call):
    copy = tmp_path / "f.txt"
    copy.write_text("x", encoding="utf-8")
    JobPause.create(job="bank_pull", paused_by="supervisor")
    ids = {"who": role, "failed": finished_run("bpjs_pull", "FAILED", error_cause="auth_failed").id,
           "file": _rejected(local_path=str(copy)).id,
           "alert": Alert.create(kind="job_failed", subject="s", message="m").id}
    before = (_writes(), BatchFile.get_by_id(ids["file"]).status)
    with pytest.raises(PermissionDenied):
        call(job_ctx, ids)
    assert (_writes(), BatchFile.get_by_id(ids["file"]).status) == before


def test_an_inactive_user_may_do_nothing(staff, job_ctx):
    User.update(active=False).where(User.username == "admin").execute()
    with pytest.raises(Refused):
        run_now(job_ctx, "bpjs_pull", "admin")
    assert _writes() == (0, 0, 0, 0)
