"""peewee models of Santunan NTT, bound to a deferred database at start (`core.db.init_db`).

Times are naive UTC (`utcnow()`), shown in WITA; money is whole Rupiah in BigIntegerField. The schema
is created and changed by the migrations in `core/migrations/`, never by `create_tables` in app code.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

db = DatabaseProxy()


def utcnow() -> dt.datetime:
    """Naive UTC now: the one clock every stored timestamp uses."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class ClaimStatus:
    """Claim.status; moves only through core/claims/states.py. Labels: config/reference.yaml."""
    NEEDS_REVIEW = "NEEDS_REVIEW"
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    READY = "READY"
    ON_HOLD = "ON_HOLD"
    INSTRUCTED = "INSTRUCTED"
    PAID = "PAID"
    PAYOUT_FAILED = "PAYOUT_FAILED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    ALL = (NEEDS_REVIEW, AWAITING_APPROVAL, READY, ON_HOLD, INSTRUCTED, PAID, PAYOUT_FAILED,
           REJECTED, CANCELLED)


class FileStatus:  # BatchFile.status
    RECEIVED = "RECEIVED"  # IN (downloaded): while its records are applied; then one of the five below
    PROCESSED = "PROCESSED"
    PROCESSED_WITH_ERRORS = "PROCESSED_WITH_ERRORS"
    REJECTED = "REJECTED"
    DUPLICATE = "DUPLICATE"
    IGNORED = "IGNORED"
    RECORDED = "RECORDED"  # OUT (written by us): lines recorded; file WRITTEN (sha256 set); DELIVERED
    WRITTEN = "WRITTEN"
    DELIVERED = "DELIVERED"
    IN = (RECEIVED, PROCESSED, PROCESSED_WITH_ERRORS, REJECTED, DUPLICATE, IGNORED)
    APPLIED = (RECEIVED, PROCESSED, PROCESSED_WITH_ERRORS)  # its records are (being) applied
    UNDELIVERED = (RECORDED, WRITTEN)  # an outgoing file still to write or deliver


class BatchStatus:  # PayoutBatch.status: RECORDED -> WRITTEN -> DELIVERED -> COMPLETE (all results in)
    RECORDED = "RECORDED"
    WRITTEN = "WRITTEN"
    DELIVERED = "DELIVERED"
    COMPLETE = "COMPLETE"


class InstructionStatus:  # PayoutInstruction.result_status: SENT -> SUCCESS / FAILED; SUCCESS -> RETURNED
    SENT = "SENT"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    RETURNED = "RETURNED"
    LIVE = (SENT, SUCCESS)  # the bank may still pay it, or has paid it


class RunOutcome:  # JobRun.outcome: RUNNING until the run ends
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    SUCCEEDED_WITH_WARNINGS = "SUCCEEDED_WITH_WARNINGS"
    FAILED = "FAILED"


class Role:
    VIEWER = "viewer"
    COORDINATOR = "coordinator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    ALL = (VIEWER, COORDINATOR, SUPERVISOR, ADMIN)  # in increasing power


class User(BaseModel):
    username = CharField(max_length=64, unique=True)
    full_name = CharField(max_length=120, default="")
    password_hash = CharField(max_length=255)
    role = CharField(max_length=16)
    active = BooleanField(default=True)
    must_change_password = BooleanField(default=False)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    kabupaten_codes = CharField(max_length=200, null=True)  # "5301,5371": sees those only (section 8)


class Worker(BaseModel):
    """A pekerja rentan enrolled by the province; one worker, many claims."""
    kpj = CharField(max_length=11, unique=True)
    nik = CharField(max_length=16, index=True)
    name = CharField(max_length=100)
    kabupaten_code = CharField(max_length=4)
    occupation = CharField(max_length=40)


