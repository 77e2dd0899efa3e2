"""Sosialisasi as a person may record and see it (contract section 8).

`record_session` checks the role, the kabupaten desk and every value, then writes the session
and its audit row in one transaction; `outreach_for` is the 22-row table (a kabupaten desk's
own rows only). `username` None is the operator at the command line (the whole province).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.audit import audit
from core.context import AppContext
from core.db import write_tx
from core.roster.outreach import add_session, outreach_rows
from core.roster.rows import parse_date
from core.roster.tables import OutreachSession
from core.text.fmt import local_today
from desk.acting import clean_text
from desk.permissions import Action
from desk.refusal import Refused
from desk.roster import CLI, actor
from desk.scope import codes_of, in_scope

PLACE_MAX, FACILITATOR_MAX, NOTES_MAX = 200, 100, 2000
ATTENDEES_MAX = 100_000


def record_session(ctx: AppContext, username: str | None, *, kabupaten_code: str, date: str | dt.date,
                   place: str, facilitator: str | None = None, attendees: int | str | None = 0,
                   notes: str | None = None) -> OutreachSession:
    """Record one session; raises Refused (nothing written) naming what is wrong."""
    with write_tx():
        user = actor(username, Action.RECORD_OUTREACH)
        code = (kabupaten_code or "").strip()
        if code not in ctx.reference.codes("kabupaten"):
            raise Refused("outreach.error.kabupaten", value=code)
        if not in_scope(user, code):
            raise Refused("outreach.error.scope", value=code, desk=", ".join(codes_of(user) or ()))
        day = _day(date, local_today(ctx.settings.timezone))
        where = clean_text(place, required=False, max_length=PLACE_MAX)
        if where is None:
            raise Refused("outreach.error.place")
        session = add_session(kabupaten_code=code, date=day, place=where,
                              facilitator=clean_text(facilitator, required=False, max_length=FACILITATOR_MAX),
                              attendees=_attendees(attendees),
                              notes=clean_text(notes, required=False, max_length=NOTES_MAX),
                              created_by=username or CLI)
        audit("OUTREACH_ADD", username=username or CLI, target=code,
              details={"session": session.id, "date": day.isoformat(), "place": where,
                       "attendees": session.attendees})
    return session


def outreach_for(ctx: AppContext, username: str | None, lang: str = "id") -> list[dict[str, Any]]:
    """One row per kabupaten/kota `username` may see (all 22 for the province), in code order."""
    user = actor(username, Action.VIEW)
    return outreach_rows(ctx.reference, codes_of(user), lang)


def _day(value: str | dt.date, today: dt.date) -> dt.date:
    day = value if isinstance(value, dt.date) else parse_date((value or "").strip())
    if day is None:
        raise Refused("outreach.error.date", value=value)
    if day > today:  # a session is recorded once held
        raise Refused("outreach.error.future", value=day.isoformat())
    return day


def _attendees(value: int | str | None) -> int:
    text = str(value if value is not None else 0).strip() or "0"
    if not (text.isascii() and text.isdigit()) or int(text) > ATTENDEES_MAX:
        raise Refused("outreach.error.attendees")
    return int(text)
