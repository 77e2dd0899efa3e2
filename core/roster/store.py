"""Writing roster rows: an upsert by KPJ, a chunk at a time, on SQLite and PostgreSQL.

`INSERT ... ON CONFLICT (kpj) DO UPDATE` is the same statement on both (SQLite 3.24+), so a
re-import updates a worker's row and never duplicates it, and `created_at` keeps the day the
worker was first imported. PostgreSQL takes the chunk through COPY into a temporary table and
one INSERT ... SELECT (executemany of single upserts is several times slower there), the way
`core.db.bulk_insert` takes its rows. Call inside `write_tx()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from core.db import in_values, is_postgres
from core.roster.tables import Participant
from models import db

COLUMNS = ("kpj", "nik", "name", "kabupaten_code", "village", "occupation", "start", "end", "funding",
           "created_at", "updated_at")
_LIST = ", ".join(f'"{c}"' for c in COLUMNS)  # quoted: "end" is a reserved word in SQL
_UPDATE = ", ".join(f'"{c}" = excluded."{c}"' for c in COLUMNS if c not in ("kpj", "created_at"))
_CONFLICT = f'ON CONFLICT ("kpj") DO UPDATE SET {_UPDATE}'
LOAD_TABLE = "roster_load"


def upsert(rows: Sequence[dict[str, Any]], now: dt.datetime) -> tuple[int, int]:
    """Write `rows` (checked Participant values), each by its kpj; returns (added, updated).

    A kpj twice in `rows` is one worker: the later row wins and counts as an update.
    """
    if not rows:
        return 0, 0
    by_kpj: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_kpj[row["kpj"]] = row
    known = {kpj for (kpj,) in Participant.select(Participant.kpj)
             .where(in_values(Participant.kpj, by_kpj)).tuples()}
    added = len(by_kpj.keys() - known)
    if is_postgres():
        _upsert_postgres([(r["kpj"], r["nik"], r["name"], r["kabupaten_code"], r["village"], r["occupation"],
                           r["start"], r["end"], r["funding"], now, now) for r in by_kpj.values()])
    else:
        # sqlite3's default date adapters are deprecated (Python 3.12): ISO text, as peewee stores it
        stamp = now.isoformat(" ")
        _upsert_sqlite([(r["kpj"], r["nik"], r["name"], r["kabupaten_code"], r["village"], r["occupation"],
                         r["start"].isoformat(), r["end"] and r["end"].isoformat(), r["funding"], stamp,
                         stamp) for r in by_kpj.values()])
    return added, len(rows) - added


def registered_elsewhere(kpjs: Collection[str], scope: Collection[str] | None) -> dict[str, str]:
    """kpj -> kabupaten code of those of `kpjs` already enrolled outside `scope` (None: the province,
    nothing is outside it)."""
    if scope is None or not kpjs:
        return {}
    return dict(Participant.select(Participant.kpj, Participant.kabupaten_code)
                .where(in_values(Participant.kpj, kpjs), Participant.kabupaten_code.not_in(list(scope)))
                .tuples())


def _upsert_sqlite(values: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" * len(COLUMNS))
    db.cursor().executemany(f'INSERT INTO "participant" ({_LIST}) VALUES ({marks}) {_CONFLICT}', values)


def _upsert_postgres(values: list[tuple[Any, ...]]) -> None:
    cursor = db.cursor()
    # one temporary table per transaction, emptied per chunk; dropped at commit
    cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS {LOAD_TABLE} ON COMMIT DROP AS '
                   f'SELECT {_LIST} FROM "participant" WITH NO DATA')
    cursor.execute(f"TRUNCATE {LOAD_TABLE}")
    with cursor.copy(f"COPY {LOAD_TABLE} ({_LIST}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)
    cursor.execute(f'INSERT INTO "participant" ({_LIST}) SELECT {_LIST} FROM {LOAD_TABLE} {_CONFLICT}')
