"""One page of a queue of several statuses, merged from one sorted read per status.

Why (issue 19, benchmarks/ui_queries.py at 1,000,000 claims): "past the payment duty" is six
statuses and 315,000 claims; "Ditunda + Menunggu Persetujuan" is two. Asked as one query
(`status IN (...) ORDER BY received_at DESC LIMIT 25`), the database finds every matching claim
through the status index and sorts them all for 25 rows: 575 ms and 65 ms. Each status alone reads
its own index in the page's order, (status, received_at), (status, claim_no)..., and stops after
`offset + per_page` rows; the merged page sorts at most that many rows per status: 1-5 ms.

A sort column is merged only where a (status, column) index gives that order (models.Claim's
indexes); any other sort, and a name search (whose own index picks the rows), is one query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from peewee import fn

from models import Claim

# sort key -> the claim column an index (status, column, ...) orders
MERGED_SORTS = {"received_at": "received_at", "approved_amount": "approved_amount",
                "worker_name": "worker_name", "claim_no": "claim_no"}


def mergeable(statuses: Sequence[str], sort_by: str, search: str) -> bool:
    return len(statuses) > 1 and sort_by in MERGED_SORTS and not search.strip()


def in_order(column: Any) -> Any:
    """`column` in a form no index can serve (COALESCE(column, column): same value, both databases),
    for a filter or an order the planner must not pick an index for. With statistics, SQLite read
    "past the payment duty" through (status, payment_due_date) and sorted all of a status's overdue
    claims, where (status, received_at, payment_due_date) checks the due date in the page's order;
    and for a name in few claims both databases walked the sort's index hoping for early matches
    (PostgreSQL: 350-520 ms) where reading those claims by id and sorting them takes a few ms."""
    return fn.COALESCE(column, column)


def merged_page(statuses: Sequence[str], part: Callable[[str], Any], column: Any, descending: bool,
                offset: int, per_page: int) -> list[dict[str, Any]]:
    """The rows `offset` to `offset + per_page` of the union of `part(status)` (each a peewee query of
    one status's claims, unordered), in the order (`column`, id), both ascending or descending.
    `column` (or a tuple of columns) must lead an index after the status (MERGED_SORTS; the
    dashboard: payment_due_date, approved_amount), so that each status is read in that order and
    stops early: the index's columns and then the id, or the database sorts a whole group of equal
    values (a day's 500,000 claims due the same day: 2 s) for the ties."""
    columns = (*(column if isinstance(column, tuple) else (column,)), Claim.id)
    order = [c.desc() if descending else c.asc() for c in columns]
    direction = "DESC" if descending else "ASC"
    sqls, params = [], []
    for n, status in enumerate(statuses):
        sql, args = part(status).order_by(*order).limit(offset + per_page).sql()
        sqls.append(f"SELECT * FROM ({sql}) AS s{n}")
        params.extend(args)
    union = " UNION ALL ".join(sqls)
    names = ", ".join(f'"{c.column_name}" {direction}' for c in columns)
    sql = (f"SELECT * FROM ({union}) AS merged ORDER BY {names} "
           f"LIMIT {int(per_page)} OFFSET {int(offset)}")
    return list(Claim.raw(sql, *params).dicts())
