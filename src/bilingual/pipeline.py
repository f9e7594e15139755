"""The build: French texts in, aligned English pages and exchange files out.

Named stages run in order over one :class:`BuildState`:

``read`` (each source through its format's filter: plain text, blocks, inline codes) →
``glossary`` (load) → ``segment`` (sentences in blocks, inline codes as tags, glossary matches) →
``engine`` (here, or a Dask cluster's workers: see :mod:`bilingual.translators`) → ``memory``
(open) → ``recall`` (exact matches from the translation memory) → ``translate``
(glossary-protected, normalised batches, English typography, committed to the memory per batch
as each comes back) →
``check`` (glossary and QA findings, cached in the memory; fuzzy suggestions) → ``write`` (one
file per text and format, the English document among them, ``memory.tmx``, ``index.html``,
published together into the output folder: see :mod:`bilingual.outdir`).

Everything here is plain library code: the CLI only builds a :class:`BuildConfig` and a
:class:`Reporter`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .document import Document, EngineInfo, Finding, Origin, Unit, utc_now
from .engines import ENGINES, Engine, get_engine
from .errors import BilingualError, ExportError
from .export import DEFAULT_FORMATS, EXPORTERS, ONLY_FOR, exporter, output_file_name, writes_for
from .inline import coded_source, coded_target, set_target
from .quality.normalize import engine_text
from .segment.blocks import document_units
from .translators import LocalTranslator, Translator
from .typography import to_english_typography

if TYPE_CHECKING:
    from .exchange import FileHeader
    from .export.index import TextSummary
    from .glossary import Glossary, Protected, TermMatch
    from .memory import MemoryHit, TranslationMemory
    from .outdir import Manifest
    from .parallel import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build needs to know; override with :func:`dataclasses.replace`.

    It is checked when made, so a typo fails before anything is read or translated:

    >>> BuildConfig(formats=("html", "pdf"))
    Traceback (most recent call last):
    ...
    bilingual.errors.BilingualError: unknown output format 'pdf'; choose from html, doc, bilingual-epub, tmx, xliff, xliff12, json
    """

    output_dir: Path = Path("output")
    engine: str = "auto"
    beam_size: int = 4
    formats: tuple[str, ...] = DEFAULT_FORMATS
    glossary_path: Path | None = None
    memory_path: Path | str | None = None  # a file or a postgresql:// URL; None: no memory
    retranslate: bool = False  # ignore machine translations stored in the memory
    suggestions: bool = True  # look up fuzzy matches for newly translated segments
    input_format: str | None = None  # a filter name; None: by each file's suffix
    main_content: bool = False  # HTML: keep only the article of a saved web page
    #: Engine batches run on a Dask cluster: a LocalCluster of ``workers`` processes, or the
    #: existing cluster at ``scheduler`` (tcp://HOST:PORT); neither: in this process.
    workers: int = 0
    scheduler: str | None = None
    batch_chars: int | None = None  # source characters per engine batch; None: the engine's

    def __post_init__(self) -> None:
        unknown = [name for name in self.formats if name not in EXPORTERS]
        if unknown or not self.formats:
            raise BilingualError(
                f"unknown output format {', '.join(map(repr, unknown)) or '(none)'}; "
                f"choose from {', '.join(EXPORTERS)}"
            )
        if self.engine != "auto" and self.engine not in ENGINES:
            raise BilingualError(
                f"unknown engine {self.engine!r}; choose auto or one of {', '.join(sorted(ENGINES))}"
            )
        if self.beam_size < 1:
            raise BilingualError(f"beam size {self.beam_size} must be at least 1")
        if self.input_format is not None:
            from .filters import format_named

            format_named(self.input_format)
        if self.workers < 0 or (self.workers and self.scheduler):
            raise BilingualError("give either a number of workers or a scheduler address")
        if self.batch_chars is not None and self.batch_chars < 1:
            raise BilingualError(f"batch size {self.batch_chars} must be at least 1 character")


class Reporter(Protocol):
    """Where a build reports progress (the CLI draws a bar on a TTY)."""

    def start(self, total: int, label: str) -> None: ...

    def advance(self, count: int) -> None: ...

    def finish(self) -> None: ...

    def note(self, message: str) -> None:
        """Something the user should know that is not an error (a source read as UTF-16, the
        cluster a build runs on, a worker lost)."""


class SilentReporter:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass

    def note(self, message: str) -> None:
        pass


