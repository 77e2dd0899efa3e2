"""audit_log.prev_hash and audit_log.hash: the audit trail becomes a hash chain (core/audit_chain.py).

Rows already there are chained here in id order, as `audit()` would have chained them, and the
chain head (counter `audit_chain_head`) is set to the last one, so `check` finds the existing
log intact and any later edit, deletion or insertion behind the application's back shows.
"""

from peewee import CharField

CHUNK = 5000
COLUMNS = ("id", "at", "username", "action", "target", "details", "ip")


def up(migrator, db):  # the Runner wraps it in a transaction
    migrator.migrate(migrator.add_column("audit_log", "prev_hash", CharField(max_length=64, null=True)),
                     migrator.add_column("audit_log", "hash", CharField(max_length=64, null=True)))
    _chain(db)


def _chain(db):
    from core.audit_chain import HEAD, link_hash

    param = db.param
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    prev, last = None, 0
    while True:
        rows = db.execute_sql(f'SELECT {names} FROM "audit_log" WHERE "id" > {param} ORDER BY "id" '
                              f'LIMIT {CHUNK}', (last,)).fetchall()
        for values in rows:
            row = {**dict(zip(COLUMNS, values, strict=True)), "prev_hash": prev}
            prev, last = link_hash(row), row["id"]
            db.execute_sql(f'UPDATE "audit_log" SET "prev_hash" = {param}, "hash" = {param} WHERE "id" = {param}',
                           (row["prev_hash"], prev, last))
        if len(rows) < CHUNK:
            break
    db.execute_sql(f'DELETE FROM "counter" WHERE "name" = {param}', (HEAD,))
    db.execute_sql(f'INSERT INTO "counter" ("name", "value") VALUES ({param}, {param})', (HEAD, last))
