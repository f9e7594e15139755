"""Fuzzy lookup latency with 100,000 stored segments: indexed search vs a naive full scan.

Builds a throwaway memory of synthetic French-like sentences (Zipf-distributed vocabulary, so
common words are as common as "de" and "la" in real text), then times
:meth:`TranslationMemory.fuzzy` on near-duplicates of stored segments and on unrelated ones,
and, side by side, a naive scan computing the same similarity against every stored segment.

Run: ``.venv/bin/python bench/bench_memory_fuzzy.py [--segments 100000] [--naive-queries 1]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bilingual.document import EngineInfo
from bilingual.memory import FUZZY_THRESHOLD, TranslationMemory, similarity

ENGINE = EngineInfo("bench", "1", "fr-en")
# Frequent French words, so that every sentence shares some with many others, as in real text.
FUNCTION_WORDS_TEXT = (
    "le la les un une des de du et à en dans sur pour par avec qui que ne pas il elle nous vous "
    "ils est sont a ont se ce cette son sa ses au aux plus mais ou"
)
SYLLABLES_TEXT = (
    "ba be bi bo cha che chi dé dra fa fi gou la le li ma mé mi "
    "no pa pé po ra ré ri sa so ta té ti va vé vi"
)
FUNCTION_WORDS = FUNCTION_WORDS_TEXT.split()
SYLLABLES = SYLLABLES_TEXT.split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)}
    return FUNCTION_WORDS + sorted(words)[:size]


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    chosen = rng.choices(words, weights=weights, k=rng.randint(6, 28))
    return " ".join(chosen).capitalize() + "."


def mutate(rng: random.Random, text: str, words: list[str]) -> str:
    """Replace one or two words: a near-duplicate, typically 85-95 % similar."""
    tokens = text.rstrip(".").split()
    for _ in range(rng.randint(1, 2)):
        tokens[rng.randrange(len(tokens))] = rng.choice(words[len(FUNCTION_WORDS) :])
    return " ".join(tokens) + "."


def naive_best(query: str, stored: list[str]) -> float:
    best = 0.0
    for source in stored:
        if source != query:
            best = max(best, similarity(source, query))
    return best


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument(
        "--queries", type=int, default=200, help="indexed queries (half near-duplicates)"
    )
    parser.add_argument("--naive-queries", type=int, default=1, help="full-scan queries (slow)")
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()

    rng = random.Random(options.seed)
    words = vocabulary(rng, 20_000)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    stored = list(dict.fromkeys(sentence(rng, words, weights) for _ in range(options.segments)))

    with (
        tempfile.TemporaryDirectory() as folder,
        TranslationMemory(Path(folder) / "m.sqlite") as memory,
    ):
        started = time.perf_counter()
        for start in range(0, len(stored), 1000):
            rows = [(source, f"EN {source}", "") for source in stored[start : start + 1000]]
            memory.store_machine("bench", rows, ENGINE)
        fill_seconds = time.perf_counter() - started
        size_mb = (Path(folder) / "m.sqlite").stat().st_size / 1e6 + sum(
            path.stat().st_size for path in Path(folder).glob("m.sqlite-wal")
        ) / 1e6

        half = options.queries // 2
        origins = [rng.choice(stored) for _ in range(half)]
        near = [mutate(rng, origin, words) for origin in origins]
        novel = [sentence(rng, words, weights) for _ in range(options.queries - half)]
        timings: list[float] = []
        suggestions = []
        for query in near + novel:
            started = time.perf_counter()
            suggestions.append(memory.fuzzy(query))
            timings.append(time.perf_counter() - started)
        # Recall: every near-duplicate whose own origin reaches the threshold must get a
        # suggestion at least that similar.
        reachable = [
            (similarity(origin, query), suggestion)
            for origin, query, suggestion in zip(origins, near, suggestions, strict=False)
            if similarity(origin, query) >= FUZZY_THRESHOLD
        ]
        found = sum(
            1
            for score, suggestion in reachable
            if suggestion and suggestion.similarity >= score - 1e-3
        )
        unrelated = sum(1 for suggestion in suggestions[half:] if suggestion is not None)

        print(
            f"stored segments        {len(stored):,} (filled in {fill_seconds:.1f} s, {size_mb:.0f} MB)"
        )
        print(
            f"indexed fuzzy          {len(timings)} queries: mean {statistics.mean(timings) * 1e3:.1f} ms, "
            f"p50 {percentile(timings, 0.5) * 1e3:.1f} ms, p95 {percentile(timings, 0.95) * 1e3:.1f} ms, "
            f"max {max(timings) * 1e3:.1f} ms"
        )
        print(
            f"  recall               {found}/{len(reachable)} near-duplicates whose origin is "
            f"≥ {FUZZY_THRESHOLD:.0%} similar; suggestions for {unrelated}/{len(novel)} unrelated"
        )

        naive_times: list[float] = []
        agree = 0
        for query in near[: options.naive_queries]:
            started = time.perf_counter()
            best = naive_best(query, stored)
            naive_times.append(time.perf_counter() - started)
            suggestion = memory.fuzzy(query)
            indexed = suggestion.similarity if suggestion is not None else 0.0
            agree += abs(indexed - best) < 1e-3 or (best < FUZZY_THRESHOLD and indexed == 0.0)
        if naive_times:
            mean_naive = statistics.mean(naive_times)
            print(
                f"naive full scan        {len(naive_times)} queries: mean {mean_naive:.1f} s "
                f"({mean_naive / statistics.mean(timings):,.0f}x slower)"
            )
            print(f"  same best match      {agree}/{len(naive_times)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
