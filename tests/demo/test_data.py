import datetime as dt
from collections import Counter
from types import SimpleNamespace

import pytest
from peewee import fn

from core.claims.checks import BenefitRules, ChunkLookups, review_problems
from core.claims.payment_duty import PaymentDuty
from core.files.layout.fields import nik_problem
from demo.data import DemoError, generate
from models import BatchFile, Claim, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.demo.beneficiaries import misfit


@pytest.fixture
def demo(database, reference):
    generate(3000, seed=7, reference=reference)
    return database


def test_demo_covers_every_status_and_all_22_kabupaten(demo, reference):
    assert Claim.select().count() == 3000
    statuses = {s for (s,) in Claim.select(Claim.status).distinct().tuples()}
    assert statuses == set(ClaimStatus.ALL)
    kab = {k for (k,) in Claim.select(Claim.kabupaten_code).distinct().tuples()}
    assert kab == reference.codes("kabupaten")


def test_demo_beneficiaries_fit_their_benefit(demo, reference):
    pairs = set(Claim.select(Claim.benefit_type, Claim.beneficiary_relation).distinct().tuples())
    assert [pair for pair in pairs if misfit(*pair)] == []
    relations = {relation for _, relation in pairs}
    assert relations <= reference.codes("beneficiary_relation")
    assert {"SELF", "SPOUSE", "CHILD", "GUARDIAN", "FUNERAL_ORGANISER"} <= relations


def test_demo_niks_are_valid_and_of_the_workers_kabupaten_and_kpj_has_11_digits(demo):
    for nik, kabupaten, kpj, beneficiary_nik in Claim.select(
            Claim.nik, Claim.kabupaten_code, Claim.kpj, Claim.beneficiary_nik).tuples():
        assert (nik_problem(nik), nik_problem(beneficiary_nik)) == (None, None), (nik, beneficiary_nik)
        assert nik[:4] == beneficiary_nik[:4] == kabupaten
        assert len(kpj) == 11 and kpj.isdigit()


def test_instalment_benefits_have_several_payments_per_case(demo):
    per_case = Counter(c for (c,) in Claim.select(Claim.case_no)
                       .where(Claim.benefit_type == "JKK_STMB").tuples())
    assert max(per_case.values()) >= 3


def test_demo_payout_trail_ties_out(demo):
    for batch in PayoutBatch.select():
        total = (PayoutInstruction.select(fn.SUM(PayoutInstruction.amount))
                 .where(PayoutInstruction.batch == batch).scalar())
        assert total == batch.total_amount == batch.file.control_total
    paid = Claim.select().where(Claim.status == ClaimStatus.PAID)
    assert paid.count() > 0
    assert all(c.bank_reference for c in paid)
    bad = (Claim.select().join(PayoutInstruction, on=(PayoutInstruction.claim == Claim.id))
           .where(PayoutInstruction.amount != Claim.approved_amount).count())
    assert bad == 0


def test_demo_is_deterministic(database_url, reference, tmp_path):
    from core.db import init_db
    from models import db

    def snapshot():
        return list(Claim.select(Claim.claim_no, Claim.nik, Claim.worker_name, Claim.status,
                                 Claim.approved_amount).order_by(Claim.id).limit(200).tuples())

    if database_url.startswith("postgres"):
        pytest.skip("determinism is checked on SQLite files")
    first = init_db(f"sqlite:///{tmp_path / 'a.db'}")
    generate(500, seed=3, reference=reference)
    a = snapshot()
    first.close()
    init_db(f"sqlite:///{tmp_path / 'b.db'}")
    generate(500, seed=3, reference=reference)
    assert snapshot() == a
    db.obj.close()


def test_demo_refuses_a_database_that_already_has_claims(demo, reference):
    with pytest.raises(DemoError, match="sudah berisi"):
        generate(10, reference=reference)


def test_demo_claims_carry_the_payment_duty_of_their_benefit(demo, reference):
    """The late queue and the dashboard read `payment_due_date`: demo claims must have it, right."""
    duty = PaymentDuty({code: rule.duty_days for code, rule in reference.benefits.items()})
    rows = list(Claim.select(Claim.benefit_type, Claim.verified_at, Claim.payment_due_date).tuples())
    assert all(due == duty.due_date(benefit, verified) for benefit, verified, due in rows)
    assert {benefit for benefit, _, _ in rows if benefit == "JKM"}  # the 3-day duty is exercised too


def test_a_fresh_demo_has_no_claim_whose_dates_contradict_each_other(demo):
    """Issue 14: accidents after the programme start, verified after the accident and before the
    BPJS file that carries the claim, received with that file, sent and paid after that."""
    start, now = dt.date(2025, 7, 21), dt.datetime(2026, 11, 20, 2, 0)
    rows = (Claim.select(Claim, BatchFile.name, BatchFile.created_at.alias("file_at"))
            .join(BatchFile, on=(Claim.source_file == BatchFile.id)).dicts())
    for c in rows:
        verified_day = (c["verified_at"] + dt.timedelta(hours=8)).date()  # WITA
        file_day = dt.datetime.strptime(c["name"].split("_")[2], "%Y%m%d").date()
        assert start <= c["accident_date"] < verified_day, c["claim_no"]
        assert c["verified_at"] < c["file_at"] <= c["received_at"] < now and verified_day < file_day, c
        assert c["payment_due_date"] > verified_day
        if c["paid_date"]:
            assert verified_day < c["paid_date"] <= now.date(), c["claim_no"]
    sent = (PayoutInstruction.select(Claim.received_at, PayoutBatch.created_at).join(Claim)
            .switch(PayoutInstruction).join(PayoutBatch).tuples())
    assert all(received < batch_at < now for received, batch_at in sent)


def test_a_fresh_demo_claim_that_may_be_paid_breaks_no_benefit_rule(demo, reference):
    """READY, approved, sent or paid demo claims pass the pre-payout checks of contract section 7."""
    rules = BenefitRules(reference.benefits, 1_000_000, dt.date(2025, 7, 21))
    values = list(Claim.select().where(Claim.status.in_([ClaimStatus.READY, ClaimStatus.INSTRUCTED,
                                                         ClaimStatus.PAID])).dicts())
    lookups = ChunkLookups.load(values)
    instalments = reference.instalment_benefits
    broken = {v["claim_no"]: review_problems(SimpleNamespace(**v), instalments, lookups, rules)
              for v in values}
    assert {no: problems for no, problems in broken.items() if problems} == {}
    assert {v["benefit_type"] for v in values} >= {"JKK_MENINGGAL", "JKK_SANTUNAN_BERKALA", "JKM"}
