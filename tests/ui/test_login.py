import sys

import pytest
from nicegui.testing import User

from models import AuditLog
from models import User as Account
from tests.ui.conftest import PASSWORD, login


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


async def test_five_wrong_passwords_lock_the_account(accounts, user: User):
    await user.open("/login")
    for attempt in range(5):
        user.find(marker="password").type("x")  # appends: every attempt differs
        user.find(marker="username").type("" if attempt else "viewer")
        user.find(marker="login-submit").click()
        await user.should_see(marker="login-error", retries=50)
    await user.should_see("Akun terkunci", retries=50)
    user.find(marker="password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see("Akun terkunci", retries=50)
    assert Account.get(Account.username == "viewer").locked_until is not None


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
