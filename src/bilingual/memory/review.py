"""Reviews: a translator's word that a segment's current translation is right.

A review is a recorded operation of kind ``review`` (its subject: the source text) that names,
in its counts, the human version it confirms (``{"version": ID}``). Reviewing a machine
translation stores it as a human version first, in the same operation: confirmed, it is human
work from then on. So

- a new edit makes a new version, which nobody has reviewed yet;
- undoing the review (:meth:`TranslationMemory.undo`) takes the confirmation back, and the
  version it stored;
- undoing a later edit makes the reviewed version current, and reviewed, again.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import MemoryTransaction, TranslationMemory, timestamp

REVIEW = "review"


def reviewed_versions(memory: TranslationMemory) -> set[int]:
    """The ids of the human versions a review (not undone) confirms."""
    return {
        operation.counts["version"]
        for operation in memory.operations([REVIEW])
        if operation.undone is None and "version" in operation.counts
    }


def reviewed_sources(memory: TranslationMemory, sources: Sequence[str]) -> set[str]:
    """The ``sources`` whose current translation is a reviewed human version.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from bilingual.memory import open_memory
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open_memory(Path(folder) / "memory.sqlite") as memory:
    ...         with memory.transaction() as session:
    ...             _ = record_review(session, "Oui.", "Yes.", "doc")
    ...         sorted(reviewed_sources(memory, ["Oui.", "Non."]))
    ['Oui.']
    """
    confirmed = reviewed_versions(memory)
    if not confirmed:
        return set()
    with memory.transaction(rollback=True) as session:
        current = session.current_human(sources)
    return {source for source, version in current.items() if version.id in confirmed}


def record_review(
    session: MemoryTransaction, source: str, target: str, document: str | None
) -> int:
    """Confirm ``target`` as the translation of ``source`` inside ``session``; return the
    review's operation id. A ``target`` that is not the current human version is stored as one."""
    operation = session.begin(REVIEW, source)
    current = session.current_human([source]).get(source)
    stored = 0
    if current is None or current.target != target:
        session.add_human(source, target, timestamp(), document, operation)
        current = session.current_human([source])[source]
        stored = 1
    session.finish(operation, {"stored": stored, "version": current.id})
    return operation
