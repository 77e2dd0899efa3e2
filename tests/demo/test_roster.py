"""Demo roster and sosialisasi (contract section 8): every demo worker enrolled before their
accidents, sessions everywhere but Rote Ndao, Manggarai Barat and Sabu Raijua."""

from peewee import fn

from core.roster.cover import cover_periods
from core.roster.outreach import outreach_rows
from core.roster.tables import OutreachSession, Participant
from demo.data import generate
from demo.roster import seed_roster
from models import Claim, Worker


def test_demo_workers_are_on_the_roster_from_before_their_accidents(database, reference):
    generate(500, seed=3, reference=reference)
    participants, sessions = seed_roster(reference)
    assert participants == Worker.select().count() == Participant.select().count()
    periods = cover_periods(kpj for (kpj,) in Claim.select(Claim.kpj).tuples())
    first = dict(Claim.select(Claim.kpj, fn.MIN(Claim.accident_date)).group_by(Claim.kpj).tuples())
    assert periods.keys() == first.keys()
    assert all(periods[kpj][0].isoformat() < str(day)[:10] for kpj, day in first.items())
    assert sessions == OutreachSession.select().count() > 0


def test_demo_sessions_leave_rote_ndao_manggarai_barat_and_sabu_raijua_unreached(database, reference):
    seed_roster(reference)
    unreached = [row["kabupaten_code"] for row in outreach_rows(reference, None) if not row["reached"]]
    assert unreached == ["5314", "5315", "5320"]
    assert seed_roster(reference) == (0, 0)  # seeded once
