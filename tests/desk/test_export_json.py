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


SECTION_5_FIELDS = (
    "claim_no", "revision", "status", "case_no", "kpj", "nik", "worker_name", "kabupaten_code",
    "accident_date", "benefit_type", "approved_amount", "beneficiary_name", "beneficiary_relation",
    "beneficiary_nik", "account_holder_name", "bank_code", "account_no", "verified_at", "payment_due_date",
    "days_late", "review_reason", "instruction_id", "batch_id", "bank_reference", "paid_date", "failure_code",
    "debited_on",
)


def test_json_export_gives_every_field_of_the_contract_as_raw_codes_and_iso_dates(database):
    make_claim(S.PAID, claim_no="KLM-P", verified_at=VERIFIED, benefit_type="BEASISWA",
               beneficiary_relation="CHILD", beneficiary_name="Maria Ndun", account_holder_name="Petrus Lake",
               instruction_id="INS000000000009", batch_id="20260401000001", bank_reference="REF/2026.04-1",
               paid_date=dt.date(2026, 4, 1), debited_on=dt.date(2026, 4, 1))
    make_claim(S.NEEDS_REVIEW, claim_no="KLM-R", verified_at=VERIFIED, review_reason="Aturan batas manfaat")
    out = io.StringIO()
    write_json(with_days_late(export_rows(), payment_duty(), dt.date(2026, 3, 31)), out)
    rows = {r["claim_no"]: r for r in json.loads(out.getvalue())}
    for row in rows.values():
        assert set(SECTION_5_FIELDS) <= set(row), set(SECTION_5_FIELDS) - set(row)
    paid = rows["KLM-P"]
    assert (paid["beneficiary_name"], paid["account_holder_name"]) == ("Maria Ndun", "Petrus Lake")
    assert (paid["status"], paid["benefit_type"], paid["beneficiary_relation"]) == (
        "PAID", "BEASISWA", "CHILD")
    assert (paid["instruction_id"], paid["batch_id"], paid["bank_reference"]) == (
        "INS000000000009", "20260401000001", "REF/2026.04-1")
    assert (paid["paid_date"], paid["debited_on"], paid["accident_date"]) == ("2026-04-01", "2026-04-01",
                                                                               "2026-10-01")
    assert paid["verified_at"] == "2026-03-17T02:00:00+00:00" and paid["days_late"] == 0
    review = rows["KLM-R"]
    assert (review["review_reason"], review["account_holder_name"], review["debited_on"]) == (
        "Aturan batas manfaat", None, None)
    assert list(review)[list(review).index("payment_due_date") + 1] == "days_late"
