"""A job run as it happens: its outcome and log lines, polled from the database, no reload needed.

The runner writes the run's log to `JobRun.log` about once a second (jobs.runlog); this
reads it back every POLL_SECONDS off the event loop and appends only the new lines. When
the run ends it notifies the user once and calls `on_end`. Any page (or any user's page)
can watch any run: the state is in the database, not in the process that started it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from desk.masking import mask_text
from desk.views.jobs import run_progress
from models import RunOutcome
from ui import session as sess
from ui.components.desk import job_label, outcome_badge
from ui.session import Session

POLL_SECONDS = 1.0
LINE_STYLE = "white-space: pre-wrap; overflow-wrap: anywhere"  # long error lines wrap instead of scrolling
NOTIFY_TYPES = {RunOutcome.SUCCEEDED: "positive", RunOutcome.SUCCEEDED_WITH_WARNINGS: "warning",
                RunOutcome.FAILED: "negative"}


class RunWatch:
    def __init__(self, session: Session, run_id: int, job_id: str, *, notify: bool = True,
                 on_end: Callable[[str], Awaitable[None] | None] | None = None, max_lines: int = 2000):
        self.session, self.run_id, self.job_id = session, run_id, job_id
        self.notify, self.on_end = notify, on_end
        self.lines: list[str] = []
        self.outcome = RunOutcome.RUNNING
        with ui.card().classes("w-full gap-1").mark(f"run-watch-{run_id}") as self.card:
            with ui.row().classes("items-center gap-2"):
                ui.label(session.t("jobs.live_log", run=str(run_id))) \
                    .classes("text-subtitle1 text-weight-medium")
                self.badge_box = ui.row().classes("items-center gap-1")
                ui.link(session.t("jobs.open_run", run=str(run_id)), f"/tugas/riwayat/{run_id}") \
                    .classes("text-body2")
            with self.badge_box:
                outcome_badge(session, RunOutcome.RUNNING).mark("run-outcome")
                self.spinner = ui.spinner(size="sm")
            self.log = ui.log(max_lines=max_lines).classes("w-full h-64 text-caption").mark("run-log")
            self.error = ui.label("").classes("text-negative text-body2").mark("run-error")
            self.error.set_visibility(False)
        self.timer = ui.timer(POLL_SECONDS, self.poll)

    async def poll(self) -> None:
        progress = await sess.db_call(run_progress, self.run_id)
        if progress is None or self.card.is_deleted:
            self.timer.cancel()
            return
        outcome, log, error, _cause = progress
        # A viewer watches the same run with NIKs and account numbers masked (desk/masking.py).
        log, error = mask_text(self.session.role, log), mask_text(self.session.role, error)
        self._show_lines(log or "")
        if outcome == RunOutcome.RUNNING or outcome == self.outcome:
            return
        self.outcome = outcome
        self.timer.cancel()
        self.badge_box.clear()
        with self.badge_box:
            outcome_badge(self.session, outcome).mark("run-outcome")
        if error:
            self.error.text = error
            self.error.set_visibility(True)
        if self.notify:
            t = self.session.t
            ui.notify(t("jobs.ended", job=job_label(self.session, self.job_id), run=str(self.run_id),
                        outcome=t(f"outcome.{outcome}")),
                      type=NOTIFY_TYPES.get(outcome, "info"), multi_line=True)
        if self.on_end is not None:
            result = self.on_end(outcome)
            if result is not None:
                await result

    def _show_lines(self, text: str) -> None:
        lines = text.splitlines() if text else []
        if lines[:len(self.lines)] != self.lines:  # the head/tail cut moved: start again
            self.log.clear()
            self.lines = []
        for line in lines[len(self.lines):]:
            self.log.push(line, style=LINE_STYLE)
        self.lines = lines
