"""Fuzzy suggestions for a build's new translations: batched, in parallel, bounded.

A suggestion is the most similar segment of the memory with its translation (see
:meth:`bilingual.memory.TranslationMemory.fuzzy_many`, whose work per source is bounded). Only
the sources the engine translated in this build need one, each distinct source once; they go to
the memory in batches of :data:`BATCH`, spread over one process per core, each with its own
read-only connection to the memory. A lookup's cost grows with the memory until it reaches the
caps of ``fuzzy_many``, then stays: on prose, ~13 s per MB of text when the book fills a new
memory with 1 MB, ~23 s per MB with 31 MB; on near-duplicate clauses ~46 and ~25-29 s per MB
(``bench/bench_bigbook.py``), against Apertium's ~32-35 s per MB; a neural engine on CPU is
many times slower still.

The answers depend only on what the memory holds, not on how the work was shared out, so a
build gives the same suggestions on one core or on many.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..document import Suggestion
from ..parallel import usable_cores

#: Sources per call to ``fuzzy_many`` (the memory batches its own queries within one).
BATCH = 500


def suggestions(
    location: Path | str, sources: Sequence[str], processes: int | None = None
) -> list[Suggestion | None]:
    """The memory's suggestion for each of ``sources`` (None where nothing is similar enough).

    ``location`` is the memory's path or URL; ``processes`` defaults to the usable cores. One batch
    or one core: the work stays in this process.
    """
    # one dict from each distinct source to its answer, filled as the answers come (a big
    # book's suggestions are a good part of its memory: no second collection of them)
    found: dict[str, Suggestion | None] = dict.fromkeys(sources)
    unique = list(found)
    batches = [unique[start : start + BATCH] for start in range(0, len(unique), BATCH)]
    processes = min(processes or usable_cores(), len(batches))
    if processes <= 1:
        for batch in batches:
            found.update(zip(batch, _suggest(location, batch), strict=True))
    else:
        # forkserver: the build may hold threads (engine, cluster client) that fork would copy
        # mid-operation; the server process starts clean and forks the workers quickly.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["bilingual.memory"])
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            answers = pool.map(_suggest, [location] * len(batches), batches)
            for batch, answer in zip(batches, answers, strict=True):
                found.update(zip(batch, answer, strict=True))
    return [found[source] for source in sources]


def _suggest(location: Path | str, sources: list[str]) -> list[Suggestion | None]:
    from . import open_memory

    with open_memory(location, create=False) as memory:
        return memory.fuzzy_many(sources)
