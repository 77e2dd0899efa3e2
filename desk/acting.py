"""Who is acting, checked again on the server: the one gate every desk action passes first.

Desk actions (run a job, pause a schedule, ignore a file, acknowledge an alert, manage
users) take the acting user's name, not a role the page remembered: the role and the
active flag are read from the database here, so a demoted or deactivated user is refused
at the next click. A refusal raises `desk.refusal.Refused` before anything is written.
"""

from __future__ import annotations

from desk.permissions import Action, require
from desk.refusal import Refused
from models import User

REASON_MAX = 500


def acting_user(username: str | None, action: Action) -> User:
    """The active user `username`, if their role may do `action`.

    Raises Refused when there is no such active user, PermissionDenied (a Refused) when the role may not.
    """
    user = User.get_or_none(User.username == (username or ""))
    if user is None or not user.active:
        raise Refused("action.error.no_user", user=username or "-")
    require(user.role, action)
    return user


def clean_text(text: str | None, *, required: bool, max_length: int = REASON_MAX) -> str | None:
    """A reason or note as typed, trimmed; raises Refused when required and empty, or too long."""
    value = (text or "").strip()
    if not value:
        if required:
            raise Refused("action.error.reason_required")
        return None
    if len(value) > max_length:
        raise Refused("desk.error.too_long", max=max_length)
    return value
