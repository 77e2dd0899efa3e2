import datetime as dt

import pytest

from core.claims import queries as q
from core.claims.detail import claim_detail
from core.claims.queries import ClaimFilter, Duty
from core.db import is_postgres
from jobs.registry import JOBS
from models import Alert, Claim, ClaimEvent, ClaimStatus, JobRun, PayoutBatch, PayoutInstruction, utcnow
from tests.factories import make_claim

S = ClaimStatus
NIK = "5305014107850001"
TODAY = dt.date(2026, 11, 20)  # a Friday


def received(claim: Claim, when: dt.datetime) -> None:
    Claim.update(received_at=when).where(Claim.id == claim.id).execute()


def test_filter_survives_a_round_trip_through_the_url():
    f = ClaimFilter(statuses=(S.READY, S.ON_HOLD), kabupaten=("5305",), benefit_types=("JKM",),
                    received_from=dt.date(2026, 1, 1), received_to=dt.date(2026, 1, 31), flagged=True,
                    past_duty=True, batch_id="B1", search="ndun")
    assert ClaimFilter.from_params(f.to_params()) == f
    assert ClaimFilter().to_params() == {}
    tie_out = ClaimFilter(decision="APPROVED", debited=False, returned=True, batch_id=q.NO_BATCH)
    assert tie_out.to_params() == {"decision": "APPROVED", "debited": "0", "returned": "1", "batch": "-"}
    assert ClaimFilter.from_params(tie_out.to_params()) == tie_out
    assert ClaimFilter.from_params({"decision": "MAYBE", "debited": "ya"}) == ClaimFilter()


def test_decision_debit_return_and_no_batch_filter_the_claims(database):
    rejected = make_claim(S.READY, decision="REJECTED")
    plain = make_claim(S.READY)
    batch = PayoutBatch.create(batch_id="B1")
    sent = {}
    for result in ("SUCCESS", "RETURNED"):
        claim = make_claim(S.PAID if result == "SUCCESS" else S.PAYOUT_FAILED)
        PayoutInstruction.create(instruction_id=f"I-{result}", batch=batch, claim=claim, beneficiary_name="x",
                                 bank_code="130", account_no="1", amount=1, remark="r", result_status=result)
        Claim.update(instruction_id=f"I-{result}", batch_id="B1", debited_on=dt.date(2026, 11, 4)) \
            .where(Claim.id == claim.id).execute()
        sent[result] = claim.id

    def ids(**fields) -> set[int]:
        return {c.id for c in q.filtered(ClaimFilter(**fields))}

    assert ids(decision="REJECTED") == {rejected.id}
    assert ids(debited=True) == set(sent.values()) and ids(debited=False) == {rejected.id, plain.id}
    assert ids(returned=True) == {sent["RETURNED"]}
    assert ids(returned=False) == {rejected.id, plain.id, sent["SUCCESS"]}
    assert ids(batch_id=q.NO_BATCH) == {rejected.id, plain.id}


def test_unknown_codes_and_bad_dates_in_the_url_are_dropped():
    f = ClaimFilter.from_params({"status": "READY,HACKED", "kab": "9999,5305", "from": "kemarin"},
                                kabupaten=frozenset({"5305"}))
    assert (f.statuses, f.kabupaten, f.received_from) == ((S.READY,), ("5305",), None)


def test_search_finds_by_nik_kpj_claim_number_case_number_and_name(database):
    wanted = make_claim(nik=NIK, beneficiary_nik="5305015507900002", kpj="26000000077",
                        claim_no="KLM-202611-00000077", case_no="KSS-000000077", worker_name="Maria Tefa")
    make_claim(worker_name="Yohanes Ndun")
    for term in (NIK, "5305015507900002", "26000000077", "KLM-202611-00000077", "klm-202611-0000007",
                 "KSS-000000077", "tefa", "Maria"):
        rows = q.claims_page(ClaimFilter(search=term)).rows
        assert [r["id"] for r in rows] == [wanted.id], term


