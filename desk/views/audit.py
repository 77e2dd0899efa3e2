"""Read queries of the audit log page: every user action and every job run, filtered and paged.

User actions are `AuditLog` rows (a job run started by a person is one of them, JOB_RUN).
Runs nobody started (the schedule, automatic retries) are not audit rows: they are
`JobRun` rows, merged in here as JOB_RUN by `SYSTEM`, so the page answers "what happened
when" in one list, newest first: by time, then source, then row id, so that entries of the same
instant keep one order. Paged on the server by keyset: the next page starts after the last entry
of the one shown (`AuditCursor`), so each part is read from its time index and stops after a page
(1,000,000 audit rows: a page costs the same at the start and deep in). A page reached without its
predecessor (a jump to the last page) falls back to LIMIT/OFFSET over the union, in the same order.
`verify_audit_chain` is the page's "Periksa rantai": the walk of the audit and money hash chains.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from peewee import SQL, fn

from core.audit_chain import ChainReport, verify_chains
from core.text.fmt import DEFAULT_ZONE, local_midnight_utc
from models import AuditLog, JobRun, db

SYSTEM = "__system__"  # the user filter for runs nobody started
JOB_RUN = "JOB_RUN"
AUDIT, RUN = "audit", "run"  # an entry's source; at the same instant "run" sorts first (descending)
ORDER = (SQL("at").desc(), SQL("source").desc(), SQL("ref").desc())  # of the union: what _keyset merges to


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None  # a user name, or SYSTEM
    action: str | None = None
    date_from: dt.date | None = None  # local calendar days, inclusive
    date_to: dt.date | None = None
    zone: str = DEFAULT_ZONE


@dataclass(frozen=True)
class AuditCursor:
    """Where a page ended: its last entry's time, source ('audit' or 'run') and row id."""

    at: dt.datetime
    source: str
    ref: int


def cursor_of(entry: dict[str, Any]) -> AuditCursor:
    """The cursor after `entry` (a row of `audit_page`)."""
    return AuditCursor(entry["at"], entry["source"], entry["ref"])


def audit_page(f: AuditFilter, *, page: int = 1, per_page: int = 50, after: AuditCursor | None = None,
               known_total: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of the merged log, newest first, and how many entries match.

    `after`: the cursor of the previous page's last entry (keyset: the page is read from the
    indexes); without it, page `page` is found by offset. `known_total`: the count of the same
    filter, not counted again (paging does not change it; at 1,000,000 rows it is most of the cost).
    """
    parts = [p for p in (_actions(f), _system_runs(f)) if p is not None]
    if not parts:
        return [], 0
    total = known_total if known_total is not None else sum(p.count() for p in parts)
    if after is not None or page <= 1:
        rows = _keyset(parts, after, per_page)
    else:
        union = parts[0]
        for part in parts[1:]:
            union = union + part  # UNION ALL
        rows = [_row(r) for r in union.order_by(*ORDER).limit(per_page).offset((page - 1) * per_page).dicts()]
    return rows, total


def _keyset(parts: list[Any], after: AuditCursor | None, per_page: int) -> list[dict[str, Any]]:
    """Each part's first `per_page` entries after the cursor, merged: a page of the union."""
    rows: list[dict[str, Any]] = []
    for query in parts:
        source, at, ref = (AUDIT, AuditLog.at, AuditLog.id) if query.model is AuditLog else \
            (RUN, JobRun.started_at, JobRun.id)
        if after is not None:
            query = query.where(*_after(after, source, at, ref))
        rows += [_row(r) for r in query.order_by(at.desc(), ref.desc()).limit(per_page).dicts()]
    rows.sort(key=lambda r: (r["at"], r["source"], r["ref"]), reverse=True)
    return rows[:per_page]


def _after(cursor: AuditCursor, source: str, at, ref) -> list[Any]:
    """The entries of one part that come after `cursor` in (at, source, ref) descending order.

    Written `at <= t AND (...)` rather than a bare OR, so both databases read a range of the time index.
    """
    if source > cursor.source:  # same instant, this part sorts first: already shown
        return [at < cursor.at]
    if source < cursor.source:
        return [at <= cursor.at]
    return [at <= cursor.at, (at < cursor.at) | (ref < cursor.ref)]


def audit_choices() -> tuple[list[str], list[str]]:
    """(user names, actions) seen in the log, for the filter's selects.

    A loose index scan (one index probe per distinct value, through the (username, at) and
    (action, at) indexes) instead of DISTINCT, which reads all 1,000,000 rows.
    """
    users = _distinct("username")
    actions = set(_distinct("action")) | {JOB_RUN}
    return users, sorted(actions)


def _distinct(column: str) -> list[str]:
    sql = (f'WITH RECURSIVE v(x) AS (SELECT MIN("{column}") FROM "audit_log" UNION ALL '
           f'SELECT (SELECT MIN("{column}") FROM "audit_log" WHERE "{column}" > v.x) FROM v '
           f"WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL")
    return [x for (x,) in db.execute_sql(sql)]


def verify_audit_chain() -> list[ChainReport]:
    """Walk the audit log's and the money events' hash chains (read only): per chain, the first
    broken link or how many rows hold."""
    return verify_chains()


def _actions(f: AuditFilter):
    if f.username == SYSTEM:
        return None
    query = AuditLog.select(AuditLog.at.alias("at"), AuditLog.id.alias("ref"),
                            SQL(f"'{AUDIT}'").alias("source"),
                            AuditLog.username.alias("username"), AuditLog.action.alias("action"),
                            AuditLog.target.alias("target"), AuditLog.details.alias("details"),
                            AuditLog.ip.alias("ip"))
    where = _dates(AuditLog.at, f)
    if f.username:
        where.append(AuditLog.username == f.username)
    if f.action:
        where.append(AuditLog.action == f.action)
    return query.where(*where) if where else query


def _system_runs(f: AuditFilter):
    if (f.username and f.username != SYSTEM) or (f.action and f.action != JOB_RUN):
        return None
    details = fn.COALESCE(JobRun.trigger, "").concat(":").concat(fn.COALESCE(JobRun.outcome, ""))
    query = JobRun.select(JobRun.started_at.alias("at"), JobRun.id.alias("ref"),
                          SQL(f"'{RUN}'").alias("source"),
                          SQL("NULL").alias("username"), SQL(f"'{JOB_RUN}'").alias("action"),
                          JobRun.job.alias("target"), details.alias("details"), SQL("NULL").alias("ip"))
    return query.where(JobRun.user.is_null(), *_dates(JobRun.started_at, f))


def _dates(column, f: AuditFilter) -> list[Any]:
    where = []
    if f.date_from:
        where.append(column >= local_midnight_utc(f.date_from, f.zone))
    if f.date_to:
        where.append(column < local_midnight_utc(f.date_to + dt.timedelta(days=1), f.zone))
    return where


def _row(row: dict[str, Any]) -> dict[str, Any]:
    at = row["at"]
    if isinstance(at, str):  # SQLite hands a union's datetime back as text
        at = dt.datetime.fromisoformat(at)
    details: Any = row["details"]
    if row["source"] == RUN:
        trigger, _, outcome = (details or ":").partition(":")
        details = {"run_id": row["ref"], "trigger": trigger, "outcome": outcome}
    elif details:
        try:
            details = json.loads(details)
        except ValueError:
            pass
    return {"at": at, "source": row["source"], "ref": row["ref"], "username": row["username"],
            "action": row["action"], "target": row["target"], "details": details, "ip": row["ip"]}
