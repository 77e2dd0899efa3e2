"""Marking a failed run or a rejected file handled: who may, what is written (note, audit, its
alerts acknowledged), a refusal writes nothing, and the lists keep open and handled failures apart."""

import pytest

from desk.handled import mark_file_handled, mark_run_handled
from desk.permissions import PermissionDenied
from desk.refusal import Refused
from desk.views.files import FileFilter, files_page
from desk.views.jobs import HANDLED, OPEN, RunFilter, runs_page
from models import Alert, AuditLog, BatchFile, JobRun, Role, User
from tests.ui.desk_helpers import finished_run


@pytest.fixture
def staff(database) -> None:
    for role in Role.ALL:
        User.create(username=role, role=role, password_hash="-")


def _rejected(name: str = "BPJSTK_KLAIM_20261103_01.txt", **fields) -> BatchFile:
    values = {"direction": "IN", "partner": "bpjs", "file_type": "VERIFIED_CLAIMS", "name": name,
              "status": "REJECTED", "error": "total kontrol salah"}
    return BatchFile.create(**{**values, **fields})


def _writes() -> tuple[int, int, int]:
    return (AuditLog.select().count(), Alert.select().where(Alert.acknowledged_at.is_null(False)).count(),
            JobRun.select().where(JobRun.handled_at.is_null(False)).count()
            + BatchFile.select().where(BatchFile.handled_at.is_null(False)).count())


def test_a_coordinator_marks_a_failed_run_handled_and_its_alerts_are_acknowledged(staff):
    run = finished_run("bpjs_pull", "FAILED", error_cause="unreachable")
    alert = Alert.create(kind="job_failed", subject="Tugas gagal", message="-", job_run=run)
    other = Alert.create(kind="job_failed", subject="Tugas lain gagal", message="-")
    handled = mark_run_handled(run.id, "coordinator", "  server BPJS hidup lagi, dijalankan ulang  ")
    assert handled.handled_by == "coordinator"
    assert handled.handled_note == "server BPJS hidup lagi, dijalankan ulang"  # trimmed
    assert handled.handled_at is not None
    alert, other = Alert.get_by_id(alert.id), Alert.get_by_id(other.id)
    assert alert.acknowledged_at is not None and alert.acknowledge_note == handled.handled_note
    assert other.acknowledged_at is None
    entry = AuditLog.get(AuditLog.action == "RUN_HANDLED")
    assert entry.username == "coordinator" and f"#{run.id}" in entry.target
    assert "dijalankan ulang" in entry.details


def test_a_coordinator_marks_a_rejected_file_handled(staff):
    f = _rejected()
    alert = Alert.create(kind="file_rejected", subject="Berkas ditolak", message="-", batch_file=f)
    handled = mark_file_handled(f.id, "coordinator", "BPJS akan kirim ulang besok")
    assert (handled.handled_by, handled.status) == ("coordinator", "REJECTED")  # still quarantined
    assert Alert.get_by_id(alert.id).acknowledged_at is not None
    assert AuditLog.get(AuditLog.action == "FILE_HANDLED").target == f.name


@pytest.mark.parametrize(("who", "note", "refusal"), [
    ("viewer", "sudah", PermissionDenied),
    ("coordinator", "   ", Refused),  # the note is required
    ("nobody", "sudah", Refused),
])
def test_a_refused_marking_writes_nothing(staff, who, note, refusal):
    run = finished_run("bpjs_pull", "FAILED", error_cause="unreachable")
    f = _rejected()
    before = _writes()
    with pytest.raises(refusal):
        mark_run_handled(run.id, who, note)
    with pytest.raises(refusal):
        mark_file_handled(f.id, who, note)
    assert _writes() == before


def test_only_a_failed_run_or_a_rejected_file_not_yet_handled_can_be_marked(staff):
    ok = finished_run("bpjs_pull", "SUCCEEDED")
    with pytest.raises(Refused, match=r"gagal|failed"):
        mark_run_handled(ok.id, "coordinator", "x")
    processed = _rejected(name="B.txt", status="PROCESSED")
    with pytest.raises(Refused):
        mark_file_handled(processed.id, "coordinator", "x")
    failed = finished_run("bpjs_pull", "FAILED", error_cause="unreachable")
    mark_run_handled(failed.id, "coordinator", "pertama")
    with pytest.raises(Refused) as second:
        mark_run_handled(failed.id, "supervisor", "kedua")
    assert "coordinator" in second.value.message("id")
    assert JobRun.get_by_id(failed.id).handled_note == "pertama"


def test_the_run_list_keeps_open_failures_apart_from_handled_ones(staff):
    open_run = finished_run("bpjs_pull", "FAILED", error_cause="unreachable")
    handled_run = finished_run("bank_push", "FAILED", error_cause="timeout")
    finished_run("bank_pull", "SUCCEEDED")
    mark_run_handled(handled_run.id, "coordinator", "dijalankan ulang")
    assert [r["id"] for r in runs_page(RunFilter(failures=OPEN))[0]] == [open_run.id]
    rows, total = runs_page(RunFilter(failures=HANDLED))
    assert total == 1 and (rows[0]["id"], rows[0]["handled_by"]) == (handled_run.id, "coordinator")
    assert runs_page(RunFilter())[1] == 3


def test_the_file_list_keeps_open_rejections_apart_from_handled_ones(staff):
    open_file, handled_file = _rejected(name="A.txt"), _rejected(name="B.txt")
    _rejected(name="C.txt", status="PROCESSED")
    mark_file_handled(handled_file.id, "coordinator", "BPJS kirim ulang")
    assert [r["name"] for r in files_page(FileFilter(failures=OPEN))[0]] == [open_file.name]
    rows, _ = files_page(FileFilter(failures=HANDLED))
    assert [(r["name"], r["handled_note"]) for r in rows] == [("B.txt", "BPJS kirim ulang")]