class JobRun(BaseModel):
    """One run of one job, recorded before it starts and updated when it ends."""
    job = CharField(max_length=32)
    trigger = CharField(max_length=10)  # schedule / manual / retry
    user = ForeignKeyField(User, null=True, backref="job_runs", on_delete="SET NULL")
    scheduled_for = DateTimeField(null=True)
    attempt = IntegerField(default=1)
    retry_of = ForeignKeyField("self", null=True, backref="retries", on_delete="SET NULL")
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    outcome = CharField(max_length=24, default=RunOutcome.RUNNING)
    counts = TextField(default="{}")  # JSON
    log = TextField(default="")
    error = TextField(null=True)  # in plain words, with what to do next
    error_cause = CharField(max_length=32, null=True)  # host_key_changed, auth_failed, ...
    host = CharField(max_length=120, null=True)  # process that ran it
    handled_at = DateTimeField(null=True)  # a failed run a person dealt with: when, who, what was done
    handled_by = CharField(max_length=64, null=True)
    handled_note = TextField(null=True)

    class Meta:  # (job, scheduled_for) unique: a scheduled time fires once, across processes
        indexes = ((("job", "started_at"), False), (("outcome", "started_at"), False),
                   (("job", "scheduled_for"), True))


class BatchFile(BaseModel):
    """A file received from or sent to a partner; one row per file, recorded before acting."""
    direction = CharField(max_length=3)  # IN (downloaded) or OUT (written by us)
    partner = CharField(max_length=16)  # bpjs / bank
    file_type = CharField(max_length=32)
    name = CharField(max_length=200)
    sha256 = CharField(max_length=64, null=True)
    file_id = CharField(max_length=64, null=True)
    status = CharField(max_length=24)  # FileStatus
    record_count = IntegerField(default=0)
    control_total = BigIntegerField(default=0)
    applied_count = IntegerField(default=0)
    error_count = IntegerField(default=0)
    # IN: the last line whose record was applied (or reported), committed with it: a run that crashed
    # mid-file resumes after it, so no record is applied twice or skipped. NULL (bulk-inserted) means 0.
    applied_through_line = IntegerField(null=True, default=0)
    error = TextField(null=True)
    local_path = CharField(max_length=500, null=True)
    duplicate_of = ForeignKeyField("self", null=True, backref="duplicates", on_delete="SET NULL")
    ignore_reason = TextField(null=True)
    job_run = ForeignKeyField(JobRun, null=True, backref="files", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    processed_at = DateTimeField(null=True)
    delivered_at = DateTimeField(null=True)
    handled_at = DateTimeField(null=True)  # a rejected/quarantined file a person dealt with
    handled_by = CharField(max_length=64, null=True)
    handled_note = TextField(null=True)

    class Meta:
        indexes = ((("direction", "partner", "name"), False), (("sha256",), False),
                   (("partner", "file_type", "file_id"), False), (("created_at",), False))


class RecordError(BaseModel):
    batch_file = ForeignKeyField(BatchFile, backref="record_errors", on_delete="CASCADE")
    line_no = IntegerField()
    field = CharField(max_length=64, null=True)
    value = CharField(max_length=200, null=True)
    message = TextField()


class PayoutBatch(BaseModel):
    """One PAYOUT_INSTRUCTION file to Bank NTT. Immutable once recorded."""
    batch_id = CharField(max_length=32, unique=True)
    file = ForeignKeyField(BatchFile, null=True, backref="batches", on_delete="RESTRICT")
    instruction_count = IntegerField(default=0)
    total_amount = BigIntegerField(default=0)
    status = CharField(max_length=16, default=BatchStatus.WRITTEN)
    created_at = DateTimeField(default=utcnow)
    delivered_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    overdue_alerted_at = DateTimeField(null=True)


class Claim(BaseModel):
    """One payable BPJS decision (claim_no); several claims share a case_no. Indexes: migration 0002."""
    claim_no = CharField(max_length=30, unique=True)
    revision = IntegerField()
    case_no = CharField(max_length=40)  # indexed by (case_no, benefit_type, status)
    worker = ForeignKeyField(Worker, null=True, backref="claims", on_delete="RESTRICT", index=False)
    kpj = CharField(max_length=11, index=True)
    nik = CharField(max_length=16, index=True)
    worker_name = CharField(max_length=100)
    kabupaten_code = CharField(max_length=4)
    occupation = CharField(max_length=40)
    accident_date = DateField()
    benefit_type = CharField(max_length=40)
    decision = CharField(max_length=10)
    approved_amount = BigIntegerField()
    decision_reason = TextField(null=True)
    beneficiary_name = CharField(max_length=100)
    beneficiary_relation = CharField(max_length=20)  # FUNERAL_ORGANISER is 17 characters
    beneficiary_nik = CharField(max_length=16)
    account_holder_name = CharField(max_length=100, null=True)  # set only when not the beneficiary (7)
    bank_code = CharField(max_length=3, null=True)
    account_no = CharField(max_length=20, null=True, index=True)  # the shared-account check (0016)
    verified_at = DateTimeField()
    payment_due_date = DateField(null=True)  # BPJS's payment duty (core.claims.payment_duty); intake sets it

    status = CharField(max_length=20)
    status_changed_at = DateTimeField(default=utcnow)
    hold_reason = TextField(null=True)
    review_reason = TextField(null=True)  # why the pre-payout checks stopped it
    flagged = BooleanField(default=False)  # needs a coordinator's eye (late correction, contradiction)
    flag_reason = TextField(null=True)
    # Four-eyes: a bank-detail correction waits here until a different user approves it.
    pending_bank_code = CharField(max_length=3, null=True)
    pending_account_no = CharField(max_length=20, null=True)
    pending_account_holder_name = CharField(max_length=100, null=True)
    pending_change_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    # What a second person approved (amount + bank details); any change needs approval again.
    approved_by = CharField(max_length=64, null=True)
    approved_fingerprint = CharField(max_length=64, null=True)

    # Payout trail (denormalised from the current instruction for queues and export).
    instruction_id = CharField(max_length=32, null=True)
    batch_id = CharField(max_length=32, null=True)
    bank_reference = CharField(max_length=64, null=True)
    paid_date = DateField(null=True)
    failure_code = CharField(max_length=32, null=True)
    debited_on = DateField(null=True)  # value date of the statement debit that matched (section 10)
    # Each final outcome goes to BPJS once: set on reaching PAID or PAYOUT_FAILED, cleared once reported.
    report_pending = BooleanField(default=False)
    reported_status = CharField(max_length=10, null=True)
    reported_at = DateTimeField(null=True)
    source_file = ForeignKeyField(BatchFile, null=True, backref="claims", on_delete="SET NULL", index=False)
    source_line = IntegerField(null=True)
    received_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            # queue pages: status, newest first; due date: the payment-duty queue skips in the index (0014)
            (("status", "received_at", "payment_due_date"), False),
            (("status", "kabupaten_code", "received_at"), False), (("status", "claim_no"), False),
            (("kabupaten_code", "received_at"), False),
            # queue sorts in a status (id breaks ties: no sort on PostgreSQL either); totals: claim_tally
            (("status", "approved_amount", "id"), False), (("status", "worker_name", "id"), False),
            (("approved_amount", "id"), False),
            (("case_no", "benefit_type", "status"), False), (("received_at",), False),
            (("worker_name",), False), (("beneficiary_nik",), False),
            (("status", "payment_due_date", "approved_amount"), False),  # past the payment duty; its sum
        )


