import itertools

import pytest

from core.claims import statuses
from core.claims.states import (
    TRANSITIONS,
    ConcurrentChange,
    IllegalTransition,
    can_transition,
    create_claim,
    create_claims,
    mark_reported,
    record_event,
    transition,
    transition_many,
)
from core.claims.statuses import awaiting_report
from core.db import allocate_ids, write_tx
from models import Claim, ClaimEvent, ClaimStatus, utcnow
from tests.factories import claim_fields, make_claim, race

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
    assert awaiting_report().count() == 1


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
    wins, losses = [], []

    def worker(_: int) -> None:
        mine = Claim.get_by_id(claim.id)
        try:
            transition(mine, S.INSTRUCTED, actor="t", action="INSTRUCTED")
            wins.append(1)
        except (ConcurrentChange, IllegalTransition):
            losses.append(1)

    assert race(database, worker, threads=8) == []  # "database is locked" would land here
    assert len(wins) == 1 and len(losses) == 7
    assert ClaimEvent.select().where(ClaimEvent.to_status == S.INSTRUCTED).count() == 1


def _new_rows(*status_list: str) -> list[dict]:
    now = utcnow()
    return [{**claim_fields(), "id": claim_id, "status": status, "received_at": now, "flagged": False,
             "report_pending": False}
            for claim_id, status in zip(allocate_ids(Claim, len(status_list)), status_list, strict=True)]


def test_create_claims_inserts_each_claim_with_its_first_event(database):
    with write_tx():
        rows = _new_rows(S.READY, S.NEEDS_REVIEW, S.REJECTED)
        created = create_claims(rows, actor="job:bpjs_pull", reasons=[None, "cek rekening", "ditolak BPJS"],
                                details=['{"line": 1}', {"line": 2}, None])
    assert created == 3
    for row, reason in zip(rows, [None, "cek rekening", "ditolak BPJS"], strict=True):
        claim = Claim.get_by_id(row["id"])
        event = claim.events.get()
        assert claim.status == row["status"] and claim.status_changed_at == event.at
        assert (event.actor, event.action, event.from_status, event.to_status, event.reason) == (
            "job:bpjs_pull", "RECEIVED", None, row["status"], reason)
    assert [e.details for e in ClaimEvent.select().order_by(ClaimEvent.id)] == [
        '{"line": 1}', '{"line": 2}', None]


@pytest.mark.parametrize("to_status", [s for s in S.ALL if not can_transition(None, s)])
def test_create_claims_refuses_a_status_no_claim_starts_in_and_writes_nothing(database, to_status):
    with write_tx():
        rows = _new_rows(S.READY, to_status)
        with pytest.raises(IllegalTransition) as err:
            create_claims(rows, actor="job:bpjs_pull", reasons=[None, None], details=[None, None])
    assert rows[1]["claim_no"] in str(err.value)
    assert Claim.select().count() == 0 and ClaimEvent.select().count() == 0


def test_mark_reported_clears_the_pending_report_and_keeps_the_status(database):
    paid, failed, moved = make_claim(S.INSTRUCTED), make_claim(S.INSTRUCTED), make_claim(S.INSTRUCTED)
    transition(paid, S.PAID, actor="job:bank_pull", action="PAID")
    transition(failed, S.PAYOUT_FAILED, actor="job:bank_pull", action="PAYOUT_FAILED")
    transition(moved, S.PAYOUT_FAILED, actor="job:bank_pull", action="PAYOUT_FAILED")
    stale = Claim.get_by_id(moved.id)
    transition(moved, S.READY, actor="ana", action="RESEND")  # left its final status before the report
    at = utcnow().replace(microsecond=0)
    with write_tx():
        marked = mark_reported([(paid, "PAID"), (failed, "FAILED"), (stale, "FAILED")], actor="job:bpjs_push",
                               file_name="STATUS.txt", at=at)
    assert marked == 3
    for claim, status, label in ((paid, S.PAID, "PAID"), (failed, S.PAYOUT_FAILED, "FAILED")):
        stored = Claim.get_by_id(claim.id)
        assert (stored.status, stored.report_pending, stored.reported_status, stored.reported_at) == (
            status, False, label, at)
        event = ClaimEvent.select().where(ClaimEvent.claim == claim.id, ClaimEvent.action == "REPORTED").get()
        assert (event.from_status, event.to_status, event.actor) == (status, status, "job:bpjs_push")
        assert event.details == f'{{"file": "STATUS.txt", "status": "{label}"}}'
    # not in the status it was read in: not marked, it waits for its next outcome
    assert Claim.get_by_id(moved.id).reported_status is None
    assert [c.id for c in awaiting_report()] == [moved.id]


def test_status_groups_follow_the_transition_table():
    table = {s: TRANSITIONS[s] for s in S.ALL}
    assert TRANSITIONS[None] == statuses.FIRST
    assert {s for s, to in table.items() if S.ON_HOLD in to} == statuses.HOLDABLE
    assert {s for s, to in table.items() if S.CANCELLED in to} == statuses.CANCELLABLE
    assert {S.INSTRUCTED, *TRANSITIONS[S.INSTRUCTED]} == statuses.SENT_TO_BANK  # the bank's answer
    assert TRANSITIONS[S.INSTRUCTED] == statuses.FINAL_OUTCOMES
    assert set(S.ALL) - {S.CANCELLED} == statuses.NOT_YET_SENT | statuses.SENT_TO_BANK
    assert not statuses.NOT_YET_SENT & statuses.SENT_TO_BANK
    assert set(S.ALL) - {S.PAID, S.REJECTED, S.CANCELLED} == statuses.UNPAID
    assert S.PAID in statuses.PAYING and not statuses.PAYING & {S.NEEDS_REVIEW, S.ON_HOLD, S.REJECTED}
