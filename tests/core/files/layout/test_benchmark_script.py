"""The throughput benchmark still runs (tiny sizes; the figures themselves are not asserted)."""

from __future__ import annotations

import subprocess
import sys

from core.settings import PROJECT_ROOT


def test_the_benchmark_prints_its_table_and_verdicts() -> None:
    script = PROJECT_ROOT / "benchmarks" / "layout_throughput.py"

    out = subprocess.run([sys.executable, str(script), "--sizes", "2000", "4000", "--repeat", "1"],
                         capture_output=True, text=True, check=True, timeout=300, cwd=PROJECT_ROOT).stdout

    assert "engine rec/s" in out and "  2,000 " in out and "  4,000 " in out
    assert "time: read_records is at most" in out and "memory: at 4,000 records" in out
