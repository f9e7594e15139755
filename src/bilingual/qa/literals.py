"""What must come through translation character for character: URLs, e-mail addresses,
placeholders and inline markup."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..document import Finding, Severity

URL_MISMATCH = "url-mismatch"
EMAIL_MISMATCH = "email-mismatch"
PLACEHOLDER_MISMATCH = "placeholder-mismatch"
MARKUP_MISMATCH = "markup-mismatch"

#: URLs (pofilter's schemes), without the sentence punctuation that may follow them.
URL = re.compile(r"(?:https?://|ftp://|www\.)[\w/.:;+\-~%#$?=&,()@!*']*[\w/#=~+\-)]")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PLACEHOLDER = re.compile(
    r"(?<![\w%])(?<!\d\s)%(?:\([\w.]+\))?[-+#0]*\d*(?:\.\d+)?[sdifxXeEgGcru@]"  # printf, Python
    r"|\{\{[^{}\s]+\}\}|\{[\w.:!]*\}"  # {{mustache}}, {0}, {name}
    r"|\$\{\w+\}|\$[A-Z_][A-Z0-9_]+\b"  # ${shell}, $VARIABLE
)
TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")


def _literal_check(
    pattern: re.Pattern[str], code: str, what: str
) -> Callable[[str, str], list[Finding]]:
    def check(source: str, target: str) -> list[Finding]:
        if pattern.search(source) is None and pattern.search(target) is None:
            return []
        in_target = Counter(match.group() for match in pattern.finditer(target))
        in_source = Counter(match.group() for match in pattern.finditer(source))
        findings = []
        for match in pattern.finditer(source):
            if in_target[match.group()] > 0:
                in_target[match.group()] -= 1
                continue
            findings.append(
                Finding(
                    code,
                    Severity.ERROR,
                    f"The {what} {match.group()} is missing or changed in the translation.",
                    source_span=match.span(),
                    target_span=_closest(pattern, target, match.group()),
                )
            )
        flagged = {finding.target_span for finding in findings}
        for match in pattern.finditer(target):
            if in_source[match.group()] > 0:
                in_source[match.group()] -= 1
            elif match.span() not in flagged:
                findings.append(
                    Finding(
                        code,
                        Severity.ERROR,
                        f"The {what} {match.group()} is not in the source.",
                        target_span=match.span(),
                    )
                )
        return findings

    check.__name__ = check.__qualname__ = code.split("-")[0] + "s"
    return check


def _closest(pattern: re.Pattern[str], target: str, text: str) -> tuple[int, int] | None:
    """The span of the target's literal that looks like a changed ``text``, if any."""
    for match in pattern.finditer(target):
        found = match.group()
        if found != text and found.casefold()[:6] == text.casefold()[:6]:
            return match.span()
    return None


urls = _literal_check(URL, URL_MISMATCH, "URL")
urls.__doc__ = """URLs identical in the translation, letter case included.

>>> urls("Voir https://a.fr/Plan-2030.pdf.", "See https://a.fr/Plan-2030.pdf.")
[]
>>> [(f.kind, f.target_span) for f in urls("Voir https://a.fr/Plan.pdf", "See https://a.fr/plan.pdf")]
[('url-mismatch', (4, 25))]
"""
emails = _literal_check(EMAIL, EMAIL_MISMATCH, "e-mail address")
emails.__doc__ = """E-mail addresses identical in the translation.

>>> [f.kind for f in emails("Écrire à info@tram.fr.", "Write to info@tram.com.")]
['email-mismatch']
"""
placeholders = _literal_check(PLACEHOLDER, PLACEHOLDER_MISMATCH, "placeholder")
placeholders.__doc__ = """Placeholders (printf, ``{name}``, ``{{x}}``, ``$VAR``) kept.

>>> [f.kind for f in placeholders("%d fichiers dans {dossier}", "%d files in {folder}")]
['placeholder-mismatch', 'placeholder-mismatch']
"""
markup = _literal_check(TAG, MARKUP_MISMATCH, "tag")
markup.__doc__ = """Inline tags kept (``<b>``, ``</b>``, ``<x id="1"/>``).

>>> markup("Un <b>gros</b> chat", "A <b>big</b> cat")
[]
>>> [f.message for f in markup("Un <b>gros</b> chat", "A <b>big cat")]
['The tag </b> is missing or changed in the translation.']
"""
