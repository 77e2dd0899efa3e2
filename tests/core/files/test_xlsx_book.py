"""`XlsxBook`, the report workbook of the one sheet writer: typed cells, frozen header, fitting widths,
one sheet per view, and formula-looking text kept as text."""

import datetime as dt

import openpyxl

from core.files.sheets import XlsxBook


def test_a_book_keeps_numbers_dates_and_text_typed_in_several_sheets(tmp_path):
    book = XlsxBook()
    book.add_sheet("Angka", ["Nama", "Jumlah", "Tanggal"],
                   [["Kabupaten Timor Tengah Selatan", 12_500_000, dt.date(2026, 3, 10)],
                    ["=1+1", None, None]],
                   (None, "#,##0", "dd/mm/yyyy"))
    book.add_sheet("Kosong", ["Kode"], [])
    book.save(tmp_path / "b.xlsx")
    loaded = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert loaded.sheetnames == ["Angka", "Kosong"]
    sheet = loaded["Angka"]
    name, amount, day = sheet[2]
    assert (amount.value, amount.data_type, amount.number_format) == (12_500_000, "n", "#,##0")
    assert day.is_date and day.value == dt.datetime(2026, 3, 10) and day.number_format == "dd/mm/yyyy"
    assert sheet["A3"].value == "'=1+1" and sheet["A3"].data_type == "s"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= len(name.value)
    assert not (tmp_path / "b.xlsx.part").exists()
