"""New claims' names indexed in bulk, not by a trigger per row (SQLite; core/claims/name_search.py).

Migration 0010's insert trigger made every claim insert pay for its own FTS5 insert: a
100,000-record intake went from 8 s to 30 s (benchmarks/cycle.py). The trigger goes; the code
that inserts claims calls `name_search.index_new_names()` in its transaction, one INSERT ...
SELECT per chunk, up to the high-water mark kept in Counter `claim_name_index` (set here to
the last claim, all of which 0010 indexed). The update and delete triggers stay for a claim
below the mark (a revision that changes a name, a deleted claim): one above it is not in the
index, and FTS5 must not be told to delete what it never held. PostgreSQL: nothing (its GIN
indexes follow the table).
"""

SQLITE = [
    "DROP TRIGGER IF EXISTS claim_name_fts_insert",
    "DROP TRIGGER IF EXISTS claim_name_fts_update",
    "DROP TRIGGER IF EXISTS claim_name_fts_delete",
    """CREATE TRIGGER claim_name_fts_delete AFTER DELETE ON claim
    WHEN old.id <= (SELECT value FROM counter WHERE name = 'claim_name_index') BEGIN
        INSERT INTO claim_name_fts (claim_name_fts, rowid, worker_name, beneficiary_name)
        VALUES ('delete', old.id, old.worker_name, old.beneficiary_name);
    END""",
    """CREATE TRIGGER claim_name_fts_update AFTER UPDATE OF worker_name, beneficiary_name ON claim
    WHEN (old.worker_name IS NOT new.worker_name OR old.beneficiary_name IS NOT new.beneficiary_name)
         AND old.id <= (SELECT value FROM counter WHERE name = 'claim_name_index') BEGIN
        INSERT INTO claim_name_fts (claim_name_fts, rowid, worker_name, beneficiary_name)
        VALUES ('delete', old.id, old.worker_name, old.beneficiary_name);
        INSERT INTO claim_name_fts (rowid, worker_name, beneficiary_name)
        VALUES (new.id, new.worker_name, new.beneficiary_name);
    END""",
    "DELETE FROM counter WHERE name = 'claim_name_index'",
    "INSERT INTO counter (name, value) SELECT 'claim_name_index', COALESCE(MAX(id), 0) FROM claim",
]


def up(migrator, db):  # the Runner wraps it in a transaction
    from peewee import PostgresqlDatabase

    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE:
            db.execute_sql(statement)
