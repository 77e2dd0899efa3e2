"""Database binding, migrations and the write transaction every state change goes through.

SQLite: WAL, foreign keys, and `BEGIN IMMEDIATE` for every transaction, so a
read-then-write under concurrent threads waits for the lock instead of failing with
"database is locked" (stack notes: 314 of 800 failed with plain BEGIN).
PostgreSQL: READ COMMITTED loses read-then-write updates, so code that decides a write
from a read locks the row with `for_update()` (see `lock_row`) or uses conditional updates.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from peewee import (
    SQL,
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    Expression,
    Field,
    ForeignKeyField,
    IntegerField,
    Model,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
    fn,
)
from playhouse.db_url import connect
from playhouse.migrations import Runner

from core.turnstile import is_background, turn
from models import db

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 30000,
    "cache_size": -64000,
    # Every ANALYZE (bank_push's, PRAGMA optimize's) samples instead of reading whole
    # tables and indexes: payout_instruction grows by every batch ever sent.
    "analysis_limit": 1000,
}

# PostgreSQL: a table is analysed after a job when more than STALE_ROWS + STALE_SHARE of its rows
# changed since its last analysis (autovacuum's own defaults, autovacuum_analyze_threshold and
# autovacuum_analyze_scale_factor).
STALE_ROWS, STALE_SHARE = 50, 0.1

JOB_POLL_MS = 50  # a job's busy wait between two looks at the turnstile (core/turnstile.py)

M = TypeVar("M", bound=Model)
T = TypeVar("T")


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
    """One write transaction (IMMEDIATE on SQLite); nested calls become savepoints.

    On a SQLite file the outermost BEGIN passes the turnstile (core/turnstile.py): a person's
    write waits for the transaction holding the database now, not for a job's whole run."""
    path = _turnstile_path()
    with ExitStack() as stack:
        if path is None:
            stack.enter_context(db.atomic())
        elif is_background():
            _begin_giving_way(stack, path)
        else:
            with turn(path):
                stack.enter_context(db.atomic())
        yield


