"""/peserta (Peserta): the participant roster, searched by name, KPJ or NIK and filtered by
kabupaten/kota and funding source, a server-side page at a time; and the roster upload.

The upload goes through the same import as `roster import` (`desk.roster.import_file`: role,
kabupaten desk and audit checked on the server). Its rejected rows, with their `Kesalahan`,
are offered as a CSV download to this session only (`ui.download.content`), so they can be
fixed and uploaded again. NIKs are masked for a role that may not see them (`desk.masking`).

Beside the upload, the whole roster the user may see (their kabupaten desk; the filter shown) downloads
as CSV or XLSX from `/peserta.csv` and `/peserta.xlsx` (`desk.roster.download_file`: role, desk, masking
and audit on the server), in the upload's own format, so a corrected file imports again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from nicegui import app, ui
from starlette.background import BackgroundTask

from core.context import AppContext
from core.roster.importing import ImportResult
from core.roster.queries import RosterFilter
from core.roster.reading import Unreadable
from core.roster.rows import FUNDING
from core.text import fmt, i18n
from desk.permissions import Action, PermissionDenied
from desk.refusal import Refused
from desk.roster import DOWNLOAD_KINDS, download_file, import_file, page_for
from ui import session as sess
from ui.components.desk import PagedTable, col
from ui.components.lists import MatchCount, keep_in_address, pick, read_rows
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/peserta"
SHOWN_ROWS = 20  # bad rows listed on the page; the download holds them all
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.roster")
    async def roster_page(page: Page, request: Request) -> None:
        await RosterList(ctx, page.session, _filter(ctx, request)).build()

    @app.get(PATH + ".{kind}")
    async def download(kind: str, request: Request) -> Response:
        if kind not in DOWNLOAD_KINDS:
            return PlainTextResponse(sess.t("roster.download.kind", kind=kind), status_code=404)
        if not sess.is_logged_in() or sess.is_idle(ctx.settings.web.idle_timeout_minutes):
            return PlainTextResponse(sess.t("login.required"), status_code=401)
        try:
            path = await sess.db_call(download_file, app.storage.user.get("username"), _filter(ctx, request),
                                      kind)
        except PermissionDenied as exc:
            return PlainTextResponse(sess.t("error.permission_denied", role=exc.role, needed=exc.needed),
                                     status_code=403)
        except Refused as exc:
            return PlainTextResponse(exc.message(sess.lang()), status_code=403)
        sess.touch()
        return FileResponse(path, filename=f"peserta.{kind}", media_type=MEDIA[kind],
                            background=BackgroundTask(os.unlink, path))


def _filter(ctx: AppContext, request: Request) -> RosterFilter:
    p = request.query_params
    return RosterFilter(search=(p.get("q") or "")[:100],
                        kabupaten=pick(p.get("kabupaten"), ctx.reference.codes("kabupaten")),
                        funding=pick(p.get("funding"), FUNDING))


class RosterList:
    def __init__(self, ctx: AppContext, session: Session, roster_filter: RosterFilter):
        self.ctx, self.session, self.filter = ctx, session, roster_filter

    async def build(self) -> None:
        with ui.row().classes("w-full items-start gap-3 no-wrap"):
            if self.session.can(Action.IMPORT_ROSTER):
                self._upload()
            if self.session.can(Action.EXPORT):
                self._download()
        t = self.session.t
        with ui.row().classes("items-end gap-2 w-full"):
            ui.input(t("roster.search"), value=self.filter.search, on_change=self._search) \
                .props("outlined dense clearable debounce=400").classes("min-w-64").mark("roster-search")
            kabupaten = {"": t("roster.all"), **self.ctx.reference.options("kabupaten", self.session.lang)}
            ui.select(kabupaten, value=self.filter.kabupaten or "", label=t("roster.col.kabupaten"),
                      on_change=lambda e: self._refilter(kabupaten=e.value or None)) \
                .props("outlined dense").classes("min-w-56").mark("filter-kabupaten")
            funding = {"": t("roster.all"), **{code: t(f"roster.funding.{code}") for code in FUNDING}}
            ui.select(funding, value=self.filter.funding or "", label=t("roster.col.funding"),
                      on_change=lambda e: self._refilter(funding=e.value or None)) \
                .props("outlined dense").classes("min-w-44").mark("filter-funding")
        self.count = MatchCount(self.session, "roster.matching", marker="roster-count")
        names = ("kpj", "nik", "name", "kabupaten", "village", "occupation", "start", "end", "funding")
        sortable = {"kpj", "name", "start", "end"}
        columns = [col(n, t(f"roster.col.{n}"), sortable=n in sortable) for n in names]
        self.table = PagedTable(self.session, columns, self._load, marker="roster-table",
                                no_data=t("roster.none"), sort_by="name", descending=False)
        await self.table.load(1)

    async def _search(self, e) -> None:
        await self._refilter(search=(e.value or "").strip()[:100])

    async def _refilter(self, **changes: str | None) -> None:
        f = self.filter
        self.filter = RosterFilter(search=changes.get("search", f.search),
                                   kabupaten=changes.get("kabupaten", f.kabupaten),
                                   funding=changes.get("funding", f.funding))
        keep_in_address(PATH, {"q": self.filter.search, "kabupaten": self.filter.kabupaten,
                               "funding": self.filter.funding})
        await self.table.load(1)

    async def _load(self, page: int, per_page: int, sort: str | None, descending: bool):
        return await read_rows(page_for, self.session.username, self.filter, page=page, per_page=per_page,
                               sort=sort, descending=descending, row=self._row, count=self.count)

    def _row(self, p: dict) -> dict:
        s = self.session
        return {"id": p["id"], "kpj": p["kpj"], "nik": p["nik"], "name": p["name"],
                "kabupaten": s.label("kabupaten", p["kabupaten_code"]), "village": p["village"] or "",
                "occupation": s.label("occupation", p["occupation"]),
                "start": fmt.short_date(p["start"], s.lang),
                "end": fmt.short_date(p["end"], s.lang) if p["end"] else "",
                "funding": s.t(f"roster.funding.{p['funding']}")}

    def _download(self) -> None:
        t = self.session.t
        with ui.card().classes("gap-2 min-w-60").mark("roster-download"):
            ui.label(t("roster.download.title")).classes("text-subtitle1 text-weight-medium")
            ui.label(t("roster.download.help")).classes("text-body2 text-grey-8")
            with ui.row().classes("gap-2"):
                for kind in DOWNLOAD_KINDS:
                    ui.button(kind.upper(), icon="download", on_click=lambda k=kind: self._download_file(k)) \
                        .props("no-caps outline dense").mark(f"roster-download-{kind}")

    def _download_file(self, kind: str) -> None:
        """The file of the filter on screen; the route checks the role and the desk again."""
        sess.touch()
        params = {"q": self.filter.search, "kabupaten": self.filter.kabupaten, "funding": self.filter.funding}
        query = urlencode({k: v for k, v in params.items() if v})
        ui.download.from_url(f"{PATH}.{kind}" + (f"?{query}" if query else ""))

    def _upload(self) -> None:
        t = self.session.t
        with ui.card().classes("grow gap-2").mark("roster-upload"):
            ui.label(t("roster.upload.title")).classes("text-subtitle1 text-weight-medium")
            ui.label(t("roster.upload.help")).classes("text-body2 text-grey-8")
            ui.upload(label=t("roster.upload.button"), auto_upload=True, max_files=1,
                      on_upload=self._uploaded) \
                .props('accept=".csv,.xlsx,text/csv"').classes("w-full max-w-lg").mark("roster-file")
            self.outcome = ui.column().classes("gap-1 w-full").mark("roster-outcome")

    async def _uploaded(self, e) -> None:
        session = await sess.guard(self.ctx, Action.IMPORT_ROSTER)
        if session is None:
            return
        handle, path = tempfile.mkstemp(prefix="roster-", suffix=Path(e.file.name).suffix[:8])
        os.close(handle)
        try:
            await e.file.save(path)
            outcome = await sess.db_call(import_upload, self.ctx, Path(path), session.username, e.file.name,
                                         session.lang)
        finally:
            os.unlink(path)
        e.sender.reset()
        await self.table.load(1)  # the table first, then the outcome that says it is done
        self._show(outcome, e.file.name)

    def _show(self, outcome: tuple[ImportResult, bytes] | str | None, name: str) -> None:
        s, t = self.session, self.session.t
        self.outcome.clear()
        with self.outcome:
            if outcome is None:
                return
            if isinstance(outcome, str):
                ui.label(outcome).classes("text-negative").mark("roster-error")
                return
            result, rejected = outcome
            ui.label(result.summary(s.lang)).classes("text-body1 text-weight-medium").mark("roster-summary")
            for report in result.reports[:SHOWN_ROWS]:
                ui.label(report.text(s.lang)).classes("text-body2 text-negative")
            if result.rejected > SHOWN_ROWS:
                ui.label(t("roster.more_rows", count=result.rejected - SHOWN_ROWS)).classes("text-body2")
            if result.rejected:
                stem = Path(name).stem[:60] or "roster"
                ui.button(t("roster.upload.rejected"), icon="download",
                          on_click=lambda: ui.download.content(rejected, f"{stem}_ditolak.csv", "text/csv")) \
                    .props("no-caps outline dense").mark("roster-rejected")


def import_upload(ctx: AppContext, path: Path, username: str, name: str,
                  lang: str) -> tuple[ImportResult, bytes] | str:
    """Import an uploaded roster (off the event loop): the result and its rejected rows as CSV bytes,
    or the sentence saying why nothing was imported."""
    handle, rejected_path = tempfile.mkstemp(prefix="roster-ditolak-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as rejected:
            result = import_file(ctx, path, username, rejected=rejected, name=name)
        return result, Path(rejected_path).read_bytes()
    except Unreadable as exc:
        return i18n.t(exc.key, lang, **exc.params)
    except Refused as exc:
        return exc.message(lang)
    finally:
        os.unlink(rejected_path)
