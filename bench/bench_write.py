"""The write stage of a build: the seeds, 1 MB of French, and the seeds rebuilt into a folder
that already holds the 1 MB text (whose units ``memory.tmx`` must then carry too), side by side
in one run.

Every text is translated once by Apertium into a translation memory before the rounds, so each
timed build recalls all its translations and the write stage is measured alone (from the
pipeline's own stage timings). Pass ``--memory`` to keep that memory between runs.

Run: .venv/bin/python bench/bench_write.py [--rounds 5] [--memory PATH]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

from common import ROOT, SEEDS
from texts import french_prose

from bilingual.pipeline import BuildConfig, build


class StageTimes(logging.Handler):
    """Collects the pipeline's ``stage NAME: SECONDS s`` debug records."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "stage %s: %.3f s":
            name, seconds = record.args  # type: ignore[misc]
            self.seconds[name] = seconds


def write_seconds(paths: list[Path], config: BuildConfig, times: StageTimes) -> float:
    build(paths, config)
    return times.seconds["write"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory", type=Path, help="translation memory to reuse between runs")
    args = parser.parse_args()
    times = StageTimes()
    logger = logging.getLogger("bilingual.pipeline")
    logger.addHandler(times)
    logger.setLevel(logging.DEBUG)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        big = work / "fr1m.txt"
        big.write_text(french_prose(1_000_000), encoding="utf-8")
        config = BuildConfig(output_dir=work / "warm", engine="apertium",
                             glossary_path=ROOT / "glossary",
                             memory_path=args.memory or work / "tm.sqlite")
        build([SEEDS, big], config)  # fills the memory: every timed build below recalls all
        figures: dict[str, list[float]] = {"seeds": [], "1 MB": [], "seeds beside 1 MB": []}
        for round_ in range(args.rounds):
            out = work / f"round-{round_}"
            figures["seeds"].append(
                write_seconds([SEEDS], replace(config, output_dir=out / "a"),
                              times))
            figures["1 MB"].append(
                write_seconds([big], replace(config, output_dir=out / "b"),
                              times))
            figures["seeds beside 1 MB"].append(
                write_seconds([SEEDS], replace(config, output_dir=out / "b"),
                              times))
        seeds = statistics.median(figures["seeds"])
        for label, seconds in figures.items():
            median = statistics.median(seconds)
            print(f"write stage, {label}: median {median * 1000:.0f} ms "
                  f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f}; "
                  f"{median / seeds:.1f}x the seeds alone)")


if __name__ == "__main__":
    main()
