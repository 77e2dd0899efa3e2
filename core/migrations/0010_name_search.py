"""Indexed name search (core/claims/name_search.py): trigrams of the worker's and the beneficiary's name.

SQLite (3.34 or later for the trigram tokenizer): the FTS5 table `claim_name_fts`, external
content over `claim` (it stores only the index, the names stay in `claim`), kept in step by
triggers on insert, on an update that changes a name, and on delete; 'rebuild' indexes the
claims already there. PostgreSQL: the `pg_trgm` extension and a GIN trigram index on
`lower(worker_name)` and on `lower(beneficiary_name)`, built over the existing rows.
A frozen copy of the names in name_search (FTS_TABLE, TRIGRAM_INDEXES): a migration never changes.
"""

NAMES = ("worker_name", "beneficiary_name")

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_name_fts USING fts5("
    "worker_name, beneficiary_name, content='claim', content_rowid='id', tokenize='trigram')",
    # Only a change of a name touches the index: status changes (most updates) cost nothing here.
    """CREATE TRIGGER IF NOT EXISTS claim_name_fts_insert AFTER INSERT ON claim BEGIN
        INSERT INTO claim_name_fts (rowid, worker_name, beneficiary_name)
        VALUES (new.id, new.worker_name, new.beneficiary_name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS claim_name_fts_delete AFTER DELETE ON claim BEGIN
        INSERT INTO claim_name_fts (claim_name_fts, rowid, worker_name, beneficiary_name)
        VALUES ('delete', old.id, old.worker_name, old.beneficiary_name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS claim_name_fts_update AFTER UPDATE OF worker_name, beneficiary_name ON claim
    WHEN old.worker_name IS NOT new.worker_name OR old.beneficiary_name IS NOT new.beneficiary_name BEGIN
        INSERT INTO claim_name_fts (claim_name_fts, rowid, worker_name, beneficiary_name)
        VALUES ('delete', old.id, old.worker_name, old.beneficiary_name);
        INSERT INTO claim_name_fts (rowid, worker_name, beneficiary_name)
        VALUES (new.id, new.worker_name, new.beneficiary_name);
    END""",
    "INSERT INTO claim_name_fts (claim_name_fts) VALUES ('rebuild')",
]


def up(migrator, db):  # the Runner wraps it in a transaction
    from peewee import PostgresqlDatabase

    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        for statement in SQLITE:
            db.execute_sql(statement)


def _postgres(db):
    # A trusted extension since PostgreSQL 13: the database's owner may create it. It lands in the
    # first schema of the search_path unless it is already installed; its operator class is named
    # through the schema it is in, so the index works whatever the connection's search_path.
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema = db.execute_sql("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                            "WHERE e.extname = 'pg_trgm'").fetchone()[0]
    for column in NAMES:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "claim_{column}_trgm" ON "claim" '
                       f'USING gin (lower("{column}") "{schema}".gin_trgm_ops)')
