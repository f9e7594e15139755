"""Apertium through `bilingual build` vs the raw `apertium | apertium` pipe, side by side.

Wall time and processor time (of every process each one starts) are both reported: the pipe's
two dozen programs keep more than one core busy on their own, so what the build does besides
them (start-up, segmentation, the second route for leftovers, checks, memory, suggestions,
outputs) costs wall time unless cores are left idle; the processor-time ratio bounds the
wall-time ratio on a machine whose cores the pipe already fills.

Also the peak memory of a build of 1 MB of French. Run: .venv/bin/python bench/bench_apertium.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT
from texts import french_prose

BUILD_AND_MEASURE = """
import resource, sys, json
from pathlib import Path
from bilingual.pipeline import BuildConfig, build
# as `bilingual build` runs by default: the project glossary and a (fresh) translation memory
out = Path(sys.argv[2])
result = build([Path(sys.argv[1])], BuildConfig(output_dir=out, engine="apertium",
               glossary_path=Path(sys.argv[3]), memory_path=out.with_suffix(".sqlite")))
print(json.dumps({"segments": sum(len(d.units) for d in result.documents),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def raw_pipe(path: Path) -> tuple[float, float]:
    """Wall and processor seconds of the raw pipe over ``path``."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(
        f"apertium -u fr-es < '{path}' | apertium -u spa-eng > /dev/null", shell=True, check=True
    )
    return time.perf_counter() - start, children_cpu() - cpu


def bilingual_build(path: Path, outdir: Path) -> tuple[float, float, dict[str, float]]:
    """Wall and processor seconds of a build of ``path``, and what it measured of itself."""
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_MEASURE, str(path), str(outdir), str(ROOT / "glossary")],
        check=True, capture_output=True, text=True,
    )
    return time.perf_counter() - start, children_cpu() - cpu, json.loads(done.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        text_200k = work / "fr200k.txt"
        text_200k.write_text(french_prose(200_000), encoding="utf-8")
        pipes, builds = [], []
        for round_ in range(3):  # alternate so both see the same machine load
            pipes.append(raw_pipe(text_200k))
            builds.append(bilingual_build(text_200k, work / f"out{round_}")[:2])
        (pipe, pipe_cpu), (built, built_cpu) = min(pipes), min(builds)
        size = text_200k.stat().st_size
        cores = len(os.sched_getaffinity(0))
        print(f"200 KB French ({size} bytes), best of 3 (processor time of that run):")
        print(f"  raw apertium pipe   {pipe:6.2f} s  {size / pipe / 1000:6.1f} KB/s"
              f"   processor {pipe_cpu:5.1f} s = {pipe_cpu / pipe:.2f} of {cores} cores busy")
        print(f"  bilingual build     {built:6.2f} s  {size / built / 1000:6.1f} KB/s"
              f"   processor {built_cpu:5.1f} s = {built_cpu / built:.2f} of {cores} cores busy")
        print(f"  throughput ratio build/pipe = {pipe / built:.2f}x (target >= 0.9x)")
        print(f"  processor-time ratio pipe/build = {pipe_cpu / built_cpu:.2f}x: the wall-time "
              f"ratio's ceiling once the pipe fills every core")

        text_1m = work / "fr1m.txt"
        text_1m.write_text(french_prose(1_000_000), encoding="utf-8")
        seconds, _, stats = bilingual_build(text_1m, work / "out1m")
        print(f"1 MB build: {seconds:.1f} s, {stats['segments']:.0f} segments, "
              f"peak RSS {stats['peak_rss_mb']:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
