"""Read queries of the coordinator app: claim queues, search, dashboard aggregates, claim detail.

Written for 1,000,000 claims: every filter and sort the queue offers is served by an index
of `models.Claim` (see benchmarks/ui_queries.py for the figures), pages are fetched with
LIMIT/OFFSET and only the columns a page shows. Functions here are synchronous and do
database work: the UI calls them through `run.io_bound`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import SQL, fn

from core.alerts import open_alerts as unacknowledged
from core.claims import name_search, status_merge, tally
from core.claims.duty_count import past_duty_totals
from core.claims.search_box import is_name, search_condition
from core.claims.statuses import UNPAID
from core.db import in_values
from core.text.fmt import DEFAULT_ZONE, local_midnight_utc, local_today
from models import (
    Alert,
    Claim,
    ClaimStatus,
    InstructionStatus,
    JobRun,
    PayoutInstruction,
)

S = ClaimStatus
SORTS: dict[str, Any] = {
    "received_at": Claim.received_at,
    "status_changed_at": Claim.status_changed_at,
    "claim_no": Claim.claim_no,
    "worker_name": Claim.worker_name,
    "approved_amount": Claim.approved_amount,
    "kabupaten_code": Claim.kabupaten_code,
    "status": Claim.status,
}
PAGE_SIZES = (10, 25, 50, 100)
# COUNT(*), not COUNT(id): PostgreSQL can then answer from a covering index alone (index-only scan).
COUNT_ALL = fn.COUNT(SQL("*"))
PAGE_COLUMNS = (Claim.id, Claim.claim_no, Claim.case_no, Claim.worker_name, Claim.nik, Claim.kpj,
                Claim.kabupaten_code, Claim.benefit_type, Claim.approved_amount, Claim.status,
                Claim.received_at, Claim.status_changed_at, Claim.flagged, Claim.hold_reason,
                Claim.review_reason, Claim.failure_code, Claim.payment_due_date)
NO_BATCH = "-"  # `batch=-`: the claims never sent in a batch (the tie-out's "no batch" row)
DECISIONS = ("APPROVED", "REJECTED")  # BPJS's decision (config/layouts/verified_claims.yaml)
YES_NO, FLAGS = {True: "1", False: "0"}, {"1": True, "0": False}  # `debited=1|0`, `returned=1|0`
RETURNED_INSTRUCTIONS = PayoutInstruction.select(PayoutInstruction.instruction_id) \
    .where(PayoutInstruction.result_status == InstructionStatus.RETURNED)


@dataclass(frozen=True)
class Duty:
    """Where "today" is for the payment duty and the date filters: the programme's zone. A claim is past
    its duty while unpaid with `payment_due_date` before today: one rule for the queue, dashboard, alert."""

    zone: str = DEFAULT_ZONE

    def today(self, today: dt.date | None = None) -> dt.date:
        return today or local_today(self.zone)

    def past(self, today: dt.date | None = None) -> Any:
        """The condition "unpaid and past its due date" (index: status, payment_due_date, approved_amount)."""
        return Claim.status.in_(UNPAID) & (Claim.payment_due_date < self.today(today))


@dataclass(frozen=True)
class ClaimFilter:
    """What a queue shows; also the target of "all N matching" bulk actions and exports."""

    statuses: tuple[str, ...] = ()
    kabupaten: tuple[str, ...] = ()
    benefit_types: tuple[str, ...] = ()
    received_from: dt.date | None = None  # local calendar days, inclusive
    received_to: dt.date | None = None
    flagged: bool = False  # only claims flagged for a coordinator
    past_duty: bool = False  # only unpaid claims past the payment duty
    batch_id: str | None = None  # NO_BATCH: claims without a batch
    search: str = ""
    decision: str | None = None  # BPJS's decision; these three make the tie-out's links exact
    debited: bool | None = None  # a statement debit matched (`debited_on`); None: either
    returned: bool | None = None  # the current instruction's result is RETURNED; None: either
    # The kabupaten desk (contract section 8): None = the whole province. Set by `desk.scope.scoped`
    # from the user's account, never from an address: `to_params`/`from_params` leave it out.
    scope: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return self == ClaimFilter(scope=self.scope)

    def to_params(self) -> dict[str, str]:
        """URL query parameters (the inverse of `from_params`), empty values left out."""
        params = {
            "status": ",".join(self.statuses), "kab": ",".join(self.kabupaten),
            "benefit": ",".join(self.benefit_types),
            "from": self.received_from.isoformat() if self.received_from else "",
            "to": self.received_to.isoformat() if self.received_to else "",
            "flagged": "1" if self.flagged else "", "duty": "1" if self.past_duty else "",
            "batch": self.batch_id or "", "q": self.search, "decision": self.decision or "",
            "debited": YES_NO.get(self.debited, ""), "returned": YES_NO.get(self.returned, ""),
        }
        return {k: v for k, v in params.items() if v}

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, statuses: frozenset[str] = frozenset(S.ALL),
                    kabupaten: frozenset[str] | None = None,
                    benefit_types: frozenset[str] | None = None) -> ClaimFilter:
        """Read URL parameters, silently dropping unknown codes and malformed dates."""
        def codes(name: str, allowed: frozenset[str] | None) -> tuple[str, ...]:
            values = [v.strip() for v in params.get(name, "").split(",") if v.strip()]
            return tuple(v for v in values if allowed is None or v in allowed)

        return cls(
            statuses=codes("status", statuses), kabupaten=codes("kab", kabupaten),
            benefit_types=codes("benefit", benefit_types),
            received_from=_date(params.get("from")), received_to=_date(params.get("to")),
            flagged=params.get("flagged") == "1", past_duty=params.get("duty") == "1",
            batch_id=(params.get("batch") or "").strip() or None,
            search=(params.get("q") or "").strip()[:100],
            decision=params.get("decision") if params.get("decision") in DECISIONS else None,
            debited=FLAGS.get(params.get("debited", "")), returned=FLAGS.get(params.get("returned", "")),
        )


@dataclass(frozen=True)
class ClaimPage:
    rows: list[dict[str, Any]]
    total: int


def filtered(f: ClaimFilter, duty: Duty = Duty(), today: dt.date | None = None, columns=()):
    """The claims matching `f` (a peewee query, unordered)."""
    query = Claim.select(*columns) if columns else Claim.select()
    where = conditions(f, duty, today)
    return query.where(*where) if where else query


def conditions(f: ClaimFilter, duty: Duty = Duty(), today: dt.date | None = None) -> list[Any]:
    where: list[Any] = scope_conditions(f.scope)
    statuses = f.statuses
    if f.past_duty:
        statuses = queue_statuses(f) or ("-",)
        where.append(Claim.payment_due_date < duty.today(today))
    if statuses:
        where.append(Claim.status == statuses[0] if len(statuses) == 1 else Claim.status.in_(statuses))
    if f.kabupaten:
        where.append(Claim.kabupaten_code.in_(f.kabupaten))
    if f.benefit_types:
        where.append(Claim.benefit_type.in_(f.benefit_types))
    if f.received_from:
        where.append(Claim.received_at >= local_midnight_utc(f.received_from, duty.zone))
    if f.received_to:
        where.append(Claim.received_at < local_midnight_utc(f.received_to + dt.timedelta(days=1), duty.zone))
    if f.flagged:
        where.append(Claim.flagged)  # bare: the partial indexes' WHERE (models.Claim)
    if f.batch_id:
        where.append(Claim.batch_id.is_null() if f.batch_id == NO_BATCH else Claim.batch_id == f.batch_id)
    if f.decision:
        where.append(Claim.decision == f.decision)
    if f.debited is not None:
        where.append(Claim.debited_on.is_null(not f.debited))
    if f.returned is not None:
        returned = Claim.instruction_id.in_(RETURNED_INSTRUCTIONS)
        where.append(returned if f.returned else (Claim.instruction_id.is_null() | ~returned))
    if f.search:
        where.append(search_condition(f.search))
    return where


def queue_statuses(f: ClaimFilter) -> tuple[str, ...]:
    """The statuses `f` asks for (empty: any); past the duty, only the unpaid among them."""
    return tuple(s for s in (f.statuses or UNPAID) if s in UNPAID) if f.past_duty else f.statuses


def scope_conditions(scope: Sequence[str] | None) -> list[Any]:
    """The kabupaten desk's condition (none for the whole province; an empty desk matches nothing)."""
    return [] if scope is None else [Claim.kabupaten_code.in_(tuple(scope) or ("-",))]


