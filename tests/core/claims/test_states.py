import itertools
import threading

import pytest

from core.claims.states import (
    TRANSITIONS,
    ConcurrentChange,
    IllegalTransition,
    can_transition,
    create_claim,
    record_event,
    transition,
    transition_many,
)
from models import Claim, ClaimEvent, ClaimStatus
from tests.factories import claim_fields, make_claim

S = ClaimStatus
ALL_PAIRS = list(itertools.product(S.ALL, S.ALL))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


def test_every_status_has_a_row_in_the_table():
    assert set(TRANSITIONS) == {None, *S.ALL}


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed_transition_moves_claim_and_writes_its_event(database, from_status, to_status):
    claim = make_claim(from_status)
    event = transition(claim, to_status, actor="tester", action="TEST", reason="why")
    stored = Claim.get_by_id(claim.id)
    assert stored.status == to_status
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        from_status, to_status, "tester", "why")


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_refused_transition_raises_and_writes_nothing(database, from_status, to_status):
    claim = make_claim(from_status)
    events_before = ClaimEvent.select().count()
    with pytest.raises(IllegalTransition) as err:
        transition(claim, to_status, actor="tester", action="TEST")
    assert claim.claim_no in str(err.value)
    assert from_status in str(err.value) and to_status in str(err.value)
    assert Claim.get_by_id(claim.id).status == from_status
    assert ClaimEvent.select().count() == events_before


@pytest.mark.parametrize("to_status", S.ALL)
def test_new_claim_may_only_start_in_an_intake_status(database, to_status):
    allowed = can_transition(None, to_status)
    if allowed:
        claim = create_claim(to_status, actor="job:bpjs_pull", **claim_fields())
        assert claim.events.get().to_status == to_status
    else:
        with pytest.raises(IllegalTransition):
            create_claim(to_status, actor="job:bpjs_pull", **claim_fields())
        assert Claim.select().count() == 0


def test_stale_claim_object_cannot_move_a_claim_someone_else_moved(database):
    claim = make_claim(S.READY)
    stale = Claim.get_by_id(claim.id)
    transition(claim, S.ON_HOLD, actor="a", action="HOLD", reason="cek rekening")
    with pytest.raises(ConcurrentChange):
        transition(stale, S.INSTRUCTED, actor="job:bank_push", action="INSTRUCTED")
    assert Claim.get_by_id(claim.id).status == S.ON_HOLD


def test_final_outcome_is_marked_for_reporting_to_bpjs(database):
    claim = make_claim(S.INSTRUCTED)
    transition(claim, S.PAID, actor="job:bank_pull", action="PAID", bank_reference="REF1")
    assert Claim.awaiting_report().count() == 1


def test_record_event_keeps_status_and_refuses_status_changes(database):
    claim = make_claim(S.NEEDS_REVIEW)
    record_event(claim, actor="ana", action="NOTE", reason="menelpon ahli waris")
    assert Claim.get_by_id(claim.id).status == S.NEEDS_REVIEW
    with pytest.raises(ValueError):
        record_event(claim, actor="ana", action="NOTE", status=S.READY)


def test_transition_many_is_all_or_nothing(database):
    ready = [make_claim(S.READY) for _ in range(3)]
    held = make_claim(S.ON_HOLD)
    ids = [c.id for c in ready] + [held.id]
    with pytest.raises(ConcurrentChange):
        transition_many(ids, S.READY, S.INSTRUCTED, actor="job:bank_push", action="INSTRUCTED")
    assert Claim.select().where(Claim.status == S.INSTRUCTED).count() == 0
    moved = transition_many(ids[:3], S.READY, S.INSTRUCTED, actor="job:bank_push", action="INSTRUCTED")
    assert moved == 3
    assert ClaimEvent.select().where(ClaimEvent.to_status == S.INSTRUCTED).count() == 3


def test_concurrent_threads_move_a_claim_exactly_once(database):
    """Eight threads race to instruct one claim: one wins, the others see ConcurrentChange."""
    claim = make_claim(S.READY)
    wins, losses, errors = [], [], []

    def worker():
        try:
            with database.connection_context():
                mine = Claim.get_by_id(claim.id)
                try:
                    transition(mine, S.INSTRUCTED, actor="t", action="INSTRUCTED")
                    wins.append(1)
                except (ConcurrentChange, IllegalTransition):
                    losses.append(1)
        except Exception as exc:  # "database is locked" would land here
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(wins) == 1 and len(losses) == 7
    assert ClaimEvent.select().where(ClaimEvent.to_status == S.INSTRUCTED).count() == 1
