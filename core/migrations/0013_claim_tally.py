"""The claim tally (core/claims/tally.py): claims and Rupiah per status, kabupaten and benefit, kept
in step with `claim` by triggers in the claim's own transaction, and filled from the claims there.

SQLite: row triggers (an upsert of one tally row per inserted, deleted or changed claim; an update
touches the tally only when the status, kabupaten, benefit or amount really changed).
PostgreSQL: statement triggers over the transition tables, one grouped upsert per statement, in key
order (writers of claims already serialise on the money chain's head, core/claims/states.py).
A frozen copy of the table in the tally model: a migration never changes.
"""

KEY = "status, kabupaten_code, benefit_type"

SQLITE = [
    """CREATE TABLE IF NOT EXISTS claim_tally (id INTEGER NOT NULL PRIMARY KEY,
        status VARCHAR(24) NOT NULL, kabupaten_code VARCHAR(4) NOT NULL, benefit_type VARCHAR(32) NOT NULL,
        claims INTEGER NOT NULL DEFAULT 0, amount INTEGER NOT NULL DEFAULT 0)""",
    f"CREATE UNIQUE INDEX IF NOT EXISTS claimtally_status_kabupaten_code_benefit_type ON claim_tally ({KEY})",
    f"""CREATE TRIGGER IF NOT EXISTS claim_tally_insert AFTER INSERT ON claim BEGIN
        INSERT INTO claim_tally ({KEY}, claims, amount)
        VALUES (new.status, new.kabupaten_code, new.benefit_type, 1, coalesce(new.approved_amount, 0))
        ON CONFLICT ({KEY}) DO UPDATE SET claims = claims + 1, amount = amount + excluded.amount;
    END""",
    """CREATE TRIGGER IF NOT EXISTS claim_tally_delete AFTER DELETE ON claim BEGIN
        UPDATE claim_tally SET claims = claims - 1, amount = amount - coalesce(old.approved_amount, 0)
        WHERE status = old.status AND kabupaten_code = old.kabupaten_code AND benefit_type = old.benefit_type;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS claim_tally_update AFTER UPDATE OF status, kabupaten_code, benefit_type, approved_amount
    ON claim WHEN old.status IS NOT new.status OR old.kabupaten_code IS NOT new.kabupaten_code
              OR old.benefit_type IS NOT new.benefit_type OR old.approved_amount IS NOT new.approved_amount
    BEGIN
        UPDATE claim_tally SET claims = claims - 1, amount = amount - coalesce(old.approved_amount, 0)
        WHERE status = old.status AND kabupaten_code = old.kabupaten_code AND benefit_type = old.benefit_type;
        INSERT INTO claim_tally ({KEY}, claims, amount)
        VALUES (new.status, new.kabupaten_code, new.benefit_type, 1, coalesce(new.approved_amount, 0))
        ON CONFLICT ({KEY}) DO UPDATE SET claims = claims + 1, amount = amount + excluded.amount;
    END""",
]

# One function for the three statement triggers: TG_OP says which transition tables it has.
POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION claim_tally_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO claim_tally ({KEY}, claims, amount)
        SELECT {KEY}, count(*), coalesce(sum(approved_amount), 0) FROM new_claims
        GROUP BY {KEY} ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET claims = claim_tally.claims + excluded.claims,
                                          amount = claim_tally.amount + excluded.amount;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE claim_tally t SET claims = t.claims - d.n, amount = t.amount - d.a
        FROM (SELECT {KEY}, count(*) AS n, coalesce(sum(approved_amount), 0) AS a FROM old_claims
              GROUP BY {KEY}) d
        WHERE t.status = d.status AND t.kabupaten_code = d.kabupaten_code AND t.benefit_type = d.benefit_type;
    ELSE
        INSERT INTO claim_tally ({KEY}, claims, amount)
        SELECT {KEY}, sum(n), sum(a) FROM (
            SELECT {KEY}, count(*) AS n, coalesce(sum(approved_amount), 0) AS a FROM new_claims GROUP BY {KEY}
            UNION ALL
            SELECT {KEY}, -count(*), -coalesce(sum(approved_amount), 0) FROM old_claims GROUP BY {KEY}) d
        GROUP BY {KEY} HAVING sum(n) <> 0 OR sum(a) <> 0 ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET claims = claim_tally.claims + excluded.claims,
                                          amount = claim_tally.amount + excluded.amount;
    END IF;
    RETURN NULL;
END $$"""

POSTGRES = [
    """CREATE TABLE IF NOT EXISTS claim_tally (id SERIAL NOT NULL PRIMARY KEY,
        status VARCHAR(24) NOT NULL, kabupaten_code VARCHAR(4) NOT NULL, benefit_type VARCHAR(32) NOT NULL,
        claims BIGINT NOT NULL DEFAULT 0, amount BIGINT NOT NULL DEFAULT 0)""",
    f"CREATE UNIQUE INDEX IF NOT EXISTS claimtally_status_kabupaten_code_benefit_type ON claim_tally ({KEY})",
    POSTGRES_FUNCTION,
    "DROP TRIGGER IF EXISTS claim_tally_insert ON claim",
    """CREATE TRIGGER claim_tally_insert AFTER INSERT ON claim REFERENCING NEW TABLE AS new_claims
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_on_change()""",
    "DROP TRIGGER IF EXISTS claim_tally_update ON claim",
    """CREATE TRIGGER claim_tally_update AFTER UPDATE ON claim REFERENCING OLD TABLE AS old_claims
    NEW TABLE AS new_claims FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_on_change()""",
    "DROP TRIGGER IF EXISTS claim_tally_delete ON claim",
    """CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim REFERENCING OLD TABLE AS old_claims
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_on_change()""",
]

FILL = (f"INSERT INTO claim_tally ({KEY}, claims, amount) SELECT {KEY}, count(*), coalesce(sum(approved_amount), 0) "
        f"FROM claim GROUP BY {KEY} ORDER BY {KEY}")


def up(migrator, db):  # the Runner wraps it in a transaction
    from peewee import PostgresqlDatabase

    statements = POSTGRES if isinstance(db, PostgresqlDatabase) else SQLITE
    for statement in statements:
        db.execute_sql(statement)
    db.execute_sql("DELETE FROM claim_tally")
    db.execute_sql(FILL)