@dataclass
class BuildResult:
    documents: list[Document]
    #: document name → output (format name, or "glossary") → file name inside output_dir
    files: dict[str, dict[str, str]]
    translated: int = 0  # segments sent to the engine
    recalled: int = 0  # segments taken from the translation memory
    notes: list[str] = field(default_factory=list)  # what the reporter was told besides progress
    skipped: list[Path] = field(default_factory=list)  # files of the folders not read


@dataclass
class BuildState:
    """What flows through the stages."""

    config: BuildConfig
    sources: list[Path]
    reporter: Reporter
    translator: Translator | None = None
    glossary: Glossary | None = None
    memory: TranslationMemory | None = None
    documents: list[Document] = field(default_factory=list)
    matches: dict[int, list[TermMatch]] = field(default_factory=dict)  # id(unit) → glossary matches
    keys: dict[int, str] = field(default_factory=dict)  # id(unit) → glossary key of its matches
    unmatched_key: str = ""  # the glossary key of a unit without terms
    #: The units whose findings the translate stage left to the check stage (``None``: all)
    unchecked: list[Unit] | None = None
    #: id(unit) → findings about its inline markup, made when its translation was set
    markup: dict[int, list[Finding]] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)  # files of the folders not read
    result: BuildResult | None = None
    translated: int = 0
    recalled: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.notes.append(message)
        self.reporter.note(message)

    def term_matches(self, unit: Unit) -> list[TermMatch]:
        return self.matches.get(id(unit), [])

    def glossary_key(self, unit: Unit) -> str:
        return self.keys.get(id(unit), self.unmatched_key)

    def set_target(self, unit: Unit, coded: str) -> None:
        """Set a unit's translation from coded text, noting markup the fallback put back."""
        lost = set_target(unit, coded)
        if lost:
            self.markup[id(unit)] = lost
        else:
            self.markup.pop(id(unit), None)


Stage = Callable[[BuildState], None]


def stage_read(state: BuildState) -> None:
    """Read the sources, each through its format's filter, and name their outputs, refusing
    before anything is written a build that would write over one of its own inputs.

    The names come from the output folder's manifest as it is now; the write stage checks them
    again under the folder's lock, in case another build took one meanwhile.
    """
    from .filters import READ_AS, ReadOptions, read_document
    from .outdir import Manifest

    options = ReadOptions(main_content=state.config.main_content)
    documents = []
    for path in state.sources:
        document = read_document(path, state.config.input_format, options)
        if READ_AS in document.metadata:
            state.note(f"{path}: read as {document.metadata[READ_AS]}")
        documents.append(document)
    for fmt in state.config.formats:
        left = [
            str(path)
            for path, d in zip(state.sources, documents, strict=True)
            if not writes_for(fmt, d)
        ]
        if left:
            state.note(
                f"no {fmt} output (made from {', '.join(ONLY_FOR[fmt])} sources only) for "
                f"{', '.join(left)}"
            )
    manifest = Manifest.load(state.config.output_dir)
    names = manifest.names_for(state.sources)
    for path, name, document in zip(state.sources, names, documents, strict=True):
        if name != path.stem and name not in manifest.texts:
            state.note(
                f"{path}: its outputs are named {name}.*, as {path.stem}.* would take "
                f"files of another text or of the folder {state.config.output_dir}"
            )
        document.name = name
        state.documents.append(document)
    _refuse_to_overwrite_inputs(state)


def output_files(document: Document, config: BuildConfig) -> dict[str, str]:
    """The outputs a build writes for ``document``: output (format, or "glossary") → file name.
    An output made from other input formats only (``bilingual-epub``) is left out."""
    formats = [fmt for fmt in config.formats if writes_for(fmt, document)]
    outputs = [*formats, *(["glossary"] if config.glossary_path is not None else [])]
    return {output: output_file_name(document.name, output, document.format) for output in outputs}


def _refuse_to_overwrite_inputs(state: BuildState) -> None:
    from .outdir import FOLDER_FILES, refuse_to_overwrite_inputs

    config = state.config
    inputs = list(state.sources)
    if config.memory_path is not None:
        from .memory import backend_name

        if backend_name(config.memory_path) == "sqlite":  # a database URL is no file to overwrite
            inputs.append(Path(config.memory_path))
    if config.glossary_path is not None and config.glossary_path.exists():
        from .glossary import glossary_files

        inputs.extend(glossary_files(config.glossary_path))
    outputs = [
        *(name for document in state.documents for name in output_files(document, config).values()),
        *FOLDER_FILES,
    ]
    refuse_to_overwrite_inputs((config.output_dir / name for name in outputs), inputs)


