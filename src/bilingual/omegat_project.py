"""``bilingual omegat init``: an OmegaT 3.6 project that our translation memory fills whole.

:func:`init_project` writes, in OmegaT's default layout::

    omegat.project             French → English, sentence segmentation on
    source/NAME.txt            copies of the texts (the originals are never touched)
    tm/auto/bilingual.tmx      our translations of every source text
    glossary/bilingual.utf8    our glossary, in OmegaT's tab-separated format
    omegat/segmentation.conf   rules that split French exactly as we do (OmegaT 3.6's format)
    omegat/filters.xml         the text filter: one paragraph per line, UTF-8
    omegat/bilingual.json      what init wrote, so that running it again is safe

OmegaT fills a segment from a TMX in ``tm/auto/`` only when the segment's text equals a TMX
source exactly; :mod:`.omegat_segmentation` makes OmegaT's segments equal ours.

Running init again on the same project adds new texts, translates what changed and rewrites
the TMX, the glossary copy and the segmentation rules. It refuses to replace a file that was
edited since it wrote it, and a source text that differs from the one given: OmegaT keeps its
translations by source text, and the project's sources belong to the translator.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from . import textio
from .errors import BilingualError
from .exchange.omegat_segmentation import (
    project_segmentation,
    read_segmentation_conf,
    write_segmentation_conf,
)
from .exchange.xml import load_xml_safely
from .pipeline import BuildConfig, BuildResult, Reporter, build
from .version import __version__

__all__ = ["InitResult", "init_project"]

PROJECT_FILE = "omegat.project"
MARKER = Path("omegat/bilingual.json")
TMX = Path("tm/auto/bilingual.tmx")
GLOSSARY = Path("glossary/bilingual.utf8")
SEGMENTATION = Path("omegat/segmentation.conf")
FILTERS = Path("omegat/filters.xml")
FOLDERS = ("source", "target", "tm/auto", "glossary", "dictionary", "omegat")
TEXT_FILTER = "org.omegat.filters2.text.TextFilter"

#: ``omegat.project`` with OmegaT 3.6's default settings, for ``str.format(source=, target=)``.
PROJECT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{source}</source_lang>
        <target_lang>{target}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneFrenchTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_project` did."""

    project: Path
    sources: tuple[str, ...]  # file names in source/, all of the project's texts
    added: tuple[str, ...]  # those copied in by this run
    segments: int  # OmegaT's segments in the sources
    exceptions: int  # exact rules added to the French rules for these texts
    unmatched: tuple[str, ...]  # OmegaT segments no TMX entry will fill
    translated: int  # segments sent to the engine
    recalled: int  # segments taken from the translation memory
    glossary: Path | None


def init_project(
    project: Path,
    texts: Sequence[Path],
    config: BuildConfig | None = None,
    reporter: Reporter | None = None,
) -> InitResult:
    """Create (or bring up to date) the OmegaT project ``project`` for ``texts``.

    ``texts`` are files or folders of ``.txt`` files, as for a build; ``config`` sets the
    engine, glossary and translation memory (its ``output_dir`` and ``formats`` are ignored).
    Raises :class:`~bilingual.errors.BilingualError` for a folder that is not empty and not a
    project made by this function, for a source that would replace a different text, and for
    a file edited since this function wrote it.
    """
    project = Path(project)
    config = config or BuildConfig()
    written = _read_marker(project)
    for relative in (TMX, GLOSSARY, SEGMENTATION):
        _check_unchanged(project, relative, written)
    copies = _plan_copies(project / "source", textio.collect_sources(texts))
    _lay_out(project, copies, written)
    sources = sorted((project / "source").glob("*.txt"))
    segmentation = project_segmentation([textio.read_source(path).text for path in sources])
    write_segmentation_conf(segmentation.rules, project / SEGMENTATION)
    _record(project, SEGMENTATION, written)
    result = _write_translations(project, sources, config, reporter, written)
    glossary = None
    if config.glossary_path is not None:
        from .glossary import export_entries, load_glossary

        glossary = project / GLOSSARY
        export_entries(load_glossary(config.glossary_path).entries, glossary, "tsv")
        _record(project, GLOSSARY, written)
    return InitResult(
        project=project,
        sources=tuple(path.name for path in sources),
        added=tuple(target.name for _, target in copies),
        segments=segmentation.segments,
        exceptions=segmentation.exceptions,
        unmatched=segmentation.unmatched,
        translated=result.translated,
        recalled=result.recalled,
        glossary=glossary,
    )


def _lay_out(project: Path, copies: Sequence[tuple[Path, Path]], written: dict[str, str]) -> None:
    """The folders, the marker (from now on init may run here again), the new sources, the
    project file (only when missing: it holds the translator's settings) and the text filter.
    """
    for folder in FOLDERS:
        (project / folder).mkdir(parents=True, exist_ok=True)
    _write_marker(project, written)
    for path, target in copies:
        textio.atomic_write(target, path.read_bytes())
    if not (project / PROJECT_FILE).exists():
        textio.atomic_write(project / PROJECT_FILE, PROJECT_XML.format(source="fr", target="en"))
    _write_filters(project / FILTERS)


