"""Aligned texts as a build's outputs: a French text and its human English translation in, the
reading page, TMX, XLIFF, JSON, the English document and memory entries out.

:func:`align_texts` reads each pair through the format filters (any format ``build`` reads, on
either side), segments both sides, aligns them (:func:`bilingual.align.align_segments`, helped by
a machine translation of the French when an engine is given) and turns the links into the units
of a :class:`~bilingual.document.Document`: the result a build makes, so the build's own stages
name the outputs and write them into the output folder (:mod:`bilingual.outdir`). The English is
each unit's target, a human translation with its :class:`~bilingual.document.AlignmentInfo`:

- a link of several French sentences of one paragraph is one unit, whose source is those
  sentences as they stand in the text; several English sentences are joined by a space;
- a link whose French sentences cross a paragraph break gives its English to the first
  paragraph's sentences; the next paragraph's are a unit flagged ``joined``;
- an omission (1-0) is the French with an empty target, an addition (0-1) the English with an
  empty source where it falls in the text; both are flagged, and the nearest unit with both
  sides carries an info finding quoting them, since exchange files hold no one-sided unit;
- a link under the aligner's confidence threshold is flagged ``low-confidence``.

The aligned pairs then go into the translation memory as human translations, one recorded import
of kind ``align`` per text (``bilingual memory undo`` takes it back), through
:func:`bilingual.memory.import_units`. A pair whose French has a different human translation in
the memory is a conflict: it is reported, and the memory's translation stays current. One-sided
units, links under :data:`MIN_STORED_CONFIDENCE` and texts that do not look like translations of
each other are not stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..document import (
    AlignmentInfo,
    Document,
    EngineInfo,
    Finding,
    Origin,
    Segment,
    Severity,
    Tag,
    Unit,
)
from ..engines import Engine, get_engine
from ..errors import AlignmentError, EngineUnavailable, InputError
from ..glossary import Glossary
from ..inline import coded_source, coded_target, set_target
from ..memory import Conflict, ImportReport, TranslationMemory, import_units, open_memory
from ..pipeline import (
    BuildConfig,
    BuildState,
    Reporter,
    SilentReporter,
    batches,
    output_files,
    stage_glossary,
    stage_read,
    stage_write,
)
from ..quality.normalize import engine_text
from ..segment.blocks import document_units
from . import align_segments
from .result import Alignment, Link

#: Links under this confidence are not stored in the memory: more likely wrong than right.
MIN_STORED_CONFIDENCE = 0.25
#: The kind of the memory operation that records an alignment's pairs.
OPERATION_KIND = "align"
#: The suffix an English file may add to its French file's name (``chapitre1.en.txt``).
ENGLISH_MARK = ".en"

#: flag → (finding kind, severity): what a reader is told about a flagged unit.
FLAG_FINDINGS: dict[str, tuple[str, Severity]] = {
    "low-confidence": ("align-low-confidence", Severity.WARNING),
    "omission": ("align-omission", Severity.WARNING),
    "addition": ("align-addition", Severity.WARNING),
    "joined": ("align-joined", Severity.INFO),
}
#: The finding a one-sided unit leaves on its nearest two-sided neighbour (for exchange files).
NEARBY_KIND = "align-nearby"


@dataclass(frozen=True, slots=True)
class TextPair:
    french: Path
    english: Path


@dataclass(slots=True)
class Pairing:
    """The texts to align, and the files of two folders that have no counterpart."""

    pairs: list[TextPair]
    unmatched: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files of no format bilingual reads


def english_stem(path: Path) -> str:
    """The name an English file is matched by: its stem without a final ``.en``.

    >>> english_stem(Path("en/chapitre1.en.txt")), english_stem(Path("en/chapitre1.md"))
    ('chapitre1', 'chapitre1')
    """
    stem = path.stem
    return stem[: -len(ENGLISH_MARK)] if stem.lower().endswith(ENGLISH_MARK) else stem


def pair_texts(french: Path, english: Path, input_format: str | None = None) -> Pairing:
    """The pair of two files, or the files of two folders matched by name
    (``fr/chapitre1.txt`` with ``en/chapitre1.txt`` or ``en/chapitre1.en.txt``)."""
    from ..filters import collect_sources, format_named, supported_suffixes

    for path in (french, english):
        if not path.exists():
            raise InputError(path, "no such file or folder")
    if french.is_dir() != english.is_dir():
        raise InputError(
            english if french.is_dir() else french,
            "is a file and the other a folder: give two files, or two folders of texts "
            "matched by name",
        )
    if not french.is_dir():
        return Pairing([TextPair(french, english)])
    sources = collect_sources([french], input_format)
    wanted = format_named(input_format).suffixes if input_format else tuple(supported_suffixes())
    by_stem: dict[str, Path] = {}
    pairing = Pairing([], skipped=list(sources.skipped))
    french_files = {path.resolve() for path in sources.files}  # one folder may hold both
    for path in sorted(p for p in english.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.resolve() in french_files:
            continue
        if path.suffix.lower() not in wanted:
            pairing.skipped.append(path)
        elif english_stem(path) in by_stem:
            pairing.unmatched.append(path)  # a second English file of the same name
        else:
            by_stem[english_stem(path)] = path
    for path in sources.files:
        match = by_stem.pop(path.stem, None)
        if match is None:
            pairing.unmatched.append(path)
        else:
            pairing.pairs.append(TextPair(path, match))
    pairing.unmatched.extend(by_stem.values())
    if not pairing.pairs:
        raise InputError(
            french,
            f"no file has an English counterpart of the same name in {english} (chapitre1.txt "
            "goes with chapitre1.txt or chapitre1.en.txt): rename the files to match",
        )
    return pairing


@dataclass(frozen=True)
class AlignConfig:
    """What an alignment needs besides the texts.

    ``build`` holds what it shares with a build (output folder, formats, glossary, memory,
    input format); ``build.engine`` is the engine whose translation of the French helps the
    aligner, unless ``machine_translation`` is off. With ``strict``, texts that do not look like
    translations of each other are an error, raised before anything is written or stored.
    """

    build: BuildConfig = field(default_factory=lambda: BuildConfig(engine="apertium"))
    machine_translation: bool = True
    strict: bool = False


@dataclass(slots=True)
class TextReport:
    """What aligning one pair of texts found and did."""

    name: str
    french: Path
    english: Path
    french_sentences: int
    english_sentences: int
    kinds: dict[str, int]
    low_confidence_share: float
    warnings: list[str]
    files: dict[str, str] = field(default_factory=dict)
    #: What the memory import did (None without a memory); ``not_stored`` counts the units left
    #: out of it (one-sided, very low confidence, or all of a text that looks unrelated).
    memory: ImportReport | None = None
    not_stored: int = 0
    #: Every link in text order: the sentences it joins (indices in each side's sentences, and
    #: their text), its kind and confidence; ``--json`` gives them, to check against a gold
    #: alignment.
    alignment: list[dict[str, object]] = field(default_factory=list)

    @property
    def links(self) -> int:
        return sum(self.kinds.values())

    @property
    def conflicts(self) -> list[Conflict]:
        return self.memory.conflicts if self.memory is not None else []

    def line(self) -> str:
        """One line for the user.

        >>> TextReport("conte", Path("fr/conte.txt"), Path("en/conte.txt"), 3, 4,
        ...            {"1-1": 2, "1-2": 1}, 0.0, []).line()
        'conte: 3 French and 4 English sentences, 3 links (2 1-1, 1 1-2), 0% low confidence; not stored in a memory'
        """
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.kinds.items()))
        line = (
            f"{self.name}: {self.french_sentences} French and {self.english_sentences} English "
            f"sentences, {self.links} links ({kinds}), {self.low_confidence_share:.0%} low "
            "confidence; "
        )
        report = self.memory
        if report is None:
            return line + "not stored in a memory"
        if report.operation is None:
            return line + f"nothing stored in the memory ({self.not_stored} units left out)"
        return line + (
            f"memory (align #{report.operation}): {report.stored} stored, "
            f"{self.not_stored + report.units - report.stored - len(report.conflicts)} skipped, "
            f"{len(report.conflicts)} conflicts"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "french": str(self.french),
            "english": str(self.english),
            "french_sentences": self.french_sentences,
            "english_sentences": self.english_sentences,
            "links": self.links,
            "kinds": dict(sorted(self.kinds.items())),
            "low_confidence_share": round(self.low_confidence_share, 3),
            "warnings": self.warnings,
            "files": self.files,
            "not_stored": self.not_stored,
            "memory": self.memory.to_json() if self.memory is not None else None,
            "alignment": self.alignment,
        }


@dataclass(slots=True)
class AlignResult:
    texts: list[TextReport]
    engine: EngineInfo | None  # the engine whose translation helped the aligner
    unmatched: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f"{text.name}: {warning}" for text in self.texts for warning in text.warnings]


def align_texts(
    pairing: Pairing,
    config: AlignConfig | None = None,
    reporter: Reporter | None = None,
    engine: Engine | None = None,
) -> AlignResult:
    """Align every pair of ``pairing``, write the outputs, store the pairs in the memory.

    Every text is read and aligned before anything is written; a pair that cannot be aligned
    raises :class:`~bilingual.errors.AlignmentError` naming its French file. ``engine``
    overrides ``config.build.engine`` (for callers that already hold one).
    """
    config = config or AlignConfig()
    state = BuildState(
        config.build, [pair.french for pair in pairing.pairs], reporter or SilentReporter()
    )
    for path in pairing.unmatched:
        state.note(f"{path}: no text of the same name on the other side; not aligned")
    if pairing.skipped:
        names = ", ".join(str(path) for path in pairing.skipped)
        state.note(f"skipped {len(pairing.skipped)} files of no format bilingual reads: {names}")
    stage_read(state)
    englishes = [_read_english(state, pair.english) for pair in pairing.pairs]
    _refuse_to_overwrite_english(state, pairing.pairs)
    stage_glossary(state)
    engine = (engine or _engine(config.build)) if config.machine_translation else None
    texts = [
        _align(state, pair, document, english, engine, config.strict)
        for pair, document, english in zip(pairing.pairs, state.documents, englishes, strict=True)
    ]
    stage_write(state)
    assert state.result is not None
    for text, document in zip(texts, state.documents, strict=True):
        text.name = document.name  # the write stage renames a text another build took meanwhile
        text.files = state.result.files[text.name]
    if config.build.memory_path is not None:
        with open_memory(config.build.memory_path) as memory:
            for text, document in zip(texts, state.documents, strict=True):
                _store(memory, text, document)
    return AlignResult(
        texts,
        engine.info() if engine is not None else None,
        pairing.unmatched,
        pairing.skipped,
        state.notes,
    )


def _read_english(state: BuildState, path: Path) -> Document:
    from ..filters import READ_AS, ReadOptions, read_document

    document = read_document(
        path, state.config.input_format, ReadOptions(main_content=state.config.main_content)
    )
    if READ_AS in document.metadata:
        state.note(f"{path}: read as {document.metadata[READ_AS]}")
    return document


def _refuse_to_overwrite_english(state: BuildState, pairs: Sequence[TextPair]) -> None:
    """The build's own check covers the French texts; the English ones are inputs too."""
    from ..outdir import FOLDER_FILES, refuse_to_overwrite_inputs

    folder = state.config.output_dir
    outputs = [
        *(folder / name for d in state.documents for name in output_files(d, state.config).values()),
        *(folder / name for name in FOLDER_FILES),
    ]
    refuse_to_overwrite_inputs(outputs, [pair.english for pair in pairs])


