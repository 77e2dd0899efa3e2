"""The logged-in user of a browser session, read again from the database at every page and action.

`app.storage.user` (server-side, keyed by the signed session cookie) holds only who logged in,
the language and when the session was last active. Role, active flag and forced password
change always come from the database, so a demoted or deactivated user loses access at the
next click, not at the next login.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from nicegui import app, run, ui

from core.audit import audit
from core.claims.queries import Duty, open_alert_count
from core.context import AppContext
from core.text import i18n
from desk.permissions import MIN_ROLE, Action, allowed
from models import User, db

T = TypeVar("T")
LOGIN_PATH = "/login"
clock = time.time  # idle timing; tests move it forward
ACCOUNT_PATH = "/akun"


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
        return Duty(self.ctx.settings.payment_duty_working_days, self.zone)


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


def start(user: User) -> None:
    """Mark this browser session as `user`'s after a successful login."""
    app.storage.user.update(username=user.username, user_id=user.id, last_seen=clock())


def end() -> str | None:
    """Forget the login (the language stays); returns who was logged in."""
    username = app.storage.user.get("username")
    for key in ("username", "user_id", "last_seen"):
        app.storage.user.pop(key, None)
    return username


async def logout(reason: str = "logout") -> None:
    username = end()
    if username:
        await db_call(audit, "LOGOUT", username=username, details={"reason": reason})
    ui.navigate.to(f"{LOGIN_PATH}?{'expired=1' if reason == 'idle' else 'bye=1'}")


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
                   bool(user.must_change_password), alerts)
