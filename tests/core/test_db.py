import datetime as dt
import importlib
import re

import pytest
from peewee import CharField, ForeignKeyField, SqliteDatabase

from core.db import (
    MIGRATIONS_DIR,
    apply_migrations,
    bulk_insert,
    is_postgres,
    lock_row,
    refresh_statistics,
    write_tx,
)
from core.reference import load_reference
from core.schema import TABLES
from core.settings import PROJECT_ROOT
from models import AuditLog, Claim, Counter, Worker
from tests.factories import make_claim, race


def test_migrations_are_applied_once(database):
    assert apply_migrations(database) == []
    assert "claim" in database.get_tables()
    applied = [name for (name,) in database.execute_sql("SELECT name FROM schema_migration ORDER BY name")]
    assert applied == sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert applied[:2] == ["0001_initial", "0002_leaner_indexes"] and "0004_payment_due_date" in applied


def test_migrated_schema_has_exactly_the_indexes_the_models_declare(database):
    """Migrations are the schema; the models document it. A drift in either shows here."""
    declared = SqliteDatabase(":memory:")
    with declared.bind_ctx(TABLES):
        declared.create_tables(TABLES)
        expected = {model: _indexes(declared, model) for model in TABLES}
    for model, indexes in expected.items():
        assert _indexes(database, model) == indexes, model._meta.table_name


def test_migrated_schema_gives_every_text_column_the_width_the_model_declares(database):
    """PostgreSQL enforces varchar widths: a column narrower than its model field refuses real values."""
    for model in TABLES:
        declared = {f.column_name: f.max_length for f in model._meta.sorted_fields
                    if isinstance(f, CharField) and not isinstance(f, ForeignKeyField)}
        assert _widths(database, model._meta.table_name, declared) == declared, model._meta.table_name


def test_the_longest_relation_code_is_stored_whole(database):
    longest = max(load_reference(PROJECT_ROOT / "config" / "reference.yaml").codes("beneficiary_relation"),
                  key=len)
    assert longest == "FUNERAL_ORGANISER"
    with write_tx():
        claim = make_claim(beneficiary_relation=longest)
    assert Claim.get_by_id(claim.id).beneficiary_relation == longest


def _widths(database, table: str, columns) -> dict[str, int | None]:
    if is_postgres(database):
        rows = database.execute_sql(
            "SELECT column_name, character_maximum_length FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = current_schema()", (table,)).fetchall()
        widths = dict(rows)
    else:
        widths = {}
        for column in database.get_columns(table):
            match = re.fullmatch(r"VARCHAR\((\d+)\)", column.data_type.upper())
            widths[column.name] = int(match.group(1)) if match else None
    return {name: widths.get(name) for name in columns}


# No exception: the name search's trigram indexes live on the side table claim_name (PostgreSQL,
# migration 0012), which no model declares, so the claim table has exactly its declared indexes.


def _indexes(database, model) -> set[tuple[tuple[str, ...], bool, bool]]:
    """(columns, unique, partial) of each index but the primary key's (0001 named some differently)."""
    key = (model._meta.primary_key.column_name,)
    found = {(tuple(c.strip('"') for c in i.columns), i.unique, " WHERE " in (i.sql or "").upper())
             for i in database.get_indexes(model._meta.table_name)}
    return found - {(key, True, False)}


def test_bulk_insert_writes_every_row_with_nulls_for_missing_keys(database):
    rows = [{"kpj": f"{i:011d}", "nik": "5371014107850001", "name": f"Pekerja {i}",
             "kabupaten_code": "5371", "occupation": "PETANI"} for i in range(12_000)]
    with write_tx():
        assert bulk_insert(Worker, rows, chunk=5000) == 12_000
    assert Worker.select().count() == 12_000


