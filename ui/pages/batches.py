"""/batch (Batch Pembayaran): each payout batch with its counters and Rupiah totals, overdue flag;
/batch/{batch_id}: its counters, its files, and its instructions down to each claim.

The claims of a batch open in the claim queue (`/klaim?batch=...`, the queue's batch
filter); the instructions table here shows each line of the file with its bank result.
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.text import fmt
from desk.masking import mask_for
from desk.permissions import Action
from desk.refusal import Refused
from desk.views.batches import COUNTERS, BatchDetail, Overdue, batch_detail, batches_page, instructions_page
from models import BatchStatus, FileStatus, InstructionStatus
from ui import session as sess
from ui.components.desk import PagedTable, col, desk_button, short_when, when
from ui.frame import STATUS_COLORS, Page, desk_page
from ui.pages.reports import batch_url
from ui.session import Session

PATH = "/batch"
R, B = InstructionStatus, BatchStatus
RESULT_COLORS = {R.SENT: "blue-7", R.SUCCESS: "green-8", R.FAILED: "red-7", R.RETURNED: "deep-orange-8"}
COUNTER_COLORS = {"instructed": "blue-7", "paid": "green-8", "failed": "red-7", "returned": "deep-orange-8",
                  "awaiting": "grey-8"}
BATCH_COLORS = {B.RECORDED: "grey-7", B.WRITTEN: "amber-9", B.DELIVERED: "blue-7", B.COMPLETE: "green-8"}


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.batches")
    async def batches_list(page: Page, overdue: str = "") -> None:
        await BatchesList(ctx, page.session, overdue == "1").build()

    @desk_page(ctx, PATH + "/{batch_id}", "batches.title_one", active=PATH)
    async def batch_page(page: Page, batch_id: str) -> None:
        page.title(batch=batch_id)
        try:  # a kabupaten desk sees the batches holding its claims only (desk.views.batches)
            detail = await sess.db_call(batch_detail, batch_id, _overdue(ctx), page.session.scope)
        except Refused as exc:
            ui.label(exc.message(page.session.lang)).classes("text-negative").mark("scope-refused")
            return
        if detail is None:
            page.not_found("batches.not_found_page", batch=batch_id)
            return
        await BatchPage(page.session, detail).build()


def _overdue(ctx: AppContext) -> Overdue:
    return Overdue(ctx.settings.overdue_results_hours)


def counter_text(session: Session, counter: tuple[int, int]) -> str:
    count, total = counter
    return f"{fmt.number(count, session.lang)} · {fmt.rupiah(total)}" if count else "0"


class BatchesList:
    def __init__(self, ctx: AppContext, session: Session, overdue_only: bool):
        self.ctx, self.session, self.overdue_only = ctx, session, overdue_only

    async def build(self) -> None:
        t, zone = self.session.t, fmt.zone_name(self.session.zone)
        with ui.row().classes("items-center gap-4"):
            self.count = ui.label("").classes("text-body2 text-grey-8").mark("batches-count")
            ui.checkbox(t("batches.overdue_only"), value=self.overdue_only, on_change=self._toggle) \
                .mark("filter-overdue")
        columns = [col("batch_id", t("batches.col.batch")),
                   col("created", t("batches.col.created", zone=zone)),
                   col("status", t("batches.col.status"), "status_label")]
        columns += [col(c, t(f"batches.{c}"), align="right") for c in COUNTERS]
        self.table = PagedTable(self.session, columns, self._load, marker="batches-table",
                                no_data=t("batches.none"))
        overdue = ('<q-badge v-if="props.row.overdue" color="negative" :label="props.row.overdue_label" '
                   'class="q-ml-xs" />')
        self.table.link_cell("batch_id", PATH + "/{batch_id}", after=overdue)
        self.table.badge_cell("status")
        await self.table.load(1)

    async def _toggle(self, e) -> None:
        self.overdue_only = bool(e.value)
        ui.navigate.history.replace(f"{PATH}?overdue=1" if self.overdue_only else PATH)
        sess.touch()
        await self.table.load(1)

    async def _load(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        result = await sess.db_call(batches_page, _overdue(self.ctx), page=page, per_page=per_page,
                                    overdue_only=self.overdue_only, scope=self.session.scope)
        if result is None:
            return None
        rows, total = result
        self.count.text = self.session.t("batches.matching", count=total)
        return [self._row(r) for r in rows], total

    def _row(self, batch: dict) -> dict:
        s, t = self.session, self.session.t
        row = {"id": batch["id"], "batch_id": batch["batch_id"],
               "created": short_when(s, batch["created_at"]),
               "status_label": t(f"batch_status.{batch['status']}"),
               "status_color": BATCH_COLORS.get(batch["status"], "grey"), "overdue": batch["overdue"],
               "overdue_label": t("batches.overdue")}
        row.update({c: counter_text(s, batch[c]) for c in COUNTERS})
        return row


class BatchPage:
    def __init__(self, session: Session, detail: BatchDetail):
        self.session, self.detail = session, detail
        self.result: str | None = None

    async def build(self) -> None:
        batch, s, t = self.detail.batch, self.session, self.session.t
        with ui.row().classes("items-center gap-3"):
            ui.badge(t(f"batch_status.{batch['status']}"), color=BATCH_COLORS.get(batch["status"], "grey")) \
                .classes("text-body2 q-px-sm").mark("batch-status")
            if batch["delivered_at"]:
                ui.label(t("batches.delivered", time=when(s, batch["delivered_at"]))).classes("text-body2")
        if batch["overdue"]:
            hours = f"{s.ctx.settings.overdue_results_hours:g}"
            hint = t("batches.overdue_hint", time=when(s, batch["delivered_at"]), count=batch["awaiting"][0],
                     hours=hours)
            ui.label(hint).classes("text-body1 text-negative").mark("batch-overdue")
        with ui.grid().classes("w-full gap-2 grid-cols-2 sm:grid-cols-3 lg:grid-cols-5"):
            for name in COUNTERS:
                count, total = batch[name]
                with ui.card().tight().classes("q-pa-sm"):
                    ui.label(t(f"batches.{name}")).classes(f"text-subtitle2 text-{COUNTER_COLORS[name]}")
                    ui.label(fmt.number(count, s.lang)).classes("text-h5").mark(f"count-{name}")
                    ui.label(fmt.rupiah(total)).classes("text-caption text-grey-8").mark(f"counter-{name}")
        self._files()
        ui.link(t("batches.claims_link"), f"/klaim?batch={batch['batch_id']}").mark("batch-claims")
        self._documents()
        await self._instructions()

    def _documents(self) -> None:
        """The batch's papers (contract section 9); the download route checks the role again."""
        s = self.session
        with ui.row().classes("gap-2"):
            for kind, key in (("daftar-nominatif", "doc.download.nominatif"),
                              ("berita-acara", "doc.download.minutes")):
                desk_button(s, s.t(key), "picture_as_pdf", Action.PRINT_DOCUMENTS,
                            lambda k=kind: self._download(k), marker=f"batch-{kind}")

    async def _download(self, kind: str) -> None:
        if await sess.guard(self.session.ctx, Action.PRINT_DOCUMENTS) is None:
            return
        ui.download.from_url(batch_url(self.detail.batch["batch_id"], kind))

    def _files(self) -> None:
        s, t = self.session, self.session.t
        with ui.card().classes("w-full gap-1").mark("batch-files"):
            ui.label(t("batches.files")).classes("text-subtitle1 text-weight-medium")
            for f in self.detail.files:
                with ui.row().classes("items-center gap-2 text-body2"):
                    ui.link(f["name"], f"/berkas/{f['id']}")
                    shown = FileStatus.WRITTEN if f["status"] == FileStatus.RECORDED else f["status"]
                    ui.badge(t(f"file_status.{shown}"))
                    ui.label(f"{fmt.number(f['record_count'], s.lang)} · {fmt.rupiah(f['control_total'])}")

    async def _instructions(self) -> None:
        t = self.session.t
        with ui.row().classes("items-end gap-2"):
            ui.label(t("batches.instructions")).classes("text-h6")
            results = {"": t("runs.all"), **{r: t(f"result.{r}") for r in RESULT_COLORS}}
            ui.select(results, value="", label=t("batches.col.result"), on_change=self._filter) \
                .props("outlined dense").classes("min-w-44").mark("filter-result")
        names = {"instruction_id": "instruction", "claim_no": "claim", "beneficiary": "beneficiary",
                 "account": "account", "amount": "amount", "result": "result", "detail": "detail",
                 "claim_status": "claim_status"}
        columns = [col(name, t(f"batches.col.{key}"), align="right" if name == "amount" else "left")
                   for name, key in names.items()]
        self.table = PagedTable(self.session, columns, self._load, marker="instructions-table",
                                no_data=t("batches.none"))
        self.table.link_cell("claim_no", "/klaim/{claim_no}")
        self.table.badge_cell("result", label="result")
        await self.table.load(1)

    async def _filter(self, e) -> None:
        self.result = e.value or None
        sess.touch()
        await self.table.load(1)

    async def _load(self, page: int, per_page: int, _sort: str | None, _descending: bool):
        result = await sess.db_call(instructions_page, self.detail.batch["batch_id"], result=self.result,
                                    page=page, per_page=per_page, scope=self.session.scope)
        if result is None:
            return None
        rows, total = result
        return [self._row(r) for r in rows], total

    def _row(self, line: dict) -> dict:
        s, t = self.session, self.session.t
        account = mask_for(s.role, "account_no", line["account_no"])
        if line["result_status"] == R.SUCCESS:
            detail = f"{line['bank_reference'] or ''} · {fmt.date(line['value_date'], s.lang)}"
        elif line["failure_code"]:
            detail = f"{s.label('failure_code', line['failure_code']) or line['failure_code']}: " \
                     f"{mask_for(s.role, 'failure_reason', line['failure_reason']) or ''}".rstrip(": ")
        else:
            detail = ""
        return {"id": line["instruction_id"], "instruction_id": line["instruction_id"],
                "claim_no": line["claim_no"], "beneficiary": line["beneficiary_name"],
                "account": f"{line['bank_code']} {account}", "amount": fmt.rupiah(line["amount"]),
                "result": t(f"result.{line['result_status']}"),
                "result_color": RESULT_COLORS.get(line["result_status"], "grey"), "detail": detail,
                "claim_status": s.label("claim_status", line["claim_status"]),
                "claim_status_color": STATUS_COLORS.get(line["claim_status"], "grey")}
