"""Small helpers every partner job shares: local folders, the SFTP client, today in WITA,
and named counters (batch numbers, file sequences) that survive restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.context import AppContext
from core.db import write_tx
from core.text import fmt
from jobs import registry
from jobs.sftp.client import SftpClient
from models import Counter


def open_sftp(ctx: AppContext, partner: str) -> SftpClient:
    """The partner's SFTP client (tests tune its retries through ctx.extras["sftp_options"])."""
    return SftpClient(ctx.settings.partner(partner), **ctx.extras.get("sftp_options", {}))


def local_dir(ctx: AppContext, kind: str, partner: str) -> Path:
    """work_dir/<kind>/<partner>: staging, archive, quarantine or outgoing."""
    folder = ctx.settings.work_dir / kind / partner
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def today(ctx: AppContext) -> dt.date:
    return fmt.local_today(ctx.settings.timezone)


def local_time(ctx: AppContext, utc: dt.datetime) -> dt.datetime:
    return fmt.to_local(utc, ctx.settings.timezone)


def next_counter(name: str, step: int = 1) -> int:
    """Add `step` to the named counter and return its new value (call inside or outside a tx)."""
    with write_tx():
        Counter.insert(name=name, value=0).on_conflict_ignore().execute()
        Counter.update(value=Counter.value + step).where(Counter.name == name).execute()
        return Counter.get_by_id(name).value


def partner_label(partner: str) -> str:
    return registry.partner_label(partner)
