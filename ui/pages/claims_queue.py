"""/klaim: the claim queue over up to 1,000,000 claims, filtered and paged on the server.

The table is a `ui.table` in server mode: it holds one page of rows; paging and sorting
send a `request` event, answered by `core.claims.queries.claims_page` off the event loop. The
filter lives in the URL (`?status=READY&kab=5371`), so dashboard cards and colleagues can
link to a queue. Bulk hold/release/approve act on the ticked rows or on all N matching.
"""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import urlencode

from fastapi import Request
from nicegui import ui

from core.claims.queries import PAGE_SIZES, ClaimFilter, claims_page, count_and_total
from core.context import AppContext
from core.text import fmt
from desk.claims import BULK_ACTIONS, ClaimAction
from desk.masking import mask_for
from desk.permissions import Action
from ui import session as sess
from ui.components.action_dialog import ActionDialog, action_button
from ui.components.claim_filters import FilterBar
from ui.components.desk import badge_cell, link_cell
from ui.components.lists import keep_in_address
from ui.frame import STATUS_COLORS, Page, desk_page
from ui.session import Session

WRAP = "white-space: normal; min-width: 10rem; max-width: 15rem"  # a long benefit label wraps
PATH = "/klaim"
COUNT_FRESH_SECONDS = 60  # paging and sorting reuse the filter's count this long


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.claims")
    async def queue_page(page: Page, request: Request) -> None:
        claim_filter = ClaimFilter.from_params(request.query_params,
                                               kabupaten=ctx.reference.codes("kabupaten"),
                                               benefit_types=ctx.reference.codes("benefit_type"))
        # The kabupaten desk comes from the account read at this page (never from the address).
        claim_filter = replace(claim_filter, scope=page.session.scope)
        await ClaimQueue(ctx, page.session, claim_filter).build()