def _begin_giving_way(stack: ExitStack, path: str) -> None:
    """A job's BEGIN: short waits, each after the turnstile, within the connection's busy timeout.

    SQLite's own busy wait would keep a job that queued for the lock ahead of a person who came
    later: with two jobs taking turns a login waited for two of their transactions, not one."""
    (timeout_ms,) = db.execute_sql("PRAGMA busy_timeout").fetchone()
    deadline = time.monotonic() + timeout_ms / 1000
    db.execute_sql(f"PRAGMA busy_timeout = {min(JOB_POLL_MS, timeout_ms)}")
    try:
        while True:
            with turn(path):  # a background writer waits here while a person waits for the lock
                pass
            try:
                stack.enter_context(db.atomic())
                return
            except OperationalError as exc:
                if not is_lock_conflict(exc) or time.monotonic() >= deadline:
                    raise
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def _turnstile_path() -> str | None:
    """The database file of an outermost SQLite write transaction (None: no turnstile)."""
    if db.transaction_depth() or not is_sqlite():
        return None
    path = db.obj.database
    return None if path in ("", ":memory:") or path.startswith("file:") else path


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
    the rows go through COPY. Every row must carry the keys of the first one (missing keys
    become NULL). A value already of its column's Python type goes to the driver as it is;
    anything else goes through the field's `db_value`, as peewee would. Call inside `write_tx()`.
    """
    if not rows:
        return 0
    fields = [model._meta.fields[name] for name in rows[0]]
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    params = ", ".join([db.obj.param] * len(fields))
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({params})'
    values = _row_values(fields, text_times=is_sqlite())
    cursor = db.cursor()
    if is_postgres():  # COPY streams the rows: several times faster than executemany
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(values(row))
        return len(rows)
    for start in range(0, len(rows), chunk):
        cursor.executemany(sql, [values(row) for row in rows[start:start + chunk]])
    return len(rows)


# The Python type each field class stores as is; peewee's db_value is an identity on these.
_NATIVE: dict[type[Field], type] = {
    CharField: str, TextField: str, IntegerField: int, BigIntegerField: int, AutoField: int,
    ForeignKeyField: int, BooleanField: bool, DateTimeField: dt.datetime, DateField: dt.date,
}


def _row_values(fields: list[Field], text_times: bool) -> Callable[[dict[str, Any]], list[Any]]:
    """row dict -> the driver's values for these columns.

    A value already of its column's Python type is passed as is, any other goes through
    the field's `db_value`. text_times (SQLite): dates and times go as the ISO text
    sqlite3's default adapter would write (deprecated since Python 3.12), converted once
    per distinct value: the rows of one bulk insert mostly share the same "now".
    A plain loop over the columns: generating the source of this function per column saved
    only 0.2-0.6 microseconds a row (100k claims and their events: under 0.1 s of bpjs_pull's 9 s).
    """
    texts: dict[Any, str] = {}

    def as_text(value: dt.date) -> str:
        text = texts.get(value)
        if text is None:
            if len(texts) > 10_000:  # many distinct values (verified_at, say): keep the memory flat
                texts.clear()
            text = texts[value] = value.isoformat(" ") if type(value) is dt.datetime else value.isoformat()
        return text

    columns = tuple((f.name, _NATIVE.get(type(f)), f.db_value,
                     text_times and isinstance(f, DateField | DateTimeField)) for f in fields)

    def values(row: dict[str, Any]) -> list[Any]:
        get = row.get
        out = []
        for name, native, db_value, is_time in columns:
            value = get(name)
            if value is not None:
                if type(value) is not native:
                    value = db_value(value)
                if is_time and value is not None:
                    value = as_text(value)
            out.append(value)
        return out

    return values


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for `count` rows about to be bulk-inserted with explicit ids.

    Knowing the ids up front saves reading them back (by a unique key) to link child
    rows. SQLite: the next ids after the largest; safe because the caller holds the write
    lock (`write_tx()` is BEGIN IMMEDIATE). PostgreSQL: taken from the table's sequence, so
    concurrent inserts elsewhere never collide. Call inside `write_tx()`.
    """
    if count <= 0:
        return []
    table, pk = model._meta.table_name, model._meta.primary_key.column_name
    if is_postgres():
        cursor = db.execute_sql(
            f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', '{pk}')) FROM generate_series(1, %s)",
            (count,))
        return [row[0] for row in cursor.fetchall()]
    top = db.execute_sql(f'SELECT MAX("{pk}") FROM "{table}"').fetchone()[0] or 0
    return list(range(top + 1, top + count + 1))


def in_values(field: Field, values: Iterable[Any]) -> Expression:
    """`field IN (values)` sent as ONE parameter (a JSON array on SQLite, an array on PostgreSQL).

    peewee's `in_()` renders a placeholder per value: for the 5,000 keys of an intake chunk
    that SQL building cost more than the lookup. Both forms still use the field's index.
    """
    values = list(values)
    if is_postgres():
        return field == fn.ANY(SQL("%s", [values]))
    return field.in_(SQL("(SELECT value FROM json_each(?))", [json.dumps(values)]))


def is_lock_conflict(exc: BaseException) -> bool:
    """A write that waited out the lock (SQLite's busy timeout) or lost a deadlock (PostgreSQL)."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in text or "deadlock detected" in text)


def retry_when_locked(work: Callable[[], T], *, attempts: int = 4, pause: float = 2.0,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """`work()`, tried again (after `pause`, doubling) while the database refuses it for a lock.

    For the writes that record what happened (a job run, its outcome): each try already
    waited the busy timeout, so a long writer elsewhere has minutes to finish before the
    error is let through.
    """
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if not is_lock_conflict(exc) or attempt == attempts - 1:
                raise
            log.warning("basis data terkunci; dicoba lagi dalam %.1f dtk (%d/%d)", pause * 2**attempt,
                        attempt + 1, attempts - 1)
            sleep(pause * 2**attempt)
    raise AssertionError("unreachable")


def refresh_statistics() -> None:
    """Let the planner know what the tables hold now; called after every job run.

    SQLite keeps no statistics by itself, and without them it once took the batch's
    index for a per-claim look-up (quadratic at 100k claims). `PRAGMA optimize` analyses
    only the tables this connection queried whose statistics are missing or far behind
    (otherwise it costs nothing); `analysis_limit` (SQLITE_PRAGMAS) bounds it on a
    1,000,000-claim table. PostgreSQL: the tables changed by more than autovacuum's own
    threshold since their last analysis are analysed now (STALE_SHARE). Autovacuum would
    too, but at its next round, a minute or more later: bank_push run right after an intake
    of 100,000 claims was planned on the old figures (READY: 56 claims, not 100,000) and
    checked each READY claim against its 25,000 ids one by one (8.4 s for its first batch,
    1.4 s for the next, benchmarks/cycle.py).
    """
    if is_sqlite():
        db.execute_sql("PRAGMA optimize")
        return
    stale = db.execute_sql(
        "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
        "AND n_mod_since_analyze > %s + %s * n_live_tup", (STALE_ROWS, STALE_SHARE))
    for (table,) in stale.fetchall():
        db.execute_sql(f'ANALYZE "{table}"')
