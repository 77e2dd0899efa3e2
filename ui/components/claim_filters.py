"""The filter bar of the claim queue: status, kabupaten, benefit, date range, flags, one search box.

A link may also carry filters the bar has no field for (a batch, BPJS's decision, a matched debit, a
returned credit: the tie-out's exact links); they are kept, named in a line under the bar, and
cleared by "reset".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from nicegui import ui

from core.claims.queries import NO_BATCH, ClaimFilter
from models import ClaimStatus
from ui.components.date_field import DateField
from ui.session import Session


class FilterBar:
    def __init__(self, session: Session, initial: ClaimFilter,
                 on_change: Callable[[ClaimFilter], Awaitable[None]]):
        self.session, self.initial, self.on_change = session, initial, on_change
        self._quiet = False  # while reset() clears every field: one reload, not eight

    def build(self) -> None:
        s, f = self.session, self.initial
        t = s.t
        with ui.row().classes("w-full items-end gap-2"):
            self.search = ui.input(t("queue.search"), value=f.search).props("outlined dense clearable") \
                .classes("min-w-64 grow").mark("search")
            self.search.on("keydown.enter", self.emit)
            self.search.on("clear", self.emit)
            ui.button(icon="search", on_click=self.emit).props("flat dense").mark("search-button")
        with ui.row().classes("w-full items-end gap-2"):
            statuses = {c: s.label("claim_status", c) for c in ClaimStatus.ALL}
            self.statuses = self._multi(t("claim.status"), statuses, f.statuses, "filter-status")
            self.kabupaten = self._multi(t("claim.kabupaten"), _desk_options(s),
                                         f.kabupaten, "filter-kabupaten")
            self.benefits = self._multi(t("claim.benefit"), s.ctx.reference.options("benefit_type", s.lang),
                                        f.benefit_types, "filter-benefit")
            self.date_from = self._date(t("queue.received_from"), f.received_from, "filter-from")
            self.date_to = self._date(t("queue.received_to"), f.received_to, "filter-to")
            self.flagged = ui.checkbox(t("queue.only_flagged"), value=f.flagged, on_change=self.emit) \
                .mark("filter-flagged")
            self.past_duty = ui.checkbox(t("queue.only_past_duty"), value=f.past_duty, on_change=self.emit) \
                .mark("filter-duty")
            ui.button(t("queue.reset"), icon="filter_alt_off", on_click=self.reset) \
                .props("flat dense no-caps").mark("filter-reset")
        self.batch_id, self.decision = f.batch_id, f.decision
        self.debited, self.returned = f.debited, f.returned
        self._carried()

    def _carried(self) -> None:
        """Name the filters that came with the link and have no field, so the list is never a mystery."""
        t = self.session.t
        names = []
        if self.batch_id:
            names.append(t("queue.carried.no_batch") if self.batch_id == NO_BATCH
                         else t("queue.carried.batch", batch=self.batch_id))
        if self.decision:
            names.append(t(f"queue.carried.decision.{self.decision}"))
        for name, value in (("debited", self.debited), ("returned", self.returned)):
            if value is not None:
                names.append(t(f"queue.carried.{name}.{'yes' if value else 'no'}"))
        self.carried = ui.label(f"{t('queue.carried')} {'; '.join(names)}" if names else "") \
            .classes("text-body2 text-primary").mark("filter-carried")
        self.carried.set_visibility(bool(names))

    def _multi(self, label: str, options: dict[str, str], value: tuple[str, ...], marker: str) -> ui.select:
        return ui.select(options, label=label, value=list(value), multiple=True, on_change=self.emit) \
            .props("outlined dense use-chips clearable options-dense").classes("min-w-48").mark(marker)

    def _date(self, label: str, value: dt.date | None, marker: str) -> DateField:
        return DateField(label, value, self.session.lang, self.emit).mark(marker)  # never mm/dd/yyyy

    def current(self) -> ClaimFilter:
        return ClaimFilter(
            statuses=tuple(self.statuses.value or ()), kabupaten=tuple(self.kabupaten.value or ()),
            benefit_types=tuple(self.benefits.value or ()), received_from=_date(self.date_from.value),
            received_to=_date(self.date_to.value), flagged=bool(self.flagged.value),
            past_duty=bool(self.past_duty.value), batch_id=self.batch_id,
            search=(self.search.value or "").strip()[:100], decision=self.decision, debited=self.debited,
            returned=self.returned)

    async def emit(self) -> None:
        if not self._quiet:
            await self.on_change(self.current())

    async def reset(self) -> None:
        self.batch_id = self.decision = self.debited = self.returned = None
        self.carried.set_visibility(False)
        self._quiet = True
        for field in (self.statuses, self.kabupaten, self.benefits):
            field.set_value([])
        for field in (self.date_from, self.date_to, self.search):
            field.set_value("")
        self.flagged.set_value(False)
        self.past_duty.set_value(False)
        self._quiet = False
        await self.emit()


def _desk_options(s: Session) -> dict[str, str]:
    """The kabupaten/kota a user may filter by: their desk's only (section 8), else all 22."""
    options = s.ctx.reference.options("kabupaten", s.lang)
    return options if s.scope is None else {c: n for c, n in options.items() if c in s.scope}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