def _write_translations(
    project: Path,
    sources: Sequence[Path],
    config: BuildConfig,
    reporter: Reporter | None,
    written: dict[str, str],
) -> BuildResult:
    """Build the sources' TMX in a scratch folder and put it in tm/auto/."""
    with tempfile.TemporaryDirectory(prefix="bilingual-omegat-") as scratch:
        build_config = dataclasses.replace(config, output_dir=Path(scratch), formats=("tmx",))
        result = build(sources, build_config, reporter)
        textio.atomic_write(project / TMX, (Path(scratch) / "memory.tmx").read_bytes())
    _record(project, TMX, written)
    return result


def _record(project: Path, relative: Path, written: dict[str, str]) -> None:
    written[relative.as_posix()] = _digest(project / relative)
    _write_marker(project, written)


def _read_marker(project: Path) -> dict[str, str]:
    """What init wrote in ``project`` before (relative path → sha256); {} for a new folder."""
    if project.exists() and not project.is_dir():
        raise BilingualError(f"{project}: is a file; give a folder for the OmegaT project")
    path = project / MARKER
    if not path.is_file():
        if project.exists() and any(project.iterdir()):
            raise BilingualError(
                f"{project}: folder is not empty and is not an OmegaT project made by "
                "bilingual omegat init; choose a new or empty folder"
            )
        return {}
    try:
        marker = json.loads(path.read_text("utf-8"))
        files = marker["files"]
        if marker.get("tool") != "bilingual" or not isinstance(files, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BilingualError(
            f"{path}: not written by bilingual omegat init; remove it or choose another folder"
        ) from None
    return {str(key): str(value) for key, value in files.items()}


def _write_marker(project: Path, written: dict[str, str]) -> None:
    marker = {"tool": "bilingual", "version": __version__, "files": dict(sorted(written.items()))}
    textio.atomic_write(project / MARKER, json.dumps(marker, indent=2) + "\n")


def _digest(path: Path) -> str:
    """What identifies a file init wrote: its bytes, or for the segmentation settings, which
    OmegaT saves again in its own layout, the rules they hold.
    """
    if path.name == SEGMENTATION.name:
        mappings = [
            [pattern, [[rule.breaks, rule.before, rule.after] for rule in rules]]
            for pattern, rules in read_segmentation_conf(path)
        ]
        data = json.dumps(mappings, ensure_ascii=False).encode("utf-8")
    else:
        data = path.read_bytes()
    return hashlib.sha256(data).hexdigest()


def _check_unchanged(project: Path, relative: Path, written: dict[str, str]) -> None:
    path = project / relative
    recorded = written.get(relative.as_posix())
    if path.exists() and recorded is not None and _digest(path) != recorded:
        raise BilingualError(
            f"{path}: changed since bilingual omegat init wrote it; move it out of the "
            "project to keep it, then run init again"
        )


def _unique_stem(path: Path, taken: set[str]) -> str:
    """The stem of ``path``, numbered past the ones ``taken`` (which it joins).

    >>> _unique_stem(Path("b/texte.txt"), {"texte"})
    'texte-2'
    """
    name, number = path.stem, 1
    while name in taken:
        number += 1
        name = f"{path.stem}-{number}"
    taken.add(name)
    return name


def _plan_copies(folder: Path, sources: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(text, NAME.txt in ``folder``) for the texts not in ``folder`` yet. A different text
    under the same name is an error: it would change the segments OmegaT has translations for.
    """
    taken: set[str] = set()
    copies: list[tuple[Path, Path]] = []
    for path in sources:
        textio.read_source(path)  # refuse what a build would refuse, before writing anything
        target = folder / f"{_unique_stem(path, taken)}.txt"
        if not target.exists():
            copies.append((path, target))
        elif target.read_bytes() != path.read_bytes():
            raise BilingualError(
                f"{target}: the project already has a different text of this name; rename "
                f"{path} or use a new project (a project's sources are never overwritten)"
            )
    return copies


def _write_filters(path: Path) -> None:
    """Set the text filter of ``omegat/filters.xml``: a paragraph per line (our segmenter
    breaks at every line end), UTF-8 files. OmegaT adds its other filters to the file itself;
    they are kept when it exists.
    """
    if path.exists():
        root = load_xml_safely(path).getroot()
        for old in root.findall(f"filter[@className='{TEXT_FILTER}']"):
            root.remove(old)
    else:
        root = etree.Element("filters")
    text_filter = etree.Element("filter", className=TEXT_FILTER, enabled="true")
    etree.SubElement(
        text_filter,
        "files",
        sourceFilenameMask="*.txt",
        targetFilenamePattern="${filename}",
        sourceEncoding="UTF-8",
        targetEncoding="UTF-8",
    )
    etree.SubElement(
        text_filter,
        "files",
        sourceFilenameMask="*.utf8",
        targetFilenamePattern="${filename}",
        sourceEncoding="UTF-8",
        targetEncoding="UTF-8",
    )
    etree.SubElement(text_filter, "option", name="segmentOn", value="BREAKS")
    root.insert(0, text_filter)
    etree.indent(root, space="    ")
    textio.atomic_write(
        path, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    )
