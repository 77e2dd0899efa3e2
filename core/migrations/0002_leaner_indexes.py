"""Fewer indexes for the payout cycle to maintain (see models.Claim, models.PARTIAL_INDEXES).

Every index is written on each insert, and on PostgreSQL on each update of an indexed
column (bank_push moves 100,000 claims in one UPDATE: about 0.35 s per claim index).
- flagged, report_pending, batch_id and pending_change_by are false or NULL for almost
  every claim, yet each new claim added an entry to their indexes. Partial indexes hold
  only the rows the queries look for: same lookups, less work per new claim. Same for
  payout_instruction.result_file_id (NULL until the bank answers).
- Dropped as covered by a composite index with the same leading column: claim.case_no
  (case_no, benefit_type, status), claim_event.claim_id (claim_id, at),
  payout_instruction.claim_id and .batch_id (..., result_status).
- Dropped as never looked up: claim.worker_id, claim.source_file_id (workers and files
  are never deleted), claim.instruction_id (reached through payout_instruction).
"""

PARTIAL = (
    ("claim", "claim_flagged_status", '"status"', '"flagged"'),
    ("claim", "claim_flagged_received_at", '"received_at"', '"flagged"'),
    ("claim", "claim_report_pending", '"id"', '"report_pending"'),
    ("claim", "claim_batch_id", '"batch_id"', '"batch_id" IS NOT NULL'),
    ("claim", "claim_pending_change_by_id", '"pending_change_by_id"', '"pending_change_by_id" IS NOT NULL'),
    ("payout_instruction", "payoutinstruction_result_file_id", '"result_file_id"', '"result_file_id" IS NOT NULL'),
)
DROPPED = ("claim_case_no", "claim_worker_id", "claim_source_file_id", "claim_instruction_id",
           "claimevent_claim_id", "payoutinstruction_claim_id", "payoutinstruction_batch_id")


def up(migrator, db):  # the Runner wraps it in a transaction
    for name in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    for table, name, columns, where in PARTIAL:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({columns}) WHERE {where}')
