"""Proof of low-code: layouts written only in YAML are read and written without code changes.

tests/core/files/layout/layouts_alt/ holds a semicolon-separated VERIFIED_CLAIMS with other
markers, another column order and CRLF, and a fixed-width PAYOUT_INSTRUCTION. Their sample
files hold the same records as the default samples, so reading both must give equal values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.files.layout import (
    BadValue,
    Layout,
    Layouts,
    Record,
    check_file,
    load_layouts,
    read_records,
    write_file,
)
from core.reference import Reference
from tests.core.files.layout.builders import HERE, SAMPLES, TODAY

ALT_DIR = HERE / "layouts_alt"
CASES = [
    ("VERIFIED_CLAIMS", "BPJSTK_KLAIM_20250903_01.txt", "KLAIM_BPJS_20250903-001.csv"),
    ("PAYOUT_INSTRUCTION", "NTTPAY_20250903_B20250903-01.txt", "NTTPAY_FIX_20250903_B20250903-01.dat"),
]
ANY = {"expected_sender": None, "expected_receiver": None, "today": TODAY}


@pytest.fixture(scope="module")
def alt(reference: Reference) -> Layouts:
    return load_layouts(ALT_DIR, reference, require=())


def values(layout: Layout, path: Path) -> list[dict]:
    return [i.values for i in read_records(layout, path, **ANY) if isinstance(i, Record)]


@pytest.mark.parametrize("file_type, default_name, alt_name", CASES)
def test_the_variant_reads_the_same_records_as_the_default(layouts: Layouts, alt: Layouts, file_type: str,
                                                           default_name: str, alt_name: str) -> None:
    default, variant = layouts[file_type], alt[file_type]

    check = check_file(variant, SAMPLES / "alt" / alt_name, **ANY)

    assert values(variant, SAMPLES / "alt" / alt_name) == values(default, SAMPLES / default_name)
    reference = check_file(default, SAMPLES / default_name, **ANY)
    assert (check.detail_count, check.control_total, check.error_count) == (
        reference.detail_count, reference.control_total, 0)
    assert {k: v for k, v in check.header.items() if k != "layout_version"} == {
        k: v for k, v in reference.header.items() if k != "layout_version"}


@pytest.mark.parametrize("file_type, default_name, alt_name", CASES)
def test_the_variant_writes_its_sample_byte_for_byte(layouts: Layouts, alt: Layouts, tmp_path: Path,
                                                     file_type: str, default_name: str,
                                                     alt_name: str) -> None:
    variant = alt[file_type]
    header = dict(check_file(layouts[file_type], SAMPLES / default_name, **ANY).header)
    header["layout_version"] = variant.version
    name = variant.make_name(**variant.match_name(alt_name))

    written = write_file(variant, tmp_path / name, header, values(layouts[file_type], SAMPLES / default_name))

    assert written.path.read_bytes() == (SAMPLES / "alt" / alt_name).read_bytes()


def test_the_semicolon_variant_refuses_a_semicolon_but_allows_a_pipe(alt: Layouts, tmp_path: Path) -> None:
    layout = alt["VERIFIED_CLAIMS"]
    rows = values(layout, SAMPLES / "alt" / "KLAIM_BPJS_20250903-001.csv")
    header = {"file_id": "F1", "created_at": "2025-09-03T01:00:00+08:00", "sender": "BPJSTK",
              "receiver": "PEMPROV_NTT"}

    write_file(layout, tmp_path / "ok.csv", header, [{**rows[0], "worker_name": "Yohanes | Bosco"}])
    with pytest.raises(BadValue, match="berisi pemisah ';'"):
        write_file(layout, tmp_path / "bad.csv", header, [{**rows[0], "worker_name": "Yohanes; Bosco"}])


def test_the_variant_rules_come_from_yaml_too(alt: Layouts, tmp_path: Path) -> None:
    sample = (SAMPLES / "alt" / "KLAIM_BPJS_20250903-001.csv").read_bytes()
    path = tmp_path / "claims.csv"
    path.write_bytes(sample.replace(b"JKK_STMB;2025-08-01;;", b"JKK_STMB;2025-08-01;Catatan;", 1))

    check = check_file(alt["VERIFIED_CLAIMS"], path, **ANY)

    assert [(e.line_no, e.field, e.message) for e in check.errors] == [
        (2, "decision_reason", "harus kosong bila decision = APPROVED")]


def test_a_fixed_width_line_of_the_wrong_length_is_a_record_error(alt: Layouts, tmp_path: Path) -> None:
    lines = (SAMPLES / "alt" / "NTTPAY_FIX_20250903_B20250903-01.dat").read_text().splitlines()
    lines[2] = lines[2][:-3]
    lines[-1] = "T000000003000000000004000000"  # its amount cannot be read, so the sender's total excludes it
    path = tmp_path / "fixed.dat"
    path.write_text("\n".join(lines) + "\n")

    check = check_file(alt["PAYOUT_INSTRUCTION"], path, **ANY)

    assert [(e.line_no, e.code, e.message) for e in check.errors] == [
        (3, "field_count", "panjang baris 184 karakter, seharusnya 187")]


def test_a_fixed_width_value_wider_than_its_column_is_refused(alt: Layouts, tmp_path: Path) -> None:
    layout = alt["PAYOUT_INSTRUCTION"]
    rows = values(layout, SAMPLES / "alt" / "NTTPAY_FIX_20250903_B20250903-01.dat")
    header = {"file_id": "B1", "created_at": "2025-09-03T02:00:00+08:00", "sender": "PEMPROV_NTT",
              "receiver": "BANKNTT", "source_account": "0011223344"}

    with pytest.raises(BadValue) as caught:
        write_file(layout, tmp_path / "b.dat", header, [rows[0], {**rows[1], "beneficiary_name": "N" * 41}])

    assert (caught.value.record_index, caught.value.field, caught.value.code) == (2, "beneficiary_name",
                                                                                  "too_long")


def test_variant_file_names_come_from_yaml(alt: Layouts) -> None:
    assert alt["VERIFIED_CLAIMS"].match_name("KLAIM_BPJS_20250903-001.csv") == {"date": date(2025, 9, 3),
                                                                                "seq": 1}
    assert alt["VERIFIED_CLAIMS"].match_name("BPJSTK_KLAIM_20250903_01.txt") is None
