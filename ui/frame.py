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

import copy
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
from desk.scope import desk_label
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
    group: str | None = None  # a NAV_GROUPS key; None: the one GROUP_OF names for `path`


# The navigation is a few menus, not one button a page: with fourteen pages a row of buttons
# wraps onto two lines at 1280 and 1366 px (issue 17). Beranda and Klaim, opened all day, stay
# buttons (group ""); every other page sits in the menu of the work it belongs to. A page added
# with a plain `NavItem(path, key, icon)` lands in the group GROUP_OF names for its path, or in
# "Lainnya" (other), so a one-line addition never breaks the header.
NAV_GROUPS: dict[str, str] = {  # group -> icon, in the order the menus are drawn
    "nav.group.payments": "payments", "nav.group.exchange": "sync_alt", "nav.group.programme": "groups",
    "nav.group.admin": "admin_panel_settings", "nav.group.other": "more_horiz",
}
GROUP_OF: dict[str, str] = {
    "/": "", "/klaim": "",
    "/batch": "nav.group.payments", "/rekening-koran": "nav.group.payments",
    "/rekonsiliasi": "nav.group.payments",
    "/tugas": "nav.group.exchange", "/tugas/riwayat": "nav.group.exchange", "/berkas": "nav.group.exchange",
    "/peserta": "nav.group.programme", "/sosialisasi": "nav.group.programme",
    "/laporan": "nav.group.programme",
    "/peringatan": "nav.group.admin", "/audit": "nav.group.admin", "/pengguna": "nav.group.admin",
    "/kunci-host": "nav.group.admin",
}


def nav_group(item: NavItem) -> str:
    """The menu `item` is drawn in ("" for a button of its own)."""
    group = item.group if item.group is not None else GROUP_OF.get(item.path, "nav.group.other")
    return group if group == "" or group in NAV_GROUPS else "nav.group.other"


