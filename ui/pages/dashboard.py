"""/ (Beranda): where the money stands, what is late, how last night's exchange went.

Every figure is of the user's kabupaten desk (section 8; the province for a province-wide user), and
the kabupaten table lists every kabupaten/kota of the desk, all 22 for the province, zero included:
the kabupaten with no claims are the ones the programme has not reached, so they must show.
A card offers the monthly report (section 9) for last month, or a month picked, as XLSX or PDF: links to
the report routes of ui/pages/reports.py, which check the role and the desk again on the server.
"""

from __future__ import annotations

from nicegui import ui

from core.claims.duty_alerts import KIND as PAYMENT_DUTY
from core.claims.queries import Dashboard, dashboard
from core.context import AppContext
from core.text import fmt
from desk.alerts import as_read
from desk.permissions import Action
from desk.views.jobs import job_ids
from models import ClaimStatus, RunOutcome
from ui import session as sess
from ui.components.desk import job_label
from ui.frame import STATUS_COLORS, Page, desk_page
from ui.pages.reports import recent_months
from ui.session import Session

OUTCOME_COLORS = {RunOutcome.SUCCEEDED: "positive", RunOutcome.SUCCEEDED_WITH_WARNINGS: "warning",
                  RunOutcome.FAILED: "negative", RunOutcome.RUNNING: "info"}
REPORTS = "/laporan/bulanan"  # + /YYYY-MM.xlsx|pdf: the routes of ui/pages/reports.py


def register(ctx: AppContext) -> None:
    @desk_page(ctx, "/", "nav.dashboard")
    async def dashboard_page(page: Page) -> None:
        session = page.session
        kabupaten = list(ctx.reference.options("kabupaten", session.lang))  # the 22, in reference order
        data = await sess.db_call(dashboard, session.duty, job_ids=job_ids(), scope=session.scope,
                                  kabupaten=kabupaten)
        _status_cards(session, data)
        with ui.row().classes("w-full gap-3 items-stretch"):
            _past_duty(session, data)
            _jobs(session, data)
            if session.can(Action.EXPORT):  # the report routes refuse the others anyway
                _monthly_report(session)
        _chart(session, data)
        _kabupaten_table(session, data)
        _alerts(session, data)


def _status_cards(session: Session, data: Dashboard) -> None:
    t = session.t
    with ui.grid().classes("w-full gap-2 grid-cols-2 sm:grid-cols-3 lg:grid-cols-5"):
        for status in ClaimStatus.ALL:
            count, total = data.by_status[status]
            link = ui.link(target=f"/klaim?status={status}").classes("no-underline text-black") \
                .mark(f"status-card-{status}")
            with link, ui.card().classes("q-px-md q-py-sm gap-0 h-full cursor-pointer"):
                ui.label(session.label("claim_status", status)) \
                    .classes(f"text-subtitle2 text-{STATUS_COLORS[status]}")
                ui.label(fmt.number(count, session.lang)).classes("text-h5").mark(f"status-count-{status}")
                ui.label(fmt.rupiah(total)).classes("text-caption text-grey-8")
    ui.label(t("dash.cards_hint")).classes("text-caption text-grey-7")


def _past_duty(session: Session, data: Dashboard) -> None:
    t, duty = session.t, data.past_duty
    with ui.card().classes("grow min-w-72").mark("past-duty"):
        ui.label(t("dash.past_duty")).classes("text-h6")
        color = "text-negative" if duty.count else "text-positive"
        ui.label(t("dash.past_duty_count", count=duty.count, total=duty.total)) \
            .classes(f"text-body1 {color}").mark("past-duty-count")
        for row in duty.oldest:
            with ui.row().classes("gap-2 items-baseline text-body2"):
                ui.link(row["claim_no"], f"/klaim/{row['claim_no']}")
                due = fmt.date(row["payment_due_date"], session.lang)
                ui.label(f"{row['worker_name']} · {fmt.rupiah(row['approved_amount'])} · "
                         f"{session.label('claim_status', row['status'])} · {t('dash.due')} {due}")
        if duty.count:
            ui.link(t("dash.see_all"), "/klaim?duty=1").mark("past-duty-link")
        ui.label(t("dash.past_duty_rule")).classes("text-caption text-grey-7")


def _jobs(session: Session, data: Dashboard) -> None:
    t = session.t
    with ui.card().classes("grow min-w-72").mark("job-runs"):
        ui.label(t("dash.jobs")).classes("text-h6")
        for job, run in data.last_runs.items():
            with ui.row().classes("items-center gap-2 text-body2 no-wrap"):
                ui.label(job_label(session, job)).classes("w-40 text-weight-medium")
                if run is None:
                    ui.label(t("dash.never_ran")).classes("text-grey-7")
                    continue
                ui.badge(t(f"outcome.{run.outcome}"), color=OUTCOME_COLORS.get(run.outcome, "grey"))
                ui.label(fmt.datetime(run.started_at, session.lang, session.zone)).classes("text-grey-8")
            if run is not None and run.error:
                ui.label(run.error).classes("text-caption text-negative q-ml-md")


