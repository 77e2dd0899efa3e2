import pytest
from nicegui.testing import User

from core.users import authenticate
from models import AuditLog, Role
from models import User as Account
from tests.ui.conftest import confirm, open_as


async def change_role(user: User, username: str, role: str) -> None:
    """Open `username`'s role dialog, choose `role`, save."""
    user.find(marker=f"change-role-{username}").click()
    await user.should_see(marker="role-dialog")
    user.find(marker="role-choice").elements.pop().set_value(role)
    user.find(marker="role-save").click()


async def test_an_admin_creates_a_user_and_sees_the_one_time_password_once(accounts, user: User):
    await open_as(user, "admin", "/pengguna")
    user.find(marker="new-username").type("maria.lado")
    user.find(marker="new-full-name").type("Maria Lado")
    user.find(marker="new-role").elements.pop().set_value(Role.COORDINATOR)
    user.find(marker="create-user-submit").click()
    await user.should_see(marker="password-dialog", retries=50)
    password = user.find(marker="one-time-password").elements.pop().text
    created = Account.get(Account.username == "maria.lado")
    assert (created.role, created.must_change_password) == (Role.COORDINATOR, True)
    assert authenticate("maria.lado", password).ok
    await user.should_see(marker="user-maria.lado")
    user.find(marker="password-close").click()
    await user.should_not_see(marker="one-time-password")


async def test_a_refused_name_is_explained(accounts, user: User):
    await open_as(user, "admin", "/pengguna")
    user.find(marker="new-username").type("viewer")
    user.find(marker="create-user-submit").click()
    await user.should_see(marker="create-error", content="sudah dipakai", retries=50)


async def test_change_role_deactivate_and_reset_password(accounts, user: User):
    await open_as(user, "admin", "/pengguna")
    await change_role(user, "viewer", Role.SUPERVISOR)
    await user.should_see(marker="role-viewer", content="Supervisor", retries=30)
    await confirm(user, "deactivate-coordinator")
    await user.should_see(marker="state-coordinator", content="Nonaktif", retries=30)
    await confirm(user, "reset-supervisor")
    await user.should_see(marker="one-time-password", retries=50)
    password = user.find(marker="one-time-password").elements.pop().text
    assert authenticate("supervisor", password).user.must_change_password
    actions = {a.action for a in AuditLog.select().where(AuditLog.username == "admin")}
    assert {"USER_ROLE_CHANGED", "USER_DEACTIVATED", "PASSWORD_SET"} <= actions


async def test_the_last_admin_cannot_demote_or_deactivate_themselves(accounts, user: User):
    await open_as(user, "admin", "/pengguna")
    await change_role(user, "admin", Role.VIEWER)
    await user.should_see(marker="role-error", content="satu-satunya admin aktif", retries=30)
    await confirm(user, "deactivate-admin")
    await user.should_see(marker="confirm-error", content="akun Anda sendiri", retries=30)
    assert Account.get(Account.username == "admin").role == Role.ADMIN


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.SUPERVISOR])
async def test_only_admins_open_the_users_page(accounts, user: User, role):
    await open_as(user, role, "/pengguna")
    await user.should_see("Halaman ini untuk peran Admin")
    await user.should_not_see(marker="create-user")


async def test_an_admin_demoted_while_the_page_is_open_is_refused_and_nothing_changes(accounts, user: User):
    Account.create(username="admin2", role=Role.ADMIN, password_hash="-")
    await open_as(user, "admin", "/pengguna")
    Account.update(role=Role.SUPERVISOR).where(Account.username == "admin").execute()
    audited = AuditLog.select().count()
    user.find(marker="new-username").type("penyusup")
    user.find(marker="create-user-submit").click()
    await user.should_see("tidak boleh melakukan ini", retries=30)
    user.find(marker="reset-viewer").click()
    await user.should_not_see(marker="confirm-dialog")
    assert not Account.select().where(Account.username == "penyusup").exists()
    assert AuditLog.select().count() == audited


async def test_the_accounts_are_paged_on_the_server_next_and_back(accounts, user: User):
    for i in range(55):
        Account.create(username=f"petugas{i:02d}", role=Role.VIEWER, password_hash="-")
    await open_as(user, "admin", "/pengguna")
    await user.should_see(marker="users-range", content="1-50 dari 59")
    await user.should_see(marker="user-admin")
    await user.should_not_see(marker="user-viewer")  # past the first 50 by name
    user.find(marker="users-next").click()
    await user.should_see(marker="users-range", content="51-59 dari 59", retries=30)
    await user.should_see(marker="user-viewer")
    await user.should_not_see(marker="user-admin")
    user.find(marker="users-previous").click()
    await user.should_see(marker="user-admin", retries=30)
