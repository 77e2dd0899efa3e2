"""claim_event.prev_hash and claim_event.hash (columns of 0006): the money events become a hash chain.

Rows already there are chained here in id order, exactly as `core.audit_chain.link_rows(MONEY, ...)`
would have chained them, and the chain head (counter `claim_event_chain_head`) is set to the last
one, so `check` finds the existing events intact and any later edit, deletion or insertion behind
the application's back shows. One UPDATE per chunk (executemany): a 1,000,000-claim database holds
several million events.
"""

CHUNK = 5000


def up(migrator, db):  # the Runner wraps it in a transaction
    _chain(db)


def _chain(db):
    from core.audit_chain import MONEY, link_hash

    param = db.param
    columns = [f for f in MONEY.fields if f != "prev_hash"]
    names = ", ".join('"claim_id"' if c == "claim" else f'"{c}"' for c in columns)
    update = f'UPDATE "claim_event" SET "prev_hash" = {param}, "hash" = {param} WHERE "id" = {param}'
    prev, last = None, 0
    while True:
        rows = db.execute_sql(f'SELECT {names} FROM "claim_event" WHERE "id" > {param} ORDER BY "id" '
                              f'LIMIT {CHUNK}', (last,)).fetchall()
        changes = []
        for values in rows:
            row = {**dict(zip(columns, values, strict=True)), "prev_hash": prev}
            changes.append((prev, link_hash(row, MONEY), row["id"]))
            prev, last = changes[-1][1], row["id"]
        if changes:
            db.cursor().executemany(update, changes)
        if len(rows) < CHUNK:
            break
    db.execute_sql(f'DELETE FROM "counter" WHERE "name" = {param}', (MONEY.head,))
    db.execute_sql(f'INSERT INTO "counter" ("name", "value") VALUES ({param}, {param})', (MONEY.head, last))