def test_on_postgresql_a_table_changed_past_autovacuums_threshold_is_analysed_after_a_job(database):
    if not is_postgres(database):
        pytest.skip("PostgreSQL's statistics; SQLite's are PRAGMA optimize's")

    def analysed() -> tuple[int, object]:
        database.execute_sql("SELECT pg_stat_force_next_flush()")  # this connection's counts, now
        return database.execute_sql("SELECT n_mod_since_analyze, last_analyze FROM pg_stat_user_tables "
                                    "WHERE relname = 'worker' AND schemaname = current_schema()").fetchone()

    rows = [{"kpj": f"{i:011d}", "nik": "5371014107850001", "name": f"Pekerja {i}",
             "kabupaten_code": "5371", "occupation": "PETANI"} for i in range(500)]
    with write_tx():
        bulk_insert(Worker, rows)
    assert analysed()[0] >= 500
    refresh_statistics()
    changed, at = analysed()
    assert changed == 0 and at is not None  # the planner knows the 500 rows now, not at autovacuum's round
    with write_tx():
        bulk_insert(Worker, [{**rows[0], "kpj": "99999999999"}])
    refresh_statistics()
    assert analysed() == (1, at)  # one row of 501: below the threshold, left to autovacuum


def test_bulk_insert_converts_a_value_not_of_its_columns_type_as_peewee_would(database):
    with write_tx():
        bulk_insert(Worker, [{"kpj": "00000000001", "nik": "5371014107850001", "name": "Yohanes Ndun",
                              "kabupaten_code": 5371, "occupation": b"NELAYAN"}])
    worker = Worker.get()
    assert (worker.kabupaten_code, worker.occupation) == ("5371", "NELAYAN")


def test_bulk_insert_stores_times_exactly_as_peewee_does(database):
    """Same text on SQLite (sorting and range queries compare it), same value on PostgreSQL."""
    moments = [dt.datetime(2026, 11, 23, 1, 2, 3), dt.datetime(2026, 11, 23, 1, 2, 3, 456)]
    with write_tx():
        for at in moments:
            AuditLog.create(at=at, action="by_peewee")
        bulk_insert(AuditLog, [{"at": at, "action": "bulk"} for at in moments + moments])
    stored = database.execute_sql('SELECT action, "at" FROM audit_log ORDER BY id').fetchall()
    by_peewee = [at for action, at in stored if action == "by_peewee"]
    assert [at for action, at in stored if action == "bulk"] == by_peewee + by_peewee
    bulk = AuditLog.select().where(AuditLog.action == "bulk").order_by(AuditLog.id)
    assert [a.at for a in bulk] == moments * 2


def test_read_then_write_under_threads_loses_no_update(database):
    """Eight threads each add 1 to a counter 25 times through lock_row: none is lost, none fails."""
    Counter.create(name="batch", value=0)

    def bump(_: int) -> None:
        for _ in range(25):
            with write_tx():
                row = lock_row(Counter, Counter.name == "batch")
                Counter.update(value=row.value + 1).where(Counter.name == "batch").execute()

    assert race(database, bump, threads=8) == []
    assert Counter.get_by_id("batch").value == 200



def test_migration_0004_fills_the_payment_due_date_of_existing_claims(database):
    """Claims stored before 0004 get the due date of their benefit, counted from verification in WITA."""
    migration = importlib.import_module("core.migrations.0004_payment_due_date")
    claims = [make_claim(benefit_type="JKM", verified_at=dt.datetime(2026, 3, 17, 2, 0)),
              make_claim(benefit_type="JKK_MENINGGAL", verified_at=dt.datetime(2026, 3, 17, 2, 0)),
              make_claim(benefit_type="JKM", verified_at=dt.datetime(2026, 3, 16, 15, 59))]  # 23:59 WITA
    Claim.update(payment_due_date=None).execute()  # as the column is right after it was added
    with write_tx():
        migration._fill(database)
    due = [Claim.get_by_id(c.id).payment_due_date for c in claims]
    assert due == [dt.date(2026, 3, 27), dt.date(2026, 4, 2), dt.date(2026, 3, 26)]
