"""The JSON claims export (desk/export.py) gives each claim's payment due date and days late."""

import datetime as dt
import io
import json

from desk.export import export_rows, with_days_late, write_json
from models import ClaimStatus
from tests.factories import make_claim, payment_duty

S = ClaimStatus
VERIFIED = dt.datetime(2026, 3, 17, 2, 0)  # 10:00 WITA


def test_json_export_gives_the_due_date_and_working_days_late(database):
    make_claim(S.READY, claim_no="KLM-A", benefit_type="JKM", beneficiary_relation="SPOUSE",
               verified_at=VERIFIED)
    make_claim(S.PAID, claim_no="KLM-B", verified_at=VERIFIED, paid_date=dt.date(2026, 4, 6))
    make_claim(S.CANCELLED, claim_no="KLM-C", verified_at=VERIFIED)
    out = io.StringIO()
    rows = with_days_late(export_rows(extra=("payment_due_date",)), payment_duty(), dt.date(2026, 3, 31))
    assert write_json(rows, out) == 3
    got = {r["claim_no"]: (r["payment_due_date"], r["days_late"]) for r in json.loads(out.getvalue())}
    assert got == {"KLM-A": ("2026-03-27", 2),  # unpaid: Mon 30 and Tue 31 March
                   "KLM-B": ("2026-04-02", 1),  # paid Mon 6 April: 3 April is Good Friday
                   "KLM-C": ("2026-04-02", 0)}  # cancelled: nothing owed
