import pytest

from core.users import authenticate, create_user
from desk.permissions import PermissionDenied
from desk.refusal import Refused
from desk.users import accounts_page, change_role, create_account, reset_password, set_active
from models import AuditLog, Role, User

PASSWORD = "kupang-rahasia-2026"


@pytest.fixture
def staff(database) -> dict[str, User]:
    return {role: create_user(role, PASSWORD, role) for role in Role.ALL}


def _audit_count() -> int:
    return AuditLog.select().count()


def test_an_admin_creates_an_account_with_a_one_time_password_to_change_at_first_login(staff):
    user, password = create_account("maria.lado", Role.COORDINATOR, by="admin", full_name="Maria Lado")
    assert (user.role, user.full_name, user.must_change_password) == (Role.COORDINATOR, "Maria Lado", True)
    assert authenticate("maria.lado", password).ok
    created = AuditLog.get(AuditLog.action == "USER_CREATED", AuditLog.target == "maria.lado")
    assert created.username == "admin"
    assert password not in (created.details or "")


def test_a_bad_or_taken_name_is_refused_in_words(staff):
    with pytest.raises(Refused) as err:
        create_account("viewer", Role.VIEWER, by="admin")
    assert "sudah dipakai" in err.value.message("id") and "already taken" in err.value.message("en")
    with pytest.raises(Refused):
        create_account("nama dengan spasi", Role.VIEWER, by="admin")


def test_change_role_is_audited_with_from_and_to(staff):
    change_role(staff["viewer"].id, Role.SUPERVISOR, by="admin")
    assert User.get_by_id(staff["viewer"].id).role == Role.SUPERVISOR
    entry = AuditLog.get(AuditLog.action == "USER_ROLE_CHANGED")
    assert entry.target == "viewer" and entry.username == "admin"
    assert '"from": "viewer"' in entry.details and '"to": "supervisor"' in entry.details


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(staff):
    admin = staff["admin"]
    before = _audit_count()
    with pytest.raises(Refused) as err:
        change_role(admin.id, Role.SUPERVISOR, by="admin")
    assert err.value.key == "users.error.last_admin"
    create_user("admin2", PASSWORD, Role.ADMIN)
    with pytest.raises(Refused):
        set_active(admin.id, False, by="admin")  # not one's own account, even with another admin
    set_active(User.get(User.username == "admin2").id, False, by="admin")
    with pytest.raises(Refused) as err:
        change_role(admin.id, Role.VIEWER, by="admin")  # admin2 is inactive: admin is the last one again
    assert err.value.key == "users.error.last_admin"
    assert User.get_by_id(admin.id).role == Role.ADMIN
    assert _audit_count() == before + 2  # admin2 created, admin2 deactivated


def test_another_admin_may_demote_an_admin_when_one_remains(staff):
    second = create_user("admin2", PASSWORD, Role.ADMIN)
    change_role(staff["admin"].id, Role.COORDINATOR, by="admin2")
    assert User.get_by_id(staff["admin"].id).role == Role.COORDINATOR
    with pytest.raises(PermissionDenied):  # the demoted admin is refused at once
        change_role(second.id, Role.VIEWER, by="admin")


def test_an_inactive_admin_does_not_count_and_a_deactivated_user_cannot_log_in(staff):
    set_active(staff["coordinator"].id, False, by="admin")
    assert not authenticate("coordinator", PASSWORD).ok
    assert AuditLog.select().where(AuditLog.action == "USER_DEACTIVATED").count() == 1
    set_active(staff["coordinator"].id, True, by="admin")
    assert authenticate("coordinator", PASSWORD).ok


def test_reset_password_gives_a_new_one_time_password_and_unlocks(staff):
    User.update(failed_logins=3).where(User.id == staff["viewer"].id).execute()
    password = reset_password(staff["viewer"].id, by="admin")
    assert not authenticate("viewer", PASSWORD).ok
    result = authenticate("viewer", password)
    assert result.ok and result.user.must_change_password
    assert AuditLog.get(AuditLog.action == "PASSWORD_SET").username == "admin"


def test_an_admin_resets_their_own_password_on_the_account_page_not_here(staff):
    with pytest.raises(Refused):
        reset_password(staff["admin"].id, by="admin")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.SUPERVISOR])
def test_every_user_action_is_refused_to_a_non_admin_and_writes_nothing(staff, role):
    target = staff["viewer"]
    before = (_audit_count(), User.select().count(), target.role, target.active, target.password_hash)
    actions = [lambda: create_account("baru", Role.ADMIN, by=role),
               lambda: change_role(target.id, Role.ADMIN, by=role),
               lambda: set_active(target.id, False, by=role),
               lambda: reset_password(target.id, by=role)]
    for action in actions:
        with pytest.raises(PermissionDenied):
            action()
    again = User.get_by_id(target.id)
    assert (_audit_count(), User.select().count(), again.role, again.active, again.password_hash) == before


def test_an_unknown_or_deactivated_admin_is_refused(staff):
    with pytest.raises(Refused):
        create_account("baru", Role.VIEWER, by="nobody")
    create_user("admin2", PASSWORD, Role.ADMIN)
    set_active(staff["admin"].id, False, by="admin2")
    with pytest.raises(Refused):
        create_account("baru", Role.VIEWER, by="admin")


def _many(n: int, *, active: bool = True, prefix: str = "petugas") -> None:
    for i in range(n):
        User.create(username=f"{prefix}{i:02d}", role=Role.VIEWER, password_hash="-", active=active)


def test_accounts_page_pages_by_keyset_active_first_with_no_repeat_and_no_gap(staff):
    _many(6, active=False, prefix="lama")
    _many(5)
    seen, after = [], None
    while True:
        accounts, total = accounts_page("admin", after=after, per_page=4)
        if not accounts:
            break
        seen += [(a.active, a.username) for a in accounts]
        after = seen[-1]
    assert total == len(Role.ALL) + 11 == len(seen) == len(set(seen))
    assert seen == sorted(seen, key=lambda a: (not a[0], a[1]))  # active ones first, each group by name
    assert [name for active, name in seen if not active] == [f"lama{i:02d}" for i in range(6)]


def test_only_an_admin_lists_the_accounts(staff):
    with pytest.raises(Refused):
        accounts_page("supervisor")
