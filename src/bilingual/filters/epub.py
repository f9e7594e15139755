"""EPUB 2 and 3 (``.epub``): the book's XHTML read and written back with lxml, inside its zip.

Reading: the archive is opened within bounds (:mod:`bilingual.filters.archive`), and every XML
entry is parsed by the project's safe loader (no DTD, no entity declaration, nothing fetched;
XHTML's named character references such as ``&nbsp;`` are read as their characters).
``META-INF/container.xml`` names the package (OPF); every local item of its manifest must be in
the archive. The content documents are read in reading order — the spine's XHTML documents, then
the manifest's other XHTML documents (a navigation document outside the spine, notes) — each as
an HTML page (:func:`bilingual.filters.html.read_tree`: headings, paragraphs, lists, table cells,
quotes, captions, ``alt`` and ``title``, inline markup as codes). The book's title is the
package's first ``dc:title``, translated as the first block. Labels (a chapter's ``<title>``, the
NCX's ``docTitle`` and ``navLabel`` texts) take the English of the same text elsewhere in the
book (a heading, the title), and are blocks of their own only when there is none, so the reading
page does not repeat them.

``NAME.en.epub``: the same archive with the content documents, the package and the NCX re-written
by lxml with the English in place; every other entry (pictures, styles, fonts, scripts, extra
files) comes back byte for byte, with the same names, order and compression (``mimetype`` first
and stored). In the package, the title is the English one the metadata gives (a ``dc:title``
with ``xml:lang="en"``, or an ``alternate-script`` refinement in English), else the translation;
the French ``dc:language`` becomes ``en``, and so do the French ``xml:lang``/``lang`` of every
document. Spine, manifest, identifiers, creators and the other metadata are untouched.

``NAME.bilingual.epub`` (the ``bilingual-epub`` output): the French book, with after each
paragraph and heading a copy of it in English (``class="bilingual-en"``, ``xml:lang="en"``, ids
taken out), and in a list item, a table cell or a caption the English after the French in a
``<span class="bilingual-en">`` (a copy would change the list or the table). A small stylesheet
(``bilingual.css``) is added to the book and linked from each document: the English is set off
by a rule at its left and a greyer colour. The package gains ``en`` as a second language and
the English title as a second ``dc:title``; the table of contents (nav, NCX) stays French and
still points at the French headings. Image ``alt`` texts stay French.

What XHTML serialisation changes in a re-written document: attribute quotes, empty elements
(``<br />`` → ``<br/>``) and character references (written as UTF-8 characters); the XML
declaration, the doctype, comments, processing instructions and CDATA sections are kept.
"""

from __future__ import annotations

import copy
import html.entities
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from ..document import Block, BlockKind, Document, InlineCode
from ..errors import ExportError, InputError
from ..exchange.xml import XML_LANG, local_name, primary_language
from . import DocumentFilter, ReadOptions
from .archive import (
    Archive,
    Kind,
    by_entry,
    relative_href,
    resolve_href,
    safe_name,
    write_archive,
    xml_bytes,
)
from .assembly import TextBuilder
from .html import (
    TreeContent,
    element_path,
    find_elements,
    put_back,
    put_english,
    read_tree,
    rebuild_run,
)
from .rebuild import EnglishBlock, english_blocks

EPUB = Kind(
    "an EPUB book", "repair the book (open it in calibre or Sigil and save it again) and build again"
)
CONTAINER = "META-INF/container.xml"
MIMETYPE = "mimetype"
EPUB_MIMETYPE = b"application/epub+zip"
XHTML_TYPE = "application/xhtml+xml"
NCX_TYPE = "application/x-dtbncx+xml"
XHTML_NS = "http://www.w3.org/1999/xhtml"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
ENCRYPTION = "META-INF/encryption.xml"
#: Fonts obfuscated so (IDPF, Adobe) are no DRM: they are copied as they are.
FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
#: XHTML's named character references, as their characters (XML knows only five names).
XHTML_ENTITIES = {
    name[:-1]: text for name, text in html.entities.html5.items() if name.endswith(";")
}

#: Elements whose English copy follows them in the bilingual book; in any other block (a list
#: item, a table cell, a caption...) the English follows the French inside the element.
COPIED = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "address"})
ENGLISH_CLASS = "bilingual-en"
FRENCH_CLASS = "bilingual-fr"
STYLESHEET = "bilingual.css"
STYLE = b"""/* Added by bilingual: each French paragraph is followed by its English. */
.bilingual-en {
  color: #4d4d4d;
  border-left: 0.2em solid #b3b3b3;
  padding-left: 0.5em;
  margin-top: 0.2em;
}
span.bilingual-en { display: block; }
"""


