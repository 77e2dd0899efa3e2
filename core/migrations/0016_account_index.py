"""An index on the claim's account number: the shared-account check (one account, one beneficiary).

The pre-payout check compares a claim's bank account with every other claim's (core/claims/checks.py:
`ChunkLookups.load` once per intake chunk, `DbLookups.same_account` once per desk action). No index
served it: each look-up read the whole claim table. At 1,000,000 claims that was 25 of the 45 s an
intake of 100,000 records took, and on SQLite the longer chunks were then cut smaller (they hold the
write lock about a second, core/turnstile.py), each paying the scan again. The cost: one more index
for an intake's inserts and, on PostgreSQL, for every status change (a non-HOT update).
"""


def up(migrator, db):  # the Runner wraps it in a transaction
    db.execute_sql('CREATE INDEX IF NOT EXISTS "claim_account_no" ON "claim" ("account_no")')
