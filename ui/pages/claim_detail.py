"""/klaim/{claim_no}: everything about one claim, its history, its payout attempts, and what may be done."""

from __future__ import annotations

from nicegui import ui

from core.claims.checks import holder_looks_unrelated, payee_name
from core.claims.detail import ClaimDetail
from core.claims.payment_duty import PaymentDuty
from core.claims.statuses import UNPAID
from core.context import AppContext
from core.text import fmt, i18n
from desk.claims import BankDetails, ClaimAction, available
from desk.masking import mask_for, mask_text
from desk.refusal import Refused
from desk.scope import claim_detail_for
from desk.views.history import event_sentence
from models import Claim, ClaimStatus, InstructionStatus
from ui import session as sess
from ui.components.action_dialog import ActionDialog, action_button
from ui.frame import Page, desk_page, status_badge
from ui.pages.reports import receipt_button
from ui.session import Session

R = InstructionStatus
RESULT_COLORS = {R.SENT: "blue-7", R.SUCCESS: "green-8", R.FAILED: "red-7", R.RETURNED: "deep-orange-8"}


def register(ctx: AppContext) -> None:
    @desk_page(ctx, "/klaim/{claim_no}", "claim.title", active="/klaim")
    async def claim_page(page: Page, claim_no: str) -> None:
        page.title(claim_no=claim_no)
        try:  # the kabupaten desk is checked on the server (desk.scope): another kabupaten's claim is refused
            detail = await sess.db_call(claim_detail_for, page.session.username, claim_no)
        except Refused as exc:
            ui.label(exc.message(page.session.lang)).classes("text-negative").mark("scope-refused")
            return
        if detail is None:
            page.not_found("claim.not_found", claim_no=claim_no)
            return
        ClaimPage(ctx, page.session, detail, page.content).build()