def _monthly_report(session: Session) -> None:
    """Last month's report in one click (what the Kepala Dinas asks for), or any of the recent months."""
    t = session.t
    months = recent_months(fmt.local_today(session.zone))
    names = {f"{m:%Y-%m}": fmt.date(m, session.lang).split(" ", 1)[1] for m in months}
    last = f"{months[1]:%Y-%m}"
    with ui.card().classes("grow min-w-72").mark("monthly-report"):
        ui.label(t("report.page_title")).classes("text-h6")
        with ui.row().classes("items-center gap-3 text-body2"):
            ui.label(t("dash.report_last_month", month=names[last]))
            for kind in ("xlsx", "pdf"):
                ui.link(kind.upper(), f"{REPORTS}/{last}.{kind}").mark(f"report-last-{kind}")
        with ui.row().classes("items-center gap-2"):
            month = ui.select(names, value=last, label=t("report.month")).props("outlined dense") \
                .classes("min-w-44").mark("report-month")
            for kind in ("xlsx", "pdf"):
                ui.button(kind.upper(), icon="download",
                          on_click=lambda k=kind: ui.download.from_url(f"{REPORTS}/{month.value}.{k}")) \
                    .props("flat dense no-caps").mark(f"report-{kind}")


def _chart(session: Session, data: Dashboard) -> None:
    t = session.t
    rows = data.paid_by_kabupaten
    names = [session.label("kabupaten", code).replace("Kabupaten ", "Kab. ") for code, _, _ in rows]
    with ui.card().classes("w-full").mark("paid-chart"):
        ui.label(t("dash.paid_by_kabupaten")).classes("text-h6")
        if not rows:
            ui.label(t("dash.nothing_paid")).classes("text-grey-7")
            return
        ui.echart({
            "animationDuration": 300,
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0, "data": [t("dash.paid_amount_millions"), t("dash.paid_count")]},
            "grid": {"left": 60, "right": 60, "top": 50, "bottom": 120},
            "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 45, "interval": 0}},
            "yAxis": [{"type": "value", "name": t("dash.millions")},
                      {"type": "value", "name": t("dash.claims")}],
            "series": [
                {"name": t("dash.paid_amount_millions"), "type": "bar",
                 "data": [round(total / 1_000_000, 1) for _, _, total in rows]},
                {"name": t("dash.paid_count"), "type": "line", "yAxisIndex": 1,
                 "data": [n for _, n, _ in rows]},
            ],
        }).classes("w-full h-96")


def _kabupaten_table(session: Session, data: Dashboard) -> None:
    t = session.t
    columns = [{"name": "name", "label": t("dash.kab_col_name"), "field": "name", "align": "left"},
               *({"name": key, "label": t(f"dash.kab_col_{key}"), "field": key, "align": "right"}
                 for key in ("claims", "unpaid", "paid", "paid_amount"))]
    rows = [{"code": r.code, "name": session.label("kabupaten", r.code),
             "claims": fmt.number(r.claims, session.lang), "unpaid": fmt.number(r.unpaid, session.lang),
             "paid": fmt.number(r.paid, session.lang), "paid_amount": fmt.rupiah(r.paid_amount)}
            for r in data.by_kabupaten]
    with ui.card().classes("w-full").mark("kabupaten-table"):
        ui.label(t("dash.kabupaten_table" if session.scope is None else "dash.kabupaten_table_desk")) \
            .classes("text-h6")
        ui.table(columns=columns, rows=rows, row_key="code", pagination=0).props("dense flat") \
            .classes("w-full")


def _alerts(session: Session, data: Dashboard) -> None:
    t = session.t
    with ui.card().classes("w-full").mark("open-alerts"):
        ui.label(t("dash.open_alerts", count=data.open_alert_count)).classes("text-h6")
        if not data.open_alerts:
            ui.label(t("dash.no_alerts")).classes("text-grey-7")
        for alert in data.open_alerts:
            with ui.row().classes("items-baseline gap-2 text-body2"):
                ui.icon("warning", color="negative")
                ui.label(fmt.datetime(alert.created_at, session.lang, session.zone)).classes("text-grey-8")
                if alert.kind == PAYMENT_DUTY:
                    # The alert's text is from its last watch; the card beside it is live. Show the
                    # live figure here too, so Beranda gives one count of late claims.
                    duty = data.past_duty
                    ui.label(t("dash.past_duty_alert", count=duty.count, total=duty.total)) \
                        .classes("text-weight-medium").mark("past-duty-alert")
                    ui.link(t("dash.see_all"), "/klaim?duty=1")
                    continue
                alert = as_read(alert, session.role, session.lang, session.zone)  # masked for a viewer
                ui.label(alert.subject).classes("text-weight-medium")
                ui.label(alert.message)
