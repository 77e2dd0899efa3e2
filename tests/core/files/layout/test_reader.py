"""Reading files: good records typed, bad records reported, bad files rejected whole."""

from __future__ import annotations

import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.files.layout import FileRejected, Layout, Layouts, Record, RecordError, check_file, read_records
from tests.core.files.layout.builders import (
    BPJS,
    HEADER,
    SAMPLES,
    TODAY,
    claim_line,
    claims_text,
    write_claims,
)

WITA = timezone(timedelta(hours=8))


def records(layout: Layout, path: Path, **kwargs) -> list[Record | RecordError]:
    return list(read_records(layout, path, **{**BPJS, **kwargs}))


def rejected(layout: Layout, path: Path, **kwargs) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        check_file(layout, path, **{**BPJS, **kwargs})
    return caught.value


def test_sample_claims_are_read_with_typed_values(claims_layout: Layout) -> None:
    items = records(claims_layout, SAMPLES / "BPJSTK_KLAIM_20250903_01.txt")

    assert [i.line_no for i in items] == [2, 3, 4, 5, 6]
    first = items[0].values
    assert first["claim_no"] == "JKK-2025-000101"
    assert first["revision"] == 1
    assert first["approved_amount"] == 2500000
    assert first["accident_date"] == date(2025, 8, 1)
    assert first["verified_at"] == datetime(2025, 9, 2, 15, 30, tzinfo=WITA)
    assert first["decision_reason"] is None
    assert first["account_no"] == "0012345678"  # digits stay text: leading zeros kept
    assert items[2].values["bank_code"] is None and items[2].values["account_no"] is None
    assert list(first) == list(claims_layout.field_names)


def test_check_file_returns_header_count_total_and_hash(claims_layout: Layout) -> None:
    path = SAMPLES / "BPJSTK_KLAIM_20250903_01.txt"

    check = check_file(claims_layout, path, **BPJS)

    assert check.header["file_id"] == "BPJSTK-20250903-01"
    assert check.header["created_at"] == datetime(2025, 9, 3, 1, 0, tzinfo=WITA)
    assert (check.detail_count, check.control_total) == (5, 75750000)
    assert (check.good_records, check.bad_records, check.errors, check.with_errors) == (5, 0, (), False)
    assert len(check.sha256) == 64 and check.size == path.stat().st_size


@pytest.mark.parametrize("name, file_type, sender, receiver, count, total", [
    ("NTTPAY_20250903_B20250903-01.txt", "PAYOUT_INSTRUCTION", "PEMPROV_NTT", "BANKNTT", 3, 5750000),
    ("NTTPAY_20250903_B20250903-01_RESULT_01.txt", "PAYOUT_RESULT", "BANKNTT", "PEMPROV_NTT", 3, 4250000),
    ("SANTUNAN_STATUS_20250903_01.txt", "PAYOUT_STATUS", "PEMPROV_NTT", "BPJSTK", 3, 4250000),
])
def test_every_default_layout_reads_its_sample(layouts: Layouts, name: str, file_type: str, sender: str,
                                               receiver: str, count: int, total: int) -> None:
    check = check_file(layouts[file_type], SAMPLES / name, expected_sender=sender, expected_receiver=receiver,
                       today=TODAY)

    assert (check.detail_count, check.control_total, check.error_count) == (count, total, 0)


def test_payout_result_total_counts_only_success_amounts(layouts: Layouts, tmp_path: Path) -> None:
    layout = layouts["PAYOUT_RESULT"]
    text = (SAMPLES / "NTTPAY_20250903_B20250903-01_RESULT_01.txt").read_text().replace("T|3|4250000",
                                                                                        "T|3|5750000")
    path = tmp_path / "result.txt"
    path.write_text(text)

    error = rejected(layout, path, expected_sender="BANKNTT")

    assert error.code == "total_mismatch"
    assert "5750000" in error.reason and "4250000" in error.reason


def test_payout_result_header_carries_the_batch_id(layouts: Layouts) -> None:
    check = check_file(layouts["PAYOUT_RESULT"], SAMPLES / "NTTPAY_20250903_B20250903-01_RESULT_01.txt",
                       expected_sender="BANKNTT", expected_receiver="PEMPROV_NTT", today=TODAY)

    assert check.header["batch_id"] == "B20250903-01"


def test_bom_crlf_and_trailing_blank_lines_are_accepted(claims_layout: Layout, tmp_path: Path) -> None:
    text = claims_text([claim_line(1), claim_line(2)]).replace("\n", "\r\n") + "\r\n\r\n  \n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())

    check = check_file(claims_layout, path, **BPJS)

    assert (check.detail_count, check.control_total, check.error_count) == (2, 5000000, 0)
    assert records(claims_layout, path)[1].values["verified_at"].tzinfo is not None


