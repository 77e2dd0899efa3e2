"""PAYOUT_RESULT from the bank: bank_reference characters, value_date bounds, name and header agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.files.layout import FileRejected, Layout, Record, RecordError, check_file, read_records

TODAY = date(2025, 9, 5)
BANK = {"expected_sender": "BANKNTT", "expected_receiver": "PEMPROV_NTT", "today": TODAY}
NAME = "NTTPAY_20250905_B000001_RESULT_01.txt"


@pytest.fixture(scope="session")
def result_layout(layouts) -> Layout:
    return layouts["PAYOUT_RESULT"]


def success(n: int, reference: str = "NTT25090500000001", value_date: str = "2025-09-04") -> str:
    return f"D|B000001-{n:06d}|SUCCESS|1000000|{reference}|{value_date}||"


def write_result(folder: Path, details: list[str], *, name: str = NAME, batch_id: str = "B000001") -> Path:
    total = sum(int(d.split("|")[3]) for d in details if "|SUCCESS|" in d)
    header = f"H|PAYOUT_RESULT|RES-{batch_id}-01|2025-09-05T10:00:00+08:00|BANKNTT|PEMPROV_NTT|1.0|{batch_id}"
    lines = [header, *details, f"T|{len(details)}|{total}"]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(layout: Layout, path: Path) -> list[tuple[int, str | None, str]]:
    items = read_records(layout, path, **BANK)
    return [(i.line_no, i.field, i.code) for i in items if isinstance(i, RecordError)]


@pytest.mark.parametrize("bad", ['=HYPERLINK("http://x")', "NTT 123", "NTT_1", "A" * 36, "NTT\u202e1"])
def test_a_bank_reference_outside_its_characters_makes_the_record_bad(result_layout, tmp_path, bad):
    path = write_result(tmp_path, [success(1), success(2, reference=bad)])

    assert problems(result_layout, path) == [(3, "bank_reference", problems_code(bad))]
    good = [i for i in read_records(result_layout, path, **BANK) if isinstance(i, Record)]
    assert [r.values["instruction_id"] for r in good] == ["B000001-000001"]


def problems_code(reference: str) -> str:
    if "\u202e" in reference:
        return "not_printable"
    return "too_long" if len(reference) > 35 else "chars"


def test_a_bank_reference_of_the_allowed_characters_is_read(result_layout, tmp_path):
    path = write_result(tmp_path, [success(1, reference="Ntt-2025/09.05-" + "9" * 20)])

    assert problems(result_layout, path) == []


@pytest.mark.parametrize("value_date", ["2099-01-01", "2025-09-06"])
def test_a_value_date_after_today_makes_the_record_bad(result_layout, tmp_path, value_date):
    path = write_result(tmp_path, [success(1), success(2, value_date=value_date)])

    assert problems(result_layout, path) == [(3, "value_date", "future")]


def test_a_success_without_value_date_makes_the_record_bad(result_layout, tmp_path):
    path = write_result(tmp_path, [success(1, value_date="")])

    assert [field for _, field, _ in problems(result_layout, path)] == ["value_date"]


def test_a_result_named_for_another_batch_than_its_header_is_rejected_whole(result_layout, tmp_path):
    path = write_result(tmp_path, [success(1)], name="NTTPAY_20250905_B000002_RESULT_01.txt")

    with pytest.raises(FileRejected) as caught:
        check_file(result_layout, path, **BANK)

    assert caught.value.code == "name_mismatch"
    assert "B000002" in caught.value.reason and "B000001" in caught.value.reason
