"""/audit (Log Audit, supervisor and up): every user action and job run, filtered by user, action
and date, paged on the server by keyset (`desk.views.audit`: 1,000,000 entries page as fast as 100).

The role is checked when the page is built and again for every page of rows, so a user
demoted while the page is open gets no further rows. "Periksa rantai" walks the audit and money hash chains
(core/audit_chain.py) and shows the first broken link, or how many rows hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nicegui import ui

from core.context import AppContext
from core.text import fmt
from desk.permissions import Action
from desk.views.audit import (
    SYSTEM,
    AuditCursor,
    AuditFilter,
    audit_choices,
    audit_page,
    cursor_of,
    verify_audit_chain,
)
from desk.views.history import action_label, details_text, target_text
from ui import session as sess
from ui.components.date_field import DateField
from ui.components.desk import PagedTable, col, short_when
from ui.components.lists import MatchCount
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/audit"


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.audit", need=Action.VIEW_AUDIT)
    async def audit_log_page(page: Page) -> None:
        if page.session.scope is not None:  # it names every kabupaten's claims: province-wide (section 8)
            t, desk = page.session.t, ", ".join(page.session.scope)
            ui.label(t("scope.province_only", what=t("scope.what.audit"), desk=desk)) \
                .classes("text-negative").mark("scope-refused")
            return
        users, actions = await sess.db_call(audit_choices)
        await AuditLogPage(ctx, page.session).build(users, actions)


class AuditLogPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session
        self.filter = AuditFilter(zone=session.zone)
        # keyset paging: the last entry of each page shown, by page number, for the filter and page size
        self.paged: tuple[AuditFilter, int] | None = None
        self.cursors: dict[int, AuditCursor] = {}
        self.total: int | None = None

    async def build(self, users: list[str], actions: list[str]) -> None:
        t, zone = self.session.t, fmt.zone_name(self.session.zone)
        everything = {"": t("runs.all")}
        with ui.row().classes("w-full items-end gap-2"):
            who = {**everything, SYSTEM: t("audit.system"), **{u: u for u in users}}
            self.user = ui.select(who, value="", label=t("audit.col.user"), on_change=self._apply,
                                  with_input=True).props("outlined dense").classes("min-w-48") \
                .mark("filter-user")
            labels = {a: action_label(a, self.session.lang) for a in actions}  # labels, not codes (issue 17)
            self.action = ui.select({**everything, **labels}, value="",
                                    label=t("audit.col.action"), on_change=self._apply, with_input=True) \
                .props("outlined dense").classes("min-w-48").mark("filter-action")
            self.date_from = self._date(t("audit.from"), "filter-from")
            self.date_to = self._date(t("audit.to"), "filter-to")
            ui.button(t("audit.verify"), icon="verified", on_click=self._verify) \
                .props("outline dense").mark("verify-chain")
        self.chain = ui.label("").classes("text-sm").mark("chain-result")
        self.count = MatchCount(self.session, "audit.matching", marker="audit-count")
        columns = [col("at", t("audit.col.at", zone=zone)), col("user", t("audit.col.user")),
                   col("action", t("audit.col.action"), "action_label"), col("target", t("audit.col.target")),
                   col("details", t("audit.col.details"))]
        self.table = PagedTable(self.session, columns, self._load, marker="audit-table",
                                no_data=t("audit.none"), per_page=50)
        self.table.link_cell("target", "{link}", only_if="link")
        await self.table.load(1)

    def _date(self, label: str, marker: str) -> DateField:
        return DateField(label, lang=self.session.lang, on_change=self._apply).mark(marker)

    async def _apply(self) -> None:
        self.filter = AuditFilter(username=self.user.value or None, action=self.action.value or None,
                                  date_from=_day(self.date_from.value), date_to=_day(self.date_to.value),
                                  zone=self.session.zone)
        sess.touch()
        await self.table.load(1)

    async def _verify(self) -> None:
        session = await sess.guard(self.ctx, Action.VIEW_AUDIT)
        if session is None:
            return
        reports = await sess.db_call(verify_audit_chain)
        self.chain.text = " · ".join(report.message(session.lang) for report in reports)
        broken = any(report.broken for report in reports)
        self.chain.classes(replace="text-sm text-negative" if broken else "text-sm text-positive")

    async def _load(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        """Page `page`: by keyset after the previous page's last entry when that page was shown
        (next, previous), by offset otherwise (a jump); the count is kept while the filter stays."""
        session = await sess.guard(self.ctx, Action.VIEW_AUDIT)
        if session is None:
            return [], 0
        if (self.filter, per_page) != self.paged:
            self.paged, self.cursors, self.total = (self.filter, per_page), {}, None
        shown_filter = self.filter
        result = await sess.db_call(audit_page, shown_filter, page=page, per_page=per_page,
                                    after=self.cursors.get(page - 1), known_total=self.total)
        if result is None:  # shutting down
            return None
        entries, total = result
        if (shown_filter, per_page) == self.paged:  # not a filter changed meanwhile
            self.total = total
            if entries:
                self.cursors[page] = cursor_of(entries[-1])
        self.count.show(total)
        return [self._row(e) for e in entries], total

    def _row(self, entry: dict[str, Any]) -> dict[str, Any]:
        s = self.session
        run_id = entry["details"].get("run_id") if isinstance(entry["details"], dict) else None
        link = f"/tugas/riwayat/{run_id}" if entry["action"] == "JOB_RUN" and run_id else None
        return {"id": f"{entry['source']}-{entry['ref']}", "at": short_when(s, entry["at"]),
                "user": entry["username"] or s.t("audit.system"), "action": entry["action"],
                "action_label": action_label(entry["action"], s.lang),
                "target": target_text(entry["action"], entry["target"], s.lang), "link": link,
                "details": details_text(entry["details"], s.lang, s.role, s.ctx.reference)}


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
