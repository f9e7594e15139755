"""Streaming TMX export: peak memory for 10,000 vs 100,000 units, side by side.

Each size runs in its own child process, so each peak resident set size (``ru_maxrss``) belongs
to that size alone. Units are generated lazily from the seed sentences and streamed through
:func:`bilingual.exchange.tmx.write_units`; if the writer kept units or elements around,
the 100,000-unit peak would be about ten times the 10,000-unit growth.

Run: ``.venv/bin/python bench/bench_tmx.py [--sizes 10000 100000]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from texts import french_sentences

from bilingual.document import Origin
from bilingual.exchange import FileHeader, TranslationUnit
from bilingual.exchange.tmx import write_units
from bilingual.exchange.units import Note


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def units(count: int, sentences: list[str]) -> Iterator[TranslationUnit]:
    created = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(count):
        source = f"{sentences[index % len(sentences)]} ({index})"
        yield TranslationUnit(
            source=source,
            target=f"EN: {source}",
            document=f"doc-{index // 1000}",
            engine="bench:1:fr-en",
            origin=Origin.MACHINE,
            created=created,
            notes=(Note("'modèle' → 'model'", "term-ok"),) if index % 7 == 0 else (),
        )


def measure(count: int) -> dict[str, float]:
    """Write ``count`` units in this process; called in a child, one size per process."""
    sentences = french_sentences(count)
    baseline = peak_rss_mib()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.tmx"
        started = time.perf_counter()
        write_units(path, units(count, sentences), FileHeader(datetime.now(UTC)))
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "units": count,
        "seconds": seconds,
        "file_mib": size / 2**20,
        "baseline_mib": baseline,
        "peak_mib": peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    for size in args.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output))
    print(
        f"{'units':>8} {'seconds':>8} {'units/s':>8} {'file MiB':>9} "
        f"{'RSS before':>11} {'RSS peak':>9} {'growth':>7}"
    )
    for row in rows:
        growth = row["peak_mib"] - row["baseline_mib"]
        print(
            f"{row['units']:>8,.0f} {row['seconds']:>8.2f} {row['units'] / row['seconds']:>8,.0f} "
            f"{row['file_mib']:>9.1f} {row['baseline_mib']:>9.1f}Mi {row['peak_mib']:>7.1f}Mi "
            f"{growth:>5.1f}Mi"
        )


if __name__ == "__main__":
    main()
