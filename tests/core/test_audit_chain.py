import hashlib
import importlib

import pytest

from core.audit import audit
from core.audit_chain import HEAD, link_hash, verify_chain
from core.db import MIGRATIONS_DIR, write_tx
from models import AuditLog, Counter
from tests.factories import race

ACTIONS = ["LOGIN", "CLAIM_HOLD", "APPROVE", "FILE_DOWNLOAD", "LOGOUT"]


def _five() -> list[AuditLog]:
    return [audit(action, username="supervisor", target=f"KLM-{i}", details={"reason": "cek ahli waris"})
            for i, action in enumerate(ACTIONS, 1)]


def test_each_row_links_to_the_hash_of_the_row_before(database):
    rows = _five()
    stored = list(AuditLog.select().order_by(AuditLog.id))
    assert stored[0].prev_hash is None
    assert [r.prev_hash for r in stored[1:]] == [r.hash for r in stored[:-1]]
    assert Counter.get_by_id(HEAD).value == rows[-1].id
    report = verify_chain()
    assert report.intact and report.checked == 5


def test_the_hash_is_sha256_of_sorted_key_json_with_iso_time_and_explicit_nulls(database):
    row = audit("LOGIN", username="maria", ip=None)
    at = row.at.isoformat(timespec="microseconds")
    text = (f'{{"action":"LOGIN","at":"{at}","details":null,"id":{row.id},"ip":null,"prev_hash":null,'
            '"target":null,"username":"maria"}')
    assert row.hash == hashlib.sha256(text.encode()).hexdigest()


def test_a_row_edited_with_plain_sql_is_named(database):
    rows = _five()
    database.execute_sql(f"UPDATE audit_log SET target = 'KLM-99' WHERE id = {rows[2].id}")
    broken = verify_chain().broken
    assert (broken.kind, broken.row_id, broken.before_id) == ("changed", rows[2].id, rows[1].id)
    assert f"audit_log id {rows[2].id}" in str(broken) and " / Audit chain broken" in str(broken)


def test_an_edited_time_is_named_too(database):
    rows = _five()
    database.execute_sql(f"UPDATE audit_log SET at = at - INTERVAL '1 day' WHERE id = {rows[0].id}"
                         if database.__class__.__name__.startswith("Postgres") else
                         f"UPDATE audit_log SET at = '2026-01-01 00:00:00' WHERE id = {rows[0].id}")
    assert (verify_chain().broken.kind, verify_chain().broken.row_id) == ("changed", rows[0].id)


# (rows deleted, by index) -> (kind, row named, last intact row before it), by index of the five rows
@pytest.mark.parametrize(("deleted", "named"), [
    ("= {2}", ("gap", 3, 1)),  # a row in the middle: the link of the next one breaks
    ("= {0}", ("gap", 1, None)),  # the first row: named at the second, after "the start of the log"
    (">= {3}", ("head", 4, 2)),  # the last rows: the chain head still names the last one written
])
def test_a_row_deleted_with_plain_sql_is_named_at_the_first_broken_link(database, deleted, named):
    ids = [row.id for row in _five()]
    database.execute_sql("DELETE FROM audit_log WHERE id " + deleted.format(*ids))
    broken = verify_chain().broken
    kind, row, before = named
    assert (broken.kind, broken.row_id, broken.before_id) == (kind, ids[row], ids[before] if before else None)
    assert ("awal log" in broken.message("id")) == (before is None)


def test_a_row_inserted_behind_audit_is_named(database):
    _five()
    sneaked = AuditLog.create(action="APPROVE", username="supervisor", target="KLM-7")
    audit("LOGOUT", username="supervisor")
    assert (verify_chain().broken.kind, verify_chain().broken.row_id) == ("no_hash", sneaked.id)


def test_an_empty_log_is_intact(database):
    assert verify_chain().intact and verify_chain().checked == 0


def test_verify_walks_in_chunks(database):
    _five()
    assert verify_chain(chunk=2).checked == 5
    database.execute_sql("DELETE FROM audit_log WHERE id = 3")
    assert verify_chain(chunk=2).broken.row_id == 4


def test_an_audit_inside_a_rolled_back_transaction_leaves_the_chain_intact(database):
    _five()
    try:
        with write_tx():
            audit("CLAIM_HOLD", username="coordinator")
            raise RuntimeError("crash after the audit")
    except RuntimeError:
        pass
    audit("LOGOUT", username="coordinator")
    assert verify_chain().intact and verify_chain().checked == 6


def test_concurrent_appends_never_fork_the_chain(database):
    def write(n: int) -> None:
        for i in range(15):
            audit("LOGIN", username=f"user{n}", details={"i": i})

    assert race(database, write, threads=6) == []
    prevs = [p for (p,) in AuditLog.select(AuditLog.prev_hash).tuples()]
    assert len(prevs) == len(set(prevs)) == 90  # no two rows link to the same row
    report = verify_chain()
    assert report.intact and report.checked == 90


def test_the_migration_chains_the_rows_already_there(database):
    for action in ACTIONS:  # rows written before the chain existed: no hashes
        AuditLog.create(action=action, username="supervisor", details='{"a": 1}')
    assert verify_chain().broken.kind == "no_hash"
    migration = importlib.import_module(f"core.migrations.{_stem('audit_chain')}")
    with write_tx():
        migration._chain(database)
    report = verify_chain()
    assert report.intact and report.checked == 5
    audit("LOGOUT", username="supervisor")  # and the next audit links to the last of them
    assert verify_chain().intact
    last = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert last.hash == link_hash({**last.__data__})


def _stem(name: str) -> str:
    return next(p.stem for p in MIGRATIONS_DIR.glob(f"[0-9][0-9][0-9][0-9]_{name}.py"))
