"""Distinct, realistic French texts of any size for the benchmarks.

Every sentence of a generated text occurs once, as in a real book, so that neither the engine's
caches nor the translation memory see the same sentence twice unless a benchmark asks for it.

* :func:`french_prose`: the real sentences of the Universal Dependencies French suites in
  ``../shared/eval/seg`` (Europarl, Wikipedia, news, reviews: about 540 KB), in their order and
  paragraphs; past them, new sentences made by joining the first clause of one real sentence to
  the rest of another (a few million distinct pairs). Without ``../shared``, the two French
  books in ``bench/data`` stand in for the suites.
* :func:`french_clauses`: contract clauses and report lines made from a few templates that
  differ by a number, a date or a name: the translation memory's everyday case, and the fuzzy
  matcher's worst (every segment has many near-duplicates).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator

from common import ROOT

SHARED_SEGMENTATION = ROOT.parent / "shared" / "eval" / "seg"
UD_SUITES = ("ud_fr_sequoia.json", "ud_fr_pud.json", "ud_fr_gsd_test.json")
BOOKS = ("discours_de_la_methode_fr.txt", "the_canterville_ghost_fr.txt")

_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[«A-ZÀ-Ý])")


def real_paragraphs() -> list[list[str]]:
    """Paragraphs of real French sentences: the UD suites' cases, else the books' paragraphs."""
    if SHARED_SEGMENTATION.is_dir():
        paragraphs = []
        for name in UD_SUITES:
            for case in json.loads((SHARED_SEGMENTATION / name).read_text(encoding="utf-8")):
                sentences = [" ".join(s.split()) for s in case["expected"] if len(s.split()) > 2]
                if sentences:
                    paragraphs.append(sentences)
        return paragraphs
    paragraphs = []
    for name in BOOKS:
        text = (ROOT / "bench" / "data" / name).read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n", text):
            sentences = [s for s in _SENTENCE_END.split(" ".join(block.split())) if s]
            if sentences:
                paragraphs.append(sentences)
    return paragraphs


def _recombined(paragraphs: list[list[str]], rng: random.Random) -> Iterator[str]:
    """New sentences: the first clause of a real sentence, then the rest of another one."""
    heads, tails = [], []
    for sentence in (s for paragraph in paragraphs for s in paragraph):
        head, comma, tail = sentence.partition(", ")
        if comma and len(head.split()) >= 2 and len(tail.split()) >= 3:
            heads.append(head)
            tails.append(tail)
    while True:
        yield f"{rng.choice(heads)}, {rng.choice(tails)}"


def _unseen(sentences: Iterator[str], real: list[list[str]]) -> Iterator[str]:
    seen = {sentence for paragraph in real for sentence in paragraph}
    for sentence in sentences:
        if sentence not in seen:
            seen.add(sentence)
            yield sentence


def _paragraphs_of(sentences: Iterator[str], rng: random.Random) -> Iterator[str]:
    while True:
        yield " ".join(next(sentences) for _ in range(rng.randint(3, 7)))


def _text_of(paragraphs: Iterator[str], size: int) -> str:
    """About ``size`` characters of ``paragraphs`` separated by blank lines, none repeated."""
    chosen: list[str] = []
    seen: set[str] = set()
    length = 0
    for paragraph in paragraphs:
        if paragraph in seen:
            continue
        seen.add(paragraph)
        if length + len(paragraph) > size and chosen:
            break
        chosen.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(chosen) + "\n"


def french_prose(size: int, seed: int = 1) -> str:
    """About ``size`` characters of distinct French prose (see the module docstring)."""
    rng = random.Random(seed)
    real = real_paragraphs()

    def paragraphs() -> Iterator[str]:
        yield from (" ".join(paragraph) for paragraph in real)
        yield from _paragraphs_of(_unseen(_recombined(real, rng), real), rng)

    return _text_of(paragraphs(), size)


_NAMES = (
    "M. Dupont", "Mme Martin", "la société Durand et Fils", "M. Bernard", "Mme Lefèvre",
    "la société Moreau SA", "M. Girard", "Mme Rousseau", "la mairie de Lyon", "M. Fontaine",
    "Mme Chevalier", "la coopérative du Vercors", "M. Lambert", "Mme Bonnet", "M. Mercier",
)
_CITIES = ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Rennes", "Grenoble",
           "Bordeaux", "Strasbourg", "Dijon", "Brest")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")
_CLAUSES = (
    ("Article {n}. Le locataire versera à {name} la somme de {amount} euros au plus tard le "
    "{day} {month} {year}."),
    ("Article {n}. En cas de retard de paiement supérieur à {days} jours, des pénalités de "
    "{rate} % seront appliquées de plein droit."),
    ("Article {n}. Le présent contrat est conclu pour une durée de {months} mois à compter du "
    "{day} {month} {year}."),
    ("Article {n}. Le bailleur s'engage à effectuer les réparations dans un délai de {days} jours "
    "après la demande écrite de {name}."),
    ("Article {n}. Toute résiliation anticipée doit être notifiée à {name} par lettre recommandée "
    "au moins {days} jours à l'avance."),
    ("Le rapport de {month} {year} indique une hausse de {rate} % des ventes dans l'agence de "
    "{city}."),
    ("Le rapport de {month} {year} indique une baisse de {rate} % des commandes dans l'agence de "
    "{city}."),
    ("Selon {name}, le chiffre d'affaires de l'agence de {city} a atteint {amount} euros en "
    "{month} {year}."),
    ("La réunion du {day} {month} {year} à {city} a réuni {days} participants sous la présidence "
    "de {name}."),
    ("Le dépôt de garantie, fixé à {amount} euros, sera restitué à {name} dans un délai de {months} "
    "mois."),
)


def _clause(rng: random.Random) -> str:
    return rng.choice(_CLAUSES).format(
        n=rng.randint(1, 400),
        name=rng.choice(_NAMES),
        amount=f"{rng.randint(1, 999)} {rng.randint(0, 999):03d}",
        day=rng.randint(1, 28),
        month=rng.choice(_MONTHS),
        year=rng.randint(1990, 2030),
        days=rng.randint(2, 120),
        rate=f"{rng.randint(1, 40)},{rng.randint(0, 9)}",
        months=rng.randint(2, 72),
        city=rng.choice(_CITIES),
    )


def _distinct_clauses(rng: random.Random) -> Iterator[str]:
    seen: set[str] = set()
    while True:
        clause = _clause(rng)
        if clause not in seen:
            seen.add(clause)
            yield clause


def french_clauses(size: int, seed: int = 1) -> str:
    """About ``size`` characters of distinct near-duplicate clauses (see the module docstring)."""
    rng = random.Random(seed)
    return _text_of(_paragraphs_of(_distinct_clauses(rng), rng), size)


def french_clause_list(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct near-duplicate clauses, one segment each."""
    clauses = _distinct_clauses(random.Random(seed))
    return [next(clauses) for _ in range(count)]


def french_sentences(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct French sentences: the real ones first, then recombined ones."""
    real = real_paragraphs()
    sentences = list(dict.fromkeys(s for paragraph in real for s in paragraph))[:count]
    if len(sentences) < count:
        fresh = _unseen(_recombined(real, random.Random(seed)), real)
        sentences += [next(fresh) for _ in range(count - len(sentences))]
    return sentences
