"""The money events (ClaimEvent) are a hash chain like the audit log: every writer of the state
machine links its events, single or in bulk, and an edit, deletion or insertion with plain SQL is
named at the first broken link."""

import importlib

import pytest

from core.audit_chain import MONEY, link_hash, verify_chain, verify_chains
from core.claims.states import create_claims, mark_reported, record_event, transition, transition_many
from core.db import MIGRATIONS_DIR, allocate_ids, write_tx
from models import Claim, ClaimEvent, ClaimStatus, Counter, utcnow
from tests.factories import claim_fields, make_claim, race

S = ClaimStatus


def _history() -> list[int]:
    """Five events of every writer kind: created, moved, noted, moved in bulk; their ids in order."""
    first, second = make_claim(), make_claim()
    transition(first, S.ON_HOLD, actor="koordinator", action="HOLD", reason="cek ahli waris")
    record_event(second, actor="koordinator", action="NOTE", reason="telepon")
    transition_many([second.id], S.READY, S.INSTRUCTED, actor="job:bank_push", action="INSTRUCTED",
                    details={second.id: '{"batch":"B1"}'})
    return [e for (e,) in ClaimEvent.select(ClaimEvent.id).order_by(ClaimEvent.id).tuples()]


def _money() -> object:
    return verify_chain(chain=MONEY)


def test_every_writer_links_its_events_to_the_one_before(database):
    ids = _history()
    events = list(ClaimEvent.select().order_by(ClaimEvent.id))
    assert len(events) == 5 and events[0].prev_hash is None
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert all(e.hash == link_hash({**e.__data__}, MONEY) for e in events)
    assert Counter.get_by_id(MONEY.head).value == ids[-1]
    report = _money()
    assert report.intact and report.checked == 5


def test_untouched_history_passes_both_chains(database):
    _history()
    assert [r.intact for r in verify_chains()] == [True, True]


@pytest.mark.parametrize("column", ["reason", "to_status", "actor", "claim_id"])
def test_an_event_edited_with_plain_sql_is_named(database, column):
    ids = _history()
    other = Claim.select(Claim.id).order_by(Claim.id.desc()).scalar()
    value = {"reason": "'lain'", "to_status": "'PAID'", "actor": "'mallory'", "claim_id": str(other)}[column]
    database.execute_sql(f"UPDATE claim_event SET {column} = {value} WHERE id = {ids[2]}")
    broken = _money().broken
    assert (broken.kind, broken.row_id, broken.before_id) == ("changed", ids[2], ids[1])
    assert f"claim_event id {ids[2]}: isinya diubah" in str(broken)
    assert f" / Money event chain broken at claim_event row {ids[2]}" in str(broken)


@pytest.mark.parametrize(("deleted", "named"), [
    ("= {2}", ("gap", 3, 1)),  # in the middle: the next one's link breaks
    ("= {0}", ("gap", 1, None)),  # the first: named at the second, after "the start"
    (">= {3}", ("head", 4, 2)),  # the last ones: the head still names the last one written
])
def test_an_event_deleted_with_plain_sql_is_named_at_the_first_broken_link(database, deleted, named):
    ids = _history()
    database.execute_sql("DELETE FROM claim_event WHERE id " + deleted.format(*ids))
    broken = _money().broken
    kind, row, before = named
    assert (broken.kind, broken.row_id, broken.before_id) == (kind, ids[row], ids[before] if before else None)


def test_an_event_inserted_behind_the_state_machine_is_named(database):
    ids = _history()
    sneaked = ClaimEvent.create(claim=ClaimEvent.get_by_id(ids[0]).claim_id, actor="x", action="PAID")
    make_claim()
    assert (_money().broken.kind, _money().broken.row_id) == ("no_hash", sneaked.id)


def test_bulk_intake_and_report_chain_every_event_in_order(database):
    make_claim()
    with write_tx():
        rows = [{**claim_fields(), "status": S.READY, "received_at": utcnow(), "flagged": False,
                 "report_pending": False} for _ in range(7)]
        for row, new_id in zip(rows, allocate_ids(Claim, len(rows)), strict=True):
            row["id"] = new_id
        create_claims(rows, actor="job:bpjs_pull", reasons=[None] * 7,
                      details=[{"line": i} for i in range(7)])
    claims = list(Claim.select().order_by(Claim.id))
    transition_many([c.id for c in claims], S.READY, S.INSTRUCTED, actor="job:bank_push", action="INSTRUCTED",
                    chunk=3)
    transition_many([c.id for c in claims], S.INSTRUCTED, S.PAID, actor="job:bank_pull", action="PAID")
    with write_tx():
        mark_reported([(c, "PAID") for c in Claim.select()], actor="job:bpjs_push", file_name="R.txt",
                      at=utcnow())
    report = _money()
    assert report.intact and report.checked == 1 + 7 + 8 * 3


def test_a_rolled_back_transition_leaves_the_chain_intact(database):
    claim = make_claim()
    with pytest.raises(RuntimeError), write_tx():
        transition(claim, S.ON_HOLD, actor="koordinator", action="HOLD")
        raise RuntimeError("crash after the event")
    transition(Claim.get_by_id(claim.id), S.ON_HOLD, actor="koordinator", action="HOLD")
    assert _money().intact and _money().checked == 2


def test_concurrent_writers_never_fork_the_chain(database):
    claims = [make_claim() for _ in range(4)]

    def write(n: int) -> None:
        for i in range(8):
            record_event(claims[n], actor=f"user{n}", action="NOTE", reason=str(i))

    assert race(database, write, threads=4) == []
    prevs = [p for (p,) in ClaimEvent.select(ClaimEvent.prev_hash).tuples()]
    assert len(prevs) == len(set(prevs)) == 36
    assert _money().intact and _money().checked == 36


def test_the_migration_chains_the_events_already_there(database):
    claim = make_claim()
    for reason in ("a", "b", "c"):  # rows written before the chain existed: no hashes
        ClaimEvent.create(claim=claim, at=utcnow(), actor="old", action="NOTE", reason=reason)
    ClaimEvent.update(prev_hash=None, hash=None).execute()
    assert _money().broken.kind == "no_hash"
    migration = importlib.import_module(f"core.migrations.{_stem('claim_event_chain')}")
    with write_tx():
        migration._chain(database)
    assert _money().intact and _money().checked == 4
    record_event(claim, actor="koordinator", action="NOTE")  # the next event links to the last of them
    assert _money().intact and _money().checked == 5


def _stem(name: str) -> str:
    return next(p.stem for p in MIGRATIONS_DIR.glob(f"[0-9][0-9][0-9][0-9]_{name}.py"))
