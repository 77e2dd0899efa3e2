"""Roster import (contract section 8): CSV and XLSX as people keep them, bad rows reported and
skipped, upsert by KPJ, and nothing applied from a file that cannot be read."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from core.roster.cover import cover_periods
from core.roster.importing import import_roster
from core.roster.reading import Unreadable
from core.roster.tables import Participant

NIK = "5371014107850001"
HEADER = "KPJ;NIK;Nama;Kode Kabupaten;Desa/Kelurahan;Pekerjaan;Mulai;Berakhir;Sumber Dana"


def kpj(i: int) -> str:
    return f"{26_000_000_000 + i:011d}"


def write(tmp_path, text: str, name: str = "roster.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def line(i: int, *, nik: str = NIK, name: str = "Maria Bria", kab: str = "5371", village: str = "Oebobo",
         occupation: str = "Nelayan", start: str = "21/07/2025", end: str = "",
         funding: str = "APBD Provinsi") -> str:
    return ";".join((kpj(i), nik, name, kab, village, occupation, start, end, funding))


def test_a_semicolon_csv_with_bom_labels_and_day_first_dates_is_imported(tmp_path, database, reference):
    path = write(tmp_path, "\ufeff" + HEADER + "\r\n" + line(1, end="31/12/2026") + "\r\n")
    result = import_roster(path, reference)
    assert (result.added, result.updated, result.rejected) == (1, 0, 0)
    row = Participant.get(Participant.kpj == kpj(1))
    assert (row.occupation, row.funding, row.village) == ("NELAYAN", "APBD_PROVINSI", "Oebobo")
    assert (row.start, row.end) == (dt.date(2025, 7, 21), dt.date(2026, 12, 31))


def test_headers_match_ignoring_case_and_spaces_and_a_comma_csv_with_codes_and_iso_dates(tmp_path, database,
                                                                                        reference):
    text = ("kpj , nik,NAMA,kodekabupaten,Pekerjaan,mulai,SUMBER  DANA\n"
            f"{kpj(2)},{NIK},Yohanes Lay,5301,PETANI,2025-08-01,APBD_KABUPATEN\n")
    result = import_roster(write(tmp_path, text), reference)
    assert (result.added, result.rejected) == (1, 0)
    row = Participant.get(Participant.kpj == kpj(2))
    assert (row.village, row.end, row.funding) == (None, None, "APBD_KABUPATEN")


def test_a_reimport_updates_the_row_by_kpj_and_never_duplicates_it(tmp_path, database, reference):
    import_roster(write(tmp_path, HEADER + "\n" + line(1) + "\n" + line(2) + "\n"), reference)
    created = Participant.get(Participant.kpj == kpj(1)).created_at
    changed = line(1, name="Maria G Bria", funding="CSR")
    again = write(tmp_path, HEADER + "\n" + changed + "\n" + line(3) + "\n", "again.csv")
    result = import_roster(again, reference)
    assert (result.added, result.updated, result.rejected) == (1, 1, 0)
    assert Participant.select().count() == 3
    row = Participant.get(Participant.kpj == kpj(1))
    assert (row.name, row.funding, row.created_at) == ("Maria G Bria", "CSR", created)


def test_a_kpj_twice_in_one_file_is_one_worker_added_then_updated(tmp_path, database, reference):
    path = write(tmp_path, HEADER + "\n" + line(1) + "\n" + line(1, name="Later Name") + "\n")
    result = import_roster(path, reference)
    assert (result.added, result.updated) == (1, 1)
    assert [p.name for p in Participant.select()] == ["Later Name"]


def test_a_bad_row_is_reported_by_row_and_column_and_the_others_are_applied(tmp_path, database, reference):
    rows = [line(1), line(2, nik="5371013102850001", start="31/02/2025"), line(3, end="01/01/2025"),
            line(4, funding="APBN", occupation="Astronot"), line(5, kab="5399")]
    result = import_roster(write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"), reference)
    assert (result.added, result.rejected) == (1, 4)
    texts = [r.text("id") for r in result.reports]
    assert texts[0].startswith("Baris 3: kolom NIK: NIK tidak valid") and "kolom Mulai" in texts[0]
    assert "Berakhir 2025-01-01 sebelum Mulai 2025-07-21" in texts[1]
    assert "kolom Pekerjaan" in texts[2] and "kolom Sumber Dana" in texts[2] and "APBD_PROVINSI" in texts[2]
    assert texts[3].startswith("Baris 6: kolom Kode Kabupaten")
    assert [p.kpj for p in Participant.select()] == [kpj(1)]


def test_rejected_rows_are_written_as_they_were_with_kesalahan_and_import_once_fixed(tmp_path, database,
                                                                                      reference):
    bad = line(2, start="2025-13-01", name="=HYPERLINK(1)")
    out = io.StringIO()
    import_roster(write(tmp_path, HEADER + "\n" + line(1) + "\n" + bad + "\n"), reference, rejected=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == [*HEADER.split(";"), "Kesalahan"]
    assert lines[1][:7] == [kpj(2), NIK, "'=HYPERLINK(1)", "5371", "Oebobo", "Nelayan", "2025-13-01"]
    assert "kolom Mulai: tanggal \"2025-13-01\" tidak valid" in lines[1][-1]
    fixed = tmp_path / "fixed.csv"  # the person fixes the date, drops the reason column, imports again
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(lines[0][:-1])
        writer.writerow([*lines[1][:2], "Maria Bria", *lines[1][3:6], "01/08/2025", *lines[1][7:-1]])
    result = import_roster(fixed, reference)
    assert (result.added, result.rejected) == (1, 0)


def test_a_file_lacking_a_required_header_applies_nothing(tmp_path, database, reference):
    path = write(tmp_path, "KPJ;NIK;Nama;Kode Kabupaten;Pekerjaan;Mulai\n" + kpj(1) + f";{NIK};A;5371;PETANI;"
                 "2025-08-01\n")
    with pytest.raises(Unreadable) as raised:
        import_roster(path, reference)
    assert raised.value.key == "roster.unreadable.headers" and raised.value.params["missing"] == "Sumber Dana"
    assert Participant.select().count() == 0


def test_a_file_unreadable_half_way_rolls_back_the_rows_before_it(tmp_path, database, reference):
    text = (HEADER + "\n" + "\n".join(line(i) for i in range(1, 6)) + "\n").encode() + b"\xff\xfe;broken\n"
    with pytest.raises(Unreadable) as raised:
        import_roster(write(tmp_path, text), reference, chunk=2)
    assert raised.value.key == "roster.unreadable.encoding"
    assert Participant.select().count() == 0


def test_a_file_that_is_neither_csv_nor_xlsx_is_unreadable(tmp_path, database, reference):
    with pytest.raises(Unreadable) as raised:
        import_roster(write(tmp_path, b"PK\x03\x04 not really a zip", "roster.xlsx"), reference)
    assert raised.value.key == "roster.unreadable.xlsx"


def test_an_xlsx_first_sheet_with_date_cells_and_number_cells_is_imported(tmp_path, database, reference):
    book = Workbook()
    sheet = book.active
    sheet.append(["KPJ", "NIK", "Nama", "Kode Kabupaten", "Desa/Kelurahan", "Pekerjaan", "Mulai", "Berakhir",
                  "Sumber Dana"])
    sheet.append([kpj(1), NIK, "Ni Luh Putu", 5314, None, "Buruh Harian Lepas", dt.datetime(2025, 7, 21),
                  "31/12/2026", "mandiri"])
    sheet.append([kpj(2), NIK, "Bad Dates", 5314, None, "PETANI", dt.datetime(2025, 7, 21),
                  dt.datetime(2025, 1, 1), "CSR"])
    book.create_sheet("Lain").append(["ignored"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    out = io.StringIO()
    result = import_roster(path, reference, rejected=out)
    assert (result.added, result.rejected) == (1, 1)
    row = Participant.get(Participant.kpj == kpj(1))
    assert (row.kabupaten_code, row.occupation, row.funding) == ("5314", "BURUH_HARIAN_LEPAS", "MANDIRI")
    assert (row.start, row.end) == (dt.date(2025, 7, 21), dt.date(2026, 12, 31))
    assert "2025-07-21,2025-01-01,CSR" in out.getvalue()  # the date cells as dates, not timestamps


def test_a_kabupaten_desk_imports_only_its_own_kabupaten(tmp_path, database, reference):
    path = write(tmp_path, HEADER + "\n" + line(1, kab="5314") + "\n" + line(2, kab="5371") + "\n")
    result = import_roster(path, reference, kabupaten_scope=("5314",))
    assert (result.added, result.rejected) == (1, 1)
    assert "di luar meja Anda (5314)" in result.reports[0].text("id")


def test_a_kabupaten_desk_may_not_overwrite_a_worker_enrolled_in_another_kabupaten(tmp_path, database,
                                                                                  reference):
    """Rote Ndao's desk imports a KPJ Kota Kupang already enrolled: the row is refused naming Kota Kupang,
    the worker stays as Kupang has them, and the rejected file says why; its own rows still apply."""
    import_roster(write(tmp_path, HEADER + "\n" + line(1, kab="5371", name="Maria Bria") + "\n"), reference)
    text = HEADER + "\n" + line(1, kab="5314", name="Maria Dipindah") + "\n" + line(2, kab="5314") + "\n"
    out = io.StringIO()
    result = import_roster(write(tmp_path, text, "rote.csv"), reference, kabupaten_scope=("5314",),
                           rejected=out, chunk=1)
    assert (result.added, result.updated, result.rejected) == (1, 0, 1)
    [report] = result.reports
    assert report.row == 2 and "KPJ 26000000001 sudah terdaftar di Kota Kupang (5371)" in report.text("id")
    assert "di luar meja Anda (5314)" in report.text("id")
    worker = Participant.get(Participant.kpj == kpj(1))
    assert (worker.kabupaten_code, worker.name) == ("5371", "Maria Bria")
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert len(rows) == 2 and "Kota Kupang" in rows[1][-1]
    # the province moves the worker; the desk then updates its own worker
    assert import_roster(write(tmp_path, text, "provinsi.csv"), reference).updated == 2
    again = import_roster(write(tmp_path, text, "rote2.csv"), reference, kabupaten_scope=("5314",))
    assert (again.updated, again.rejected) == (2, 0)


def test_cover_periods_gives_the_roster_dates_of_the_kpjs_on_it_only(tmp_path, database, reference):
    text = HEADER + "\n" + line(1, end="31/12/2026") + "\n" + line(2) + "\n"
    import_roster(write(tmp_path, text), reference)
    assert cover_periods([kpj(1), kpj(2), kpj(9), ""]) == {
        kpj(1): (dt.date(2025, 7, 21), dt.date(2026, 12, 31)), kpj(2): (dt.date(2025, 7, 21), None)}
    assert cover_periods([]) == {}


def test_many_rows_go_in_chunks_with_the_counts_of_every_chunk(tmp_path, database, reference):
    rows = "\n".join(line(i) for i in range(1, 2501))
    result = import_roster(write(tmp_path, HEADER + "\n" + rows + "\n"), reference, chunk=1000)
    assert (result.added, result.updated, result.rejected) == (2500, 0, 0)
    result = import_roster(write(tmp_path, HEADER + "\n" + rows + "\n", "again.csv"), reference, chunk=700)
    assert (result.added, result.updated) == (0, 2500)
    assert Participant.select().count() == 2500