def _engine(config: BuildConfig) -> Engine:
    try:
        return get_engine(config.engine, beam_size=config.beam_size)
    except EngineUnavailable as error:
        raise EngineUnavailable(
            f"{error}; or align without machine translation (--no-mt)"
        ) from None


def _align(
    state: BuildState,
    pair: TextPair,
    document: Document,
    english_document: Document,
    engine: Engine | None,
    strict: bool,
) -> TextReport:
    french = document_units(document)
    english = [unit.segment for unit in document_units(english_document, language="en")]
    translations = _machine_translations(state, engine, french) if engine and french else None
    try:
        alignment = align_segments(
            [unit.segment for unit in french], english, translations, state.glossary
        )
    except AlignmentError as error:
        raise AlignmentError(f"{pair.french}: aligning with {pair.english}: {error}") from None
    if strict and alignment.warnings:
        raise AlignmentError(
            f"{pair.french}: aligning with {pair.english}: {alignment.warnings[0]} "
            "Nothing was written (--strict)"
        )
    document.units = aligned_units(document.text, french, english, alignment)
    document.engine = None  # the English shown is the translator's, not the engine's
    if state.glossary is not None:
        document.glossary = state.glossary.info()
        _check_terms(document.units, state.glossary)
    return TextReport(
        name=document.name,
        french=pair.french,
        english=pair.english,
        french_sentences=len(french),
        english_sentences=len(english),
        kinds=alignment.kinds(),
        low_confidence_share=alignment.low_confidence_share,
        warnings=list(alignment.warnings),
        alignment=[
            {
                "french": list(link.french),
                "english": list(link.english),
                "kind": link.kind,
                "confidence": round(link.confidence, 3),
                "french_text": [french[index].source for index in link.french],
                "english_text": [english[index].text for index in link.english],
            }
            for link in alignment.links
        ],
    )


