"""`make bench`: the pipeline on a large synthetic data set; records/s per stage and peak RSS.

Data set (datagen.BENCH): 1M POS rows, 1M inventory readings, 2M web events, 0.5M CRM interactions,
as thousands of small files. Ingest and run each execute in a child process, so the peak RSS reported
is that of the pipeline alone (not of the data generator).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data" / "input"
LAKE = ROOT / "bench-data" / "lake"
# Earlier lakes are moved aside, not removed. Removing a tree of thousands of files makes creating and
# writing files on this VM's disk slower for minutes, more so after each removal (measured: landing the
# bench data took 3.6 s, then 5.0 s, then 6.9 s with a 594 MB lake removed 60 s before each): a
# benchmark that removed its previous lake would time that, not the pipeline. `make clean` removes them.
TRASH = ROOT / "bench-data" / "old-lakes"

INGEST = """
import json, sys, time
from pathlib import Path
from shopware.pipeline.bronze import land_files
from shopware.pipeline.lake import Lake
files = json.loads(Path(sys.argv[1]).read_text()); lake = Lake(Path(sys.argv[2]))
for source, paths in files.items():
    land_files(lake.store, source, [Path(p) for p in paths])
"""

RUN = """
import json, sys
from dataclasses import asdict
from pathlib import Path
from shopware.pipeline.runner import run_pipeline
from shopware.pipeline.settings import PipelineSettings
s = run_pipeline(PipelineSettings(lake=Path(sys.argv[1])))
print(json.dumps({"timings": s.timings_s, "sources": {k: asdict(v) for k, v in s.sources.items()}}))
"""

# A fixed single-threaded DuckDB workload, timed before and after the pipeline: this VM's speed varies by
# up to ~25 % from hour to hour (other tenants), and the check tells a slow machine from a slow change.
MACHINE_CHECK = """
import duckdb, time
con = duckdb.connect(); con.execute("SET threads = 1")
query = "SELECT sum(hash(md5(i::VARCHAR))) FROM range(3000000) t(i)"
times = []
for _ in range(3):
    started = time.perf_counter()
    con.execute(query).fetchall()
    times.append(time.perf_counter() - started)
print(min(times))
"""


def _child(code: str, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return time.perf_counter() - started, out.stdout


def _set_aside_previous_lake() -> None:
    """Move the previous lake out of the way (a rename frees nothing)."""
    if LAKE.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        LAKE.rename(TRASH / f"lake-{time.time_ns()}")


def main() -> None:
    from shopware.pipeline.datagen import BENCH, generate

    manifest = DATA / "files.json"
    if not manifest.exists():
        print("generating the benchmark data set (once; kept in bench-data/) ...", flush=True)
        shutil.rmtree(DATA, ignore_errors=True)
        started = time.perf_counter()
        files = generate(DATA, seed=42, days=10, volume=BENCH)
        manifest.write_text(json.dumps({k: [str(p) for p in v] for k, v in files.items()}))
        print(f"  generated in {time.perf_counter() - started:.1f}s")
    files = json.loads(manifest.read_text())
    n_files = sum(len(v) for v in files.values())
    size_mb = sum(Path(p).stat().st_size for v in files.values() for p in v) / 1e6
    _set_aside_previous_lake()
    # Flush what earlier steps wrote now, so that its write-back is not timed as ingest.
    os.sync()
    check_before = float(_child(MACHINE_CHECK)[1])
    ingest_s, _ = _child(INGEST, str(manifest), str(LAKE))
    run_s, out = _child(RUN, str(LAKE))
    check_after = float(_child(MACHINE_CHECK)[1])
    result = json.loads(out.strip().splitlines()[-1])
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    records = sum(s["read"] for s in result["sources"].values())
    timings = result["timings"]

    print(f"\ndata set: {records:,} records in {n_files:,} files ({size_mb:,.0f} MB)")
    for name, s in result["sources"].items():
        print(
            f"  {name:<10} read {s['read']:>10,}  accepted {s['accepted']:>10,}  "
            f"quarantined {s['quarantined']:>7,}  silver rows {s['unique_total']:>10,}"
        )
    print(f"{'stage':<22}{'seconds':>10}{'records/s':>14}")
    for stage, seconds in (
        ("ingest (bronze)", ingest_s),
        ("silver", timings["silver"]),
        ("gold", timings["gold"]),
        ("warehouse", timings["warehouse"]),
        ("run (process total)", run_s),
        ("end to end", ingest_s + run_s),
    ):
        print(f"{stage:<22}{seconds:>10.2f}{records / seconds:>14,.0f}")
    print(f"peak RSS: {peak_mib:,.0f} MiB")
    print(
        f"machine check (fixed DuckDB workload, lower is faster): {check_before:.3f} s before, "
        f"{check_after:.3f} s after"
    )
    if TRASH.exists():
        kept = sum(f.stat().st_size for f in TRASH.rglob("*") if f.is_file()) / 1e9
        print(f"earlier lakes kept in {TRASH.relative_to(ROOT)} ({kept:.1f} GB): `make clean` removes them")


if __name__ == "__main__":
    main()
