"""Browser events bound to the browser that was served the page (hardening finding 7).

NiceGUI routes a click to the page (`Client`) named by the `client_id` inside the message,
whichever socket sent it. A client id is no secret (it is in the page's HTML, in logs,
in a screenshot), so a viewer's socket, or one with no login at all, could click an
admin's buttons: the handler would then run in the admin's page, as the admin. Two checks
close that, both before NiceGUI sees the message:

- a socket may join a page (the handshake) only when it carries the same browser session
  (NiceGUI's signed `session` cookie, the one our login rotates) as the request the page
  was built for; a socket of another browser, or none, is turned away;
- an event or a JavaScript answer is taken only from a socket that joined that page
  (socket.io puts it in a room named after the client id at the handshake).

NiceGUI 3 exposes no hook for either, so `install` wraps its socket.io handlers: the
`handshake`, `event` and `javascript_response` handlers are registered again around the
originals, and the module's `_on_handshake` (which its `connect` handler calls for an
implicit handshake) is replaced by the checked one. tests/ui/test_event_guard.py pins
this to the NiceGUI version in constraints.txt.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any

import itsdangerous
from nicegui import Client
from nicegui import nicegui as core
from nicegui.storage import Storage

log = logging.getLogger(__name__)
COOKIE = "session"  # starlette's SessionMiddleware default, which NiceGUI's storage uses

_installed = False


def install() -> None:
    """Wrap NiceGUI's socket handlers once per process (build() may run again in tests)."""
    global _installed
    if _installed:
        return
    _installed = True
    handshake: Callable[[str, dict[str, Any]], Awaitable[bool]] = core._on_handshake
    on_event: Callable[[str, dict], None] = core._on_event
    on_js: Callable[[str, dict], None] = core._on_javascript_response

    async def checked_handshake(sid: str, data: dict[str, Any]) -> bool:
        client = Client.instances.get(data.get("client_id", ""))
        if client is not None and not _same_browser(sid, client):
            log.warning("Soket %s ditolak: sesi peramban lain dari halaman %s", sid, client.id)
            return False
        return await handshake(sid, data)

    def checked_event(sid: str, msg: dict) -> None:
        if joined(sid, msg):
            on_event(sid, msg)

    def checked_js(sid: str, msg: dict) -> None:
        if joined(sid, msg):
            on_js(sid, msg)

    core._on_handshake = checked_handshake  # `connect` looks it up at call time (implicit handshake)
    core.sio.on("handshake")(checked_handshake)
    core.sio.on("event")(checked_event)
    core.sio.on("javascript_response")(checked_js)


def joined(sid: str, msg: dict) -> bool:
    """Whether socket `sid` joined the page `msg` is addressed to (NiceGUI's test sockets: always)."""
    client_id = msg.get("client_id")
    if sid.startswith("test-"):  # NiceGUI's simulated user; a real socket's sid is chosen by the server
        return True
    if client_id and client_id in core.sio.rooms(sid):
        return True
    log.warning("Peristiwa dari soket %s untuk halaman %s ditolak: soket itu tidak tergabung ke halaman itu",
                sid, client_id)
    return False


def _same_browser(sid: str, client: Client) -> bool:
    if sid.startswith("test-"):
        return True
    environ = core.sio.get_environ(sid) or {}
    page_browser = _page_browser_id(client)
    return page_browser is not None and browser_id(environ.get("HTTP_COOKIE", ""), _secret()) == page_browser


def _page_browser_id(client: Client) -> str | None:
    try:
        return client.request.session.get("id")
    except (AssertionError, AttributeError):  # a page built without a request (NiceGUI's auto-index)
        return None


def browser_id(cookie_header: str, secret: str | None) -> str | None:
    """The browser id inside NiceGUI's signed session cookie, as starlette's SessionMiddleware reads it."""
    if not secret:
        return None
    try:
        morsel = SimpleCookie(cookie_header).get(COOKIE)
    except CookieError:
        return None
    if morsel is None:
        return None
    try:
        data = itsdangerous.TimestampSigner(str(secret)).unsign(morsel.value.encode())
        return json.loads(base64.b64decode(data)).get("id")
    except (itsdangerous.BadSignature, ValueError, AttributeError):
        return None


def _secret() -> str | None:
    return Storage.secret  # the storage_secret ui.run was given (cli/serve.py)
