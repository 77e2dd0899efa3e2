"""The roster as the screens and exports read it: one filtered query, paged or streamed.

`kabupaten_scope` is the set of kabupaten/kota codes the reader may see (None: the whole
province); the desk layer passes the acting user's, so a kabupaten desk never reads another's rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from peewee import ModelSelect

from core.roster.tables import Participant

EXPORT_FIELDS = ("kpj", "nik", "name", "kabupaten_code", "village", "occupation", "start", "end", "funding")
SORTABLE = frozenset({"kpj", "name", "kabupaten_code", "start", "end", "funding"})


@dataclass(frozen=True)
class RosterFilter:
    search: str = ""  # part of a name, or the start of a KPJ or NIK
    kabupaten: str | None = None
    funding: str | None = None


def filtered(roster_filter: RosterFilter, kabupaten_scope: Collection[str] | None) -> ModelSelect:
    """Participants matching the filter, within the scope."""
    query = Participant.select()
    if kabupaten_scope is not None:
        query = query.where(Participant.kabupaten_code.in_(list(kabupaten_scope)))
    if roster_filter.kabupaten:
        query = query.where(Participant.kabupaten_code == roster_filter.kabupaten)
    if roster_filter.funding:
        query = query.where(Participant.funding == roster_filter.funding)
    search = roster_filter.search.strip()
    if search.isdigit():  # a number: the start of a KPJ or a NIK (both indexed)
        query = query.where(Participant.kpj.startswith(search) | Participant.nik.startswith(search))
    elif search:
        query = query.where(Participant.name.contains(search))  # case-insensitive on both databases
    return query


def roster_page(roster_filter: RosterFilter, kabupaten_scope: Collection[str] | None, *, page: int = 1,
                per_page: int = 25, sort: str | None = None,
                descending: bool = False) -> tuple[list[dict[str, Any]], int]:
    """One page of participants as dicts, and how many match."""
    query = filtered(roster_filter, kabupaten_scope)
    column = getattr(Participant, sort if sort in SORTABLE else "name")
    order = column.desc() if descending else column.asc()
    rows = list(query.order_by(order, Participant.id).paginate(max(page, 1), per_page).dicts())
    return rows, query.count()


def export_rows(roster_filter: RosterFilter, kabupaten_scope: Collection[str] | None,
                chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Every matching participant, in id order, as the export's plain values (dates ISO), read
    a keyset page at a time so memory stays flat."""
    fields = [getattr(Participant, name) for name in EXPORT_FIELDS]
    last = 0
    while True:
        page = list(filtered(roster_filter, kabupaten_scope).select(Participant.id, *fields)
                    .where(Participant.id > last).order_by(Participant.id).limit(chunk).dicts())
        if not page:
            return
        last = page[-1]["id"]
        for row in page:
            row.pop("id")
            row["start"] = row["start"].isoformat()
            row["end"] = row["end"] and row["end"].isoformat()
            yield row
