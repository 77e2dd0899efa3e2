"""People's writes go before a job's next write transaction on SQLite (hardening, finding 5)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from core.db import is_postgres, write_tx
from core.turnstile import HoldBudget, background_writes, is_background, turn
from models import db


@pytest.fixture
def sqlite_path(database) -> str:
    if is_postgres(database):
        pytest.skip("PostgreSQL locks rows, not the database: no turnstile there")
    return database.database


def _job(transactions: int, hold: float, done: list[str], started: threading.Event) -> threading.Thread:
    """A job that begins its next transaction the moment it commits one (as bank_push's batches do)."""

    def work() -> None:
        with db.connection_context(), background_writes():
            for n in range(transactions):
                with write_tx():
                    started.set()
                    time.sleep(hold)
                    done.append(f"job {n}")

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_a_persons_write_waits_for_one_job_transaction_not_for_the_whole_job(sqlite_path):
    done: list[str] = []
    started = threading.Event()
    job = _job(transactions=25, hold=0.04, done=done, started=started)
    try:
        assert started.wait(10)
        with write_tx():  # SQLite's busy handler alone polls, and the job takes the lock first
            done.append("person")
    finally:
        job.join()
    assert done.index("person") <= 2, done


def test_a_person_who_comes_after_a_job_queued_for_the_lock_still_goes_first(sqlite_path):
    order: list[str] = []
    holder = sqlite3.connect(sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's transaction: both wait for it

    def job() -> None:
        with db.connection_context(), background_writes(), write_tx():
            order.append("job")

    def person() -> None:
        with db.connection_context(), write_tx():
            order.append("person")

    threads = [threading.Thread(target=job), threading.Thread(target=person)]
    threads[0].start()
    time.sleep(0.2)  # the job is queued for the lock first
    threads[1].start()
    time.sleep(0.4)
    holder.execute("COMMIT")
    for thread in threads:
        thread.join()
    holder.close()
    assert order == ["person", "job"]


def test_a_job_waits_at_the_turnstile_while_a_person_waits_for_the_database(sqlite_path):
    passed = threading.Event()

    def job() -> None:
        with background_writes(), turn(sqlite_path):
            passed.set()

    with turn(sqlite_path):
        thread = threading.Thread(target=job)
        thread.start()
        assert not passed.wait(0.3)
    assert passed.wait(5)
    thread.join()


def test_people_do_not_wait_at_the_turnstile_for_a_job(sqlite_path):
    with background_writes(), turn(sqlite_path):
        finished = threading.Event()

        def person() -> None:
            with turn(sqlite_path):
                finished.set()

        thread = threading.Thread(target=person)
        thread.start()
        assert finished.wait(5)
        thread.join()


def test_background_marking_ends_with_its_block():
    with background_writes():
        assert is_background()
    assert not is_background()


def test_a_transaction_that_held_the_lock_long_makes_the_next_one_smaller():
    budget = HoldBudget(25_000, sqlite=True)
    assert budget.size == 2000  # the first one's time is not known yet
    budget.took(2000, 4.0)  # 4 s for 2,000 rows: a second holds 500
    assert budget.size == 500
    budget.took(500, 10.0)  # never below the least, or the job would crawl
    assert budget.size == HoldBudget.LEAST


def test_a_quick_transaction_lets_the_next_grow_twofold_up_to_the_cap():
    budget = HoldBudget(5000, sqlite=True)
    budget.took(2000, 0.01)
    assert budget.size == 4000
    budget.took(4000, 0.01)
    assert budget.size == 5000


def test_postgresql_keeps_the_callers_cap():
    budget = HoldBudget(25_000, sqlite=False)
    budget.took(25_000, 60.0)
    assert budget.size == 25_000