def _machine_translations(state: BuildState, engine: Engine, units: list[Unit]) -> list[str]:
    """The engine's translation of every French sentence: evidence for the aligner only (the
    batches run as a build's do, the next ones while one is finished)."""
    from ..translators import LocalTranslator

    translator = LocalTranslator(engine)
    chunks = list(batches(units, translator.batch_chars))
    done: list[list[str]] = [[] for _ in chunks]
    state.reporter.start(len(units), f"translating with {translator.describe()} to align")
    texts = ([engine_text(unit.source) for unit in chunk] for chunk in chunks)
    for index, translations in translator.translate_batches(texts):
        done[index] = translations
        state.reporter.advance(len(translations))
    state.reporter.finish()
    return [translation for chunk in done for translation in chunk]


def aligned_units(
    text: str, french: Sequence[Unit], english: Sequence[Segment], alignment: Alignment
) -> list[Unit]:
    """The units of an aligned text (see the module's docstring), in text order.

    >>> french = [Unit(Segment(0, 4, "Oui.")), Unit(Segment(5, 9, "Non.")), Unit(Segment(10, 14, "Fin."))]
    >>> english = [Segment(0, 4, "Yes."), Segment(5, 8, "No."), Segment(9, 15, "Added.")]
    >>> links = [Link((0, 1), (0, 1), 0.9), Link((), (2,), 0.8), Link((2,), (), 0.7)]
    >>> units = aligned_units("Oui. Non. Fin.", french, english, Alignment(links))
    >>> [(u.source, u.target, u.alignment.kind, u.alignment.flag) for u in units]
    [('Oui. Non.', 'Yes. No.', '2-2', None), ('', 'Added.', '0-1', 'addition'), ('Fin.', '', '1-0', 'omission')]
    """
    units: list[Unit] = []
    next_french = 0
    for link in alignment.links:
        target = " ".join(english[j].text for j in link.english)
        if not link.french:
            anchor = units[-1].segment if units else french[next_french].segment
            where = anchor.end if units else anchor.start
            unit = Unit(Segment(where, where, "", anchor.paragraph), target, Origin.HUMAN)
            _flag(unit, link, "addition")
            units.append(unit)
            continue
        next_french = link.french[-1] + 1
        runs = _paragraph_runs([french[i] for i in link.french])
        first = _joined(text, runs[0])
        set_target(first, target)  # markup the English cannot place goes back by the fallback
        first.origin = Origin.HUMAN
        if not link.english:
            _flag(first, link, "omission")
        else:
            low = link.confidence < alignment.low_confidence_below
            _flag(first, link, "low-confidence" if low else None)
        units.append(first)
        for run in runs[1:]:
            rest = _joined(text, run)
            rest.origin = Origin.HUMAN
            _flag(rest, link, "joined")
            units.append(rest)
    _note_one_sided(units)
    return units


