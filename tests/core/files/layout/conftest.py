"""Fixtures of the layout engine tests: the default layouts and a fixed 'today'."""

from __future__ import annotations

import pytest

from core.files.layout import Layout, Layouts, load_layouts
from core.reference import Reference
from tests.core.files.layout.builders import LAYOUTS_DIR


@pytest.fixture(scope="session")
def layouts(reference: Reference) -> Layouts:
    return load_layouts(LAYOUTS_DIR, reference)


@pytest.fixture(scope="session")
def claims_layout(layouts: Layouts) -> Layout:
    return layouts["VERIFIED_CLAIMS"]
