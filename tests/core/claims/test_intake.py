"""Applying VERIFIED_CLAIMS records (core/claims/intake.py):
new claims, corrections, ignored and late revisions."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.claims.intake import Intake
from models import BatchFile, Claim, ClaimEvent, ClaimStatus, Worker
from tests.factories import make_claim, payment_duty
from tests.fixtures.jobs import claim_record

S = ClaimStatus
THRESHOLD = 50_000_000
INSTALMENTS = frozenset({"JKK_STMB", "BEASISWA"})


@pytest.fixture
def source(database) -> BatchFile:
    return BatchFile.create(direction="IN", partner="bpjs", file_type="VERIFIED_CLAIMS",
                            name="BPJSTK_KLAIM_20261123_01.txt", status="RECEIVED")


def apply(source: BatchFile, *records: dict, start_line: int = 2):
    intake = Intake(source, approval_threshold=THRESHOLD, instalment_benefits=INSTALMENTS,
                    payment_duty=payment_duty())
    return intake.apply([(start_line + i, r) for i, r in enumerate(records)])


def claim(n: int) -> Claim:
    return Claim.get(Claim.claim_no == claim_record(n)["claim_no"])


def test_approved_claim_with_an_account_is_ready(source):
    report = apply(source, claim_record(1))
    assert report.new == 1
    assert claim(1).status == S.READY
    assert claim(1).source_file_id == source.id and claim(1).source_line == 2


def test_claim_without_an_account_needs_review_with_the_reason(source):
    apply(source, claim_record(1, bank_code=None, account_no=None))
    assert claim(1).status == S.NEEDS_REVIEW
    assert "Rekening bank belum ada" in claim(1).review_reason


def test_amount_at_the_threshold_awaits_a_second_persons_approval(source):
    apply(source, claim_record(1, benefit_type="JKM", beneficiary_relation="SPOUSE",
                               beneficiary_nik="5371015507880002", approved_amount=THRESHOLD))
    assert claim(1).status == S.AWAITING_APPROVAL


def test_rejected_decision_becomes_a_rejected_claim(source):
    apply(source, claim_record(1, decision="REJECTED", approved_amount=0,
                               decision_reason="Di luar hubungan kerja"))
    assert claim(1).status == S.REJECTED


def test_second_payment_of_a_one_off_benefit_in_the_same_case_needs_review(source):
    heir = {"benefit_type": "JKM", "beneficiary_relation": "SPOUSE", "beneficiary_nik": "5371015507880002",
            "approved_amount": 42_000_000, "case_no": "KSS-2026-0000001"}
    apply(source, claim_record(1, **heir), claim_record(2, **heir))
    assert claim(1).status == S.READY
    assert claim(2).status == S.NEEDS_REVIEW
    assert "pembayaran ganda" in claim(2).review_reason and claim(1).claim_no in claim(2).review_reason


def test_instalments_of_one_case_are_all_payable(source):
    apply(source, *[claim_record(n, case_no="KSS-2026-0000001") for n in (1, 2, 3)])
    assert [claim(n).status for n in (1, 2, 3)] == [S.READY] * 3


def test_same_case_already_paid_before_this_file_needs_review(source):
    make_claim(S.PAID, case_no="KSS-2026-0000001", benefit_type="JKK_CACAT")
    apply(source, claim_record(1, case_no="KSS-2026-0000001", benefit_type="JKK_CACAT"))
    assert claim(1).status == S.NEEDS_REVIEW


def test_each_new_claim_gets_its_received_event_and_its_worker(source):
    apply(source, claim_record(1), claim_record(2, kpj=claim_record(1)["kpj"]))
    events = list(ClaimEvent.select().where(ClaimEvent.claim == claim(1).id))
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in events] == [
        ("RECEIVED", None, S.READY, "job:bpjs_pull")]
    assert json.loads(events[0].details) == {"file": source.name, "line": 2, "revision": 1}
    assert Worker.select().count() == 1
    assert claim(1).worker_id == claim(2).worker_id


def test_verification_time_is_stored_in_utc(source):
    apply(source, claim_record(1))
    assert claim(1).verified_at == dt.datetime(2026, 10, 5, 1, 0)


def test_higher_revision_replaces_a_claim_not_yet_sent_and_checks_it_again(source):
    apply(source, claim_record(1))
    report = apply(source, claim_record(1, revision=2, account_no=None, bank_code=None))
    assert report.revised == 1
    assert (claim(1).revision, claim(1).status, claim(1).account_no) == (2, S.NEEDS_REVIEW, None)
    event = ClaimEvent.select().where(ClaimEvent.claim == claim(1).id).order_by(ClaimEvent.id.desc()).first()
    assert event.action == "REVISED"
    assert json.loads(event.details)["differences"]["account_no"] == [claim_record(1)["account_no"], None]


def test_higher_revision_that_keeps_the_status_is_recorded_as_a_revision(source):
    apply(source, claim_record(1))
    apply(source, claim_record(1, revision=2, approved_amount=1_500_000))
    assert (claim(1).status, claim(1).approved_amount) == (S.READY, 1_500_000)


def test_lower_or_equal_revision_is_ignored_and_reported(source):
    apply(source, claim_record(1, revision=3))
    report = apply(source, claim_record(1, revision=3, approved_amount=9_000_000),
                   claim_record(1, revision=2, approved_amount=9_000_000), start_line=10)
    assert report.ignored == 2
    assert [n.line_no for n in report.notes] == [10, 11]
    assert all("Diabaikan" in n.message for n in report.notes)
    assert claim(1).approved_amount == 1_000_000


@pytest.mark.parametrize("status", [S.INSTRUCTED, S.PAID, S.PAYOUT_FAILED, S.CANCELLED])
def test_late_correction_is_flagged_with_the_difference_and_not_applied(source, status):
    held = make_claim(status, **{k: v for k, v in claim_record(1).items() if k != "verified_at"})
    report = apply(source, claim_record(1, revision=2, approved_amount=1_500_000))
    held = Claim.get_by_id(held.id)
    assert report.flagged == 1
    assert (held.status, held.approved_amount, held.revision) == (status, 1_000_000, 1)
    assert held.flagged
    assert "Rp 1.000.000 -> Rp 1.500.000" in held.flag_reason
    assert "Ditandai" in report.notes[0].message


def test_correction_of_a_held_claim_is_applied_and_it_stays_held(source):
    held = make_claim(S.ON_HOLD, **{k: v for k, v in claim_record(1).items() if k != "verified_at"})
    apply(source, claim_record(1, revision=2, approved_amount=2_000_000))
    held = Claim.get_by_id(held.id)
    assert (held.status, held.approved_amount, held.revision) == (S.ON_HOLD, 2_000_000, 2)


def test_same_claim_twice_in_one_chunk_keeps_the_higher_revision(source):
    report = apply(source, claim_record(1, revision=1), claim_record(1, revision=2,
                                                                     approved_amount=2_000_000))
    assert (report.new, report.ignored) == (1, 1)
    assert (claim(1).revision, claim(1).approved_amount, claim(1).source_line) == (2, 2_000_000, 3)


WITA = dt.timezone(dt.timedelta(hours=8))


def test_new_claims_are_due_the_nth_working_day_after_verification_by_benefit(source):
    """JKM 3 working days, JKK 7; cuti bersama around Nyepi and Idul Fitri 2026 do not count."""
    verified = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WITA)
    apply(source, claim_record(1, benefit_type="JKM", beneficiary_relation="SPOUSE", verified_at=verified),
          claim_record(2, benefit_type="JKK_MENINGGAL", beneficiary_relation="SPOUSE", verified_at=verified))
    assert claim(1).payment_due_date == dt.date(2026, 3, 27)
    assert claim(2).payment_due_date == dt.date(2026, 4, 2)


def test_a_revision_restarts_the_clock_from_its_verification(source):
    apply(source, claim_record(1, verified_at=dt.datetime(2026, 3, 17, 10, 0, tzinfo=WITA)))
    assert claim(1).payment_due_date == dt.date(2026, 4, 2)
    apply(source, claim_record(1, revision=2, benefit_type="JKM", beneficiary_relation="SPOUSE",
                               verified_at=dt.datetime(2026, 4, 6, 9, 0, tzinfo=WITA)))
    assert claim(1).payment_due_date == dt.date(2026, 4, 9)  # Mon 6 April + 3 working days
