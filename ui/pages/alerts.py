"""/peringatan (Peringatan): open alerts (a job that finally failed, bank results overdue, a rejected
file, claims past the payment duty), each acknowledged with a note; the last ones acknowledged.

The number of open alerts is in the frame of every page (ui/frame.py); acknowledging one
reloads the page so that number is right at once.
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.text.i18n import MESSAGES
from desk.alerts import acknowledge, open_alerts, recently_acknowledged
from desk.permissions import Action
from models import Alert
from ui import session as sess
from ui.components.asking import Question, asks
from ui.components.desk import desk_button, when
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/peringatan"
KIND_COLORS = {"job_failed": "red-7", "file_rejected": "orange-8", "overdue_results": "deep-purple-6",
               "payment_duty": "amber-9", "insufficient_balance": "brown-7"}


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.alerts")
    async def alerts_page(page: Page) -> None:
        s = page.session  # the alerts as this reader reads them: language, and masked for a viewer
        (alerts, count), done = await sess.db_call(lambda: (open_alerts(s.role, s.lang, s.zone),
                                                            recently_acknowledged(s.role, s.lang, s.zone)))
        AlertsPage(ctx, page.session).build(alerts, count, done)


class AlertsPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session

    def build(self, alerts: list[Alert], count: int, done: list[tuple[Alert, str | None]]) -> None:
        t = self.session.t
        self.dialog_host = ui.element("div")
        ui.label(t("alerts.open", count=count)).classes("text-h6").mark("alerts-open-count")
        if not alerts:
            ui.label(t("alerts.none")).classes("text-positive").mark("no-alerts")
        for alert in alerts:
            self._card(alert)
        if done:
            ui.label(t("alerts.recent")).classes("text-h6 q-mt-md")
            for alert, by in done:
                self._done(alert, by)

    def _card(self, alert: Alert) -> None:
        s, t = self.session, self.session.t
        with ui.card().classes("w-full gap-1").mark(f"alert-{alert.id}"):
            with ui.row().classes("items-center gap-2"):
                ui.badge(_kind(s, alert.kind), color=KIND_COLORS.get(alert.kind, "grey")).classes("q-px-sm")
                ui.label(when(s, alert.created_at)).classes("text-caption text-grey-8")
                if alert.emailed_at:
                    ui.label(t("alerts.emailed")).classes("text-caption text-grey-7")
            ui.label(alert.subject).classes("text-subtitle1 text-weight-medium")
            if alert.kind == "payment_duty" and s.scope is not None:
                # It quotes the province's late claims (numbers, amounts): a kabupaten desk (section 8)
                # is sent to its own late claims instead, which the link below lists.
                ui.label(t("scope.duty_alert_desk")).classes("text-body2").mark(f"alert-desk-{alert.id}")
            else:
                ui.label(alert.message).classes("text-body2").style("white-space: pre-line")
            with ui.row().classes("items-center gap-3"):
                if alert.job_run_id:
                    ui.link(t("alerts.open_run"), f"/tugas/riwayat/{alert.job_run_id}")
                if getattr(alert, "batch_code", None):
                    ui.link(t("alerts.open_batch"), f"/batch/{alert.batch_code}")
                if alert.batch_file_id:
                    ui.link(t("alerts.open_file"), f"/berkas/{alert.batch_file_id}")
                if alert.kind == "payment_duty":
                    ui.link(t("alerts.open_claims"), "/klaim?duty=1")
                ui.space()
                desk_button(s, t("alerts.ack"), "done", Action.ACK_ALERT, lambda a=alert: self.ask_ack(a),
                            marker=f"ack-{alert.id}")

    def _done(self, alert: Alert, by: str | None) -> None:
        s, t = self.session, self.session.t
        with ui.row().classes("items-baseline gap-2 text-body2"):
            ui.icon("check", color="positive")
            ui.label(alert.subject).classes("text-weight-medium")
            ui.label(t("alerts.acked_by", user=by or "-", time=when(s, alert.acknowledged_at),
                       note=alert.acknowledge_note or "")).mark(f"done-{alert.id}")

    @asks(Action.ACK_ALERT)
    def ask_ack(self, s: Session, alert: Alert) -> Question:
        def acknowledged(_alert: Alert) -> None:
            ui.notify(s.t("alerts.ack_done"), type="positive")
            ui.navigate.to(PATH)  # the frame's count of open alerts changes too

        return Question(s.t("alerts.confirm_ack", subject=alert.subject), s.t("alerts.confirm_ack_help"),
                        work=lambda note: acknowledge(alert.id, s.username, note), done=acknowledged,
                        reason=s.t("alerts.note"), reason_required=True, button=s.t("alerts.ack"))


def _kind(session: Session, kind: str) -> str:
    key = f"alert_kind.{kind}"
    return session.t(key) if key in MESSAGES else kind
