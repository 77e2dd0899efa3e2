"""/rekening-koran (Rekening Koran): upload a Bank NTT statement (MT940), the statements imported,
and the open exceptions, each resolved by a supervisor with a written reason (contract section 10).

The upload is the same import as `statement import` and bank_pull; every action is a call into
desk/statements.py, which checks the role again on the server.
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.statements.tables import Statement, StatementException
from core.text import fmt
from desk.permissions import Action
from desk.refusal import Refused
from desk.statements import resolve_exception, statements_overview, upload_statement
from ui import session as sess
from ui.components.asking import Question, asks
from ui.components.desk import desk_button
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/rekening-koran"


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "statements.title")
    async def statements_page(page: Page) -> None:
        statements, exceptions, count = await sess.db_call(statements_overview)
        StatementsPage(ctx, page.session).build(statements, exceptions, count)


class StatementsPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session

    def build(self, statements: list[Statement], exceptions: list[StatementException], count: int) -> None:
        t = self.session.t
        self.dialog_host = ui.element("div")
        if self.session.can(Action.IMPORT_STATEMENT):
            with ui.card().classes("w-full gap-2").mark("statement-upload"):
                ui.label(t("statements.upload")).classes("text-subtitle1 text-weight-medium")
                ui.upload(label=t("statements.upload"), auto_upload=True, max_files=1,
                          on_upload=self._uploaded).props('accept=".txt,.sta,.940,.mt940"') \
                    .classes("w-full max-w-lg").mark("statement-file")
                self.outcome = ui.column().classes("gap-1 w-full").mark("statement-outcome")
        heading = t("statement.open_exceptions", count=count) if count else t("statement.no_open_exceptions")
        ui.label(heading).classes("text-h6 " + ("text-negative" if count else "text-positive")) \
            .mark("exceptions-count")
        for exc in exceptions:
            self._exception(exc)
        ui.label(t("statements.list")).classes("text-h6 q-mt-md")
        if not statements:
            ui.label(t("statements.none")).mark("no-statements")
            return
        columns = [{"name": k, "label": t(f"statements.col.{k}"), "field": k,
                    "align": "right" if k in ("opening", "closing", "lines", "gap") else "left"}
                   for k in ("reference", "number", "closing_date", "opening", "closing", "lines", "gap")]
        rows = [{"reference": s.reference, "number": s.number,
                 "closing_date": fmt.short_date(s.closing_date, self.session.lang),
                 "opening": fmt.rupiah(s.opening_balance), "closing": fmt.rupiah(s.closing_balance),
                 "lines": fmt.number(s.line_count, self.session.lang), "gap": fmt.rupiah(s.gap)}
                for s in statements]
        ui.table(columns=columns, rows=rows, row_key="reference").classes("w-full").mark("statements-table")

    def _exception(self, exc: StatementException) -> None:
        s, t = self.session, self.session.t
        with ui.card().classes("w-full gap-1").mark(f"exception-{exc.id}"):
            with ui.row().classes("items-center gap-2"):
                ui.badge(t(f"statement_kind.{exc.kind}"), color="red-7").classes("q-px-sm")
                ui.label(exc.kind).classes("text-caption text-grey-8")
            parts = [exc.instruction_id or exc.batch_id or exc.customer_reference or "-",
                     exc.claim_no or "", fmt.rupiah(exc.amount),
                     fmt.short_date(exc.value_date, s.lang) if exc.value_date else "",
                     exc.statement_reference or ""]
            ui.label(" · ".join(p for p in parts if p)).classes("text-body1")
            if exc.detail:
                ui.label(exc.detail).classes("text-body2 text-grey-8")
            with ui.row().classes("items-center gap-3"):
                if exc.claim_no:
                    ui.link(t("statements.col.claim"), f"/klaim/{exc.claim_no}")
                ui.space()
                desk_button(s, t("statements.resolve"), "done", Action.RESOLVE_STATEMENT,
                            lambda e=exc: self.ask_resolve(e), marker=f"resolve-{exc.id}")

    async def _uploaded(self, e) -> None:
        session = await sess.guard(self.ctx, Action.IMPORT_STATEMENT)
        if session is None:
            return
        data = await e.file.read()
        try:
            outcome = await sess.db_call(upload_statement, self.ctx, session.username, e.file.name, data,
                                         session.lang)
        except Refused as refused:
            self._show([refused.message(session.lang)], error=True)
        else:
            self._show(outcome.lines, error=False)
            ui.timer(2.5, lambda: ui.navigate.to(PATH), once=True)
        e.sender.reset()

    def _show(self, lines: list[str], error: bool) -> None:
        self.outcome.clear()
        with self.outcome:
            for line in lines:
                ui.label(line).classes("text-body2 " + ("text-negative" if error else "")) \
                    .mark("statement-error" if error else "statement-imported")

    @asks(Action.RESOLVE_STATEMENT)
    def ask_resolve(self, s: Session, exc: StatementException) -> Question:
        def resolved(_exc: StatementException) -> None:
            ui.notify(s.t("statements.resolved"), type="positive")
            ui.navigate.to(PATH)

        reference = exc.instruction_id or exc.batch_id or exc.customer_reference or str(exc.id)
        return Question(s.t("statements.confirm_resolve", kind=s.t(f"statement_kind.{exc.kind}"),
                            reference=reference),
                        s.t("statements.confirm_resolve_help"),
                        work=lambda note: resolve_exception(exc.id, s.username, note), done=resolved,
                        reason=s.t("statements.resolution"), reason_required=True,
                        button=s.t("statements.resolve"))
