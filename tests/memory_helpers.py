"""Helpers for the translation-memory tests, also run as subprocess writers.

``python memory_helpers.py machine LOCATION NAME BATCHES SIZE`` stores BATCHES engine batches
(a build's writes), one transaction each, and prints ``committed N`` after each commit, so a
test can kill it with SIGKILL midway and know exactly which batches must have survived.
``python memory_helpers.py import LOCATION NAME BATCHES SIZE`` imports BATCHES files of
post-edits, one recorded import each. Every batch of either kind also writes
:data:`SHARED` segments that every other writer writes too, at the same time.
"""

from __future__ import annotations

import sys

from bilingual.document import EngineInfo
from bilingual.exchange import TranslationUnit
from bilingual.memory import import_units, open_memory, timestamp

ENGINE = EngineInfo("fake", "1.0", "fr-en")
#: Segments of each batch that every concurrent writer stores too.
SHARED = 5
#: Long enough that a torn write could not pass for a whole one.
_PADDING = " ".join(f"mot{number}" for number in range(400))


def batch_rows(name: str, batch: int, size: int) -> list[tuple[str, str, str]]:
    return [
        (f"{name} phrase {batch} numéro {row}.", f"{name} sentence {batch} number {row}.", "g")
        for row in range(size)
    ]


def shared_sources(batch: int) -> list[str]:
    return [f"Phrase commune {batch} numéro {row}." for row in range(SHARED)]


def machine_rows(name: str, batch: int, size: int) -> list[tuple[str, str, str]]:
    """A build's engine batch: its own segments, then the shared ones (same translation)."""
    shared = [(source, f"Shared {source} {_PADDING} end", "g") for source in shared_sources(batch)]
    return batch_rows(name, batch, size) + shared


def post_edits(name: str, batch: int, size: int) -> list[tuple[str, str]]:
    """An import's post-edits: its own segments, then its versions of the shared ones."""
    own = [f"{name} relue {batch} numéro {row}." for row in range(size)]
    return [(source, f"{name} edited {source} {_PADDING} end") for source in own + shared_sources(batch)]


def write_batches(location: str, name: str, batches: int, size: int) -> None:
    with open_memory(location) as memory:
        for batch in range(batches):
            memory.store_machine(name, machine_rows(name, batch, size), ENGINE)
            print(f"committed {batch}", flush=True)


def import_batches(location: str, name: str, batches: int, size: int) -> None:
    with open_memory(location) as memory:
        for batch in range(batches):
            units = [TranslationUnit(source, target) for source, target in post_edits(name, batch, size)]
            import_units(memory, units, f"{name}-{batch}.tmx", timestamp())
            print(f"committed {batch}", flush=True)


if __name__ == "__main__":
    role, location, name, batches, size = sys.argv[1:6]
    writer = write_batches if role == "machine" else import_batches
    writer(location, name, int(batches), int(size))