# Partial indexes over columns empty or false for almost every claim (why: migration 0002). Queries
# must use the same condition (a bare `Claim.flagged`, not `== True`), or the index cannot serve them.
PARTIAL_INDEXES = (
    Claim.index(Claim.status, name="claim_flagged_status").where(Claim.flagged),
    Claim.index(Claim.received_at, name="claim_flagged_received_at").where(Claim.flagged),
    Claim.index(Claim.id, name="claim_report_pending").where(Claim.report_pending),
    Claim.index(Claim.batch_id, name="claim_batch_id").where(Claim.batch_id.is_null(False)),
    Claim.index(Claim.pending_change_by, name="claim_pending_change_by_id")
    .where(Claim.pending_change_by.is_null(False)),
)
for _index in PARTIAL_INDEXES:
    Claim.add_index(_index)


class ClaimEvent(BaseModel):
    """Append-only trail of everything that happened to a claim. Never updated or deleted."""
    claim = ForeignKeyField(Claim, backref="events", on_delete="RESTRICT", index=False)  # (claim, at) serves
    at = DateTimeField(default=utcnow)
    actor = CharField(max_length=64)  # username, or "job:bpjs_pull"
    action = CharField(max_length=40)
    from_status = CharField(max_length=20, null=True)
    to_status = CharField(max_length=20, null=True)
    reason = TextField(null=True)
    details = TextField(null=True)  # JSON
    prev_hash = CharField(max_length=64, null=True)  # the money events' hash chain (core/audit_chain.py)
    hash = CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("claim", "at"), False),)


