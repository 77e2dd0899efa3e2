"""/sosialisasi (Sosialisasi): every kabupaten/kota, the ones never reached first and marked,
with its sessions, roster, claims and payouts; and the form that records a session.

The table is `desk.outreach.outreach_for` (a kabupaten desk sees its own rows only); the form
calls `desk.outreach.record_session`, which checks the role, the desk and every value on the
server whatever the page showed.
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.text import fmt
from core.text.fmt import local_today
from desk.outreach import outreach_for, record_session
from desk.permissions import Action
from ui import session as sess
from ui.components.date_field import DateField
from ui.components.desk import attempt, col
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/sosialisasi"


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.outreach")
    async def outreach_page(page: Page) -> None:
        await OutreachPage(ctx, page.session).build()


def unreached_first(rows: list[dict]) -> list[dict]:
    """The kabupaten/kota with no session first (the programme's gap), each group in code order."""
    return sorted(rows, key=lambda row: (row["reached"], row["kabupaten_code"]))


class OutreachPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session

    async def build(self) -> None:
        t = self.session.t
        self.summary = ui.label("").classes("text-body1").mark("outreach-summary")
        names = ("kabupaten", "status", "sessions", "last_session", "attendees", "enrolled", "claims", "paid")
        right = {"sessions", "attendees", "enrolled", "claims", "paid"}
        columns = [col(n, t(f"outreach.col.{n}"), align="right" if n in right else "left") for n in names]
        self.table = ui.table(columns=columns, rows=[], row_key="kabupaten_code",
                              pagination={"rowsPerPage": 0}) \
            .classes("w-full").props("dense flat bordered hide-bottom").mark("outreach-table")
        color = ":color=\"props.row.reached ? 'positive' : 'negative'\""
        badge = f'<q-badge {color} :label="props.row.status" />'
        self.table.add_slot("body-cell-status", f'<q-td :props="props">{badge}</q-td>')
        if self.session.can(Action.RECORD_OUTREACH):
            self._form()
        await self.refresh()

    async def refresh(self) -> None:
        rows = await sess.db_call(outreach_for, self.ctx, self.session.username, self.session.lang)
        if rows is None:
            return
        rows = unreached_first(rows)
        self.table.rows = [self._row(r) for r in rows]
        reached = sum(1 for r in rows if r["reached"])
        self.summary.text = self.session.t(
            "outreach.summary", reached=reached, count=len(rows), sessions=sum(r["sessions"] for r in rows),
            attendees=sum(r["attendees"] for r in rows), unreached=len(rows) - reached)

    def _row(self, r: dict) -> dict:
        s, t = self.session, self.session.t
        last, n = r["last_session_date"], (lambda name: fmt.number(r[name], s.lang))
        status = t("outreach.reached" if r["reached"] else "outreach.unreached")
        return {"kabupaten_code": r["kabupaten_code"], "kabupaten": r["kabupaten_name"],
                "reached": r["reached"], "status": status,
                "sessions": n("sessions"), "last_session": fmt.short_date(last, s.lang) if last else "-",
                "attendees": n("attendees"), "enrolled": n("enrolled"), "claims": n("claims"),
                "paid": f"{fmt.number(r['paid_count'], s.lang)} · {fmt.rupiah(r['paid_amount'])}"}

    def _form(self) -> None:
        t, ref = self.session.t, self.ctx.reference
        with ui.card().classes("w-full max-w-2xl gap-2").mark("outreach-form"):
            ui.label(t("outreach.form.title")).classes("text-subtitle1 text-weight-medium")
            with ui.row().classes("w-full gap-2"):
                options = ref.options("kabupaten", self.session.lang)
                self.kabupaten = ui.select(options, label=t("outreach.col.kabupaten")) \
                    .props("outlined dense").classes("min-w-56").mark("outreach-kabupaten")
                today = local_today(self.session.zone).isoformat()
                # The one date input (issue 17): `10 Mar 2026`, never the browser's mm/dd/yyyy.
                self.date = DateField(t("outreach.form.date"), today, self.session.lang).mark("outreach-date")
                self.attendees = ui.input(t("outreach.col.attendees"), value="0") \
                    .props("outlined dense type=number min=0").classes("w-32").mark("outreach-attendees")
            self.place = ui.input(t("outreach.form.place")).props("outlined dense maxlength=200") \
                .classes("w-full").mark("outreach-place")
            self.facilitator = ui.input(t("outreach.form.facilitator")) \
                .props("outlined dense maxlength=100") \
                .classes("w-full").mark("outreach-facilitator")
            self.notes = ui.textarea(t("outreach.form.notes")) \
                .props("outlined dense autogrow maxlength=2000") \
                .classes("w-full").mark("outreach-notes")
            self.error = ui.label("").classes("text-negative").mark("outreach-error")
            ui.button(t("outreach.form.save"), icon="event_available", on_click=self._save) \
                .props("no-caps").mark("outreach-save")

    async def _save(self) -> None:
        session = await sess.guard(self.ctx, Action.RECORD_OUTREACH)
        if session is None:
            return
        ok, outcome = await attempt(session, record_session, self.ctx, session.username,
                                    kabupaten_code=self.kabupaten.value or "", date=self.date.value or "",
                                    place=self.place.value or "", facilitator=self.facilitator.value,
                                    attendees=self.attendees.value, notes=self.notes.value)
        if not ok:
            self.error.text = outcome
            return
        self.error.text = ""
        for field in (self.place, self.facilitator, self.notes):
            field.value = ""
        self.attendees.value = "0"
        await self.refresh()  # the table first, then the word that it is done
        ui.notify(session.t("outreach.recorded", kabupaten=session.label("kabupaten", outcome.kabupaten_code),
                            date=fmt.date(outcome.date, session.lang)), type="positive")
