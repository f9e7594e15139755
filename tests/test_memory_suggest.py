"""The suggestion stage: the same answers in one process or spread over several, each distinct
source looked up once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.document import EngineInfo
from bilingual.memory import open_memory, suggest

ENGINE = EngineInfo("double", "1", "test")


@pytest.fixture
def memory_path(tmp_path: Path) -> Path:
    path = tmp_path / "memory.sqlite"
    with open_memory(path) as memory:
        memory.store_machine(
            "clauses",
            [
                (f"Le locataire versera la somme de {n} euros le {n % 28 + 1} mars.", f"Pay {n}.", "")
                for n in range(200)
            ],
            ENGINE,
        )
        memory.store_human(None, [("Le bailleur répare le toit avant l'hiver.", "The roof.")])
    return path


def test_suggestions_are_the_same_in_one_process_and_in_several(
    memory_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suggest, "BATCH", 40)
    sources = [
        f"Le locataire versera la somme de {n} euros le {n % 28 + 2} mars." for n in range(0, 200, 2)
    ] + ["Le bailleur répare le toit avant le printemps.", "Rien de semblable ici, vraiment."]
    sources = sources * 2  # more batches than one, and every source twice
    alone = suggest.suggestions(memory_path, sources, processes=1)
    shared = suggest.suggestions(memory_path, sources, processes=2)
    assert alone == shared
    assert len(alone) == len(sources)
    assert alone[-2] is not None and alone[-2].target == "The roof."
    assert alone[-1] is None
    assert all(found is not None for found in alone[:100])


def test_each_distinct_source_is_looked_up_once(
    memory_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    original = suggest._suggest

    def recording(location: Path | str, sources: list[str]) -> list[object]:
        asked.extend(sources)
        return original(location, sources)  # type: ignore[return-value]

    monkeypatch.setattr(suggest, "_suggest", recording)
    sources = ["Le bailleur répare le toit avant le printemps."] * 3 + ["Autre chose."]
    found = suggest.suggestions(memory_path, sources, processes=1)
    assert asked == ["Le bailleur répare le toit avant le printemps.", "Autre chose."]
    assert found[0] == found[1] == found[2] is not None
