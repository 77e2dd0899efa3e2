"""User accounts: argon2 password hashes, roles, the password policy and login throttling.

Logins and failures are written to the audit log here, so no caller can forget. A login is never
locked out: repeated failures slow further attempts for that user name and that address
(LoginThrottle), so nobody can lock the admin out by typing wrong passwords on purpose.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from core.audit import audit
from core.db import lock_row, write_tx
from models import Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
MIN_PASSWORD_SCORE = 3  # zxcvbn 0..4; 3 = "safely unguessable" for an online attack
_ZXCVBN_CHARS = 100  # zxcvbn grows slow on long input; the first 100 characters decide
# Words an attacker would try first against this programme's accounts.
GUESSABLE_WORDS = ("santunan", "bpjs", "ketenagakerjaan", "ntt", "kupang", "bank", "admin", "rahasia")
_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal user names.
_DUMMY_HASH = _hasher.hash("santunan-dummy-password")
REFUSED = "Nama pengguna atau kata sandi salah / wrong user name or password"
# zxcvbn's warning (English) -> why, in Indonesian and English, for the one-line refusal.
_WHY = (
    ("common", "kata sandi yang umum dipakai", "a commonly used password"),
    ("top-", "kata sandi yang umum dipakai", "a commonly used password"),
    ("sequences", "urutan seperti abc atau 6543", "a sequence like abc or 6543"),
    ("repeats", "pengulangan seperti aaa atau abcabc", "repeats like aaa or abcabc"),
    ("key", "deretan tombol papan ketik", "a row of keyboard keys"),
    ("dates", "tanggal atau tahun", "dates or years"),
    ("years", "tanggal atau tahun", "dates or years"),
    ("names", "nama orang", "names"),
    ("word", "satu kata biasa", "a common word on its own"),
)


class UserError(Exception):
    """A refused user operation, with a message for the person (Indonesian / English)."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password is too weak (one line, Indonesian / English), or None when it is acceptable.

    The one password policy: every way to set a password (users add, the account page, the
    users page, a reset) asks here. A zxcvbn score of at least 3 refuses common passwords,
    number runs, keyboard rows, dates and the user's own name, which a length rule lets through.
    """
    if not password or not password.strip():
        return "Kata sandi kosong / the password is empty"
    if len(password) < MIN_PASSWORD_LENGTH:
        return (f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter / "
                f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        return (f"Kata sandi maksimal {MAX_PASSWORD_LENGTH} karakter / "
                f"the password may have at most {MAX_PASSWORD_LENGTH} characters")
    if username and username.strip().lower() in password.lower():
        return "Kata sandi memuat nama pengguna / the password contains the user name"
    result = zxcvbn(password[:_ZXCVBN_CHARS], user_inputs=[username, *GUESSABLE_WORDS])
    score = int(result["score"])
    if score >= MIN_PASSWORD_SCORE:
        return None
    warning = str(result["feedback"].get("warning") or "").lower()
    why_id, why_en = next(((i, e) for key, i, e in _WHY if key in warning),
                          ("terlalu pendek atau sederhana", "too short or too simple"))
    return (f"Kata sandi terlalu mudah ditebak ({why_id}; kekuatan {score} dari 4, minimal "
            f"{MIN_PASSWORD_SCORE}): pakai beberapa kata yang tidak umum / the password is too easy "
            f"to guess ({why_en}; strength {score} of 4, at least {MIN_PASSWORD_SCORE}): "
            "use a few uncommon words")


class LoginThrottle:
    """Slows repeated failed logins per user name and per client address; never locks out.

    The first FREE_FAILURES of a key cost nothing (typos). After that every attempt waits
    2, 4, 8 ... seconds before its password is checked: for a user name at most
    MAX_NAME_DELAY, so an attacker hammering `admin` from elsewhere slows the real admin by
    seconds but cannot lock them out; for an address up to MAX_ADDRESS_DELAY, queued one after
    the other so parallel attempts from one address do not add up, and refused at once while
    more than MAX_ADDRESS_QUEUE seconds are queued. Unknown user names are counted exactly like
    real ones, so the waiting tells nothing about which names exist. Failures are forgotten
    FORGET_AFTER seconds after the last one; a successful login forgets its user name's.
    """

    FREE_FAILURES = 3
    MAX_NAME_DELAY = 10.0
    MAX_ADDRESS_DELAY = 60.0
    MAX_ADDRESS_QUEUE = 180.0
    FORGET_AFTER = 15 * 60.0
    MAX_KEYS = 10_000  # memory bound against a flood of invented user names

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (failures, time of the last)
        self._next_slot: dict[str, float] = {}  # address key -> when its queued attempts are done

    def reserve(self, username: str, address: str | None) -> float | None:
        """Seconds this attempt must wait before its password is checked; None: refuse it now."""
        name, addr = _name_key(username), _address_key(address)
        with self._lock:
            now = self.clock()
            name_wait = self._delay(name, now, self.MAX_NAME_DELAY)
            slot = max(now, self._next_slot.get(addr, now)) + self._delay(addr, now, self.MAX_ADDRESS_DELAY)
            if slot - now > self.MAX_ADDRESS_QUEUE:
                return None
            self._next_slot[addr] = slot
            return max(name_wait, slot - now)

    def failed(self, username: str, address: str | None) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) > self.MAX_KEYS:
                self._forget_old(now)
            for key in (_name_key(username), _address_key(address)):
                count, last = self._failures.get(key, (0, now))
                self._failures[key] = (0 if now - last > self.FORGET_AFTER else count) + 1, now

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(_name_key(username), None)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()
            self._next_slot.clear()

    def _delay(self, key: str, now: float, cap: float) -> float:
        count, last = self._failures.get(key, (0, now))
        over = count - self.FREE_FAILURES
        if over < 0 or now - last > self.FORGET_AFTER:
            return 0.0
        return min(2.0 ** (over + 1), cap)

    def _forget_old(self, now: float) -> None:
        for key, (_, last) in list(self._failures.items()):
            if now - last > self.FORGET_AFTER:
                del self._failures[key]
        for key, slot in list(self._next_slot.items()):
            if slot < now:
                del self._next_slot[key]


def _name_key(username: str) -> str:
    return "name:" + username.strip().lower()[:64]


def _address_key(address: str | None) -> str:
    return "addr:" + (address or "?")


THROTTLE = LoginThrottle()  # one per process: the web app's logins


def create_user(username: str, password: str, role: str, *, full_name: str = "",
                created_by: str | None = None, must_change_password: bool = False) -> User:
    """Create a user; raises UserError for a bad name, role, weak password or a taken name."""
    username = username.strip()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-" for c in username):
        raise UserError("Nama pengguna hanya huruf, angka, titik, garis bawah atau tanda hubung "
                        "(maks. 64) / user name: letters, digits, . _ - only")
    if role not in Role.ALL:
        raise UserError(f"Peran tidak dikenal: {role} (pilih {', '.join(Role.ALL)}) / unknown role")
    problem = password_problem(password, username)
    if problem:
        raise UserError(problem)
    with write_tx():
        if User.select().where(User.username == username).exists():
            raise UserError(f"Nama pengguna '{username}' sudah dipakai / user name already taken")
        user = User.create(username=username, full_name=full_name, role=role,
                           password_hash=_hasher.hash(password),
                           must_change_password=must_change_password)
        audit("USER_CREATED", username=created_by, target=username, details={"role": role})
    return user


def authenticate(username: str, password: str, *, ip: str | None = None,
                 now: dt.datetime | None = None) -> LoginResult:
    """Check a login; audits every outcome and feeds THROTTLE (the caller waits what it reserves).

    Unknown user, inactive account and wrong password get the same message and the same argon2
    work, so neither the text nor the timing tells whether a user name exists. The argon2 check
    (tens of milliseconds of CPU) runs before the write transaction, which then only records the
    outcome: a login holds the write lock for a millisecond, not for the hash (hardening, finding 5:
    logins wait behind the nightly jobs' writes, so their own hold must be short).
    """
    now = now or utcnow()
    name = username.strip()
    user = User.get_or_none(User.username == name)
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        THROTTLE.failed(username, ip)
        with write_tx():
            audit("LOGIN_FAILED", username=name[:64], ip=ip, details={"reason": "unknown or inactive"})
        return LoginResult(None, REFUSED)
    if not _verify(user.password_hash, password):
        THROTTLE.failed(username, ip)
        with write_tx():  # counted in the UPDATE itself: two failures at once both count
            User.update(failed_logins=User.failed_logins + 1).where(User.id == user.id).execute()
            audit("LOGIN_FAILED", username=user.username, ip=ip, details={"failures": user.failed_logins + 1})
        return LoginResult(None, REFUSED)
    rehash = _hasher.hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
    with write_tx():
        # The password checked is still the account's: a change or a deactivation in between wins.
        current = lock_row(User, User.id == user.id)
        if current is None or not current.active or current.password_hash != user.password_hash:
            audit("LOGIN_FAILED", username=user.username, ip=ip, details={"reason": "changed meanwhile"})
            return LoginResult(None, REFUSED)
        changes = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if rehash:
            changes["password_hash"] = rehash
        User.update(**changes).where(User.id == user.id).execute()
        audit("LOGIN", username=user.username, ip=ip)
    THROTTLE.succeeded(username)
    return LoginResult(User.get_by_id(user.id))


def change_password(user: User, old_password: str, new_password: str) -> None:
    """Change one's own password; raises UserError when the old one is wrong or the new one weak."""
    if not _verify(user.password_hash, old_password):
        raise UserError("Kata sandi lama salah / the current password is wrong")
    if old_password == new_password:
        raise UserError("Kata sandi baru harus berbeda / the new password must differ")
    set_password(user, new_password, by=user.username, must_change=False)


def set_password(user: User, password: str, *, by: str | None, must_change: bool) -> None:
    problem = password_problem(password, user.username)
    if problem:
        raise UserError(problem)
    with write_tx():
        User.update(password_hash=_hasher.hash(password), must_change_password=must_change,
                    failed_logins=0, locked_until=None).where(User.id == user.id).execute()
        audit("PASSWORD_SET" if by != user.username else "PASSWORD_CHANGED", username=by,
              target=user.username)


def one_time_password() -> str:
    """A random password for a new or reset account; the user must change it at first login."""
    return secrets.token_urlsafe(12)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
