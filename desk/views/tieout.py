"""The tie-out (contract section 10): per day, per batch and per kabupaten/kota, to the rupiah,

    approved = queued + instructed + paid + failed + held      and      paid = debited - returned

Terms (counts of claims and sums in Rupiah), over the claims not REJECTED and not CANCELLED:

- approved: claims whose BPJS `decision` is APPROVED; amount `approved_amount` (what BPJS decided).
- queued: status NEEDS_REVIEW, AWAITING_APPROVAL or READY (not yet at the bank); `approved_amount`.
- held: status ON_HOLD; `approved_amount`.
- instructed: status INSTRUCTED (sent, no result yet); amount of the claim's current instruction
  (`Claim.instruction_id` -> `PayoutInstruction.amount`, what we told the bank to pay).
- paid: status PAID; amount of its current instruction.
- failed: status PAYOUT_FAILED (a FAILED result, or a credit RETURNED); amount of its current
  instruction.
- debited: claims whose current instruction a bank statement debit matched (`Claim.debited_on`
  set by statement matching); amount of that instruction.
- returned: claims whose current instruction's result is RETURNED; amount of that instruction.

The first identity fails when a claim BPJS did not approve sits in a payable status, or when the
bank was told another amount than BPJS approved. The second fails while a PAID claim has no
matched debit (not yet on a statement: expected within `statement.grace_working_days`; after
that a MISSING_DEBIT exception), or a debit is not matched to its claim.

Groups: `day` is the local (WITA) day the claim was received from BPJS; `batch` the batch of
its current instruction ("" = never sent); `kabupaten` its kabupaten/kota code. One aggregate
query (GROUP BY, one pass over the claims with CASE sums, the instruction joined by its unique
id), so it answers at 1,000,000 claims. A kabupaten desk sees its own kabupaten only (section 8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from peewee import JOIN, SQL, Case, fn

from core.claims.queries import NO_BATCH, ClaimFilter
from core.db import is_postgres
from core.files.sheets import XlsxSheet
from core.text import i18n
from core.text.fmt import DEFAULT_ZONE, local_midnight_utc
from desk.acting import acting_user
from desk.permissions import Action
from desk.scope import claim_scope
from models import Claim, ClaimStatus, InstructionStatus, PayoutInstruction

S = ClaimStatus
DIMENSIONS = ("day", "batch", "kabupaten")
TERMS = ("approved", "queued", "instructed", "paid", "failed", "held", "debited", "returned")
SUM_TERMS = ("queued", "instructed", "paid", "failed", "held")  # approved = their sum
EXCLUDED = (S.REJECTED, S.CANCELLED)
QUEUED = (S.NEEDS_REVIEW, S.AWAITING_APPROVAL, S.READY)
# What the claim queue (/klaim) shows for each term: exactly its claims (`queue_filter`), as the
# statuses it allows plus, for approved, debited and returned, BPJS's decision, a matched debit and
# the current instruction's RETURNED result (ClaimFilter.decision/.debited/.returned).
PAYABLE = tuple(s for s in S.ALL if s not in EXCLUDED)
TERM_STATUSES: dict[str, tuple[str, ...]] = {
    "approved": PAYABLE, "queued": QUEUED, "instructed": (S.INSTRUCTED,), "paid": (S.PAID,),
    "failed": (S.PAYOUT_FAILED,), "held": (S.ON_HOLD,), "debited": PAYABLE, "returned": PAYABLE,
}
TERM_FILTERS: dict[str, dict[str, Any]] = {
    "approved": {"decision": "APPROVED"}, "debited": {"debited": True}, "returned": {"returned": True},
}
MAX_ROWS = 500


@dataclass(frozen=True)
class Term:
    count: int
    amount: int  # Rupiah


@dataclass(frozen=True)
class TieOutRow:
    key: str  # the day (ISO), the batch id, or the kabupaten code; "" = no batch
    terms: dict[str, Term]

    @property
    def sum(self) -> Term:
        """queued + instructed + paid + failed + held."""
        return Term(sum(self.terms[t].count for t in SUM_TERMS), sum(self.terms[t].amount for t in SUM_TERMS))

    @property
    def net_debited(self) -> Term:
        """debited - returned."""
        d, r = self.terms["debited"], self.terms["returned"]
        return Term(d.count - r.count, d.amount - r.amount)

    @property
    def approved_holds(self) -> bool:
        return self.terms["approved"] == self.sum

    @property
    def paid_holds(self) -> bool:
        return self.terms["paid"] == self.net_debited


def tieout_for(username: str, dimension: str, *, date_from: dt.date | None = None,
               date_to: dt.date | None = None, zone: str = DEFAULT_ZONE) -> list[TieOutRow]:
    """The tie-out `username` may see (anyone signed in; a kabupaten desk: its own kabupaten)."""
    user = acting_user(username, Action.VIEW)
    return tieout(dimension, date_from=date_from, date_to=date_to, zone=zone, scope=claim_scope(user))


def tieout(dimension: str, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
           zone: str = DEFAULT_ZONE, scope: Any = None) -> list[TieOutRow]:
    """One row per group, newest day/batch first (kabupaten by code); at most MAX_ROWS."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    key = _key(dimension, zone)
    amount = fn.COALESCE(PayoutInstruction.amount, 0)
    status, decided = Claim.status, Claim.approved_amount
    conditions = {
        "approved": (Claim.decision == "APPROVED", decided), "queued": (status.in_(QUEUED), decided),
        "instructed": (status == S.INSTRUCTED, amount), "paid": (status == S.PAID, amount),
        "failed": (status == S.PAYOUT_FAILED, amount), "held": (status == S.ON_HOLD, decided),
        "debited": (Claim.debited_on.is_null(False), amount),
        "returned": (PayoutInstruction.result_status == InstructionStatus.RETURNED, amount),
    }
    columns = [key.alias("k")]
    for term, (condition, value) in conditions.items():
        columns.append(fn.SUM(Case(None, [(condition, 1)], 0)).alias(f"{term}_n"))
        columns.append(fn.SUM(Case(None, [(condition, value)], 0)).alias(f"{term}_rp"))
    where = [Claim.status.not_in(EXCLUDED)]
    if scope is not None:
        where.append(scope)
    if date_from:
        where.append(Claim.received_at >= local_midnight_utc(date_from, zone))
    if date_to:
        where.append(Claim.received_at < local_midnight_utc(date_to + dt.timedelta(days=1), zone))
    query = (Claim.select(*columns)
             .join(PayoutInstruction, JOIN.LEFT_OUTER,
                   on=(PayoutInstruction.instruction_id == Claim.instruction_id))
             .where(*where).group_by(SQL("1"))
             .order_by(SQL("1") if dimension == "kabupaten" else SQL("1").desc()).limit(MAX_ROWS))
    rows = []
    for row in query.dicts():
        terms = {t: Term(int(row[f"{t}_n"] or 0), int(row[f"{t}_rp"] or 0)) for t in TERMS}
        rows.append(TieOutRow(_text(row["k"]), terms))
    return rows


