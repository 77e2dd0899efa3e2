"""claim.beneficiary_relation: 10 -> 20 characters, for the regulation's heirs.

The relation codes now include PARENT_IN_LAW (13 characters) and FUNERAL_ORGANISER (17):
grandchildren, grandparents, parents-in-law, a person named in a will, a guardian (wali)
and whoever paid the funeral may all receive a benefit. PostgreSQL enforces the width, so
a VERIFIED_CLAIMS record naming such an heir would fail to be stored without this.
SQLite does not enforce it, but its schema is rebuilt too so that the migrated schema
still says what models.Claim says (the table is copied once, indexes recreated).
"""

from peewee import CharField


def up(migrator, db):  # the Runner wraps it in a transaction
    migrator.migrate(migrator.alter_column_type("claim", "beneficiary_relation", CharField(max_length=20)))
