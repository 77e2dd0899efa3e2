"""Account administration by an admin: create, change role and kabupaten desk, deactivate/reactivate,
reset password.

Rules kept here, not in the page, and tested directly:
- only an active admin may do any of it (checked again from the database);
- the last active admin can be neither demoted nor deactivated, so the programme never
  locks itself out of its own user management; concurrent changes are serialised by
  locking the admins' rows (PostgreSQL) or the IMMEDIATE transaction (SQLite);
- nobody deactivates their own account or resets their own password here (the account
  page changes one's own password, knowing the old one);
- a new account and a reset password get a one-time password that must be changed at
  the next login; it is returned once, for the admin to hand over, and never stored;
- a kabupaten desk (section 8) names known kabupaten/kota codes only (`desk.scope.parse_codes`).
Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.audit import audit
from core.db import is_postgres, lock_row, write_tx
from core.users import UserError, create_user, one_time_password, password_problem, set_password
from desk.acting import acting_user
from desk.permissions import Action
from desk.refusal import Refused
from desk.scope import codes_of, parse_codes, stored
from models import Role, User


def create_account(username: str, role: str, by: str, *, full_name: str = "",
                   kabupaten: str | Iterable[str] | None = None,
                   known: Iterable[str] = ()) -> tuple[User, str]:
    """A new account with a one-time password; returns (user, password). Raises Refused.

    `kabupaten`: the desk's codes (None or empty: the whole province), checked against `known`.
    """
    acting_user(by, Action.MANAGE_USERS)
    codes = parse_codes(kabupaten, known)
    password = _fresh_password(username)
    try:
        with write_tx():  # the account and its desk together: never a moment with the whole province
            user = create_user(username, password, role, full_name=full_name.strip()[:120], created_by=by,
                               must_change_password=True)
            if codes is not None:
                store_desk(user, codes, by)
    except UserError as exc:
        indonesian, _, english = str(exc).partition(" / ")
        raise Refused("users.error.refused", indonesian=indonesian, english=english or indonesian) from exc
    return User.get_by_id(user.id), password


def set_kabupaten(user_id: int, kabupaten: str | Iterable[str] | None, by: str, *,
                  known: Iterable[str]) -> User:
    """Limit the account to these kabupaten/kota (section 8), or (empty) open the whole province; audited."""
    acting_user(by, Action.MANAGE_USERS)
    codes = parse_codes(kabupaten, known)
    with write_tx():
        user = _locked(user_id)
        if codes_of(user) != codes:
            store_desk(user, codes, by)
    return User.get_by_id(user_id)


def store_desk(user: User, codes: tuple[str, ...] | None, by: str | None) -> None:
    """Write the desk and its audit row (call inside write_tx; `users add` calls it too)."""
    User.update(kabupaten_codes=stored(codes)).where(User.id == user.id).execute()
    audit("USER_DESK_CHANGED", username=by, target=user.username,
          details={"from": list(codes_of(user) or ()) or None, "to": list(codes or ()) or None})


def change_role(user_id: int, role: str, by: str) -> User:
    """Give the account another role; the last active admin keeps theirs."""
    acting_user(by, Action.MANAGE_USERS)
    if role not in Role.ALL:
        raise Refused("users.error.unknown_role", role=role)
    with write_tx():
        user = _locked(user_id)
        if user.role == role:
            return user
        if user.role == Role.ADMIN and user.active:
            _keep_an_admin(user)
        User.update(role=role).where(User.id == user.id).execute()
        audit("USER_ROLE_CHANGED", username=by, target=user.username, details={"from": user.role, "to": role})
    return User.get_by_id(user_id)


def set_active(user_id: int, active: bool, by: str) -> User:
    """Deactivate (or reactivate) an account; not one's own, not the last active admin."""
    acting_user(by, Action.MANAGE_USERS)
    with write_tx():
        user = _locked(user_id)
        if user.active == active:
            return user
        if not active:
            if user.username == by:
                raise Refused("users.error.self_deactivate")
            if user.role == Role.ADMIN:
                _keep_an_admin(user)
        User.update(active=active).where(User.id == user.id).execute()
        audit("USER_REACTIVATED" if active else "USER_DEACTIVATED", username=by, target=user.username)
    return User.get_by_id(user_id)


def reset_password(user_id: int, by: str) -> str:
    """Give the account a new one-time password (and unlock it); returns the password."""
    acting_user(by, Action.MANAGE_USERS)
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise Refused("users.error.not_found", user=str(user_id))
    if user.username == by:
        raise Refused("users.error.self_reset")
    password = _fresh_password(user.username)
    set_password(user, password, by=by, must_change=True)  # audited as PASSWORD_SET
    return password


def accounts_page(by: str, *, after: tuple[bool, str] | None = None,
                  per_page: int = 50) -> tuple[list[User], int]:
    """One page of the accounts, active ones first, each group by name, and how many there are.

    `after`: (active, username) of the last account of the previous page. Keyset paging, like
    the queue's and the audit log's: a page reads `per_page` rows wherever it is in the list.
    """
    acting_user(by, Action.MANAGE_USERS)
    query = User.select()
    if after is not None:
        active, name = after
        later = (User.active == active) & (User.username > name)
        query = query.where(later | (User.active == False) if active else later)  # noqa: E712
    accounts = list(query.order_by(User.active.desc(), User.username).limit(max(1, per_page)))
    return accounts, User.select().count()


def _keep_an_admin(leaving: User) -> None:
    """Refuse when `leaving` is the only active admin (call inside write_tx)."""
    admins = User.select(User.id).where(User.role == Role.ADMIN, User.active == True)  # noqa: E712
    if is_postgres():
        admins = admins.for_update()
    if not [a for a in admins if a.id != leaving.id]:
        raise Refused("users.error.last_admin", user=leaving.username)


def _locked(user_id: int) -> User:
    user = lock_row(User, User.id == user_id)
    if user is None:
        raise Refused("users.error.not_found", user=str(user_id))
    return user


def _fresh_password(username: str) -> str:
    password = one_time_password()
    while password_problem(password, username):  # random, so practically never
        password = one_time_password()
    return password
