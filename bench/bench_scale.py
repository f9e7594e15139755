"""A corpus built in-process and on a Dask LocalCluster of 1 and of 2 workers, with the SQLite
and (when a server can be started here) the PostgreSQL memory, side by side in one run.

The corpus is ``--texts`` distinct French texts of about ``--size`` bytes in all (distinct
realistic prose, see ``texts.py``), translated by Apertium. Every build starts from an empty
memory and an empty output folder and includes everything ``bilingual build`` does: reading,
segmentation, recall, translation, storing, checks, suggestions, writing, and for a cluster
build starting and stopping the LocalCluster. Rows alternate between modes in each round so
that all see the same machine load; the best of ``--rounds`` is kept.

Besides throughput, the in-process build's log gives the split the README's "Scaling out"
extrapolates from: seconds spent waiting for the engine vs seconds of client work per batch.

Run: .venv/bin/python bench/bench_scale.py [--texts 200] [--size 3000000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common import ROOT
from texts import french_prose

from bilingual.pipeline import BuildConfig, build

MODES = (("in-process", 0), ("LocalCluster(1)", 1), ("LocalCluster(2)", 2))


def write_corpus(folder: Path, texts: int, size: int) -> int:
    """``texts`` files cut from one distinct prose text at paragraph ends; return the bytes."""
    paragraphs = french_prose(size).split("\n\n")
    folder.mkdir(parents=True)
    for number in range(texts):
        part = paragraphs[len(paragraphs) * number // texts : len(paragraphs) * (number + 1) // texts]
        (folder / f"text{number:04d}.txt").write_text("\n\n".join(part) + "\n", "utf-8")
    return sum(path.stat().st_size for path in folder.iterdir())


class StageLog(logging.Handler):
    """Collects the pipeline's ``stage NAME: S s`` and translate split debug lines."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextlib.contextmanager
def postgres_location() -> Iterator[str | None]:
    """A fresh PostgreSQL database URL, or None (with the reason printed) when the memory has
    no PostgreSQL backend or no server can be started here."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from postgres_server import PostgresServer, unavailable_reason  # type: ignore[import-not-found]

        from bilingual.memory import BACKENDS  # type: ignore[attr-defined]
    except ImportError as error:
        print(f"PostgreSQL memory: skipped ({error.name} not available in this tree)")
        yield None
        return
    reason = unavailable_reason() if "postgresql" in BACKENDS else "no PostgreSQL backend"
    if reason:
        print(f"PostgreSQL memory: skipped ({reason})")
        yield None
        return
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def timed_build(corpus: Path, work: Path, memory: str | Path, workers: int) -> float:
    config = BuildConfig(
        output_dir=work / "out", engine="apertium", glossary_path=ROOT / "glossary",
        memory_path=memory, workers=workers,  # type: ignore[arg-type]
    )
    started = time.perf_counter()
    build([corpus], config)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--size", type=int, default=3_000_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    log = StageLog()
    logging.getLogger("bilingual.pipeline").addHandler(log)
    logging.getLogger("bilingual.pipeline").setLevel(logging.DEBUG)
    with tempfile.TemporaryDirectory() as folder, postgres_location() as server:
        work = Path(folder)
        corpus = work / "corpus"
        size = write_corpus(corpus, args.texts, args.size)
        memories: list[tuple[str, object]] = [("SQLite", None)]
        if server is not None:
            memories.append(("PostgreSQL", server))
        times: dict[tuple[str, str], float] = {}
        run = 0
        for _ in range(args.rounds):
            for memory_name, backend in memories:
                for mode, workers in MODES:
                    run += 1
                    if backend is None:
                        memory: str | Path = work / f"memory{run}.sqlite"
                    else:
                        memory = backend.create_database(f"bench{run}")  # type: ignore[attr-defined]
                    log.lines.clear()
                    seconds = timed_build(corpus, work / f"run{run}", memory, workers)
                    key = (memory_name, mode)
                    times[key] = min(times.get(key, seconds), seconds)
                    if workers == 0 and memory_name == "SQLite":
                        split = list(log.lines)
        print(f"corpus: {args.texts} texts, {size / 1e6:.2f} MB, Apertium; best of {args.rounds}")
        print(f"{'memory':<11} {'mode':<16} {'seconds':>8} {'KB/s':>7} {'vs in-process':>14}")
        for memory_name, _ in memories:
            base = times[(memory_name, "in-process")]
            for mode, _ in MODES:
                seconds = times[(memory_name, mode)]
                print(f"{memory_name:<11} {mode:<16} {seconds:8.1f} {size / seconds / 1000:7.1f} "
                      f"{base / seconds:13.2f}x")
        print("in-process build, SQLite memory, by stage:")
        for line in split:
            if re.match(r"(stage|translate)", line):
                print(f"  {line}")


if __name__ == "__main__":
    main()