@dataclass(frozen=True, slots=True)
class Package:
    """What the OPF says about the book, with entry names resolved in the archive."""

    opf: str
    version: str
    documents: tuple[str, ...]  # XHTML content documents: the spine's first, in order
    nav: str | None
    ncx: str | None


def read(source: Path | bytes, options: ReadOptions) -> Document:
    if isinstance(source, bytes):
        archive, name = Archive(source, "<bytes>", EPUB), "book"
    else:
        archive, name = Archive.open(source, EPUB), source.stem
    package = open_package(archive)
    opf = archive.xml(package.opf)
    book = _BookText()
    french_title, english_title = titles(opf)
    if french_title is not None and english_title is None:
        book.add(package.opf, _label_text(french_title), [], BlockKind.TITLE, 0,
                 (element_path(opf, french_title), "text"))
    for entry in package.documents:
        book.add_content(entry, read_tree(archive.xml(entry, XHTML_ENTITIES)))
    if package.ncx is not None:
        ncx = archive.xml(package.ncx)
        for label in ncx_labels(ncx):
            book.add(package.ncx, _label_text(label), [], BlockKind.ATTRIBUTE, 0,
                     (element_path(ncx, label), "text"), label=True)
    text, blocks, codes = book.finish()
    if not text.strip():
        raise InputError(archive.where, "holds no text to translate")
    title = _label_text(french_title) if french_title is not None else None
    metadata = {"opf": package.opf, "version": package.version}
    if english_title is not None:
        metadata["english-title"] = _label_text(english_title)
    return Document(
        name,
        text,
        format="epub",
        title=title or next((text[b.start : b.end] for b in blocks if b.kind is BlockKind.HEADING), None),
        blocks=blocks,
        codes=codes,
        original=archive.data,
        metadata=metadata,
    )


def open_package(archive: Archive) -> Package:
    """Find and check the package: its manifest's local items must all be in the archive."""
    if CONTAINER not in archive:
        raise InputError(archive.where, f"is not {EPUB.label}: it has no {CONTAINER}; {EPUB.repair}")
    rootfile = next(archive.xml(CONTAINER).getroot().iter(f"{{{CONTAINER_NS}}}rootfile"), None)
    opf = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf:
        raise archive.error(CONTAINER, f"names no package document (rootfile); {EPUB.repair}")
    if not safe_name(opf):
        raise archive.error(CONTAINER, f"names the package {opf!r} outside the book; refused (a damaged or hostile book)")
    if opf not in archive:
        raise archive.error(opf, f"is named in {CONTAINER} but missing from the book; {EPUB.repair}")
    root = archive.xml(opf).getroot()
    manifest: dict[str, tuple[str, str, str]] = {}  # id → (entry, media type, properties)
    for item in root.iter(f"{{{OPF_NS}}}item"):
        href = item.get("href", "")
        if urlsplit(href).scheme:  # a remote resource (EPUB 3 audio, video, fonts)
            continue
        entry = resolve_href(opf, href)
        if entry is None or not safe_name(entry):
            raise archive.error(
                opf, f"its manifest item {href!r} points outside the book; refused (a damaged or hostile book)"
            )
        if entry not in archive:
            raise archive.error(entry, f"is listed in the manifest of {opf} but missing from the book; {EPUB.repair}")
        manifest[item.get("id", "")] = (entry, item.get("media-type", ""), item.get("properties", ""))
    spine = root.find(f"{{{OPF_NS}}}spine")
    order: list[str] = []
    for itemref in spine.iter(f"{{{OPF_NS}}}itemref") if spine is not None else ():
        found = manifest.get(itemref.get("idref", ""))
        if found is None:
            raise archive.error(opf, f"its spine refers to {itemref.get('idref')!r}, which the manifest does not list; {EPUB.repair}")
        if found[1] == XHTML_TYPE:
            order.append(found[0])
    order += [entry for entry, media, _ in manifest.values() if media == XHTML_TYPE]
    nav = next((entry for entry, _, props in manifest.values() if "nav" in props.split()), None)
    toc = manifest.get(spine.get("toc", "")) if spine is not None else None
    ncx = toc[0] if toc else next((e for e, media, _ in manifest.values() if media == NCX_TYPE), None)
    documents = tuple(dict.fromkeys(order))
    _refuse_drm(archive, documents)
    return Package(opf, root.get("version", ""), documents, nav, ncx)


