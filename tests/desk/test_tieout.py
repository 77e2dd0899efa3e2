"""The tie-out (desk/views/tieout.py): approved = queued + instructed + paid + failed + held and
paid = debited - returned, per day, batch and kabupaten, to the rupiah, from one aggregate query."""

import datetime as dt

import openpyxl
import pytest

from core.claims.queries import count, count_and_total
from desk.views.tieout import queue_filter, tieout, tieout_for, total, write_xlsx
from models import Claim, ClaimStatus, PayoutBatch, PayoutInstruction, Role, User, utcnow
from tests.factories import make_claim

S = ClaimStatus
_seq = iter(range(1, 10_000))


def _sent(status: str, amount: int = 1_000_000, *, batch: str = "20261103000001", paid: int | None = None,
          result: str = "SUCCESS", debited: bool = False, **fields) -> Claim:
    """A claim at the bank: its current instruction for `paid` (default: the approved amount)."""
    claim = make_claim(status, approved_amount=amount, **fields)
    b, _ = PayoutBatch.get_or_create(batch_id=batch)
    ins = PayoutInstruction.create(instruction_id=f"INS{next(_seq):09d}", batch=b, claim=claim,
                                   beneficiary_name="x", bank_code="130", account_no="1",
                                   amount=paid or amount, remark="r", result_status=result)
    Claim.update(instruction_id=ins.instruction_id, batch_id=batch,
                 debited_on=dt.date(2026, 11, 4) if debited else None).where(Claim.id == claim.id).execute()
    return claim


def _book() -> None:
    make_claim(S.READY, approved_amount=2_000_000)
    make_claim(S.NEEDS_REVIEW, approved_amount=500_000)
    make_claim(S.ON_HOLD, approved_amount=700_000)
    make_claim(S.REJECTED, approved_amount=9_000_000, decision="REJECTED")  # outside the tie-out
    make_claim(S.CANCELLED, approved_amount=9_000_000)
    _sent(S.INSTRUCTED, 1_500_000, result="SENT")
    _sent(S.PAID, 3_000_000, debited=True)
    _sent(S.PAYOUT_FAILED, 800_000, result="FAILED")
    _sent(S.PAYOUT_FAILED, 900_000, result="RETURNED", debited=True)  # debited, then the credit came back


def test_every_term_is_counted_to_the_rupiah_and_both_identities_hold(database):
    _book()
    [row] = tieout("kabupaten")
    got = {term: (v.count, v.amount) for term, v in row.terms.items()}
    assert got == {"approved": (7, 9_400_000), "queued": (2, 2_500_000), "held": (1, 700_000),
                   "instructed": (1, 1_500_000), "paid": (1, 3_000_000), "failed": (2, 1_700_000),
                   "debited": (2, 3_900_000), "returned": (1, 900_000)}
    assert row.key == "5371" and row.approved_holds and row.paid_holds


def test_an_instruction_for_another_amount_than_approved_breaks_the_first_identity(database):
    _book()
    _sent(S.PAID, 1_000_000, paid=1_000_001, debited=True)
    [row] = tieout("kabupaten")
    assert not row.approved_holds and row.terms["approved"].amount + 1 == row.sum.amount
    assert row.paid_holds


def test_a_paid_claim_without_a_matched_debit_breaks_the_second_identity(database):
    _book()
    _sent(S.PAID, 1_000_000)
    [row] = tieout("kabupaten")
    assert row.approved_holds and not row.paid_holds
    assert (row.terms["paid"].count, row.net_debited.count) == (2, 1)


def test_a_claim_bpjs_did_not_approve_in_a_payable_status_breaks_it(database):
    make_claim(S.READY, decision="REJECTED", approved_amount=0)
    make_claim(S.READY, approved_amount=100)
    [row] = tieout("kabupaten")
    assert not row.approved_holds


def test_groups_by_batch_kabupaten_and_local_day(database):
    _sent(S.PAID, 100, batch="B1", debited=True, kabupaten_code="5371")
    _sent(S.PAID, 200, batch="B2", debited=True, kabupaten_code="5301")
    make_claim(S.READY, approved_amount=300, kabupaten_code="5301")
    by_batch = [(r.key, r.terms["approved"].amount) for r in tieout("batch")]
    assert by_batch == [("B2", 200), ("B1", 100), ("", 300)]
    by_kabupaten = [(r.key, r.terms["approved"].amount) for r in tieout("kabupaten")]
    assert by_kabupaten == [("5301", 500), ("5371", 100)]
    # 23:30 UTC is the next morning in WITA (UTC+8): the day is the local one
    Claim.update(received_at=dt.datetime(2026, 11, 2, 23, 30)).execute()
    rows = tieout("day", date_from=dt.date(2026, 11, 3), date_to=dt.date(2026, 11, 3))
    assert [(r.key, r.terms["approved"].count) for r in rows] == [("2026-11-03", 3)]
    assert tieout("day", date_from=dt.date(2026, 11, 4)) == []


