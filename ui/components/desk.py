"""Small building blocks of the desk pages: confirmation dialog, server-paged table, labels, refusals.

Every desk action goes through `confirm(...)`: it says what will happen, asks for a reason
or note when one is needed, and calls the action's handler, which checks the role again
on the server. Refusals of any kind (role, state, a job already running) are one error,
`desk.refusal.Refused`, whose `message(lang)` is the sentence shown.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from core.text import fmt
from core.text.i18n import MESSAGES
from desk.permissions import MIN_ROLE, Action
from desk.refusal import Refused
from desk.views.jobs import job_name, partner_name
from models import RunOutcome
from ui import session as sess
from ui.session import Session

PAGE_SIZES = (10, 25, 50, 100)
OUTCOME_COLORS = {RunOutcome.SUCCEEDED: "positive", RunOutcome.SUCCEEDED_WITH_WARNINGS: "warning",
                  RunOutcome.FAILED: "negative", RunOutcome.RUNNING: "info"}
Loader = Callable[[int, int, str | None, bool], Awaitable[tuple[list[dict[str, Any]], int]]]


async def attempt(session: Session, work: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run a desk action off the event loop: (True, result), or (False, refusal sentence)."""
    try:
        return True, await sess.db_call(work, *args, **kwargs)
    except Refused as exc:
        return False, exc.message(session.lang)


Confirmed = Callable[[str | None], Awaitable[str | None]]


def confirm(session: Session, title: str, help_text: str, on_confirm: Confirmed, *, reason: str | None = None,
            reason_required: bool = False, button: str | None = None) -> ui.dialog:
    """Open a confirmation dialog; `on_confirm(reason)` returns None when done, else the refusal to show.

    `reason` is the label of a text field (None: no field).
    """
    t = session.t
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg gap-2").mark("confirm-dialog"):
        ui.label(title).classes("text-h6")
        ui.label(help_text).classes("text-body2 text-grey-8")
        field = None
        if reason is not None:
            label = reason if reason_required else t("common.optional", label=reason)
            field = ui.textarea(label).props("outlined dense autogrow maxlength=500").classes("w-full") \
                .mark("confirm-reason")
        error = ui.label("").classes("text-negative").mark("confirm-error")

        async def submit() -> None:
            ok_button.disable()
            try:
                problem = await on_confirm((field.value or "").strip() if field is not None else None)
            finally:
                ok_button.enable()
            if problem:
                error.text = problem
            else:
                done()

        def done() -> None:
            dialog.close()
            dialog.delete()  # a closed dialog would linger in the page and answer the next click

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(t("common.cancel"), on_click=done).props("flat").mark("confirm-cancel")
            ok_button = ui.button(button or t("common.confirm"), on_click=submit).mark("confirm-ok")
    dialog.open()
    return dialog


def desk_button(session: Session, label: str, icon: str, action: Action, on_click: Callable, *,
                marker: str) -> ui.button:
    """A desk action button, greyed out with the role it needs when this role may not do it.

    Greyed out is a courtesy only: the handler checks the role again on the server.
    """
    button = ui.button(label, icon=icon, on_click=on_click).props("no-caps outline dense").mark(marker)
    if not session.can(action):
        button.disable()
        with button:
            ui.tooltip(session.t("action.role_needed", needed=MIN_ROLE[action]))
    return button


def col(name: str, label: str, field: str | None = None, *, align: str = "left",
        sortable: bool = False) -> dict[str, Any]:
    """One column of a `ui.table`."""
    return {"name": name, "label": label, "field": field or name, "align": align, "sortable": sortable}


def link_cell(table: ui.table, column: str, href: str, *, prefix: str = "", only_if: str | None = None,
              after: str = "") -> None:
    """Show `column`'s cells as a link to a detail page.

    `href` is a path with row fields in braces (`"/klaim/{claim_no}"`); the link text is the row's
    `column` field after `prefix`. `only_if`: a row field; where it is empty the text is shown
    without a link. `after`: template markup behind the link (a flag, a badge).
    """
    shown = f"{{{{ props.row.{column} }}}}"
    condition = f' v-if="props.row.{only_if}"' if only_if else ""
    cell = f'<a{condition} :href="{_js_path(href)}" class="text-primary">{prefix}{shown}</a>'
    if only_if:
        cell += f"<span v-else>{shown}</span>"
    table.add_slot(f"body-cell-{column}", f'<q-td :props="props">{cell}{after}</q-td>')


