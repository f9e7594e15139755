"""Texts open for post-editing: their segments, memory and glossary, and the edits made to them.

Plain library code: ``bilingual serve`` drives it from a web page, a script can drive it too::

    workspace = Workspace.build([Path("chapitre.txt")], BuildConfig(memory_path=..., ...))
    unit = workspace.unit("chapitre", 3)
    workspace.edit("chapitre", 3, "The new translation.", segment_version(unit))
    workspace.write_outputs(workspace.snapshot())

Every edit goes through the translation memory, as a recorded operation (kind ``edit``, or
``review``; its subject is the source text), so ``bilingual memory history`` shows it and
:meth:`Workspace.undo` takes it back. The segment's findings are checked again at once, and every
segment of every text with the same source follows.

Each segment has a *version* (:func:`segment_version`): a digest of what a reader sees of it,
source and translation, human or machine, reviewed or not. An edit names the version it was made
on; the memory compares it with the segment's stored state in the transaction that stores the
edit, so an edit made on a stale version (another tab or translator changed the segment since)
is refused with the current text (:class:`StaleVersion`), never stored over it.

A workspace is not thread-safe, and its memory connection belongs to the thread that opened it:
call every method from that one thread (the server runs them all on one worker thread).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..document import Document, EngineInfo, Origin, Unit, text_digest
from ..errors import BilingualError, InputError
from ..export.html import issues_of
from ..glossary import Entry, add_entry, load_glossary, remove_entries, replace_entry
from ..inline import coded_source, coded_target, set_target
from ..memory import REVIEW, Operation, TranslationMemory, record_review, reviewed_versions
from ..memory.base import MemoryTransaction, timestamp
from ..pipeline import (
    BuildConfig,
    BuildState,
    Reporter,
    SilentReporter,
    check_units,
    match_glossary,
    recall_units,
    remember,
    run_stages,
    stage_write,
    start_build,
)

EDIT = "edit"
#: The longest translation an edit may store, in characters: far beyond any sentence, short
#: enough that a pasted file is refused instead of stored.
MAX_TARGET = 20_000


class NotFound(BilingualError):
    """No such text, segment or operation."""


class EditRefused(BilingualError):
    """An edit that cannot be made as asked (an empty translation, a glossary without a file)."""


class StaleVersion(BilingualError):
    """An edit was made on a version of the segment that is no longer the current one."""

    def __init__(self, text: str, number: int, unit: Unit) -> None:
        self.text, self.number, self.unit = text, number, unit
        super().__init__(
            f"{text} #{number}: changed meanwhile (by another tab or translator); "
            "the current text is shown, save again to replace it"
        )


def segment_version(unit: Unit) -> str:
    """The version of a segment: a digest of its source and translation as a reader sees them.

    >>> from bilingual.document import Segment
    >>> unit = Unit(Segment(0, 4, "Oui."), "Yes.")
    >>> segment_version(unit) == segment_version(replace(unit, origin=Origin.MEMORY))
    True
    >>> segment_version(unit) == segment_version(replace(unit, origin=Origin.HUMAN))
    False
    """
    human = "human" if unit.origin is Origin.HUMAN else "machine"
    reviewed = "reviewed" if unit.reviewed else ""
    return text_digest(f"{coded_source(unit)}\0{human}\0{reviewed}\0{coded_target(unit)}")


@dataclass(frozen=True, slots=True)
class BuiltFolder:
    """An output folder of ``bilingual build``, as its manifest describes it."""

    path: Path
    sources: list[Path]
    formats: tuple[str, ...]  # the formats its texts were written in
    glossary: Path | None  # the glossary they were checked against, if one and still there


def built_folder(path: Path) -> BuiltFolder | None:
    """What ``bilingual build`` wrote into the folder ``path``; None if it wrote nothing there."""
    from ..export import EXPORTERS
    from ..outdir import MANIFEST_NAME, Manifest

    if not (path / MANIFEST_NAME).is_file():
        return None
    texts = list(Manifest.load(path).texts.values())
    if not texts:
        raise EditRefused(f"{path}: no text was built into this folder yet")
    for text in texts:
        if not Path(text.source).is_file():
            raise InputError(
                text.source,
                f"the source of {text.name} is gone; serve the texts themselves, with -o {path}",
            )
    formats = tuple(dict.fromkeys(o for text in texts for o in text.files if o in EXPORTERS))
    glossaries = {Path(text.glossary.path) for text in texts if text.glossary is not None}
    glossary = glossaries.pop() if len(glossaries) == 1 else None
    return BuiltFolder(
        path,
        [Path(text.source) for text in texts],
        formats,
        glossary if glossary is not None and glossary.exists() else None,
    )


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit changed: the segments of ``text`` to show again, the operation recorded."""

    text: str
    segments: tuple[int, ...]
    operation: Operation | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the post-editing of one text has come."""

    name: str
    segments: int
    human: int  # human translations nobody has reviewed yet
    reviewed: int
    machine: int
    flagged: int  # segments with warnings or errors
    resume: int  # the segment to continue at (from 1)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "segments": self.segments,
            "human": self.human,
            "reviewed": self.reviewed,
            "machine": self.machine,
            "flagged": self.flagged,
            "resume": self.resume,
        }


class Workspace:
    """The texts of one build, open for editing (see the module's docstring)."""

    def __init__(self, state: BuildState) -> None:
        if state.memory is None or state.translator is None:
            raise EditRefused("post-editing needs a translation memory: give one with --memory")
        self._state = state
        self.memory: TranslationMemory = state.memory
        self._engine: EngineInfo = state.translator.info()
        self.documents = {document.name: document for document in state.documents}
        self._positions: dict[str, list[tuple[Document, int]]] = {}
        self._text_of: dict[int, str] = {}  # id(unit) → its text's name
        for document in state.documents:
            for number, unit in enumerate(document.units, start=1):
                self._positions.setdefault(coded_source(unit), []).append((document, number))
                self._text_of[id(unit)] = document.name
        # the texts changed since their outputs were last taken to be written; another thread
        # puts back those whose writing failed
        self._unwritten: set[str] = set()
        self._unwritten_lock = threading.Lock()

    @classmethod
    def build(
        cls, paths: Sequence[Path], config: BuildConfig, reporter: Reporter | None = None
    ) -> Workspace:
        """Build ``paths`` as ``bilingual build`` does (outputs included), keeping the result
        open for editing."""
        state = start_build(paths, config, reporter or SilentReporter())
        # A first edit must not wait seconds for the QA word lists: read them meanwhile.
        threading.Thread(target=_load_word_lists, name="bilingual-word-lists", daemon=True).start()
        try:
            run_stages(state)
            workspace = cls(state)
            workspace._offer_suggestions()
        except BaseException:
            if state.memory is not None:
                state.memory.close()
            raise
        return workspace

    def close(self) -> None:
        self.memory.close()

    @property
    def config(self) -> BuildConfig:
        return self._state.config

    @property
    def output_dir(self) -> Path:
        return self._state.config.output_dir

    @property
    def glossary_path(self) -> Path | None:
        return self._state.config.glossary_path

    # -- reading ---------------------------------------------------------------------------

    def document(self, name: str) -> Document:
        try:
            return self.documents[name]
        except KeyError:
            raise NotFound(f"no text named {name!r} here") from None

    def unit(self, name: str, number: int) -> Unit:
        units = self.document(name).units
        if not 1 <= number <= len(units):
            raise NotFound(f"{name} has no segment #{number} (it has {len(units)})")
        return units[number - 1]

    def files(self, name: str) -> dict[str, str]:
        """The outputs of ``name`` in the output folder: output → file name."""
        self.document(name)
        assert self._state.result is not None
        outputs = self._state.result.files.get(name, {})
        return {
            output: file for output, file in outputs.items() if (self.output_dir / file).is_file()
        }

    def progress(self, name: str) -> Progress:
        units = self.document(name).units
        human = [unit.origin is Origin.HUMAN for unit in units]
        return Progress(
            name=name,
            segments=len(units),
            human=sum(1 for unit, is_human in zip(units, human) if is_human and not unit.reviewed),
            reviewed=sum(1 for unit in units if unit.reviewed),
            machine=human.count(False),
            flagged=sum(1 for unit in units if issues_of(unit.findings)),
            resume=self._resume(name, human),
        )

    def _resume(self, name: str, human: list[bool]) -> int:
        """Where the translator stopped: the first machine translation after the segment they
        last edited or reviewed (else the first anywhere, else the first not reviewed)."""
        last = self.last_operation(name)
        start = self._number_of(name, last.subject) if last is not None else 0
        for index in list(range(start, len(human))) + list(range(start)):
            if not human[index]:
                return index + 1
        units = self.document(name).units
        return next((n for n, unit in enumerate(units, start=1) if not unit.reviewed), 1)

    def last_operation(self, name: str) -> Operation | None:
        """The latest edit or review of a segment of ``name`` that is not undone."""
        sources = {coded_source(unit) for unit in self.document(name).units}
        return next(
            (
                operation
                for operation in reversed(self.memory.operations([EDIT, REVIEW]))
                if operation.undone is None and operation.subject in sources
            ),
            None,
        )

    def refresh(self, name: str) -> tuple[int, ...]:
        """Take in what other processes stored in the memory for ``name`` (another server, an
        import); return the segments that changed."""
        return self._recall(self.document(name).units, name)

    # -- editing ---------------------------------------------------------------------------

    def edit(self, name: str, number: int, target: str, version: str) -> Change:
        """Store ``target`` as the human translation of segment ``number``, made on
        ``version`` (:class:`StaleVersion` if that is no longer the current one).

        For a segment with inline markup, ``target`` is coded text (``<g1>…</g1>``, see
        :mod:`bilingual.inline`); markup it leaves out is put back and reported."""
        target = target.strip()
        if not target:
            raise EditRefused("an empty translation cannot be stored; cancel the edit instead")
        if len(target) > MAX_TARGET:
            raise EditRefused(f"a translation of {len(target)} characters is too long to store")
        unit = self.unit(name, number)
        source = coded_source(unit)
        stored = None
        with self.memory.transaction() as session:
            stale = self._stored_version(unit, session) != version
            if not stale and not (unit.origin is Origin.HUMAN and coded_target(unit) == target):
                stored = session.begin(EDIT, source)
                session.add_human(source, target, timestamp(), name, stored)
                session.finish(stored, {"stored": 1})
        operation = self.memory.operation(stored) if stored is not None else None
        return self._after(name, number, unit, operation, stale)

    def accept_suggestion(self, name: str, number: int, version: str) -> Change:
        """Store the segment's memory suggestion as its translation (see :meth:`edit`)."""
        suggestion = self.unit(name, number).suggestion
        if suggestion is None:
            raise NotFound(f"{name} #{number} has no suggestion from the memory")
        return self.edit(name, number, suggestion.target, version)

    def review(self, name: str, number: int, version: str, reviewed: bool = True) -> Change:
        """Mark segment ``number`` reviewed (its current translation becomes a reviewed human
        version), or no longer reviewed (its review is undone)."""
        unit = self.unit(name, number)
        if not unit.target.strip():
            raise EditRefused(f"{name} #{number} has no translation to review")
        stored = None
        with self.memory.transaction() as session:
            stale = self._stored_version(unit, session) != version
            if not stale and reviewed and not unit.reviewed:
                stored = record_review(session, coded_source(unit), coded_target(unit), name)
        operation = self.memory.operation(stored) if stored is not None else None
        if not stale and not reviewed and unit.reviewed:
            operation = self._undo_review(coded_source(unit))
        return self._after(name, number, unit, operation, stale)

    def _undo_review(self, source: str) -> Operation | None:
        """Undo the review that confirms the current version of ``source``."""
        confirmed = reviewed_versions(self.memory)
        for operation in reversed(self.memory.operations([REVIEW])):
            if (
                operation.undone is None
                and operation.subject == source
                and operation.counts.get("version") in confirmed
            ):
                self.memory.undo(operation.id)
                return self.memory.operation(operation.id)
        return None

    def undo(self, name: str, operation_id: int | None = None) -> Change:
        """Undo the latest edit or review in ``name``; ``operation_id``, when given, must be
        that one (:class:`StaleVersion` otherwise: someone edited since)."""
        last = self.last_operation(name)
        if last is None:
            raise NotFound(f"{name}: no edit to undo")
        number = self._number_of(name, last.subject)
        unit = self.unit(name, number)
        if operation_id is not None and operation_id != last.id:
            raise StaleVersion(name, number, unit)
        self.memory.undo(last.id)
        return self._after(name, number, unit, self.memory.operation(last.id), stale=False)

    def _number_of(self, name: str, source: str) -> int:
        return next(n for document, n in self._positions[source] if document.name == name)

    def _stored_version(self, unit: Unit, session: MemoryTransaction) -> str:
        """The version of ``unit`` as the memory holds it now, read inside the caller's
        transaction (``session``), so that nothing can change it before the caller writes."""
        engine, source = self._engine, coded_source(unit)
        hit = self.memory.lookup_many([source], engine, [self._state.glossary_key(unit)])[0]
        if hit is None:
            return segment_version(unit)
        current = session.current_human([source]).get(source)
        reviewed = current is not None and current.id in reviewed_versions(self.memory)
        probe = replace(unit)
        set_target(probe, hit.target)
        remember(probe, hit, engine, reviewed)
        return segment_version(probe)

    def _after(
        self, name: str, number: int, unit: Unit, operation: Operation | None, stale: bool
    ) -> Change:
        """Bring every segment with ``unit``'s source up to date with the memory; raise
        :class:`StaleVersion` if the edit was refused."""
        same = [document.units[n - 1] for document, n in self._positions[coded_source(unit)]]
        changed = self._recall(same, name)
        if stale:
            raise StaleVersion(name, number, unit)
        return Change(name, tuple(sorted({number, *changed})), operation)

    def _recall(self, units: Sequence[Unit], name: str) -> tuple[int, ...]:
        """Recall ``units`` from the memory and check again the ones that changed; return the
        numbers of those in text ``name``."""
        before = [replace(unit) for unit in units]
        recall_units(self._state, units)
        changed = []
        for unit, old in zip(units, before, strict=True):
            if segment_version(unit) != segment_version(old):
                changed.append(unit)
            else:  # the same translation: keep its label (machine, not "from the memory")
                unit.origin, unit.engine, unit.changed = old.origin, old.engine, old.changed
        if changed:
            check_units(self._state, changed)
            self._changed(self._text_of[id(unit)] for unit in changed)
        touched = {id(unit) for unit in changed}
        return tuple(
            number
            for number, unit in enumerate(self.document(name).units, start=1)
            if id(unit) in touched
        )

    # -- glossary --------------------------------------------------------------------------

    def glossary_entries(self) -> list[Entry]:
        """The glossary's entries as its file holds them now."""
        path = self.glossary_path
        return load_glossary(path).entries if path is not None else []

    def add_term(self, entry: Entry) -> dict[str, tuple[int, ...]]:
        """Add ``entry`` to the glossary (the locked, atomic edit of ``bilingual glossary
        add``) and check every segment again; return the segments whose findings changed."""
        add_entry(self._editable_glossary(), entry)
        return self._recheck_terms()

    def replace_term(self, source: str, target: str, entry: Entry) -> dict[str, tuple[int, ...]]:
        """Put ``entry`` in place of the entry ``source`` → ``target`` (see :meth:`add_term`)."""
        replace_entry(self._editable_glossary(), source, target, entry)
        return self._recheck_terms()

    def remove_term(self, source: str, target: str) -> dict[str, tuple[int, ...]]:
        """Remove the entry ``source`` → ``target`` (see :meth:`add_term`)."""
        remove_entries(self._editable_glossary(), source, target)
        return self._recheck_terms()

    def _editable_glossary(self) -> Path:
        if self.glossary_path is None:
            raise EditRefused(
                "no glossary to edit: start bilingual serve with --glossary FILE "
                "(an existing .utf8 or .tsv file, or a glossary folder)"
            )
        return self.glossary_path

    def _recheck_terms(self) -> dict[str, tuple[int, ...]]:
        state = self._state
        assert self.glossary_path is not None
        state.glossary = load_glossary(self.glossary_path)
        self._changed(self.documents)  # their glossary is another
        changed: dict[str, tuple[int, ...]] = {}
        for document in state.documents:
            before = [unit.findings for unit in document.units]
            match_glossary(state, document)
            check_units(state, document.units)
            changed[document.name] = tuple(
                number
                for number, (unit, old) in enumerate(zip(document.units, before, strict=True), 1)
                if unit.findings != old
            )
        return changed

    # -- suggestions and outputs -----------------------------------------------------------

    def _offer_suggestions(self) -> None:
        """Fuzzy matches for the machine translations the memory gave (a build looks them up
        only for the segments it translated)."""
        if not self.config.suggestions:
            return
        wanted = [
            unit
            for document in self.documents.values()
            for unit in document.units
            if unit.origin is Origin.MEMORY and unit.suggestion is None
        ]
        for unit, suggestion in zip(
            wanted, self.memory.fuzzy_many([unit.source for unit in wanted]), strict=True
        ):
            unit.suggestion = suggestion

    def snapshot(self, names: Iterable[str] | None = None) -> list[Document]:
        """Copies of the texts (all, or ``names``) as they are now, for another thread."""
        return [
            replace(document, units=[replace(unit) for unit in document.units])
            for document in (
                self.documents.values() if names is None else map(self.document, names)
            )
        ]

    def _changed(self, names: Iterable[str]) -> None:
        with self._unwritten_lock:
            self._unwritten.update(names)

    def take_changes(self) -> list[Document]:
        """A :meth:`snapshot` of the texts changed since the last call."""
        with self._unwritten_lock:
            names, self._unwritten = sorted(self._unwritten), set()
        return self.snapshot(names)

    def write_outputs(self, documents: Iterable[Document]) -> None:
        """Write the outputs of ``documents`` (a :meth:`snapshot`) as the build does: their files
        staged and published together, the folder's index and ``memory.tmx`` (which cover every
        text of the folder) with them. Touches no memory, so any thread may call it; texts
        that could not be written are taken again by the next :meth:`take_changes`."""
        documents = list(documents)
        if not documents:
            return
        state = BuildState(
            self.config,
            [document.source_path for document in documents if document.source_path is not None],
            SilentReporter(),
            documents=documents,
        )
        try:
            stage_write(state)
        except BaseException:
            self._changed(document.name for document in documents)
            raise


def _load_word_lists() -> None:
    from ..quality.lexicons import WORD_LISTS, lexicon

    for language in WORD_LISTS:
        lexicon(language)
