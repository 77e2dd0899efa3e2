"""The demo BPJS: drops realistic VERIFIED_CLAIMS files into its SFTP outbox.

Files are written by the layout engine, so they are exactly what the spec describes.
Each accident case yields its several payments (STMB month by month, death benefit plus
funeral costs plus the children's scholarships), a few claims are rejected or lack a bank
account, some are big enough to need a second person's approval, and now and then an
earlier claim comes back as a higher revision. With `bad_records`, a few lines get one
field spoiled after writing (the amount is left alone, so the trailer still ties out):
the app must report them and apply the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.files.layout import Layout, write_file
from core.reference import Reference
from core.settings import Settings
from core.text import fmt
from demo.people import FIRST_MEN, FIRST_WOMEN, SURNAMES, beneficiary_for, death_heir, nik

WAGE = 1_000_000  # pekerja rentan are enrolled at the lowest declared income
STATE_FILE = ".simulasi-bpjs.json"
# (how the line is spoiled, field) -> what the app should say is wrong with it
SPOILERS = ("nik", "kabupaten_code", "accident_date", "kpj")


@dataclass(frozen=True)
class Dropped:
    path: Path
    records: int
    bad_records: int
    revisions: int


def drop_verified_claims(settings: Settings, layout: Layout, reference: Reference, *, folder: Path,
                         claims: int = 40, bad_records: int | None = None, seed: int | None = None,
                         now: dt.datetime | None = None) -> Dropped:
    """Write one VERIFIED_CLAIMS file of about `claims` records into `folder` (BPJS's outbox)."""
    rnd = random.Random(seed)
    now = now or dt.datetime.now(dt.UTC)
    local_now = fmt.to_local(now, settings.timezone).replace(microsecond=0)
    state = _State.load(folder.parent / STATE_FILE)
    gen = _Generator(rnd, reference, state, local_now, settings.approval_threshold, settings.programme_start)
    records = gen.records(claims)
    bad = min(len(records), bad_records if bad_records is not None else max(1, len(records) // 25))
    name = layout.make_name(date=local_now.date(), seq=state.next_seq(local_now.date(), folder))
    header = {"file_id": f"BPJS-{local_now:%Y%m%d}-{state.data['files']:05d}", "created_at": local_now,
              "sender": settings.partner("bpjs").id, "receiver": settings.organisation_id}
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".simulasi-") as tmp:
        path = write_file(layout, Path(tmp) / name, header, records).path
        if bad:
            _spoil(path, layout, rnd.sample(range(len(records)), bad), rnd)
        path.chmod(0o644)  # readable by the SFTP user (the layout engine writes 0600)
        os.replace(path, folder / name)  # appears whole in the outbox
    state.save()
    return Dropped(folder / name, len(records), bad, gen.revisions)


class _State:
    """What the demo BPJS remembers between drops: counters and claims it may revise."""

    def __init__(self, path: Path, data: dict[str, Any]):
        self.path, self.data = path, data

    @classmethod
    def load(cls, path: Path) -> _State:
        data = {"files": 0, "cases": 0, "claims": 0, "sequences": {}, "revisable": []}
        if path.exists():
            data.update(json.loads(path.read_text(encoding="utf-8")))
        return cls(path, data)

    def next_seq(self, day: dt.date, folder: Path) -> int:
        self.data["files"] += 1
        key = day.isoformat()
        seq = self.data["sequences"].get(key, 0) + 1
        while any((f / f"BPJSTK_KLAIM_{day:%Y%m%d}_{seq:02d}.txt").exists() for f in (folder,
                                                                                      folder / "archive")):
            seq += 1
        if seq > 99:
            raise ValueError(f"BPJS demo: more than 99 files on {day}")
        self.data["sequences"] = {key: seq}  # only today's counter is needed
        return seq

    def save(self) -> None:
        self.data["revisable"] = self.data["revisable"][-200:]
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.data, default=str), encoding="utf-8")
        os.replace(tmp, self.path)


