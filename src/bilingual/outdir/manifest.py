"""The manifest of an output folder: every text built into it, under which name, from which source.

``OUTDIR/.bilingual-manifest.json`` maps each text's output name to its source (resolved path)
and a summary of its last build (segments, engine, findings, glossary, files written, time). It
lets several builds share one folder:

- a text keeps its name from build to build; another source with the same stem gets a numbered
  name. A name is free only when none of the files it may produce (every suffix of the export
  registry, whichever formats a build asks for) is a file another text may produce or one the
  folder keeps for itself (``index.html``, ``memory.tmx``, the manifest...), compared without
  case: a text called ``index.txt``, ``memory.txt`` or ``a.glossary.txt`` never takes the file
  of another.
- ``index.html`` and ``memory.tmx`` are written from the manifest, so they list every text of
  the folder, not only the last build's.

A text whose files were deleted by hand leaves the manifest at the next build, which says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ExportError
from ..export import output_suffixes
from ..export.index import TextSummary
from ..textio import atomic_write, cannot_write

MANIFEST_NAME = ".bilingual-manifest.json"
MANIFEST_FORMAT = "bilingual-output-folder"
#: Bumped when a field changes meaning or disappears; new fields do not bump it.
MANIFEST_VERSION = 1

INDEX_NAME = "index.html"
MEMORY_NAME = "memory.tmx"
JOURNAL_NAME = ".bilingual-journal.json"
LOCK_NAME = ".bilingual.lock"

#: The files of the folder itself, which no text may be written to.
FOLDER_FILES = (INDEX_NAME, MEMORY_NAME, MANIFEST_NAME, JOURNAL_NAME, LOCK_NAME)


def plain_file_name(value: object) -> str:
    """``value`` if it is a plain file name: the manifest and the journal name nothing outside
    their folder, whatever is written in them.

    >>> plain_file_name("a.html")
    'a.html'
    >>> plain_file_name("../a.html")
    Traceback (most recent call last):
    ...
    ValueError: '../a.html' is not a file name
    """
    if not isinstance(value, str) or Path(value).name != value or value in ("", ".", ".."):
        raise ValueError(f"{value!r} is not a file name")
    return value


def files_of(name: str) -> list[str]:
    """Every file a text named ``name`` may write, whichever formats a build asks for.

    >>> files_of("lettre")  # doctest: +NORMALIZE_WHITESPACE
    ['lettre.html', 'lettre.tmx', 'lettre.xlf', 'lettre.xliff12.xlf', 'lettre.json',
     'lettre.glossary.json', 'lettre.en.txt', 'lettre.en.md', 'lettre.en.html', 'lettre.en.epub',
     'lettre.en.docx', 'lettre.en.srt', 'lettre.en.vtt']
    """
    return [name + suffix for suffix in output_suffixes()]


@dataclass
class Manifest:
    """The texts of one output folder, by name (see the module's docstring)."""

    folder: Path
    texts: dict[str, TextSummary] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The manifest of ``folder``; an empty one when there is none yet."""
        manifest = cls(folder)
        try:
            data = json.loads(manifest.path.read_bytes())
        except FileNotFoundError:
            return manifest
        except NotADirectoryError as error:  # a file where the folder should be
            raise cannot_write(folder, error) from None
        except (OSError, ValueError) as error:
            raise manifest._unreadable(error) from None
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise manifest._unreadable("not a bilingual manifest")
        if data.get("version") != MANIFEST_VERSION:
            raise ExportError(
                f"{manifest.path}: written by another version of bilingual (manifest version "
                f"{data.get('version')!r}, this one reads {MANIFEST_VERSION}); build into "
                "another folder with -o, or upgrade"
            )
        try:
            manifest.texts = {
                str(name): TextSummary.from_json(str(name), text)
                for name, text in data["texts"].items()
            }
            for text in manifest.texts.values():
                for file in text.files.values():
                    plain_file_name(file)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise manifest._unreadable(f"malformed entry: {error}") from None
        return manifest

    def _unreadable(self, problem: object) -> ExportError:
        return ExportError(
            f"{self.path}: unreadable ({problem}); move it away and build again: the folder's "
            "index then lists only the texts built from then on"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "texts": {name: self.texts[name].to_json() for name in sorted(self.texts)},
        }

    def forget_deleted_files(self) -> list[str]:
        """Forget the files deleted by hand since the last build, and the texts left without any;
        return one note per text concerned."""
        notes: list[str] = []
        for name, text in list(self.texts.items()):
            kept = {key: file for key, file in text.files.items() if (self.folder / file).is_file()}
            if kept == text.files:
                continue
            gone = ", ".join(file for file in text.files.values() if file not in kept.values())
            if kept:
                self.texts[name] = replace(text, files=kept)
                note = f"{self.folder}: {gone} deleted; index.html no longer links there"
                if "tmx" in text.files and "tmx" not in kept:
                    note += f" and memory.tmx leaves {name} out"
                notes.append(note)
            else:
                del self.texts[name]
                notes.append(
                    f"{self.folder}: the files of {name} ({gone}) were deleted; "
                    "index.html and memory.tmx no longer list it"
                )
        return notes

    def names_for(self, sources: Sequence[Path]) -> list[str]:
        """An output name for each of ``sources``: the one the manifest knows the source by, else
        its stem, numbered past every name whose files another text or the folder owns.

        >>> manifest = Manifest(Path("out"))
        >>> manifest.names_for([Path("a/index.txt"), Path("a/lettre.txt"), Path("b/lettre.txt")])
        ['index-2', 'lettre', 'lettre-2']
        """
        owned = {file.casefold() for file in FOLDER_FILES}
        for name in self.texts:
            owned.update(file.casefold() for file in files_of(name))
        by_source = {text.source: name for name, text in self.texts.items()}
        names: list[str] = []
        for path in sources:
            known = by_source.get(str(path.resolve()))
            if known is not None:
                names.append(known)
                continue
            name, number = path.stem, 1
            while any(file.casefold() in owned for file in files_of(name)):
                number += 1
                name = f"{path.stem}-{number}"
            owned.update(file.casefold() for file in files_of(name))
            names.append(name)
        return names

    def record(self, summary: TextSummary) -> None:
        self.texts[summary.name] = summary

    def write(self, path: Path) -> None:
        """Write the manifest to ``path`` (atomically): its own path, or a staged copy."""
        atomic_write(path, json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n")