def _paragraph_runs(units: list[Unit]) -> list[list[Unit]]:
    runs: list[list[Unit]] = []
    for unit in units:
        if runs and runs[-1][-1].segment.paragraph == unit.segment.paragraph:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def _joined(text: str, units: list[Unit]) -> Unit:
    """One unit for consecutive units of one paragraph: their text as it stands, their tags."""
    first, last = units[0].segment, units[-1].segment
    tags: dict[int, Tag] = {}
    for unit in units:
        shift = unit.segment.start - first.start
        for tag in unit.source_tags:
            moved = replace(tag, start=tag.start + shift, end=tag.end + shift)
            known = tags.get(tag.code)  # a code over two sentences: one tag over both
            tags[tag.code] = moved if known is None else replace(known, end=moved.end)
    segment = Segment(first.start, last.end, text[first.start : last.end], first.paragraph)
    ordered = sorted(tags.values(), key=lambda tag: (tag.start, -tag.end))
    return Unit(segment, source_tags=tuple(ordered))


def _flag(unit: Unit, link: Link, flag: str | None) -> None:
    unit.alignment = AlignmentInfo(link.kind, link.confidence, flag)
    if flag is None:
        return
    kind, severity = FLAG_FINDINGS[flag]
    message = {
        "low-confidence": f"Alignment uncertain (confidence {link.confidence:.0%}): check that "
        "this English translates this French",
        "omission": "The English translation leaves this sentence out",
        "addition": "The English translation adds this sentence: it has no French counterpart",
        "joined": "Translated together with the row above, across a paragraph break: its "
        "English is there",
    }[flag]
    unit.findings = (*unit.findings, Finding(kind, severity, message))


