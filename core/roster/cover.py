"""Roster cover for the pre-payout check 4 (contract section 7): when was a worker covered?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.db import in_values
from core.roster.tables import Participant

Period = tuple[dt.date, dt.date | None]  # roster Mulai, Berakhir (None: still covered)


def cover_periods(kpjs: Iterable[str]) -> dict[str, Period]:
    """The roster's cover period of each kpj that is on the roster; a kpj absent is not on it.

    One query for a whole chunk of claims (intake checks 1,000 records at a time).
    """
    wanted = {kpj for kpj in kpjs if kpj}
    if not wanted:
        return {}
    query = (Participant.select(Participant.kpj, Participant.start, Participant.end)
             .where(in_values(Participant.kpj, wanted)).tuples())
    return {kpj: (start, end) for kpj, start, end in query}
