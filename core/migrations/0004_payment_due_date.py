"""claim.payment_due_date: the last day BPJS's payment duty allows, stored so queues can filter on it.

The queue's "past the payment duty" filter, the dashboard's count and the alert read
`status IN (unpaid) AND payment_due_date < today` from the index (status, payment_due_date,
approved_amount), which also covers the Rupiah total. Existing claims are filled here with
the duty of the reference data this migration was written with (JKM 3 working days, every
other benefit 7) counted from the WITA date of `verified_at`, on Indonesia's holidays and
cuti bersama. Local `non_working_days` are configuration, which a migration does not read:
a claim revised or received afterwards gets its date from the configured calendar.
"""

import datetime as dt

from peewee import DateField

DUTY_DAYS = {"JKM": 3}  # working days; every other benefit type: 7
ZONE = "Asia/Makassar"
CHUNK = 10_000
INDEX = "claim_status_payment_due_date_approved_amount"


def up(migrator, db):  # the Runner wraps it in a transaction
    migrator.migrate(migrator.add_column("claim", "payment_due_date", DateField(null=True)))
    _fill(db)
    db.execute_sql(f'CREATE INDEX "{INDEX}" ON "claim" ("status", "payment_due_date", "approved_amount")')


def _fill(db):
    from core.claims.payment_duty import PaymentDuty

    duty = PaymentDuty(DUTY_DAYS, zone=ZONE)
    sqlite = "sqlite" in type(db).__name__.lower()
    param = db.param
    last = 0
    while True:
        rows = db.execute_sql(f'SELECT "id", "benefit_type", "verified_at" FROM "claim" WHERE "id" > {param} '
                              f'ORDER BY "id" LIMIT {CHUNK}', (last,)).fetchall()
        if not rows:
            return
        by_due: dict[dt.date, list[int]] = {}
        for claim_id, benefit_type, verified_at in rows:
            if isinstance(verified_at, str):  # SQLite keeps times as text
                verified_at = dt.datetime.fromisoformat(verified_at)
            by_due.setdefault(duty.due_date(benefit_type, verified_at), []).append(claim_id)
        for due, ids in by_due.items():
            marks = ", ".join([param] * len(ids))
            db.execute_sql(f'UPDATE "claim" SET "payment_due_date" = {param} WHERE "id" IN ({marks})',
                           (due.isoformat() if sqlite else due, *ids))
        last = rows[-1][0]
