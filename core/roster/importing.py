"""`roster import`: a roster file checked row by row and upserted by KPJ (contract section 8).

A bad row is reported (row number, column, reason) and skipped, and, when asked, written to
the rejected file as it was plus a `Kesalahan` column, through the one CSV writer
(`core.files.sheets`), so it can be fixed and imported again. A file that cannot be read or
lacks a required header applies nothing: the header is checked, then the whole file is read
once without writing (an unreadable line half-way stops it there), and only then are the rows
applied, a chunk per transaction. One transaction for a 1,000,000-row file held SQLite's one
write lock for minutes, so the nightly jobs and the web logins waited or failed (hardening,
finding 5). A crash half-way leaves the first chunks applied; importing the file again
converges, as rows are upserted by KPJ. Memory stays flat: rows are read, checked and
written a chunk at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from core.db import write_tx
from core.files.sheets import write_csv
from core.reference import Reference
from core.roster.reading import Sheet, Unreadable, open_sheet
from core.roster.rows import COLUMN_BY_KEY, COLUMNS, Problem, RowChecker, cell_text, header_key
from core.roster.store import registered_elsewhere, upsert
from core.text import i18n
from models import utcnow

CHUNK = 5000
KEPT_PROBLEMS = 1000  # row reports kept for the screen and the terminal; all go to the rejected file
REJECTED_COLUMN = "Kesalahan"


@dataclass(frozen=True)
class RowReport:
    row: int
    problems: tuple[Problem, ...]

    def reasons(self, lang: str = "id") -> str:
        """`kolom NIK: ...; kolom Mulai: ...` (the rejected file's Kesalahan)"""
        return "; ".join(i18n.t("roster.row_problem", lang, column=p.column,
                                reason=i18n.t(p.key, lang, **p.params)) for p in self.problems)

    def text(self, lang: str = "id") -> str:
        """`Baris 7: kolom NIK: ...; kolom Mulai: ...`"""
        return i18n.t("roster.row", lang, row=self.row, problems=self.reasons(lang))


@dataclass
class ImportResult:
    file: str
    added: int = 0
    updated: int = 0
    rejected: int = 0
    reports: list[RowReport] = field(default_factory=list)  # the first KEPT_PROBLEMS bad rows

    def summary(self, lang: str = "id") -> str:
        return i18n.t("roster.imported", lang, file=self.file, added=self.added, updated=self.updated,
                      rejected=self.rejected)


def import_roster(path: Path, reference: Reference, *, rejected: IO[str] | None = None,
                  name: str | None = None, kabupaten_scope: Collection[str] | None = None,
                  record: Callable[[ImportResult], object] | None = None, chunk: int = CHUNK,
                  now: Callable[[], dt.datetime] = utcnow) -> ImportResult:
    """Import the roster at `path`; raises Unreadable (then nothing is applied).

    `rejected`: where the rejected rows go, as CSV. `name`: the file's name as the person knows
    it (an upload's), for the messages. `kabupaten_scope`: a kabupaten desk's codes; a row of
    another kabupaten/kota is rejected. `record(result)` runs in the import's transaction (its
    audit row: both or neither).
    """
    name = name or path.name
    _read_through(path, name)
    sheet = open_sheet(path)
    try:
        positions = _positions(sheet, name)
        checker = RowChecker(reference, kabupaten_scope)
        result = _apply(sheet, positions, checker, rejected, name, chunk, now())
    finally:
        sheet.close()
    if record is not None:
        with write_tx():
            record(result)
    return result


def _read_through(path: Path, name: str) -> None:
    """Read every row once, writing nothing: raises Unreadable before anything is applied."""
    sheet = open_sheet(path)
    try:
        _positions(sheet, name)
        for _row in sheet.rows:
            pass
    finally:
        sheet.close()


def _positions(sheet: Sheet, name: str) -> dict[str, int]:
    """field -> its column index; raises Unreadable naming the required headers missing."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(sheet.header):
        column = COLUMN_BY_KEY.get(header_key(cell_text(cell)))
        if column and column.field not in positions:
            positions[column.field] = index
    missing = [c.header for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        raise Unreadable("roster.unreadable.headers", file=name, missing=", ".join(missing),
                         expected=", ".join(c.header for c in COLUMNS))
    return positions


def _apply(sheet: Sheet, positions: dict[str, int], checker: RowChecker, rejected: IO[str] | None,
           name: str, chunk: int, now: dt.datetime) -> ImportResult:
    result = ImportResult(name)
    keys = [str(i) for i in range(len(sheet.header))] + [REJECTED_COLUMN]
    if rejected is not None:  # the header as it was, through the one writer, plus Kesalahan
        write_csv(rejected, keys, [_line(keys, sheet.header, REJECTED_COLUMN)], header=False, bom=True)
    batch = _Chunk(result, keys, rejected, checker, now)
    for number, cells in sheet.rows:
        n = len(cells)
        values, problems = checker.check({f: cells[i] if i < n else None for f, i in positions.items()})
        if values is not None:
            batch.good.append((number, cells, values))
        else:
            batch.reject(number, cells, problems)
        if len(batch.good) >= chunk or len(batch.bad) >= chunk:
            batch.flush()
    batch.flush()
    result.reports.sort(key=lambda report: report.row)
    return result


@dataclass
class _Chunk:
    """The rows read since the last write: the good ones (row number, cells, values), the rejected lines."""

    result: ImportResult
    keys: list[str]
    rejected: IO[str] | None
    checker: RowChecker
    now: dt.datetime
    good: list[tuple[int, list[Any], dict[str, Any]]] = field(default_factory=list)
    bad: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def reject(self, number: int, cells: list[Any], problems: list[Problem]) -> None:
        report = RowReport(number, tuple(problems))
        self.result.rejected += 1
        if len(self.result.reports) < KEPT_PROBLEMS:
            self.result.reports.append(report)
        if self.rejected is not None:
            self.bad.append((number, _line(self.keys, cells, report.reasons("id"))))

    def flush(self) -> None:
        with write_tx():  # one chunk: a short hold of the write lock
            # A kabupaten desk may not overwrite a worker enrolled in another kabupaten/kota (section 8):
            # checked in the same transaction as the upsert, so no other import slips in between.
            elsewhere = registered_elsewhere([v["kpj"] for _, _, v in self.good], self.checker.scope)
            rows = []
            for number, cells, values in self.good:
                kpj = values["kpj"]
                if kpj in elsewhere:
                    self.reject(number, cells, [self.checker.elsewhere(kpj, elsewhere[kpj])])
                else:
                    rows.append(values)
            added, updated = upsert(rows, self.now)
        self.result.added += added
        self.result.updated += updated
        if self.rejected is not None and self.bad:
            write_csv(self.rejected, self.keys, [line for _, line in sorted(self.bad, key=lambda b: b[0])],
                      header=False)
        self.good.clear()
        self.bad.clear()


def _line(keys: list[str], cells: list[Any], reason: str) -> dict[str, Any]:
    """A rejected row as it was (an Excel date cell as its date), then the reason."""
    line: dict[str, Any] = {key: _as_was(cell) for key, cell in zip(keys[:-1], cells, strict=False)}
    line[REJECTED_COLUMN] = reason
    return line


def _as_was(cell: Any) -> Any:
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date()
    return cell
