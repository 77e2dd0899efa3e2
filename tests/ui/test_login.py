import asyncio
import sys

import httpx
import pytest
from nicegui import app
from nicegui.testing import User

from models import AuditLog
from models import User as Account
from tests.ui.conftest import PASSWORD, login


def session_id(user: User) -> str:
    """The id NiceGUI keys this browser's `app.storage.user` by (in the signed session cookie)."""
    return user.client.request.session["id"]


async def failures_reach(count: int) -> None:
    for _ in range(200):
        if AuditLog.select().where(AuditLog.action == "LOGIN_FAILED").count() >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {count} failed logins")


def browser_with(cookie: str) -> httpx.AsyncClient:
    """Another browser holding a copy of `cookie` (what a session-fixation attacker has)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test",
                             cookies={"session": cookie})


@pytest.mark.parametrize("path", ["/", "/klaim", "/klaim/KLM-1", "/akun", "/ekspor/klaim.csv"])
async def test_every_page_but_login_needs_a_session(app_config, user: User, path):
    await user.open(path)
    await user.should_see(marker="login-submit")
    await user.should_not_see(marker="page-title")


async def test_login_opens_the_dashboard_with_user_and_role_in_the_frame(accounts, user: User):
    await login(user, "coordinator")
    await user.should_see("Beranda")
    await user.should_see("coordinator · Koordinator")
    assert AuditLog.select().where(AuditLog.action == "LOGIN", AuditLog.username == "coordinator").exists()


async def test_wrong_password_is_refused_and_audited(accounts, user: User):
    await user.open("/login")
    user.find(marker="username").type("viewer")
    user.find(marker="password").type("salah-sekali-123")
    user.find(marker="login-submit").click()
    await user.should_see("Nama pengguna atau kata sandi salah", retries=50)
    assert AuditLog.select().where(AuditLog.action == "LOGIN_FAILED").count() == 1


async def test_wrong_passwords_slow_down_but_never_lock_the_account(accounts, user: User, monkeypatch):
    """The attack: five wrong passwords locked the account (and said so), so anyone could lock
    the admin out and learn which user names exist."""
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    await user.open("/login")
    login_module = next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/login/selesai")
    monkeypatch.setitem(login_module.__globals__, "sleep", no_sleep)  # the running app's ui/pages/login.py
    user.find(marker="username").type("admin")
    for attempt in range(1, 7):
        user.find(marker="password").type("x")  # appends: every attempt differs
        user.find(marker="login-submit").click()
        await failures_reach(attempt)
        await user.should_see("Nama pengguna atau kata sandi salah", retries=50)
    await user.should_not_see("terkunci")
    assert len(waits) == 3 and waits[0] == 2 and waits == sorted(waits)  # from the 4th on, longer and longer
    await login(user, "admin")  # the owner still gets in
    await user.should_see(marker="page-title")
    assert Account.get(Account.username == "admin").locked_until is None


async def test_login_replaces_the_session_id_and_the_old_one_gives_no_access(accounts, user: User):
    """Session fixation: an id planted before login must not become a logged-in session."""
    await user.open("/login")
    before, planted = session_id(user), user.http_client.cookies["session"]
    await login(user, "coordinator")
    assert session_id(user) != before
    assert user.http_client.cookies["session"] != planted
    async with browser_with(planted) as attacker:
        response = await attacker.get("/klaim")
    assert response.status_code in (302, 303, 307) and response.headers["location"].startswith("/login")
    assert "username" not in app.storage._users.get(before, {})


async def test_a_login_ticket_works_once(accounts, user: User, monkeypatch):
    tickets: list[str] = []
    await user.open("/login")
    session = sys.modules["ui.session"]
    issue = session.login_ticket

    def keep(account: Account) -> str:
        tickets.append(issue(account))
        return tickets[-1]

    monkeypatch.setattr(session, "login_ticket", keep)
    await login(user, "viewer")
    async with browser_with(user.http_client.cookies["session"]) as other:
        again = await other.get(f"/login/selesai?ticket={tickets[0]}")
    assert again.headers["location"] == "/login"


async def test_logout_replaces_the_session_id(accounts, user: User):
    await login(user, "viewer")
    logged_in, cookie = session_id(user), user.http_client.cookies["session"]
    user.find(marker="logout").click()
    await user.should_see("Anda sudah keluar", retries=50)
    assert session_id(user) != logged_in
    async with browser_with(cookie) as copied:
        response = await copied.get("/klaim")
    assert response.headers["location"].startswith("/login")


async def test_logout_ends_the_session(accounts, user: User):
    await login(user, "viewer")
    user.find(marker="logout").click()
    await user.should_see("Anda sudah keluar", retries=50)
    await user.open("/klaim")
    await user.should_see(marker="login-submit")


async def test_one_time_password_must_be_changed_at_first_login(accounts, user: User):
    Account.update(must_change_password=True).where(Account.username == "coordinator").execute()
    await login(user, "coordinator")
    await user.should_see(marker="must-change")
    await user.open("/klaim")  # every page sends back to the account page
    await user.should_see(marker="must-change")
    user.find(marker="old-password").type(PASSWORD)
    user.find(marker="new-password").type("pantai-lasiana-77")
    user.find(marker="repeat-password").type("pantai-lasiana-77")
    user.find(marker="save-password").click()
    await user.should_see("Kata sandi diganti", retries=50)
    assert not Account.get(Account.username == "coordinator").must_change_password
    await user.open("/klaim")
    await user.should_not_see(marker="must-change")


@pytest.mark.parametrize("path", ["/ekspor/klaim.csv", "/ekspor/klaim.xlsx", "/berkas/1/unduh", "/klaim",
                                  "/pengguna"])
async def test_a_one_time_password_opens_no_download_or_export_until_changed(accounts, user: User, path):
    """The attack: with the one-time password alone (before changing it) the export and download
    URLs answered, though every page sent the user to the account page."""
    Account.update(must_change_password=True).where(Account.username == "admin").execute()
    await login(user, "admin")
    await user.should_see(marker="must-change")
    response = await user.http_client.get(path)
    assert response.status_code == 303 and response.headers["location"] == "/akun"
    refused = await user.http_client.post(path)
    assert refused.status_code == 403


async def test_idle_session_expires(accounts, user: User, monkeypatch):
    await login(user, "viewer")
    session = sys.modules["ui.session"]
    now = session.clock()
    monkeypatch.setattr(session, "clock", lambda: now + 29 * 60)  # 29 idle minutes: still fine
    await user.open("/klaim")
    await user.should_see(marker="claims-table")
    monkeypatch.setattr(session, "clock", lambda: now + 29 * 60 + 31 * 60)
    await user.open("/klaim")
    await user.should_see("Sesi berakhir")
    assert AuditLog.select().where(AuditLog.action == "LOGOUT", AuditLog.details.contains("idle")).exists()


async def test_every_response_carries_the_security_headers(accounts, user: User):
    await user.open("/login")
    await login(user, "coordinator")
    for path in ("/login", "/klaim", "/ekspor/klaim.csv", "/tidak-ada", "/_nicegui/client/x"):
        response = await user.http_client.get(path)
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] in ("same-origin", "no-referrer"), path
        assert "strict-transport-security" not in headers  # web.https is off
    page = await user.http_client.get("/klaim")
    assert "secure" not in page.headers.get("set-cookie", "").lower()


@pytest.fixture
def https_config(app_config) -> dict:
    app_config["web"] = {"https": True}
    app_config["_write"]()
    return app_config


async def test_with_web_https_the_session_cookie_is_secure_and_hsts_is_sent(https_config, user: User):
    response = await user.http_client.get("/login")
    assert "secure" in response.headers["set-cookie"].lower()
    assert response.headers["strict-transport-security"].startswith("max-age=")
