"""User accounts: argon2 password hashes, roles, lock-out after failed logins.

Logins, failures and locks are written to the audit log here, so no caller can forget.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.audit import audit
from core.db import lock_row, write_tx
from models import Role, User, utcnow

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal user names.
_DUMMY_HASH = _hasher.hash("santunan-dummy-password")
COMMON_PASSWORDS = frozenset({
    "password", "password1", "12345678", "123456789", "1234567890", "qwertyuiop", "admin12345",
    "santunan123", "bpjs123456", "indonesia1", "rahasia123", "passw0rd12", "kupang2025",
})


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
    """Why a password is too weak, or None when it is acceptable."""
    if not password or not password.strip():
        return "Kata sandi kosong / the password is empty"
    if len(password) < MIN_PASSWORD_LENGTH:
        return (f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter / "
                f"at least {MIN_PASSWORD_LENGTH} characters")
    if password.lower() in COMMON_PASSWORDS or (username and username.lower() in password.lower()):
        return "Kata sandi terlalu mudah ditebak / the password is too easy to guess"
    if len(set(password)) < 5:
        return "Kata sandi terlalu sederhana / the password is too simple"
    return None


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
    """Check a login; counts failures, locks after MAX_FAILED_LOGINS, audits every outcome."""
    now = now or utcnow()
    refused = "Nama pengguna atau kata sandi salah / wrong user name or password"
    with write_tx():
        user = lock_row(User, User.username == username.strip())
        if user is None or not user.active:
            _verify(_DUMMY_HASH, password)
            audit("LOGIN_FAILED", username=username, ip=ip, details={"reason": "unknown or inactive"})
            return LoginResult(None, refused)
        if user.locked_until and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            audit("LOGIN_REFUSED_LOCKED", username=user.username, ip=ip)
            return LoginResult(None, f"Akun terkunci karena {MAX_FAILED_LOGINS} kali salah kata sandi; "
                                     f"coba lagi dalam {minutes} menit / account locked, try again in "
                                     f"{minutes} min")
        if not _verify(user.password_hash, password):
            failures = user.failed_logins + 1
            locked = failures >= MAX_FAILED_LOGINS
            User.update(failed_logins=0 if locked else failures,
                        locked_until=now + dt.timedelta(minutes=LOCK_MINUTES) if locked else None,
                        ).where(User.id == user.id).execute()
            audit("LOGIN_FAILED", username=user.username, ip=ip, details={"failures": failures})
            if locked:
                audit("ACCOUNT_LOCKED", username=user.username, ip=ip,
                      details={"minutes": LOCK_MINUTES})
            return LoginResult(None, refused)
        User.update(failed_logins=0, locked_until=None, last_login_at=now).where(
            User.id == user.id).execute()
        if _hasher.check_needs_rehash(user.password_hash):
            User.update(password_hash=_hasher.hash(password)).where(User.id == user.id).execute()
        audit("LOGIN", username=user.username, ip=ip)
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
