"""The pre-payout checks one claim at a time (core/claims/checks.py), as desk actions run them."""

from __future__ import annotations

import pytest

from core.claims.checks import ChunkLookups, DbLookups, evaluate
from core.db import is_postgres
from models import ClaimStatus, db
from tests.factories import make_claim

S = ClaimStatus
RULES = {"approval_threshold": 50_000_000, "instalment_benefits": frozenset({"JKK_STMB", "BEASISWA"})}


def test_a_death_claim_of_a_worker_already_dead_in_another_case_names_it(database):
    first = make_claim(S.PAID, benefit_type="JKM", case_no="KSS-A", nik="5371014107850001")
    second = make_claim(S.ON_HOLD, benefit_type="JKK_MENINGGAL", case_no="KSS-B", nik="5371014107850001")
    verdict = evaluate(second, **RULES)
    assert verdict.status == S.NEEDS_REVIEW and first.claim_no in verdict.reason


def test_a_cancelled_death_claim_does_not_stop_another(database):
    make_claim(S.CANCELLED, benefit_type="JKM", case_no="KSS-A", nik="5371014107850001")
    second = make_claim(S.ON_HOLD, benefit_type="JKK_MENINGGAL", case_no="KSS-B", nik="5371014107850001")
    assert "meninggal" not in (evaluate(second, **RULES).reason or "")


def test_an_account_paid_to_another_beneficiary_is_found_from_the_database(database):
    account = {"bank_code": "130", "account_no": "0099887766"}
    first = make_claim(S.PAID, beneficiary_nik="5371015507880002", **account)
    second = make_claim(S.ON_HOLD, beneficiary_nik="5371015507880003", **account)
    verdict = evaluate(second, **RULES)
    assert verdict.status == S.NEEDS_REVIEW and "rekening bersama" in verdict.reason
    assert first.claim_no in verdict.reason


def test_the_shared_account_look_ups_read_an_index_not_every_claim(database, monkeypatch):
    """Once per intake chunk and once per desk action: a scan of 1,000,000 claims took 25 of an
    intake's 45 s (migration 0016)."""
    if is_postgres():
        pytest.skip("SQLite's plan is read here; PostgreSQL plans a table this small as a scan either way")
    claim = make_claim(S.ON_HOLD, bank_code="130", account_no="0099887766")
    seen: list[tuple[str, tuple]] = []
    real = db.obj  # db is a proxy: the queries run on the database it stands for
    execute = real.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, *args, **kwargs)

    monkeypatch.setattr(real, "execute_sql", spy)
    DbLookups().same_account(claim)
    ChunkLookups.load([{"case_no": "KSS-X", "benefit_type": "JKK", "nik": claim.nik, "kpj": claim.kpj,
                        "account_no": "0099887766"}])
    monkeypatch.setattr(real, "execute_sql", execute)
    by_account = [(sql, params) for sql, params in seen
                  if '"account_no" =' in sql or '"account_no" IN' in sql]
    assert len(by_account) == 2
    for sql, params in by_account:
        plan = " ".join(row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "claim_account_no" in plan, plan  # not "SCAN t1": every claim read
