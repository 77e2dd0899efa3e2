"""/login: the only page open without a session, and the two plain requests that change the
session id (LOGIN_DONE_PATH after a login, LOGOUT_PATH after a logout; see ui/session.py).

Every refused login reads the same, whether the user name is unknown, the account inactive
or the password wrong; repeated failures are slowed (core.users.THROTTLE), never locked out.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from core.audit import audit
from core.context import AppContext
from core.users import THROTTLE, authenticate
from models import User
from ui import session as sess
from ui.frame import language_select, page_language

sleep = asyncio.sleep  # the throttle's wait; tests replace it


def register(ctx: AppContext) -> None:
    @ui.page(sess.LOGIN_PATH)
    async def login_page(redirect_to: str = "/", expired: str = "", bye: str = "") -> None:
        if sess.is_logged_in() and not sess.is_idle(ctx.settings.web.idle_timeout_minutes):
            ui.navigate.to(_safe(redirect_to))
            return
        page_language(sess.lang())
        LoginForm(_safe(redirect_to)).build(expired == "1", bye == "1")

    @app.get(sess.LOGIN_DONE_PATH, include_in_schema=False)
    async def login_done(request: Request, ticket: str = "", redirect_to: str = "/") -> RedirectResponse:
        user_id = sess.redeem(ticket, request)
        user = await sess.db_call(User.get_or_none, User.id == user_id) if user_id else None
        if user is None or not user.active:
            return RedirectResponse(sess.LOGIN_PATH, status_code=303)
        await sess.rotate(request, **sess.login_values(user))
        target = sess.ACCOUNT_PATH if user.must_change_password else _safe(redirect_to)
        return RedirectResponse(target, status_code=303)

    @app.get(sess.LOGOUT_PATH, include_in_schema=False)
    async def logged_out(request: Request, expired: str = "") -> RedirectResponse:
        """The login was already forgotten (sess.logout); the id that carried it is replaced too."""
        username = app.storage.user.get("username")
        if username:  # reached directly, not through sess.logout: log out here
            sess.end()
            await sess.db_call(audit, "LOGOUT", username=username, details={"reason": "logout"})
        await sess.rotate(request)
        return RedirectResponse(f"{sess.LOGIN_PATH}?{'expired=1' if expired == '1' else 'bye=1'}",
                                status_code=303)


class LoginForm:
    def __init__(self, redirect_to: str):
        self.redirect_to = redirect_to

    def build(self, expired: bool, bye: bool) -> None:
        t = sess.t
        ui.page_title(f"{t('login.title')} · {t('app.title')}")
        with ui.column().classes("absolute-center items-stretch w-80 gap-2"):
            ui.label(t("app.title")).classes("text-h4 text-teal-9 text-center")
            ui.label(t("app.tagline")).classes("text-caption text-center text-grey-8")
            if expired:
                ui.label(t("login.expired")).classes("text-warning")
            elif bye:
                ui.label(t("login.logged_out")).classes("text-positive")
            self.username = ui.input(t("login.username")).props("autofocus outlined dense").mark("username")
            self.password = ui.input(t("login.password"), password=True, password_toggle_button=True) \
                .props("outlined dense").mark("password")
            self.password.on("keydown.enter", self.submit)
            self.error = ui.label("").classes("text-negative").mark("login-error")
            self.button = ui.button(t("login.submit"), on_click=self.submit).mark("login-submit")
            language_select(sess.lang(), on_header=False)

    async def submit(self) -> None:
        username, password, ip = self.username.value or "", self.password.value or "", _ip()
        self.button.disable()
        self.error.text = ""
        try:
            wait = THROTTLE.reserve(username, ip)
            if wait is None:  # this address has queued too many attempts: refused without checking
                self.password.value = ""
                self.error.text = sess.t("login.throttled")
                return
            if wait:
                await sleep(wait)
            result = await sess.db_call(authenticate, username, password, ip=ip)
        finally:
            self.button.enable()
        if result is None or not result.ok:
            self.password.value = ""
            self.error.text = sess.t("login.failed")
            return
        query = urlencode({"ticket": sess.login_ticket(result.user), "redirect_to": self.redirect_to})
        ui.navigate.to(f"{sess.LOGIN_DONE_PATH}?{query}")


def _ip() -> str | None:
    try:
        request = ui.context.client.request
        return request.client.host if request and request.client else None
    except (AttributeError, RuntimeError):
        return None


def _safe(path: str) -> str:
    """Only local paths: an open redirect would let a phishing link bounce through our login."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