def stage_glossary(state: BuildState) -> None:
    if state.config.glossary_path is not None:
        from .glossary import load_glossary

        state.glossary = load_glossary(state.config.glossary_path)


def stage_segment(state: BuildState) -> None:
    for document in state.documents:
        document.units = document_units(document)
        if state.glossary:
            match_glossary(state, document)


def match_glossary(state: BuildState, document: Document) -> None:
    """Find the terms of ``state.glossary`` in ``document``'s segments, and the glossary key
    each segment's translation depends on."""
    glossary = state.glossary
    assert glossary is not None
    document.glossary = glossary.info()
    state.unmatched_key = glossary.entry_key([])
    # Only units with terms get entries, and units matching the same entries share one key
    # string: a 30 MB book has hundreds of thousands of units, most of them without terms.
    keys: dict[str, str] = {}
    for unit in document.units:
        matches = glossary.match_source(unit.source)
        if matches:
            state.matches[id(unit)] = matches
            key = glossary.entry_key(matches)
            state.keys[id(unit)] = keys.setdefault(key, key)
        else:  # matched again after a glossary edit (``bilingual serve``): no stale terms
            state.matches.pop(id(unit), None)
            state.keys.pop(id(unit), None)


def stage_engine(state: BuildState) -> None:
    if state.translator is not None:
        return
    config = state.config
    options = {"beam_size": config.beam_size}
    if config.workers or config.scheduler:
        from .translators.cluster import DaskTranslator

        state.translator = DaskTranslator.start(
            config.engine, options, config.workers, config.scheduler, state.note
        )
    else:
        state.translator = LocalTranslator(get_engine(config.engine, **options))


def stage_open_memory(state: BuildState) -> None:
    if state.config.memory_path is not None:
        from .memory import open_memory

        state.memory = open_memory(state.config.memory_path)


def stage_recall(state: BuildState) -> None:
    """Reuse exact matches from the translation memory (human ones always win)."""
    memory, translator = state.memory, state.translator
    if memory is None or translator is None:
        return
    info = translator.info()
    for document in state.documents:
        sources = [coded_source(unit) for unit in document.units]
        keys = [state.glossary_key(unit) for unit in document.units]
        memory.record_document(document.name, sources, info, keys)
        state.recalled += recall_units(state, document.units)


def recall_units(state: BuildState, units: Sequence[Unit]) -> int:
    """Give ``units`` the translations the memory holds for them: the newest human version
    (saying whether it was reviewed), else this engine's machine translation with the same
    glossary entries. Return how many the memory had; the others are left as they are."""
    from .memory import reviewed_sources

    memory, translator = state.memory, state.translator
    assert memory is not None and translator is not None
    info = translator.info()
    sources = [coded_source(unit) for unit in units]
    keys = [state.glossary_key(unit) for unit in units]
    reviewed = reviewed_sources(memory, sources)
    recalled = 0
    for unit, source, hit in zip(
        units, sources, memory.lookup_many(sources, info, keys), strict=True
    ):
        if hit is None or (state.config.retranslate and hit.origin is not Origin.HUMAN):
            continue
        state.set_target(unit, hit.target)
        remember(unit, hit, info, source in reviewed)
        recalled += 1
    return recalled


def remember(unit: Unit, hit: MemoryHit, engine: EngineInfo, reviewed: bool) -> None:
    """Say where ``unit``'s translation, set from ``hit``, came from (``engine`` looked it up;
    ``reviewed``: a review confirms the human version it is)."""
    from .memory import parse_timestamp

    unit.origin = hit.origin
    unit.engine = engine if hit.origin is Origin.MEMORY else None
    unit.changed = parse_timestamp(hit.changed) if hit.origin is Origin.HUMAN else None
    unit.reviewed = hit.origin is Origin.HUMAN and reviewed


def batches(units: Sequence[Unit], max_chars: int) -> Iterator[list[Unit]]:
    """Group units into batches of at most ``max_chars`` source characters (at least one unit)."""
    batch: list[Unit] = []
    size = 0
    for unit in units:
        if batch and size + len(unit.source) > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(unit)
        size += len(unit.source)
    if batch:
        yield batch


