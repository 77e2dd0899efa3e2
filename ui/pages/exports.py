"""/ekspor/klaim.csv and .xlsx: the current queue filter as a file, streamed, never built in memory.

CSV is written chunk by chunk as the rows are read (keyset pages of 2,000 claims, each read
off the event loop). XLSX cannot be streamed as it is written (it is a zip), so openpyxl's
write-only mode writes it to a temporary file in a worker thread, which is then streamed
and deleted. Both go through `core.files.sheets`, the one writer that keeps a value such as
`=WEBSERVICE(...)` from running as a formula. The role is checked on the server; viewers
get NIKs and account numbers masked (`desk.masking`, the one place that masks by role). Every
export is audited with its filter and row count.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from nicegui import app
from starlette.background import BackgroundTask

from core.audit import audit
from core.claims.queries import ClaimFilter, Duty, count, filtered
from core.context import AppContext
from core.files.sheets import XlsxSheet, csv_text
from desk.export import EXPORT_FIELDS, plain_value
from desk.masking import mask_row, sees_full
from desk.permissions import MIN_ROLE, Action, allowed
from models import Claim, User
from ui import session as sess

CHUNK = 2000
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the header row


def register(ctx: AppContext) -> None:
    @app.get("/ekspor/klaim.csv")
    async def export_csv(request: Request) -> Response:
        export = await _export(ctx, request)
        if isinstance(export, Response):
            return export
        await export.audit("klaim.csv")
        return StreamingResponse(_csv_chunks(export.claim_filter, export.duty, export.user.role),
                                 media_type="text/csv; charset=utf-8", headers=_disposition("csv"))

    @app.get("/ekspor/klaim.xlsx")
    async def export_xlsx(request: Request) -> Response:
        export = await _export(ctx, request)
        if isinstance(export, Response):
            return export
        n = await sess.db_call(count, export.claim_filter, export.duty)
        if n > XLSX_MAX_ROWS:
            return PlainTextResponse(sess.t("export.too_many_xlsx", count=n, limit=XLSX_MAX_ROWS),
                                     status_code=413)
        path = await sess.db_call(_write_xlsx, export.claim_filter, export.duty, export.user.role)
        await export.audit("klaim.xlsx", rows=n)
        return FileResponse(path, filename=_name("xlsx"), background=BackgroundTask(os.unlink, path),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class Export:
    """One export asked for: by whom (whose role decides what is masked), of which claims."""

    user: User
    claim_filter: ClaimFilter
    duty: Duty

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
    return Export(user, _filter(ctx, request), _duty(ctx))


def _filter(ctx: AppContext, request: Request) -> ClaimFilter:
    return ClaimFilter.from_params(request.query_params, kabupaten=ctx.reference.codes("kabupaten"),
                                   benefit_types=ctx.reference.codes("benefit_type"))


def _duty(ctx: AppContext) -> Duty:
    return Duty(ctx.settings.timezone)


async def _csv_chunks(claim_filter: ClaimFilter, duty: Duty, role: str) -> AsyncIterator[str]:
    yield csv_text(EXPORT_FIELDS, (), header=True, bom=True)
    last = 0
    while True:
        rows = await sess.db_call(export_chunk, claim_filter, duty, last, role)
        if not rows:
            return
        last = rows[-1].pop("id")
        yield csv_text(EXPORT_FIELDS, rows)


def export_chunk(claim_filter: ClaimFilter, duty: Duty, after_id: int, role: str,
                 limit: int = CHUNK) -> list[dict[str, Any]]:
    """Up to `limit` claims after `after_id`, as plain values masked for `role` (the last row keeps
    its `id`)."""
    columns = [Claim.id, *(getattr(Claim, name) for name in EXPORT_FIELDS)]
    rows = list(filtered(claim_filter, duty, columns=columns).where(Claim.id > after_id)
                .order_by(Claim.id).limit(limit).dicts())
    out = []
    for i, row in enumerate(rows):
        row = mask_row(role, {key: plain_value(value) for key, value in row.items()})
        if i < len(rows) - 1:
            row.pop("id")
        out.append(row)
    return out


def _write_xlsx(claim_filter: ClaimFilter, duty: Duty, role: str) -> str:
    sheet = XlsxSheet("Klaim", EXPORT_FIELDS)
    last = 0
    while rows := export_chunk(claim_filter, duty, last, role):
        last = rows[-1].pop("id")
        for row in rows:
            sheet.append(row[name] for name in EXPORT_FIELDS)
    return sheet.save_temporary("santunan-export-")


def _name(kind: str) -> str:
    return f"klaim_{dt.datetime.now(dt.UTC):%Y%m%d_%H%M}.{kind}"


def _disposition(kind: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{_name(kind)}"'}
