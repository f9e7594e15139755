"""English typography for engine output: spacing, quotation marks and number formats.

Engines working from French keep French conventions ("Bonjour : « oui »", "100 000", "2,5 %").
This stage rewrites punctuation and numbers only; it never changes a word, which the tests check.
"""

from __future__ import annotations

import re

# NBSP and narrow NBSP are the French spaces before high punctuation and inside numbers.
_SPACES = " \u00a0\u202f\u2009"
_SPACE_BEFORE_PUNCT = re.compile(f"[{_SPACES}]+(?=[:;!?](?:[^\\w]|$))")
_OPEN_GUILLEMET = re.compile(f"«[{_SPACES}]*")
_CLOSE_GUILLEMET = re.compile(f"[{_SPACES}]*»")
# 100 000 / 1 000 000,5 (groups of three after a space-like separator), or 2,5
_FRENCH_NUMBER = re.compile(
    rf"(?<![\w,.])(\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)(?:,(\d+))?(?![\w]|,\d)"
)
_PERCENT = re.compile(f"(\\d)[{_SPACES}]+%")


def english_number(french: str) -> str:
    """Render a French-formatted number the English way.

    >>> english_number("100 000")
    '100,000'
    >>> english_number("2,5")
    '2.5'
    >>> english_number("1 234 567,89")
    '1,234,567.89'
    >>> english_number("2025")
    '2025'
    """
    match = _FRENCH_NUMBER.fullmatch(french)
    if not match:
        return french
    whole = re.sub(f"[{_SPACES}]", ",", match.group(1))
    return whole + (f".{match.group(2)}" if match.group(2) else "")


def french_numbers(text: str) -> list[str]:
    """The numbers in a French text, as written.

    >>> french_numbers("plus de 100 000 modèles, 63 % et 2,5 points en 2025")
    ['100 000', '63', '2,5', '2025']
    """
    return [match.group(0) for match in _FRENCH_NUMBER.finditer(text)]


def to_english_typography(target: str, source: str | None = None) -> str:
    """Fix French typography left in an English translation.

    With ``source``, only numbers written in the French source are converted, so an English
    "1,000" already in the target is never misread as a decimal.

    >>> to_english_typography("He said : « the model must lead » ; right ?")
    'He said: “the model must lead”; right?'
    >>> to_english_typography("more than 100 000 models, 2,5 % of them", "plus de 100 000 modèles, 2,5 %")
    'more than 100,000 models, 2.5% of them'
    >>> to_english_typography("1,000 and 2,5", "1 000 et 2,5")
    '1,000 and 2.5'
    >>> to_english_typography("100 000 models", "100\u202f000 modèles")
    '100,000 models'
    """
    text = _SPACE_BEFORE_PUNCT.sub("", target)
    text = _OPEN_GUILLEMET.sub("\u201c", text)
    text = _CLOSE_GUILLEMET.sub("\u201d", text)
    candidates = french_numbers(source) if source is not None else french_numbers(text)
    for number in sorted(set(candidates), key=len, reverse=True):
        english = english_number(number)
        if english != number:
            # the engine may have turned a narrow NBSP into a plain space: match any of them
            literal = f"[{_SPACES}]".join(map(re.escape, re.split(f"[{_SPACES}]", number)))
            text = re.sub(rf"(?<![\w,.]){literal}(?![\w]|,\d)", english, text)
    return _PERCENT.sub(r"\1%", text)
