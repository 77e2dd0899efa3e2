"""/berkas (Berkas): every file received and sent per partner; /berkas/{id}: one file, its record
errors, download (supervisor and up, audited), and for a rejected file: ignore or reprocess, or
mark it handled with a note (desk/handled.py); `?failures=open|handled` keeps the rejected files
nobody dealt with apart from those somebody did.

The download is a plain HTTP route, so it checks the session and the role itself on the
server (`desk.files.file_for_download`), whatever the page showed.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from nicegui import app, ui

from core.context import AppContext
from core.text import fmt
from desk.files import file_for_download, ignore_file, reprocess_file
from desk.handled import mark_file_handled
from desk.masking import mask_row
from desk.permissions import Action, PermissionDenied
from desk.refusal import Refused
from desk.views.files import FileDetail, FileFilter, file_detail, files_page, record_errors_page
from desk.views.jobs import HANDLED, OPEN, partner_ids
from models import BatchFile, FileStatus, JobRun
from ui import session as sess
from ui.components.asking import Question, asks
from ui.components.desk import PagedTable, desk_button, job_label, partner_label, short_when, when
from ui.components.lists import MatchCount, keep_in_address, pick, read_rows
from ui.components.run_watch import RunWatch
from ui.frame import Page, desk_page, url_id
from ui.session import Session

PATH = "/berkas"
F = FileStatus
STATUS_COLORS = {F.RECEIVED: "blue-7", F.PROCESSED: "green-8", F.PROCESSED_WITH_ERRORS: "orange-8",
                 F.REJECTED: "red-7", F.DUPLICATE: "grey-7", F.IGNORED: "blue-grey-6", F.WRITTEN: "amber-9",
                 F.DELIVERED: "green-8"}
STATUS_FILTER = (*F.IN, F.WRITTEN, F.DELIVERED)


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.files")
    async def files_list(page: Page, request: Request) -> None:
        p = request.query_params
        file_filter = FileFilter(partner=pick(p.get("partner"), partner_ids()),
                                 direction=pick(p.get("direction"), ("IN", "OUT")),
                                 status=pick(p.get("status"), STATUS_FILTER),
                                 search=(p.get("q") or "")[:100],
                                 failures=pick(p.get("failures"), (OPEN, HANDLED)))
        await FilesList(page.session, file_filter).build()

    @desk_page(ctx, PATH + "/{file_id}", "files.title_one", active=PATH)
    async def file_page(page: Page, file_id: str) -> None:
        row_id = url_id(file_id)
        detail = await sess.db_call(file_detail, row_id) if row_id else None
        page.title(name=detail.file["name"] if detail else file_id)
        if detail is None:
            page.not_found("files.not_found_page", file=file_id)
            return
        await FilePage(ctx, page.session, detail).build()

    @app.get(PATH + "/{file_id}/unduh")
    async def download(file_id: str) -> Response:
        if not sess.is_logged_in() or sess.is_idle(ctx.settings.web.idle_timeout_minutes):
            return PlainTextResponse(sess.t("login.required"), status_code=401)
        row_id = url_id(file_id)
        if row_id is None:
            return PlainTextResponse(sess.t("files.error.not_found", file=file_id), status_code=404)
        try:
            path, name = await sess.db_call(file_for_download, row_id, app.storage.user.get("username"))
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
        self.count = MatchCount(self.session, "files.matching", marker="files-count")
        self.table = PagedTable(self.session, columns, self._load, marker="files-table",
                                no_data=t("files.none"))
        self.table.link_cell("name", PATH + "/{id}")
        self.table.badge_cell("status")
        await self.table.load(1)

    async def _load(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        return await read_rows(files_page, self.filter, page=page, per_page=per_page,
                               row=lambda r: file_row(self.session, r), count=self.count)

    def _filters(self) -> None:
        t, f = self.session.t, self.filter
        everything = {"": t("runs.all")}
        with ui.row().classes("w-full items-end gap-2"):
            self.search = ui.input(t("files.search"), value=f.search).props("outlined dense clearable") \
                .classes("min-w-64").mark("files-search")
            self.search.on("keydown.enter", self._apply)
            self.search.on("clear", self._apply)
            partners = {**everything, **{p: partner_label(self.session, p) for p in partner_ids()}}
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
            kinds = {**everything, **{k: t(f"handled.filter.{k}") for k in (OPEN, HANDLED)}}
            self.failures = ui.select(kinds, value=f.failures or "", label=t("handled.filter.label"),
                                      on_change=self._apply).props("outlined dense").classes("min-w-44") \
                .mark("filter-failures")

    async def _apply(self) -> None:
        self.filter = FileFilter(partner=self.partner.value or None, direction=self.direction.value or None,
                                 status=self.status.value or None,
                                 search=(self.search.value or "").strip()[:100],
                                 failures=self.failures.value or None)
        f = self.filter
        keep_in_address(PATH, {"partner": f.partner, "direction": f.direction, "status": f.status,
                               "q": f.search, "failures": f.failures})
        await self.table.load(1)


def file_row(session: Session, row: dict) -> dict:
    t = session.t
    status = row["status_key"]
    label = t(f"file_status.{status}")
    if row.get("handled_at"):
        label = t("handled.status_handled", status=label)
    return {"id": row["id"], "name": row["name"], "partner": partner_label(session, row["partner"]),
            "direction": t(f"direction.{row['direction']}"), "status": status,
            "status_label": label, "status_color": STATUS_COLORS.get(status, "grey"),
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
        if status == F.REJECTED and d.error:
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
        if d.file.get("handled_at"):
            with ui.card().classes("w-full gap-1 bg-green-1").mark("file-handled"):
                by = t("handled.by", user=d.file["handled_by"] or "-",
                       time=when(self.session, d.file["handled_at"]))
                ui.label(by).classes("text-body2 text-weight-medium")
                ui.label(d.file["handled_note"] or "").classes("text-body1")
        elif status == F.REJECTED and not d.replacement:
            ui.label(t("files.no_replacement", partner=partner_label(self.session, d.file["partner"]))) \
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
            if d.file["status"] == F.REJECTED and d.file["direction"] == "IN":
                desk_button(s, t("files.reprocess"), "replay", Action.REPROCESS_FILE, self.ask_reprocess,
                            marker="file-reprocess")
                desk_button(s, t("files.ignore"), "block", Action.IGNORE_FILE, self.ask_ignore,
                            marker="file-ignore")
                if not d.file.get("handled_at"):
                    desk_button(s, t("handled.mark"), "task_alt", Action.MARK_HANDLED, self.ask_handled,
                                marker="mark-handled")

    async def _record_errors(self) -> None:
        t = self.session.t
        if self.session.scope is not None:  # rejected lines quote any kabupaten's workers (section 8)
            what, desk = t("scope.what.record_errors"), ", ".join(self.session.scope)
            ui.label(t("scope.province_only", what=what, desk=desk)).classes("text-grey-8") \
                .mark("record-errors-province-only")
            return
        self.errors_title = MatchCount(self.session, "files.record_errors", marker="record-errors-title",
                                       classes="text-h6")
        columns = [{"name": "line_no", "label": t("files.col.line"), "field": "line_no", "align": "right"},
                   {"name": "field", "label": t("files.col.field"), "field": "field", "align": "left"},
                   {"name": "value", "label": t("files.col.value"), "field": "value", "align": "left"},
                   {"name": "message", "label": t("files.col.reason"), "field": "message", "align": "left"}]
        self.errors = PagedTable(self.session, columns, self._load_errors, marker="record-errors",
                                 no_data=t("files.no_errors"))
        await self.errors.load(1)

    async def _load_errors(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        return await read_rows(record_errors_page, self.detail.file["id"], page=page, per_page=per_page,
                               row=lambda r: mask_row(self.session.role, r), count=self.errors_title)

    # -- actions ----------------------------------------------------------------------
    async def download(self) -> None:
        if await sess.guard(self.ctx, Action.DOWNLOAD_FILE) is None:
            return
        ui.download.from_url(f"{PATH}/{self.detail.file['id']}/unduh")

    @asks(Action.IGNORE_FILE)
    def ask_ignore(self, s: Session) -> Question:
        name = self.detail.file["name"]

        async def ignored(_file: BatchFile) -> None:
            ui.notify(s.t("files.ignored_done", name=name), type="positive")
            await self._reload()

        return Question(s.t("files.confirm_ignore", name=name), s.t("files.confirm_ignore_help"),
                        work=lambda reason: ignore_file(self.detail.file["id"], s.username, reason),
                        done=ignored, reason=s.t("common.reason"), reason_required=True,
                        button=s.t("files.ignore"))

    @asks(Action.MARK_HANDLED)
    def ask_handled(self, s: Session) -> Question:
        name = self.detail.file["name"]

        async def handled(_file: BatchFile) -> None:
            ui.notify(s.t("handled.file_done", name=name), type="positive")
            await self._reload()

        return Question(s.t("handled.confirm_file", name=name), s.t("handled.confirm_help"),
                        work=lambda note: mark_file_handled(self.detail.file["id"], s.username, note),
                        done=handled, reason=s.t("handled.note"), reason_required=True,
                        button=s.t("handled.mark"))

    @asks(Action.REPROCESS_FILE)
    def ask_reprocess(self, s: Session) -> Question:
        f, t = self.detail.file, s.t
        job = self.detail.pull_job or ""

        def started(run: JobRun) -> None:
            ui.notify(t("jobs.started", job=job_label(s, job), run=str(run.id)), type="info")
            with self.watch_box:
                RunWatch(s, run.id, job, on_end=self._reload)

        help_text = t("files.confirm_reprocess_help", partner=partner_label(s, f["partner"]),
                      job=job_label(s, job))
        return Question(t("files.confirm_reprocess", name=f["name"]), help_text,
                        work=lambda _reason: reprocess_file(self.ctx, f["id"], s.username), done=started,
                        button=t("files.reprocess"))
