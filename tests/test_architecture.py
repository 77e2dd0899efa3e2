"""The folders are the architecture: imports run ui/cli -> desk -> jobs -> core -> models.

The import contracts live in pyproject.toml ([tool.importlinter]) and are checked here with
import-linter, so that a wrong-way import fails the suite, not only a reviewer's eye.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = {"ui", "cli", "desk", "jobs", "core", "demo", "models", "run"}
MAX_LINES = 400  # a module longer than this holds more than one responsibility


def test_the_import_contracts_hold():
    done = _lint_imports()
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_models_import_nothing_of_ours():
    imported = _imports(ROOT / "models.py")
    assert not imported & OUR_PACKAGES, f"models.py imports {sorted(imported & OUR_PACKAGES)}"


def test_no_module_is_longer_than_the_limit():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in ("core", "jobs", "desk", "ui", "cli", "demo")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    models = len((ROOT / "models.py").read_text().splitlines())
    if models > MAX_LINES:
        too_long["models.py"] = models
    assert not too_long, f"split by responsibility: {too_long}"


def test_the_contract_check_notices_a_wrong_way_import():
    """The contracts are live: a core module importing the desk breaks them."""
    probe = ROOT / "core" / "_probe_wrong_way.py"
    probe.write_text("import desk.permissions  # noqa: F401\n")
    try:
        done = _lint_imports()
    finally:
        probe.unlink()
    assert done.returncode != 0
    assert "core._probe_wrong_way -> desk.permissions" in done.stdout


def _lint_imports() -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names
