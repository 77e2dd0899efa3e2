"""The one object holding the services (settings, reference data, layouts, database).

Built once at start by `run.py` and passed to commands, jobs and pages instead of globals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import Database

from core.files.layout import Layouts, load_layouts
from core.reference import Reference, load_reference
from core.settings import PROJECT_ROOT, Settings


@dataclass
class AppContext:
    settings: Settings
    reference: Reference
    layouts: Layouts
    database: Database | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # scheduler, sftp server... set by serve

    @property
    def root(self) -> Path:
        return PROJECT_ROOT

    def open_database(self, migrate: bool = True) -> Database:
        """Bind the models and apply pending migrations (once per process)."""
        if self.database is None:
            from core.db import init_db

            self.settings.work_dir.mkdir(parents=True, exist_ok=True)
            self.database = init_db(self.settings.database, PROJECT_ROOT, migrate=migrate)
        return self.database


def build_context(settings: Settings, file_types: Iterable[str] | None = None) -> AppContext:
    """Load reference data and layouts named by the settings; raises ConfigError.

    `file_types` must each have a layout: the job registry's, which the command line passes
    at start (core does not import jobs); by default the four of the payout cycle.
    """
    reference = load_reference(settings.reference_file)
    layouts = (load_layouts(settings.layouts_dir, reference) if file_types is None
               else load_layouts(settings.layouts_dir, reference, require=file_types))
    return AppContext(settings=settings, reference=reference, layouts=layouts)
