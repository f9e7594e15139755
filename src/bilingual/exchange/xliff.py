"""XLIFF 2.1 and XLIFF 1.2: read, write and validate.

XLIFF 2.1 is the current standard (translate-toolkit's ``Xliff2File`` reads it); XLIFF 1.2 is what
OmegaT 3.6, Trados and memoQ read. Both writers put one segment per unit and say where each
translation came from in the way the format allows, so CAT tools and our own import can tell an
unreviewed machine translation from human work:

======================  ====================================  ==================================
translation             XLIFF 2.1 ``<segment>``               XLIFF 1.2 ``<target>``
======================  ====================================  ==================================
human                   ``state="translated"``                ``state="translated"``
human, reviewed         ``state="reviewed"``                  ``state="signed-off"``
machine (unreviewed)    ``state="initial"``                   ``state="needs-review-translation"``
                        ``subState="bilingual:mt"``           ``state-qualifier="mt-suggestion"``
none                    ``state="initial"``, no target        the source, ``state="needs-translation"``
======================  ====================================  ==================================

The reader accepts both versions, one :class:`TranslationUnit` per segment; the validator checks
each version's core structure with line numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from ..document import Origin
from ..errors import FormatError
from ..textio import atomic_output
from ..version import __version__
from . import UnitCodec, Validation
from .units import (
    SOURCE_LANG,
    TARGET_LANG,
    FileHeader,
    Note,
    Problem,
    TranslationUnit,
    parse_date,
    unit_id,
)
from .xml import (
    CHAR_CODE_TYPE,
    OUR_CODE_TYPE,
    OUR_SUBTYPE,
    XML_SPACE,
    InlineTags,
    append_text,
    children,
    inline_text,
    load_xml_safely,
    local_name,
    primary_language,
    xml_text,
)

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
METADATA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"

MACHINE_SUBSTATE = "bilingual:mt"
XLIFF2_STATES = frozenset({"initial", "translated", "reviewed", "final"})
XLIFF12_STATES = frozenset(
    {
        "final",
        "needs-adaptation",
        "needs-l10n",
        "needs-review-adaptation",
        "needs-review-l10n",
        "needs-review-translation",
        "needs-translation",
        "new",
        "signed-off",
        "translated",
    }
)
XLIFF12_QUALIFIERS = frozenset(
    {
        "exact-match",
        "fuzzy-match",
        "id-match",
        "leveraged-glossary",
        "leveraged-inherited",
        "leveraged-mt",
        "leveraged-repository",
        "leveraged-tm",
        "mt-suggestion",
        "rejected-grammar",
        "rejected-inaccurate",
        "rejected-length",
        "rejected-spelling",
        "tm-suggestion",
    }
)
#: XLIFF 1.2 states of a target that is no translation yet.
_UNTRANSLATED_12 = frozenset({"new", "needs-translation"})
#: XLIFF 1.2 state qualifiers of a machine or memory suggestion nobody reviewed.
_MACHINE_QUALIFIERS_12 = frozenset({"mt-suggestion", "leveraged-mt"})
#: Metadata (XLIFF 2 ``mda:meta``) and props share names without the ``x-`` of TMX props.
_PROP_PREFIX = "x-"
#: The tags of a unit with inline markup (see :mod:`bilingual.inline`).
_TAGS_2 = InlineTags(
    "pc", None, "ph", "id", (("type", "fmt"), ("subType", OUR_SUBTYPE)), XLIFF2_NS
)
_TAGS_12 = InlineTags("g", None, "x", "id", (("ctype", OUR_CODE_TYPE),), XLIFF12_NS)


def _x2(tag: str) -> str:
    return f"{{{XLIFF2_NS}}}{tag}"


def _x12(tag: str) -> str:
    return f"{{{XLIFF12_NS}}}{tag}"


def _mda(tag: str) -> str:
    return f"{{{METADATA_NS}}}{tag}"


# -- writing XLIFF 2.1 -------------------------------------------------------------------------


def write_units(path: Path, units: Iterable[TranslationUnit], header: FileHeader) -> int:
    """Write ``units`` as an XLIFF 2.1 file at ``path`` (atomically); return how many."""
    root = xliff2_element(units, header)
    with atomic_output(path) as stream:
        etree.ElementTree(root).write(
            stream, encoding="utf-8", xml_declaration=True, pretty_print=True
        )
    return sum(1 for _ in root.iter(_x2("unit")))


def xliff2_element(units: Iterable[TranslationUnit], header: FileHeader) -> etree._Element:
    """The ``<xliff>`` root of an XLIFF 2.1 file holding ``units``.

    >>> root = xliff2_element([TranslationUnit("Oui.", "Yes.", Origin.MACHINE)],
    ...                       FileHeader(parse_date("2025-01-01T00:00:00Z")))
    >>> root.get("version"), root.get("srcLang"), root.get("trgLang")
    ('2.1', 'fr', 'en')
    >>> [(s.get("state"), s.get("subState")) for s in root.iter(_x2("segment"))]
    [('initial', 'bilingual:mt')]
    """
    root = etree.Element(
        _x2("xliff"),
        {"version": "2.1", "srcLang": SOURCE_LANG, "trgLang": TARGET_LANG},
        nsmap={None: XLIFF2_NS, "mda": METADATA_NS},
    )
    # preserve: a segment's spaces are the text's own, not indentation a tool may collapse
    file_element = etree.SubElement(
        root,
        _x2("file"),
        {
            "id": "f1",
            "original": header.original or header.document or "bilingual",
            XML_SPACE: "preserve",
        },
    )
    file_meta = [("created", header.created.isoformat())]
    if header.document is not None:
        file_meta.insert(0, ("document", header.document))
    _add_metadata(file_element, [*file_meta, *_meta_items(header.props)])
    for number, unit in enumerate(units, start=1):
        _add_unit2(file_element, unit, f"s{number}")
    return root


def _add_unit2(parent: etree._Element, unit: TranslationUnit, identifier: str) -> None:
    element = etree.SubElement(parent, _x2("unit"), id=identifier)
    meta = [("origin", (unit.origin or Origin.HUMAN).value)]
    tuid = unit.tuid or (unit_id(unit.document, unit.source) if unit.document else None)
    if tuid is not None:
        meta.insert(0, ("tuid", tuid))
    if unit.engine is not None:
        meta.append(("engine", unit.engine))
    if unit.changed is not None:
        meta.append(("changed", unit.changed.isoformat()))
    # the schema puts module elements first, then notes, then segments
    _add_metadata(element, [*meta, *_meta_items(unit.props)])
    if unit.notes:
        notes = etree.SubElement(element, _x2("notes"))
        for note in unit.notes:
            _add_note2(notes, note)
    translated = bool(unit.target.strip())
    segment = etree.SubElement(element, _x2("segment"))
    if translated and not unit.is_machine:
        segment.set("state", "reviewed" if unit.reviewed else "translated")
    else:
        segment.set("state", "initial")
        if translated:
            segment.set("subState", MACHINE_SUBSTATE)
    append_text(etree.SubElement(segment, _x2("source")), unit.source, _code_point, _TAGS_2)
    if translated:
        append_text(etree.SubElement(segment, _x2("target")), unit.target, _code_point, _TAGS_2)


def _code_point(parent: etree._Element, code: str) -> etree._Element:
    return etree.SubElement(parent, _x2("cp"), hex=code)


def _add_note2(notes: etree._Element, note: Note) -> None:
    element = etree.SubElement(notes, _x2("note"))
    if note.category:
        element.set("category", note.category)
    if note.priority is not None:
        element.set("priority", str(note.priority))
    if note.applies_to:
        element.set("appliesTo", note.applies_to)
    element.text = xml_text(note.text)


def _meta_items(props: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name.removeprefix(_PROP_PREFIX), value) for name, value in props]


def _add_metadata(parent: etree._Element, items: list[tuple[str, str]]) -> None:
    metadata = etree.SubElement(parent, _mda("metadata"))
    group = etree.SubElement(metadata, _mda("metaGroup"), category="bilingual")
    for meta_type, value in items:
        etree.SubElement(group, _mda("meta"), type=meta_type).text = xml_text(value)


# -- writing XLIFF 1.2 -------------------------------------------------------------------------


def write_units_12(path: Path, units: Iterable[TranslationUnit], header: FileHeader) -> int:
    """Write ``units`` as an XLIFF 1.2 file at ``path`` (atomically); return how many.

    Units stream into the file one at a time, so a whole memory exports in constant memory.
    """
    count = 0
    with atomic_output(path) as stream:
        count = _stream_units_12(stream, units, header)
        # lxml writes nothing after the root element; end the file like any text file
        stream.write(b"\n")
    return count


def _stream_units_12(
    stream: IO[bytes], units: Iterable[TranslationUnit], header: FileHeader
) -> int:
    count = 0
    with etree.xmlfile(stream, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("xliff", version="1.2", nsmap={None: XLIFF12_NS}):
            xml.write("\n")
            attributes = {
                "original": header.original or header.document or "bilingual",
                "source-language": SOURCE_LANG,
                "target-language": TARGET_LANG,
                "datatype": "plaintext",
            }
            with xml.element(_x12("file"), attributes):
                tool = etree.Element(_x12("header"), nsmap={None: XLIFF12_NS})
                etree.SubElement(
                    tool,
                    _x12("tool"),
                    {"tool-id": "bilingual", "tool-name": "bilingual", "tool-version": __version__},
                )
                xml.write("\n", tool)
                with xml.element(_x12("body")):
                    for unit in units:
                        count += 1
                        xml.write("\n", _trans_unit(unit, f"s{count}"))
                    xml.write("\n")
                xml.write("\n")
            xml.write("\n")
    return count


def _trans_unit(unit: TranslationUnit, identifier: str) -> etree._Element:
    # Elements written one by one into the stream each declare the default namespace.
    element = etree.Element(_x12("trans-unit"), id=identifier, nsmap={None: XLIFF12_NS})
    element.set(XML_SPACE, "preserve")
    tuid = unit.tuid or (unit_id(unit.document, unit.source) if unit.document else None)
    if tuid is not None:
        element.set("resname", tuid)
    append_text(etree.SubElement(element, _x12("source")), unit.source, _native_code_12, _TAGS_12)
    # Every unit has a target: OmegaT 3.6's XLIFF filter makes segments of <target> only, so a
    # unit without one would be missing there. An untranslated unit's target is a copy of its
    # source marked as still to translate, as Okapi and Trados write it.
    target = etree.SubElement(element, _x12("target"))
    if unit.target.strip():
        append_text(target, unit.target, _native_code_12, _TAGS_12)
        if unit.is_machine:
            target.set("state", "needs-review-translation")
            target.set("state-qualifier", "mt-suggestion")
        else:
            target.set("state", "signed-off" if unit.reviewed else "translated")
    else:
        append_text(target, unit.source, _native_code_12, _TAGS_12)
        target.set("state", "needs-translation")
    provenance = (
        f"machine translation by {unit.engine or 'an engine'}"
        if unit.is_machine
        else "human translation"
    )
    if unit.document:
        provenance += f" for {unit.document}"
    notes = [Note(provenance), *unit.notes]
    for note in notes:
        text = f"{note.category}: {note.text}" if note.category else note.text
        note_element = etree.SubElement(element, _x12("note"), attrib={"from": "bilingual"})
        if note.priority is not None:
            note_element.set("priority", str(note.priority))
        if note.applies_to in ("source", "target"):
            note_element.set("annotates", note.applies_to)
        note_element.text = xml_text(text)
    return element


def _native_code_12(parent: etree._Element, code: str) -> etree._Element:
    number = sum(1 for _ in parent.iter(_x12("x"))) + 1
    return etree.SubElement(parent, _x12("x"), id=f"c{number}", ctype=CHAR_CODE_TYPE + code)


# -- reading -----------------------------------------------------------------------------------


def read_units(path: Path) -> Iterator[TranslationUnit]:
    """The units (one per segment) of an XLIFF 1.2 or 2.x file from French into English.

    A file for another language pair, or one that does not say its languages, raises
    :class:`FormatError`: its targets would be stored as English translations of French.
    """
    path = Path(path)
    root = load_xml_safely(path).getroot()
    if local_name(root) != "xliff":
        raise FormatError(
            path, f"root element is <{local_name(root)}>, not <xliff>", line=root.sourceline
        )
    version = root.get("version", "")
    if version.startswith("2"):
        _check_languages(path, root, root.get("srcLang"), root.get("trgLang"), "srcLang", "trgLang")
        yield from _read_units2(path, root)
    elif version.startswith("1"):
        files = [element for element in root.iter() if local_name(element) == "file"]
        for file_element in files:
            _check_languages(
                path,
                file_element,
                file_element.get("source-language"),
                file_element.get("target-language"),
                "source-language",
                "target-language",
            )
            yield from _read_units12(path, file_element)
    else:
        raise FormatError(
            path, f"unsupported XLIFF version {version!r}; use 1.2 or 2.x", line=root.sourceline
        )


def _check_languages(
    path: Path,
    element: etree._Element,
    source: str | None,
    target: str | None,
    source_name: str,
    target_name: str,
) -> None:
    for value, name, expected, label in (
        (source, source_name, SOURCE_LANG, "French"),
        (target, target_name, TARGET_LANG, "English"),
    ):
        if not value:
            raise FormatError(
                path,
                f"<{local_name(element)}> has no {name}: cannot tell it is {label}; "
                f'add {name}="{expected}"',
                line=element.sourceline,
            )
        if primary_language(value) != expected:
            raise FormatError(
                path,
                f"{name} is {value!r}, not {label} ({expected}); bilingual imports French→English",
                line=element.sourceline,
            )


def _read_units2(path: Path, root: etree._Element) -> Iterator[TranslationUnit]:
    for unit in (element for element in root.iter() if local_name(element) == "unit"):
        meta = _read_metadata(unit)
        notes = tuple(
            Note(
                note.text or "",
                category=note.get("category"),
                priority=_int(note.get("priority")),
                applies_to=note.get("appliesTo"),
            )
            for notes in children(unit, "notes")
            for note in children(notes, "note")
        )
        for segment in children(unit, "segment"):
            sources = children(segment, "source")
            if not sources:
                raise FormatError(path, "<segment> without <source>", line=segment.sourceline)
            targets = children(segment, "target")
            target = inline_text(targets[0]) if targets else ""
            origin = _origin2(
                meta.get("origin"), segment.get("state"), segment.get("subState"), bool(targets)
            )
            yield TranslationUnit(
                source=inline_text(sources[0]),
                target=target,
                origin=origin,
                translated=bool(targets) and bool(target.strip()),
                engine=meta.get("engine"),
                document=meta.get("document"),
                changed=parse_date(meta.get("changed")),
                notes=notes,
                props=tuple(
                    (_PROP_PREFIX + name, value)
                    for name, value in meta.items()
                    if name not in ("origin", "engine", "document", "changed", "tuid")
                ),
                tuid=meta.get("tuid"),
                line=segment.sourceline,
            )


def _origin2(
    declared: str | None, state: str | None, substate: str | None, has_target: bool
) -> Origin | None:
    """What an XLIFF 2 segment's markers say about its translation.

    An explicit ``initial`` state with a target is a prefilled, unreviewed translation; many
    tools write no state at all, which says nothing. Our own ``origin`` metadata is only trusted
    while the state agrees: a tool that reviewed the segment moves it past ``initial``.
    """
    if state is None:
        return None
    if state == "initial":
        return Origin.MACHINE if has_target else None
    if substate == MACHINE_SUBSTATE:
        return Origin.MACHINE
    if declared in (Origin.MACHINE.value, Origin.MEMORY.value) and state == "translated":
        return Origin.MACHINE
    return Origin.HUMAN


def _read_metadata(element: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for child in element:
        if child.tag == _mda("metadata"):
            for meta in child.iter(_mda("meta")):
                found.setdefault(meta.get("type") or "", meta.text or "")
    return found


def _read_units12(path: Path, file_element: etree._Element) -> Iterator[TranslationUnit]:
    document = file_element.get("original")
    for unit in (element for element in file_element.iter() if local_name(element) == "trans-unit"):
        sources = children(unit, "source")
        if not sources:
            raise FormatError(path, "<trans-unit> without <source>", line=unit.sourceline)
        targets = children(unit, "target")
        target = inline_text(targets[0]) if targets else ""
        state = targets[0].get("state", "") if targets else ""
        qualifier = targets[0].get("state-qualifier", "") if targets else ""
        if not targets or state in _UNTRANSLATED_12:
            origin, translated = None, False
        elif qualifier in _MACHINE_QUALIFIERS_12:
            origin, translated = Origin.MACHINE, True
        elif state:
            origin, translated = Origin.HUMAN, True
        else:
            origin, translated = None, True
        yield TranslationUnit(
            source=inline_text(sources[0]),
            target=target,
            origin=origin,
            translated=translated and bool(target.strip()),
            document=document,
            notes=tuple(Note(note.text or "") for note in children(unit, "note")),
            tuid=unit.get("resname"),
            line=unit.sourceline,
        )


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


# -- validating --------------------------------------------------------------------------------


def validate(path: Path) -> Validation:
    """Check the XLIFF file at ``path`` against its version's core structure.

    Raises :class:`FormatError` when the file is not even safe, well-formed XML.
    """
    root = load_xml_safely(path).getroot()
    if root.tag == _x2("xliff"):
        units = len(list(root.iter(_x2("unit"))))
        return Validation(f"XLIFF {root.get('version') or '2'}", _problems2(root), units)
    if root.tag == _x12("xliff") or (local_name(root) == "xliff" and root.get("version") == "1.2"):
        units = len(list(root.iter(_x12("trans-unit"))))
        return Validation("XLIFF 1.2", _problems12(root), units)
    return Validation(
        "XLIFF",
        [
            Problem(
                root.sourceline,
                f"root element is {root.tag}, not <xliff> in the XLIFF 2 namespace "
                f"{XLIFF2_NS} or the XLIFF 1.2 namespace {XLIFF12_NS}: not an XLIFF file",
            )
        ],
        0,
    )


def _problems2(root: etree._Element) -> list[Problem]:
    """Structural checks of XLIFF 2.0/2.1 core: version, languages, files, units, states."""
    problems = []
    if root.get("version") not in ("2.0", "2.1"):
        problems.append(
            Problem(root.sourceline, f"version is {root.get('version')!r}, not 2.0 or 2.1")
        )
    if not root.get("srcLang"):
        problems.append(Problem(root.sourceline, "<xliff> has no srcLang"))
    files = root.findall(_x2("file"))
    if not files:
        problems.append(Problem(root.sourceline, "<xliff> holds no <file>"))
    if any(True for _ in root.iter(_x2("target"))) and not root.get("trgLang"):
        problems.append(Problem(root.sourceline, "<xliff> has <target>s but no trgLang"))
    problems += _duplicate_ids(files, "file", "id")
    for file_element in files:
        units = list(file_element.iter(_x2("unit")))
        problems += _duplicate_ids(units, "unit", "id")
        for unit in units:
            problems += _unit_problems2(unit)
    return problems


def _unit_problems2(unit: etree._Element) -> list[Problem]:
    segments = unit.findall(_x2("segment"))
    if not segments and unit.find(_x2("ignorable")) is None:
        return [Problem(unit.sourceline, f"<unit> {unit.get('id')!r} holds no <segment>")]
    problems = []
    for segment in segments:
        sources = segment.findall(_x2("source"))
        if len(sources) != 1:
            problems.append(
                Problem(segment.sourceline, f"<segment> holds {len(sources)} <source>, not one")
            )
        if len(segment.findall(_x2("target"))) > 1:
            problems.append(Problem(segment.sourceline, "<segment> holds more than one <target>"))
        state = segment.get("state")
        if state is not None and state not in XLIFF2_STATES:
            problems.append(
                Problem(
                    segment.sourceline,
                    f"<segment> state {state!r} is not one of {', '.join(sorted(XLIFF2_STATES))}",
                )
            )
        substate = segment.get("subState")
        if substate is not None and ":" not in substate:
            problems.append(
                Problem(segment.sourceline, f"<segment> subState {substate!r} has no prefix:value")
            )
    return problems


def _problems12(root: etree._Element) -> list[Problem]:
    """Structural checks of XLIFF 1.2: namespace, files and their required attributes,
    trans-unit ids, sources and targets, state values."""
    problems = []
    if root.tag != _x12("xliff"):
        problems.append(Problem(root.sourceline, f"<xliff> is not in the namespace {XLIFF12_NS}"))
    files = [element for element in root if local_name(element) == "file"]
    if not files:
        problems.append(Problem(root.sourceline, "<xliff> holds no <file>"))
    for file_element in files:
        for attribute in ("original", "source-language", "datatype"):
            if not file_element.get(attribute):
                problems.append(
                    Problem(file_element.sourceline, f"<file> has no {attribute} (required)")
                )
        bodies = children(file_element, "body")
        if len(bodies) != 1:
            problems.append(
                Problem(file_element.sourceline, f"<file> holds {len(bodies)} <body>, not one")
            )
        units = [element for element in file_element.iter() if local_name(element) == "trans-unit"]
        problems += _duplicate_ids(units, "trans-unit", "id")
        for unit in units:
            problems += _unit_problems12(unit)
    return problems


def _unit_problems12(unit: etree._Element) -> list[Problem]:
    problems = []
    sources = children(unit, "source")
    if len(sources) != 1:
        problems.append(
            Problem(unit.sourceline, f"<trans-unit> holds {len(sources)} <source>, not one")
        )
    targets = children(unit, "target")
    if len(targets) > 1:
        problems.append(Problem(unit.sourceline, "<trans-unit> holds more than one <target>"))
    for target in targets:
        state, qualifier = target.get("state"), target.get("state-qualifier")
        if state is not None and state not in XLIFF12_STATES and not state.startswith("x-"):
            problems.append(
                Problem(target.sourceline, f"<target> state {state!r} is not an XLIFF 1.2 state")
            )
        if (
            qualifier is not None
            and qualifier not in XLIFF12_QUALIFIERS
            and not qualifier.startswith("x-")
        ):
            problems.append(
                Problem(
                    target.sourceline,
                    f"<target> state-qualifier {qualifier!r} is not an XLIFF 1.2 value",
                )
            )
    return problems


def _duplicate_ids(elements: list[etree._Element], kind: str, attribute: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for element in elements:
        identifier = element.get(attribute)
        if not identifier:
            problems.append(Problem(element.sourceline, f"<{kind}> has no {attribute}"))
        elif identifier in seen:
            problems.append(
                Problem(element.sourceline, f"<{kind}> {attribute} {identifier!r} is not unique")
            )
        else:
            seen.add(identifier)
    return problems


CODEC_2 = UnitCodec(read_units, write_units, validate)
CODEC_12 = UnitCodec(read_units, write_units_12, validate)
