"""/tugas (Tugas): each job's schedule in words, next run, last outcome; run now, pause and resume.

Each card keeps open failures apart from handled ones (issue 16): the number of failed runs nobody
marked handled links to `/tugas/riwayat?failures=open&job=<id>`, the handled ones to
`?failures=handled`; a last run that failed and was handled no longer shows its error in red.

The page polls the jobs every REFRESH_SECONDS (off the event loop) and redraws a card only
when something changed, so a run started by another user, by the schedule or from the
command line appears here too, with its log lines as they come (`RunWatch`).
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.text import fmt
from core.text.cron_words import describe
from desk.jobs import pause, resume, run_now
from desk.masking import mask_text
from desk.permissions import Action
from desk.views.jobs import JobView, jobs_overview
from models import JobRun, RunOutcome
from ui import session as sess
from ui.components.asking import Question, asks
from ui.components.desk import desk_button, job_label, outcome_badge, partner_label, when
from ui.components.run_watch import RunWatch
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/tugas"
REFRESH_SECONDS = 2.0
KEEP_WATCHES = 4  # finished runs' logs kept on the page


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.jobs")
    async def jobs_page(page: Page) -> None:
        views = await sess.db_call(jobs_overview, ctx)
        await JobsPage(ctx, page.session).build(views)


class JobsPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session
        self.views: list[JobView] = []
        self.watches: dict[int, RunWatch] = {}
        # Set by `serve` when the embedded demo partners act on their own (demo/embedded.py, DEMO_CADENCE).
        self.demo: dict = ctx.extras.get("demo_cadence") or {}

    async def build(self, views: list[JobView]) -> None:
        ui.link(self.session.t("jobs.history"), "/tugas/riwayat").classes("text-body2").mark("runs-link")
        if self.demo:  # the cron alone would mislead: the demo partners act every few minutes (issue 17)
            t, lang = self.session.t, self.session.lang
            ui.label(t("jobs.demo_banner", bpjs=fmt.duration(self.demo["bpjs_drop"], lang),
                       bank=fmt.duration(self.demo["bank_answer"], lang))) \
                .classes("text-body2 bg-deep-purple-1 q-pa-sm rounded-borders").mark("demo-banner")
        self.cards = ui.grid().classes("w-full gap-3 grid-cols-1 md:grid-cols-2").mark("job-cards")
        self.watch_box = ui.column().classes("w-full gap-2").mark("run-watches")
        self.dialog_host = ui.element("div")  # dialogs outlive the cards, which are redrawn on every change
        self._show(views)
        ui.timer(REFRESH_SECONDS, self.refresh)

    async def refresh(self) -> None:
        views = await sess.db_call(jobs_overview, self.ctx)
        if views is not None and views != self.views and not self.cards.is_deleted:
            self._show(views)

    def _show(self, views: list[JobView]) -> None:
        self.views = views
        self.cards.clear()
        with self.cards:
            for view in views:
                self._card(view)
        for view in views:
            if view.running and view.running["id"] not in self.watches:
                self._watch(view.running["id"], view.id)

    def _card(self, view: JobView) -> None:
        s, t = self.session, self.session.t
        with ui.card().classes("w-full gap-1").mark(f"job-{view.id}"):
            with ui.row().classes("items-center gap-2"):
                ui.label(job_label(s, view.id)).classes("text-h6")
                ui.label(partner_label(s, view.partner)).classes("text-caption text-grey-7")
            with ui.row().classes("items-baseline gap-2"):
                ui.icon("schedule").classes("text-grey-7")
                ui.label(describe(view.cron, s.lang, s.zone)).classes("text-body1") \
                    .mark(f"schedule-{view.id}")
                ui.label(view.cron).classes("text-caption text-grey-6 font-mono")
            if not view.enabled:
                ui.label(t("jobs.disabled")).classes("text-grey-7")
            elif view.next_run_at:
                ui.label(t("jobs.next_run", time=when(s, view.next_run_at))).classes("text-body2") \
                    .mark(f"next-{view.id}")
            if every := self.demo.get("jobs", {}).get(view.id):
                ui.label(t("jobs.demo_every", every=fmt.duration(every, s.lang))) \
                    .classes("text-body2 text-deep-purple-8").mark(f"demo-every-{view.id}")
            if view.paused_by:
                ui.label(t("jobs.paused", user=view.paused_by, time=when(s, view.paused_at))) \
                    .classes("text-body2 text-warning").mark(f"paused-{view.id}")
                if view.pause_reason:
                    ui.label(t("jobs.paused_reason", reason=view.pause_reason)).classes("text-caption")
            self._last(view)
            self._failures(view)
            with ui.row().classes("gap-2 q-mt-sm"):
                desk_button(s, t("jobs.run_now"), "play_arrow", Action.RUN_JOB,
                            lambda v=view: self.ask_run(v.id), marker=f"run-{view.id}")
                if view.paused_by:
                    desk_button(s, t("jobs.resume"), "play_circle", Action.PAUSE_SCHEDULE,
                                lambda v=view: self.ask_resume(v.id), marker=f"resume-{view.id}")
                else:
                    desk_button(s, t("jobs.pause"), "pause_circle", Action.PAUSE_SCHEDULE,
                                lambda v=view: self.ask_pause(v.id), marker=f"pause-{view.id}")

    def _last(self, view: JobView) -> None:
        s, t = self.session, self.session.t
        if view.running:
            run = view.running
            with ui.row().classes("items-center gap-2"):
                outcome_badge(s, RunOutcome.RUNNING)
                ui.label(t("jobs.running", time=when(s, run["started_at"]), run=str(run["id"]),
                           trigger=t(f"trigger.{run['trigger']}"))).classes("text-body2")
        last = view.last
        if last is None:
            ui.label(t("dash.never_ran")).classes("text-grey-7 text-body2")
            return
        with ui.row().classes("items-center gap-2"):
            outcome_badge(s, last["outcome"])
            took = fmt.duration(last["seconds"], s.lang)
            ui.link(t("jobs.last", time=when(s, last["started_at"]), duration=took),
                    f"/tugas/riwayat/{last['id']}").classes("text-body2").mark(f"last-{view.id}")
        error = mask_text(s.role, last["error"])  # a viewer's card: numbers masked (desk/masking.py)
        if error and last["handled_at"]:
            ui.label(t("handled.cause_handled", cause=error)).classes("text-caption text-grey-7")
        elif error:
            ui.label(error).classes("text-caption text-negative")

    def _failures(self, view: JobView) -> None:
        """Open failures (red, to deal with) apart from handled ones (grey, for the record)."""
        t = self.session.t
        runs = f"/tugas/riwayat?job={view.id}&failures="
        with ui.row().classes("items-center gap-3 text-body2"):
            if view.open_failures:
                ui.link(t("handled.open_count", count=view.open_failures), runs + "open") \
                    .classes("text-negative text-weight-medium").mark(f"open-failures-{view.id}")
            else:
                ui.label(t("jobs.no_open_failures")).classes("text-grey-7").mark(f"open-failures-{view.id}")
            if view.handled_failures:
                ui.link(t("jobs.handled_count", count=view.handled_failures), runs + "handled") \
                    .classes("text-grey-8").mark(f"handled-failures-{view.id}")

    # -- actions ----------------------------------------------------------------------
    @asks(Action.RUN_JOB)
    def ask_run(self, s: Session, job_id: str) -> Question:
        name = job_label(s, job_id)

        async def started(run: JobRun) -> None:
            ui.notify(s.t("jobs.started", job=name, run=str(run.id)), type="info")
            self._watch(run.id, job_id)
            await self.refresh()

        return Question(s.t("jobs.confirm_run", job=name), s.t("jobs.confirm_run_help"),
                        work=lambda _reason: run_now(self.ctx, job_id, s.username), done=started,
                        button=s.t("jobs.run_now"))

    @asks(Action.PAUSE_SCHEDULE)
    def ask_pause(self, s: Session, job_id: str) -> Question:
        name = job_label(s, job_id)
        return Question(s.t("jobs.confirm_pause", job=name), s.t("jobs.confirm_pause_help"),
                        work=lambda reason: pause(job_id, s.username, reason),
                        done=lambda _: self._changed(s.t("jobs.paused_done", job=name)),
                        reason=s.t("common.reason"), button=s.t("jobs.pause"))

    @asks(Action.PAUSE_SCHEDULE)
    def ask_resume(self, s: Session, job_id: str) -> Question:
        name = job_label(s, job_id)
        return Question(s.t("jobs.confirm_resume", job=name), s.t("jobs.confirm_resume_help"),
                        work=lambda _reason: resume(job_id, s.username),
                        done=lambda _: self._changed(s.t("jobs.resumed_done", job=name)),
                        button=s.t("jobs.resume"))

    async def _changed(self, notice: str) -> None:
        ui.notify(notice, type="positive")
        await self.refresh()

    def _watch(self, run_id: int, job_id: str) -> None:
        if run_id in self.watches or self.watch_box.is_deleted:
            return
        with self.watch_box:
            watch = RunWatch(self.session, run_id, job_id, on_end=lambda _outcome: self.refresh())
        watch.card.move(self.watch_box, target_index=0)
        self.watches[run_id] = watch
        for old in sorted(self.watches)[:-KEEP_WATCHES]:
            finished = self.watches.pop(old)
            finished.timer.cancel()
            finished.card.delete()
