"""Fewer claim indexes for intake to maintain (see models.Claim and models.PARTIAL_INDEXES).

- flagged, report_pending, batch_id, instruction_id and pending_change_by are false or
  NULL for almost every claim, yet each new claim added an entry to their six indexes.
  Partial indexes hold only the rows the queries look for: same lookups, less work per
  new claim. Same names as before.
- case_no alone is served by (case_no, benefit_type, status); worker_id and source_file_id
  were never looked up (workers and files are never deleted).
"""

PARTIAL = (
    ("claim_flagged_status", '"status"', '"flagged"'),
    ("claim_flagged_received_at", '"received_at"', '"flagged"'),
    ("claim_report_pending", '"id"', '"report_pending"'),
    ("claim_batch_id", '"batch_id"', '"batch_id" IS NOT NULL'),
    ("claim_instruction_id", '"instruction_id"', '"instruction_id" IS NOT NULL'),
    ("claim_pending_change_by_id", '"pending_change_by_id"', '"pending_change_by_id" IS NOT NULL'),
)
DROPPED = ("claim_case_no", "claim_worker_id", "claim_source_file_id")


def up(migrator, db):  # the Runner wraps it in a transaction
    for name in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    for name, columns, where in PARTIAL:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute_sql(f'CREATE INDEX "{name}" ON "claim" ({columns}) WHERE {where}')