def claims_page(f: ClaimFilter, *, sort_by: str = "received_at", descending: bool = True, page: int = 1,
                per_page: int = 25, duty: Duty = Duty(), today: dt.date | None = None,
                known_total: int | None = None) -> ClaimPage:
    """One page of a queue plus the exact number of matching claims.

    Paging and sorting do not change the number: pass the `known_total` of the same filter
    to skip counting again (at 1,000,000 claims the count is most of a page's cost).
    """
    column = SORTS.get(sort_by, Claim.received_at)
    order = (column.desc(), Claim.id.desc()) if descending else (column.asc(), Claim.id.asc())
    per_page = per_page if per_page in PAGE_SIZES else 25
    page = max(1, page)
    statuses = queue_statuses(f)
    few, named = None, None
    if status_merge.mergeable(statuses, sort_by, f.search):  # several statuses: one sorted read each
        def part(status: str) -> Any:  # past the duty: the due date is checked in the sort's index
            query = filtered(replace(f, statuses=(status,), past_duty=False), duty, today, PAGE_COLUMNS)
            due = status_merge.in_order(Claim.payment_due_date) < duty.today(today)
            return query.where(due) if f.past_duty else query
        rows = status_merge.merged_page(statuses, part, column, descending, (page - 1) * per_page, per_page)
    else:
        few, named = _few_named(f)
        query = filtered(f if few is None else replace(f, search=""), duty, today, PAGE_COLUMNS)
        if few is not None:  # those claims read by id and sorted: not the whole sort index scanned
            query = query.where(in_values(Claim.id, few))
            ordered = status_merge.in_order(column)
            order = (ordered.desc(), Claim.id.desc()) if descending else (ordered.asc(), Claim.id.asc())
        rows = list(query.order_by(*order).limit(per_page).offset((page - 1) * per_page).dicts())
    if known_total is not None:
        total = known_total
    elif len(rows) < per_page and page == 1:
        total = len(rows)
    elif named is not None and _name_only(f):
        total = named
    elif few is not None:
        total = query.order_by().limit(None).offset(None).count()
    else:
        total = count(f, duty, today)
    return ClaimPage(rows, total)


