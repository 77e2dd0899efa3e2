import pytest


@pytest.fixture
def out(tmp_path):
    """The folder documents are written to (not created beforehand: a refusal must leave it absent)."""
    return tmp_path / "out"
