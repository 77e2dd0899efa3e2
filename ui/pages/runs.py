"""/tugas/riwayat: every run (trigger, user, start, duration, counts, outcome) and failures by cause;
/tugas/riwayat/{id}: one run's whole log, its error in plain words, what to do next, and Re-run.

The filter lives in the URL (`?job=bank_pull&cause=host_key_changed`), so the failure
counts and alerts can link straight to the runs they count. `?failures=open` lists the failed
runs nobody marked handled yet, `?failures=handled` those marked (desk/handled.py): a failed run
shows who handled it, when and what was done, or a "Tandai sudah ditangani" button with a note.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from nicegui import ui

from core.context import AppContext
from core.text import fmt
from desk.handled import mark_run_handled
from desk.jobs import rerun
from desk.masking import mask_text
from desk.permissions import Action
from desk.views.jobs import (
    BAD_RECORDS,
    FAILURE_WINDOW_DAYS,
    HANDLED,
    OPEN,
    TRIGGERS,
    RunDetail,
    RunFilter,
    failures_by_cause,
    job_ids,
    run_detail,
    runs_page,
)
from models import JobRun, RunOutcome
from ui import session as sess
from ui.components.asking import Question, asks
from ui.components.desk import (
    OUTCOME_COLORS,
    PagedTable,
    cause_label,
    cause_next,
    counts_text,
    desk_button,
    job_label,
    outcome_badge,
    short_when,
    when,
)
from ui.components.lists import MatchCount, keep_in_address, pick, read_rows
from ui.components.run_watch import LINE_STYLE, RunWatch
from ui.frame import Page, desk_page, url_id
from ui.session import Session

PATH = "/tugas/riwayat"
OUTCOMES = (RunOutcome.SUCCEEDED, RunOutcome.SUCCEEDED_WITH_WARNINGS, RunOutcome.FAILED, RunOutcome.RUNNING)


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.runs")
    async def runs_list(page: Page, request: Request) -> None:
        params = request.query_params
        run_filter = RunFilter(job=pick(params.get("job"), job_ids()),
                               outcome=pick(params.get("outcome"), OUTCOMES),
                               trigger=pick(params.get("trigger"), TRIGGERS),
                               cause=params.get("cause") or None,
                               failures=pick(params.get("failures"), (OPEN, HANDLED)))
        failures = await sess.db_call(failures_by_cause)
        await RunsList(page.session, run_filter).build(failures or [])

    @desk_page(ctx, PATH + "/{run_id}", "runs.title_one", active=PATH)
    async def run_page(page: Page, run_id: str) -> None:
        page.title(run=run_id)
        row_id = url_id(run_id)
        detail = await sess.db_call(run_detail, row_id) if row_id else None
        if detail is None:
            page.not_found("runs.not_found_page", run=run_id)
            return
        RunPage(ctx, page.session, detail, page.content).build()


class RunsList:
    def __init__(self, session: Session, run_filter: RunFilter):
        self.session, self.filter = session, run_filter

    async def build(self, failures: list[tuple[str, int]]) -> None:
        self._failures(failures)
        self._filters()
        t, zone = self.session.t, fmt.zone_name(self.session.zone)
        columns = [
            {"name": "id", "label": "#", "field": "id", "sortable": True, "align": "left"},
            {"name": "job", "label": t("runs.col.job"), "field": "job_label", "sortable": True,
             "align": "left"},
            {"name": "trigger", "label": t("runs.col.trigger"), "field": "trigger_label", "align": "left"},
            {"name": "user", "label": t("runs.col.user"), "field": "user", "align": "left"},
            {"name": "started_at", "label": t("runs.col.started", zone=zone), "field": "started",
             "sortable": True, "align": "left"},
            {"name": "duration", "label": t("runs.col.duration"), "field": "duration", "align": "right"},
            {"name": "counts", "label": t("runs.col.counts"), "field": "counts", "align": "left"},
            {"name": "outcome", "label": t("runs.col.outcome"), "field": "outcome_label", "sortable": True,
             "align": "left"},
            {"name": "cause", "label": t("runs.col.cause"), "field": "cause", "align": "left"},
        ]
        self.count = MatchCount(self.session, "runs.matching", marker="runs-count")
        self.table = PagedTable(self.session, columns, self._load, marker="runs-table",
                                no_data=t("runs.none"), sort_by="started_at")
        self.table.link_cell("id", PATH + "/{id}", prefix="#")
        self.table.badge_cell("outcome")
        await self.table.load(1)

    async def _load(self, page: int, per_page: int, sort_by: str | None, descending: bool):
        return await read_rows(runs_page, self.filter, page=page, per_page=per_page,
                               sort_by=sort_by or "started_at", descending=descending, row=self._row,
                               count=self.count)

    def _row(self, run: dict) -> dict:
        s, t = self.session, self.session.t
        return {"id": run["id"], "job_label": job_label(s, run["job"]),
                "trigger_label": t(f"trigger.{run['trigger']}"),
                "user": run["user"] or t("desk.system"), "started": short_when(s, run["started_at"]),
                "duration": fmt.duration(run["seconds"], s.lang), "counts": counts_text(s, run["counts"]),
                "outcome_label": t(f"outcome.{run['outcome']}"),
                "outcome_color": OUTCOME_COLORS.get(run["outcome"], "grey"),
                "cause": _cause(s, run)}

    def _failures(self, failures: list[tuple[str, int]]) -> None:
        t = self.session.t
        with ui.card().classes("w-full gap-1").mark("failures-by-cause"):
            ui.label(t("runs.failures_title", days=FAILURE_WINDOW_DAYS)).classes("text-h6")
            if not failures:
                ui.label(t("runs.no_failures", days=FAILURE_WINDOW_DAYS)).classes("text-positive")
            with ui.row().classes("gap-2"):
                for cause, n in failures:
                    color = "orange-8" if cause == BAD_RECORDS else "red-7"
                    with ui.link(target=f"{PATH}?{urlencode({'cause': cause})}").classes("no-underline"):
                        ui.chip(f"{cause_label(self.session, cause)}: {fmt.number(n, self.session.lang)}",
                                color=color, text_color="white").mark(f"cause-{cause}")

    def _filters(self) -> None:
        s, t, f = self.session, self.session.t, self.filter
        with ui.row().classes("w-full items-end gap-2"):
            jobs = {j: job_label(s, j) for j in job_ids()}
            self.job = self._select(jobs, f.job, "runs.col.job", "filter-job")
            outcomes = {o: t(f"outcome.{o}") for o in OUTCOMES}
            self.outcome = self._select(outcomes, f.outcome, "runs.col.outcome", "filter-outcome")
            triggers = {g: t(f"trigger.{g}") for g in TRIGGERS}
            self.trigger = self._select(triggers, f.trigger, "runs.col.trigger", "filter-trigger")
            kinds = {k: t(f"handled.filter.{k}") for k in (OPEN, HANDLED)}
            self.failures = self._select(kinds, f.failures, "handled.filter.label", "filter-failures")
            if f.cause:
                ui.chip(cause_label(s, f.cause), removable=True, on_value_change=self._drop_cause) \
                    .mark("filter-cause")

    def _select(self, options: dict[str, str], value: str | None, label: str, marker: str) -> ui.select:
        return ui.select({"": self.session.t("runs.all"), **options}, value=value or "",
                         label=self.session.t(label), on_change=self._apply) \
            .props("outlined dense").classes("min-w-44").mark(marker)

    async def _apply(self) -> None:
        self.filter = RunFilter(job=self.job.value or None, outcome=self.outcome.value or None,
                                trigger=self.trigger.value or None, cause=self.filter.cause,
                                failures=self.failures.value or None)
        await self._reload()

    async def _drop_cause(self) -> None:
        self.filter = RunFilter(self.filter.job, self.filter.outcome, self.filter.trigger, None,
                                self.filter.failures)
        await self._reload()

    async def _reload(self) -> None:
        f = self.filter
        keep_in_address(PATH, {"job": f.job, "outcome": f.outcome, "trigger": f.trigger, "cause": f.cause,
                               "failures": f.failures})
        await self.table.load(1)


class RunPage:
    def __init__(self, ctx: AppContext, session: Session, detail: RunDetail, content: ui.column):
        self.ctx, self.session, self.detail = ctx, session, detail
        self.dialog_host = content

    def build(self) -> None:
        run, s, t = self.detail.run, self.session, self.session.t
        with ui.row().classes("items-center gap-3"):
            ui.label(job_label(s, run["job"])).classes("text-h6")
            outcome_badge(s, run["outcome"]).mark("run-page-outcome")
            if run["attempt"] > 1:
                ui.label(t("runs.attempt", n=run["attempt"])).classes("text-caption")
        ui.label(t("runs.started_by", time=when(s, run["started_at"]), trigger=t(f"trigger.{run['trigger']}"),
                   user=run["user"] or t("desk.system"))).classes("text-body2")
        if run["finished_at"]:
            ui.label(t("runs.finished", time=when(s, run["finished_at"]),
                       duration=fmt.duration(run["seconds"], s.lang))).classes("text-body2")
        if run["counts"]:
            ui.label(counts_text(s, run["counts"])).classes("text-body2").mark("run-counts")
        self._links()
        if run["outcome"] == RunOutcome.FAILED:
            self._failure()
        elif run["counts"].get(BAD_RECORDS):
            self._advice(BAD_RECORDS, None)
        self.new_runs = ui.column().classes("w-full gap-2")
        self._log()

    def _failure(self) -> None:
        run, s, t = self.detail.run, self.session, self.session.t
        self._advice(run["error_cause"], mask_text(s.role, self.detail.error))  # a viewer: masked (section 8)
        if self.detail.later_success:
            later = self.detail.later_success
            with ui.row().classes("items-center gap-1"):
                ui.icon("check_circle", color="positive")
                ui.link(t("runs.later_success", run=str(later["id"]), time=when(s, later["started_at"])),
                        f"{PATH}/{later['id']}").mark("later-success")
        desk_button(s, t("runs.rerun"), "replay", Action.RUN_JOB, self.ask_rerun, marker="rerun")
        self.handled = ui.column().classes("w-full gap-1")
        self._handled()

    def _handled(self) -> None:
        run, s, t = self.detail.run, self.session, self.session.t
        self.handled.clear()
        with self.handled:
            if run.get("handled_at"):
                with ui.card().classes("w-full gap-1 bg-green-1").mark("run-handled"):
                    by = t("handled.by", user=run["handled_by"] or "-", time=when(s, run["handled_at"]))
                    ui.label(by).classes("text-body2 text-weight-medium")
                    ui.label(run["handled_note"] or "").classes("text-body1")
            else:
                desk_button(s, t("handled.mark"), "task_alt", Action.MARK_HANDLED, self.ask_handled,
                            marker="mark-handled")

    @asks(Action.MARK_HANDLED)
    def ask_handled(self, s: Session) -> Question:
        run = self.detail.run

        def done(handled: JobRun) -> None:
            run.update(handled_at=handled.handled_at, handled_by=handled.handled_by,
                       handled_note=handled.handled_note)
            ui.notify(s.t("handled.run_done", run=str(run["id"])), type="positive")
            self._handled()

        return Question(s.t("handled.confirm_run", run=str(run["id"])), s.t("handled.confirm_help"),
                        work=lambda note: mark_run_handled(run["id"], s.username, note), done=done,
                        button=s.t("handled.mark"), reason=s.t("handled.note"), reason_required=True)

    def _advice(self, cause: str | None, error: str | None) -> None:
        s, t = self.session, self.session.t
        tint = "bg-red-1" if error else "bg-orange-1"
        with ui.card().classes(f"w-full gap-1 {tint}").mark("run-advice"):
            if error:
                ui.label(t("runs.what_happened")).classes("text-subtitle1 text-weight-medium")
                ui.label(error).classes("text-body1").mark("run-error-text")
            ui.label(t("runs.cause", cause=cause_label(s, cause))).classes("text-body2 text-weight-medium") \
                .mark("run-cause")
            ui.label(t("runs.what_next")).classes("text-subtitle1 text-weight-medium q-mt-sm")
            ui.label(cause_next(s, cause)).classes("text-body1").mark("run-next")

    def _links(self) -> None:
        d, t = self.detail, self.session.t
        if d.retry_of:
            with ui.row().classes("items-baseline gap-1 text-body2"):
                ui.label(t("runs.retry_of"))
                ui.link(f"#{d.retry_of['id']}", f"{PATH}/{d.retry_of['id']}").mark("retry-of")
        if d.retries:
            with ui.row().classes("items-baseline gap-1 text-body2"):
                ui.label(t("runs.retried_in"))
                for retry in d.retries:
                    ui.link(f"#{retry['id']}", f"{PATH}/{retry['id']}").mark("retried-in")
        if d.files:
            with ui.row().classes("items-baseline gap-2 text-body2").mark("run-files"):
                ui.label(t("runs.files"))
                for f in d.files:
                    ui.link(f["name"], f"/berkas/{f['id']}")

    def _log(self) -> None:
        run, t = self.detail.run, self.session.t
        if run["outcome"] == RunOutcome.RUNNING:
            RunWatch(self.session, run["id"], run["job"])
            return
        with ui.card().classes("w-full gap-1"):
            ui.label(t("runs.log_title")).classes("text-subtitle1 text-weight-medium")
            if not self.detail.log:
                ui.label(t("runs.log_empty")).classes("text-grey-7")
                return
            log = ui.log().classes("w-full h-96 text-caption").mark("run-full-log")
            # A log quotes the records it read (a NIK, an account number): masked for a viewer (section 8).
            log.push(mask_text(self.session.role, self.detail.log), style=LINE_STYLE)

    @asks(Action.RUN_JOB)
    def ask_rerun(self, s: Session) -> Question:
        run = self.detail.run
        name = job_label(s, run["job"])

        def started(retry: JobRun) -> None:
            ui.notify(s.t("jobs.started", job=name, run=str(retry.id)), type="info")
            with self.new_runs:
                RunWatch(s, retry.id, run["job"])

        help_text = s.t("runs.confirm_rerun_help", run=str(run["id"]))
        return Question(s.t("runs.confirm_rerun", job=name), help_text,
                        work=lambda _reason: rerun(self.ctx, run["id"], s.username), done=started,
                        button=s.t("runs.rerun"))


def _cause(s: Session, run: dict) -> str:
    """A failed run's cause, marked when a person handled it."""
    if run["outcome"] != RunOutcome.FAILED:
        return ""
    cause = cause_label(s, run["error_cause"])
    return s.t("handled.cause_handled", cause=cause) if run.get("handled_at") else cause
