"""Helpers for the translation-memory tests, also run as a subprocess writer.

``python memory_helpers.py DB NAME BATCHES BATCH_SIZE`` stores BATCHES engine batches, one
transaction each, and prints ``committed N`` after each commit, so a test can kill it with
SIGKILL midway and know exactly which batches must have survived.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bilingual.document import EngineInfo
from bilingual.memory import TranslationMemory

ENGINE = EngineInfo("fake", "1.0", "fr-en")


def batch_rows(name: str, batch: int, size: int) -> list[tuple[str, str, str]]:
    return [
        (f"{name} phrase {batch} numéro {row}.", f"{name} sentence {batch} number {row}.", "g")
        for row in range(size)
    ]


def write_batches(database: Path, name: str, batches: int, size: int) -> None:
    with TranslationMemory(database) as memory:
        for batch in range(batches):
            memory.store_machine(name, batch_rows(name, batch, size), ENGINE)
            print(f"committed {batch}", flush=True)


if __name__ == "__main__":
    write_batches(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
