"""English typography on engine output never changes a word."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilingual.typography import english_number, to_english_typography

CASES = [
    ("I hail « the world » : yes !", None, "I hail “the world”: yes!"),
    ("Why ? Because ; that", None, "Why? Because; that"),
    ("more than 100 000 models", "plus de 100 000 modèles", "more than 100,000 models"),
    ("63 % of all", "63 % de tous", "63% of all"),
    ("2,5 % growth", "2,5 % de croissance", "2.5% growth"),
    ("in 2025, 1 000 firms", "en 2025, 1 000 entreprises", "in 2025, 1,000 firms"),
    ("the 10 January", "le 10 janvier", "the 10 January"),
    ("1, 2, 3", "1, 2, 3", "1, 2, 3"),
    ("R3 and 3,14", "R3 et 3,14", "R3 and 3.14"),
    ("time: 10:30", None, "time: 10:30"),
]


@pytest.mark.parametrize(("target", "source", "expected"), CASES)
def test_typography_cases(target: str, source: str | None, expected: str) -> None:
    assert to_english_typography(target, source) == expected


def test_number_helper() -> None:
    assert english_number("1 000 000") == "1,000,000"
    assert english_number("abc") == "abc"


WORDS = re.compile(r"[^\W\d_]+")


@given(st.text(alphabet=st.sampled_from(list("ab cd:;!?«»,%0123456789\u00a0\u202f.")), max_size=60))
def test_words_never_change(text: str) -> None:
    assert WORDS.findall(to_english_typography(text, text)) == WORDS.findall(text)
