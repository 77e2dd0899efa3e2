"""Writing files: typed values in, a whole valid file out, or nothing at all."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.files.layout import BadValue, Layout, Layouts, Record, check_file, read_records, write_file
from tests.core.files.layout.builders import SAMPLES, TODAY

WITA = timezone(timedelta(hours=8))
CREATED = datetime(2025, 9, 3, 2, 0, tzinfo=WITA)
HEADER = {"file_id": "B20250903-01", "created_at": CREATED, "sender": "PEMPROV_NTT", "receiver": "BANKNTT",
          "source_account": "0011223344"}


def instruction(n: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "instruction_id": f"INS-20250903-{n:06d}", "claim_no": f"JKK-2025-{n:06d}",
        "beneficiary_name": "Yohanes Bosco Nggala", "bank_code": "130", "account_no": "0012345678",
        "amount": 2500000 + n, "currency": "IDR", "remark": f"SANTUNAN JKK JKK-2025-{n:06d}"}
    values.update(changes)
    return values


@pytest.fixture
def layout(layouts: Layouts) -> Layout:
    return layouts["PAYOUT_INSTRUCTION"]


def test_written_file_is_read_back_identically(layout: Layout, tmp_path: Path) -> None:
    path = tmp_path / layout.make_name(date=date(2025, 9, 3), batch_id="B20250903-01")
    rows = [instruction(n) for n in range(1, 4)]

    written = write_file(layout, path, HEADER, rows)

    check = check_file(layout, path, expected_sender="PEMPROV_NTT", expected_receiver="BANKNTT", today=TODAY)
    back = [r.values for r in read_records(layout, path, expected_sender=None, expected_receiver=None,
                                           today=TODAY)]
    assert back == rows
    assert (written.count, written.control_total) == (3, 7500006) == (check.detail_count, check.control_total)
    assert written.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() == check.sha256
    assert check.header["created_at"] == CREATED and check.header["source_account"] == "0011223344"
    assert path.read_text().splitlines()[-1] == "T|3|7500006"


def test_the_writer_reproduces_the_sample_byte_for_byte(layout: Layout, tmp_path: Path) -> None:
    sample = SAMPLES / "NTTPAY_20250903_B20250903-01.txt"
    items = list(read_records(layout, sample, expected_sender=None, expected_receiver=None, today=TODAY))
    header = check_file(layout, sample, expected_sender=None, expected_receiver=None, today=TODAY).header

    rows = [i.values for i in items if isinstance(i, Record)]
    written = write_file(layout, tmp_path / sample.name, header, rows)

    assert written.path.read_bytes() == sample.read_bytes()


@pytest.mark.parametrize("changes, field, code, reason", [
    ({"remark": "SANTUNAN|JKK"}, "remark", "separator",
     "berisi pemisah '|' yang tidak boleh ada di dalam kolom"),
    ({"beneficiary_name": "Yohanes\nBosco"}, "beneficiary_name", "newline",
     "berisi baris baru (CR/LF) yang tidak boleh ada di dalam kolom"),
    ({"remark": "X" * 36}, "remark", "too_long", "terlalu panjang: 36 karakter, maksimal 35"),
    ({"amount": 0}, "amount", "too_small", "jumlah 0 kurang dari minimal 1"),
    ({"amount": -5}, "amount", "negative", "jumlah tidak boleh negatif"),
    ({"amount": "2.500.000"}, "amount", "not_number",
     "jumlah harus Rupiah bulat tanpa titik, koma atau desimal"),
    ({"account_no": 12345678}, "account_no", "type",
     "harus teks (str) agar angka nol di depan tetap, bukan int"),
    ({"currency": "USD"}, "currency", "enum", "nilai 'USD' tidak dikenal (boleh: IDR)"),
    ({"claim_no": None}, "claim_no", "required", "wajib diisi"),
    ({"colour": "red"}, "colour", "unknown_field", "kolom 'colour' tidak ada dalam layout (detail)"),
])
def test_a_value_that_would_break_the_layout_is_refused(layout: Layout, tmp_path: Path, changes: dict,
                                                        field: str, code: str, reason: str) -> None:
    path = tmp_path / "batch.txt"
    rows = [instruction(1), instruction(2, **changes), instruction(3)]

    with pytest.raises(BadValue) as caught:
        write_file(layout, path, HEADER, rows)

    error = caught.value
    assert (error.record_index, error.field, error.code, error.reason) == (2, field, code, reason)
    assert str(error) == f"record ke-2, kolom {field}: {reason}"
    assert list(tmp_path.iterdir()) == []  # no half file, no temporary file


def test_a_bad_header_value_is_refused(layout: Layout, tmp_path: Path) -> None:
    with pytest.raises(BadValue) as caught:
        write_file(layout, tmp_path / "b.txt", {**HEADER, "created_at": datetime(2025, 9, 3, 2, 0)}, [])

    assert (caught.value.record_index, caught.value.field) == (None, "created_at")
    assert str(caught.value).startswith("header, kolom created_at: waktu tanpa zona waktu")


def test_the_header_cannot_claim_another_file_type(layout: Layout, tmp_path: Path) -> None:
    with pytest.raises(BadValue, match="file_type"):
        write_file(layout, tmp_path / "b.txt", {**HEADER, "file_type": "PAYOUT_RESULT"}, [])


def test_an_existing_file_is_never_overwritten_by_default(layout: Layout, tmp_path: Path) -> None:
    path = tmp_path / "batch.txt"
    path.write_text("earlier batch")

    with pytest.raises(FileExistsError):
        write_file(layout, path, HEADER, [instruction(1)])

    assert path.read_text() == "earlier batch"


def test_a_failure_half_way_leaves_the_old_file_untouched(layout: Layout, tmp_path: Path) -> None:
    path = tmp_path / "batch.txt"
    path.write_text("earlier batch")

    def rows() -> Iterator[dict[str, object]]:
        yield instruction(1)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_file(layout, path, HEADER, rows(), overwrite=True)

    assert path.read_text() == "earlier batch"
    assert [p.name for p in tmp_path.iterdir()] == ["batch.txt"]


def test_overwrite_replaces_the_file_whole(layout: Layout, tmp_path: Path) -> None:
    path = tmp_path / "batch.txt"
    path.write_text("earlier batch")

    written = write_file(layout, path, HEADER, [instruction(1)], overwrite=True)

    assert written.count == 1 and path.read_text().startswith("H|PAYOUT_INSTRUCTION|")


def test_records_are_consumed_as_a_stream(layout: Layout, tmp_path: Path) -> None:
    produced = []

    def rows() -> Iterator[dict[str, object]]:
        for n in range(1, 1001):
            produced.append(n)
            yield instruction(n)

    written = write_file(layout, tmp_path / "big.txt", HEADER, rows())

    assert written.count == 1000 and produced[-1] == 1000


def test_not_future_applies_only_when_today_is_given(layouts: Layouts, tmp_path: Path) -> None:
    layout = layouts["VERIFIED_CLAIMS"]
    items = read_records(layout, SAMPLES / "BPJSTK_KLAIM_20250903_01.txt", expected_sender=None,
                         expected_receiver=None, today=TODAY)
    future = [{**i.values, "accident_date": date(2030, 1, 1)} for i in items if isinstance(i, Record)]
    header = {"file_id": "F1", "created_at": CREATED, "sender": "BPJSTK", "receiver": "PEMPROV_NTT"}

    write_file(layout, tmp_path / "demo.txt", header, future)
    with pytest.raises(BadValue, match="di masa depan"):
        write_file(layout, tmp_path / "checked.txt", header, future, today=TODAY)


def test_crlf_layouts_write_crlf(layout: Layout, tmp_path: Path) -> None:
    import dataclasses

    crlf = dataclasses.replace(layout, line_ending="\r\n")

    written = write_file(crlf, tmp_path / "b.txt", HEADER, [instruction(1)])

    assert written.path.read_bytes().count(b"\r\n") == 3
