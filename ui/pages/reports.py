"""/laporan (Laporan Bulanan): the monthly report for a chosen month, as XLSX or PDF; and the download
routes of every printable document (contract section 9):

- /laporan/bulanan/{YYYY-MM}.xlsx and .pdf (any role that may export; a desk gets its kabupaten);
- /dokumen/batch/{batch_id}/daftar-nominatif.pdf and berita-acara.pdf (the batch page's buttons);
- /dokumen/klaim/{claim_no}/bukti-bayar.pdf (the claim page's button, for a PAID claim).

The routes are plain HTTP, so each checks the session on the server and asks `desk.documents.downloads`,
which reads the user's role and desk from the database and audits the download; a page's hidden
or disabled button is only a courtesy. The file is written off the event loop (`sess.db_call`, a
worker thread), streamed, then its temporary folder deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse, PlainTextResponse, Response
from nicegui import app, ui
from starlette.background import BackgroundTask

from core.context import AppContext
from core.text import fmt
from desk.permissions import Action, PermissionDenied
from desk.refusal import Refused
from desk.reports.downloads import (
    BATCH_KINDS,
    REPORT_KINDS,
    batch_document,
    discard,
    monthly_report_file,
    receipt_document,
)
from ui import session as sess
from ui.components.desk import desk_button
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/laporan"
MONTHS_SHOWN = 24
MEDIA = {"pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def batch_url(batch_id: str, kind: str) -> str:
    return f"/dokumen/batch/{quote(batch_id, safe='')}/{kind}.pdf"


def receipt_url(claim_no: str) -> str:
    return f"/dokumen/klaim/{quote(claim_no, safe='')}/bukti-bayar.pdf"


def receipt_button(session: Session, claim_no: str) -> None:
    """The claim page's "Bukti bayar" button (shown for a PAID claim); the route checks again."""

    async def download() -> None:
        if await sess.guard(session.ctx, Action.PRINT_DOCUMENTS) is not None:
            ui.download.from_url(receipt_url(claim_no))

    desk_button(session, session.t("doc.download.receipt"), "receipt_long", Action.PRINT_DOCUMENTS, download,
                marker="claim-receipt")


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "report.page_title", need=Action.EXPORT)
    async def reports_page(page: Page) -> None:
        MonthlyPage(page).build()

    @app.get("/laporan/bulanan/{month}.{kind}")
    async def monthly(month: str, kind: str) -> Response:
        if kind not in REPORT_KINDS:
            return PlainTextResponse(sess.t("report.error.extension", path=f"{month}.{kind}"),
                                     status_code=404)
        return await _download(ctx, lambda user: monthly_report_file(ctx, month, kind, user), kind)

    @app.get("/dokumen/batch/{batch_id}/{kind}.pdf")
    async def batch_pdf(batch_id: str, kind: str) -> Response:
        if kind not in BATCH_KINDS:
            return PlainTextResponse(sess.t("doc.error.no_batch", batch=batch_id), status_code=404)
        return await _download(ctx, lambda user: batch_document(ctx, batch_id, kind, user), "pdf")

    @app.get("/dokumen/klaim/{claim_no}/bukti-bayar.pdf")
    async def receipt_pdf(claim_no: str) -> Response:
        return await _download(ctx, lambda user: receipt_document(ctx, claim_no, user), "pdf")


async def _download(ctx: AppContext, write: Callable[[str | None], Path], kind: str) -> Response:
    """The file `write(username)` makes, for a signed-in user; 401 / 403 / 404 with the reason otherwise."""
    if not sess.is_logged_in() or sess.is_idle(ctx.settings.web.idle_timeout_minutes):
        return PlainTextResponse(sess.t("login.required"), status_code=401)
    try:
        path = await sess.db_call(write, app.storage.user.get("username"))
    except PermissionDenied as exc:
        return PlainTextResponse(sess.t("error.permission_denied", role=exc.role, needed=exc.needed),
                                 status_code=403)
    except Refused as exc:
        return PlainTextResponse(exc.message(sess.lang()), status_code=404)
    sess.touch()
    return FileResponse(path, filename=path.name, media_type=MEDIA[kind],
                        background=BackgroundTask(discard, path))


def recent_months(today: dt.date, count: int = MONTHS_SHOWN) -> list[dt.date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    months, first = [], today.replace(day=1)
    for _ in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


class MonthlyPage:
    def __init__(self, page: Page):
        self.session = page.session

    def build(self) -> None:
        s, t = self.session, self.session.t
        ui.label(t("report.page_hint")).classes("text-body2 text-grey-8")
        months = recent_months(fmt.local_today(s.zone))
        options = {f"{m:%Y-%m}": fmt.date(m, s.lang).split(" ", 1)[1] for m in months}
        # the month that just ended is the one the Kepala Dinas asks for
        self.month = ui.select(options, value=f"{months[1]:%Y-%m}", label=t("report.month")) \
            .props("outlined dense").classes("min-w-52").mark("report-month")
        with ui.row().classes("gap-2"):
            for kind, icon in (("xlsx", "grid_on"), ("pdf", "picture_as_pdf")):
                ui.button(t(f"report.download_{kind}"), icon=icon, on_click=lambda k=kind: self.download(k)) \
                    .props("no-caps outline").mark(f"report-{kind}")

    def download(self, kind: str) -> None:
        sess.touch()
        ui.download.from_url(f"/laporan/bulanan/{self.month.value}.{kind}")
