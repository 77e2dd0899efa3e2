"""Columns for issues 14-16 on the existing tables (the new capabilities' own tables follow).

- claim.account_holder_name: the account holder when a coordinator recorded an account that is
  not the beneficiary's (contract section 7: BPJS's beneficiary_name is never overwritten);
  claim.pending_beneficiary_name becomes pending_account_holder_name, which is what it held.
- claim.debited_on: value date of the statement debit matched to the claim's instruction (10).
- user.kabupaten_codes: a kabupaten desk's codes, comma-separated; NULL sees the province (8).
- job_run / batch_file handled_at, handled_by, handled_note: a failure a person dealt with.
- claim_event.prev_hash / hash: the money events' hash chain (rows chained by 0007).
"""

from peewee import CharField, DateField, DateTimeField, TextField


def up(migrator, db):  # the Runner wraps it in a transaction
    def holder():
        return CharField(max_length=100, null=True)

    migrator.migrate(
        migrator.add_column("claim", "account_holder_name", holder()),
        migrator.rename_column("claim", "pending_beneficiary_name", "pending_account_holder_name"),
        migrator.add_column("claim", "debited_on", DateField(null=True)),
        migrator.add_column("user", "kabupaten_codes", CharField(max_length=200, null=True)),
        *(migrator.add_column(table, column, field)
          for table in ("job_run", "batch_file")
          for column, field in (("handled_at", DateTimeField(null=True)),
                                ("handled_by", CharField(max_length=64, null=True)),
                                ("handled_note", TextField(null=True)))),
        migrator.add_column("claim_event", "prev_hash", CharField(max_length=64, null=True)),
        migrator.add_column("claim_event", "hash", CharField(max_length=64, null=True)),
    )
