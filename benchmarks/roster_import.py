"""Time and memory of `roster import` (contract section 8) on a large roster CSV.

    .venv/bin/python benchmarks/roster_import.py                 # 1,000,000 rows, temporary SQLite
    .venv/bin/python benchmarks/roster_import.py --rows 100000
    .venv/bin/python benchmarks/roster_import.py --database postgresql://postgres@127.0.0.1:5432/bench

Writes a roster as people keep it in Excel (semicolons, DD/MM/YYYY, occupation and funding
labels instead of codes, 1 % bad rows) to a temporary folder, imports it into an empty
database with the rejected rows written out, then imports it again (every row an update),
and prints the seconds of each pass and the process's peak RSS before and after.

Target (issue 15): 1,000,000 rows in under 2 minutes with flat memory (the peak after the
import close to the one before it: rows are read, checked and written 5,000 at a time).
Measured once at 100,000 rows, SQLite, on the 2-core build machine while it ran seven other
sessions (load average about 12): 15.8 s inserts, 15.4 s updates, peak RSS 59 -> 91 MiB and
the same after the second pass (flat). The 1M run belongs on a quiet machine.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.db import init_db  # noqa: E402
from core.reference import load_reference  # noqa: E402
from core.roster.importing import import_roster  # noqa: E402

TARGET_SECONDS = 120
HEADER = ("KPJ", "NIK", "Nama", "Kode Kabupaten", "Desa/Kelurahan", "Pekerjaan", "Mulai", "Berakhir",
          "Sumber Dana")
FUNDING = ("APBD Provinsi", "APBD Kabupaten", "CSR", "Mandiri")


def write_roster(path: Path, rows: int, seed: int = 15) -> None:
    """A roster of `rows` workers, 1 % of them with a bad NIK or date."""
    rnd = random.Random(seed)
    reference = load_reference(ROOT / "config" / "reference.yaml")
    kabupaten = sorted(reference.codes("kabupaten"))
    occupations = list(reference.options("occupation").values())
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for i in range(rows):
            kab = rnd.choice(kabupaten)
            day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(60, 99)
            nik = f"{kab}01{day + 40 * (i % 2):02d}{month:02d}{year:02d}{rnd.randint(1, 9999):04d}"
            start = f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.choice((2024, 2025))}"
            if i % 100 == 99:  # a bad row: the NIK's birth day does not exist
                nik = nik[:6] + "32" + nik[8:]
            writer.writerow((f"{30_000_000_000 + i:011d}", nik, f"Pekerja {i}", kab, "Oebobo",
                             rnd.choice(occupations), start, "", rnd.choice(FUNDING)))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    reference = load_reference(ROOT / "config" / "reference.yaml")
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as folder:
        work = Path(folder)
        database = init_db(args.database or f"sqlite:///{work / 'bench.db'}")
        source = work / "roster.csv"
        started = time.perf_counter()
        write_roster(source, args.rows)
        print(f"wrote {args.rows:,} rows ({source.stat().st_size / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - started:.1f} s")
        before = peak_rss_mb()
        for label in ("first import (inserts)", "second import (updates)"):
            started = time.perf_counter()
            out = work / "rejected.csv"
            with database.connection_context(), out.open("w", encoding="utf-8") as rejected:
                result = import_roster(source, reference, rejected=rejected)
            seconds = time.perf_counter() - started
            print(f"{label}: {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s); added {result.added:,}, "
                  f"updated {result.updated:,}, rejected {result.rejected:,}; "
                  f"peak RSS {peak_rss_mb():.0f} MiB")
        scaled = seconds * 1_000_000 / args.rows
        print(f"peak RSS before the imports {before:.0f} MiB, after {peak_rss_mb():.0f} MiB; "
              f"1,000,000 rows at this rate: about {scaled:.0f} s (target {TARGET_SECONDS} s)")
        if not args.database:
            database.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
