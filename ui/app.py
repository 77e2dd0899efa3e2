"""Wires the coordinator web app together: security headers, auth middleware, one `register(ctx)`
per page module.

A new page module registers its page with `ui.frame.desk_page` (login and permission once) and
is one line in PAGES plus one `NavItem` in ui/frame.py. Downloads and exports registered with
`app.get` pass through the same middleware, so a session, its idle time, an active account and
a changed one-time password are enforced for every route here, once.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from nicegui import app
from starlette.datastructures import MutableHeaders
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.audit import audit
from core.context import AppContext
from models import User
from ui import event_guard
from ui import session as sess
from ui.pages import (
    account,
    alerts,
    audit_log,
    batches,
    claim_detail,
    claims_queue,
    dashboard,
    exports,
    files,
    host_keys,
    jobs,
    login,
    outreach,
    reports,
    roster,
    runs,
    statements,
    tieout,
    users,
)

PAGES = (login, account, dashboard, claims_queue, claim_detail, exports,
         jobs, runs, files, batches, alerts, audit_log, users, host_keys,
         roster, outreach, reports, tieout, statements)  # the desk pages
# Open without a session (and NiceGUI's own /_nicegui/*): the login page and the two requests
# that replace the session id.
OPEN_PATHS = frozenset({"/favicon.ico", sess.LOGIN_PATH, sess.LOGIN_DONE_PATH, sess.LOGOUT_PATH})
# While the password is a one-time one, only the account page (to change it) and logging out.
PASSWORD_CHANGE_PATHS = frozenset({sess.ACCOUNT_PATH})
# NiceGUI renders Vue templates in the browser and writes its start-up script inline, so scripts
# need 'unsafe-inline' and 'unsafe-eval'; everything else is this origin only, and no other site
# may frame the app (clickjacking) or receive a form or a base URL from it.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def build(ctx: AppContext) -> None:
    """Register middleware and every page on NiceGUI's app (call before ui.run)."""
    event_guard.install()  # a click counts only from the browser that was served the page
    app.add_middleware(_auth_middleware(ctx))
    app.add_middleware(SecurityHeaders, headers=security_headers(ctx.settings.web.https))
    for module in PAGES:
        module.register(ctx)


def security_headers(https: bool) -> dict[str, str]:
    """The headers every response carries (HSTS only when served over HTTPS, `web.https`)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


class SecurityHeaders:
    """Plain ASGI middleware (streamed exports pass untouched) adding `headers` to every response."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]):
        self.app, self.headers = app, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/_nicegui/"):  # pages and downloads hold personal data
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _auth_middleware(ctx: AppContext) -> type[BaseHTTPMiddleware]:
    idle = ctx.settings.web.idle_timeout_minutes

    class AuthMiddleware(BaseHTTPMiddleware):
        """Every path but the login requests and NiceGUI's own assets needs a live session of an
        active account; with a one-time password, only the account page."""

        async def dispatch(self, request: Request, call_next):
            path = request.url.path
            if path in OPEN_PATHS or path.startswith("/_nicegui/"):
                return await call_next(request)
            if not sess.is_logged_in():
                return RedirectResponse(f"{sess.LOGIN_PATH}?redirect_to={quote(_target(request))}")
            if sess.is_idle(idle):
                return await _logged_out(request, "idle", f"expired=1&redirect_to={quote(_target(request))}")
            user = await sess.db_call(User.get_or_none, User.username == app.storage.user["username"])
            if user is None or not user.active:
                return await _logged_out(request, "inactive", "")
            if user.must_change_password and path not in PASSWORD_CHANGE_PATHS:
                return _change_password_first(request)
            return await call_next(request)

    return AuthMiddleware


async def _logged_out(request: Request, reason: str, query: str) -> RedirectResponse:
    """End the login, replace the session id, and send the browser to the login page."""
    username = sess.end()
    await sess.db_call(audit, "LOGOUT", username=username, details={"reason": reason})
    await sess.rotate(request)
    return RedirectResponse(f"{sess.LOGIN_PATH}{'?' + query if query else ''}")


def _change_password_first(request: Request) -> RedirectResponse | PlainTextResponse:
    """A one-time password opens nothing but the account page: a page or a download link is sent
    there; anything else (not a plain GET) is refused."""
    if request.method in ("GET", "HEAD"):
        return RedirectResponse(sess.ACCOUNT_PATH, status_code=303)
    return PlainTextResponse(sess.t("account.must_change"), status_code=403)


def _target(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
