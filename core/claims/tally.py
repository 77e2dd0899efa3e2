"""The claim tally: how many claims, and how many Rupiah, per status, kabupaten/kota and benefit.

Why (issue 19, benchmarks/ui_queries.py): at 1,000,000 claims the dashboard's status cards and
kabupaten table read a million index entries (about 200-300 ms), and a queue's exact count of a
big status ("Berhasil Dibayar", 55 % of the claims) reads half a million (25 ms) on every first
page. A few hundred tally rows answer both in a millisecond.

The database keeps the tally in step by itself (migration 0013), in the same transaction as the
claim change, so no code path (the state machine, the demo, a test's factory, a hand-made fix)
can leave it behind: SQLite by row triggers on insert, delete and an update of the status,
kabupaten, benefit or amount (a few microseconds a row: about 0.1 s of a 100,000-claim intake);
PostgreSQL by statement triggers over the transition tables (one grouped upsert per statement,
rows in key order). `check` proves it against the claims themselves (`tally_differences`).
"""

from __future__ import annotations

from collections.abc import Sequence

from peewee import BigIntegerField, CharField, Model, fn

from models import Claim, db


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


def counts(statuses: Sequence[str] = (), kabupaten: Sequence[str] | None = None,
           benefit_types: Sequence[str] = ()) -> tuple[int, int]:
    """Claims and Rupiah of the claims in `statuses` (all when empty), in `kabupaten` (all when None;
    an empty desk: none) and of `benefit_types` (all when empty): the queue's exact count."""
    query = ClaimTally.select(fn.COALESCE(fn.SUM(ClaimTally.claims), 0),
                              fn.COALESCE(fn.SUM(ClaimTally.amount), 0))
    if statuses:
        query = query.where(ClaimTally.status.in_(tuple(statuses)))
    if kabupaten is not None:
        query = query.where(ClaimTally.kabupaten_code.in_(tuple(kabupaten) or ("-",)))
    if benefit_types:
        query = query.where(ClaimTally.benefit_type.in_(tuple(benefit_types)))
    n, total = query.tuples().get()
    return int(n), int(total)


def by_status_and_kabupaten(scope: Sequence[str] | None = None) -> list[tuple[str, str, int, int]]:
    """(status, kabupaten_code, claims, Rupiah) with at least one claim; `scope`: a kabupaten desk."""
    query = ClaimTally.select(ClaimTally.status, ClaimTally.kabupaten_code, fn.SUM(ClaimTally.claims),
                              fn.SUM(ClaimTally.amount))
    if scope is not None:
        query = query.where(ClaimTally.kabupaten_code.in_(tuple(scope) or ("-",)))
    rows = query.group_by(ClaimTally.status, ClaimTally.kabupaten_code).tuples()
    return [(status, code, int(n), int(total)) for status, code, n, total in rows if n]


def tally_differences() -> list[str]:
    """Where the tally and the claims disagree (the `check` invariant): empty when in step."""
    key = (Claim.status, Claim.kabupaten_code, Claim.benefit_type)
    actual = {(s, k, b): (int(n), int(a)) for s, k, b, n, a in
              Claim.select(*key, fn.COUNT(Claim.id), fn.COALESCE(fn.SUM(Claim.approved_amount), 0))
              .group_by(*key).tuples()}
    kept = {(s, k, b): (int(n), int(a)) for s, k, b, n, a in
            ClaimTally.select(ClaimTally.status, ClaimTally.kabupaten_code, ClaimTally.benefit_type,
                              ClaimTally.claims, ClaimTally.amount).tuples() if n or a}
    return [f"{'/'.join(k)}: {kept.get(k, (0, 0))} != {actual.get(k, (0, 0))}"
            for k in sorted(actual.keys() | kept.keys()) if kept.get(k, (0, 0)) != actual.get(k, (0, 0))]