class _Generator:
    def __init__(self, rnd: random.Random, reference: Reference, state: _State, now: dt.datetime,
                 threshold: int, programme_start: dt.date):
        self.rnd, self.state, self.threshold = rnd, state, threshold
        self.now, self.today, self.start = now, now.date(), programme_start  # now: local (WITA), aware
        self.kabupaten = sorted(reference.codes("kabupaten"))
        self.occupations = sorted(reference.codes("occupation") - {"LAINNYA"})
        self.revisions = 0

    def records(self, n: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        revisable = self.state.data["revisable"]
        if revisable and n >= 10:
            for _ in range(self.rnd.randint(0, 2)):
                out.append(self._revision(self.rnd.choice(revisable)))
        while len(out) < n:
            out.extend(self._case()[: n - len(out)])
        return out

    def _revision(self, earlier: dict[str, Any]) -> dict[str, Any]:
        self.revisions += 1
        record = {**earlier, "revision": earlier["revision"] + 1,
                  "verified_at": self._verified_at(), "account_no": f"{self.rnd.randint(10**9, 10**12 - 1)}",
                  "bank_code": "130"}
        earlier["revision"] += 1
        return record

    def _case(self) -> list[dict[str, Any]]:
        rnd = self.rnd
        self.state.data["cases"] += 1
        case_no = f"KSS-{self.today:%Y}-{self.state.data['cases']:07d}"
        worker = self._person()
        # Covered (check 4): not before the programme started, and days before BPJS verified it.
        accident = max(self.start, self.today - dt.timedelta(days=rnd.randint(7, 200)))
        accident = min(accident, self.today - dt.timedelta(days=4))
        kind = rnd.choices(("stmb", "cacat", "meninggal", "jkm", "biaya"), (40, 10, 15, 15, 20))[0]
        heir = death_heir(worker, rnd)
        payments: list[tuple[str, int]] = []
        if kind == "stmb":
            payments = [("JKK_STMB", WAGE if month < 12 else WAGE // 2) for month in range(rnd.randint(1, 4))]
        elif kind == "cacat":
            payments = [("JKK_CACAT", 56 * WAGE * rnd.choice((100, 50, 30, 10)) // 100)]
        elif kind == "meninggal":
            payments = [("JKK_MENINGGAL", 48 * WAGE), ("JKK_SANTUNAN_BERKALA", 12_000_000),
                        ("JKK_PEMAKAMAN", 10_000_000)]
            payments += [("BEASISWA", rnd.choice((1_500_000, 2_000_000, 3_000_000, 12_000_000)))
                         for _ in range(rnd.randint(0, 2))]
        elif kind == "jkm":
            payments = [("JKM", 42_000_000)]
        else:
            payments = [("JKK_PENGGANTIAN_BIAYA", rnd.randrange(300_000, 5_000_000, 50_000))]
        return [self._claim(case_no, worker, accident, benefit, amount,
                            beneficiary_for(benefit, worker, heir, rnd)) for benefit, amount in payments]

    def _claim(self, case_no: str, worker: dict[str, str], accident: dt.date, benefit: str, amount: int,
               who: dict[str, str]) -> dict[str, Any]:
        rnd = self.rnd
        self.state.data["claims"] += 1
        rejected = rnd.random() < 0.06
        no_account = not rejected and rnd.random() < 0.05
        record = {
            "claim_no": f"KLM-{self.today:%Y%m}-{self.state.data['claims']:07d}", "revision": 1,
            "case_no": case_no, "kpj": worker["kpj"], "nik": worker["nik"], "worker_name": worker["name"],
            "kabupaten_code": worker["kabupaten_code"], "occupation": worker["occupation"],
            "accident_date": accident, "benefit_type": benefit,
            "decision": "REJECTED" if rejected else "APPROVED", "approved_amount": 0 if rejected else amount,
            "decision_reason": rnd.choice(("Kecelakaan di luar hubungan kerja",
                                           "Kepesertaan tidak aktif saat kejadian")) if rejected else None,
            **who, "bank_code": None if no_account else "130",
            "account_no": None if no_account else f"{rnd.randint(10**9, 10**12 - 1)}",
            "verified_at": self._verified_at(),
        }
        if not rejected and rnd.random() < 0.3:
            self.state.data["revisable"].append(record)
        return record

    def _verified_at(self) -> dt.datetime:
        """Before the file that carries it is written (never after its `created_at`)."""
        return self.now - dt.timedelta(hours=self.rnd.randint(1, 60), minutes=self.rnd.randint(0, 59))

    def _person(self) -> dict[str, str]:
        rnd = self.rnd
        woman = rnd.random() < 0.35
        kabupaten = rnd.choice(self.kabupaten)
        self.state.data.setdefault("workers", 0)
        self.state.data["workers"] += 1
        born = dt.date(rnd.randint(1960, 1999), rnd.randint(1, 12), rnd.randint(1, 28))
        return {"name": f"{rnd.choice(FIRST_WOMEN if woman else FIRST_MEN)} {rnd.choice(SURNAMES)}",
                "kpj": f"{27_000_000_000 + self.state.data['workers'] * 7 + rnd.randint(0, 6):011d}",
                "nik": nik(kabupaten, born, woman, rnd), "kabupaten_code": kabupaten,
                "occupation": rnd.choice(self.occupations)}


def _spoil(path: Path, layout: Layout, indexes: list[int], rnd: random.Random) -> None:
    """Spoil one non-amount field of some detail lines (index 0 = first detail line)."""
    if layout.fixed_width:
        return
    lines = path.read_bytes().decode(layout.encoding).split(layout.line_ending)
    names = layout.detail.names
    for n, index in enumerate(sorted(indexes)):
        parts = lines[index + 1].split(layout.delimiter)
        name = SPOILERS[n % len(SPOILERS)]
        position = names.index(name) + 1
        parts[position] = {"nik": parts[position][:15], "kabupaten_code": "5399",
                           "accident_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
                           "kpj": parts[position][:9] + "X1"}[name]
        lines[index + 1] = layout.delimiter.join(parts)
    path.write_bytes(layout.line_ending.join(lines).encode(layout.encoding))