def _refuse_drm(archive: Archive, documents: tuple[str, ...]) -> None:
    """Content documents encrypted by anything but font obfuscation are DRM."""
    if ENCRYPTION not in archive:
        return
    for data in archive.xml(ENCRYPTION).getroot().iter("{http://www.w3.org/2001/04/xmlenc#}EncryptedData"):
        method = data.find("{http://www.w3.org/2001/04/xmlenc#}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        reference = data.find(".//{http://www.w3.org/2001/04/xmlenc#}CipherReference")
        uri = reference.get("URI", "") if reference is not None else ""
        if algorithm not in FONT_OBFUSCATION and resolve_href("", uri) in documents:
            raise InputError(
                archive.where,
                "is protected by DRM (its text is encrypted); bilingual cannot read it — use a copy "
                "without DRM",
            )


def titles(opf: etree._ElementTree) -> tuple[etree._Element | None, etree._Element | None]:
    """The book's (first) ``dc:title``, and the English title the metadata gives, if any."""
    metadata = opf.getroot().find(f"{{{OPF_NS}}}metadata")
    if metadata is None:
        return None, None
    found = [t for t in metadata.iter(f"{{{DC_NS}}}title") if (t.text or "").strip()]
    if not found:
        return None, None
    english = next((t for t in found[1:] if primary_language(_language(t)) == "en"), None)
    if english is None and found[0].get("id"):
        refines = f"#{found[0].get('id')}"
        english = next(
            (meta for meta in metadata.iter(f"{{{OPF_NS}}}meta")
             if meta.get("refines") == refines and meta.get("property") == "alternate-script"
             and primary_language(meta.get(XML_LANG)) == "en" and (meta.text or "").strip()),
            None,
        )
    return found[0], english


def _language(element: etree._Element) -> str | None:
    """The ``xml:lang`` in force at ``element``."""
    for node in (element, *element.iterancestors()):
        language = node.get(XML_LANG)
        if language is not None:
            return str(language)
    return None


def ncx_labels(ncx: etree._ElementTree) -> list[etree._Element]:
    """The texts of the NCX a reader shows: the book's title and every entry's label (authors
    are names, kept)."""
    return [
        text
        for text in ncx.getroot().iter(f"{{{NCX_NS}}}text")
        if text.getparent() is not None
        and local_name(text.getparent()) in ("navLabel", "docTitle")
        and (text.text or "").strip()
    ]


def _label_text(element: etree._Element) -> str:
    return " ".join((element.text or "").split())


@dataclass
class _Part:
    entry: str
    text: str
    codes: list[InlineCode]
    kind: BlockKind
    level: int
    handle: tuple[int | str, ...]
    label: bool


@dataclass
class _BookText:
    """The blocks of every entry, put together into one text once the labels are known."""

    parts: list[_Part] = field(default_factory=list)

    def add(
        self,
        entry: str,
        text: str,
        codes: list[InlineCode],
        kind: BlockKind,
        level: int,
        handle: tuple[int | str, ...],
        label: bool = False,
    ) -> None:
        self.parts.append(_Part(entry, text, codes, kind, level, handle, label))

    def add_content(self, entry: str, content: TreeContent) -> None:
        codes = iter(content.codes)
        pending = next(codes, None)
        for block in content.blocks:
            inside: list[InlineCode] = []
            while pending is not None and pending.start < block.end + (block.start == block.end):
                if pending.start >= block.start:
                    inside.append(replace(pending, start=pending.start - block.start,
                                          end=pending.end - block.start))
                pending = next(codes, None)
            self.add(entry, content.text[block.start : block.end], inside, block.kind,
                     block.level, block.handle, label=block.kind is BlockKind.TITLE)

    def finish(self) -> tuple[str, list[Block], list[InlineCode]]:
        """The book's text, its blocks and codes, handles prefixed with their entry; a label
        whose text another block has is left out (the writer gives it that block's English)."""
        seen = {_key(part.text) for part in self.parts if not part.label}
        text = TextBuilder()
        for part in self.parts:
            if part.label:
                if _key(part.text) in seen:
                    continue
                seen.add(_key(part.text))
            codes = [replace(code, handle=(part.entry, *code.handle)) for code in part.codes]
            text.add(part.text, codes, part.kind, part.level, (part.entry, *part.handle))
        return text.text(), text.blocks, text.codes


def _key(text: str) -> str:
    return " ".join(text.split())


# -- writing -------------------------------------------------------------------------------


def write_translation(document: Document, path: Path) -> None:
    """``NAME.en.epub``: the book in English."""
    _write(document, path, bilingual=False)


def write_bilingual(document: Document, path: Path) -> None:
    """``NAME.bilingual.epub``: each French paragraph followed by its English."""
    if document.format != "epub":
        raise ExportError(f"{document.name}: the bilingual EPUB is made from EPUB sources only")
    _write(document, path, bilingual=True)


def _write(document: Document, path: Path, bilingual: bool) -> None:
    where = str(document.source_path or document.name)
    archive = Archive(document.original, where, EPUB)
    package = open_package(archive)
    blocks = english_blocks(document)
    local = by_entry(blocks)
    english_of: dict[str, str] = {}
    for block in blocks:
        english_of.setdefault(_key(document.text[block.block.start : block.block.end]), block.text)
    replaced: dict[str, bytes] = {}
    added: list[tuple[str, bytes]] = []
    stylesheet = _free_name(archive, package.opf, STYLESHEET) if bilingual else ""
    for entry in package.documents:
        tree = archive.xml(entry, XHTML_ENTITIES)
        mine = local.get(entry, [])
        if bilingual:
            if entry == package.nav:
                continue
            _interleave(tree, mine)
            _link_stylesheet(tree, relative_href(entry, stylesheet))
        else:
            for title in tree.getroot().iter(f"{{{XHTML_NS}}}title"):
                _fill_label(title, english_of)
            put_english(tree, mine)
            _to_english(tree.getroot())
        replaced[entry] = xml_bytes(tree, archive.read(entry))
    opf = archive.xml(package.opf)
    english_title = document.metadata.get("english-title")
    if bilingual:
        _bilingual_package(opf, english_title or _title_english(opf, local.get(package.opf, [])))
        _add_to_manifest(opf, package.opf, stylesheet)
        added.append((stylesheet, STYLE))
    else:
        _english_package(opf, english_title, local.get(package.opf, []))
    replaced[package.opf] = xml_bytes(opf, archive.read(package.opf))
    if package.ncx is not None and not bilingual:
        ncx = archive.xml(package.ncx)
        for label in ncx_labels(ncx):
            _fill_label(label, english_of)
        put_english(ncx, local.get(package.ncx, []))
        _to_english(ncx.getroot(), say_it=False)
        replaced[package.ncx] = xml_bytes(ncx, archive.read(package.ncx))
    if MIMETYPE not in archive or archive.read(MIMETYPE) != EPUB_MIMETYPE:
        replaced[MIMETYPE] = EPUB_MIMETYPE
    write_archive(archive, path, replaced, added, first=MIMETYPE)


def _fill_label(element: etree._Element, english_of: dict[str, str]) -> None:
    english = english_of.get(_label_text(element))
    if english is not None:
        element.text = english


def _to_english(root: etree._Element, say_it: bool = True) -> None:
    """French language tags become English; with ``say_it``, a document without any says
    English (the package and the NCX have no language of their own to say)."""
    for element in root.iter(etree.Element):
        for name in (XML_LANG, "lang"):
            if primary_language(element.get(name)) == "fr":
                element.set(name, "en")
    if say_it and root.get(XML_LANG) is None and root.get("lang") is None:
        root.set(XML_LANG, "en")


def _english_package(
    opf: etree._ElementTree, english_title: str | None, blocks: list[EnglishBlock]
) -> None:
    title, _ = titles(opf)
    if title is not None and english_title is not None:
        title.text = english_title
    put_english(opf, blocks)
    root = opf.getroot()
    languages = list(root.iter(f"{{{DC_NS}}}language"))
    french = [language for language in languages if primary_language(language.text) == "fr"]
    for language in french or languages[:1]:
        language.text = "en"
    _to_english(root, say_it=False)


def _title_english(opf: etree._ElementTree, blocks: list[EnglishBlock]) -> str | None:
    title, _ = titles(opf)
    if title is None:
        return None
    path = element_path(opf, title)
    return next((block.text for block in blocks if block.block.handle[0] == path), None)


def _bilingual_package(opf: etree._ElementTree, english_title: str | None) -> None:
    """French first, English second: a second ``dc:language`` and ``dc:title``."""
    metadata = opf.getroot().find(f"{{{OPF_NS}}}metadata")
    if metadata is None:
        return
    languages = list(metadata.iter(f"{{{DC_NS}}}language"))
    if languages and not any(primary_language(language.text) == "en" for language in languages):
        _add_after(languages[-1], f"{{{DC_NS}}}language", "en")
    title, english = titles(opf)
    if title is not None and english is None and english_title:
        _add_after(title, f"{{{DC_NS}}}title", english_title).set(XML_LANG, "en")


def _add_after(element: etree._Element, tag: str, text: str) -> etree._Element:
    new = etree.Element(tag, nsmap=element.nsmap)
    new.text = text
    new.tail = element.tail
    element.addnext(new)
    return new


def _free_name(archive: Archive, opf: str, name: str) -> str:
    """An entry name beside the package that the book does not use yet."""
    stem, dot, suffix = name.rpartition(".")
    folder = opf.rpartition("/")[0]
    number = 1
    while True:
        candidate = f"{stem}{'' if number == 1 else f'-{number}'}{dot}{suffix}"
        entry = f"{folder}/{candidate}" if folder else candidate
        if entry not in archive and entry.lower() not in {n.lower() for n in archive.names()}:
            return entry
        number += 1


def _add_to_manifest(opf: etree._ElementTree, opf_entry: str, stylesheet: str) -> None:
    manifest = opf.getroot().find(f"{{{OPF_NS}}}manifest")
    if manifest is None:
        return
    ids = {item.get("id") for item in opf.getroot().iter() if isinstance(item.tag, str)}
    identifier, number = "bilingual-css", 1
    while identifier in ids:
        number += 1
        identifier = f"bilingual-css-{number}"
    item = etree.Element(f"{{{OPF_NS}}}item")
    item.set("id", identifier)
    item.set("href", relative_href(opf_entry, stylesheet))
    item.set("media-type", "text/css")
    _append_indented(manifest, item)


def _append_indented(parent: etree._Element, new: etree._Element) -> None:
    """Append ``new`` to ``parent``, indented as its last child was."""
    children = list(parent)
    parent.append(new)
    if children:
        last = children[-1]
        new.tail = last.tail
        last.tail = children[-2].tail if len(children) > 1 else parent.text


def _interleave(tree: etree._ElementTree, blocks: list[EnglishBlock]) -> None:
    """Put each run's English after its French (see the module's docstring)."""
    elements = find_elements(tree, blocks)
    root = tree.getroot()
    namespace = etree.QName(root).namespace
    with_lang = root.get("lang") is not None
    runs = [
        (elements[str(block.block.handle[0])], block)
        for block in blocks
        if len(block.block.handle) == 3 and str(block.block.handle[0]) in elements
    ]
    # from the last run to the first: what is inserted never moves a run still to do
    for element, block in reversed(runs):
        start, end = int(block.block.handle[1]), int(block.block.handle[2])
        whole = start == 0 and end == len(element) and element.getparent() is not None
        if whole and local_name(element) in COPIED:
            english = copy.deepcopy(element)
            put_back(english, block, elements)
            tail = element.tail or ""
            element.addnext(english)
            english.tail = tail
            element.tail = tail[: len(tail) - len(tail.lstrip())] or None
            _add_class(element, FRENCH_CLASS)
        else:
            wrapper = rebuild_run(block, elements)
            english = etree.Element(f"{{{namespace}}}span" if namespace else "span")
            english.text = wrapper.text
            english.extend(list(wrapper))
            element.insert(end, english)
        _add_class(english, ENGLISH_CLASS)
        english.set(XML_LANG, "en")
        if with_lang or english.get("lang") is not None:
            english.set("lang", "en")
        for inner in english.iter(etree.Element):
            inner.attrib.pop("id", None)


def _add_class(element: etree._Element, name: str) -> None:
    classes = (element.get("class") or "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _link_stylesheet(tree: etree._ElementTree, href: str) -> None:
    root = tree.getroot()
    namespace = etree.QName(root).namespace
    head = next((child for child in root if local_name(child) == "head"), None)
    if head is None:
        return
    link = etree.Element(f"{{{namespace}}}link" if namespace else "link")
    link.set("rel", "stylesheet")
    link.set("type", "text/css")
    link.set("href", href)
    _append_indented(head, link)


FILTER = DocumentFilter(read, write_translation)
