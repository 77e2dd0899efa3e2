"""Database binding, migrations and the write transaction every state change goes through.

SQLite: WAL, foreign keys, and `BEGIN IMMEDIATE` for every transaction, so a
read-then-write under concurrent threads waits for the lock instead of failing with
"database is locked" (stack notes: 314 of 800 failed with plain BEGIN).
PostgreSQL: READ COMMITTED loses read-then-write updates, so code that decides a write
from a read locks the row with `for_update()` (see `lock_row`) or uses conditional updates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from peewee import Database, Model, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrations import Runner

from models import ALL_MODELS, db

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 30000,
    "cache_size": -64000,
}

M = TypeVar("M", bound=Model)


def open_database(url: str, project_root: Path | None = None) -> Database:
    """Build (not yet connect) the database for a URL; relative SQLite paths hang off the project root."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and project_root:
        path = project_root / url[len("sqlite:///"):]
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    if url.startswith("sqlite"):
        # check_same_thread off: peewee keeps one connection per thread itself.
        return connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=30,
                       check_same_thread=False)
    return connect(url)


def init_db(url: str, project_root: Path | None = None, migrate: bool = True) -> Database:
    """Bind the models to the database at `url` and apply pending migrations."""
    database = open_database(url, project_root)
    db.initialize(database)
    if migrate:
        apply_migrations(database)
    return database


def apply_migrations(database: Database) -> list[str]:
    """Apply pending schema migrations; returns their names. Safe to call at every start."""
    with database.connection_context():
        applied = Runner(database, str(MIGRATIONS_DIR)).up()
    if applied:
        log.info("migrasi skema diterapkan: %s", ", ".join(applied))
    return applied


def is_sqlite(database: Database | None = None) -> bool:
    return isinstance(database or db.obj, SqliteDatabase)


def is_postgres(database: Database | None = None) -> bool:
    return isinstance(database or db.obj, PostgresqlDatabase)


@contextmanager
def write_tx() -> Iterator[None]:
    """One write transaction (IMMEDIATE on SQLite); nested calls become savepoints."""
    with db.atomic():
        yield


def lock_row(model: type[M], *where: Any) -> M | None:
    """Fetch one row for a decision that leads to a write; locks it on PostgreSQL.

    SQLite needs no row lock: `BEGIN IMMEDIATE` already serialises writers.
    Call inside `write_tx()`.
    """
    query = model.select().where(*where)
    if is_postgres():
        query = query.for_update()
    return query.first()


def bulk_insert(model: type[Model], rows: list[dict[str, Any]], chunk: int = 5000) -> int:
    """Insert many rows with one prepared statement (executemany); returns the row count.

    peewee's insert_many builds SQL per row, which dominates at 100k+ rows; on PostgreSQL
    the rows go through COPY. Every row must
    carry the keys of the first one (missing keys become NULL). Call inside `write_tx()`.
    """
    if not rows:
        return 0
    fields = [model._meta.fields[name] for name in rows[0]]
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    params = ", ".join([db.obj.param] * len(fields))
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({params})'
    converters = [(f.name, f.db_value) for f in fields]
    cursor = db.cursor()
    if is_postgres():  # COPY streams the rows: several times faster than executemany
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(tuple(conv(row.get(name)) for name, conv in converters))
        return len(rows)
    for start in range(0, len(rows), chunk):
        cursor.executemany(sql, [tuple(conv(row.get(name)) for name, conv in converters)
                                 for row in rows[start:start + chunk]])
    return len(rows)


def drop_all(database: Database) -> None:
    """Drop every table (tests only)."""
    database.drop_tables(ALL_MODELS, safe=True, cascade=is_postgres(database))
    database.execute_sql("DROP TABLE IF EXISTS schema_migration")
