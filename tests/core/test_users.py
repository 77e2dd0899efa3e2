import pytest

from core import users as users_module
from core.users import (
    THROTTLE,
    LoginThrottle,
    UserError,
    authenticate,
    change_password,
    create_user,
    password_problem,
    set_password,
)
from models import AuditLog, User, db

GOOD = "Sabu-Raijua-77"


@pytest.fixture(autouse=True)
def fresh_throttle():
    THROTTLE.clear()
    yield
    THROTTLE.clear()


def test_password_is_stored_as_argon2_hash(database):
    user = create_user("maria", GOOD, "coordinator")
    assert user.password_hash.startswith("$argon2") and GOOD not in user.password_hash


@pytest.mark.parametrize("weak", ["", "   ", "short", "password1", "maria12345", "aaaaaaaaaaaa",
                                  "password1234", "123456789012", "qwertyuiop12", "Maria-2026-bpjs"])
def test_weak_passwords_are_refused_with_a_reason(database, weak):
    assert password_problem(weak, "maria")
    with pytest.raises(UserError):
        create_user("maria", weak, "viewer")
    assert User.select().count() == 0


def test_duplicate_user_name_is_refused(database):
    create_user("maria", GOOD, "viewer")
    with pytest.raises(UserError, match="sudah dipakai"):
        create_user("maria", GOOD, "admin")


@pytest.mark.parametrize("weak", ["password1234", "123456789012"])
def test_a_guessable_password_of_twelve_characters_is_refused_with_one_line_saying_why(database, weak):
    problem = password_problem(weak, "maria")
    assert problem and "\n" not in problem
    indonesian, english = problem.split(" / ")
    assert "mudah ditebak" in indonesian and "kekuatan 1 dari 4, minimal 3" in indonesian
    assert "too easy to guess" in english


def test_a_strong_password_of_uncommon_words_is_accepted(database):
    assert password_problem("Sangat-Rahasia-2025", "maria") is None
    assert create_user("maria", "Sangat-Rahasia-2025", "viewer").username == "maria"


def test_many_wrong_passwords_do_not_lock_the_account(database):
    """The attack: five wrong passwords used to lock an account for 15 minutes, so anyone could
    lock the admin out. Now the owner still logs in, and nothing says the account was attacked."""
    create_user("maria", GOOD, "viewer")
    messages = {authenticate("maria", "wrong-password", ip="10.0.0.9").message for _ in range(8)}
    assert authenticate("maria", GOOD, ip="10.0.0.1").ok
    assert len(messages) == 1 and "terkunci" not in messages.pop()
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions.count("LOGIN_FAILED") == 8 and actions[-1] == "LOGIN"
    assert "ACCOUNT_LOCKED" not in actions


def test_unknown_inactive_and_wrong_password_read_the_same_even_after_many_failures(database):
    create_user("maria", GOOD, "viewer")
    create_user("yosef", GOOD, "viewer")
    User.update(active=False).where(User.username == "yosef").execute()
    for _ in range(6):
        authenticate("maria", "wrong-password")
    answers = {authenticate("maria", "wrong-password").message, authenticate("nobody", GOOD).message,
               authenticate("yosef", GOOD).message}
    assert len(answers) == 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_slow_a_user_name_more_and_more_but_never_past_its_cap():
    clock = Clock()
    throttle = LoginThrottle(clock)
    waits = []
    for attempt in range(12):
        waits.append(throttle.reserve("admin", f"10.0.0.{attempt}"))  # a new address each time
        throttle.failed("admin", f"10.0.0.{attempt}")
        clock.now += 60
    assert waits[:3] == [0, 0, 0]  # typos cost nothing
    assert waits[3:7] == [2, 4, 8, LoginThrottle.MAX_NAME_DELAY]
    assert max(waits) == LoginThrottle.MAX_NAME_DELAY  # slowed, never locked out
    throttle.succeeded("admin")
    assert throttle.reserve("admin", "10.0.0.99") == 0


def test_an_unknown_user_name_is_slowed_exactly_like_a_real_one(database):
    create_user("maria", GOOD, "viewer")
    for name in ("maria", "nobody"):
        for _ in range(5):
            authenticate(name, "wrong-password", ip=f"address-of-{name}")
    assert THROTTLE.reserve("maria", "elsewhere") == THROTTLE.reserve("nobody", "elsewhere") > 0


def test_parallel_attempts_from_one_address_queue_and_a_flood_is_refused():
    clock = Clock()
    throttle = LoginThrottle(clock)
    for n in range(6):
        throttle.failed(f"user{n}", "203.0.113.7")  # one address trying many names
    waits = [throttle.reserve(f"other{n}", "203.0.113.7") for n in range(14)]
    assert waits[0] == 16 and waits[1] == 32  # queued one after the other, not all at once
    assert None in waits  # beyond MAX_ADDRESS_QUEUE: refused without checking a password
    assert throttle.reserve("user0", "198.51.100.1") == 0  # another address is not slowed by it
    clock.now += LoginThrottle.FORGET_AFTER + LoginThrottle.MAX_ADDRESS_QUEUE + 1
    assert throttle.reserve("other", "203.0.113.7") == 0  # forgotten after a quiet quarter hour


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


def test_the_password_hash_is_checked_outside_the_write_transaction(database, monkeypatch):
    """A login holds the write lock only to record its outcome, never for argon2's work, so a login
    beside a nightly job's writes waits for them at most once, briefly (hardening, finding 5)."""
    create_user("maria", "Sangat-Rahasia-2025", "coordinator")
    verify = users_module._verify
    seen = []

    def watching(hash_: str, password: str) -> bool:
        seen.append(db.in_transaction())
        return verify(hash_, password)

    monkeypatch.setattr(users_module, "_verify", watching)
    assert authenticate("maria", "Sangat-Rahasia-2025").ok
    assert not authenticate("maria", "salah-sekali-2025").ok
    assert not authenticate("tidak-ada", "salah-sekali-2025").ok
    assert seen == [False, False, False]


def test_a_password_changed_while_it_was_checked_refuses_the_login(database, monkeypatch):
    user = create_user("maria", "Sangat-Rahasia-2025", "coordinator")
    verify = users_module._verify

    def changed_meanwhile(hash_: str, password: str) -> bool:
        ok = verify(hash_, password)
        set_password(user, "Kopi-Bajawa-Pagi-2026", by="admin", must_change=True)  # an admin's reset
        return ok

    monkeypatch.setattr(users_module, "_verify", changed_meanwhile)
    assert not authenticate("maria", "Sangat-Rahasia-2025").ok
    assert AuditLog.select().where(AuditLog.action == "LOGIN").count() == 0
