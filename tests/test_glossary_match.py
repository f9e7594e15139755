from __future__ import annotations

import itertools

import pytest
from glossary_helpers import glossary_of, sample_glossary

from bilingual.glossary import CaseMode, Entry, EntryKind, Glossary
from bilingual.glossary.match import find_english

TERMS = glossary_of(
    ("poids ouvert", "open-weight"),
    ("modèle à poids ouvert", "open-weight model"),
    ("modèle", "model"),
    ("écosystème", "ecosystem"),
    ("intelligence artificielle", "artificial intelligence"),
    ("IA", "AI"),
    ("IA full-stack", "full-stack AI"),
    ("puce", "chip"),
    ("distillé", "distilled"),
    ("multimodal", "multimodal"),
    ("véhicule autonome", "autonomous vehicle"),
    ("modèle de base", "foundation model"),
    ("Meta", "Meta"),
    ("Hugging Face", "Hugging Face"),
    Entry("CES", "CES", case=CaseMode.SENSITIVE),
    ("Cosmos", "Cosmos"),
    ("open source", "open source"),
)

# (text, expected matched surface forms): inflection, elision, case, accents.
RECALL_CASES = [
    ("un modèle à poids ouvert", ["modèle à poids ouvert"]),
    ("des modèles à poids ouverts", ["modèles à poids ouverts"]),
    ("une approche à poids ouverte", ["poids ouverte"]),
    ("les approches à poids ouvertes", ["poids ouvertes"]),
    ("l'écosystème", ["écosystème"]),
    ("l’écosystème", ["écosystème"]),
    ("d'écosystèmes", ["écosystèmes"]),
    ("qu'écosystème", ["écosystème"]),
    ("L'ECOSYSTEME", ["ECOSYSTEME"]),
    ("ecosysteme", ["ecosysteme"]),
    ("de l'IA", ["IA"]),
    ("d’IA", ["IA"]),
    ("l'IA full-stack", ["IA full-stack"]),
    ("l'IA full stack", ["IA full stack"]),
    ("Puces et puces", ["Puces", "puces"]),
    ("une version distillée", ["distillée"]),
    ("des versions distillées, un modèle distillé", ["distillées", "modèle", "distillé"]),
    ("systèmes multimodaux", ["multimodaux"]),
    ("approche multimodale", ["multimodale"]),
    ("Intelligence Artificielle", ["Intelligence Artificielle"]),
    ("l'intelligence  artificielle", ["intelligence  artificielle"]),
    ("des véhicules autonomes", ["véhicules autonomes"]),
    ("modèles de base chinois", ["modèles de base"]),
    ("de Meta", ["Meta"]),
    ("sur Hugging Face.", ["Hugging Face"]),
    ("au CES de Las Vegas", ["CES"]),
    ("le modèle Cosmos", ["modèle", "Cosmos"]),
    ("de l'open-source", ["open-source"]),
    ("MODÈLES", ["MODÈLES"]),
]

NEGATIVE_CASES = [
    "Ces modèles",  # CES is case-sensitive
    "ces deux-là",
    "le cosmos est vaste",  # a capitalised name is not the ordinary word
    "la métaphysique",  # never inside a word
    "une pucelle",
    "modèlerie",
    "ia",
    "le poids. Ouvert",  # a term never spans punctuation
    "écosystèmique",
]


@pytest.mark.parametrize(("text", "expected"), RECALL_CASES)
def test_source_matches_through_inflection_and_elision(text: str, expected: list[str]) -> None:
    assert [m.text for m in TERMS.match_source(text)] == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_false_match_on_ordinary_words(text: str) -> None:
    found = [m.text for m in TERMS.match_source(text) if m.entry.source not in ("modèle",)]
    assert found == []


def test_recall_on_the_whole_set_is_at_least_95_percent() -> None:
    expected = sum(len(e) for _, e in RECALL_CASES)
    found = sum(len({m.text for m in TERMS.match_source(t)} & set(e)) for t, e in RECALL_CASES)
    assert found / expected >= 0.95


def test_spans_point_into_the_text_and_longest_wins() -> None:
    text = "Des modèles à poids ouvert et du poids ouvert."
    matches = TERMS.match_source(text)
    assert [(m.entry.source, text[m.start : m.end]) for m in matches] == [
        ("modèle à poids ouvert", "modèles à poids ouvert"),
        ("poids ouvert", "poids ouvert"),
    ]
    assert all(m.start < m.end <= n.start for m, n in itertools.pairwise(matches))


def test_forbidden_only_entry_still_matches() -> None:
    glossary = Glossary.from_entries([Entry("lama", "llama", kind=EntryKind.FORBIDDEN)])
    assert [m.text for m in glossary.match_source("le lama")] == ["lama"]


def test_entry_key_changes_only_with_matched_entries() -> None:
    first = glossary_of(("puce", "chip"), ("écosystème", "ecosystem"))
    second = glossary_of(("puce", "chip"), ("écosystème", "ecosystems"))
    text = "une puce"
    assert first.entry_key(first.match_source(text)) == second.entry_key(second.match_source(text))
    other = "un écosystème"
    assert first.entry_key(first.match_source(other)) != second.entry_key(
        second.match_source(other)
    )


@pytest.mark.parametrize(
    ("text", "term", "found"),
    [
        ("open-weight models", "open-weight model", ["open-weight models"]),
        ("open weight model", "open-weight model", ["open weight model"]),
        ("Open-Weight Models", "open-weight model", ["Open-Weight Models"]),
        ("the AI chips", "chip", ["chips"]),
        ("said", "AI", []),
        ("the companies", "company", ["companies"]),
        ("Meta's Llama", "Meta", ["Meta"]),
        ("metadata", "Meta", []),
    ],
)
def test_target_matching(text: str, term: str, found: list[str]) -> None:
    assert [text[s:e] for s, e in find_english(text, term)] == found


def test_sample_glossary_file(tmp_path) -> None:
    glossary = sample_glossary(tmp_path)
    assert glossary.info().entries == 13
    assert len(glossary.info().sha256) == 64
    assert [m.entry.target for m in glossary.match_source("Le CES, ces puces.")] == ["CES", "chip"]


def test_sentence_case_entries_match_lowercase_text_but_names_stay_strict() -> None:
    from bilingual.glossary import Entry, Glossary

    glossary = Glossary.from_entries(
        [
            Entry("Modèle de langage", "Language model"),
            Entry("Las Vegas", "Las Vegas"),
            Entry("Cosmos", "Cosmos"),
        ]
    )
    text = "Les modèles de langage, las vegas et le cosmos ; Cosmos à Las Vegas."
    found = [m.text for m in glossary.match_source(text)]
    assert found == ["modèles de langage", "Cosmos", "Las Vegas"]


def test_verb_forms_do_not_match_nouns_and_participles() -> None:
    from bilingual.glossary import Entry, Glossary

    glossary = Glossary.from_entries(
        [Entry("donnée", "data"), Entry("modèle", "model"), Entry("calcul", "computation")]
    )
    ordinary = "Cela donne un résultat ; il faut modeler la pâte et calculer vite. Tu donnes."
    assert glossary.match_source(ordinary) == []
    terms = "Les données, la DONNEE brute, des modèles et le calcul."
    assert [m.text for m in glossary.match_source(terms)] == [
        "données", "DONNEE", "modèles", "calcul"
    ]
