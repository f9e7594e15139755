"""Shared helpers for the benchmarks: French corpora of a given size, built from the seeds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def seed_sentences() -> list[str]:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3]


def french_corpus(size: int) -> str:
    """About ``size`` characters of French prose: seed sentences in paragraphs of five."""
    sentences = seed_sentences()
    paragraphs, length, index = [], 0, 0
    while length < size:
        paragraph = " ".join(sentences[(index + k) % len(sentences)] for k in range(5))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        index += 5
    return "\n\n".join(paragraphs)[:size].rsplit(" ", 1)[0] + "\n"


def distinct_paragraphs(size: int) -> list[str]:
    """:func:`french_corpus` in paragraphs made distinct (``Chapitre N.``), so that a translation
    memory cannot reuse the seed sentences it repeats."""
    return [f"Chapitre {n}. {p}" for n, p in enumerate(french_corpus(size).split("\n\n"))]
