"""Wires the coordinator web app together: auth middleware, one `register(ctx)` per page module.

A new page module registers its page with `ui.frame.desk_page` (login and permission once) and
is one line in PAGES plus one `NavItem` in ui/frame.py.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.middleware.base import BaseHTTPMiddleware

from core.audit import audit
from core.context import AppContext
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
    jobs,
    login,
    runs,
    users,
)

PAGES = (login, account, dashboard, claims_queue, claim_detail, exports,
         jobs, runs, files, batches, alerts, audit_log, users)  # the desk pages
OPEN_PATHS = frozenset({"/favicon.ico", sess.LOGIN_PATH})  # and NiceGUI's own /_nicegui/*


def build(ctx: AppContext) -> None:
    """Register middleware and every page on NiceGUI's app (call before ui.run)."""
    app.add_middleware(_auth_middleware(ctx))
    for module in PAGES:
        module.register(ctx)


def _auth_middleware(ctx: AppContext) -> type[BaseHTTPMiddleware]:
    idle = ctx.settings.web.idle_timeout_minutes

    class AuthMiddleware(BaseHTTPMiddleware):
        """Every path but the login page and NiceGUI's own assets needs a live session."""

        async def dispatch(self, request: Request, call_next):
            path = request.url.path
            if path in OPEN_PATHS or path.startswith("/_nicegui/"):
                return await call_next(request)
            if not sess.is_logged_in():
                return RedirectResponse(f"{sess.LOGIN_PATH}?redirect_to={quote(_target(request))}")
            if sess.is_idle(idle):
                username = sess.end()
                await sess.db_call(audit, "LOGOUT", username=username, details={"reason": "idle"})
                return RedirectResponse(f"{sess.LOGIN_PATH}?expired=1&redirect_to={quote(_target(request))}")
            return await call_next(request)

    return AuthMiddleware


def _target(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
