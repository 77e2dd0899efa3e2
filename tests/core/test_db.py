import datetime as dt
import threading

from peewee import SqliteDatabase

from core.db import apply_migrations, bulk_insert, lock_row, write_tx
from models import ALL_MODELS, AuditLog, Counter, Worker


def test_migrations_are_applied_once(database):
    assert apply_migrations(database) == []
    assert "claim" in database.get_tables()
    assert database.execute_sql("SELECT name FROM schema_migration ORDER BY name").fetchall() == [
        ("0001_initial",), ("0002_leaner_indexes",)]


def test_migrated_schema_has_exactly_the_indexes_the_models_declare(database):
    """Migrations are the schema; the models document it. A drift in either shows here."""
    declared = SqliteDatabase(":memory:")
    with declared.bind_ctx(ALL_MODELS):
        declared.create_tables(ALL_MODELS)
        expected = {model: _indexes(declared, model) for model in ALL_MODELS}
    for model, indexes in expected.items():
        assert _indexes(database, model) == indexes, model._meta.table_name


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
    errors = []

    def bump():
        try:
            with database.connection_context():
                for _ in range(25):
                    with write_tx():
                        row = lock_row(Counter, Counter.name == "batch")
                        Counter.update(value=row.value + 1).where(Counter.name == "batch").execute()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Counter.get_by_id("batch").value == 200