class ClaimPage:
    def __init__(self, ctx: AppContext, session: Session, detail: ClaimDetail, content: ui.column):
        self.ctx, self.session, self.detail, self.content = ctx, session, detail, content

    def build(self) -> None:
        self._summary()
        self._actions()
        with ui.grid().classes("w-full gap-3 grid-cols-1 md:grid-cols-2"):
            self._claim_card()
            self._worker_card()
            self._bank_card()
            self._source_card()
        self._case()
        self._attempts()
        self._timeline()

    # -- header and actions -----------------------------------------------------------
    def _summary(self) -> None:
        c, t = self.detail.claim, self.session.t
        with ui.row().classes("items-center gap-3"):
            status_badge(self.session, c.status).mark("claim-status")
            ui.label(fmt.rupiah(c.approved_amount)).classes("text-h5").mark("claim-amount")
            ui.label(self.session.label("benefit_type", c.benefit_type)).classes("text-body1")
        reasons = (("claim.hold_reason", c.hold_reason, "amber-9"),
                   ("claim.review_reason", c.review_reason, "orange-9"),
                   ("claim.flag_reason", c.flag_reason if c.flagged else None, "negative"))
        for text_key, value, color in reasons:
            if value:  # a flag reason quotes the old and new NIK or account number: masked for viewers
                ui.label(t(text_key, reason=self._text(value))) \
                    .classes(f"text-body1 text-{color}").mark(text_key)
        if c.pending_account_no or c.pending_bank_code:
            ui.label(t("claim.pending_change", bank_code=c.pending_bank_code or "",
                       account_no=self._account(c.pending_account_no),
                       name=c.pending_account_holder_name or "", user=self.detail.pending_change_by or "-")) \
                .classes("text-body1 text-deep-purple-7").mark("pending-change")
        self._holder_warning(c)
        if c.payment_due_date and (c.status in UNPAID or c.status == ClaimStatus.PAID):
            self._duty_line(c)

    def _holder_warning(self, c: Claim) -> None:
        """Contract section 7: the account holder apart from BPJS's beneficiary; warn when the names look
        unrelated (the holder recorded, or the one a pending correction would record)."""
        threshold = self.ctx.settings.holder_name_similarity
        for holder in dict.fromkeys(h for h in (c.account_holder_name, c.pending_account_holder_name) if h):
            probe = Claim(beneficiary_name=c.beneficiary_name, account_holder_name=holder)
            if holder_looks_unrelated(probe, threshold):
                text = self.session.t("claim.holder_unrelated", holder=holder, beneficiary=c.beneficiary_name)
                ui.label(text).classes("text-body1 text-negative").mark("holder-unrelated")

    def _duty_line(self, c: Claim) -> None:
        """Due date, days late and the holidays that moved the due date or fell while it was late:
        the stored `payment_due_date` and the one count of `PaymentDuty`, as the queue and alert use."""
        s, t = self.session, self.session.t
        duty = PaymentDuty.of(self.ctx.settings, self.ctx.reference)
        today = fmt.local_today(s.zone)
        due = c.payment_due_date
        late = duty.claim_days_late(c.status, due, c.paid_date, today)
        date = fmt.date(due, s.lang)
        if c.status in UNPAID:
            key = "claim.duty_late" if late else "claim.duty_due"
        else:
            key = "claim.duty_paid_late" if late else "claim.duty_paid_in_time"
        ui.label(t(key, date=date, days=late, duty=duty.days(c.benefit_type))) \
            .classes("text-negative" if late else "text-grey-8").mark("duty")
        until = max(due, c.paid_date or today) if late else due
        holidays = duty.holidays_in(c.verified_at, until)
        if holidays:
            days = ", ".join(f"{fmt.date(day, s.lang)} ({name})" for day, name in holidays)
            ui.label(t("claim.duty_holidays", days=days)).classes("text-caption text-grey-8") \
                .mark("duty-holidays")

    def _actions(self) -> None:
        c = self.detail.claim
        actions = available(c)
        with ui.row().classes("gap-2").mark("claim-actions"):
            for action in actions:
                action_button(self.session, action, lambda a=action: self._open(a))
            if c.status == ClaimStatus.PAID:  # its bukti bayar (contract section 9)
                receipt_button(self.session, c.claim_no)

    async def _open(self, action: ClaimAction) -> None:
        c = self.detail.claim
        bank = BankDetails(c.bank_code or "130", c.account_no or "", payee_name(c)) \
            if action is ClaimAction.CORRECT_BANK else None
        subject = self.session.t("claim.subject", claim_no=c.claim_no, name=c.worker_name,
                                 total=c.approved_amount)
        await ActionDialog(self.ctx, self.session, action, [c.id], subject=subject, bank=bank,
                           on_done=self._reload).open()

    async def _reload(self) -> None:
        ui.navigate.reload()

    # -- cards ----------------------------------------------------------------------
    def _fields(self, title_key: str, marker: str, rows: list[tuple[str, str | None]]) -> None:
        with ui.card().classes("w-full").mark(marker):
            ui.label(self.session.t(title_key)).classes("text-h6")
            with ui.grid(columns="auto 1fr").classes("gap-x-4 gap-y-1 text-body2"):
                for key, value in rows:
                    ui.label(self.session.t(key)).classes("text-grey-8")
                    ui.label(value if value not in (None, "") else "-")

    def _claim_card(self) -> None:
        c, s = self.detail.claim, self.session
        self._fields("claim.card_claim", "card-claim", [
            ("claim.claim_no", c.claim_no), ("claim.revision", str(c.revision)), ("claim.case_no", c.case_no),
            ("claim.benefit", s.label("benefit_type", c.benefit_type)),
            ("claim.decision", _known(s, f"decision.{c.decision}", c.decision)),
            ("claim.decision_reason", self._text(c.decision_reason)),
            ("claim.amount", fmt.rupiah(c.approved_amount)),
            ("claim.accident_date", fmt.date(c.accident_date, s.lang)),
            ("claim.verified_at", fmt.datetime(c.verified_at, s.lang, s.zone)),
            ("claim.payment_due_date", fmt.date(c.payment_due_date, s.lang)),
            ("claim.received_at", fmt.datetime(c.received_at, s.lang, s.zone)),
            ("claim.status_changed_at", fmt.datetime(c.status_changed_at, s.lang, s.zone)),
        ])

    def _worker_card(self) -> None:
        c, s = self.detail.claim, self.session
        self._fields("claim.card_worker", "card-worker", [
            ("claim.worker", c.worker_name), ("claim.nik", self._nik(c.nik)), ("claim.kpj", c.kpj),
            ("claim.kabupaten", s.label("kabupaten", c.kabupaten_code)),
            ("claim.occupation", s.label("occupation", c.occupation)),
        ])

    def _bank_card(self) -> None:
        c, s = self.detail.claim, self.session
        self._fields("claim.card_bank", "card-bank", [
            ("claim.beneficiary", c.beneficiary_name),
            # Side by side: the heir BPJS named and whose account it is (None: the beneficiary's own).
            ("claim.account_holder", c.account_holder_name or s.t("claim.holder_is_beneficiary")),
            ("claim.relation", s.label("beneficiary_relation", c.beneficiary_relation)),
            ("claim.beneficiary_nik", self._nik(c.beneficiary_nik)), ("claim.bank_code", c.bank_code),
            ("claim.account_no", self._account(c.account_no)), ("claim.approved_by", c.approved_by),
            ("claim.instruction_id", c.instruction_id), ("claim.batch_id", c.batch_id),
            ("claim.bank_reference", c.bank_reference), ("claim.paid_date", fmt.date(c.paid_date, s.lang)),
            ("claim.failure", s.label("failure_code", c.failure_code)),
            ("claim.reported", self._reported(c)),
        ])

    def _reported(self, c: Claim) -> str | None:
        s = self.session
        if c.report_pending:
            return s.t("claim.report_pending")
        if c.reported_status:
            return s.t("claim.reported_value", status=c.reported_status,
                       when=fmt.datetime(c.reported_at, s.lang, s.zone))
        return None

    def _source_card(self) -> None:
        f, c, s = self.detail.source_file, self.detail.claim, self.session
        self._fields("claim.card_source", "card-source", [
            ("claim.source_file", f.name if f else None),
            ("claim.source_line", str(c.source_line) if c.source_line else None),
            ("claim.source_received", fmt.datetime(f.created_at, s.lang, s.zone) if f else None),
            ("claim.source_status", _known(s, f"file_status.{f.status}", f.status) if f else None),
        ])

    # -- lists ---------------------------------------------------------------------
    def _case(self) -> None:
        s, rows = self.session, self.detail.case_claims
        with ui.card().classes("w-full").mark("case-claims"):
            ui.label(s.t("claim.case_title", case_no=self.detail.claim.case_no, count=len(rows))) \
                .classes("text-h6")
            if not rows:
                ui.label(s.t("claim.case_none")).classes("text-grey-7")
            for row in rows:
                with ui.row().classes("items-center gap-3 text-body2"):
                    ui.link(row["claim_no"], f"/klaim/{row['claim_no']}")
                    ui.label(s.label("benefit_type", row["benefit_type"]))
                    ui.label(fmt.rupiah(row["approved_amount"]))
                    status_badge(s, row["status"])
                    ui.label(row["beneficiary_name"]).classes("text-grey-8")
                    if row["paid_date"]:
                        ui.label(s.t("claim.paid_on", date=fmt.date(row["paid_date"], s.lang)))

    def _attempts(self) -> None:
        s = self.session
        with ui.card().classes("w-full").mark("payout-attempts"):
            ui.label(s.t("claim.attempts_title", count=len(self.detail.attempts))).classes("text-h6")
            if not self.detail.attempts:
                ui.label(s.t("claim.attempts_none")).classes("text-grey-7")
            for a in self.detail.attempts:
                with ui.row().classes("items-center gap-3 text-body2 w-full"):
                    ui.badge(s.t(f"result.{a['result_status']}"),
                             color=RESULT_COLORS.get(a["result_status"], "grey"))
                    ui.label(f"{a['instruction_id']} · batch {a['batch_id']}").classes("text-weight-medium")
                    ui.label(fmt.datetime(a["batch_at"], s.lang, s.zone))
                    ui.label(f"{fmt.rupiah(a['amount'])} → {a['bank_code']} {self._account(a['account_no'])} "
                             f"({a['beneficiary_name']})")
                    if a["bank_reference"]:
                        ui.label(s.t("claim.attempt_paid", reference=a["bank_reference"],
                                     date=fmt.date(a["value_date"], s.lang)))
                    if a["failure_code"]:
                        failure = s.label("failure_code", a["failure_code"])
                        reason = self._text(a["failure_reason"]) or ""
                        ui.label(f"{failure}: {reason}").classes("text-negative")
                    if a["result_file_name"]:
                        ui.label(a["result_file_name"]).classes("text-caption text-grey-7")

    def _timeline(self) -> None:
        s = self.session
        with ui.card().classes("w-full").mark("timeline"):
            ui.label(s.t("claim.timeline_title")).classes("text-h6")
            with ui.timeline(side="right").props("dense"):
                for e in self.detail.events:  # a sentence, labels not codes, masked for viewers
                    key = f"event.{e.action}"
                    ui.timeline_entry(event_sentence(e, s.lang, s.role, s.ctx.reference),
                                      title=s.t(key) if key in i18n.MESSAGES else e.action,
                                      subtitle=fmt.datetime(e.at, s.lang, s.zone))

    # -- masking --------------------------------------------------------------------
    def _nik(self, nik: str | None) -> str:
        return mask_for(self.session.role, "nik", nik) or ""

    def _account(self, account_no: str | None) -> str:
        return mask_for(self.session.role, "account_no", account_no) or ""

    def _text(self, text: str | None) -> str | None:
        return mask_text(self.session.role, text)


def _known(session: Session, key: str, fallback: str) -> str:
    """The message `key` when the catalogue has it, else the raw code."""
    return session.t(key) if key in i18n.MESSAGES else fallback

