from collections import Counter

import pytest
from peewee import fn

from demo.data import DemoError, generate
from models import Claim, ClaimStatus, PayoutBatch, PayoutInstruction


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
