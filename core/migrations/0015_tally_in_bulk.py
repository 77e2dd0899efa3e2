"""SQLite: new claims are tallied in bulk, not by an insert trigger per row (core/claims/tally.py).

Migration 0013's insert trigger made every claim insert pay about 45 microseconds (any trigger on
the 50-column claim table did): a 100,000-record intake took 2.8 s longer and the bare insert of
benchmarks/cycle.py 3.4 s -> 8.6 s. As for the name index (0011): the code that inserts claims calls
`tally.count_new_claims()` in its transaction, one grouped upsert per chunk, up to the high-water
mark in Counter `claim_tally_through`; a claim above it is added to the tally's answers from the
claims themselves. The update and delete triggers stay, for the claims below the mark.
PostgreSQL: nothing (its statement triggers cost once per statement).
"""

MARK = "(SELECT value FROM counter WHERE name = 'claim_tally_through')"
KEY = "status, kabupaten_code, benefit_type"
SQLITE = [
    "DROP TRIGGER IF EXISTS claim_tally_insert",
    "DROP TRIGGER IF EXISTS claim_tally_delete",
    "DROP TRIGGER IF EXISTS claim_tally_update",
    f"""CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim WHEN old.id <= {MARK} BEGIN
        UPDATE claim_tally SET claims = claims - 1, amount = amount - coalesce(old.approved_amount, 0)
        WHERE status = old.status AND kabupaten_code = old.kabupaten_code AND benefit_type = old.benefit_type;
    END""",
    f"""CREATE TRIGGER claim_tally_update AFTER UPDATE OF status, kabupaten_code, benefit_type, approved_amount
    ON claim WHEN old.id <= {MARK} AND (old.status IS NOT new.status OR old.kabupaten_code IS NOT new.kabupaten_code
              OR old.benefit_type IS NOT new.benefit_type OR old.approved_amount IS NOT new.approved_amount)
    BEGIN
        UPDATE claim_tally SET claims = claims - 1, amount = amount - coalesce(old.approved_amount, 0)
        WHERE status = old.status AND kabupaten_code = old.kabupaten_code AND benefit_type = old.benefit_type;
        INSERT INTO claim_tally ({KEY}, claims, amount)
        VALUES (new.status, new.kabupaten_code, new.benefit_type, 1, coalesce(new.approved_amount, 0))
        ON CONFLICT ({KEY}) DO UPDATE SET claims = claims + 1, amount = amount + excluded.amount;
    END""",
    "DELETE FROM counter WHERE name = 'claim_tally_through'",
    "INSERT INTO counter (name, value) SELECT 'claim_tally_through', COALESCE(MAX(id), 0) FROM claim",
    "DELETE FROM claim_tally",
    f"INSERT INTO claim_tally ({KEY}, claims, amount) SELECT {KEY}, count(*), coalesce(sum(approved_amount), 0) "
    f"FROM claim GROUP BY {KEY} ORDER BY {KEY}",
]


def up(migrator, db):  # the Runner wraps it in a transaction
    from peewee import PostgresqlDatabase

    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE:
            db.execute_sql(statement)
