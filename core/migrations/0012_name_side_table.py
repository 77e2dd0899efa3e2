"""PostgreSQL: the name search's trigram indexes move off `claim` onto a side table `claim_name`.

Why (issue 19, benchmarks/cycle.py): the claim's status is indexed, so every status change is a
non-HOT update, and PostgreSQL writes a new entry into EVERY index of the moved row, the two GIN
trigram indexes of 0010 included. `bank_push` of 100,000 claims went from 12 s to 37 s. The names
now live, lower-cased, in `claim_name` (claim id -> names) with the GIN indexes; a status change
never touches it. The database keeps it in step by itself:

- a statement-level AFTER INSERT trigger copies the new claims' names in one INSERT ... SELECT
  (over the statement's transition table: COPY and bulk inserts pay once per statement, not per
  row, and a claim inserted any way at all is indexed in its own transaction);
- a row-level AFTER UPDATE OF worker_name, beneficiary_name trigger, WHEN a name really changed
  (a revision, a correction): status updates do not list the names, so it never fires for them;
- the foreign key deletes (and TRUNCATE ... CASCADE empties) the side rows with their claim.

SQLite: nothing (its FTS5 table of 0010 is a side table already). A frozen copy of the names in
core/claims/name_search.py (NAME_TABLE, TRIGRAM_INDEXES): a migration never changes.
"""

OLD_INDEXES = ("claim_worker_name_trgm", "claim_beneficiary_name_trgm")

POSTGRES = [
    """CREATE TABLE IF NOT EXISTS claim_name (
        claim_id INTEGER PRIMARY KEY REFERENCES claim (id) ON DELETE CASCADE,
        worker_name TEXT NOT NULL,
        beneficiary_name TEXT NOT NULL)""",
    """CREATE OR REPLACE FUNCTION claim_name_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO claim_name (claim_id, worker_name, beneficiary_name)
        SELECT id, lower(coalesce(worker_name, '')), lower(coalesce(beneficiary_name, '')) FROM new_claims;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION claim_name_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE claim_name SET worker_name = lower(coalesce(NEW.worker_name, '')),
                              beneficiary_name = lower(coalesce(NEW.beneficiary_name, ''))
        WHERE claim_id = NEW.id;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS claim_name_insert ON claim",
    """CREATE TRIGGER claim_name_insert AFTER INSERT ON claim REFERENCING NEW TABLE AS new_claims
    FOR EACH STATEMENT EXECUTE FUNCTION claim_name_on_insert()""",
    "DROP TRIGGER IF EXISTS claim_name_update ON claim",
    """CREATE TRIGGER claim_name_update AFTER UPDATE OF worker_name, beneficiary_name ON claim FOR EACH ROW
    WHEN (OLD.worker_name IS DISTINCT FROM NEW.worker_name
          OR OLD.beneficiary_name IS DISTINCT FROM NEW.beneficiary_name)
    EXECUTE FUNCTION claim_name_on_update()""",
    """INSERT INTO claim_name (claim_id, worker_name, beneficiary_name)
    SELECT id, lower(coalesce(worker_name, '')), lower(coalesce(beneficiary_name, '')) FROM claim
    ON CONFLICT (claim_id) DO NOTHING""",
]


def up(migrator, db):  # the Runner wraps it in a transaction
    from peewee import PostgresqlDatabase

    if not isinstance(db, PostgresqlDatabase):
        return
    for statement in POSTGRES:
        db.execute_sql(statement)
    for name in OLD_INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    # pg_trgm is there since 0010; its operator class is named through its schema (see 0010).
    schema = db.execute_sql("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                            "WHERE e.extname = 'pg_trgm'").fetchone()[0]
    for column in ("worker_name", "beneficiary_name"):
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "claim_name_{column}_trgm" ON "claim_name" '
                       f'USING gin ("{column}" "{schema}".gin_trgm_ops)')
    db.execute_sql("ANALYZE claim_name")