def stage_translate(state: BuildState) -> None:
    """Send untranslated units to the translator, batch by batch, storing each batch in the
    memory as soon as it comes back (so an interrupted build loses no finished batch).

    Batches are prepared lazily, as the translator asks for them; while the engine translates
    the first ones, this thread loads what the checks need and checks the units the memory
    already translated, then restores, stores and checks each batch as it comes back.
    """
    translator = state.translator
    assert translator is not None
    info = translator.info()
    pending = [
        (document, unit)
        for document in state.documents
        for unit in document.units
        if unit.origin is Origin.MACHINE and not unit.target
    ]
    for document in state.documents:
        document.engine = info
    if not pending:
        return
    # this stage checks the units it translates and those translated already: the others
    # (no translation, none to come) are left to the check stage
    state.unchecked = [
        unit
        for document in state.documents
        for unit in document.units
        if unit.origin is not Origin.MACHINE and not unit.target
    ]
    state.reporter.start(len(pending), f"translating with {translator.describe()}")
    from .glossary import protect
    from .qa import prepare_checks

    ready = [unit for document in state.documents for unit in document.units if unit.target]
    # per batch: its units, their glossary protection, the names of their documents
    prepared: dict[int, tuple[list[Unit], list[Protected | None], list[str]]] = {}
    batch_chars = state.config.batch_chars or translator.batch_chars
    preparing = 0.0

    def engine_batches() -> Iterator[list[str]]:
        nonlocal ready, preparing
        owners = (document.name for document, _ in pending)  # batches keep the pending order
        for index, batch in enumerate(batches([unit for _, unit in pending], batch_chars)):
            started = time.perf_counter()
            names = list(islice(owners, len(batch)))
            protected = [
                protect(
                    unit.source,
                    state.term_matches(unit),
                    translator.term_protection,
                    unit.source_tags,
                )
                if state.glossary or unit.source_tags
                else None
                for unit in batch
            ]
            prepared[index] = (batch, protected, names)
            # the engine sees a canonical spelling (NFC, no soft hyphens...); outputs keep the source
            texts = [
                engine_text(p.text if p else unit.source)
                for p, unit in zip(protected, batch, strict=True)
            ]
            preparing += time.perf_counter() - started
            yield texts
            if index == 0:  # the checks' word lists load while the engine has its first batch
                prepare_checks()
            if ready:
                check_units(state, ready)
                ready = []

    finished, finishing = 0, 0.0  # the client's share, logged for the README's scaling figures
    for index, outputs in translator.translate_batches(engine_batches()):
        started = time.perf_counter()
        check_units(state, _finish_batch(state, info, *prepared.pop(index), outputs))
        finished, finishing = finished + 1, finishing + time.perf_counter() - started
    if ready:
        check_units(state, ready)
    state.reporter.finish()
    translator.close()  # a cluster's workers are not needed past this stage
    logger.debug(
        "translate: %d batches, %.3f s preparing and %.3f s finishing them here",
        finished,
        preparing,
        finishing,
    )


def _finish_batch(
    state: BuildState,
    info: EngineInfo,
    batch: list[Unit],
    protected: list[Protected | None],
    names: list[str],
    outputs: list[str],
) -> list[Unit]:
    """Restore and store one batch the engine has finished; returns its units."""
    if len(outputs) != len(batch):
        raise BilingualError(
            f"engine {info.name} returned {len(outputs)} translations for {len(batch)} "
            "segments; please report this"
        )
    for unit, guard, output in zip(batch, protected, outputs, strict=True):
        restored = guard.restore(output) if guard else output
        # the tags of a coded text are no French typography: the stage leaves them be
        state.set_target(unit, to_english_typography(restored, unit.source))
        unit.engine = info
    if state.memory is not None:
        per_document: dict[str, list[tuple[str, str, str]]] = {}
        for unit, name in zip(batch, names, strict=True):
            per_document.setdefault(name, []).append(
                (coded_source(unit), coded_target(unit), state.glossary_key(unit))
            )
        for name, rows in per_document.items():
            state.memory.store_machine(name, rows, info)
    state.translated += len(batch)
    state.reporter.advance(len(batch))
    return batch


#: Bump when the glossary check or the QA checks change what they find: stored findings
#: made by an older checker are then ignored.
CHECKER_REVISION = 3
CHECK_CHUNK = 5000
#: From this many units on (a book of ~4 MB), the checks' word lists are dropped once the checks
#: are done, to make room for the suggestions and the outputs (~40 MB with their answers); a
#: smaller build keeps them for the next build in the same process.
BIG_BUILD_UNITS = 50_000


