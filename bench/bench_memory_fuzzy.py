"""Fuzzy suggestions among 100,000 stored segments: prose vs near-duplicate contract clauses;
and the memory's costs per 1,000 segments on SQLite vs PostgreSQL.

1. Two memories of 100,000 segments each: prose (a word-bigram chain over ~4,200 real French
   sentences, so real vocabulary and lengths but no real sentence twice) and contract clauses
   (30 templates that differ by a number, a date or a name: thousands of stored segments share
   almost every word of a new one, the fuzzy matcher's worst case). ``fuzzy_many`` is timed per
   lookup on new prose, revised prose (a stored sentence with one word replaced) and new
   clauses, and compared with a full scan (every stored segment of a possible length whose
   :func:`~bilingual.memory.fuzzy.similarity_bound` reaches the threshold) on a sample.
2. Linear in the number of lookups: ``fuzzy_many`` on N and 4 N new clauses.
3. SQLite vs PostgreSQL (``--postgres``; a throwaway server, see tests/postgres_server.py):
   ``store_machine``, ``lookup_many`` and ``fuzzy_many`` per 1,000 segments, the two memories
   filled and queried in turn, batch by batch, so the machine's drift hits both alike.

Run: ``.venv/bin/python bench/bench_memory_fuzzy.py [--segments 100000] [--postgres]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from common import ROOT
from texts import french_clause_list, french_sentences, real_paragraphs

from bilingual.document import EngineInfo
from bilingual.memory import FUZZY_THRESHOLD, TranslationMemory, open_memory
from bilingual.memory.fuzzy import length_range, similarity, similarity_bound

ENGINE = EngineInfo("bench", "1", "fr-en")
BATCH = 1000  # segments per store_machine call, as an engine batch would be at most


def fill(memory: TranslationMemory, sources: Sequence[str]) -> float:
    """Store ``sources`` as machine translations, batch by batch; the seconds it took."""
    started = time.perf_counter()
    for start in range(0, len(sources), BATCH):
        rows = [(source, f"EN {source}", "") for source in sources[start : start + BATCH]]
        memory.store_machine("bench", rows, ENGINE)
    return time.perf_counter() - started


def revise(rng: random.Random, sentence: str, vocabulary: list[str]) -> str:
    """A stored sentence as a reviser would change it: one word replaced."""
    words = sentence.split()
    words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words)


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def full_scan(query: str, stored: Sequence[str]) -> float:
    """The best similarity of ``query`` to any other stored segment (0 below the threshold)."""
    shortest, longest = length_range(len(query), FUZZY_THRESHOLD)
    best = 0.0
    for source in stored:
        if source == query or not shortest <= len(source) <= longest:
            continue
        if similarity_bound(source, query) >= max(best, FUZZY_THRESHOLD):
            best = max(best, similarity(source, query))
    return best if best >= FUZZY_THRESHOLD else 0.0


def report_lookups(
    label: str, memory: TranslationMemory, queries: list[str], stored: list[str], scans: int
) -> None:
    seconds, result = timed(lambda: memory.fuzzy_many(queries))
    suggestions = list(result)  # type: ignore[call-overload]
    found = [s for s in suggestions if s is not None]
    mean = statistics.mean(s.similarity for s in found) if found else 0.0
    agree = 0
    for query, suggestion in zip(queries[:scans], suggestions, strict=False):
        indexed = suggestion.similarity if suggestion is not None else 0.0
        agree += abs(full_scan(query, stored) - indexed) < 1e-3
    print(
        f"  {label:22} {seconds / len(queries) * 1e3:6.2f} ms per lookup; suggestions for "
        f"{len(found)}/{len(queries)} (mean {mean:.0%}); same best as a full scan: "
        f"{agree}/{min(scans, len(queries))}"
    )


def fuzzy_at_scale(options: argparse.Namespace, folder: Path) -> None:
    rng = random.Random(options.seed)
    count, queries = options.segments, options.queries
    prose = french_sentences(count + queries, seed=options.seed)
    clauses = french_clause_list(count + 5 * queries, seed=options.seed)
    vocabulary = sorted({word for paragraph in real_paragraphs() for sentence in paragraph
                         for word in sentence.split()})
    print(f"Fuzzy suggestions among {count:,} stored segments (fuzzy_many, SQLite):")
    with open_memory(folder / "prose.sqlite") as memory:
        seconds = fill(memory, prose[:count])
        print(f"  prose memory filled in {seconds:.0f} s ({seconds / count * 1e6:.0f} µs a segment)")
        novel = prose[count:]
        revised = [revise(rng, sentence, vocabulary) for sentence in rng.sample(prose[:count], queries)]
        report_lookups("new prose", memory, novel, prose[:count], options.scans)
        report_lookups("revised prose", memory, revised, prose[:count], options.scans)
    with open_memory(folder / "clauses.sqlite") as memory:
        seconds = fill(memory, clauses[:count])
        print(f"  clause memory filled in {seconds:.0f} s ({seconds / count * 1e6:.0f} µs a segment)")
        new = clauses[count:]
        report_lookups("new clauses", memory, new[:queries], clauses[:count], options.scans)
        small, _ = timed(lambda: memory.fuzzy_many(new[:queries]))
        large, _ = timed(lambda: memory.fuzzy_many(new[: 4 * queries]))
        print(
            f"  {queries} vs {4 * queries} new clauses: {small:.1f} s vs {large:.1f} s "
            f"(x{large / small:.2f} for 4x the lookups)"
        )


def backends(options: argparse.Namespace, folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import PostgresServer, unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        print(f"SQLite vs PostgreSQL: skipped ({reason})")
        return
    server = PostgresServer()
    server.start()
    try:
        count = options.backend_segments
        sources = french_clause_list(count + 1000, seed=options.seed + 1)
        stored, new = sources[:count], sources[count:]
        memories = {
            "SQLite": open_memory(folder / "backend.sqlite"),
            "PostgreSQL": open_memory(server.create_database("bench")),
        }
        costs: dict[str, dict[str, float]] = {name: {} for name in memories}
        for start in range(0, count, BATCH):  # in turn, batch by batch
            for name, memory in memories.items():
                seconds = fill(memory, stored[start : start + BATCH])
                costs[name]["store_machine"] = costs[name].get("store_machine", 0.0) + seconds
        for name, memory in memories.items():
            costs[name]["store_machine"] *= 1000 / count
            seconds, _ = timed(lambda m=memory: m.lookup_many(stored[:1000], ENGINE, [""] * 1000))
            costs[name]["lookup_many"] = seconds
        for name, memory in memories.items():
            costs[name]["fuzzy_many"], _ = timed(lambda m=memory: m.fuzzy_many(new))
        print(f"SQLite vs PostgreSQL, seconds per 1,000 clauses, {count:,} stored:")
        for what in ("store_machine", "lookup_many", "fuzzy_many"):
            sqlite, postgres = costs["SQLite"][what], costs["PostgreSQL"][what]
            print(f"  {what:14} SQLite {sqlite:6.2f}  PostgreSQL {postgres:6.2f}  (x{postgres / sqlite:.1f})")
        for memory in memories.values():
            memory.close()
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400, help="lookups of each kind")
    parser.add_argument("--scans", type=int, default=20, help="lookups checked by a full scan")
    parser.add_argument("--postgres", action="store_true", help="also compare with PostgreSQL")
    parser.add_argument("--backend-segments", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        fuzzy_at_scale(options, Path(folder))
        if options.postgres:
            backends(options, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
