"""Tables of the roster and outreach (contract section 8), created by migration 0008.

models.py holds the claim-and-payout tables; a later capability keeps its own tables in its
core package, and `core.db.TABLES` lists them all (tests, schema checks, drop_all).
"""

from __future__ import annotations

from peewee import Model

TABLES: list[type[Model]] = []
