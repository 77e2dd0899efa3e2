from pathlib import Path

import pytest

from core.reference import load_reference
from core.settings import ConfigError

NTT = {"5301", "5302", "5303", "5304", "5305", "5306", "5307", "5308", "5309", "5310", "5311", "5312",
       "5313", "5314", "5315", "5316", "5317", "5318", "5319", "5320", "5321", "5371"}


def test_reference_holds_the_22_kabupaten_kota_of_ntt(reference):
    assert reference.codes("kabupaten") == NTT
    assert reference.label("kabupaten", "5371") == "Kota Kupang"
    assert reference.label("kabupaten", "5371", "en") == "Kupang City"


def test_claim_status_labels_are_the_contract_labels(reference):
    assert reference.options("claim_status") == {
        "NEEDS_REVIEW": "Perlu Ditinjau", "AWAITING_APPROVAL": "Menunggu Persetujuan",
        "READY": "Siap Dibayar", "ON_HOLD": "Ditunda", "INSTRUCTED": "Dikirim ke Bank",
        "PAID": "Berhasil Dibayar", "PAYOUT_FAILED": "Gagal Dibayar", "REJECTED": "Ditolak BPJS",
        "CANCELLED": "Dibatalkan"}


def test_every_list_has_both_languages(reference):
    for name in ("occupation", "benefit_type", "beneficiary_relation", "failure_code"):
        for code in reference.codes(name):
            assert reference.label(name, code, "id") and reference.label(name, code, "en")
    assert {"JKK_STMB", "JKK_CACAT", "JKK_MENINGGAL", "JKK_PEMAKAMAN", "JKK_PENGGANTIAN_BIAYA", "JKM",
            "BEASISWA"} <= reference.codes("benefit_type")
    assert reference.codes("failure_code") == {"ACCOUNT_CLOSED", "ACCOUNT_NOT_FOUND", "NAME_MISMATCH",
                                               "ACCOUNT_DORMANT", "INSUFFICIENT_FUNDS", "OTHER"}


def test_reference_entry_without_english_label_is_refused(tmp_path: Path):
    path = tmp_path / "ref.yaml"
    path.write_text("kabupaten: {'5301': {id: Kupang}}\n")
    with pytest.raises(ConfigError, match="kabupaten"):
        load_reference(path)
