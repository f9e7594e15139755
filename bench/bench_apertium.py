"""Apertium through `bilingual build` vs the raw `apertium | apertium` pipe, side by side.

The text is 200 KB of distinct real French prose (the seeds, bench/data and the public corpora
of ../shared/eval/seg: news, Wikipedia, Europarl, regional press, leaflets; see common.py), not
a few sentences cycled: Apertium's speed and the leftovers it leaves depend on the words.

Each round runs the raw pipe and the build one after the other, so both see the same machine
load; the ratio pipe/build is taken per round and reported as median and spread. The build runs
in a fresh Python process, as the CLI would (imports, word lists and analysers included).
Also the peak memory of a build of 1 MB of French (``--no-1mb`` skips it).

Run: .venv/bin/python bench/bench_apertium.py [--rounds 5] [--no-1mb] [--baseline OLD/src]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, distinct_share, french_corpus

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
    with path.open("rb") as text:
        first = subprocess.Popen(["apertium", "-u", "fr-es"], stdin=text, stdout=subprocess.PIPE)
        second = subprocess.run(
            ["apertium", "-u", "spa-eng"], stdin=first.stdout, stdout=subprocess.DEVNULL, check=True
        )
        assert first.stdout is not None
        first.stdout.close()
        first.wait()
    assert first.returncode == 0 and second.returncode == 0
    return time.perf_counter() - start


def bilingual_build(
    path: Path, outdir: Path, source_tree: Path | None = None
) -> tuple[float, dict[str, float]]:
    """Build ``path`` in a fresh process, with the package from ``source_tree`` when given."""
    environment = dict(os.environ)
    if source_tree is not None:
        environment["PYTHONPATH"] = str(source_tree)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_MEASURE, str(path), str(outdir), str(ROOT / "glossary")],
        check=True, capture_output=True, text=True, env=environment,
    )
    return time.perf_counter() - start, json.loads(done.stdout)


def summary(label: str, ratios: list[float]) -> str:
    return (f"  throughput ratio {label}/pipe: median {statistics.median(ratios):.2f}x, "
            f"range {min(ratios):.2f}-{max(ratios):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-1mb", dest="one_mb", action="store_false")
    parser.add_argument("--baseline", type=Path, metavar="SRC",
                        help="also build with the package in SRC (e.g. an older checkout's src) "
                             "in every round, for a before/after comparison in one run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        text_200k = work / "fr200k.txt"
        corpus = french_corpus(200_000)
        text_200k.write_text(corpus, encoding="utf-8")
        size = text_200k.stat().st_size
        print(f"200 KB of French ({size} bytes, {distinct_share(corpus):.1%} of sentences "
              f"distinct), {args.rounds} rounds, pipe then build in each:")
        ratios, baseline_ratios, pipes, builds = [], [], [], []
        for round_ in range(args.rounds):
            pipe = raw_pipe(text_200k)
            built, _ = bilingual_build(text_200k, work / f"out{round_}")
            pipes.append(pipe)
            builds.append(built)
            ratios.append(pipe / built)
            line = (f"  round {round_ + 1}: pipe {pipe:6.2f} s  build {built:6.2f} s  "
                    f"ratio {pipe / built:.2f}x")
            if args.baseline:
                before, _ = bilingual_build(text_200k, work / f"base{round_}", args.baseline)
                baseline_ratios.append(pipe / before)
                line += f"  baseline {before:6.2f} s  ratio {pipe / before:.2f}x"
            print(line, flush=True)
        print(f"  raw apertium pipe   median {statistics.median(pipes):6.2f} s  "
              f"{size / statistics.median(pipes) / 1000:6.1f} KB/s")
        print(f"  bilingual build     median {statistics.median(builds):6.2f} s  "
              f"{size / statistics.median(builds) / 1000:6.1f} KB/s")
        print(summary("build", ratios) + " (target >= 0.9x)")
        if baseline_ratios:
            print(summary("baseline", baseline_ratios))

        if args.one_mb:
            text_1m = work / "fr1m.txt"
            text_1m.write_text(french_corpus(1_000_000), encoding="utf-8")
            seconds, stats = bilingual_build(text_1m, work / "out1m")
            print(f"1 MB build: {seconds:.1f} s, {stats['segments']:.0f} segments, "
                  f"peak RSS {stats['peak_rss_mb']:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
