"""The shared frame of every page: header with navigation, alert count, language, user and role.

A page module does:

    @ui.page("/tugas")
    async def jobs_page():
        session = await current(ctx)            # ui.session: None means "navigated away"
        if session is None:
            return
        with frame(session, "nav.jobs", "/tugas"):
            ...page content...

and adds one `NavItem` line to `NAV` below. Items the user's role may not open are not shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nicegui import app, ui

from core.text import fmt, i18n
from desk.permissions import MIN_ROLE, Action
from ui import session as sess
from ui.session import Session

ALERTS_PATH = "/peringatan"
IDLE_CHECK_SECONDS = 60


@dataclass(frozen=True)
class NavItem:
    path: str
    key: str  # core.text.i18n message key of the label
    icon: str
    action: Action = Action.VIEW  # what the role must be allowed to see the page


NAV: tuple[NavItem, ...] = (
    NavItem("/", "nav.dashboard", "home"),
    NavItem("/klaim", "nav.claims", "list_alt"),
    NavItem("/tugas", "nav.jobs", "sync_alt"),
    NavItem("/tugas/riwayat", "nav.runs", "history"),
    NavItem("/berkas", "nav.files", "description"),
    NavItem("/batch", "nav.batches", "payments"),
    NavItem("/peringatan", "nav.alerts", "notifications"),
    NavItem("/audit", "nav.audit", "policy", Action.VIEW_AUDIT),
    NavItem("/pengguna", "nav.users", "manage_accounts", Action.MANAGE_USERS),
)

STATUS_COLORS = {
    "NEEDS_REVIEW": "orange-8", "AWAITING_APPROVAL": "deep-purple-5", "READY": "teal-7",
    "ON_HOLD": "amber-9", "INSTRUCTED": "blue-7", "PAID": "green-8", "PAYOUT_FAILED": "red-7",
    "REJECTED": "grey-7", "CANCELLED": "blue-grey-6",
}


@contextmanager
def frame(session: Session, title_key: str, active: str, **title_params: str) -> Iterator[ui.column]:
    """Header, navigation and a content column; yields the column."""
    title = session.t(title_key, **title_params) if title_key in i18n.MESSAGES else title_key
    ui.page_title(f"{title} · {session.t('app.title')}")
    _header(session, active)
    ui.timer(IDLE_CHECK_SECONDS, lambda: _check_idle(session), immediate=False)  # the page just checked
    with ui.column().classes("w-full max-w-screen-xl mx-auto p-2 sm:p-4 gap-3") as content:
        ui.label(title).classes("text-h5 text-weight-medium").mark("page-title")
        yield content


def denied(session: Session, action: Action) -> None:
    """Say plainly that the role may not open this page (inside a frame)."""
    ui.label(session.t("error.page_denied", needed=MIN_ROLE[action])).classes("text-negative")


def status_badge(session: Session, status: str) -> ui.badge:
    return ui.badge(session.label("claim_status", status), color=STATUS_COLORS.get(status, "grey")) \
        .classes("text-body2 q-px-sm")


def _header(session: Session, active: str) -> None:
    with ui.header(elevated=True).classes("bg-teal-9 text-white items-center gap-1 px-2 py-1 flex-wrap"):
        ui.link(session.t("app.title"), "/").classes("text-h6 text-white no-underline q-mr-md")
        for item in NAV:
            if session.can(item.action):
                _nav_link(session, item, item.path == active)
        ui.space()
        if session.open_alerts:
            with ui.link(target=ALERTS_PATH).classes("text-white no-underline").mark("alert-count"):
                with ui.button(icon="notifications", color=None).props("flat dense round text-color=white"):
                    ui.badge(fmt.number(session.open_alerts, session.lang), color="red").props("floating")
                ui.tooltip(session.t("frame.open_alerts", count=session.open_alerts))
        ui.label(session.t("frame.times_in", zone=fmt.zone_name(session.zone))).classes("text-caption gt-xs")
        language_select(session.lang)
        with ui.row().classes("items-center gap-1"):
            ui.icon("account_circle")
            who = f"{session.username} · {i18n.role_label(session.role, session.lang)}"
            ui.link(who, sess.ACCOUNT_PATH).classes("text-white no-underline text-body2").mark("user-chip")
        ui.button(session.t("nav.logout"), icon="logout", on_click=lambda: sess.logout()) \
            .props("flat dense no-caps text-color=white").mark("logout")


def _nav_link(session: Session, item: NavItem, active: bool) -> None:
    with ui.link(target=item.path).classes("no-underline"):
        ui.button(session.t(item.key), icon=item.icon) \
            .props(f"flat dense no-caps text-color=white {'' if not active else 'outline'}")


def language_select(current: str) -> ui.select:
    def switch(e) -> None:
        sess.set_lang(e.value)
        ui.navigate.reload()

    return ui.select(i18n.LANGUAGES, value=current, on_change=switch) \
        .props("dense options-dense borderless dark label-color=white").classes("w-36").mark("language")


async def _check_idle(session: Session) -> None:
    """Close an open page once the session has been idle too long (timers are not activity)."""
    if app.storage.user.get("username") != session.username:
        ui.navigate.to(sess.LOGIN_PATH)
    elif sess.is_idle(session.ctx.settings.web.idle_timeout_minutes):
        await sess.logout("idle")