def test_a_bad_record_is_reported_and_the_others_are_kept(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1), claim_line(2, nik="53010512088500011"), claim_line(3)])

    items = records(claims_layout, path)
    check = check_file(claims_layout, path, **BPJS)

    good = [i.values["claim_no"] for i in items if isinstance(i, Record)]
    errors = [i for i in items if isinstance(i, RecordError)]
    assert good == ["JKK-2025-000001", "JKK-2025-000003"]
    assert [(e.line_no, e.field, e.code, e.key) for e in errors] == [(3, "nik", "nik", "JKK-2025-000002")]
    assert errors[0].message == "NIK harus tepat 16 angka, ada 17"
    assert str(errors[0]) == f"{path.name} baris 3 (JKK-2025-000002), kolom nik: {errors[0].message}"
    assert (check.good_records, check.bad_records, check.with_errors) == (2, 1, True)
    assert check.control_total == 7500000  # the bad record's amount parsed, so it counts


def test_every_problem_of_a_line_is_reported(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1, kpj="123", kabupaten_code="5399",
                                              accident_date="2025-02-30")])

    errors = records(claims_layout, path)

    assert [(e.field, e.code) for e in errors] == [("kpj", "too_short"), ("kabupaten_code", "code"),
                                                   ("accident_date", "date")]


@pytest.mark.parametrize("changes, field, code, message", [
    ({"decision": "REJECTED", "approved_amount": "0"}, "decision_reason", "rule_required",
     "wajib diisi bila decision = REJECTED"),
    ({"decision": "REJECTED", "decision_reason": "Bukan kecelakaan kerja"}, "approved_amount", "rule_equals",
     "harus 0 bila decision = REJECTED, bukan 2500000"),
    ({"approved_amount": "0"}, "approved_amount", "rule_min",
     "harus minimal 1 bila decision = APPROVED, bukan 0"),
    ({"accident_date": "2025-09-04"}, "accident_date", "future",
     "tanggal 2025-09-04 di masa depan (hari ini 2025-09-03)"),
])
def test_conditional_rules_of_the_layout_are_applied(claims_layout: Layout, tmp_path: Path, changes: dict,
                                                     field: str, code: str, message: str) -> None:
    path = write_claims(tmp_path, [claim_line(1, **changes)])

    (error,) = records(claims_layout, path)

    assert (error.field, error.code, error.message) == (field, code, message)


def test_a_rejected_claim_with_reason_and_zero_amount_is_good(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1, decision="REJECTED", approved_amount="0",
                                              decision_reason="Tidak")])

    (record,) = records(claims_layout, path)

    assert record.values["decision_reason"] == "Tidak"


def test_accident_today_is_not_in_the_future(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1, accident_date="2025-09-03")])

    assert isinstance(records(claims_layout, path)[0], Record)


def test_a_line_with_the_wrong_field_count_still_counts(claims_layout: Layout, tmp_path: Path) -> None:
    short = "D|JKK-2025-000009|1|KC-1"
    path = write_claims(tmp_path, [claim_line(1), short], trailer="T|2|2500000")

    check = check_file(claims_layout, path, **BPJS)

    assert (check.detail_count, check.bad_records) == (2, 1)
    assert (check.errors[0].code, check.errors[0].message) == ("field_count", "jumlah kolom 4, seharusnya 20")


def test_an_amount_that_does_not_parse_makes_the_sender_total_disagree(claims_layout: Layout,
                                                                       tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1), claim_line(2, approved_amount="1.500.000")],
                        trailer="T|2|4000000")

    error = rejected(claims_layout, path)

    assert error.code == "total_mismatch"
    assert error.reason == "total kontrol di trailer 4000000, jumlah approved_amount dari record 2500000"


def test_errors_kept_are_capped_but_counted(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(n, kpj="1") for n in range(30)])

    check = check_file(claims_layout, path, **BPJS, max_errors=10)

    assert (len(check.errors), check.error_count, check.bad_records) == (10, 30, 30)


@pytest.mark.parametrize("header, code, reason", [
    (HEADER.replace("|BPJSTK|", "|BANKNTT|"), "wrong_sender", "pengirim 'BANKNTT', seharusnya 'BPJSTK'"),
    (HEADER.replace("|PEMPROV_NTT|", "|PEMKAB_KUPANG|"), "wrong_receiver",
     "penerima 'PEMKAB_KUPANG', seharusnya 'PEMPROV_NTT'"),
    (HEADER.replace("|1.0", "|2.0"), "wrong_version", "versi layout '2.0', seharusnya '1.0'"),
    (HEADER.replace("VERIFIED_CLAIMS", "PAYOUT_RESULT") + "|B1", "wrong_file_type",
     "jenis file 'PAYOUT_RESULT', seharusnya VERIFIED_CLAIMS"),
    (HEADER.replace("2025-09-03T01:00:00+08:00", "03-09-2025 01:00"), "bad_header",
     "header kolom created_at: waktu harus ISO 8601 dengan zona waktu, mis. 2025-09-03T01:00:00+08:00"),
    (HEADER + "|EXTRA", "bad_header", "header: jumlah kolom 8, seharusnya 7"),
    (claim_line(1), "no_header", "baris pertama bukan header: jenis record 'D', seharusnya H"),
])
def test_a_bad_header_rejects_the_file(claims_layout: Layout, tmp_path: Path, header: str, code: str,
                                       reason: str) -> None:
    path = write_claims(tmp_path, [claim_line(1)], header=header)

    error = rejected(claims_layout, path)

    assert (error.code, error.reason, error.line_no) == (code, reason, 1)
    assert str(error) == f"{path.name} baris 1: file ditolak seluruhnya: {reason}"


