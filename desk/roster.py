"""The roster as a person may import, see and export it (contract section 8).

Each function takes the acting user's name, reads their role and kabupaten desk from the
database (`desk.acting`, `desk.scope`) and works within it; `None` is the operator at the
command line, who sees the whole province. NIKs are masked for a role that may not see them
(`desk.masking`). An import writes its audit row in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from core.audit import audit
from core.context import AppContext
from core.files.sheets import XlsxSheet, write_csv
from core.roster.importing import ImportResult, import_roster
from core.roster.queries import EXPORT_FIELDS, RosterFilter, export_rows, roster_page
from core.roster.rows import HEADERS
from desk.acting import acting_user
from desk.masking import mask_row, sees_full
from desk.permissions import Action
from desk.scope import codes_of
from models import User

CLI = "cli"  # the audit trail's name for the operator at the command line
DOWNLOAD_KINDS = ("csv", "xlsx")
DATES = ("start", "end")


def actor(username: str | None, action: Action) -> User | None:
    """The active user `username` allowed to `action` (raises Refused), or None for the command line."""
    return None if username is None else acting_user(username, action)


def import_file(ctx: AppContext, path: Path, username: str | None, *, rejected: IO[str] | None = None,
                name: str | None = None) -> ImportResult:
    """Import the roster file at `path` for `username`; raises Refused, or Unreadable (nothing applied)."""
    user = actor(username, Action.IMPORT_ROSTER)

    def record(result: ImportResult) -> None:
        audit("ROSTER_IMPORT", username=username or CLI, target=result.file,
              details={"added": result.added, "updated": result.updated, "rejected": result.rejected})

    return import_roster(path, ctx.reference, rejected=rejected, name=name, kabupaten_scope=codes_of(user),
                         record=record)


def page_for(username: str, roster_filter: RosterFilter, *, page: int = 1, per_page: int = 25,
             sort: str | None = None, descending: bool = False) -> tuple[list[dict[str, Any]], int]:
    """One page of the roster `username` may see, NIKs masked for their role; and how many match."""
    user = acting_user(username, Action.VIEW)
    rows, total = roster_page(roster_filter, codes_of(user), page=page, per_page=per_page, sort=sort,
                              descending=descending)
    return [mask_row(user.role, row) for row in rows], total


def export_for(username: str | None, roster_filter: RosterFilter | None = None) -> Iterator[dict[str, Any]]:
    """The roster's export rows (raw codes, ISO dates) `username` may see; None: the command line."""
    user = actor(username, Action.EXPORT)
    rows = export_rows(roster_filter or RosterFilter(), codes_of(user))
    return rows if user is None else (mask_row(user.role, row) for row in rows)


def download_file(username: str, roster_filter: RosterFilter, kind: str) -> Path:
    """The roster `username` may see (their desk; NIKs masked for their role) as a file for people,
    audited; the caller deletes it. The import's own headers and values (codes, `DD/MM/YYYY` in a `;`
    CSV with a BOM, real date cells in XLSX), so a downloaded file, corrected, imports again."""
    if kind not in DOWNLOAD_KINDS:
        raise ValueError(kind)
    user = acting_user(username, Action.EXPORT)
    rows = (_dated(mask_row(user.role, row)) for row in export_rows(roster_filter, codes_of(user)))
    titles = [HEADERS[name] for name in EXPORT_FIELDS]
    if kind == "csv":
        handle, path = tempfile.mkstemp(prefix="peserta-", suffix=".csv")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            text_rows = ({k: v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for k, v in row.items()}
                         for row in rows)
            count = write_csv(out, EXPORT_FIELDS, text_rows, bom=True, delimiter=";", titles=titles)
    else:  # write-only: flat memory however long the roster
        formats = ["dd/mm/yyyy" if name in DATES else None for name in EXPORT_FIELDS]
        sheet = XlsxSheet("Peserta", titles, formats)
        for row in rows:
            sheet.append([row[name] for name in EXPORT_FIELDS])
        path, count = sheet.save_temporary("peserta-"), sheet.rows
    audit("EXPORT", username=username, target=f"peserta.{kind}",
          details={"filter": {k: v for k, v in asdict(roster_filter).items() if v}, "rows": count,
                   "masked": not sees_full(user.role)})
    return Path(path)


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{name: dt.date.fromisoformat(row[name]) if row[name] else None for name in DATES}}