def check_key(unit: Unit, glossary_key: str) -> str:
    """What a unit's findings depend on: checker, glossary entries matched, source, target
    (with their inline codes)."""
    from .version import __version__

    source, target = coded_source(unit), coded_target(unit)
    data = "\0".join((__version__, str(CHECKER_REVISION), glossary_key, source, target))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def check_units(state: BuildState, units: Sequence[Unit]) -> None:
    """Glossary and QA findings for ``units``, reused from the memory where nothing changed."""
    from .qa import qa_findings

    glossary, memory = state.glossary, state.memory
    if glossary is not None:
        from .glossary import check_unit
    keys = [check_key(unit, state.glossary_key(unit)) for unit in units]
    stored = memory.recall_checks(keys) if memory is not None else [None] * len(keys)
    fresh: list[tuple[str, str]] = []
    for unit, key, known in zip(units, keys, stored, strict=True):
        if known is not None:
            unit.findings = tuple(Finding.from_json(item) for item in json.loads(known))
            continue
        found = []
        if glossary is not None:
            found += check_unit(unit.source, unit.target, state.term_matches(unit), glossary)
        found += qa_findings(unit)
        found += state.markup.get(id(unit), [])
        unit.findings = tuple(found)
        fresh.append((key, json.dumps([f.to_json() for f in found])))
    if memory is not None:
        memory.store_checks(fresh)


def stage_check(state: BuildState) -> None:
    """Findings for every unit not checked yet, and memory suggestions for new translations.

    Units are checked :data:`CHECK_CHUNK` at a time, so a long book's findings are stored in
    transactions of bounded size and its lists of keys never all exist at once.
    """
    unchecked = state.unchecked
    if unchecked is None:
        unchecked = [unit for document in state.documents for unit in document.units]
    for start in range(0, len(unchecked), CHECK_CHUNK):
        check_units(state, unchecked[start : start + CHECK_CHUNK])
    if sum(len(document.units) for document in state.documents) >= BIG_BUILD_UNITS:
        from .qa import release_checks

        release_checks()
    location = state.config.memory_path
    if location is None or not state.config.suggestions:
        return
    from .memory.suggest import suggestions

    new = [unit for doc in state.documents for unit in doc.units if unit.origin is Origin.MACHINE]
    for unit, suggestion in zip(new, suggestions(location, [u.source for u in new]), strict=True):
        unit.suggestion = suggestion


def stage_write(state: BuildState) -> None:
    """Write every output into the output folder's staging area, then publish them together.

    The reading pages are rendered on a second core meanwhile. ``index.html`` and ``memory.tmx``
    cover every text of the folder's manifest, this build's and earlier ones'.
    """
    from .errors import FormatError
    from .export.exchange import write_tmx_with_memory
    from .export.index import TextSummary, write_index
    from .outdir import INDEX_NAME, MANIFEST_NAME, MEMORY_NAME, Manifest, OutputFolder
    from .parallel import run_side_by_side

    config = state.config
    with OutputFolder(config.output_dir, state.note) as folder:
        manifest = Manifest.load(folder.path)
        for note in manifest.forget_deleted_files():
            state.note(note)
        _rename_texts_taken_meanwhile(state, manifest)
        _refuse_to_overwrite_inputs(state)
        files = {document.name: output_files(document, config) for document in state.documents}
        pages, others, tmx_documents, tmx_paths = _document_jobs(state, files, folder.staging)
        for document in state.documents:
            manifest.record(TextSummary.of(document, files[document.name]))
        texts = [manifest.texts[name] for name in sorted(manifest.texts)]
        published = [file_name for outputs in files.values() for file_name in outputs.values()]
        earlier = {
            text.name: folder.path / text.files["tmx"]
            for text in texts
            if "tmx" in text.files and text.name not in files
        }
        if tmx_documents or earlier or (folder.path / MEMORY_NAME).exists():
            header = _memory_header([text for text in texts if "tmx" in text.files])
            others.append(
                partial(
                    write_tmx_with_memory,
                    tmx_documents,
                    tmx_paths,
                    folder.staging / MEMORY_NAME,
                    earlier,
                    header,
                )
            )
            published.append(MEMORY_NAME)
        others.append(partial(write_index, texts, folder.staging / INDEX_NAME))
        others.append(partial(manifest.write, folder.staging / MANIFEST_NAME))
        published += [INDEX_NAME, MANIFEST_NAME]
        # Two shares of about equal cost (measured on a 1 MB text): the pages in a forked child,
        # the exchange files here.
        try:
            run_side_by_side(pages, others)
        except FormatError as error:
            if error.path not in {str(path) for path in earlier.values()}:
                raise
            raise ExportError(
                f"{error}; memory.tmx is made from it: build its text again, or delete its "
                "files to drop it from the folder"
            ) from None
        folder.publish(published)
    state.result = BuildResult(
        state.documents, files, state.translated, state.recalled, state.notes
    )


