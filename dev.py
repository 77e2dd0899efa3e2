#!/usr/bin/env python3
"""The README's two commands, needing only Python 3.11+:

    python3 dev.py run    # installs what it needs, then starts the app on the embedded defaults
    python3 dev.py test   # installs what it needs, then runs the whole test suite

Dependencies are pinned in pyproject.toml and, with their own dependencies, in
constraints.txt; they go into .venv/ (ignored by git) and are reinstalled only when
either file changes. Extra arguments are passed on (`dev.py run -- --config my.yaml`,
`dev.py test -k intake`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        print("Santunan NTT needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in {"run", "test", "install"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], [a for a in argv[1:] if a != "--"]
    ensure_environment(dev=command in {"test", "install"})
    if command == "run":
        return subprocess.call([str(PYTHON), str(ROOT / "run.py"), *(rest or ["serve"])], cwd=ROOT)
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)
    return 0


def ensure_environment(dev: bool) -> None:
    """Create .venv and install the pinned dependencies when they changed since the last install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    packages = list(project["dependencies"])
    if dev:
        packages += project["optional-dependencies"]["dev"]
    constraints = ROOT / "constraints.txt"
    stamp = VENV / f".installed-{'dev' if dev else 'run'}"
    digest = hashlib.sha256("\n".join([*packages, constraints.read_text()]).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Membuat lingkungan Python di .venv / creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Memasang dependensi / installing dependencies ...", flush=True)
    subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "-c", str(constraints), *packages], cwd=ROOT)
    stamp.write_text(digest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
