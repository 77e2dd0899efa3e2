import datetime as dt

from core.audit import audit
from core.db import bulk_insert, write_tx
from desk.views.audit import SYSTEM, AuditFilter, audit_choices, audit_page, cursor_of
from models import AuditLog, JobRun

NOON = dt.datetime(2026, 11, 20, 4, 0)  # 12:00 WITA


def _log(n: int, *, at=lambda i: NOON - dt.timedelta(minutes=i), username: str = "coordinator") -> None:
    """n audit rows straight in the table (the hash chain is not what these tests read)."""
    with write_tx():
        bulk_insert(AuditLog, [{"at": at(i), "username": username, "action": "CLAIM_HOLD",
                                "target": f"KLM-{i}"} for i in range(n)])


def _keys(rows) -> list[tuple[str, int]]:
    return [(r["source"], r["ref"]) for r in rows]


def _walk(f: AuditFilter, per_page: int) -> list[list[tuple[str, int]]]:
    """Every page by keyset, each after the previous page's last entry."""
    pages, after = [], None
    while True:
        rows, _ = audit_page(f, per_page=per_page, after=after)
        if not rows:
            return pages
        pages.append(_keys(rows))
        after = cursor_of(rows[-1])


def test_page_two_by_keyset_shows_the_next_entries_newest_first(database):
    _log(25)
    first, total = audit_page(AuditFilter(), per_page=10)
    second, _ = audit_page(AuditFilter(), per_page=10, after=cursor_of(first[-1]), known_total=total)
    assert total == 25
    assert [r["target"] for r in first + second] == [f"KLM-{i}" for i in range(20)]


def test_entries_of_the_same_instant_are_paged_with_no_duplicate_and_no_gap(database):
    """Forty audit rows and three scheduled runs all at one instant, pages of 7: each entry once."""
    _log(40, at=lambda i: NOON)
    for _ in range(3):
        JobRun.create(job="bpjs_pull", trigger="schedule", outcome="SUCCEEDED", started_at=NOON,
                      finished_at=NOON)
    _log(5, at=lambda i: NOON - dt.timedelta(seconds=1 + i))
    pages = _walk(AuditFilter(), per_page=7)
    walked = [key for page in pages for key in page]
    assert len(walked) == len(set(walked)) == 48
    assert walked[:3] == [("run", 3), ("run", 2), ("run", 1)]  # same instant: runs, then audit rows by id
    assert walked[3:43] == [("audit", i) for i in range(40, 0, -1)]


def test_a_jump_by_offset_shows_the_same_page_as_the_keyset_walk(database):
    _log(12, at=lambda i: NOON - dt.timedelta(seconds=i // 3))  # threes of equal times
    JobRun.create(job="bank_pull", trigger="schedule", outcome="FAILED", started_at=NOON, finished_at=NOON)
    walked = _walk(AuditFilter(), per_page=5)
    for page, keys in enumerate(walked, start=1):
        rows, total = audit_page(AuditFilter(), page=page, per_page=5)
        assert (_keys(rows), total) == (keys, 13)


def test_the_keyset_keeps_to_the_filter(database):
    _log(6, username="coordinator")
    _log(6, username="supervisor", at=lambda i: NOON - dt.timedelta(minutes=i, seconds=30))
    f = AuditFilter(username="supervisor")
    pages = _walk(f, per_page=4)
    assert [len(p) for p in pages] == [4, 2]
    rows, total = audit_page(f, per_page=4)
    assert total == 6 and {r["username"] for r in rows} == {"supervisor"}
    assert audit_page(AuditFilter(username=SYSTEM))[1] == 0


def test_filter_choices_list_each_user_and_action_once(database):
    audit("LOGIN", username="supervisor")
    _log(5, username="coordinator")
    audit("LOGIN", username=None)
    users, actions = audit_choices()
    assert users == ["coordinator", "supervisor"]
    assert actions == ["CLAIM_HOLD", "JOB_RUN", "LOGIN"]
