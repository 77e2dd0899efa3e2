"""Read queries of the audit log page: every user action and every job run, filtered and paged.

User actions are `AuditLog` rows (a job run started by a person is one of them, JOB_RUN).
Runs nobody started (the schedule, automatic retries) are not audit rows: they are
`JobRun` rows, merged in here as JOB_RUN by `SYSTEM`, so the page answers "what happened
when" in one list. Paged on the server with LIMIT/OFFSET over the union, newest first.
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
from models import AuditLog, JobRun

SYSTEM = "__system__"  # the user filter for runs nobody started
JOB_RUN = "JOB_RUN"


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None  # a user name, or SYSTEM
    action: str | None = None
    date_from: dt.date | None = None  # local calendar days, inclusive
    date_to: dt.date | None = None
    zone: str = DEFAULT_ZONE


def audit_page(f: AuditFilter, *, page: int = 1, per_page: int = 50) -> tuple[list[dict[str, Any]], int]:
    """One page of the merged log, newest first, and how many entries match."""
    parts = [q for q in (_actions(f), _system_runs(f)) if q is not None]
    if not parts:
        return [], 0
    union = parts[0]
    for part in parts[1:]:
        union = union + part  # UNION ALL
    total = union.count()
    rows = (union.order_by(SQL("at").desc(), SQL("ref").desc())
            .limit(per_page).offset((max(1, page) - 1) * per_page).dicts())
    return [_row(r) for r in rows], total


def audit_choices() -> tuple[list[str], list[str]]:
    """(user names, actions) seen in the log, for the filter's selects."""
    users = [u for (u,) in AuditLog.select(AuditLog.username).where(AuditLog.username.is_null(False))
             .distinct().order_by(AuditLog.username).tuples()]
    actions = {a for (a,) in AuditLog.select(AuditLog.action).distinct().tuples()} | {JOB_RUN}
    return users, sorted(actions)


def verify_audit_chain() -> list[ChainReport]:
    """Walk the audit log's and the money events' hash chains (read only): per chain, the first
    broken link or how many rows hold."""
    return verify_chains()


def _actions(f: AuditFilter):
    if f.username == SYSTEM:
        return None
    query = AuditLog.select(AuditLog.at.alias("at"), AuditLog.id.alias("ref"), SQL("'audit'").alias("source"),
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
    query = JobRun.select(JobRun.started_at.alias("at"), JobRun.id.alias("ref"), SQL("'run'").alias("source"),
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
    if row["source"] == "run":
        trigger, _, outcome = (details or ":").partition(":")
        details = {"run_id": row["ref"], "trigger": trigger, "outcome": outcome}
    elif details:
        try:
            details = json.loads(details)
        except ValueError:
            pass
    return {"at": at, "source": row["source"], "ref": row["ref"], "username": row["username"],
            "action": row["action"], "target": row["target"], "details": details, "ip": row["ip"]}
