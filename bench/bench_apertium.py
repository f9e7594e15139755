"""Apertium through `bilingual build` vs the raw `apertium | apertium` pipe, side by side.

Also the peak memory of a build of 1 MB of French. Run: .venv/bin/python bench/bench_apertium.py
"""

from __future__ import annotations

import json
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
result = build([Path(sys.argv[1])], BuildConfig(output_dir=Path(sys.argv[2]), engine="apertium",
               glossary_path=Path(sys.argv[3])))
print(json.dumps({"segments": sum(len(d.units) for d in result.documents),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def raw_pipe(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        f"apertium -u fr-es < '{path}' | apertium -u spa-eng > /dev/null", shell=True, check=True
    )
    return time.perf_counter() - start


def bilingual_build(path: Path, outdir: Path) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_MEASURE, str(path), str(outdir), str(ROOT / "glossary")],
        check=True, capture_output=True, text=True,
    )
    return time.perf_counter() - start, json.loads(done.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        text_200k = work / "fr200k.txt"
        text_200k.write_text(french_prose(200_000), encoding="utf-8")
        pipe_times, build_times = [], []
        for round_ in range(3):  # alternate so both see the same machine load
            pipe_times.append(raw_pipe(text_200k))
            build_times.append(bilingual_build(text_200k, work / f"out{round_}")[0])
        pipe, built = min(pipe_times), min(build_times)
        size = text_200k.stat().st_size
        print(f"200 KB French ({size} bytes), best of 3:")
        print(f"  raw apertium pipe   {pipe:6.2f} s  {size / pipe / 1000:6.1f} KB/s")
        print(f"  bilingual build     {built:6.2f} s  {size / built / 1000:6.1f} KB/s")
        print(f"  throughput ratio build/pipe = {pipe / built:.2f}x (target >= 0.9x)")

        text_1m = work / "fr1m.txt"
        text_1m.write_text(french_prose(1_000_000), encoding="utf-8")
        seconds, stats = bilingual_build(text_1m, work / "out1m")
        print(f"1 MB build: {seconds:.1f} s, {stats['segments']:.0f} segments, "
              f"peak RSS {stats['peak_rss_mb']:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
