"""Reading a roster file row by row: a CSV (UTF-8 with or without BOM, comma or semicolon) or
the first sheet of an XLSX, never whole in memory (a roster may hold a million workers).

The format is told by the file's first bytes, not its name (an upload may be named anything):
an XLSX is a zip. A CSV's separator is the one its header line uses (Excel in an Indonesian
locale writes `;`). A file that cannot be read raises `Unreadable`, naming what to do.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ZIP_MAGIC = b"PK\x03\x04"
Row = tuple[int, list[Any]]  # (row number in the file, the header row being 1; its cells)


class Unreadable(Exception):
    """The roster file cannot be read at all (nothing of it is applied); key and params of core.text.i18n."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(key)


@dataclass
class Sheet:
    """The header's cells and an iterator over the rows after it; `close()` when done."""

    header: list[Any]
    rows: Iterator[Row]
    _close: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for closer in self._close:
            closer()


def open_sheet(path: Path) -> Sheet:
    """Open `path` (CSV or XLSX) at its header row; raises Unreadable."""
    try:
        with open(path, "rb") as probe:
            head = probe.read(4)
    except OSError as exc:
        raise Unreadable("roster.unreadable.open", file=path.name, reason=exc.strerror or str(exc)) from None
    return _open_xlsx(path) if head == ZIP_MAGIC else _open_csv(path)


def _open_csv(path: Path) -> Sheet:
    # utf-8-sig: a leading BOM is dropped. Not `with`: the rows are read after this returns.
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    try:
        first = handle.readline()
    except UnicodeDecodeError:
        handle.close()
        raise Unreadable("roster.unreadable.encoding", file=path.name, row=1) from None
    if not first.strip():
        handle.close()
        raise Unreadable("roster.unreadable.empty", file=path.name)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    reader = csv.reader(handle, delimiter=delimiter)

    def rows() -> Iterator[Row]:
        number = 1
        try:
            for cells in reader:
                number = reader.line_num + 1  # the header line was read before the reader
                if any(c.strip() for c in cells):  # blank lines are not rows
                    yield number, cells
        except UnicodeDecodeError:
            raise Unreadable("roster.unreadable.encoding", file=path.name, row=number + 1) from None
        except csv.Error as exc:
            raise Unreadable("roster.unreadable.csv", file=path.name, row=number + 1,
                             reason=str(exc)) from None

    return Sheet(header, rows(), [handle.close])


def _open_xlsx(path: Path) -> Sheet:
    try:
        # read_only streams the sheet's XML; data_only gives a formula's last value, not its text
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = list(next(cells, None) or ())
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        reason = str(exc) or type(exc).__name__
        raise Unreadable("roster.unreadable.xlsx", file=path.name, reason=reason) from None
    if not any(header):
        book.close()
        raise Unreadable("roster.unreadable.empty", file=path.name)

    def rows() -> Iterator[Row]:
        for number, values in enumerate(cells, start=2):
            if any(v is not None and str(v).strip() for v in values):
                yield number, list(values)

    return Sheet(header, rows(), [book.close])