FEW_NAMED = 5000  # a name in at most this many claims: its page is read by id


def _few_named(f: ClaimFilter) -> tuple[list[int] | None, int | None]:
    """A name search's matches counted in its index, and their ids when at most FEW_NAMED ("Theresia
    Fernandez", 551 of 1,000,000: read in received_at order, 2,000 claims walked per match, SQLite
    60 ms, PostgreSQL 350 ms; by id, 5-25 ms). Many matches are found early in the sort's order."""
    if not f.search or not is_name(f.search):
        return None, None
    return name_search.matching_ids(f.search, FEW_NAMED)


def _name_only(f: ClaimFilter) -> bool:
    return bool(f.search) and replace(f, search="").is_empty() and f.scope is None


def count(f: ClaimFilter, duty: Duty = Duty(), today: dt.date | None = None) -> int:
    indexed = name_search.count(f.search) if _name_only(f) and is_name(f.search) else None
    if indexed is not None:  # a name only: counted in its index, no claim read
        return indexed
    return count_and_total(f, duty, today, total=False)[0]


def count_and_total(f: ClaimFilter, duty: Duty = Duty(), today: dt.date | None = None,
                    total: bool = True) -> tuple[int, int]:
    """Exact count and Rupiah total of the claims matching `f` (the "all N matching" preview);
    total=False: the count alone, which an index may cover (a month of claims: 40 ms -> 5 ms)."""
    if replace(f, statuses=(), kabupaten=(), benefit_types=(), past_duty=False).is_empty():
        # statuses, kabupaten and benefits only: the tally's few hundred rows, not 500,000 index entries
        codes = f.kabupaten or f.scope
        if f.scope is not None:
            codes = tuple(c for c in codes if c in f.scope)
        if f.past_duty:  # the tally minus the claims not yet due, or those counted: the smaller side
            return past_duty_totals(queue_statuses(f) or ("-",), duty.today(today), codes, f.benefit_types)
        return tally.counts(f.statuses, codes, f.benefit_types)
    if not total:
        return int(filtered(f, duty, today, (COUNT_ALL,)).scalar()), 0
    row = filtered(f, duty, today, (COUNT_ALL, fn.COALESCE(fn.SUM(Claim.approved_amount), 0))) \
        .tuples().get()
    return int(row[0]), int(row[1])


# -- dashboard ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DutySummary:
    count: int
    total: int
    today: dt.date
    oldest: list[dict[str, Any]] = field(default_factory=list)  # earliest due first


