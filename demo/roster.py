"""Demo roster and sosialisasi (contract section 8), seeded after the demo claims.

Every demo worker is on the roster with a start date before their first accident (so the
cover check passes), a funding source and a village; sessions were held in every
kabupaten/kota except Rote Ndao (5314), Manggarai Barat (5315) and Sabu Raijua (5320), the
programme's stated outreach gap. Deterministic (seeded), like the demo claims.
"""

from __future__ import annotations

import datetime as dt
import random

from peewee import fn

from core.db import bulk_insert, write_tx
from core.reference import Reference
from core.roster.tables import OutreachSession, Participant
from models import Claim, Worker, utcnow

UNREACHED = frozenset({"5314", "5315", "5320"})
FUNDING_WEIGHTS = (("APBD_PROVINSI", 70), ("APBD_KABUPATEN", 18), ("CSR", 7), ("MANDIRI", 5))
VILLAGES = ("Oebobo", "Oesapa", "Naikoten", "Kuanino", "Seba", "Waingapu", "Maumere", "Lewoleba", "Atambua",
            "Ruteng", "Bajawa", "Larantuka", "Kalabahi", "Soe", "Kefamenanu", "Betun", "Waikabubak")
PLACES = ("Aula Kantor Camat", "Balai Desa", "Gedung Gereja", "Aula Dinas Nakertrans", "Pasar Inpres",
          "Tempat Pelelangan Ikan", "Kantor Lurah")
FACILITATORS = ("Ibu Maria Goreti Bria", "Bapak Yohanes Ndun", "Ibu Ni Luh Putu Sari", "Bapak Stefanus Lay")
FIRST_SESSION, LAST_SESSION = dt.date(2025, 7, 1), dt.date(2026, 11, 15)
CHUNK = 5000


def seed_roster(reference: Reference, seed: int = 1) -> tuple[int, int]:
    """Roster rows for the demo workers and the demo sessions, on a database with neither; returns
    (participants, sessions) written."""
    if Participant.select().exists() or OutreachSession.select().exists():
        return 0, 0
    rnd = random.Random(seed)
    with write_tx():
        participants = _participants(rnd)
        sessions = _sessions(rnd, reference)
    return participants, sessions


def _participants(rnd: random.Random) -> int:
    first = dict(Claim.select(Claim.kpj, fn.MIN(Claim.accident_date)).group_by(Claim.kpj).tuples())
    codes, weights = zip(*FUNDING_WEIGHTS, strict=True)
    now, rows, written = utcnow(), [], 0
    for worker in Worker.select().order_by(Worker.id).iterator():
        accident = _day(first.get(worker.kpj)) or FIRST_SESSION
        start = accident - dt.timedelta(days=rnd.randint(30, 400))  # enrolled before the accident
        rows.append({"kpj": worker.kpj, "nik": worker.nik, "name": worker.name,
                     "kabupaten_code": worker.kabupaten_code, "village": rnd.choice(VILLAGES),
                     "occupation": worker.occupation, "start": start, "end": None,
                     "funding": rnd.choices(codes, weights)[0], "created_at": now, "updated_at": now})
        if len(rows) >= CHUNK:
            written += bulk_insert(Participant, rows)
            rows = []
    return written + bulk_insert(Participant, rows)


def _sessions(rnd: random.Random, reference: Reference) -> int:
    rows = []
    span = (LAST_SESSION - FIRST_SESSION).days
    for code in reference.options("kabupaten"):
        if code in UNREACHED:
            continue
        for _ in range(rnd.randint(1, 4)):
            day = FIRST_SESSION + dt.timedelta(days=rnd.randint(0, span))
            rows.append({"kabupaten_code": code, "date": day,
                         "place": f"{rnd.choice(PLACES)} {rnd.choice(VILLAGES)}",
                         "facilitator": rnd.choice(FACILITATORS), "attendees": rnd.randint(15, 120),
                         "notes": None, "created_by": "demo", "created_at": utcnow()})
    return bulk_insert(OutreachSession, rows)


def _day(value: object) -> dt.date | None:
    """MIN(date) is text on SQLite (an aggregate has no column type)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
