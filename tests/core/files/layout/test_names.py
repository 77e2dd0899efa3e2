"""File name patterns: recognising incoming files and naming the ones we write."""

from __future__ import annotations

from datetime import date

import pytest

from core.files.layout import LayoutError, Layouts


@pytest.mark.parametrize("file_type, name, parts", [
    ("VERIFIED_CLAIMS", "BPJSTK_KLAIM_20250903_01.txt", {"date": date(2025, 9, 3), "seq": 1}),
    ("PAYOUT_INSTRUCTION", "NTTPAY_20250903_B20250903-01.txt", {"date": date(2025, 9, 3),
                                                                "batch_id": "B20250903-01"}),
    ("PAYOUT_RESULT", "NTTPAY_20250903_B20250903-01_RESULT_02.txt",
     {"date": date(2025, 9, 3), "batch_id": "B20250903-01", "seq": 2}),
    ("PAYOUT_STATUS", "SANTUNAN_STATUS_20250903_11.txt", {"date": date(2025, 9, 3), "seq": 11}),
])
def test_names_are_made_and_matched_both_ways(layouts: Layouts, file_type: str, name: str,
                                              parts: dict) -> None:
    layout = layouts[file_type]

    assert layout.match_name(name) == parts
    assert layout.make_name(**parts) == name
    assert layouts.for_name(name) == (layout, parts)


@pytest.mark.parametrize("name", [
    "BPJSTK_KLAIM_20250230_01.txt",  # no such date
    "BPJSTK_KLAIM_20250903_1.txt",
    "BPJSTK_KLAIM_20250903_01.txt.part",  # an upload in progress is never picked up
    "bpjstk_klaim_20250903_01.txt",
    "BPJSTK_KLAIM_20250903_01.csv",
])
def test_other_names_do_not_match(layouts: Layouts, name: str) -> None:
    assert layouts["VERIFIED_CLAIMS"].match_name(name) is None
    assert layouts.for_name(name) is None


def test_a_result_file_is_not_taken_for_an_instruction(layouts: Layouts) -> None:
    assert layouts["PAYOUT_INSTRUCTION"].match_name("NTTPAY_20250903_B1_RESULT_01.txt") is None


def test_glob_lists_candidates(layouts: Layouts) -> None:
    assert layouts["VERIFIED_CLAIMS"].file_name.glob == "BPJSTK_KLAIM_*_*.txt"
    assert layouts["PAYOUT_RESULT"].file_name.glob == "NTTPAY_*_*_RESULT_*.txt"


@pytest.mark.parametrize("parts, message", [
    ({"date": date(2025, 9, 3)}, "bagian seq belum diisi"),
    ({"date": date(2025, 9, 3), "seq": 1, "x": 1}, "bagian tidak dikenal x"),
    ({"date": date(2025, 9, 3), "seq": 100}, "harus bilangan 0..99"),
    ({"date": "20250903", "seq": 1}, "harus tanggal"),
])
def test_make_name_refuses_bad_parts(layouts: Layouts, parts: dict, message: str) -> None:
    with pytest.raises(LayoutError, match=message):
        layouts["VERIFIED_CLAIMS"].make_name(**parts)


def test_a_batch_id_with_an_underscore_is_refused(layouts: Layouts) -> None:
    with pytest.raises(LayoutError, match="batch_id"):
        layouts["PAYOUT_INSTRUCTION"].make_name(date=date(2025, 9, 3), batch_id="B_1")