def badge_cell(table: ui.table, column: str, *, label: str | None = None, color: str | None = None) -> None:
    """Show `column`'s cells as a coloured badge: text from the row's `label` field (default
    `{column}_label`), Quasar colour from its `color` field (default `{column}_color`)."""
    label, color = label or f"{column}_label", color or f"{column}_color"
    badge = f'<q-badge :color="props.row.{color}" :label="props.row.{label}" />'
    table.add_slot(f"body-cell-{column}", f'<q-td :props="props">{badge}</q-td>')


def _js_path(template: str) -> str:
    """`"/klaim/{claim_no}"` -> `'/klaim/' + props.row.claim_no`: a template's JavaScript expression."""
    parts = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2:
            parts.append(f"props.row.{piece}")
        elif piece:
            parts.append(f"'{piece}'")
    return " + ".join(parts)


class PagedTable:
    """A `ui.table` in server mode: one page of rows, paging and sorting answered by `load`."""

    def __init__(self, session: Session, columns: list[dict[str, Any]], load: Loader, *, marker: str,
                 no_data: str, per_page: int = 25, sort_by: str | None = None, descending: bool = True,
                 row_key: str = "id"):
        self.session, self.load_page = session, load
        self.per_page, self.sort_by, self.descending = per_page, sort_by, descending
        self.total = 0
        self.table = ui.table(columns=columns, rows=[], row_key=row_key, pagination=self._pagination(1)) \
            .classes("w-full").props(
                f'dense flat bordered binary-state-sort :rows-per-page-options="{list(PAGE_SIZES)}" '
                f'rows-per-page-label="{session.t("queue.rows_per_page")}" no-data-label="{no_data}"') \
            .mark(marker)
        self.table.props(f''':pagination-label="(a, b, n) => a + '-' + b + ' {session.t("queue.of")} ' + '''
                         f'''n.toLocaleString('{"id-ID" if session.lang == "id" else "en-GB"}')"''')
        self.table.on("request", self._on_request)

    def link_cell(self, column: str, href: str, **options: Any) -> None:
        """Show `column`'s cells as a link to a detail page (see `link_cell`)."""
        link_cell(self.table, column, href, **options)

    def badge_cell(self, column: str, **options: Any) -> None:
        """Show `column`'s cells as a coloured badge (see `badge_cell`)."""
        badge_cell(self.table, column, **options)

    async def load(self, page: int = 1) -> None:
        self._asked = getattr(self, "_asked", 0) + 1
        asked = self._asked
        loaded = await self.load_page(page, self.per_page, self.sort_by, self.descending)
        if loaded is None or asked != self._asked:  # shutting down, or a newer request was made meanwhile
            return
        rows, self.total = loaded
        self.table.rows = rows
        self.table.pagination = self._pagination(page)

    def _pagination(self, page: int) -> dict[str, Any]:
        return {"page": page, "rowsPerPage": self.per_page, "sortBy": self.sort_by,
                "descending": self.descending, "rowsNumber": getattr(self, "total", 0)}

    async def _on_request(self, e) -> None:
        pagination = e.args["pagination"]
        self.sort_by = pagination.get("sortBy") or self.sort_by
        self.descending = bool(pagination.get("descending"))
        self.per_page = int(pagination.get("rowsPerPage") or self.per_page)
        sess.touch()
        await self.load(int(pagination.get("page") or 1))


def outcome_badge(session: Session, outcome: str) -> ui.badge:
    return ui.badge(session.t(f"outcome.{outcome}"), color=OUTCOME_COLORS.get(outcome, "grey")) \
        .classes("text-body2 q-px-sm")


def job_label(session: Session, job_id: str) -> str:
    return job_name(job_id, session.lang)  # the job registry's, like every job's name


def partner_label(session: Session, partner: str) -> str:
    return partner_name(partner, session.lang)


def cause_label(session: Session, cause: str | None) -> str:
    key = f"cause.{cause or 'internal'}"
    return session.t(key) if key in MESSAGES else session.t("cause.other", cause=cause)


def cause_next(session: Session, cause: str | None) -> str:
    key = f"cause.next.{cause or 'internal'}"
    return session.t(key) if key in MESSAGES else session.t("cause.next.other")


def counts_text(session: Session, counts: dict[str, int]) -> str:
    """`30 record · 2 record salah`: what a run did, in words, zero counts left out."""
    parts = []
    for key, n in counts.items():
        if not n:
            continue
        label = session.t(f"count.{key}") if f"count.{key}" in MESSAGES else key
        parts.append(f"{fmt.number(n, session.lang)} {label}")
    return " · ".join(parts)


def when(session: Session, utc) -> str:
    return fmt.datetime(utc, session.lang, session.zone)


def short_when(session: Session, utc) -> str:
    return fmt.short_datetime(utc, session.zone, session.lang)