def test_each_term_links_to_the_queue_filtered_to_its_claims(database):
    assert queue_filter("kabupaten", "5371", "held").to_params() == {"status": "ON_HOLD", "kab": "5371"}
    assert queue_filter("batch", "B1", "paid").to_params() == {"status": "PAID", "batch": "B1"}
    day = queue_filter("day", "2026-11-03", "queued").to_params()
    assert day == {"status": "NEEDS_REVIEW,AWAITING_APPROVAL,READY", "from": "2026-11-03", "to": "2026-11-03"}
    assert queue_filter("kabupaten", "5371", "debited").to_params()["debited"] == "1"
    assert queue_filter("batch", "", "queued").to_params()["batch"] == "-"  # the "no batch" row


def _book_everywhere() -> None:
    """The book in two kabupaten, two batches, unbatched claims and two received days, with claims
    that make the terms differ from their statuses: a READY claim BPJS did not approve, a PAID claim
    not yet debited, a debited claim whose credit came back, a FAILED one never debited."""
    _book()
    _sent(S.PAID, 400_000, batch="B2", kabupaten_code="5301")  # no debit yet
    _sent(S.PAYOUT_FAILED, 600_000, batch="B2", result="RETURNED", kabupaten_code="5301")  # no debit
    make_claim(S.READY, decision="REJECTED", approved_amount=0, kabupaten_code="5301")
    make_claim(S.ON_HOLD, approved_amount=50_000, kabupaten_code="5301")
    Claim.update(received_at=dt.datetime(2026, 11, 2, 3, 0)).where(Claim.kabupaten_code == "5301").execute()
    Claim.update(received_at=dt.datetime(2026, 11, 3, 23, 30)).where(Claim.kabupaten_code == "5371").execute()
    make_claim(S.READY, approved_amount=10, received_at=dt.datetime(2026, 10, 15, 2, 0))  # 5371, October


@pytest.mark.parametrize("dimension", ["day", "batch", "kabupaten"])
def test_the_claims_behind_each_link_are_exactly_the_tie_out_figure(database, dimension):
    """The queue opened by each link counts what the tie-out shows, term by term, row by row."""
    _book_everywhere()
    frm, to = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    rows = tieout(dimension, date_from=frm, date_to=to)
    assert len(rows) >= 2
    for row in rows:
        for term, figure in row.terms.items():
            behind = queue_filter(dimension, row.key, term, frm, to)
            assert count(behind) == figure.count, (dimension, row.key, term)
            if term in ("approved", "queued", "held"):  # amounts of the BPJS decision, as the queue sums
                assert count_and_total(behind)[1] == figure.amount, (dimension, row.key, term)
    # the terms that are not statuses alone did differ from their statuses' count
    [k5301] = [r for r in tieout("kabupaten") if r.key == "5301"]
    assert k5301.terms["approved"].count == 3 and k5301.terms["debited"].count == 0
    assert k5301.terms["returned"].count == 1


def test_the_page_range_bounds_the_links_of_batch_and_kabupaten_rows(database):
    _book_everywhere()
    frm, to = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    [row] = [r for r in tieout("kabupaten", date_from=frm, date_to=to) if r.key == "5371"]
    behind = queue_filter("kabupaten", "5371", "queued", frm, to)
    assert behind.to_params()["from"] == "2026-11-01" and count(behind) == row.terms["queued"].count == 2
    assert count(queue_filter("kabupaten", "5371", "queued")) == 3  # without the range: October's too


def test_a_kabupaten_desk_sees_its_own_kabupaten_only(database):
    make_claim(S.READY, kabupaten_code="5371")
    make_claim(S.READY, kabupaten_code="5301")
    User.create(username="desk", role=Role.VIEWER, password_hash="-", kabupaten_codes="5301")
    User.create(username="prov", role=Role.VIEWER, password_hash="-")
    assert [r.key for r in tieout_for("desk", "kabupaten")] == ["5301"]
    assert [r.key for r in tieout_for("prov", "kabupaten")] == ["5301", "5371"]


def test_the_xlsx_holds_every_row_the_total_and_the_verdict(database, tmp_path):
    _book()
    _sent(S.PAID, 1_000_000)  # no debit yet: the paid identity fails
    rows = tieout("kabupaten")
    path = write_xlsx(rows, "kabupaten", "id")
    sheet = openpyxl.load_workbook(path).active
    lines = list(sheet.values)
    assert lines[0][0] == "Kabupaten/kota" and lines[0][1] == "Disetujui (jumlah)"
    assert lines[1][0] == "5371" and lines[1][1] == 8 and lines[1][2] == 10_400_000
    assert lines[1][-2:] == ("ya", "TIDAK")
    assert lines[2][0] == "Jumlah" and lines[2][2] == total(rows).terms["approved"].amount


@pytest.mark.parametrize("dimension", ["day", "batch", "kabupaten"])
def test_an_empty_database_has_no_rows(database, dimension):
    assert tieout(dimension) == [] and total([]).approved_holds
    assert utcnow()  # the clock the factories use
