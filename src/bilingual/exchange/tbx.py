"""TBX through lxml, safely: no entity is ever expanded, no DTD loaded, nothing fetched.

Writes TBX v2 (``<martif>``, what OmegaT 3.6 and translate-toolkit read) and TBX v3 (ISO
30042:2019, TBX-Basic DCA style); reads both. One ``termEntry`` per glossary line: the French
term (and its variants), the English term with its administrative status (preferred, admitted
for target variants, deprecated for a forbidden rendering), the comment as a ``note``, and our
own attributes in an ``admin`` element other tools ignore.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..errors import GlossaryError
from ..glossary.entry import Entry, EntryKind, format_attributes, make_entry, parse_attributes
from . import TermCodec, TermsRead
from .units import LANGUAGE_NAMES, SOURCE_LANG, TARGET_LANG, Problem
from .xml import XML_LANG, load_xml_safely, local_name, primary_language

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
ADMIN_TYPE = "x-bilingual-attributes"
STATUS = {
    EntryKind.PREFERRED: "preferredTerm-admn-sts",
    EntryKind.DO_NOT_TRANSLATE: "preferredTerm-admn-sts",
    EntryKind.FORBIDDEN: "deprecatedTerm-admn-sts",
}
ADMITTED = "admittedTerm-admn-sts"
FORBIDDEN_STATUSES = ("deprecatedTerm-admn-sts", "supersededTerm-admn-sts")


def _text(element: etree._Element) -> str:
    """The words of an element, comments and processing instructions left out."""
    return " ".join("".join(element.itertext(etree.Element)).split())


def _lang(element: etree._Element) -> str:
    return primary_language(element.get(XML_LANG) or element.get("lang"))


def read_tbx(path: Path) -> TermsRead:
    """The French→English entries of a TBX v2 or v3 file.

    A concept without both a French and an English term, or whose terms cannot be an entry
    (a tab inside a term, say), is left out and reported in :attr:`TermsRead.skipped` with its
    line; a file with no usable concept at all is an error.
    """
    root = load_xml_safely(path, GlossaryError).getroot()
    if local_name(root) not in ("martif", "tbx"):
        raise GlossaryError(
            path,
            f"root element <{local_name(root)}> is not <martif> (TBX v2) or <tbx> (TBX v3)",
            line=root.sourceline,
        )
    entries: list[Entry] = []
    skipped: list[Problem] = []
    concepts = [e for e in root.iter() if local_name(e) in ("termEntry", "conceptEntry")]
    for concept in concepts:
        try:
            entries.extend(_read_concept(concept, str(path)))
        except _Skipped as reason:
            skipped.append(Problem(concept.sourceline, str(reason)))
        except GlossaryError as error:
            skipped.append(Problem(error.line or concept.sourceline, str(error).split(": ", 1)[-1]))
    if not entries:
        detail = f": {skipped[0].message}" if skipped else ""
        raise GlossaryError(
            path,
            f"holds no term with both a French and an English side{detail}",
            line=skipped[0].line if skipped else root.sourceline,
        )
    return TermsRead(entries, skipped)


class _Skipped(Exception):
    """A concept that cannot become an entry; its message says why."""


def _terms(lang_set: etree._Element) -> list[tuple[str, str, str, int]]:
    """(term, administrative status, part of speech, line) for each term of a language."""
    found: list[tuple[str, str, str, int]] = []
    for group in lang_set.iter():
        if local_name(group) not in ("tig", "ntig", "termSec"):
            continue
        term_elements = [e for e in group.iter() if local_name(e) == "term"]
        if not term_elements:
            continue
        notes = {
            (note.get("type") or ""): _text(note)
            for note in group.iter()
            if local_name(note) == "termNote"
        }
        status = notes.get("administrativeStatus", "") or notes.get("normativeAuthorization", "")
        pos = notes.get("partOfSpeech", "")
        found.append((_text(term_elements[0]), status, pos, term_elements[0].sourceline or 0))
    return found


def _read_concept(concept: etree._Element, path: str) -> list[Entry]:
    attributes: dict[str, str] = {}
    comments: list[str] = []
    for child in concept:
        name = local_name(child)
        if name == "admin" and child.get("type") == ADMIN_TYPE:
            attributes = parse_attributes(_text(child), path, child.sourceline or 0)
        elif name in ("note", "descrip"):
            comments.append(_text(child))
        elif name == "descripGrp":
            comments.extend(_text(d) for d in child if local_name(d) == "descrip")
    by_lang: dict[str, list[tuple[str, str, str, int]]] = {}
    for lang_set in concept:
        if local_name(lang_set) in ("langSet", "langSec"):
            by_lang.setdefault(_lang(lang_set), []).extend(_terms(lang_set))
    sources = [t for t in by_lang.get(SOURCE_LANG, []) if t[0]]
    targets = [t for t in by_lang.get(TARGET_LANG, []) if t[0]]
    if not sources or not targets:
        missing = " and ".join(
            f"{LANGUAGE_NAMES[language]} ({language})"
            for language, terms in ((SOURCE_LANG, sources), (TARGET_LANG, targets))
            if not terms
        )
        found = ", ".join(sorted(language for language, terms in by_lang.items() if terms))
        name = concept.get("id")
        raise _Skipped(
            f"concept {name + ' ' if name else ''}has no {missing} term "
            f"(languages: {found or 'none'}); left out"
        )
    line = sources[0][3] or concept.sourceline or 0
    source, *source_variants = [t[0] for t in sources]
    approved = [t for t in targets if t[1] not in FORBIDDEN_STATUSES]
    forbidden = [t for t in targets if t[1] in FORBIDDEN_STATUSES]
    comment = " ".join(c for c in comments if c)
    entries: list[Entry] = []
    if source_variants and "variants" not in attributes:
        attributes["variants"] = "|".join(source_variants)
    if approved:
        preferred = next((t for t in approved if t[1] != ADMITTED), approved[0])
        others = [t[0] for t in approved if t is not preferred]
        if others and "target-variants" not in attributes:
            attributes["target-variants"] = "|".join(others)
        if (
            preferred[2]
            and "pos" not in attributes
            and preferred[2].lower() in ("noun", "adjective", "verb")
        ):
            attributes["pos"] = preferred[2].lower()
        if attributes.get("status") == EntryKind.FORBIDDEN.value:
            attributes.pop("status")
        entries.append(make_entry(source, preferred[0], comment, attributes, (), path, line))
    for target, _status, _pos, target_line in forbidden:
        forbidden_attributes = {k: v for k, v in attributes.items() if k in ("case", "variants")}
        forbidden_attributes["status"] = EntryKind.FORBIDDEN.value
        entries.append(
            make_entry(source, target, comment, forbidden_attributes, (), path, target_line or line)
        )
    return entries


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def write_tbx(entries: Iterable[Entry]) -> bytes:
    """TBX v2 as OmegaT 3.6 and translate-toolkit read it."""
    martif = etree.Element("martif", {"type": "TBX", XML_LANG: SOURCE_LANG})
    header = _sub(_sub(_sub(martif, "martifHeader"), "fileDesc"), "sourceDesc")
    _sub(header, "p", "Exported by bilingual")
    body = _sub(_sub(martif, "text"), "body")
    for number, entry in enumerate(entries, 1):
        concept = _sub(body, "termEntry", id=f"e{number}")
        _write_concept(concept, entry, "langSet", "tig")
    return bytes(etree.tostring(martif, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write_tbx3(entries: Iterable[Entry]) -> bytes:
    """TBX v3 (ISO 30042:2019), TBX-Basic dialect, DCA style."""
    ns = f"{{{TBX3_NS}}}"
    tbx = etree.Element(
        f"{ns}tbx",
        {"type": "TBX-Basic", "style": "dca", XML_LANG: SOURCE_LANG},
        nsmap={None: TBX3_NS},
    )
    header = etree.SubElement(
        etree.SubElement(etree.SubElement(tbx, f"{ns}tbxHeader"), f"{ns}fileDesc"),
        f"{ns}sourceDesc",
    )
    etree.SubElement(header, f"{ns}p").text = "Exported by bilingual"
    body = etree.SubElement(etree.SubElement(tbx, f"{ns}text"), f"{ns}body")
    for number, entry in enumerate(entries, 1):
        concept = etree.SubElement(body, f"{ns}conceptEntry", id=f"c{number}")
        _write_concept(concept, entry, f"{ns}langSec", f"{ns}termSec", ns)
    return bytes(etree.tostring(tbx, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _write_concept(
    concept: etree._Element, entry: Entry, lang_tag: str, term_tag: str, ns: str = ""
) -> None:
    attributes = format_attributes(entry)
    if attributes:
        _sub(concept, f"{ns}admin", attributes, type=ADMIN_TYPE)
    if entry.comment:
        _sub(concept, f"{ns}note", entry.comment)
    french = _sub(concept, lang_tag, **{XML_LANG: SOURCE_LANG})
    for source in entry.sources:
        _sub(_sub(french, term_tag), f"{ns}term", source)
    english = _sub(concept, lang_tag, **{XML_LANG: TARGET_LANG})
    for target, status in [(entry.target, STATUS[entry.kind])] + [
        (t, ADMITTED) for t in entry.target_variants
    ]:
        group = _sub(english, term_tag)
        _sub(group, f"{ns}term", target)
        _sub(group, f"{ns}termNote", status, type="administrativeStatus")
        if entry.pos in ("noun", "adjective", "verb"):
            _sub(group, f"{ns}termNote", entry.pos, type="partOfSpeech")


CODEC_2 = TermCodec(read_tbx, write_tbx)
CODEC_3 = TermCodec(read_tbx, write_tbx3)
