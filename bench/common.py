"""Shared helpers for the benchmarks: French corpora of a given size, of distinct real prose."""

from __future__ import annotations

import itertools
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


EVAL_SEG = ROOT.parent / "shared" / "eval" / "seg"


def eval_sentences() -> list[str]:
    """The distinct gold sentences of the segmentation suites (news, wiki, Europarl: real
    French prose, about 4,600 of them), or the seed sentences where ``../shared`` is absent."""
    import json

    found: dict[str, None] = {}
    for path in sorted(EVAL_SEG.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            for sentence in case.get("expected", []):
                if len(sentence.split()) > 3:
                    found[sentence.strip()] = None
    return list(found) or seed_sentences()


def markov_prose(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct sentences of real French vocabulary, word frequencies and lengths,
    none of them a real sentence: a word-bigram chain over :func:`eval_sentences` (each word
    followed by a word that follows it somewhere in the real text)."""
    import random

    rng = random.Random(seed)
    followers: dict[str, list[str]] = {}
    starts = []
    for sentence in eval_sentences():
        words = sentence.split()
        starts.append(words[0])
        for first, second in itertools.pairwise(words):
            followers.setdefault(first, []).append(second)
    found: dict[str, None] = {}
    while len(found) < count:
        words = [rng.choice(starts)]
        while len(words) < 60 and words[-1][-1] not in ".!?»" and words[-1] in followers:
            words.append(rng.choice(followers[words[-1]]))
        if 6 <= len(words) < 60:
            found[" ".join(words)] = None
    return list(found)


_SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc"]
_FIRST_NAMES = ["Marie", "Jean", "Pierre", "Michel", "Anne", "Philippe", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Alain", "Patrick", "Nicolas", "Christophe", "Sophie", "Julien", "Camille", "Léa", "Hugo", "Louis", "Chloé", "Emma", "Lucas", "Manon", "Inès", "Théo"]
_CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier", "Bordeaux", "Lille", "Rennes", "Reims", "Toulon", "Grenoble", "Dijon", "Angers", "Nîmes", "Villeurbanne", "Clermont-Ferrand", "Brest", "Tours", "Amiens", "Limoges", "Annecy", "Perpignan", "Besançon", "Metz", "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy", "Argenteuil", "Roubaix", "Tourcoing", "Avignon", "Poitiers", "Versailles", "Pau", "Calais"]
_COMPANY_KINDS = ("SARL", "SA", "SAS", "et Associés", "Conseil", "Industries", "Logistique")
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
_PRODUCTS = (
    "marchandises", "équipements informatiques", "pièces détachées", "fournitures de bureau",
    "matériels médicaux", "prestations de maintenance", "licences logicielles", "véhicules",
)
_CLAUSES = (
    "Le Prestataire s'engage à livrer les {product} au plus tard le {date} à {city}.",
    "En cas de retard, une pénalité de {amount} euros par jour calendaire sera due par {company}.",
    "Le présent contrat est conclu pour une durée de {n} mois à compter du {date}.",
    "Le prix total des {product} s'élève à {amount} euros hors taxes, payable à {days} jours.",
    "Toute modification de l'article {article} devra faire l'objet d'un avenant signé par {person}.",
    "La société {company}, dont le siège est situé à {city}, est représentée par {person}.",
    "Le Client versera un acompte de {pct} % du montant total à la signature du présent contrat.",
    "Les parties conviennent que le tribunal de commerce de {city} sera seul compétent.",
    "Le délai de préavis est fixé à {days} jours à compter de la réception de la lettre recommandée.",
    "Le Fournisseur garantit les {product} pendant une période de {n} mois à compter de leur livraison.",
    "Conformément à l'article {article}, {company} pourra résilier le contrat sans indemnité.",
    "La facture numéro {number} d'un montant de {amount} euros reste impayée à ce jour.",
    "Le rapport d'activité du {date} fait état de {n} incidents sur le site de {city}.",
    "Le chiffre d'affaires de {company} a progressé de {pct} % au cours de l'exercice {year}.",
    "{person} est nommé responsable du projet à compter du {date}.",
    "Le loyer mensuel est fixé à {amount} euros, charges comprises, payable le {n} de chaque mois.",
    "Le locataire s'engage à restituer les locaux situés à {city} en bon état d'usage.",
    "Les données personnelles seront conservées pendant {n} ans par {company}, puis supprimées.",
    "Le montant de l'assurance responsabilité civile ne pourra être inférieur à {amount} euros.",
    "La réunion du comité de pilotage se tiendra le {date} dans les locaux de {company} à {city}.",
    "Le taux de disponibilité du service ne pourra être inférieur à {pct} % par mois.",
    "Une remise de {pct} % sera consentie pour toute commande supérieure à {amount} euros.",
    "Le présent avenant numéro {n} modifie l'article {article} du contrat signé le {date}.",
    "Le salarié, {person}, percevra une rémunération brute annuelle de {amount} euros.",
    "La période d'essai est fixée à {n} mois, renouvelable une fois par accord écrit des parties.",
    "Le sinistre déclaré le {date} à {city} a entraîné des dommages estimés à {amount} euros.",
    "Le dossier numéro {number} a été transmis au service juridique de {company} le {date}.",
    "Les intérêts de retard seront calculés au taux de {pct} % l'an à compter du {date}.",
    "{company} s'engage à ne pas divulguer les informations confidentielles pendant {n} ans.",
    "L'inventaire réalisé à {city} le {date} recense {number} articles en stock.",
)


def contract_clauses(count: int, seed: int = 11) -> list[str]:
    """``count`` distinct contract and report clauses from 30 templates that differ only by a
    number, a date or a name: the translation memory's everyday case and the fuzzy matcher's
    worst (thousands of stored segments share almost every word)."""
    import random

    rng = random.Random(seed)

    def value(slot: str) -> str:
        if slot == "person":
            return f"{rng.choice(['M.', 'Mme'])} {rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
        if slot == "company":
            return f"{rng.choice(_SURNAMES)} {rng.choice(_COMPANY_KINDS)}"
        if slot == "date":
            return f"{rng.randint(1, 28)} {rng.choice(_MONTHS)} {rng.randint(2015, 2027)}"
        if slot == "amount":
            return f"{rng.randint(1, 999)} {rng.randint(0, 999):03d}"
        numbers = {"n": (1, 60), "days": (8, 120), "pct": (1, 40), "article": (1, 48),
                   "number": (1000, 99999), "year": (2015, 2027)}
        if slot in numbers:
            return str(rng.randint(*numbers[slot]))
        return rng.choice(_CITIES if slot == "city" else _PRODUCTS)

    slot = re.compile(r"\{(\w+)\}")
    found: dict[str, None] = {}
    while len(found) < count:
        template = rng.choice(_CLAUSES)
        found[slot.sub(lambda match: value(match.group(1)), template)] = None
    return list(found)
