"""The logged-in user of a browser session, read again from the database at every page and action.

`app.storage.user` (server-side, keyed by the session id in the signed session cookie) holds
only who logged in, the language and when the session was last active. Role, active flag and
forced password change always come from the database, so a demoted or deactivated user loses
access at the next click, not at the next login.

Session fixation: the session id is replaced at login and at logout (`rotate`), and the old
id's storage is emptied, so an id planted in a browser before login, or copied from it before
logout, never carries a login. A login is checked in a page event (a websocket message, which
cannot set a cookie), so it ends with a one-use ticket that the browser brings to
LOGIN_DONE_PATH, an ordinary request whose response carries the new cookie.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from nicegui import app, run, ui
from starlette.requests import Request

from core.audit import audit
from core.claims.queries import Duty, open_alert_count
from core.context import AppContext
from core.text import i18n
from desk.permissions import MIN_ROLE, Action, allowed
from desk.scope import codes_of
from models import User, db

T = TypeVar("T")
LOGIN_PATH = "/login"
LOGIN_DONE_PATH = "/login/selesai"  # redeems a login ticket: new session id, then the target page
LOGOUT_PATH = "/keluar"  # new session id after a logout, then the login page
clock = time.time  # idle timing; tests move it forward
ACCOUNT_PATH = "/akun"
TICKET_SECONDS = 60
_LOGIN_KEYS = ("username", "user_id", "last_seen")
_tickets: dict[str, tuple[str, int, float]] = {}  # ticket -> (old session id, user id, expiry)
_tickets_lock = threading.Lock()


@dataclass(frozen=True)
class Session:
    ctx: AppContext
    user_id: int
    username: str
    full_name: str
    role: str
    lang: str
    must_change_password: bool
    open_alerts: int = 0
    scope: tuple[str, ...] | None = None  # the kabupaten desk (desk.scope.codes_of); None: the province

    def t(self, key: str, **params: Any) -> str:
        return i18n.t(key, self.lang, **params)

    def can(self, action: Action) -> bool:
        return allowed(self.role, action)

    def label(self, list_name: str, code: str | None) -> str:
        return self.ctx.reference.label(list_name, code, self.lang) if code else ""

    @property
    def zone(self) -> str:
        return self.ctx.settings.timezone

    @property
    def duty(self) -> Duty:
        return Duty(self.zone)


async def db_call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run database work off the event loop, on its own connection (closed afterwards)."""
    return await run.io_bound(_in_connection, fn, args, kwargs)  # type: ignore[return-value]


def _in_connection(fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    with db.connection_context():
        return fn(*args, **kwargs)


def lang() -> str:
    """The language of this browser session (works before login too)."""
    value = app.storage.user.get("lang", i18n.DEFAULT_LANG)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANG


def set_lang(value: str) -> None:
    if value in i18n.LANGUAGES:
        app.storage.user["lang"] = value


def t(key: str, **params: Any) -> str:
    return i18n.t(key, lang(), **params)


def is_logged_in() -> bool:
    return bool(app.storage.user.get("username"))


def is_idle(idle_minutes: int, now: float | None = None) -> bool:
    last = app.storage.user.get("last_seen", 0)
    return (now or clock()) - float(last) > idle_minutes * 60


def touch() -> None:
    app.storage.user["last_seen"] = clock()


def login_ticket(user: User) -> str:
    """After a successful login checked in a page event: a one-use ticket for LOGIN_DONE_PATH,
    valid TICKET_SECONDS and only for this browser's current session id."""
    ticket = secrets.token_urlsafe(32)
    now = clock()
    with _tickets_lock:
        for key, (_, _, expiry) in list(_tickets.items()):
            if expiry < now:
                del _tickets[key]
        _tickets[ticket] = (_session_id(), user.id, now + TICKET_SECONDS)
    return ticket


def redeem(ticket: str, request: Request) -> int | None:
    """The user id of a live ticket issued to this request's session; the ticket is used up."""
    with _tickets_lock:
        entry = _tickets.pop(ticket, None)
    if entry is None:
        return None
    session_id, user_id, expiry = entry
    if expiry < clock() or session_id != request.session.get("id"):
        return None
    return user_id


async def rotate(request: Request, **values: Any) -> None:
    """Give this browser a new session id holding `values` (and its language); empty the old one.

    Emptied rather than dropped: a page still open on the old id finds no login there (and is
    sent to the login page) instead of a missing storage. NiceGUI keys `app.storage.user` by
    `request.session["id"]` and offers no public way to change it, hence its private storage API.
    """
    storage = app.storage
    old = storage._users.get(request.session.get("id", ""))
    language = old.get("lang") if old is not None else None
    new_id = str(uuid.uuid4())
    await storage._create_user_storage(new_id)
    fresh = storage._users[new_id]
    fresh.update({**({"lang": language} if language else {}), **values})
    if old is not None:
        old.clear()
    request.session["id"] = new_id


def login_values(user: User) -> dict[str, Any]:
    """What a logged-in session holds (see `rotate`)."""
    return {"username": user.username, "user_id": user.id, "last_seen": clock()}


def _session_id() -> str:
    return ui.context.client.request.session["id"]


def end() -> str | None:
    """Forget the login (the language stays); returns who was logged in."""
    username = app.storage.user.get("username")
    for key in _LOGIN_KEYS:
        app.storage.user.pop(key, None)
    return username


async def logout(reason: str = "logout") -> None:
    username = end()
    if username:
        await db_call(audit, "LOGOUT", username=username, details={"reason": reason})
    ui.navigate.to(f"{LOGOUT_PATH}?{'expired=1' if reason == 'idle' else 'bye=1'}")


async def current(ctx: AppContext, *, allow_password_change: bool = False) -> Session | None:
    """The session of a page being built, or None after sending the browser elsewhere.

    Not logged in or idle too long: to the login page. Account inactive: logged out.
    Temporary password: to the account page, until it is changed.
    """
    if not is_logged_in():
        ui.navigate.to(LOGIN_PATH)
        return None
    if is_idle(ctx.settings.web.idle_timeout_minutes):
        await logout("idle")
        return None
    session = await _load(ctx, app.storage.user["username"])
    if session is None:
        await logout("inactive")
        return None
    if session.must_change_password and not allow_password_change:
        ui.navigate.to(ACCOUNT_PATH)
        return None
    touch()
    return session


async def guard(ctx: AppContext, action: Action) -> Session | None:
    """For event handlers: the fresh session if its role may do `action`; otherwise tell the user, None.

    A hidden or disabled button is not a check: every handler calls this (and the core
    actions check the role again inside their transaction).
    """
    session = await current(ctx)
    if session is None:
        return None
    if not session.can(action):
        ui.notify(session.t("error.permission_denied", role=session.role, needed=MIN_ROLE[action]),
                  type="negative")
        return None
    return session


async def _load(ctx: AppContext, username: str) -> Session | None:
    def load() -> tuple[User | None, int]:
        user = User.get_or_none(User.username == username)
        return user, (open_alert_count() if user else 0)

    loaded = await db_call(load)
    if loaded is None:  # run.io_bound answers None while the app shuts down
        return None
    user, alerts = loaded
    if user is None or not user.active:
        return None
    return Session(ctx, user.id, user.username, user.full_name or "", user.role, lang(),
                   bool(user.must_change_password), alerts, codes_of(user))
