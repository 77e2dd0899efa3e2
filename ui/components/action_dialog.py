"""The one way a claim action is done from the UI: read what will happen, give a reason, confirm.

The preview comes from `desk.claims.preview` (the same planner that performs), and the
confirmation passes its digest back, so if a job or another user changed the claims in
between, nothing happens and a fresh preview is shown instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from core.claims.states import ConcurrentChange, IllegalTransition
from core.context import AppContext
from desk.claims import REASON_OPTIONAL, BankDetails, ClaimAction, Preview, Rules, Target, perform, preview
from desk.permissions import MIN_ROLE
from desk.refusal import Refused
from ui import session as sess
from ui.session import Session

ICONS = {
    ClaimAction.HOLD: "pause_circle", ClaimAction.RELEASE: "play_circle", ClaimAction.CORRECT_BANK: "edit",
    ClaimAction.APPROVE: "verified", ClaimAction.RESEND: "replay", ClaimAction.CANCEL: "block",
    ClaimAction.ADD_NOTE: "note_add", ClaimAction.CLEAR_FLAG: "flag",
    ClaimAction.CLEAR_REVIEW: "task_alt",
}


class ActionDialog:
    def __init__(self, ctx: AppContext, session: Session, action: ClaimAction, target: Target, *,
                 subject: str, on_done: Callable[[], Awaitable[None] | None],
                 bank: BankDetails | None = None):
        self.ctx, self.session, self.action, self.target = ctx, session, action, target
        self.subject, self.on_done, self.bank_default = subject, on_done, bank
        self.rules = Rules.of(ctx)
        self.plan: Preview | None = None

    async def open(self) -> None:
        session = await sess.guard(self.ctx, self.action)
        if session is None:
            return
        self.session = session
        t = session.t
        with ui.dialog() as self.dialog, ui.card().classes("w-full max-w-xl gap-2").mark("action-dialog"):
            ui.label(t(f"action.{self.action}")).classes("text-h6")
            ui.label(self.subject).classes("text-body1 text-weight-medium")
            ui.label(t(f"action.help.{self.action}")).classes("text-caption text-grey-8")
            if self.action is ClaimAction.CORRECT_BANK:
                self._bank_inputs()
            self.preview_box = ui.column().classes("w-full gap-1 bg-grey-2 q-pa-sm rounded-borders") \
                .mark("action-preview")
            label = t("action.note_text") if self.action is ClaimAction.ADD_NOTE else t("common.reason")
            if self.action in REASON_OPTIONAL:
                label = t("common.optional", label=label)
            self.reason = ui.textarea(label).props("outlined dense autogrow maxlength=500") \
                .classes("w-full").mark("action-reason")
            self.error = ui.label("").classes("text-negative").mark("action-error")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(t("common.cancel"), on_click=self.dialog.close).props("flat")
                if self.action is ClaimAction.CORRECT_BANK:
                    ui.button(t("action.preview_button"), on_click=self.refresh_preview).props("outline") \
                        .mark("action-preview-button")
                self.confirm = ui.button(t("common.confirm"), on_click=self.submit).mark("action-confirm")
                self.confirm.disable()
        self.dialog.open()
        if self.action is not ClaimAction.CORRECT_BANK:
            await self.refresh_preview()

    def _bank_inputs(self) -> None:
        t = self.session.t
        d = self.bank_default
        with ui.row().classes("w-full gap-2"):
            self.bank_code = ui.input(t("claim.bank_code"), value=d.bank_code if d else "130") \
                .props("outlined dense maxlength=3").classes("w-28").mark("bank-code")
            self.account_no = ui.input(t("claim.account_no"), value=d.account_no if d else "") \
                .props("outlined dense maxlength=20").classes("grow").mark("account-no")
        self.beneficiary = ui.input(t("claim.account_holder"), value=d.beneficiary_name if d else "") \
            .props("outlined dense maxlength=100").classes("w-full").mark("beneficiary-name")
        for field in (self.bank_code, self.account_no, self.beneficiary):
            field.on_value_change(self._invalidate)
        ui.label(t("action.help.correct_bank")).classes("text-caption")

    def _bank(self) -> BankDetails | None:
        if self.action is not ClaimAction.CORRECT_BANK:
            return None
        return BankDetails((self.bank_code.value or "").strip(), (self.account_no.value or "").strip(),
                           (self.beneficiary.value or "").strip())

    def _invalidate(self) -> None:
        self.plan = None
        self.confirm.disable()
        self.preview_box.clear()

    async def refresh_preview(self) -> None:
        self._invalidate()
        self.error.text = ""
        with self.preview_box:
            ui.spinner(size="sm")
        try:
            plan = await sess.db_call(preview, self.action, self.target, by=self.session.username,
                                      rules=self.rules, bank=self._bank())
        except Refused as exc:
            self.preview_box.clear()
            self.error.text = exc.message(self.session.lang)
            return
        self.plan = plan
        self._show(plan)
        if plan and plan.count:
            self.confirm.enable()

    def _show(self, plan: Preview) -> None:
        t, label = self.session.t, self.session.label
        self.preview_box.clear()
        with self.preview_box:
            ui.label(t("action.preview_title")).classes("text-weight-medium")
            for move in plan.moves:
                key = "action.preview_event" if move.from_status == move.to_status else "action.preview_move"
                ui.label(t(key, count=move.count, total=move.total,
                           from_label=label("claim_status", move.from_status),
                           to_label=label("claim_status", move.to_status))).mark("preview-move")
            if len(plan.moves) > 1:
                ui.label(t("action.preview_total", count=plan.count, total=plan.total))
            bank = self._bank()
            if bank and plan.count:
                ui.label(t("action.preview_bank", bank_code=bank.bank_code, account_no=bank.account_no,
                           name=bank.beneficiary_name))
            notes = {s.note for s in plan.steps if s.note}
            for note in sorted(notes)[:5]:
                ui.label(t("action.preview_note", note=note)).classes("text-caption")
            for key, n in plan.skipped.items():
                ui.label(t("action.preview_skipped", count=n, why=t(key))).classes("text-warning") \
                    .mark("preview-skipped")
            for key, params in plan.warnings:
                ui.label(t(key, **params)).classes("text-warning")

    async def submit(self) -> None:
        session = await sess.guard(self.ctx, self.action)
        if session is None:
            self.dialog.close()
            return
        if self.plan is None:
            return
        self.confirm.disable()
        try:
            outcome = await sess.db_call(perform, self.action, self.target, by=session.username,
                                         rules=self.rules, reason=self.reason.value, bank=self._bank(),
                                         expected_digest=self.plan.digest)
        except Refused as exc:
            self.error.text = exc.message(session.lang)
            if exc.key == "action.error.changed":
                await self.refresh_preview()
                self.error.text = exc.message(session.lang)
            else:
                self.confirm.enable()
            return
        except (ConcurrentChange, IllegalTransition):
            self.error.text = session.t("error.concurrent")
            await self.refresh_preview()
            return
        self.dialog.close()
        ui.notify(session.t("action.done", count=outcome.count, total=outcome.total), type="positive")
        result = self.on_done()
        if result is not None:
            await result


def action_button(session: Session, action: ClaimAction, on_click: Callable, *,
                  enabled: bool = True) -> ui.button:
    """A claim action button; greyed out with the role it needs when this role may not do it."""
    button = ui.button(session.t(f"action.{action}"), icon=ICONS[action], on_click=on_click) \
        .props("no-caps outline").mark(f"action-{action}")
    if not session.can(action) or not enabled:
        button.disable()
        if not session.can(action):
            with button:
                ui.tooltip(session.t("action.role_needed", needed=MIN_ROLE[action]))
    return button
