"""/login: the only page open without a session. Lock-out and auditing live in core.users."""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.users import LOCK_MINUTES, authenticate
from models import User, utcnow
from ui import session as sess
from ui.frame import language_select


def register(ctx: AppContext) -> None:
    @ui.page(sess.LOGIN_PATH)
    async def login_page(redirect_to: str = "/", expired: str = "", bye: str = "") -> None:
        if sess.is_logged_in() and not sess.is_idle(ctx.settings.web.idle_timeout_minutes):
            ui.navigate.to(_safe(redirect_to))
            return
        LoginForm(_safe(redirect_to)).build(expired == "1", bye == "1")


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
            language_select(sess.lang()).props("outlined label-color=black").classes("w-full")

    async def submit(self) -> None:
        self.button.disable()
        try:
            result = await sess.db_call(_check, self.username.value or "", self.password.value or "", _ip())
        finally:
            self.button.enable()
        user, locked_minutes = result
        if user is None:
            self.password.value = ""
            self.error.text = (sess.t("login.locked", minutes=locked_minutes) if locked_minutes
                               else sess.t("login.failed"))
            return
        sess.start(user)
        ui.navigate.to(sess.ACCOUNT_PATH if user.must_change_password else self.redirect_to)


def _check(username: str, password: str, ip: str | None) -> tuple[User | None, int]:
    """(user, 0) on success; (None, minutes left) when the account is locked; (None, 0) otherwise."""
    result = authenticate(username, password, ip=ip)
    if result.ok:
        return result.user, 0
    user = User.get_or_none(User.username == username.strip())
    if user and user.locked_until and user.locked_until > utcnow():
        minutes = int((user.locked_until - utcnow()).total_seconds() // 60) + 1
        return None, min(minutes, LOCK_MINUTES)
    return None, 0


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