NAV: tuple[NavItem, ...] = (
    NavItem("/", "nav.dashboard", "home"),
    NavItem("/klaim", "nav.claims", "list_alt"),
    NavItem("/tugas", "nav.jobs", "sync_alt"),
    NavItem("/tugas/riwayat", "nav.runs", "history"),
    NavItem("/berkas", "nav.files", "description"),
    NavItem("/batch", "nav.batches", "payments"),
    NavItem("/rekonsiliasi", "nav.tieout", "balance"),
    NavItem("/rekening-koran", "nav.statements", "account_balance"),
    NavItem("/peserta", "nav.roster", "badge"),
    NavItem("/sosialisasi", "nav.outreach", "campaign"),
    NavItem("/laporan", "nav.reports", "summarize", Action.EXPORT),
    NavItem("/peringatan", "nav.alerts", "notifications"),
    NavItem("/audit", "nav.audit", "policy", Action.VIEW_AUDIT),
    NavItem("/pengguna", "nav.users", "manage_accounts", Action.MANAGE_USERS),
    NavItem("/kunci-host", "nav.host_keys", "key", Action.ACCEPT_HOST_KEY),
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
            page_language(session.lang)
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


QUASAR_LANGUAGES = {"id": "id", "en": "en-GB"}


def page_language(lang: str) -> None:
    """Quasar's own words (table pages, calendars) and `<html lang>` in the session's language.

    NiceGUI takes the language from the route's page object, shared by every browser: this
    page's response gets its own copy, so one user's English never reaches another's page.
    """
    client = ui.context.client
    client.page = copy.copy(client.page)
    client.page.language = QUASAR_LANGUAGES.get(lang, "id")  # type: ignore[assignment]


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
    # One line at every width from 1280 px (no-wrap): menus, short chips, icon-only logout.
    with ui.header(elevated=True).classes("bg-teal-9 text-white items-center gap-1 px-2 py-1 no-wrap") \
            .mark("app-header"):
        ui.link(session.t("app.title"), "/").classes("text-h6 text-white no-underline q-mr-sm") \
            .style("white-space: nowrap; flex-shrink: 0")
        _navigation(session, active)
        ui.space()
        if session.open_alerts:
            with ui.link(target=ALERTS_PATH).classes("text-white no-underline").mark("alert-count"):
                with ui.button(icon="notifications", color=None).props("flat dense round text-color=white"):
                    ui.badge(fmt.number(session.open_alerts, session.lang), color="red").props("floating")
                ui.tooltip(session.t("frame.open_alerts", count=session.open_alerts))
        ui.label(session.t("frame.times_in", zone=fmt.zone_name(session.zone))).classes("text-caption gt-md")
        language_select(session.lang)
        with ui.row().classes("items-center gap-1 no-wrap"):
            ui.icon("account_circle")
            who = f"{session.username} · {i18n.role_label(session.role, session.lang)}"
            ui.link(who, sess.ACCOUNT_PATH).classes("text-white no-underline text-body2 ellipsis") \
                .style("max-width: 14rem; white-space: nowrap").mark("user-chip")
        if session.scope is not None:  # a kabupaten desk (section 8) says which, on every page
            desk = desk_label(session.scope, session.ctx.reference, session.lang)
            ui.label(session.t("scope.desk", desk=desk)).classes("text-body2").mark("desk-chip")
        logout = session.t("nav.logout")
        with ui.button(icon="logout", on_click=lambda: sess.logout()) \
                .props(f'flat dense round text-color=white aria-label="{logout}"').mark("logout"):
            ui.tooltip(logout)


def _navigation(session: Session, active: str) -> None:
    """Beranda and Klaim as buttons, the other pages the role may open in their group's menu; the
    button or menu holding the open page is outlined."""
    items = [item for item in NAV if session.can(item.action)]
    for item in items:
        if nav_group(item) == "":
            _nav_button(session.t(item.key), item.icon, item.path == active, target=item.path)
    for group, icon in NAV_GROUPS.items():
        inside = [item for item in items if nav_group(item) == group]
        if not inside:
            continue
        lit = any(item.path == active for item in inside)
        button = _nav_button(session.t(group), icon, lit).mark(f"nav-{group.rsplit('.', 1)[-1]}")
        with button, ui.menu().props("auto-close"):
            for item in inside:  # real links (<a href>): a middle click opens a new tab
                with ui.menu_item().props(f'href="{item.path}"').mark(f"nav-item-{item.path}") \
                        .classes("text-weight-bold" if item.path == active else ""), \
                        ui.row().classes("items-center no-wrap gap-2"):
                    ui.icon(item.icon, color="teal-9")
                    ui.label(session.t(item.key))


def _nav_button(text: str, icon: str, active: bool, target: str | None = None) -> ui.button:
    props = f"flat dense no-caps no-wrap text-color=white {'outline' if active else ''}"
    if target is None:
        return ui.button(text, icon=icon).props(props + " icon-right=arrow_drop_down")
    with ui.link(target=target).classes("no-underline"):
        return ui.button(text, icon=icon).props(props)


def language_select(current: str, on_header: bool = True) -> ui.select:
    """The language switch: white on the header's teal; dark text elsewhere (the login page),
    where white text on white was invisible (issue 17)."""
    def switch(e) -> None:
        sess.set_lang(e.value)
        ui.navigate.reload()

    label = None if on_header else i18n.t("frame.language", current)
    look = "borderless dark label-color=white" if on_header else "outlined"
    return ui.select(i18n.LANGUAGES, value=current, on_change=switch, label=label) \
        .props(f"dense options-dense {look}").classes("w-36" if on_header else "w-full").mark("language")


async def _check_idle(session: Session) -> None:
    """Close an open page once the session has been idle too long (timers are not activity)."""
    if app.storage.user.get("username") != session.username:
        ui.navigate.to(sess.LOGIN_PATH)
    elif sess.is_idle(session.ctx.settings.web.idle_timeout_minutes):
        await sess.logout("idle")
