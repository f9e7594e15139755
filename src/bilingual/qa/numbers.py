"""Numbers, dates and units carried over from the French."""

from __future__ import annotations

import re
from decimal import Decimal

from ..document import Finding, Severity

NUMBER_MISSING = "number-missing"
DATE_MISSING = "date-missing"
UNIT_MISSING = "unit-missing"

# French groups thousands with (narrow) no-break spaces or plain spaces and writes decimals with a
# comma; English groups with commas and writes decimals with a dot. The look-behinds stop a match
# from starting inside a number ("Qwen2.5" yields 2, not 2 and 5).
_FRENCH_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:,\d+)?")
_ENGLISH_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
WORD = re.compile(r"[^\W\d_]+")

MONTHS = {
    "janvier": "January", "février": "February", "fevrier": "February", "mars": "March",
    "avril": "April", "mai": "May", "juin": "June", "juillet": "July", "août": "August",
    "aout": "August", "septembre": "September", "octobre": "October", "novembre": "November",
    "décembre": "December", "decembre": "December",
}  # fmt: skip
_DATE = re.compile(
    r"(?i)\b(\d{1,2}|1er)\s+(" + "|".join(MONTHS) + r")\b(?:\s+(\d{4}))?"
)
#: Units after a number, and what may stand for them in English.
UNITS: dict[str, tuple[str, ...]] = {
    "%": ("%", "percent", "per cent"),
    "€": ("€", "euro", "EUR"),
    "$": ("$", "dollar", "USD"),
    "£": ("£", "pound", "GBP"),
    "km/h": ("km/h", "kph", "kilometres per hour", "kilometers per hour"),
    "km": ("km", "kilomet"),
    "m²": ("m²", "m2", "square met"),
    "kg": ("kg", "kilo"),
    "°C": ("°C", "°", "degrees"),
    "ha": ("ha", "hectare"),
    "MW": ("MW", "megawatt"),
    "kWh": ("kWh", "kilowatt"),
    "Mo": ("MB", "megabyte", "Mo"),
    "Go": ("GB", "gigabyte", "Go"),
}
_UNIT = re.compile(
    r"\d[\d\u00a0\u202f ,.]*?\s?("
    + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
    + r")(?![^\W\d_])"
)


def missing_numbers(source: str, target: str) -> list[Finding]:
    """One finding per number of the French ``source`` that ``target`` does not contain.

    Both the English and the French way of writing a number count as present, because engines
    often copy numbers through unchanged.

    >>> [f.message for f in missing_numbers("63 % de 2,5 millions", "63% of 2.5 million")]
    []
    >>> [f.source_span for f in missing_numbers("Le 10 janvier 2025.", "On 10 January.")]
    [(14, 18)]
    >>> missing_numbers("1 000 entreprises", "1 000 companies")
    []
    """
    if _FRENCH_NUMBER.search(source) is None:
        return []
    present = {_english_value(match.group()) for match in _ENGLISH_NUMBER.finditer(target)}
    present |= {_french_value(match.group()) for match in _FRENCH_NUMBER.finditer(target)}
    findings: list[Finding] = []
    for match in _FRENCH_NUMBER.finditer(source):
        if _french_value(match.group()) not in present:
            findings.append(
                Finding(
                    NUMBER_MISSING,
                    Severity.WARNING,
                    f"The number {match.group()} is missing from the translation.",
                    source_span=match.span(),
                )
            )
    return findings


def dates(source: str, target: str) -> list[Finding]:
    """French dates ("15 mars", "1er mai 2030") need their English month in the translation.

    >>> dates("Le 15 mars 2030.", "On March 15, 2030.")
    []
    >>> [(f.kind, f.source_span) for f in dates("Le 15 mars.", "On 15 walks.")]
    [('date-missing', (3, 10))]
    """
    findings = []
    for match in _DATE.finditer(source):
        month = MONTHS[match.group(2).lower()]
        if not re.search(rf"\b{month}\b|\b{month[:3]}\.", target):
            findings.append(
                Finding(
                    DATE_MISSING,
                    Severity.WARNING,
                    f"The date “{match.group()}” needs “{month}” in the translation.",
                    expected=month,
                    source_span=match.span(),
                )
            )
    return findings


def units(source: str, target: str) -> list[Finding]:
    """A unit written after a number in the source must be in the translation too.

    >>> units("Une hausse de 12 % et 3 km.", "A rise of 12% and 3 km.")
    []
    >>> [f.message for f in units("Un coût de 40 €.", "A cost of 40.")]
    ['The unit € is missing from the translation.']
    """
    findings = []
    lowered = target.lower()
    for match in _UNIT.finditer(source):
        unit = match.group(1)
        if not any(
            (form in target) if not form.isalpha() or form.isupper() else (form in lowered)
            for form in UNITS[unit]
        ):
            findings.append(
                Finding(
                    UNIT_MISSING,
                    Severity.WARNING,
                    f"The unit {unit} is missing from the translation.",
                    source_span=match.span(1),
                )
            )
    return findings


def _french_value(text: str) -> Decimal:
    return Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def _english_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
