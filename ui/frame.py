"""The shared frame of every page: login and permission once, then header with navigation, alert count,
language, user and role around the page's own content.

A page module does:

    @desk_page(ctx, "/tugas", "nav.jobs")
    async def jobs_page(page: Page) -> None:
        ...page content, drawn in the frame; `page.session` is the fresh session...

and adds one `NavItem` line to `NAV` below. Items the user's role may not open are not shown.
`desk_page(..., need=Action.MANAGE_USERS)` shows the denial instead of the body to a role that may
not open the page; the body's parameters (path and query parameters, `request`) come from NiceGUI
as with `@ui.page`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from nicegui import app, ui

from core.context import AppContext
from core.text import fmt, i18n
from desk.permissions import MIN_ROLE, Action
from models import ClaimStatus
from ui import session as sess
from ui.session import Session

ALERTS_PATH = "/peringatan"
IDLE_CHECK_SECONDS = 60
PageBody = Callable[..., Awaitable[None]]
Register = Callable[[PageBody], PageBody]
MAX_ID = 2**63 - 1  # the largest row id any database column holds (a signed 64-bit integer)


def url_id(raw: str) -> int | None:
    """The row id an address names, or None when it cannot name one (not digits, 0, over 64 bits).

    Pages and downloads take ids as text and ask here, so a hand-typed address such as
    /berkas/99999999999999999999999 is answered "not found" instead of reaching the database,
    which refuses such a number with an error (a 500 page).
    """
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None  # 19 digits hold every 64-bit id: a longer string is never parsed
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


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
    ClaimStatus.NEEDS_REVIEW: "orange-8", ClaimStatus.AWAITING_APPROVAL: "deep-purple-5",
    ClaimStatus.READY: "teal-7", ClaimStatus.ON_HOLD: "amber-9", ClaimStatus.INSTRUCTED: "blue-7",
    ClaimStatus.PAID: "green-8", ClaimStatus.PAYOUT_FAILED: "red-7", ClaimStatus.REJECTED: "grey-7",
    ClaimStatus.CANCELLED: "blue-grey-6",
}


@dataclass(frozen=True)
class Page:
    """What a page body draws with: the session read fresh for this page, and the frame's content."""

    session: Session
    content: ui.column
    heading: ui.label
    title_key: str

    def title(self, **params: str) -> None:
        """Fill in the title's parameters (an id from the path, a name the page has read)."""
        _show_title(self.session, self.heading, self.title_key, params)

    def not_found(self, key: str, **params: str) -> None:
        """Say that what the address names does not exist (the page draws nothing else)."""
        ui.label(self.session.t(key, **params)).classes("text-negative")


def desk_page(ctx: AppContext, path: str, title_key: str, *, active: str | None = None,
              need: Action = Action.VIEW, allow_password_change: bool = False) -> Register:
    """Register `body` as the page at `path`, behind the login and the role check.

    The one preamble of every desk page: the session (none: the browser was sent to the login or
    account page, nothing is drawn), the frame titled `title_key` with `active` lit in the
    navigation (default `path`), and the denial in place of the body when the role may not
    `need`. Then `await body(page, **params)`. `allow_password_change`: the account page, the one
    page open while a temporary password must still be changed.
    """

    def register(body: PageBody) -> PageBody:
        @functools.wraps(body)
        async def build(**params: Any) -> None:
            session = await sess.current(ctx, allow_password_change=allow_password_change)
            if session is None:
                return
            with frame(session, title_key, active or path) as page:
                if not session.can(need):
                    denied(session, need)
                    return
                await body(page, **params)

        # NiceGUI (and FastAPI under it) pass path and query parameters by the names the builder
        # declares: the body's own, without the `page` it is given here.
        declared = list(inspect.signature(body, eval_str=True).parameters.values())[1:]
        build.__signature__ = inspect.Signature(declared)  # type: ignore[attr-defined]
        ui.page(path)(build)
        return body

    return register


@contextmanager
def frame(session: Session, title_key: str, active: str) -> Iterator[Page]:
    """Header, navigation, the page's title and a content column to draw in."""
    _header(session, active)
    ui.timer(IDLE_CHECK_SECONDS, lambda: _check_idle(session), immediate=False)  # the page just checked
    with ui.column().classes("w-full max-w-screen-xl mx-auto p-2 sm:p-4 gap-3") as content:
        heading = ui.label("").classes("text-h5 text-weight-medium").mark("page-title")
        _show_title(session, heading, title_key, {})
        yield Page(session, content, heading, title_key)


def _show_title(session: Session, heading: ui.label, key: str, params: dict[str, str]) -> None:
    title = session.t(key, **params) if key in i18n.MESSAGES else key
    heading.text = title
    ui.page_title(f"{title} · {session.t('app.title')}")


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
