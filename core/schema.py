"""Every table of the schema: models.py's claim-and-payout tables, then each capability's own.

A capability that came later keeps its tables in its core package (`core/roster/tables.py`,
`core/statements/tables.py`); this module, which nothing in core imports, lists them all for
the schema tests and for dropping a benchmark's database. (It is not core.db: the capability
packages use core.db, and the layers allow no import cycle.)
"""

from __future__ import annotations

from peewee import Database, Model

from core.claims.tally import ClaimTally
from core.db import is_postgres
from core.roster.tables import TABLES as ROSTER_TABLES
from core.statements.tables import TABLES as STATEMENT_TABLES
from models import ALL_MODELS

TABLES: list[type[Model]] = [*ALL_MODELS, ClaimTally, *ROSTER_TABLES, *STATEMENT_TABLES]
# Tables no model declares: the name search's side tables (migrations 0010 and 0012). Dropping
# claim with CASCADE drops only claim_name's foreign key, not the table, whose stale rows a
# new schema would then keep.
SIDE_TABLES = ("claim_name", "claim_name_fts")


def drop_all(database: Database) -> None:
    """Drop every table (tests only)."""
    for table in SIDE_TABLES:
        database.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
    database.drop_tables(TABLES, safe=True, cascade=is_postgres(database))
    database.execute_sql("DROP TABLE IF EXISTS schema_migration")