def total(rows: Sequence[TieOutRow]) -> TieOutRow:
    """The rows added up (the page's last line)."""
    return TieOutRow("", {t: Term(sum(r.terms[t].count for r in rows), sum(r.terms[t].amount for r in rows))
                          for t in TERMS})


def queue_filter(dimension: str, key: str, term: str, date_from: dt.date | None = None,
                 date_to: dt.date | None = None) -> ClaimFilter:
    """The claim queue's filter showing exactly the claims behind one term of one row: its count is the
    term's count (tested). `date_from`/`date_to`: the page's range of received days, which bounds every
    row; a day row is that day."""
    if dimension == "day" and key:
        date_from = date_to = dt.date.fromisoformat(key)
    return ClaimFilter(statuses=TERM_STATUSES[term], kabupaten=(key,) if dimension == "kabupaten" else (),
                       batch_id=(key or NO_BATCH) if dimension == "batch" else None,
                       received_from=date_from, received_to=date_to, **TERM_FILTERS.get(term, {}))


def write_xlsx(rows: Sequence[TieOutRow], dimension: str, lang: str) -> str:
    """The tie-out as an XLSX file (one line per row, counts and Rupiah, whether each identity
    holds), through the one sheet writer; returns the temporary file's path (the caller deletes it)."""
    def t(key: str, **params: Any) -> str:
        return i18n.t(key, lang, **params)

    header = [t(f"tieout.dim.{dimension}")]
    formats: list[str | None] = [None]
    for term in TERMS:
        header += [f"{t(f'tieout.term.{term}')} ({t('tieout.count')})", f"{t(f'tieout.term.{term}')} (Rp)"]
        formats += ["#,##0", "#,##0"]
    header += [t("tieout.holds_approved"), t("tieout.holds_paid")]
    sheet = XlsxSheet(t("tieout.sheet"), header, formats)
    lines = [(row.key or t("tieout.no_batch"), row) for row in rows] + [(t("tieout.total"), total(rows))]
    for label, row in lines:
        values: list[Any] = [label]
        for term in TERMS:
            values += [row.terms[term].count, row.terms[term].amount]
        values += [t("tieout.yes") if row.approved_holds else t("tieout.no"),
                   t("tieout.yes") if row.paid_holds else t("tieout.no")]
        sheet.append(values)
    return sheet.save_temporary("santunan-rekonsiliasi-")


def _key(dimension: str, zone: str) -> Any:
    if dimension == "kabupaten":
        return Claim.kabupaten_code
    if dimension == "batch":
        return fn.COALESCE(Claim.batch_id, "")
    # The local day: Indonesia keeps no daylight saving, so the zone's offset is one number.
    minutes = int(ZoneInfo(zone).utcoffset(dt.datetime(2026, 1, 1)).total_seconds() // 60)
    if is_postgres():
        return fn.DATE(Claim.received_at + SQL(f"INTERVAL '{minutes} minutes'"))
    return fn.DATE(Claim.received_at, f"{minutes:+d} minutes")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # peewee may read DATE(...) back through the datetime field
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)
