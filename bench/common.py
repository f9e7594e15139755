"""Shared helpers for the benchmarks: French corpora of a given size, of distinct real prose."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUALITY_TEXTS = ROOT / "bench" / "data" / "quality"
#: Public French corpora (news, Wikipedia, Europarl, regional press, drug leaflets, reviews) kept
#: beside the repository as sentence-segmentation suites; see its README for sources and licences.
SHARED_SUITES = ROOT.parent / "shared" / "eval" / "seg"
SUITES = ("ud_fr_pud.json", "ud_fr_sequoia.json", "ud_fr_gsd_test.json", "languagetool_fr.json")


def seed_sentences() -> list[str]:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3]


def prose_paragraphs() -> list[str]:
    """Every distinct paragraph of real French prose at hand, in a fixed order.

    The seeds and bench/data first, then the documents of the shared suites (one paragraph
    each). Without ../shared only the repository's own few kilobytes are available.
    """
    paragraphs: list[str] = []
    for path in [*sorted(SEEDS.glob("*.txt")), *sorted(QUALITY_TEXTS.glob("*.fr.txt"))]:
        paragraphs += path.read_text(encoding="utf-8").split("\n\n")
    for name in SUITES:
        path = SHARED_SUITES / name
        if path.is_file():
            paragraphs += [case["text"] for case in json.loads(path.read_text(encoding="utf-8"))]
    seen: set[str] = set()
    distinct = []
    for paragraph in paragraphs:
        paragraph = paragraph.strip()
        if paragraph and paragraph not in seen:
            seen.add(paragraph)
            distinct.append(paragraph)
    return distinct


def french_corpus(size: int) -> str:
    """About ``size`` characters of distinct French prose, in paragraphs.

    Past what :func:`prose_paragraphs` holds (about 550 KB with ../shared), the text starts
    over with each paragraph numbered ("Partie 2. ..."), so no paragraph repeats exactly.
    """
    source = prose_paragraphs()
    paragraphs: list[str] = []
    length, index = 0, 0
    while length < size:
        paragraph = source[index % len(source)]
        if index >= len(source):
            paragraph = f"Partie {index // len(source) + 1}. {paragraph}"
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        index += 1
    return "\n\n".join(paragraphs)[:size].rsplit(" ", 1)[0] + "\n"


def distinct_share(text: str) -> float:
    """The share of ``text``'s sentences (split on final punctuation) that occur only once."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    counts: dict[str, int] = {}
    for sentence in sentences:
        counts[sentence] = counts.get(sentence, 0) + 1
    return sum(1 for s in sentences if counts[s] == 1) / max(len(sentences), 1)


def distinct_paragraphs(size: int) -> list[str]:
    """:func:`french_corpus` in paragraphs made distinct (``Chapitre N.``), so that a translation
    memory cannot reuse the seed sentences it repeats."""
    return [f"Chapitre {n}. {p}" for n, p in enumerate(french_corpus(size).split("\n\n"))]
