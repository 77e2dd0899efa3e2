"""`outreach add` and `outreach list` as an operator runs them (real subprocesses of run.py)."""

import json

from core.roster.tables import OutreachSession
from tests.cli.test_run_commands import config, run  # noqa: F401  (fixture)
from tests.factories import make_claim


def test_add_records_a_session_and_list_shows_all_22_with_the_unreached(config):  # noqa: F811
    make_claim(status="PAID", kabupaten_code="5314", approved_amount=42_000_000)
    make_claim(kabupaten_code="5314", approved_amount=1_000_000)
    added = run("outreach", "add", "--kabupaten", "5371", "--date", "03/11/2026", "--place", "Aula Dinas",
                "--attendees", "45", "--facilitator", "Ibu Ana", "--notes", "nelayan Oesapa", config=config)
    assert added.returncode == 0, added.stderr
    result = run("outreach", "list", "--format", "json", config=config)
    assert result.returncode == 0, result.stderr
    rows = {row["kabupaten_code"]: row for row in json.loads(result.stdout)}
    assert len(rows) == 22
    assert rows["5371"] == {"kabupaten_code": "5371", "kabupaten_name": "Kota Kupang", "sessions": 1,
                            "last_session_date": "2026-11-03", "attendees": 45, "enrolled": 0, "claims": 0,
                            "paid_count": 0, "paid_amount": 0, "reached": True}
    assert rows["5314"] == {"kabupaten_code": "5314", "kabupaten_name": "Kabupaten Rote Ndao", "sessions": 0,
                            "last_session_date": None, "attendees": 0, "enrolled": 0, "claims": 2,
                            "paid_count": 1, "paid_amount": 42_000_000, "reached": False}
    session = OutreachSession.get()
    assert (session.facilitator, session.notes, session.created_by) == ("Ibu Ana", "nelayan Oesapa", "cli")
    as_csv = run("outreach", "list", config=config)
    assert as_csv.stdout.splitlines()[0].startswith("kabupaten_code,kabupaten_name,sessions")
    assert len(as_csv.stdout.splitlines()) == 23


def test_add_with_an_unknown_kabupaten_or_a_bad_date_exits_1_with_one_line(config):  # noqa: F811
    for args, said in ((["--kabupaten", "9999", "--date", "2026-11-03"], "\"9999\" tidak dikenal"),
                       (["--kabupaten", "5314", "--date", "31/02/2026"], "\"31/02/2026\" tidak valid"),
                       (["--kabupaten", "5314", "--date", "2026-11-03", "--attendees", "banyak"],
                        "bilangan bulat")):
        result = run("outreach", "add", *args, "--place", "Balai Desa", config=config)
        assert result.returncode == 1 and said in result.stderr, result.stderr
        assert result.stderr.strip().count("\n") == 0 and " / " in result.stderr
    assert OutreachSession.select().count() == 0