class ClaimQueue:
    def __init__(self, ctx: AppContext, session: Session, claim_filter: ClaimFilter):
        self.ctx, self.session, self.filter = ctx, session, claim_filter
        self.all_matching: tuple[int, int] | None = None  # (count, total) when "all N matching" is chosen
        self.sort_by, self.descending, self.per_page = "received_at", True, 25
        self.known: tuple[ClaimFilter, int, float] | None = None  # (filter, total, when counted)

    async def build(self) -> None:
        FilterBar(self.session, self.filter, self.apply_filter).build()
        self._bulk_bar()
        self._table()
        await self.load(1)

    # -- table ---------------------------------------------------------------------------
    def _table(self) -> None:
        t = self.session.t
        columns = [
            {"name": "claim_no", "label": t("claim.claim_no"), "field": "claim_no", "sortable": True,
             "align": "left"},
            {"name": "worker_name", "label": t("claim.worker"), "field": "worker_name", "sortable": True,
             "align": "left"},
            {"name": "nik", "label": "NIK", "field": "nik", "align": "left"},
            {"name": "kabupaten_code", "label": t("claim.kabupaten"), "field": "kabupaten", "sortable": True,
             "align": "left"},
            # long labels wrap, so the row fits 1280 px with the received time (issue 17's cut column)
            {"name": "benefit", "label": t("claim.benefit"), "field": "benefit", "align": "left",
             "style": WRAP, "headerStyle": WRAP},
            {"name": "approved_amount", "label": t("claim.amount"), "field": "amount", "sortable": True,
             "align": "right"},
            {"name": "status", "label": t("claim.status"), "field": "status_label", "sortable": True,
             "align": "left"},
            {"name": "received_at", "label": t("claim.received", zone=fmt.zone_name(self.session.zone)),
             "field": "received", "sortable": True, "align": "left", "style": "white-space: nowrap"},
        ]
        self.table = ui.table(
            columns=columns, rows=[], row_key="id", selection="multiple",
            pagination={"page": 1, "rowsPerPage": self.per_page, "sortBy": self.sort_by,
                        "descending": self.descending, "rowsNumber": 0},
            on_select=self._selection_changed,
        ).classes("w-full").props(
            f'dense flat bordered binary-state-sort :rows-per-page-options="{list(PAGE_SIZES)}" '
            f'rows-per-page-label="{t("queue.rows_per_page")}" no-data-label="{t("queue.no_claims")}"'
        ).mark("claims-table")
        self.table.props(f''':pagination-label="(a, b, n) => a + '-' + b + ' {t("queue.of")} ' + '''
                         f'''n.toLocaleString('{"id-ID" if self.session.lang == "id" else "en-GB"}')"''')
        link_cell(self.table, "claim_no", PATH + "/{claim_no}",
                  after='<q-icon v-if="props.row.flagged" name="flag" color="negative" class="q-ml-xs" />')
        badge_cell(self.table, "status")
        self.table.on("request", self._on_request)

    async def _on_request(self, e) -> None:
        pagination = e.args["pagination"]
        self.sort_by = pagination.get("sortBy") or "received_at"
        self.descending = bool(pagination.get("descending"))
        self.per_page = int(pagination.get("rowsPerPage") or 25)
        sess.touch()
        await self.load(int(pagination.get("page") or 1))

    async def load(self, page: int, recount: bool = False) -> None:
        known = None
        if not recount and self.known and self.known[0] == self.filter \
                and time.monotonic() - self.known[2] < COUNT_FRESH_SECONDS:
            known = self.known[1]
        result = await sess.db_call(claims_page, self.filter, sort_by=self.sort_by,
                                    descending=self.descending, page=page, per_page=self.per_page,
                                    duty=self.session.duty, known_total=known)
        if result is None:  # the app is shutting down
            return
        if known is None:
            self.known = (self.filter, result.total, time.monotonic())
        self.table.rows = [self._row(r) for r in result.rows]
        self.table.pagination = {"page": page, "rowsPerPage": self.per_page, "sortBy": self.sort_by,
                                 "descending": self.descending, "rowsNumber": result.total}
        self.total_label.text = self.session.t("queue.matching", count=result.total)

    def _row(self, row: dict) -> dict:
        s = self.session
        nik = mask_for(s.role, "nik", row["nik"])
        return {
            "id": row["id"], "claim_no": row["claim_no"], "worker_name": row["worker_name"], "nik": nik,
            "kabupaten": s.label("kabupaten", row["kabupaten_code"]),
            "benefit": s.label("benefit_type", row["benefit_type"]),
            "amount": fmt.rupiah(row["approved_amount"]), "approved_amount": row["approved_amount"],
            "status": row["status"], "status_label": s.label("claim_status", row["status"]),
            "status_color": STATUS_COLORS.get(row["status"], "grey"),
            "received": fmt.short_datetime(row["received_at"], s.zone, s.lang),
            "flagged": bool(row["flagged"]),
        }

    # -- filters ------------------------------------------------------------------------
    async def apply_filter(self, claim_filter: ClaimFilter) -> None:
        self.filter = replace(claim_filter, scope=self.session.scope)
        self._clear_selection()
        keep_in_address(PATH, claim_filter.to_params())
        await self.load(1)

    # -- bulk actions and export ----------------------------------------------------------
    def _bulk_bar(self) -> None:
        t = self.session.t
        with ui.row().classes("w-full items-center gap-2"):
            self.total_label = ui.label("").classes("text-body2 text-grey-8").mark("matching-count")
            self.selection_label = ui.label("").classes("text-body2 text-weight-medium").mark("selection")
            ui.button(t("queue.select_all_matching"), icon="select_all", on_click=self._select_all_matching) \
                .props("flat dense no-caps").mark("select-all-matching")
            ui.button(t("queue.clear_selection"), on_click=self._clear_selection).props("flat dense no-caps")
            ui.space()
            for action in BULK_ACTIONS:
                action_button(self.session, action, lambda a=action: self._bulk(a)).props("dense")
            ui.button("CSV", icon="download", on_click=lambda: self._export("csv")) \
                .props("flat dense no-caps").mark("export-csv")
            ui.button("XLSX", icon="download", on_click=lambda: self._export("xlsx")) \
                .props("flat dense no-caps").mark("export-xlsx")

    def _selection_changed(self) -> None:
        self.all_matching = None
        self._show_selection()

    def _show_selection(self) -> None:
        t = self.session.t
        if self.all_matching:
            count, total = self.all_matching
            self.selection_label.text = t("queue.all_matching_selected", count=count, total=total)
        elif self.table.selected:
            total = sum(r["approved_amount"] for r in self.table.selected)
            self.selection_label.text = t("queue.selected", count=len(self.table.selected), total=total)
        else:
            self.selection_label.text = ""

    async def _select_all_matching(self) -> None:
        self.table.selected = []
        self.all_matching = await sess.db_call(count_and_total, self.filter, self.session.duty)
        self._show_selection()

    def _clear_selection(self) -> None:
        self.all_matching = None
        self.table.selected = []
        self._show_selection()

    async def _bulk(self, action: ClaimAction) -> None:
        t = self.session.t
        if self.all_matching:
            target, subject = self.filter, t("queue.subject_all", count=self.all_matching[0])
        elif self.table.selected:
            target = [r["id"] for r in self.table.selected]
            subject = t("queue.subject_selected", count=len(target))
        else:
            ui.notify(t("queue.select_first"), type="warning")
            return
        await ActionDialog(self.ctx, self.session, action, target, subject=subject,
                           on_done=self._after_bulk).open()

    async def _after_bulk(self) -> None:
        self._clear_selection()
        await self.load(int(self.table.pagination.get("page") or 1), recount=True)

    async def _export(self, kind: str) -> None:
        if await sess.guard(self.ctx, Action.EXPORT) is None:
            return
        query = urlencode(self.filter.to_params())
        ui.download.from_url(f"/ekspor/klaim.{kind}{'?' + query if query else ''}")