def test_sender_and_receiver_are_not_checked_when_not_expected(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1)], header=HEADER.replace("|BPJSTK|", "|OTHER|"))

    check = check_file(claims_layout, path, expected_sender=None, expected_receiver=None, today=TODAY)

    assert check.header["sender"] == "OTHER"


@pytest.mark.parametrize("text, code, line_no", [
    ("", "empty", None),
    ("\n" + claims_text([claim_line(1)]), "no_header", 1),
    (claims_text([claim_line(1), HEADER]), "second_header", 3),
    (claims_text([claim_line(1)]) + claim_line(2) + "\n", "after_trailer", 4),
    (claims_text([claim_line(1)]) + "T|1|2500000\n", "after_trailer", 4),
    (claims_text([claim_line(1)], trailer="T|1"), "bad_trailer", 3),
    (claims_text([claim_line(1)], trailer="T|satu|2500000"), "bad_trailer", 3),
    (claims_text([claim_line(1)], trailer="T|2|2500000"), "count_mismatch", None),
    (claims_text([claim_line(1)], trailer="T|1|2500001"), "total_mismatch", None),
    (HEADER + "\n" + claim_line(1) + "\n", "no_trailer", None),
])
def test_a_bad_structure_rejects_the_file(claims_layout: Layout, tmp_path: Path, text: str, code: str,
                                          line_no: int | None) -> None:
    path = tmp_path / "BPJSTK_KLAIM_20250903_01.txt"
    path.write_text(text)

    error = rejected(claims_layout, path)

    assert (error.code, error.line_no) == (code, line_no)


def test_count_mismatch_names_both_numbers(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(n) for n in range(9)], trailer="T|10|22500000")

    assert rejected(claims_layout, path).reason == "jumlah record di trailer 10, ditemukan 9"


def test_non_utf8_bytes_reject_the_file_with_the_line_number(claims_layout: Layout, tmp_path: Path) -> None:
    text = claims_text([claim_line(1), claim_line(2, worker_name="Jos\u00e9")])
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))

    error = rejected(claims_layout, path)

    assert (error.code, error.line_no) == ("bad_encoding", 3)
    assert "baris 3 bukan teks UTF-8 yang sah (byte 0xe9" in error.reason


def test_a_line_without_end_is_refused_after_the_byte_limit(claims_layout: Layout, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(HEADER.encode() + b"\nD|" + b"9" * 50_000)

    error = rejected(claims_layout, path)

    assert (error.code, error.line_no) == ("line_too_long", 2)


def test_read_records_raises_after_the_last_item_when_totals_disagree(claims_layout: Layout,
                                                                     tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1), claim_line(2)], trailer="T|3|5000000")
    seen = []

    with pytest.raises(FileRejected, match="jumlah record di trailer 3, ditemukan 2"):
        for item in read_records(claims_layout, path, **BPJS):
            seen.append(item)

    assert len(seen) == 2  # a job applying inside a transaction rolls these back


def test_read_records_raises_before_any_item_for_a_bad_header(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1)], header=HEADER.replace("|BPJSTK|", "|X|"))

    items = read_records(claims_layout, path, **BPJS)

    with pytest.raises(FileRejected):
        next(items)


def test_an_unknown_record_type_is_a_record_error_that_counts(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1), "X|something"], trailer="T|2|2500000")

    check = check_file(claims_layout, path, **BPJS)

    assert [(e.line_no, e.code, e.message) for e in check.errors] == [
        (3, "record_type", "jenis record 'X' tidak dikenal (seharusnya D)")]


def peak_memory_of_reading(layout: Layout, path: Path) -> int:
    tracemalloc.start()
    try:
        for _ in read_records(layout, path, **BPJS):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_memory_does_not_grow_with_the_file(claims_layout: Layout, tmp_path: Path) -> None:
    small = write_claims(tmp_path, [claim_line(n) for n in range(1_000)], name="small.txt")
    large = write_claims(tmp_path, [claim_line(n) for n in range(20_000)], name="large.txt")

    assert peak_memory_of_reading(claims_layout, large) < 1.3 * peak_memory_of_reading(claims_layout, small)
