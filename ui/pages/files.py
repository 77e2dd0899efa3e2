"""/berkas (Berkas): every file received and sent per partner; /berkas/{id}: one file, its record
errors, download (supervisor and up, audited), and for a rejected file: ignore or reprocess.

The download is a plain HTTP route, so it checks the session and the role itself on the
server (`desk.files.file_for_download`), whatever the page showed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from nicegui import app, ui

from core.context import AppContext
from core.text import fmt
from desk.acting import Refused
from desk.files import file_for_download, ignore_file, reprocess_file
from desk.permissions import Action, PermissionDenied
from desk.views.files import STATUSES_IN, FileDetail, FileFilter, file_detail, files_page, record_errors_page
from ui import session as sess
from ui.components.desk import PagedTable, attempt, confirm, desk_button, job_label, short_when, when
from ui.components.run_watch import RunWatch
from ui.frame import frame
from ui.session import Session

PATH = "/berkas"
STATUS_COLORS = {"RECEIVED": "blue-7", "PROCESSED": "green-8", "PROCESSED_WITH_ERRORS": "orange-8",
                 "REJECTED": "red-7", "DUPLICATE": "grey-7", "IGNORED": "blue-grey-6", "WRITTEN": "amber-9",
                 "DELIVERED": "green-8"}
STATUS_FILTER = (*STATUSES_IN, "WRITTEN", "DELIVERED")


def register(ctx: AppContext) -> None:
    @ui.page(PATH)
    async def files_list(request: Request) -> None:
        session = await sess.current(ctx)
        if session is None:
            return
        p = request.query_params
        file_filter = FileFilter(partner=_pick(p.get("partner"), ("bpjs", "bank")),
                                 direction=_pick(p.get("direction"), ("IN", "OUT")),
                                 status=_pick(p.get("status"), STATUS_FILTER),
                                 search=(p.get("q") or "")[:100])
        with frame(session, "nav.files", PATH):
            await FilesList(session, file_filter).build()

    @ui.page(PATH + "/{file_id}")
    async def file_page(file_id: int) -> None:
        session = await sess.current(ctx)
        if session is None:
            return
        detail = await sess.db_call(file_detail, file_id)
        title = detail.file["name"] if detail else str(file_id)
        with frame(session, "files.title_one", PATH, name=title):
            if detail is None:
                ui.label(session.t("files.not_found_page", file=str(file_id))).classes("text-negative")
                return
            await FilePage(ctx, session, detail).build()

    @app.get(PATH + "/{file_id}/unduh")
    async def download(file_id: int) -> Response:
        if not sess.is_logged_in() or sess.is_idle(ctx.settings.web.idle_timeout_minutes):
            return PlainTextResponse(sess.t("login.required"), status_code=401)
        try:
            path, name = await sess.db_call(file_for_download, file_id, app.storage.user.get("username"))
        except PermissionDenied as exc:
            return PlainTextResponse(sess.t("error.permission_denied", role=exc.role, needed=exc.needed),
                                     status_code=403)
        except Refused as exc:
            return PlainTextResponse(exc.message(sess.lang()), status_code=404)
        sess.touch()
        return FileResponse(path, filename=name, media_type="text/plain; charset=utf-8")


class FilesList:
    def __init__(self, session: Session, file_filter: FileFilter):
        self.session, self.filter = session, file_filter

    async def build(self) -> None:
        self._filters()
        t, zone = self.session.t, fmt.zone_name(self.session.zone)
        columns = [
            {"name": "name", "label": t("files.col.name"), "field": "name", "align": "left"},
            {"name": "partner", "label": t("files.col.partner"), "field": "partner", "align": "left"},
            {"name": "direction", "label": t("files.col.direction"), "field": "direction", "align": "left"},
            {"name": "status", "label": t("files.col.status"), "field": "status_label", "align": "left"},
            {"name": "records", "label": t("files.col.records"), "field": "records", "align": "right"},
            {"name": "errors", "label": t("files.col.errors"), "field": "errors", "align": "right"},
            {"name": "total", "label": t("files.col.total"), "field": "total", "align": "right"},
            {"name": "sha256", "label": "SHA-256", "field": "sha_short", "align": "left"},
            {"name": "at", "label": t("files.col.at", zone=zone), "field": "at", "align": "left"},
        ]
        self.count = ui.label("").classes("text-body2 text-grey-8").mark("files-count")
        self.table = PagedTable(self.session, columns, self._load, marker="files-table",
                                no_data=t("files.none"))
        self.table.link_cell("name", PATH + "/{id}")
        self.table.badge_cell("status")
        await self.table.load(1)

    async def _load(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        result = await sess.db_call(files_page, self.filter, page=page, per_page=per_page)
        if result is None:
            return None
        rows, total = result
        self.count.text = self.session.t("files.matching", count=total)
        return [file_row(self.session, r) for r in rows], total

    def _filters(self) -> None:
        t, f = self.session.t, self.filter
        everything = {"": t("runs.all")}
        with ui.row().classes("w-full items-end gap-2"):
            self.search = ui.input(t("files.search"), value=f.search).props("outlined dense clearable") \
                .classes("min-w-64").mark("files-search")
            self.search.on("keydown.enter", self._apply)
            self.search.on("clear", self._apply)
            partners = {**everything, "bpjs": t("partner.bpjs"), "bank": t("partner.bank")}
            self.partner = ui.select(partners, value=f.partner or "", label=t("files.col.partner"),
                                     on_change=self._apply).props("outlined dense").classes("min-w-44") \
                .mark("filter-partner")
            self.direction = ui.select({**everything, "IN": t("direction.IN"), "OUT": t("direction.OUT")},
                                       value=f.direction or "", label=t("files.col.direction"),
                                       on_change=self._apply).props("outlined dense").classes("min-w-36") \
                .mark("filter-direction")
            statuses = {**everything, **{code: t(f"file_status.{code}") for code in STATUS_FILTER}}
            self.status = ui.select(statuses, value=f.status or "", label=t("files.col.status"),
                                    on_change=self._apply).props("outlined dense").classes("min-w-52") \
                .mark("filter-file-status")

    async def _apply(self) -> None:
        self.filter = FileFilter(partner=self.partner.value or None, direction=self.direction.value or None,
                                 status=self.status.value or None,
                                 search=(self.search.value or "").strip()[:100])
        f = self.filter
        params = {k: v for k, v in (("partner", f.partner), ("direction", f.direction), ("status", f.status),
                                    ("q", f.search)) if v}
        ui.navigate.history.replace(f"{PATH}?{urlencode(params)}" if params else PATH)
        sess.touch()
        await self.table.load(1)


def file_row(session: Session, row: dict) -> dict:
    t = session.t
    status = row["status_key"]
    return {"id": row["id"], "name": row["name"], "partner": t(f"partner.{row['partner']}"),
            "direction": t(f"direction.{row['direction']}"), "status": status,
            "status_label": t(f"file_status.{status}"), "status_color": STATUS_COLORS.get(status, "grey"),
            "records": fmt.number(row["record_count"], session.lang),
            "errors": fmt.number(row["error_count"], session.lang) if row["error_count"] else "",
            "total": fmt.rupiah(row["control_total"]), "sha_short": (row["sha256"] or "")[:12],
            "at": short_when(session, row["at"])}


class FilePage:
    def __init__(self, ctx: AppContext, session: Session, detail: FileDetail):
        self.ctx, self.session, self.detail = ctx, session, detail

    async def build(self) -> None:
        self.box = ui.column().classes("w-full gap-2")
        self.watch_box = ui.column().classes("w-full gap-2")
        self.dialog_host = ui.element("div")
        self._render()
        await self._record_errors()

    def _render(self) -> None:
        self.box.clear()
        with self.box:
            self._facts()
            self._notes()
            self._actions()

    async def _reload(self, _outcome: str | None = None) -> None:
        detail = await sess.db_call(file_detail, self.detail.file["id"])
        if detail is not None and not self.box.is_deleted:
            self.detail = detail
            self._render()

    def _facts(self) -> None:
        s, t, f = self.session, self.session.t, self.detail.file
        row = file_row(s, f)
        with ui.row().classes("items-center gap-2"):
            ui.badge(row["status_label"], color=row["status_color"]).classes("text-body2 q-px-sm") \
                .mark("file-status")
            ui.label(f"{row['partner']} · {row['direction']} · {f['file_type']}").classes("text-body1")
        facts = [(t("files.col.records"), row["records"]), (t("files.col.errors"), row["errors"] or "0"),
                 (t("files.col.total"), row["total"]), ("SHA-256", f["sha256"] or "-"),
                 (t("files.received_at"), when(s, f["created_at"])),
                 (t("files.processed_at"), when(s, f["processed_at"])),
                 (t("files.delivered_at"), when(s, f["delivered_at"]))]
        with ui.grid(columns=2).classes("gap-x-6 gap-y-1 text-body2"):
            for label, value in facts:
                if value:
                    ui.label(label).classes("text-grey-8")
                    ui.label(value).classes("break-all")
            if self.detail.run:
                ui.label(t("files.job_run")).classes("text-grey-8")
                run = self.detail.run
                ui.link(f"#{run['id']} · {job_label(s, run['job'])}", f"/tugas/riwayat/{run['id']}")
            if self.detail.batch_id:
                ui.label(t("files.batch")).classes("text-grey-8")
                ui.link(self.detail.batch_id, f"/batch/{self.detail.batch_id}").mark("file-batch")

    def _notes(self) -> None:
        d, t = self.detail, self.session.t
        status = d.file["status"]
        if status == "REJECTED" and d.error:
            ui.label(t("files.rejected_because", reason=d.error)).classes("text-negative text-body1") \
                .mark("file-rejected-reason")
        if d.ignore_reason:
            ui.label(t("files.ignored_because", reason=d.ignore_reason)).classes("text-body1") \
                .mark("file-ignore-reason")
        if d.duplicate_of:
            with ui.row().classes("gap-1 text-body2"):
                ui.label(t("files.duplicate_of"))
                ui.link(d.duplicate_of["name"], f"{PATH}/{d.duplicate_of['id']}")
        if d.replacement:
            with ui.row().classes("gap-1 text-body1 items-center").mark("file-replacement"):
                ui.icon("check_circle", color="positive")
                ui.label(t("files.replaced_by"))
                ui.link(d.replacement["name"], f"{PATH}/{d.replacement['id']}")
        elif status == "REJECTED":
            ui.label(t("files.no_replacement", partner=t(f"partner.{d.file['partner']}"))) \
                .classes("text-body2 text-grey-8").mark("file-no-replacement")

    def _actions(self) -> None:
        s, t, d = self.session, self.session.t, self.detail
        with ui.row().classes("gap-2"):
            button = desk_button(s, t("files.download"), "download", Action.DOWNLOAD_FILE, self.download,
                                 marker="file-download")
            if not d.has_copy:
                button.disable()
                with button:
                    ui.tooltip(t("files.no_copy"))
            if d.file["status"] == "REJECTED" and d.file["direction"] == "IN":
                desk_button(s, t("files.reprocess"), "replay", Action.REPROCESS_FILE, self.ask_reprocess,
                            marker="file-reprocess")
                desk_button(s, t("files.ignore"), "block", Action.IGNORE_FILE, self.ask_ignore,
                            marker="file-ignore")

    async def _record_errors(self) -> None:
        t = self.session.t
        self.errors_title = ui.label("").classes("text-h6").mark("record-errors-title")
        columns = [{"name": "line_no", "label": t("files.col.line"), "field": "line_no", "align": "right"},
                   {"name": "field", "label": t("files.col.field"), "field": "field", "align": "left"},
                   {"name": "value", "label": t("files.col.value"), "field": "value", "align": "left"},
                   {"name": "message", "label": t("files.col.reason"), "field": "message", "align": "left"}]
        self.errors = PagedTable(self.session, columns, self._load_errors, marker="record-errors",
                                 no_data=t("files.no_errors"))
        await self.errors.load(1)

    async def _load_errors(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        result = await sess.db_call(record_errors_page, self.detail.file["id"], page=page,
                                    per_page=per_page)
        if result is None:
            return None
        rows, total = result
        self.errors_title.text = self.session.t("files.record_errors", count=total)
        return rows, total

    # -- actions ----------------------------------------------------------------------
    async def download(self) -> None:
        if await sess.guard(self.ctx, Action.DOWNLOAD_FILE) is None:
            return
        ui.download.from_url(f"{PATH}/{self.detail.file['id']}/unduh")

    async def ask_ignore(self) -> None:
        session = await sess.guard(self.ctx, Action.IGNORE_FILE)
        if session is None:
            return
        name = self.detail.file["name"]

        async def go(reason: str | None) -> str | None:
            ok, result = await attempt(session, ignore_file, self.detail.file["id"], session.username, reason)
            if not ok:
                return result
            ui.notify(session.t("files.ignored_done", name=name), type="positive")
            await self._reload()
            return None

        with self.dialog_host:
            confirm(session, session.t("files.confirm_ignore", name=name),
                    session.t("files.confirm_ignore_help"), go, reason=session.t("common.reason"),
                    reason_required=True, button=session.t("files.ignore"))

    async def ask_reprocess(self) -> None:
        session = await sess.guard(self.ctx, Action.REPROCESS_FILE)
        if session is None:
            return
        f, t = self.detail.file, session.t
        job = self.detail.pull_job or ""

        async def go(_reason: str | None) -> str | None:
            ok, result = await attempt(session, reprocess_file, self.ctx, f["id"], session.username)
            if not ok:
                return result
            ui.notify(t("jobs.started", job=job_label(session, job), run=str(result.id)), type="info")
            with self.watch_box:
                RunWatch(session, result.id, job, on_end=self._reload)
            return None

        help_text = t("files.confirm_reprocess_help", partner=t(f"partner.{f['partner']}"),
                      job=job_label(session, job))
        with self.dialog_host:
            confirm(session, t("files.confirm_reprocess", name=f["name"]), help_text, go,
                    button=t("files.reprocess"))


def _pick(value: str | None, allowed) -> str | None:
    return value if value in allowed else None
