"""Who may do what: the one role x action table, checked on the server by every action.

Roles are ordered (viewer < coordinator < supervisor < admin) and a higher role may do
everything a lower one may. The UI hides or disables what a role may not do, but that is
only a courtesy: `require` is called again inside every handler and every desk action.
"""

from __future__ import annotations

from enum import StrEnum

from desk.refusal import Refused
from models import Role


class Action(StrEnum):
    # viewer: reads (NIK masked)
    VIEW = "view"
    EXPORT = "export"  # viewers export with NIK masked
    # coordinator: the daily work on claims
    VIEW_FULL_NIK = "view_full_nik"
    HOLD = "hold"
    RELEASE = "release"
    CORRECT_BANK = "correct_bank"
    RESEND = "resend"
    ADD_NOTE = "add_note"
    CLEAR_FLAG = "clear_flag"
    CLEAR_REVIEW = "clear_review"  # a pre-payout check overruled, with a written reason (section 7)
    RUN_JOB = "run_job"
    ACK_ALERT = "ack_alert"
    REPROCESS_FILE = "reprocess_file"
    IMPORT_ROSTER = "import_roster"  # roster upload (contract section 8)
    RECORD_OUTREACH = "record_outreach"  # a sosialisasi session
    IMPORT_STATEMENT = "import_statement"  # upload a Bank NTT statement, MT940 (section 10)
    MARK_HANDLED = "mark_handled"  # a failed run or rejected file dealt with, with a note (issue 16)
    PRINT_DOCUMENTS = "print_documents"  # daftar nominatif, berita acara, bukti bayar: full account numbers
    # supervisor: the second pair of eyes on money, and the schedule
    APPROVE = "approve"
    CANCEL = "cancel"
    PAUSE_SCHEDULE = "pause_schedule"
    DOWNLOAD_FILE = "download_file"
    IGNORE_FILE = "ignore_file"
    VIEW_AUDIT = "view_audit"
    RESOLVE_STATEMENT = "resolve_statement"  # close a statement exception with a written reason (10)
    # admin: accounts and configuration
    MANAGE_USERS = "manage_users"
    VIEW_CONFIG = "view_config"
    ACCEPT_HOST_KEY = "accept_host_key"  # pin a partner's changed SFTP host key (desk/hostkeys.py)


MIN_ROLE: dict[Action, str] = {
    Action.VIEW: Role.VIEWER,
    Action.EXPORT: Role.VIEWER,
    Action.VIEW_FULL_NIK: Role.COORDINATOR,
    Action.HOLD: Role.COORDINATOR,
    Action.RELEASE: Role.COORDINATOR,
    Action.CORRECT_BANK: Role.COORDINATOR,
    Action.RESEND: Role.COORDINATOR,
    Action.ADD_NOTE: Role.COORDINATOR,
    Action.CLEAR_FLAG: Role.COORDINATOR,
    Action.CLEAR_REVIEW: Role.COORDINATOR,
    Action.RUN_JOB: Role.COORDINATOR,
    Action.ACK_ALERT: Role.COORDINATOR,
    Action.REPROCESS_FILE: Role.COORDINATOR,
    Action.IMPORT_ROSTER: Role.COORDINATOR,
    Action.RECORD_OUTREACH: Role.COORDINATOR,
    Action.IMPORT_STATEMENT: Role.COORDINATOR,
    Action.MARK_HANDLED: Role.COORDINATOR,
    Action.PRINT_DOCUMENTS: Role.COORDINATOR,
    Action.APPROVE: Role.SUPERVISOR,
    Action.CANCEL: Role.SUPERVISOR,
    Action.PAUSE_SCHEDULE: Role.SUPERVISOR,
    Action.DOWNLOAD_FILE: Role.SUPERVISOR,
    Action.IGNORE_FILE: Role.SUPERVISOR,
    Action.VIEW_AUDIT: Role.SUPERVISOR,
    Action.RESOLVE_STATEMENT: Role.SUPERVISOR,
    Action.MANAGE_USERS: Role.ADMIN,
    Action.VIEW_CONFIG: Role.ADMIN,
    Action.ACCEPT_HOST_KEY: Role.ADMIN,
}


class PermissionDenied(Refused):
    """The user's role may not do this action: a refusal like any other, kept apart for HTTP 403."""

    def __init__(self, role: str, action: Action):
        self.role, self.action, self.needed = role, action, MIN_ROLE[action]
        super().__init__("error.permission_denied", role=role, action=str(action), needed=self.needed)

    def __str__(self) -> str:  # for logs: the role and action as stored, not their labels
        return f"Peran {self.role} tidak boleh melakukan '{self.action}' (perlu {self.needed})"


def rank(role: str | None) -> int:
    """Position of a role in Role.ALL; -1 for no or an unknown role (may do nothing)."""
    return Role.ALL.index(role) if role in Role.ALL else -1


def allowed(role: str | None, action: Action) -> bool:
    return rank(role) >= rank(MIN_ROLE[action]) >= 0


def require(role: str | None, action: Action) -> None:
    """Raise PermissionDenied unless `role` may do `action`."""
    if not allowed(role, action):
        raise PermissionDenied(role or "-", action)


def actions_of(role: str | None) -> frozenset[Action]:
    return frozenset(a for a in Action if allowed(role, a))
