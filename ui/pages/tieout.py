"""/rekonsiliasi (Rekonsiliasi): the tie-out of contract section 10, per day, batch or kabupaten/kota.

    approved = queued + instructed + paid + failed + held      and      paid = debited - returned

Each term is defined precisely in desk/views/tieout.py: approved = claims with BPJS decision
APPROVED that are not REJECTED or CANCELLED (`approved_amount`); queued = NEEDS_REVIEW +
AWAITING_APPROVAL + READY; held = ON_HOLD (both `approved_amount`); instructed = INSTRUCTED,
paid = PAID, failed = PAYOUT_FAILED (each the amount of the claim's current instruction);
debited = claims a statement debit matched (`debited_on`); returned = instructions RETURNED.
Counts and Rupiah; each number links to the claim queue filtered to exactly the claims behind it
(the page's range of days included; `decision`, `debited`, `returned` for those terms); a row
where an identity does not hold is red; the whole table downloads as XLSX
(`/rekonsiliasi.xlsx`, through the one sheet writer), with the same filter in the URL
(`?dim=batch&from=2026-11-01&to=2026-11-30`).
"""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from nicegui import app, ui
from starlette.background import BackgroundTask

from core.context import AppContext
from core.text import fmt
from desk.permissions import PermissionDenied
from desk.refusal import Refused
from desk.views.tieout import DIMENSIONS, TERMS, TieOutRow, queue_filter, tieout_for, total, write_xlsx
from ui import session as sess
from ui.components.lists import pick
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/rekonsiliasi"
DEFAULT_DAYS = 31  # the default range: the last month of received claims


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.tieout")
    async def tieout_page(page: Page, request: Request) -> None:
        dim, date_from, date_to = _params(request, ctx.settings.timezone)
        rows = await sess.db_call(tieout_for, page.session.username, dim, date_from=date_from,
                                  date_to=date_to, zone=page.session.zone)
        TieOutPage(page.session, dim, date_from, date_to, rows).build()

    @app.get(PATH + ".xlsx")
    async def download(request: Request) -> Response:
        if not sess.is_logged_in() or sess.is_idle(ctx.settings.web.idle_timeout_minutes):
            return PlainTextResponse(sess.t("login.required"), status_code=401)
        dim, date_from, date_to = _params(request, ctx.settings.timezone)
        try:
            rows = await sess.db_call(tieout_for, app.storage.user.get("username"), dim,
                                      date_from=date_from, date_to=date_to, zone=ctx.settings.timezone)
        except PermissionDenied as exc:
            return PlainTextResponse(sess.t("error.permission_denied", role=exc.role, needed=exc.needed),
                                     status_code=403)
        except Refused as exc:
            return PlainTextResponse(exc.message(sess.lang()), status_code=403)
        path = await sess.db_call(write_xlsx, rows, dim, sess.lang())
        sess.touch()
        return FileResponse(path, filename=f"rekonsiliasi-{dim}.xlsx",
                            background=BackgroundTask(os.unlink, path),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _params(request: Request, zone: str) -> tuple[str, dt.date | None, dt.date | None]:
    p = request.query_params
    dim = pick(p.get("dim"), DIMENSIONS) or "day"
    date_to = _date(p.get("to"))
    date_from = _date(p.get("from"))
    if "from" not in p and "to" not in p:
        date_from = fmt.local_today(zone) - dt.timedelta(days=DEFAULT_DAYS - 1)
    return dim, date_from, date_to


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class TieOutPage:
    def __init__(self, session: Session, dim: str, date_from: dt.date | None, date_to: dt.date | None,
                 rows: list[TieOutRow]):
        self.session, self.dim, self.rows = session, dim, rows
        self.date_from, self.date_to = date_from, date_to

    def _address(self, **changes: str | None) -> str:
        params = {"dim": self.dim, "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", **changes}
        return urlencode({k: v for k, v in params.items() if v})

    def build(self) -> None:
        t = self.session.t
        ui.label(t("tieout.title")).classes("text-h6")
        ui.label(t("tieout.help_exact")).classes("text-body2 text-grey-8")
        with ui.row().classes("items-center gap-2"):
            for dim in DIMENSIONS:
                ui.button(t(f"tieout.dim.{dim}"),
                          on_click=lambda d=dim: ui.navigate.to(f"{PATH}?{self._address(dim=d)}")) \
                    .props("dense no-caps" + ("" if dim == self.dim else " outline")) \
                    .mark(f"tieout-dim-{dim}")
            ui.link(t("tieout.download"), f"{PATH}.xlsx?{self._address()}").mark("tieout-xlsx")
        broken = sum(1 for r in self.rows if not (r.approved_holds and r.paid_holds))
        if not self.rows:
            ui.label(t("tieout.none")).classes("text-grey-8").mark("tieout-none")
            return
        ui.label(t("tieout.broken", count=broken) if broken else t("tieout.all_hold")) \
            .classes("text-negative" if broken else "text-positive").mark("tieout-verdict")
        self._table()

    def _table(self) -> None:
        t = self.session.t
        with ui.element("table").classes("w-full text-body2").mark("tieout-table"):
            with ui.element("tr"):
                for label in [t(f"tieout.dim.{self.dim}"), *(t(f"tieout.term.{x}") for x in TERMS),
                              t("tieout.sum"), t("tieout.net")]:
                    with ui.element("th").classes("text-left q-pa-xs"):
                        ui.label(label)
            for row in self.rows:
                self._row(row, row.key or t("tieout.no_batch"), links=True)
            self._row(total(self.rows), t("tieout.total"), links=False)

    def _row(self, row: TieOutRow, label: str, *, links: bool) -> None:
        holds = row.approved_holds and row.paid_holds
        tint = "bg-red-1 text-negative" if not holds else ""
        marker = "tieout-row-broken" if not holds else "tieout-row"
        with ui.element("tr").classes(tint).mark(marker):
            with ui.element("td").classes("q-pa-xs text-weight-medium"):
                ui.label(label)
            for term in TERMS:
                with ui.element("td").classes("q-pa-xs"):
                    text = self._amount(row.terms[term].count, row.terms[term].amount)
                    if links and row.terms[term].count:
                        query = urlencode(queue_filter(self.dim, row.key, term, self.date_from,
                                                          self.date_to).to_params())
                        ui.link(text, f"/klaim?{query}").mark(f"tieout-{term}")
                    else:
                        ui.label(text)
            for value, ok in ((row.sum, row.approved_holds), (row.net_debited, row.paid_holds)):
                with ui.element("td").classes("q-pa-xs" + ("" if ok else " text-weight-bold")):
                    ui.label(self._amount(value.count, value.amount))

    def _amount(self, count: int, amount: int) -> str:
        return f"{fmt.number(count, self.session.lang)} · {fmt.rupiah(amount)}"
