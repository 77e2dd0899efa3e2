"""bpjs_pull against the embedded SFTP server: files in, claims out, bad files and duplicates kept apart."""

from __future__ import annotations

import dataclasses
import types

from core.turnstile import HoldBudget
from jobs import incoming
from jobs.sftp.keys import generate_ed25519, pin_host_key
from models import Alert, BatchFile, Claim, ClaimStatus, RecordError
from tests.fixtures.jobs import claim_record

S = ClaimStatus
NAME = "BPJSTK_KLAIM_20261123_01.txt"


def statuses() -> dict[str, str]:
    return {c.claim_no: c.status for c in Claim.select()}


def with_after_download(cycle, mode: str) -> None:
    settings = cycle.ctx.settings
    partners = dict(settings.partners)
    partners["bpjs"] = dataclasses.replace(partners["bpjs"], after_download=mode)
    cycle.ctx.settings = dataclasses.replace(settings, partners=types.MappingProxyType(partners))


def test_a_new_file_becomes_claims_in_their_queues(cycle):
    cycle.write_claims([
        claim_record(1),
        claim_record(2, bank_code=None, account_no=None),
        claim_record(3, benefit_type="JKK_CACAT", approved_amount=55_000_000),  # under its 56 x wage ceiling
        claim_record(4, decision="REJECTED", approved_amount=0, decision_reason="Di luar hubungan kerja"),
    ], name=NAME)
    run = cycle.run("bpjs_pull")
    assert run.outcome == "SUCCEEDED", run.error
    assert statuses() == {"KLM-202611-0000001": S.READY, "KLM-202611-0000002": S.NEEDS_REVIEW,
                          "KLM-202611-0000003": S.AWAITING_APPROVAL, "KLM-202611-0000004": S.REJECTED}
    file = BatchFile.get()
    assert (file.status, file.record_count, file.applied_count, file.file_id) == ("PROCESSED", 4, 4,
                                                                                  "BPJS-TEST-1")
    assert Claim.get(Claim.claim_no == "KLM-202611-0000001").source_file_id == file.id
    assert not (cycle.outbox("bpjs") / NAME).exists()
    assert (cycle.outbox("bpjs") / "archive" / NAME).exists()
    assert (cycle.settings.work_dir / "archive" / "bpjs" / NAME).exists()


def test_bad_records_are_reported_by_line_and_field_and_the_rest_applied(cycle):
    dropped = cycle.bpjs_drop(claims=30, bad_records=2)
    run = cycle.run("bpjs_pull")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS"
    file = BatchFile.get()
    assert (file.status, file.error_count, file.applied_count) == ("PROCESSED_WITH_ERRORS", 2, 28)
    errors = list(RecordError.select().order_by(RecordError.line_no))
    assert {e.field for e in errors} == {"nik", "kabupaten_code"}
    assert all(e.line_no > 1 for e in errors)
    assert Claim.select().count() == dropped.records - 2
    assert "kolom nik" in run.log


def test_a_file_whose_control_total_disagrees_is_rejected_whole(cycle):
    path = cycle.write_claims([claim_record(1), claim_record(2)], name=NAME)
    text = path.read_text().replace("T|2|2000000", "T|2|15000000")
    path.write_text(text)
    run = cycle.run("bpjs_pull")
    assert (run.outcome, run.error_cause) == ("FAILED", "file_rejected")
    assert NAME in run.error and "15000000" in run.error
    assert "Minta BPJS Ketenagakerjaan mengirim ulang" in run.error
    assert Claim.select().count() == 0
    file = BatchFile.get()
    assert file.status == "REJECTED" and "total kontrol" in file.error
    assert (cycle.settings.work_dir / "quarantine" / "bpjs" / NAME).exists()
    assert (cycle.outbox("bpjs") / "archive" / NAME).exists()
    assert Alert.get().kind == "file_rejected"


def test_a_file_from_another_sender_is_rejected_whole(cycle):
    cycle.write_claims([claim_record(1)], name=NAME, sender="BPJSXX")
    run = cycle.run("bpjs_pull")
    assert run.error_cause == "file_rejected" and "pengirim" in run.error
    assert Claim.select().count() == 0


def test_a_corrected_file_sent_again_under_the_same_name_is_applied(cycle):
    path = cycle.write_claims([claim_record(1)], name=NAME)
    path.write_text(path.read_text().replace("T|1|1000000", "T|1|9"))
    cycle.run("bpjs_pull")
    cycle.write_claims([claim_record(1)], name=NAME, file_id="BPJS-TEST-2")
    assert cycle.run("bpjs_pull").outcome == "SUCCEEDED"
    assert Claim.select().count() == 1


