"""What the tests of ``bilingual serve`` share: a small text, its glossary, and a memory that
Apertium filled once (each test edits a copy of it, so the server starts without the engine)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilingual.engines.apertium import ApertiumEngine
from bilingual.memory import open_memory
from bilingual.pipeline import BuildConfig, build

needs_apertium = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Debian's apertium fr-es/spa-eng not installed"
)

NAME = "chapitre"
FRENCH = (
    "Le chat dort sur le canapé. Il y a 12 chats dans la maison.\n"
    "\n"
    "Les chercheurs publient le modèle. Le modèle de langue est ouvert à tous.\n"
)
GLOSSARY = "modèle\tmodel\tterme du domaine\n"
#: A human translation of a sentence like segment 3: the memory suggests it there.
REMEMBERED = (
    "Les chercheurs publient le nouveau modèle.",
    "The researchers release the new model.",
)
SUGGESTED = 3
FORMATS = ("html", "doc", "tmx", "xliff", "xliff12")


def write_sources(folder: Path) -> tuple[Path, Path]:
    """``chapitre.txt`` and ``glossary.utf8`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / f"{NAME}.txt"
    text.write_text(FRENCH, encoding="utf-8")
    glossary = folder / "glossary.utf8"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    return text, glossary


def filled_memory(folder: Path) -> Path:
    """A memory with :data:`REMEMBERED` and Apertium's translation of every segment."""
    text, glossary = write_sources(folder / "sources")
    memory = folder / "memory.sqlite"
    with open_memory(memory) as opened:
        opened.store_human(None, [REMEMBERED])
    config = BuildConfig(
        output_dir=folder / "out",
        engine="apertium",
        formats=FORMATS,
        glossary_path=glossary,
        memory_path=memory,
    )
    build([text], config)
    return memory


def copy_memory(memory: Path, folder: Path) -> Path:
    """A copy of a closed memory in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / memory.name
    shutil.copyfile(memory, copy)
    return copy
