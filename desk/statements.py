"""Bank statements on the desk (contract section 10): upload one, see the statements and the open
exceptions, and resolve an exception with a written reason (supervisor; audited).

The upload is the same import as `statement import` and bank_pull (jobs/bank/statement.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.audit import audit
from core.context import AppContext
from core.db import write_tx
from core.statements.importer import ImportOutcome
from core.statements.parse import StatementRejected
from core.statements.queries import open_exception_count, open_exceptions, recent_statements
from core.statements.tables import Statement, StatementException
from core.text.i18n import t
from desk.acting import acting_user, clean_text
from desk.permissions import Action
from desk.refusal import Refused
from jobs.bank.statement import describe, import_bytes, import_file
from models import utcnow

MAX_UPLOAD_MB = 50  # a day's statement of 100,000 transfers is about 9 MB


@dataclass(frozen=True)
class Uploaded:
    imported: bool
    lines: list[str]  # what the import did, in the person's language


def upload_statement(ctx: AppContext, username: str, file_name: str, data: bytes,
                     lang: str = "id") -> Uploaded:
    """Import an uploaded MT940 (coordinator and up); a rejected statement is a Refused naming the reason."""
    actor = acting_user(username, Action.IMPORT_STATEMENT)
    name = (file_name or "upload.txt").replace("/", "_").replace("\\", "_")[:200]
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise Refused("statements.error.too_big", file=name, limit=MAX_UPLOAD_MB)
    try:
        outcome = import_bytes(ctx, data, name, actor.username)
    except StatementRejected as rejected:
        raise Refused("statements.error.rejected", file=name,
                      reason=t(rejected.key, lang, **rejected.params)) from rejected
    if not outcome.imported:
        audit("STATEMENT_UPLOAD_DUPLICATE", username=actor.username, target=name,
              details={"statement": outcome.statement.reference, "number": outcome.statement.number})
    return Uploaded(outcome.imported, describe(outcome, name, lang))


def import_from_command_line(ctx: AppContext, path: Path) -> ImportOutcome:
    """`statement import PATH`: the operator at the console (no signed-in user; audited as "cli").
    Raises OSError (unreadable path) or StatementRejected (nothing applied)."""
    return import_file(ctx, path, "cli")


def describe_import(outcome: ImportOutcome, file_name: str, lang: str = "id") -> list[str]:
    return describe(outcome, file_name, lang)


def resolve_exception(exception_id: int, username: str, note: str | None) -> StatementException:
    """Close an open exception with what was checked or done (supervisor); refused if already closed."""
    actor = acting_user(username, Action.RESOLVE_STATEMENT)
    text = clean_text(note, required=True)
    with write_tx():
        found = StatementException.get_or_none(StatementException.id == exception_id)
        if found is None:
            raise Refused("statements.error.not_found", exception=str(exception_id))
        done = (StatementException
                .update(resolved_at=utcnow(), resolved_by=actor.username, resolution_note=text)
                .where(StatementException.id == exception_id, StatementException.resolved_at.is_null())
                .execute())
        if done != 1:
            raise Refused("statements.error.already", exception=str(exception_id))
        reference = found.instruction_id or found.batch_id or found.customer_reference
        audit("STATEMENT_EXCEPTION_RESOLVED", username=actor.username,
              target=f"{found.kind} {reference}"[:200],
              details={"exception_id": found.id, "kind": found.kind, "instruction_id": found.instruction_id,
                       "claim_no": found.claim_no, "amount": found.amount, "note": text})
    return StatementException.get_by_id(exception_id)


def statements_overview(limit: int = 50) -> tuple[list[Statement], list[StatementException], int]:
    """The newest statements, the oldest open exceptions (up to 500) and how many are open."""
    return recent_statements(limit), open_exceptions(500), open_exception_count()