def _rename_texts_taken_meanwhile(state: BuildState, manifest: Manifest) -> None:
    """Give a new name to a text whose name another build has taken since the read stage."""
    for document, name in zip(state.documents, manifest.names_for(state.sources), strict=True):
        if name != document.name:
            state.note(
                f"{document.source_path}: named {name}, as another build has just "
                f"written a text named {document.name} into {manifest.folder}"
            )
            document.name = name


def _document_jobs(
    state: BuildState, files: dict[str, dict[str, str]], staging: Path
) -> tuple[list[Job], list[Job], list[Document], list[Path]]:
    """The writers of each document's outputs into ``staging``: the pages (run in a forked
    child, which the crash tests may have kill the build), the other files, and the documents
    and paths of the TMX files, which are written together with ``memory.tmx``."""
    from .export.jsonout import write_glossary_json
    from .outdir import fault_point

    pages: list[Job] = []
    others: list[Job] = []
    tmx_documents: list[Document] = []
    tmx_paths: list[Path] = []
    for document in state.documents:
        for output, file_name in files[document.name].items():
            path = staging / file_name
            if output == "tmx":
                tmx_documents.append(document)
                tmx_paths.append(path)
            elif output == "glossary":
                others.append(partial(write_glossary_json, document, path))
            else:
                job = partial(exporter(output), document, path)
                (pages if output == "html" else others).append(job)
    if pages:
        pages.insert(0, partial(fault_point, "pages", os.getpid()))
    return pages, others, tmx_documents, tmx_paths


def _memory_header(texts: Sequence[TextSummary]) -> FileHeader:
    """The header of ``memory.tmx``: the engines and glossaries of the ``texts`` it holds."""
    from .exchange import FileHeader
    from .export.exchange import provenance_props

    props = [prop for text in texts for prop in provenance_props(text.engine, text.glossary)]
    created = min((text.built for text in texts), default=utc_now())
    return FileHeader(created, props=tuple(dict.fromkeys(props)))


STAGES: list[tuple[str, Stage]] = [
    ("read", stage_read),
    ("glossary", stage_glossary),
    ("segment", stage_segment),
    ("engine", stage_engine),
    ("memory", stage_open_memory),
    ("recall", stage_recall),
    ("translate", stage_translate),
    ("check", stage_check),
    ("write", stage_write),
]


def start_build(
    paths: Sequence[Path],
    config: BuildConfig | None = None,
    reporter: Reporter | None = None,
    engine: Engine | None = None,
) -> BuildState:
    """The state a build of ``paths`` starts from (its sources found, nothing read yet)."""
    from .filters import collect_sources

    config = config or BuildConfig()
    sources = collect_sources(paths, config.input_format)
    state = BuildState(config, sources.files, reporter or SilentReporter())
    state.translator = LocalTranslator(engine) if engine is not None else None
    state.skipped = sources.skipped
    if sources.skipped:
        names = ", ".join(str(path) for path in sources.skipped)
        state.note(f"skipped {len(sources.skipped)} files of no format bilingual reads: {names}")
    return state


def run_stages(state: BuildState) -> None:
    """Run every stage over ``state``; the memory stays open (the caller closes it)."""
    for name, stage in STAGES:
        started = time.perf_counter()
        stage(state)
        logger.debug("stage %s: %.3f s", name, time.perf_counter() - started)


def build(
    paths: Sequence[Path],
    config: BuildConfig | None = None,
    reporter: Reporter | None = None,
    engine: Engine | None = None,
) -> BuildResult:
    """Translate the documents (or folders of them) in ``paths`` and write the outputs.

    ``engine`` overrides ``config.engine`` (for callers that already hold one).
    """
    state = start_build(paths, config, reporter, engine)
    try:
        run_stages(state)
    finally:
        if state.memory is not None:
            state.memory.close()
        if state.translator is not None:
            state.translator.close()
    assert state.result is not None
    state.result.skipped = state.skipped
    return state.result