class PayoutInstruction(BaseModel):
    """One line of a PAYOUT_INSTRUCTION file; a resend gets a new row and a new id."""
    instruction_id = CharField(max_length=32, unique=True)
    batch = ForeignKeyField(PayoutBatch, backref="instructions", on_delete="RESTRICT", index=False)
    claim = ForeignKeyField(Claim, backref="instructions", on_delete="RESTRICT", index=False)
    beneficiary_name = CharField(max_length=100)
    bank_code = CharField(max_length=3)
    account_no = CharField(max_length=20)
    amount = BigIntegerField()
    remark = CharField(max_length=35)
    line_no = IntegerField(default=0)
    result_status = CharField(max_length=10, default=InstructionStatus.SENT)
    bank_reference = CharField(max_length=64, null=True)
    value_date = DateField(null=True)
    failure_code = CharField(max_length=32, null=True)
    failure_reason = TextField(null=True)
    result_file = ForeignKeyField(BatchFile, null=True, backref="results", on_delete="SET NULL",
                                  index=False)  # partial index below: NULL until the bank answers
    result_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("claim", "result_status"), False), (("batch", "result_status"), False))


PayoutInstruction.add_index(PayoutInstruction.index(
    PayoutInstruction.result_file, name="payoutinstruction_result_file_id")
    .where(PayoutInstruction.result_file.is_null(False)))


class StatusReport(BaseModel):
    """One line of a PAYOUT_STATUS file sent to BPJS."""
    file = ForeignKeyField(BatchFile, backref="status_lines", on_delete="RESTRICT")
    claim = ForeignKeyField(Claim, backref="status_reports", on_delete="RESTRICT")
    status = CharField(max_length=10)  # PAID / FAILED
    amount = BigIntegerField()
    bank_reference = CharField(max_length=64, null=True)
    paid_date = DateField(null=True)
    failure_code = CharField(max_length=32, null=True)


class Alert(BaseModel):
    kind = CharField(max_length=32)  # job_failed, overdue_results, file_rejected, payment_duty
    subject = CharField(max_length=200)
    message = TextField()
    job_run = ForeignKeyField(JobRun, null=True, backref="alerts", on_delete="SET NULL")
    batch = ForeignKeyField(PayoutBatch, null=True, backref="alerts", on_delete="SET NULL")
    batch_file = ForeignKeyField(BatchFile, null=True, backref="alerts", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    emailed_at = DateTimeField(null=True)
    acknowledged_at = DateTimeField(null=True)
    acknowledged_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    acknowledge_note = TextField(null=True)

    class Meta:
        indexes = ((("acknowledged_at", "created_at"), False),)


class AuditLog(BaseModel):
    """Append-only log of user actions (logins, approvals, downloads, job runs...)."""
    at = DateTimeField(default=utcnow)
    username = CharField(max_length=64, null=True)
    action = CharField(max_length=48)
    target = CharField(max_length=200, null=True)
    details = TextField(null=True)  # JSON
    ip = CharField(max_length=64, null=True)
    prev_hash = CharField(max_length=64, null=True)  # the hash chain, SHA-256 hex: core/audit_chain.py
    hash = CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("at",), False), (("username", "at"), False), (("action", "at"), False))


class SchedulerLock(BaseModel):
    """Which job of which process is running; guards manual runs across processes on SQLite."""
    job = CharField(max_length=32, primary_key=True)
    run = ForeignKeyField(JobRun, null=True, backref="+", on_delete="SET NULL")
    holder = CharField(max_length=120, null=True)
    since = DateTimeField(null=True)


class JobPause(BaseModel):
    """A supervisor paused a job's schedule; kept in the database so it survives restarts."""
    job = CharField(max_length=32, primary_key=True)
    paused_by = CharField(max_length=64)
    paused_at = DateTimeField(default=utcnow)
    reason = TextField(null=True)


class Counter(BaseModel):
    """Named sequences (batch numbers, file sequence per day) that survive restarts."""
    name = CharField(max_length=64, primary_key=True)
    value = BigIntegerField(default=0)


ALL_MODELS = [User, Worker, JobRun, BatchFile, RecordError, PayoutBatch, Claim, ClaimEvent,
              PayoutInstruction, StatusReport, Alert, AuditLog, SchedulerLock, JobPause, Counter]
