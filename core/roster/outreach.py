"""Sosialisasi sessions and the outreach table of contract section 8: every kabupaten/kota,
those never reached included, with its roster, claims and payouts beside its sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from peewee import fn

from core.reference import Reference
from core.roster.tables import OutreachSession, Participant
from models import Claim, ClaimStatus

FIELDS = ("kabupaten_code", "kabupaten_name", "sessions", "last_session_date", "attendees", "enrolled",
          "claims", "paid_count", "paid_amount", "reached")


def add_session(*, kabupaten_code: str, date: dt.date, place: str, facilitator: str | None,
                attendees: int, notes: str | None, created_by: str) -> OutreachSession:
    """Record one session (the caller has checked the values and holds a write transaction)."""
    return OutreachSession.create(kabupaten_code=kabupaten_code, date=date, place=place,
                                  facilitator=facilitator, attendees=attendees, notes=notes,
                                  created_by=created_by)


def outreach_rows(reference: Reference, kabupaten_scope: Collection[str] | None,
                  lang: str = "id") -> list[dict[str, Any]]:
    """One row per kabupaten/kota of the reference (within the scope), in code order; four
    grouped queries, whatever the number of claims."""
    codes = [c for c in reference.options("kabupaten") if kabupaten_scope is None or c in kabupaten_scope]
    sessions = {code: (n, last, people) for code, n, last, people in OutreachSession.select(
        OutreachSession.kabupaten_code, fn.COUNT(OutreachSession.id), fn.MAX(OutreachSession.date),
        fn.SUM(OutreachSession.attendees)).group_by(OutreachSession.kabupaten_code).tuples()}
    enrolled = dict(Participant.select(Participant.kabupaten_code, fn.COUNT(Participant.id))
                    .group_by(Participant.kabupaten_code).tuples())
    claims = dict(Claim.select(Claim.kabupaten_code, fn.COUNT(Claim.id))
                  .group_by(Claim.kabupaten_code).tuples())
    paid = {code: (n, total) for code, n, total in Claim.select(
        Claim.kabupaten_code, fn.COUNT(Claim.id), fn.SUM(Claim.approved_amount))
        .where(Claim.status == ClaimStatus.PAID).group_by(Claim.kabupaten_code).tuples()}
    rows = []
    for code in codes:
        n, last, people = sessions.get(code, (0, None, 0))
        paid_count, paid_amount = paid.get(code, (0, 0))
        rows.append({"kabupaten_code": code, "kabupaten_name": reference.label("kabupaten", code, lang),
                     "sessions": n, "last_session_date": _day(last), "attendees": int(people or 0),
                     "enrolled": enrolled.get(code, 0), "claims": claims.get(code, 0),
                     "paid_count": paid_count, "paid_amount": int(paid_amount or 0), "reached": n > 0})
    return rows


def _day(value: Any) -> dt.date | None:
    """MAX(date) comes back as text on SQLite (an aggregate has no column type)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