def test_page_sort_and_exact_total(database):
    for amount in (3, 1, 2, 5, 4):
        make_claim(S.READY, approved_amount=amount * 1_000_000)
    make_claim(S.PAID)
    page = q.claims_page(ClaimFilter(statuses=(S.READY,)), sort_by="approved_amount", descending=False,
                         page=2, per_page=10)
    assert (page.rows, page.total) == ([], 5)
    page = q.claims_page(ClaimFilter(statuses=(S.READY,)), sort_by="approved_amount", descending=True,
                         per_page=10)
    assert [r["approved_amount"] // 1_000_000 for r in page.rows] == [5, 4, 3, 2, 1]
    assert page.total == 5


def test_known_total_is_not_counted_again(database):
    for _ in range(30):
        make_claim(S.READY)
    assert q.claims_page(ClaimFilter(), page=2, known_total=999).total == 999
    assert q.claims_page(ClaimFilter(), page=2).total == 30


def test_date_range_is_in_local_days(database):
    inside = make_claim()
    received(inside, dt.datetime(2026, 10, 31, 17, 0))  # 1 November 01.00 WITA
    outside = make_claim()
    received(outside, dt.datetime(2026, 10, 31, 15, 0))  # 31 October 23.00 WITA
    f = ClaimFilter(received_from=dt.date(2026, 11, 1), received_to=dt.date(2026, 11, 30))
    assert [r["id"] for r in q.claims_page(f).rows] == [inside.id]


def test_past_duty_counts_unpaid_claims_whose_due_date_is_before_today(database):
    """One rule for the queue's filter, the dashboard and the alert: unpaid and due before today."""
    late = make_claim(S.INSTRUCTED, approved_amount=2_000_000, payment_due_date=dt.date(2026, 11, 19))
    make_claim(S.PAID, payment_due_date=dt.date(2026, 11, 2))  # paid: not owed
    make_claim(S.CANCELLED, payment_due_date=dt.date(2026, 11, 2))  # closed: not owed
    make_claim(S.READY, payment_due_date=TODAY)  # due today: still in time
    older = make_claim(S.ON_HOLD, approved_amount=1_000_000, payment_due_date=dt.date(2026, 11, 2))
    summary = q.past_duty_summary(Duty(), TODAY)
    assert (summary.count, summary.total) == (2, 3_000_000)
    assert [r["id"] for r in summary.oldest] == [older.id, late.id]  # longest overdue first
    assert q.count(ClaimFilter(past_duty=True), Duty(), TODAY) == summary.count
    assert q.count(ClaimFilter(past_duty=True, statuses=(S.PAID,)), Duty(), TODAY) == 0
    assert q.dashboard(Duty(), TODAY).past_duty.count == summary.count


def test_the_longest_overdue_claims_of_one_due_date_come_in_amount_order(database):
    """Ties on the due date are broken by the index's next column, not by a sort of the whole day."""
    day = dt.date(2026, 11, 2)
    big = make_claim(S.READY, approved_amount=3_000_000, payment_due_date=day)
    small = make_claim(S.INSTRUCTED, approved_amount=1_000_000, payment_due_date=day)
    middle = make_claim(S.READY, approved_amount=2_000_000, payment_due_date=day)
    oldest = make_claim(S.ON_HOLD, approved_amount=9_000_000, payment_due_date=dt.date(2026, 11, 1))
    summary = q.past_duty_summary(Duty(), TODAY)
    assert [r["id"] for r in summary.oldest] == [oldest.id, small.id, middle.id, big.id]


def test_the_longest_overdue_list_reads_each_status_in_its_index_order_without_sorting_a_day(
        database, monkeypatch):
    """A day's claims share a due date (500,000 from one file: a 2 s sort of the ties under load)."""
    if is_postgres():
        pytest.skip("SQLite's plan is read here; PostgreSQL reads the same index")
    seen: list[tuple[str, tuple]] = []
    raw = Claim.raw.__func__

    def spy(cls, sql, *params):
        seen.append((sql, params))
        return raw(cls, sql, *params)

    monkeypatch.setattr(Claim, "raw", classmethod(spy))
    make_claim(S.READY, payment_due_date=dt.date(2026, 11, 2))
    q.past_duty_summary(Duty(), TODAY)
    (sql, params), = seen
    plan = " ".join(row[3] for row in Claim._meta.database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "claim_status_payment_due_date_approved_amount" in plan
    assert "RIGHT PART OF ORDER BY" not in plan, plan


def test_the_jkm_and_jkk_claims_of_one_day_are_late_on_different_days(database):
    verified = dt.datetime(2026, 3, 17, 2, 0)  # 10:00 WITA
    jkm = make_claim(benefit_type="JKM", beneficiary_relation="SPOUSE", verified_at=verified)
    make_claim(benefit_type="JKK_MENINGGAL", beneficiary_relation="SPOUSE", verified_at=verified)
    assert q.count(ClaimFilter(past_duty=True), Duty(), dt.date(2026, 3, 27)) == 0
    page = q.claims_page(ClaimFilter(past_duty=True), today=dt.date(2026, 3, 30))
    assert [r["id"] for r in page.rows] == [jkm.id]
    assert q.count(ClaimFilter(past_duty=True), Duty(), dt.date(2026, 4, 3)) == 2


def test_dashboard_totals_per_status_and_paid_per_kabupaten(database):
    make_claim(S.PAID, kabupaten_code="5305", approved_amount=10_000_000)
    make_claim(S.PAID, kabupaten_code="5305", approved_amount=5_000_000)
    make_claim(S.PAID, kabupaten_code="5371", approved_amount=20_000_000)
    make_claim(S.READY, kabupaten_code="5305", approved_amount=1_000_000)
    JobRun.create(job="bank_pull", trigger="schedule", outcome="FAILED")
    Alert.create(kind="job_failed", subject="x", message="y")
    data = q.dashboard(Duty(), TODAY, job_ids=list(JOBS))
    assert data.by_status[S.PAID] == (3, 35_000_000)
    assert data.by_status[S.READY] == (1, 1_000_000)
    assert data.by_status[S.CANCELLED] == (0, 0)
    assert data.paid_by_kabupaten == [("5371", 1, 20_000_000), ("5305", 2, 15_000_000)]
    assert data.last_runs["bank_pull"].outcome == "FAILED" and data.last_runs["bpjs_pull"] is None
    assert data.open_alert_count == 1


def test_claim_detail_gathers_case_events_and_attempts(database):
    claim = make_claim(S.PAYOUT_FAILED, case_no="KSS-1")
    other = make_claim(S.PAID, case_no="KSS-1", benefit_type="JKK_PEMAKAMAN")
    batch = PayoutBatch.create(batch_id="B1")
    line = {"batch": batch, "claim": claim, "beneficiary_name": "x", "bank_code": "130",
            "account_no": "0012345678", "amount": 1, "remark": "r"}
    PayoutInstruction.create(instruction_id="I1", result_status="FAILED", **line)
    PayoutInstruction.create(instruction_id="I2", **line)
    ClaimEvent.create(claim=claim, at=utcnow(), actor="koordinator", action="NOTE", reason="telepon")
    detail = claim_detail(claim.claim_no)
    assert [c["claim_no"] for c in detail.case_claims] == [other.claim_no]
    assert [a["instruction_id"] for a in detail.attempts] == ["I2", "I1"]  # newest first
    assert detail.attempts[0]["batch_id"] == "B1"
    assert detail.events[0].action == "NOTE"
    assert claim_detail("KLM-TIDAK-ADA") is None
