"""Masking by role in one place: a viewer never sees a full NIK or account number, a coordinator does."""

from __future__ import annotations

import pytest

from desk.masking import mask_for, mask_row, mask_text, sees_full
from models import Role

NIK = "5371014107850001"
NEW_NIK = "5305015508900002"
ACCOUNT = "0012345678"
NEW_ACCOUNT = "0098765432"
FLAG = (f"Koreksi BPJS revisi 2 untuk klaim KLM-202501-00000001 yang sudah dibayar tidak diterapkan: "
        f"nik {NIK} -> {NEW_NIK}; account_no {ACCOUNT} -> {NEW_ACCOUNT}; approved_amount Rp 1.500.000 -> "
        f"Rp 2.000.000. Status dan nilai klaim tetap; periksa dengan BPJS.")
FULL_NUMBERS = (NIK, NEW_NIK, ACCOUNT, NEW_ACCOUNT)


def test_coordinators_and_above_see_numbers_in_full_viewers_do_not():
    assert [sees_full(role) for role in Role.ALL] == [role != Role.VIEWER for role in Role.ALL]
    assert not sees_full(None)


def test_a_viewer_sees_nik_and_account_fields_masked_to_their_last_digits():
    assert mask_for(Role.VIEWER, "nik", NIK) == "537101••••••0001"
    assert mask_for(Role.VIEWER, "beneficiary_nik", NEW_NIK).endswith("0002")
    assert mask_for(Role.VIEWER, "account_no", ACCOUNT) == "••••••5678"
    assert mask_for(Role.VIEWER, "pending_account_no", NEW_ACCOUNT) == "••••••5432"
    assert mask_for(Role.VIEWER, "account_no", None) is None
    assert mask_for(Role.VIEWER, "kpj", "12345678901") == "12345678901"  # not a secret field


def test_a_coordinator_sees_every_field_as_stored():
    row = {"nik": NIK, "account_no": ACCOUNT, "flag_reason": FLAG}
    assert mask_row(Role.COORDINATOR, row) == row
    assert mask_text(Role.SUPERVISOR, FLAG) == FLAG


def test_a_correction_flag_shows_a_viewer_no_old_or_new_nik_or_account_number():
    shown = mask_text(Role.VIEWER, FLAG)
    assert not any(number in shown for number in FULL_NUMBERS)
    assert "537101••••••0001" in shown and "••••••5432" in shown
    # what the flag is about stays readable: the claim number, the amounts, the words
    assert "KLM-202501-00000001" in shown and "Rp 1.500.000 -> Rp 2.000.000" in shown


def test_event_details_are_masked_field_by_field_for_a_viewer():
    details = {"file": "BPJSTK_KLAIM_20250102_01.txt", "line": 12, "revision": 2,
               "differences": {"nik": [NIK, NEW_NIK], "account_no": [ACCOUNT, NEW_ACCOUNT],
                               "approved_amount": [1_500_000, 2_000_000]},
               "reason": f"rekening lama {ACCOUNT}"}
    shown = mask_row(Role.VIEWER, details)
    assert not any(number in repr(shown) for number in FULL_NUMBERS)
    assert shown["differences"]["approved_amount"] == [1_500_000, 2_000_000]
    assert shown["file"] == details["file"] and shown["line"] == 12


def test_a_record_error_value_is_masked_as_the_field_it_names():
    error = {"line_no": 3, "field": "account_no", "value": ACCOUNT, "message": f"rekening {ACCOUNT} salah"}
    shown = mask_row(Role.VIEWER, error)
    assert shown["value"] == "••••••5678" and ACCOUNT not in shown["message"]
    assert mask_row(Role.COORDINATOR, error) == error


@pytest.mark.parametrize("text", ["KLM-202501-00000001", "BPJSTK_KLAIM_20250102_01.txt", "2025-01-02",
                                  "Rp 1.500.000", "bukan batch 20261102000001 yang", "KPJ 12345678901",
                                  "referensi bank 2026110200123"])
def test_claim_numbers_file_names_dates_amounts_and_named_ids_in_text_are_left_alone(text: str):
    assert mask_text(Role.VIEWER, text) == text


def test_a_number_named_as_an_account_in_text_is_masked_even_beside_a_batch_id():
    shown = mask_text(Role.VIEWER, f"batch 20261102000001: rekening {ACCOUNT} ditutup")
    assert shown == "batch 20261102000001: rekening ••••••5678 ditutup"
