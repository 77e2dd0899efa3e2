"""A claim's history and the audit details in sentences: labels not codes, masked for viewers."""

from __future__ import annotations

import json
from types import SimpleNamespace

from core.reference import load_reference
from core.settings import PROJECT_ROOT
from desk.views.history import details_text, event_sentence

REFERENCE = load_reference(PROJECT_ROOT / "config" / "reference.yaml")


def event(action: str, details: dict | None = None, from_status=None, to_status=None, actor="budi",
          reason=None) -> SimpleNamespace:
    return SimpleNamespace(action=action, actor=actor, from_status=from_status, to_status=to_status,
                           reason=reason, details=json.dumps(details) if details else None)


CHANGE = event("BANK_DETAILS_CORRECTED", {
    "old": {"bank_code": "130", "account_no": "0012345678", "account_holder_name": "Yohanes Ndun"},
    "new": {"bank_code": "130", "account_no": "0099887766", "account_holder_name": "Maria Bria"}})


def test_a_bank_details_change_reads_as_a_sentence():
    assert event_sentence(CHANGE, "id", "coordinator", REFERENCE) == (
        "budi mengubah rekening dari 130 0012345678 (Yohanes Ndun) menjadi 130 0099887766 (Maria Bria)")
    assert event_sentence(CHANGE, "en", "coordinator", REFERENCE).startswith("budi changed the account from")


def test_a_viewer_sees_the_accounts_masked():
    text = event_sentence(CHANGE, "id", "viewer", REFERENCE)
    assert "0012345678" not in text and "0099887766" not in text and "••••••5678" in text


def test_statuses_and_codes_in_details_become_labels():
    reported = event("REPORTED", {"file": "PAYOUT_STATUS_1.txt", "status": "PAID"}, "PAID", "PAID",
                     actor="job:bpjs_push")
    text = event_sentence(reported, "id", "coordinator", REFERENCE)
    assert "PAID" not in text.replace("PAYOUT_STATUS", "")
    assert text.startswith("Sistem (tugas Lapor status ke BPJS): Status dilaporkan ke BPJS · ")
    assert "Status: Berhasil Dibayar" in text and "REPORTED" not in text
    moved = event("PAYOUT_FAILED", {"failure_code": "NAME_MISMATCH"}, "INSTRUCTED", "PAYOUT_FAILED")
    text = event_sentence(moved, "id", "coordinator", REFERENCE)
    assert "Dikirim ke Bank → Gagal Dibayar" in text and "Nama pemilik rekening tidak sesuai KTP" in text


def test_audit_details_are_labelled_and_masked():
    text = details_text({"filter": "status=READY", "masked": True, "rows": 3}, "id", "coordinator", REFERENCE)
    assert text == "Saringan: status=READY, Disamarkan: Ya, Jumlah baris: 3"
    assert "5371014107850001" not in details_text({"nik": "5371014107850001"}, "id", "viewer", REFERENCE)


def test_audit_actions_and_job_ids_read_as_labels_unknown_codes_as_they_are():
    from desk.views.history import action_label, target_text

    assert action_label("JOB_RUN", "id") == "Tugas dijalankan" and action_label("JOB_RUN", "en") == "Job run"
    assert action_label("CLAIM_HOLD", "id") == "Klaim: Ditunda"
    assert action_label("CLAIM_BANK_DETAILS_CORRECTED", "en").startswith("Claim: ")
    assert action_label("SOMETHING_NEW", "id") == "SOMETHING_NEW"
    assert target_text("JOB_PAUSE", "bpjs_pull", "id") == "Ambil klaim BPJS"
    assert target_text("LOGIN", "budi", "id") == "budi"


def test_a_runs_trigger_outcome_and_cause_and_a_role_change_read_as_labels():
    assert details_text("schedule:FAILED", "id", "viewer", REFERENCE) == "Terjadwal · Gagal"
    assert details_text("manual:SUCCEEDED", "en", "viewer", REFERENCE) == "Manual · Succeeded"
    run = {"run_id": 3, "trigger": "retry", "outcome": "FAILED", "error_cause": "timeout"}
    text = details_text(run, "id", "viewer", REFERENCE)
    assert text == "proses: 3, dimulai: Ulang, hasil: Gagal, penyebab: Server tidak menjawab"
    assert details_text({"from": "viewer", "to": "coordinator"}, "id", "admin", REFERENCE) == (
        "dari: Pemantau, menjadi: Koordinator")
    assert details_text({"alert_id": 4, "kind": "payment_duty"}, "en", "admin", REFERENCE) == (
        "alert: 4, kind: Past the payment duty")