def _note_one_sided(units: list[Unit]) -> None:
    """Tell the nearest two-sided unit about each omission and addition: exchange files
    (TMX, XLIFF) hold no unit without a source, and TMX none without a target."""
    two_sided = [i for i, unit in enumerate(units) if unit.source and unit.target]
    if not two_sided:
        return
    for index, unit in enumerate(units):
        if unit.alignment is None or unit.alignment.flag not in ("omission", "addition"):
            continue
        before = [i for i in two_sided if i < index]
        neighbour = before[-1] if before else two_sided[0]
        where = "after" if before else "before"
        if unit.alignment.flag == "omission":
            message = f"The English leaves out the French sentence {where} this one: {unit.source}"
        else:
            message = f"The English adds a sentence {where} this one: {unit.target}"
        nearby = units[neighbour]
        nearby.findings = (*nearby.findings, Finding(NEARBY_KIND, Severity.INFO, message))


def _check_terms(units: list[Unit], glossary: Glossary) -> None:
    """The glossary check of a build, on the translator's English."""
    from ..glossary import check_unit

    for unit in units:
        if unit.source and unit.target:
            matches = glossary.match_source(unit.source)
            found = check_unit(unit.source, unit.target, matches, glossary)
            unit.findings = (*unit.findings, *found)


def storable(unit: Unit) -> bool:
    """Whether an aligned unit goes into the memory: two-sided, and not very unsure."""
    info = unit.alignment
    return (
        info is not None
        and info.flag not in ("omission", "addition", "joined")
        and info.confidence >= MIN_STORED_CONFIDENCE
        and bool(unit.source.strip() and unit.target.strip())
    )


def _store(memory: TranslationMemory, text: TextReport, document: Document) -> None:
    """One recorded import of the text's storable pairs (none for texts that look unrelated)."""
    from ..exchange import TranslationUnit
    from ..memory import timestamp

    keep = [] if text.warnings else [unit for unit in document.units if storable(unit)]
    subject = f"{text.french} + {text.english}"
    text.not_stored = len(document.units) - len(keep)
    if not keep:  # no import to list and undo
        text.memory = ImportReport(subject, memory.name)
        return
    units = [
        TranslationUnit(
            coded_source(unit), coded_target(unit), Origin.HUMAN, document=document.name
        )
        for unit in keep
    ]
    made = datetime.fromtimestamp(text.english.stat().st_mtime, UTC)
    text.memory = import_units(
        memory,
        units,
        subject,
        timestamp(made),
        kind=OPERATION_KIND,
        keep_current=True,
    )
