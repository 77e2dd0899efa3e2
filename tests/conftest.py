"""Shared fixtures. Fixture modules live in tests/fixtures/ and are registered here.

The suite runs on SQLite by default and on PostgreSQL when SANTUNAN_TEST_DATABASE holds a
postgresql:// URL (`.ci/run` does both). On PostgreSQL each test session gets its own fresh
schema, and every test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from peewee import Database

from core.db import init_db
from core.reference import Reference, load_reference
from core.schema import TABLES
from core.settings import PROJECT_ROOT, Settings, load_settings
from models import db

pytest_plugins: list[str] = ["tests.fixtures.sftp", "tests.fixtures.jobs"]

TEST_DATABASE = os.environ.get("SANTUNAN_TEST_DATABASE", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, what: str) -> None:
    """Skip locally when an external dependency is missing; fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true", pytrace=False)
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str | None]:
    """A fresh PostgreSQL schema for this session, dropped afterwards (None on SQLite)."""
    if not TEST_DATABASE.startswith("postgres"):
        yield None
        return
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = TEST_DATABASE.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def database_url(tmp_path: Path, pg_schema_url: str | None) -> str:
    return pg_schema_url or f"sqlite:///{tmp_path / 'santunan.db'}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The models bound to an empty, migrated database."""
    database = init_db(database_url)
    if database_url.startswith("postgres"):
        tables = ", ".join(f'"{m._meta.table_name}"' for m in TABLES)
        database.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    yield database
    _join_job_threads()
    # The app under test (NiceGUI's `user` fixture runs `serve`) binds the models to a database
    # object of its own: a query the test made on the main thread opened a connection there.
    # Close both, or hundreds of tests pile up idle PostgreSQL connections until
    # max_connections refuses the next one.
    for bound in {database, db.obj} - {None}:
        if not bound.is_closed():
            bound.close()
    db.initialize(None)


def _join_job_threads(timeout: float = 30) -> None:
    """Job threads a test started ("run now", re-run) end before the database goes away.

    A run is recorded finished before its thread releases the job's lock and its log
    flusher stops: waiting for the outcome alone let the thread outlive the test.
    """
    for thread in threading.enumerate():
        if thread.name.startswith(("job-", "runlog-")) and thread is not threading.current_thread():
            thread.join(timeout)


@pytest.fixture
def settings_override(tmp_path: Path, database_url: str) -> dict:
    """The override merged over config/defaults.yaml for a test; tests may edit it first."""
    return {
        "database": database_url,
        "work_dir": str(tmp_path / "data"),
        "embedded_sftp": {"root": str(tmp_path / "sftp_drops")},
        "seed_demo_data": False,
    }


@pytest.fixture
def settings(tmp_path: Path, settings_override: dict) -> Settings:
    path = tmp_path / "test-config.yaml"
    path.write_text(yaml.safe_dump(settings_override), encoding="utf-8")
    return load_settings(path, environ={})


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference(PROJECT_ROOT / "config" / "reference.yaml")


def have(command: str) -> bool:
    return shutil.which(command) is not None