def test_the_same_bytes_under_another_name_are_a_duplicate(cycle):
    path = cycle.write_claims([claim_record(1)], name=NAME)
    copy = path.read_bytes()
    cycle.run("bpjs_pull")
    (cycle.outbox("bpjs") / "BPJSTK_KLAIM_20261123_02.txt").write_bytes(copy)
    run = cycle.run("bpjs_pull")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS"
    duplicate = BatchFile.get(BatchFile.status == "DUPLICATE")
    assert duplicate.duplicate_of.name == NAME and "isinya sama persis" in duplicate.ignore_reason
    assert Claim.select().count() == 1


def test_a_name_or_file_id_already_processed_is_a_duplicate(cycle):
    cycle.write_claims([claim_record(1)], name=NAME, file_id="BPJS-A")
    cycle.run("bpjs_pull")
    cycle.write_claims([claim_record(2)], name=NAME, file_id="BPJS-B")  # same name, other content
    cycle.write_claims([claim_record(3)], name="BPJSTK_KLAIM_20261123_02.txt", file_id="BPJS-A")
    cycle.run("bpjs_pull")
    reasons = sorted(f.ignore_reason for f in BatchFile.select().where(BatchFile.status == "DUPLICATE"))
    assert len(reasons) == 2
    assert "namanya sama" in reasons[1] and "file_id BPJS-A sama" in reasons[0]
    assert set(statuses()) == {"KLM-202611-0000001"}


def test_with_keep_the_file_stays_on_the_server_and_is_applied_once(cycle):
    with_after_download(cycle, "keep")
    cycle.write_claims([claim_record(1)], name=NAME)
    cycle.run("bpjs_pull")
    second = cycle.run("bpjs_pull")
    assert second.outcome == "SUCCEEDED"
    assert (cycle.outbox("bpjs") / NAME).exists()
    assert BatchFile.select().count() == 1 and Claim.select().count() == 1


def test_with_delete_the_file_is_removed_from_the_server(cycle):
    with_after_download(cycle, "delete")
    cycle.write_claims([claim_record(1)], name=NAME)
    cycle.run("bpjs_pull")
    assert not (cycle.outbox("bpjs") / NAME).exists()
    assert not (cycle.outbox("bpjs") / "archive" / NAME).exists()


def test_a_file_still_being_uploaded_is_left_alone(cycle):
    path = cycle.write_claims([claim_record(1)], name=NAME)
    path.rename(path.with_name(NAME + ".part"))
    assert cycle.run("bpjs_pull").outcome == "SUCCEEDED"
    assert BatchFile.select().count() == 0


def test_a_changed_host_key_fails_before_any_file_moves(cycle, tmp_path):
    cycle.write_claims([claim_record(1)], name=NAME)
    impostor = generate_ed25519(tmp_path / "impostor", comment="impostor")
    sftp = cycle.settings.partner("bpjs").sftp
    pin_host_key(sftp.known_hosts, sftp.host, sftp.port, impostor)
    run = cycle.run("bpjs_pull")
    assert (run.outcome, run.error_cause) == ("FAILED", "host_key_changed")
    assert run.will_retry_in is None
    assert (cycle.outbox("bpjs") / NAME).exists() and BatchFile.select().count() == 0
    assert Alert.get().kind == "job_failed"


def test_an_unreachable_server_is_a_transient_failure(cycle):
    cycle.server.stop()
    run = cycle.run("bpjs_pull")
    assert (run.outcome, run.error_cause) == ("FAILED", "unreachable")
    assert "menolak koneksi" in run.error


def test_on_sqlite_a_file_is_applied_in_chunks_sized_by_the_write_locks_time(cycle, monkeypatch):
    """Issue 18: a login waits for one chunk, so a chunk holds the lock about a second; the first
    is small, the next grow while they are quick. PostgreSQL applies CHUNK_RECORDS at a time."""
    monkeypatch.setattr(HoldBudget, "START", 2)
    monkeypatch.setattr(HoldBudget, "LEAST", 1)
    monkeypatch.setattr(HoldBudget, "SECONDS", 3600)
    chunks: list[int] = []
    apply_chunk = incoming._apply_chunk

    def spy(log, inbound, applier, batch_file, chunk, *rest):
        chunks.append(len(chunk))
        return apply_chunk(log, inbound, applier, batch_file, chunk, *rest)

    monkeypatch.setattr(incoming, "_apply_chunk", spy)
    cycle.write_claims([claim_record(n) for n in range(1, 12)], name=NAME)
    assert cycle.run("bpjs_pull").outcome == "SUCCEEDED"
    assert chunks == ([2, 4, 5] if cycle.ctx.settings.is_sqlite else [11])
    assert Claim.select().count() == 11
