"""The pieces of ui/event_guard.py that decide whether a socket speaks for a page."""

from __future__ import annotations

import base64
import json

import itsdangerous
from nicegui import nicegui as core

from ui.event_guard import browser_id, joined

SECRET = "s3cret-for-tests"


def cookie(session: dict, secret: str = SECRET) -> str:
    """A `session` cookie as starlette's SessionMiddleware writes it."""
    data = base64.b64encode(json.dumps(session).encode())
    return "session=" + itsdangerous.TimestampSigner(secret).sign(data).decode()


def test_the_browser_id_is_read_from_a_cookie_signed_with_the_storage_secret():
    assert browser_id(f"other=1; {cookie({'id': 'browser-a'})}", SECRET) == "browser-a"


def test_a_cookie_signed_with_another_secret_or_none_names_no_browser():
    assert browser_id(cookie({"id": "browser-a"}, secret="guessed"), SECRET) is None
    assert browser_id("", SECRET) is None
    assert browser_id("session=garbage", SECRET) is None
    assert browser_id(cookie({"id": "browser-a"}), None) is None


def test_an_event_counts_only_from_a_socket_in_the_pages_room(monkeypatch):
    rooms = {"sid-admin": ["sid-admin", "client-admin"], "sid-viewer": ["sid-viewer", "client-viewer"]}
    monkeypatch.setattr(core.sio, "rooms", lambda sid: rooms.get(sid, []))
    assert joined("sid-admin", {"client_id": "client-admin"})
    assert not joined("sid-viewer", {"client_id": "client-admin"})
    assert not joined("sid-unknown", {"client_id": "client-admin"})
    assert not joined("sid-admin", {})
