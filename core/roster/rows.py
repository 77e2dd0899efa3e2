"""One roster row checked against contract section 8: the columns, their headers and their rules.

Rows come from a CSV (every value text) or an XLSX (text, numbers, date cells), so each rule
first turns the cell into text the way a person typed it. A bad row is reported per column
with a message key of `core.text.i18n` (row number, column, reason) and skipped; the import
goes on. Speed matters (a million rows in under two minutes): the NIK is one C-level regular
expression match (`core.files.layout.fields.nik`) and stdnum runs only to explain a refusal;
dates are parsed once per distinct text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.files.layout.fields.base import CONTROL_CLASS
from core.files.layout.fields.nik import NIK_FRAGMENT, nik_problem
from core.reference import Reference

# Who pays the worker's contribution (section 8): the codes, also accepted as words with spaces.
FUNDING = ("APBD_PROVINSI", "APBD_KABUPATEN", "CSR", "MANDIRI")
NAME_MAX = 100
VILLAGE_MAX = 100

_NIK = re.compile(NIK_FRAGMENT)
_KPJ = re.compile(r"[0-9]{11}")
_CONTROL = re.compile(f"[{CONTROL_CLASS}]")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Column:
    field: str  # Participant field
    header: str  # the header people write (matched ignoring case and spaces)
    required: bool = True  # the header must be there (a cell of an optional column may be empty)


COLUMNS = (
    Column("kpj", "KPJ"), Column("nik", "NIK"), Column("name", "Nama"),
    Column("kabupaten_code", "Kode Kabupaten"), Column("village", "Desa/Kelurahan", required=False),
    Column("occupation", "Pekerjaan"), Column("start", "Mulai"), Column("end", "Berakhir", required=False),
    Column("funding", "Sumber Dana"),
)
HEADERS = {column.field: column.header for column in COLUMNS}


def header_key(text: Any) -> str:
    """A header as matched: lower case, no spaces at all (`Kode  kabupaten` = `KODEKABUPATEN`)."""
    return _SPACES.sub("", str(text or "")).lower()


COLUMN_BY_KEY = {header_key(column.header): column for column in COLUMNS}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell: its column's header, a message key and the key's parameters."""

    column: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


class RowChecker:
    """Turns the cells of a row (by field) into a Participant's values, or says what is wrong."""

    def __init__(self, reference: Reference, kabupaten_scope: Collection[str] | None = None):
        self.kabupaten = reference.codes("kabupaten")
        self.kabupaten_names = reference.options("kabupaten")
        self.scope = None if kabupaten_scope is None else frozenset(kabupaten_scope)
        # an occupation is its code or its Indonesian label, in any case
        self.occupations = {code.lower(): code for code in reference.codes("occupation")}
        labels = reference.options("occupation")
        self.occupations.update({label.lower(): code for code, label in labels.items()})
        self.funding = {code.lower(): code for code in FUNDING}
        self.funding.update({code.replace("_", " ").lower(): code for code in FUNDING})

    def check(self, cells: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
        """(the row's values, []) when the row is good; (None, its problems) when not."""
        problems: list[Problem] = []
        # a CSV cell is already text: strip it here, the one call per cell a million rows can afford
        text = {name: cell.strip() if type(cell := cells.get(name)) is str else cell_text(cell)
                for name in HEADERS}
        kpj, nik, name = text["kpj"], text["nik"], text["name"]
        if not _KPJ.fullmatch(kpj):
            problems.append(Problem(HEADERS["kpj"], "roster.error.kpj", {"value": kpj}))
        if not _NIK.fullmatch(nik):
            problems.append(Problem(HEADERS["nik"], "roster.error.nik",
                                    {"problem": nik_problem(nik) or "-"}))
        self._text(problems, "name", name, required=True, longest=NAME_MAX)
        self._text(problems, "village", text["village"], required=False, longest=VILLAGE_MAX)
        kabupaten = text["kabupaten_code"]
        if kabupaten not in self.kabupaten:
            problems.append(Problem(HEADERS["kabupaten_code"], "roster.error.kabupaten",
                                    {"value": kabupaten}))
        elif self.scope is not None and kabupaten not in self.scope:  # a kabupaten desk imports its own
            problems.append(Problem(HEADERS["kabupaten_code"], "roster.error.out_of_scope",
                                    {"value": kabupaten, "desk": ", ".join(sorted(self.scope))}))
        occupation = self.occupations.get(_SPACES.sub(" ", text["occupation"]).lower())
        if occupation is None:
            problems.append(Problem(HEADERS["occupation"], "roster.error.occupation",
                                    {"value": text["occupation"]}))
        funding = self.funding.get(_SPACES.sub(" ", text["funding"]).lower())
        if funding is None:
            problems.append(Problem(HEADERS["funding"], "roster.error.funding",
                                    {"value": text["funding"], "codes": ", ".join(FUNDING)}))
        start = self._date(problems, "start", cells.get("start"), required=True)
        end = self._date(problems, "end", cells.get("end"), required=False)
        if start and end and end < start:
            problems.append(Problem(HEADERS["end"], "roster.error.end_before_start",
                                    {"end": end.isoformat(), "start": start.isoformat()}))
        if problems:
            return None, problems
        return {"kpj": kpj, "nik": nik, "name": name, "kabupaten_code": kabupaten,
                "village": text["village"] or None, "occupation": occupation, "start": start, "end": end,
                "funding": funding}, []

    def elsewhere(self, kpj: str, code: str) -> Problem:
        """The KPJ is enrolled in kabupaten/kota `code`, outside the desk: its row may not overwrite it."""
        return Problem(HEADERS["kpj"], "roster.error.kpj_elsewhere",
                       {"kpj": kpj, "code": code, "kabupaten": self.kabupaten_names.get(code, code),
                        "desk": ", ".join(sorted(self.scope or ()))})

    @staticmethod
    def _text(problems: list[Problem], name: str, value: str, *, required: bool, longest: int) -> None:
        if required and not value:
            problems.append(Problem(HEADERS[name], "roster.error.empty"))
        elif len(value) > longest:
            problems.append(Problem(HEADERS[name], "roster.error.too_long",
                                    {"max": longest, "count": len(value)}))
        elif _CONTROL.search(value):  # a control or bidi character would show the name reordered
            problems.append(Problem(HEADERS[name], "roster.error.control"))

    @staticmethod
    def _date(problems: list[Problem], name: str, cell: Any, *, required: bool) -> dt.date | None:
        if type(cell) is str and cell:  # the common case first: a CSV's text
            day = parse_date(cell.strip())
            if day is not None:
                return day
        if isinstance(cell, dt.datetime):  # an Excel date cell
            return cell.date()
        if isinstance(cell, dt.date):
            return cell
        value = cell_text(cell)
        if not value:
            if required:
                problems.append(Problem(HEADERS[name], "roster.error.empty"))
            return None
        day = parse_date(value)
        if day is None:
            problems.append(Problem(HEADERS[name], "roster.error.date", {"value": value}))
        return day


def cell_text(cell: Any) -> str:
    """A cell as the text a person typed: a whole number without `.0`, a date cell as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


@lru_cache(maxsize=4096)  # a roster repeats its dates: parse each distinct text once
def parse_date(value: str) -> dt.date | None:
    """`YYYY-MM-DD` or `DD/MM/YYYY` (also `D/M/YYYY`) as a date; None when neither or no such day."""
    match = _ISO.fullmatch(value)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY.fullmatch(value)
        if not match:
            return None
        day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
