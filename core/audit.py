"""The append-only audit log of user actions. Rows are only ever inserted, each as a link of the
hash chain (core/audit_chain.py), so a row edited or deleted behind the application's back shows."""

from __future__ import annotations

import json
from typing import Any

from core.audit_chain import append
from models import AuditLog


def audit(action: str, *, username: str | None, target: str | None = None,
          details: dict[str, Any] | None = None, ip: str | None = None) -> AuditLog:
    """Record one user action (or a job run started by a user)."""
    return append(username=username, action=action, target=target, ip=ip,
                  details=json.dumps(details, default=str, ensure_ascii=False) if details else None)