@dataclass(frozen=True)
class KabupatenRow:
    code: str
    claims: int = 0
    unpaid: int = 0
    paid: int = 0
    paid_amount: int = 0


@dataclass(frozen=True)
class Dashboard:
    by_status: dict[str, tuple[int, int]]  # status -> (count, Rupiah total)
    paid_by_kabupaten: list[tuple[str, int, int]]  # (code, count, total), largest total first
    past_duty: DutySummary
    last_runs: dict[str, JobRun | None]
    open_alert_count: int
    open_alerts: list[Alert]
    # every kabupaten/kota asked for (all 22 of the reference, zero included), in that order
    by_kabupaten: list[KabupatenRow] = field(default_factory=list)


def dashboard(duty: Duty = Duty(), today: dt.date | None = None, alert_limit: int = 10,
              job_ids: Sequence[str] = (), scope: Sequence[str] | None = None,
              kabupaten: Sequence[str] = ()) -> Dashboard:
    """`job_ids`: the job registry's, in its order (core does not import jobs). `scope`: the kabupaten
    desk (None: the province). `kabupaten`: the codes to list in `by_kabupaten`, zero included (the
    reference's 22; narrowed to the scope)."""
    alerts, alert_count = open_alerts(alert_limit)
    by_status, paid, groups = _status_by_kabupaten(scope)
    listed = [c for c in kabupaten if scope is None or c in scope]
    return Dashboard(by_status, paid, past_duty_summary(duty, today, scope=scope), last_runs(job_ids),
                     alert_count, alerts, _kabupaten_rows(listed, groups))


def _status_by_kabupaten(scope: Sequence[str] | None):
    """The status cards, the paid chart and the kabupaten table, from the claim tally (tally.py:
    a few hundred rows where the claims' index held a million entries)."""
    by_status = dict.fromkeys(S.ALL, (0, 0))
    paid: list[tuple[str, int, int]] = []
    groups = tally.by_status_and_kabupaten(scope)
    for status, code, n, total in groups:
        count, amount = by_status.get(status, (0, 0))
        by_status[status] = (count + n, amount + total)
        if status == S.PAID:
            paid.append((code, n, total))
    return by_status, sorted(paid, key=lambda r: (-r[2], r[0])), groups


def _kabupaten_rows(codes: Sequence[str], groups: list[tuple[str, str, int, int]]) -> list[KabupatenRow]:
    """One row per listed code, zero included: the unreached kabupaten must show, not vanish."""
    sums: dict[str, list[int]] = {c: [0, 0, 0, 0] for c in codes}
    for status, code, n, total in groups:
        if code in sums:
            row = sums[code]
            row[0] += n
            row[1] += n if status in UNPAID else 0
            if status == S.PAID:
                row[2] += n
                row[3] += total
    return [KabupatenRow(c, *sums[c]) for c in codes]


def past_duty_summary(duty: Duty = Duty(), today: dt.date | None = None, limit: int = 5,
                      scope: Sequence[str] | None = None) -> DutySummary:
    """Unpaid claims past their due date (`Duty.past`, the queue filter's condition, so the numbers agree):
    count, Rupiah total and the `limit` longest overdue."""
    today = duty.today(today)
    n, total = past_duty_totals(tuple(UNPAID), today, scope)
    # one read per status in the order of its index (status, payment_due_date, approved_amount)
    # (status_merge): not a sort of all 315,000 overdue claims, nor of one day's ties
    columns = (Claim.id, Claim.claim_no, Claim.worker_name, Claim.approved_amount, Claim.status,
               Claim.received_at, Claim.payment_due_date)
    oldest = status_merge.merged_page(UNPAID, lambda status: Claim.select(*columns).where(
        Claim.status == status, Claim.payment_due_date < today, *scope_conditions(scope)),
        (Claim.payment_due_date, Claim.approved_amount), False, 0, limit)
    return DutySummary(int(n), int(total), today, oldest)


def last_runs(job_ids: Sequence[str]) -> dict[str, JobRun | None]:
    """The latest run of each of `job_ids` (running or finished)."""
    return {job: JobRun.select().where(JobRun.job == job).order_by(JobRun.started_at.desc()).first()
            for job in job_ids}


def open_alerts(limit: int = 10) -> tuple[list[Alert], int]:
    return list(unacknowledged().limit(limit)), unacknowledged().count()


def open_alert_count() -> int:
    return Alert.select().where(Alert.acknowledged_at.is_null()).count()


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
