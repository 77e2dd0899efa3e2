"""The claim tally: how many claims, and how many Rupiah, per status, kabupaten/kota and benefit.

Why (issue 19, benchmarks/ui_queries.py): at 1,000,000 claims the dashboard's status cards and
kabupaten table read a million index entries (about 200-300 ms), and a queue's exact count of a
big status ("Berhasil Dibayar", 55 % of the claims) reads half a million (25 ms) on every first
page. A few hundred tally rows answer both in a millisecond.

Kept in step in the claim's own transaction, so no code path (the state machine, a test's
factory, a hand-made fix) can leave it behind:
- PostgreSQL: statement triggers over the transition tables (migration 0013), one grouped upsert
  per statement, rows in key order.
- SQLite: row triggers on a delete and on an update of the status, kabupaten, benefit or amount;
  new claims are tallied in bulk by `count_new_claims` (migration 0015), which the code that
  inserts claims calls in its transaction, up to the high-water mark in Counter
  `claim_tally_through`: an insert trigger cost 45 microseconds a claim on the 50-column claim
  table (a 100,000-record intake 2.8 s longer). A claim above the mark (inserted some other way)
  is added to every answer from the claims themselves, so no path can hide one.
`check` proves the tally against the claims (`tally_differences`).
"""

from __future__ import annotations

from collections.abc import Sequence

from peewee import BigIntegerField, CharField, Model, fn

from core.db import is_postgres
from models import Claim, Counter, db

THROUGH = "claim_tally_through"  # Counter: SQLite claims with an id up to this are in the tally (0015)
KEY = "status, kabupaten_code, benefit_type"


class ClaimTally(Model):
    """One (status, kabupaten_code, benefit_type) and its claims and Rupiah; written only by triggers."""

    status = CharField(max_length=24)
    kabupaten_code = CharField(max_length=4)
    benefit_type = CharField(max_length=32)
    claims = BigIntegerField(default=0)
    amount = BigIntegerField(default=0)

    class Meta:
        database = db
        table_name = "claim_tally"
        indexes = ((("status", "kabupaten_code", "benefit_type"), True),)  # the triggers' upsert key


def count_new_claims() -> int:
    """Tally the claims inserted since the last call (SQLite; PostgreSQL's triggers did): one grouped
    upsert. Call in the insert's transaction, after the insert."""
    if is_postgres():
        return 0
    through = tallied_through()
    last = Claim.select(fn.MAX(Claim.id)).scalar() or 0
    if last <= through:
        return 0
    db.execute_sql(f"INSERT INTO claim_tally ({KEY}, claims, amount) SELECT {KEY}, count(*), "
                   f"coalesce(sum(approved_amount), 0) FROM claim WHERE id > ? AND id <= ? GROUP BY {KEY} "
                   f"ORDER BY {KEY} ON CONFLICT ({KEY}) DO UPDATE SET claims = claims + excluded.claims, "
                   "amount = amount + excluded.amount", (through, last))
    Counter.insert(name=THROUGH, value=last).on_conflict(
        conflict_target=[Counter.name], update={Counter.value: last}).execute()
    return last - through


def tallied_through() -> int | None:
    """SQLite: the high-water mark (None on PostgreSQL, whose tally holds every claim)."""
    if is_postgres():
        return None
    row = Counter.get_or_none(Counter.name == THROUGH)
    return row.value if row else 0


def counts(statuses: Sequence[str] = (), kabupaten: Sequence[str] | None = None,
           benefit_types: Sequence[str] = ()) -> tuple[int, int]:
    """Claims and Rupiah of the claims in `statuses` (all when empty), in `kabupaten` (all when None;
    an empty desk: none) and of `benefit_types` (all when empty): the queue's exact count."""
    n = total = 0
    for _status, _code, claims, amount in _rows(statuses, kabupaten, benefit_types):
        n, total = n + claims, total + amount
    return n, total


def by_status_and_kabupaten(scope: Sequence[str] | None = None) -> list[tuple[str, str, int, int]]:
    """(status, kabupaten_code, claims, Rupiah) with at least one claim; `scope`: a kabupaten desk."""
    sums: dict[tuple[str, str], list[int]] = {}
    for status, code, claims, amount in _rows((), scope, ()):
        row = sums.setdefault((status, code), [0, 0])
        row[0] += claims
        row[1] += amount
    return [(status, code, n, total) for (status, code), (n, total) in sums.items() if n]


def _rows(statuses: Sequence[str], kabupaten: Sequence[str] | None, benefit_types: Sequence[str]):
    """The tally's rows, then (SQLite) each claim above the mark (usually none) as a row of its own."""
    where = []
    if statuses:
        where.append(ClaimTally.status.in_(tuple(statuses)))
    if kabupaten is not None:
        where.append(ClaimTally.kabupaten_code.in_(tuple(kabupaten) or ("-",)))
    if benefit_types:
        where.append(ClaimTally.benefit_type.in_(tuple(benefit_types)))
    query = ClaimTally.select(ClaimTally.status, ClaimTally.kabupaten_code, fn.SUM(ClaimTally.claims),
                              fn.SUM(ClaimTally.amount))
    query = query.where(*where) if where else query
    for status, code, claims, total in query.group_by(ClaimTally.status, ClaimTally.kabupaten_code).tuples():
        yield status, code, int(claims or 0), int(total or 0)
    through = tallied_through()
    if through is None:
        return
    # The id range alone, filtered here: with the filters in SQL, SQLite chose a status index for
    # the grouping and read every claim (40-60 ms) to find none above the mark.
    tail = Claim.select(Claim.status, Claim.kabupaten_code, Claim.benefit_type, Claim.approved_amount) \
        .where(Claim.id > through).tuples()
    for status, code, benefit, amount in tail:
        if ((not statuses or status in statuses) and (kabupaten is None or code in kabupaten)
                and (not benefit_types or benefit in benefit_types)):
            yield status, code, 1, int(amount or 0)


def tally_differences() -> list[str]:
    """Where the tally and the claims it holds disagree (the `check` invariant): empty when in step."""
    key = (Claim.status, Claim.kabupaten_code, Claim.benefit_type)
    through = tallied_through()
    held = Claim.select(*key, fn.COUNT(Claim.id), fn.COALESCE(fn.SUM(Claim.approved_amount), 0))
    if through is not None:
        held = held.where(Claim.id <= through)
    actual = {(s, k, b): (int(n), int(a)) for s, k, b, n, a in held.group_by(*key).tuples()}
    kept = {(s, k, b): (int(n), int(a)) for s, k, b, n, a in
            ClaimTally.select(ClaimTally.status, ClaimTally.kabupaten_code, ClaimTally.benefit_type,
                              ClaimTally.claims, ClaimTally.amount).tuples() if n or a}
    return [f"{'/'.join(k)}: {kept.get(k, (0, 0))} != {actual.get(k, (0, 0))}"
            for k in sorted(actual.keys() | kept.keys()) if kept.get(k, (0, 0)) != actual.get(k, (0, 0))]
