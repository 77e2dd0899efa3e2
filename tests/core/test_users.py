import datetime as dt

import pytest

from core.users import UserError, authenticate, change_password, create_user, password_problem
from models import AuditLog, User

GOOD = "Sabu-Raijua-77"


def test_password_is_stored_as_argon2_hash(database):
    user = create_user("maria", GOOD, "coordinator")
    assert user.password_hash.startswith("$argon2") and GOOD not in user.password_hash


@pytest.mark.parametrize("weak", ["", "   ", "short", "password1", "maria12345", "aaaaaaaaaaaa"])
def test_weak_passwords_are_refused_with_a_reason(database, weak):
    assert password_problem(weak, "maria")
    with pytest.raises(UserError):
        create_user("maria", weak, "viewer")
    assert User.select().count() == 0


def test_duplicate_user_name_is_refused(database):
    create_user("maria", GOOD, "viewer")
    with pytest.raises(UserError, match="sudah dipakai"):
        create_user("maria", GOOD, "admin")


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(database):
    create_user("maria", GOOD, "viewer")
    t0 = dt.datetime(2026, 11, 23, 1, 0)
    for _ in range(5):
        assert not authenticate("maria", "wrong-password", now=t0).ok
    locked = authenticate("maria", GOOD, now=t0 + dt.timedelta(minutes=14))
    assert not locked.ok and "terkunci" in locked.message
    assert authenticate("maria", GOOD, now=t0 + dt.timedelta(minutes=16)).ok
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions.count("LOGIN_FAILED") == 5
    assert "ACCOUNT_LOCKED" in actions and "LOGIN_REFUSED_LOCKED" in actions and actions[-1] == "LOGIN"


def test_unknown_user_gets_the_same_message_as_a_wrong_password(database):
    create_user("maria", GOOD, "viewer")
    assert authenticate("nobody", GOOD).message == authenticate("maria", "wrong-password").message


def test_change_password_needs_the_old_one(database):
    user = create_user("maria", GOOD, "viewer", must_change_password=True)
    with pytest.raises(UserError):
        change_password(user, "not-it-at-all", "Another-Good-1")
    change_password(user, GOOD, "Another-Good-1")
    assert authenticate("maria", "Another-Good-1").ok
    assert not User.get(User.username == "maria").must_change_password
