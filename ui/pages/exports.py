"""/ekspor/klaim.csv and .xlsx: the current queue filter as a file for people, streamed.

What the file shows (Indonesian headers, labels beside codes, WITA times, real date and number
cells, `;` CSV with a BOM, masking by role) is `desk.views.downloads`; this module checks the
login and the role on the server, streams, and audits every export with its filter and count.
CSV is written chunk by chunk as the rows are read (keyset pages, each read off the event
loop). XLSX cannot be streamed as it is written (it is a zip), so openpyxl's write-only mode
writes it to a temporary file in a worker thread, which is then streamed and deleted.
`claims export` on the command line is the machines' export (desk/export.py): raw codes, ISO.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from nicegui import app
from starlette.background import BackgroundTask

from core.audit import audit
from core.claims.queries import ClaimFilter, Duty, count
from core.context import AppContext
from desk.masking import sees_full
from desk.permissions import MIN_ROLE, Action, allowed
from desk.scope import scoped
from desk.views import downloads
from models import User
from ui import session as sess

XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the header row


def register(ctx: AppContext) -> None:
    @app.get("/ekspor/klaim.csv")
    async def export_csv(request: Request) -> Response:
        export = await _export(ctx, request)
        if isinstance(export, Response):
            return export
        await export.audit("klaim.csv")
        return StreamingResponse(_csv_chunks(ctx, export), media_type="text/csv; charset=utf-8",
                                 headers=_disposition(ctx, "csv"))

    @app.get("/ekspor/klaim.xlsx")
    async def export_xlsx(request: Request) -> Response:
        export = await _export(ctx, request)
        if isinstance(export, Response):
            return export
        n = await sess.db_call(count, export.claim_filter, export.duty)
        if n > XLSX_MAX_ROWS:
            return PlainTextResponse(sess.t("export.too_many_xlsx", count=n, limit=XLSX_MAX_ROWS),
                                     status_code=413)
        path = await sess.db_call(downloads.write_xlsx, ctx, export.claim_filter, export.duty,
                                  export.user.role, export.lang)
        await export.audit("klaim.xlsx", rows=n)
        return FileResponse(path, filename=downloads.file_name("xlsx", ctx.settings.timezone),
                            background=BackgroundTask(os.unlink, path),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class Export:
    """One export asked for: by whom (whose role decides what is masked), of which claims."""

    user: User
    claim_filter: ClaimFilter
    duty: Duty
    lang: str  # the headers' and labels' language: the session's

    async def audit(self, target: str, **details: Any) -> None:
        masked = not sees_full(self.user.role)
        await sess.db_call(audit, "EXPORT", username=self.user.username, target=target,
                           details={"filter": self.claim_filter.to_params(), "masked": masked, **details})


async def _export(ctx: AppContext, request: Request) -> Export | Response:
    """The export of a logged-in, active user allowed to export, or a 401/403 response."""
    if not sess.is_logged_in() or sess.is_idle(ctx.settings.web.idle_timeout_minutes):
        return PlainTextResponse(sess.t("login.required"), status_code=401)
    user = await sess.db_call(User.get_or_none, User.username == app.storage.user["username"])
    if user is None or not user.active:
        return PlainTextResponse(sess.t("login.required"), status_code=401)
    if not allowed(user.role, Action.EXPORT):
        message = sess.t("error.permission_denied", role=user.role, needed=MIN_ROLE[Action.EXPORT])
        return PlainTextResponse(message, status_code=403)
    sess.touch()
    # Kabupaten desks (section 8): the file holds the user's kabupaten/kota only, whatever the address asks.
    return Export(user, scoped(user, _filter(ctx, request)), _duty(ctx), sess.lang())


def _filter(ctx: AppContext, request: Request) -> ClaimFilter:
    return ClaimFilter.from_params(request.query_params, kabupaten=ctx.reference.codes("kabupaten"),
                                   benefit_types=ctx.reference.codes("benefit_type"))


def _duty(ctx: AppContext) -> Duty:
    return Duty(ctx.settings.timezone)


async def _csv_chunks(ctx: AppContext, export: Export) -> AsyncIterator[str]:
    """The CSV: its header, then one chunk of lines per page of claims, each read off the loop."""
    yield downloads.csv_header(export.lang, ctx.settings.timezone)
    pages = downloads.rows(ctx, export.claim_filter, export.duty, export.user.role, export.lang)
    while lines := await sess.db_call(_next_page, pages):
        yield downloads.csv_lines(lines)


def _next_page(pages: Iterator[list], size: int = downloads.CHUNK) -> list[list]:
    return [row for _, row in zip(range(size), pages, strict=False)]


def _disposition(ctx: AppContext, kind: str) -> dict[str, str]:
    name = downloads.file_name(kind, ctx.settings.timezone)
    return {"Content-Disposition": f'attachment; filename="{name}"'}
