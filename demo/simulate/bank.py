"""The demo Bank NTT: answers every PAYOUT_INSTRUCTION in its inbox with PAYOUT_RESULT files.

Like a real bank it de-duplicates on instruction_id (a batch uploaded twice is answered
once), moves each handled instruction file to `inbox/diproses`, fails some transfers with
the usual reasons (unknown, closed or dormant account, name not matching the KTP), now
and then answers a batch in two files, and returns the odd earlier credit (RETURNED) in a
later result file of its batch. Files are written by the layout engine.

Each credit paid gets ONE chance of coming back, in the next answer after it was paid, and a
claim that failed or came back once is paid the next time it is sent: so only a small share
of claims ever fails or returns, and never one again and again (issue 14: 44 of 190 paid
claims came back within 12 minutes while every paid credit was re-drawn at every answer).

After each answer that moved money, the bank writes the programme account's statement
(MT940, demo/simulate/mt940.py) into its outbox: a debit per successful transfer (or, for
some batches, one bulk debit of the batch with its batch_id), a credit per return, the
balance carried from one statement to the next.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.files.layout import FileRejected, Layouts, Record, check_file, read_records, write_file
from core.settings import Settings
from core.text import fmt
from demo.simulate.mt940 import Movement, build_mt940
from models import InstructionStatus

R = InstructionStatus  # the PAYOUT_RESULT status field uses the instruction statuses
STATE_FILE = ".simulasi-bank.json"
OPENING_BALANCE = 100_000_000_000  # Rupiah in the programme account when the demo starts
STATEMENT_NAME = "MT940_{date:%Y%m%d}_{seq:02d}.txt"
HANDLED_DIR = "diproses"
REJECTED_DIR = "ditolak"
FAILURES = (("ACCOUNT_NOT_FOUND", "Rekening tidak ditemukan", 35), ("ACCOUNT_CLOSED",
                                                                    "Rekening sudah ditutup", 25),
            ("NAME_MISMATCH", "Nama pemilik rekening tidak sesuai KTP", 25),
            ("ACCOUNT_DORMANT", "Rekening tidak aktif (dormant)", 15))


@dataclass(frozen=True)
class Answered:
    instruction_files: list[str]
    result_files: list[Path]
    success: int
    failed: int
    returned: int
    statement: Path | None = None


def answer_instructions(settings: Settings, layouts: Layouts, *, inbox: Path, outbox: Path,
                        fail_rate: float = 0.05, return_rate: float = 0.02, split_rate: float = 0.2,
                        bulk_rate: float = 0.3, statement: bool = True, seed: int | None = None,
                        now: dt.datetime | None = None) -> Answered:
    """Answer every instruction file waiting in `inbox`; returns what was written to `outbox`."""
    rnd = random.Random(seed)
    local_now = fmt.to_local(now or dt.datetime.now(dt.UTC), settings.timezone).replace(microsecond=0)
    state = _State.load(inbox.parent / STATE_FILE)
    instruction_layout, result_layout = layouts["PAYOUT_INSTRUCTION"], layouts["PAYOUT_RESULT"]
    bank = _Bank(settings, result_layout, state, outbox, local_now, rnd)
    handled, totals = [], {R.SUCCESS: 0, R.FAILED: 0, R.RETURNED: 0}
    for batch_id, returned in bank.returns(return_rate).items():  # credits paid in earlier answers
        bank.write(batch_id, returned)
        totals[R.RETURNED] += len(returned)
        bank.movements += [Movement(local_now.date(), "C", r["amount"], r["instruction_id"],
                                    bank.reference(), "RETUR SANTUNAN") for r in returned]
    for path in sorted(inbox.glob(instruction_layout.file_name.glob)):
        if instruction_layout.match_name(path.name) is None:
            continue
        try:
            check = check_file(instruction_layout, path, expected_sender=settings.organisation_id,
                               expected_receiver=settings.partner("bank").id, today=local_now.date())
        except FileRejected:
            _move(path, inbox / REJECTED_DIR)
            continue
        records = [r.values for r in read_records(instruction_layout, path, expected_sender=None,
                                                  expected_receiver=None, today=local_now.date())
                   if isinstance(r, Record)]
        results = bank.decide(check.header["file_id"], records, fail_rate)
        if rnd.random() < split_rate and len(results) > 1:
            cut = len(results) // 2
            bank.write(check.header["file_id"], results[:cut])
            bank.write(check.header["file_id"], results[cut:])
        elif results:  # nothing new in a file sent twice: nothing to answer
            bank.write(check.header["file_id"], results)
        for result in results:
            totals[result["status"]] += 1
        bank.debit(check.header["file_id"], results, rnd.random() < bulk_rate)
        _move(path, inbox / HANDLED_DIR)
        handled.append(path.name)
    written = bank.write_statement(settings.source_account) if statement and bank.movements else None
    state.save()
    return Answered(handled, bank.written, totals[R.SUCCESS], totals[R.FAILED], totals[R.RETURNED], written)


class _Bank:
    def __init__(self, settings: Settings, layout: Any, state: _State, outbox: Path, now: dt.datetime,
                 rnd: random.Random):
        self.settings, self.layout, self.state, self.outbox, self.now, self.rnd = (
            settings, layout, state, outbox, now, rnd)
        self.written: list[Path] = []
        self.movements: list[Movement] = []  # this answer's movements of the programme account

    def decide(self, batch_id: str, records: list[dict[str, Any]], fail_rate: float) -> list[dict[str, Any]]:
        out = []
        answered = self.state.data["answered"]
        for record in records:
            instruction_id = record["instruction_id"]
            if instruction_id in answered:
                continue  # the bank de-duplicates on instruction_id
            answered[instruction_id] = True
            # A claim that failed or came back once goes through when sent again (issue 14).
            troubled = record.get("claim_no") in self.state.troubled
            if not troubled and self.rnd.random() < fail_rate:
                self.state.troubled.add(record.get("claim_no"))
                code, reason, _ = self.rnd.choices(FAILURES, [w for *_, w in FAILURES])[0]
                out.append({"instruction_id": instruction_id, "status": R.FAILED, "amount": record["amount"],
                            "failure_code": code, "failure_reason": reason})
                continue
            out.append({"instruction_id": instruction_id, "status": R.SUCCESS, "amount": record["amount"],
                        "bank_reference": self.reference(), "value_date": self.now.date()})
            if not troubled:  # may come back, once, in the next answer
                self.state.data["paid"].append([batch_id, instruction_id, record["amount"],
                                                record.get("claim_no")])
        return out

    def reference(self) -> str:
        self.state.data["references"] += 1
        return f"NTT{self.now:%y%m%d}{self.state.data['references']:08d}"

    def debit(self, batch_id: str, results: list[dict[str, Any]], bulk: bool) -> None:
        """The account's debits for the transfers just paid: one per transfer, or one for the batch."""
        paid = [r for r in results if r["status"] == R.SUCCESS]
        if bulk and len(paid) > 1:
            self.movements.append(Movement(self.now.date(), "D", sum(r["amount"] for r in paid), batch_id,
                                           self.reference(), f"SANTUNAN BULK {batch_id}"))
            return
        self.movements += [Movement(self.now.date(), "D", r["amount"], r["instruction_id"],
                                    r["bank_reference"], f"SANTUNAN {r['instruction_id']}") for r in paid]

    def write_statement(self, account: str) -> Path:
        """The statement of this answer's movements, its opening balance the last one's closing."""
        data = self.state.data
        day = self.now.date()
        opening = data.get("balance", OPENING_BALANCE)
        opening_date = dt.date.fromisoformat(data["balance_date"]) if data.get("balance_date") else (
            day - dt.timedelta(days=1))
        data["statements"] = data.get("statements", 0) + 1
        seq = data.setdefault("statement_seq", {}).get(day.isoformat(), 0) + 1
        data["statement_seq"][day.isoformat()] = seq
        text = build_mt940(account=account, reference=f"NTT{day:%y%m%d}{seq:02d}",
                           number=f"{data['statements']:05d}/001", opening=opening,
                           opening_date=min(opening_date, day), movements=self.movements, closing_date=day)
        data["balance"] = opening + sum(m.amount if m.mark == "C" else -m.amount for m in self.movements)
        data["balance_date"] = day.isoformat()
        name = STATEMENT_NAME.format(date=day, seq=seq)
        self.outbox.mkdir(parents=True, exist_ok=True)
        tmp = self.outbox.parent / f".{name}.tmp"
        tmp.write_text(text, encoding="ascii")
        tmp.chmod(0o644)  # readable by the SFTP user
        os.replace(tmp, self.outbox / name)
        return self.outbox / name

    def returns(self, rate: float) -> dict[str, list[dict[str, Any]]]:
        """Earlier credits that come back (an interbank return), grouped by batch.

        Each credit paid since the last answer is drawn ONCE; whatever is not returned now never
        is, and a claim returned once is never returned again (issue 14).
        """
        out: dict[str, list[dict[str, Any]]] = {}
        for batch_id, instruction_id, amount, *claim in self.state.data["paid"]:
            claim_no = claim[0] if claim else instruction_id
            if claim_no not in self.state.troubled and self.rnd.random() < rate:
                self.state.troubled.add(claim_no)
                out.setdefault(batch_id, []).append({
                    "instruction_id": instruction_id, "status": R.RETURNED, "amount": amount,
                    "failure_code": "ACCOUNT_CLOSED",
                    "failure_reason": "Dana dikembalikan: rekening ditutup"})
        self.state.data["paid"] = []
        return out

    def write(self, batch_id: str, results: list[dict[str, Any]]) -> Path:
        seq = self.state.data["result_seq"].get(batch_id, 0) + 1
        self.state.data["result_seq"][batch_id] = seq
        name = self.layout.make_name(date=self.now.date(), batch_id=batch_id, seq=seq)
        header = {"file_id": f"RES-{batch_id}-{seq:02d}", "created_at": self.now,
                  "sender": self.settings.partner("bank").id, "receiver": self.settings.organisation_id,
                  "batch_id": batch_id}
        self.outbox.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.outbox.parent, prefix=".simulasi-") as tmp:
            written = write_file(self.layout, Path(tmp) / name, header, results)
            written.path.chmod(0o644)  # readable by the SFTP user (the layout engine writes 0600)
            os.replace(written.path, self.outbox / name)
        self.written.append(self.outbox / name)
        return self.outbox / name


class _State:
    def __init__(self, path: Path, data: dict[str, Any]):
        self.path, self.data = path, data
        self.troubled: set[str] = set(data.get("troubled", []))  # claims failed or returned once

    @classmethod
    def load(cls, path: Path) -> _State:
        data: dict[str, Any] = {"answered": {}, "paid": [], "result_seq": {}, "references": 0}
        if path.exists():
            data.update(json.loads(path.read_text(encoding="utf-8")))
        return cls(path, data)

    def save(self) -> None:
        self.data["troubled"] = sorted(c for c in self.troubled if c)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.data), encoding="utf-8")
        os.replace(tmp, self.path)


def _move(path: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
