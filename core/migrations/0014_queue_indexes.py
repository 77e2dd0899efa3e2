"""Claim indexes for the queues now that the claim tally (0013) answers counts and totals.

benchmarks/ui_queries.py at 1,000,000 claims (issue 19):
- (status, received_at, approved_amount) -> (status, received_at, payment_due_date): the amount
  covered the payment-duty sum, which the (status, payment_due_date, approved_amount) index serves;
  the due date lets "past the payment duty", read per status newest first
  (core/claims/status_merge.py), skip the claims not yet due inside the index (575 ms -> a few ms).
- (status, benefit_type) -> (status, claim_no): a benefit's count comes from the tally and its
  page from the received_at order; "Ditunda + Menunggu Persetujuan, by claim no." reads each
  status in claim-number order (65 ms -> 1 ms).
- (status, kabupaten_code, approved_amount) dropped: it covered the dashboard's sums, now the
  tally's. One index less for every status change to rewrite (PostgreSQL: bank_push).
"""

DROPPED = ("claim_status_received_at_approved_amount", "claim_status_benefit_type",
           "claim_status_kabupaten_code_approved_amount")
CREATED = (("claim_status_received_at_payment_due_date", '"status", "received_at", "payment_due_date"'),
           ("claim_status_claim_no", '"status", "claim_no"'))


def up(migrator, db):  # the Runner wraps it in a transaction
    for name in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    for name, columns in CREATED:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "claim" ({columns})')
