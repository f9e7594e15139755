"""Reviews in the translation memory: recorded, tied to a version, undone like the rest."""

from __future__ import annotations

from pathlib import Path

from bilingual.document import EngineInfo, Origin
from bilingual.memory import (
    REVIEW,
    TranslationMemory,
    open_memory,
    record_review,
    reviewed_sources,
    reviewed_versions,
)

ENGINE = EngineInfo("engine", "1", "fr-en")


def review(memory: TranslationMemory, source: str, target: str) -> int:
    with memory.transaction() as session:
        return record_review(session, source, target, "doc")


def test_reviewing_a_machine_translation_makes_it_human(tmp_path: Path) -> None:
    with open_memory(tmp_path / "memory.sqlite") as memory:
        memory.store_machine("doc", [("Oui.", "Yes.", "")], ENGINE)
        operation = review(memory, "Oui.", "Yes.")
        assert reviewed_sources(memory, ["Oui.", "Non."]) == {"Oui."}
        current = next(v for v in memory.history("Oui.") if v.current)
        assert current.origin is Origin.HUMAN and current.operation is not None
        assert current.operation.kind == REVIEW and current.id in reviewed_versions(memory)
        assert memory.operation(operation).counts == {"stored": 1, "version": current.id}
        memory.undo(operation)
        assert reviewed_sources(memory, ["Oui."]) == set()
        assert [v.origin for v in memory.history("Oui.")] == [Origin.MACHINE]


def test_a_review_of_a_human_version_stores_no_copy(tmp_path: Path) -> None:
    with open_memory(tmp_path / "memory.sqlite") as memory:
        memory.store_human("doc", [("Oui.", "Yes indeed.")])
        review(memory, "Oui.", "Yes indeed.")
        assert len(memory.history("Oui.")) == 1
        assert reviewed_sources(memory, ["Oui."]) == {"Oui."}


def test_a_new_edit_is_not_reviewed_until_undone(tmp_path: Path) -> None:
    with open_memory(tmp_path / "memory.sqlite") as memory:
        memory.store_human("doc", [("Oui.", "Yes.")])
        review(memory, "Oui.", "Yes.")
        memory.store_human("doc", [("Oui.", "Yes, yes.")])
        assert reviewed_sources(memory, ["Oui."]) == set()
        edit = memory.operations(["edit"])[-1]
        memory.undo(edit.id)
        assert reviewed_sources(memory, ["Oui."]) == {"Oui."}
