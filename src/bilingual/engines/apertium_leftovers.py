"""Words the French→Spanish→English pivot left untranslated, found by Apertium's own marks and
translated again by another route.

Run without ``-u``, each Apertium leg marks what it did not know: ``*word`` (unknown to the
analyser) and ``@lemma`` (missing from the bilingual dictionary); ``#lemma`` only flags a form
the generator lacked (the lemma is English already). Through the pivot a French word unknown to
the first leg comes out as ``**pannes``, a Spanish word unknown to the second as ``*veintena``.

* A capitalised word of the French source is a name passing through: kept as written.
* Names reach English in their Spanish form without a mark when the second leg knows them
  ("Nilo", "Kenia"): a capitalised word that is neither English nor in the source counts as a
  Spanish leftover too.
* A Spanish leftover is led back to its French word through Apertium's Spanish analyser, the
  Spanish→French dictionary and the French generator ("ralentiza" → "ralentit"; "Burdeos" →
  "Bordeaux"). A name comes back as the French wrote it; a word joins the French leftovers.
* French leftovers are translated alone through ``fra-cat | cat-eng`` (another route Apertium
  offers, with other dictionaries: "pannes" → "failures", "bondées" → "cluttered").
* A word no route knows stays as the French wrote it (never the Spanish), for the QA check
  ``foreign-word`` to flag.

A generator gap that left only a mark and tags ("#<prn>") is removed. The word after an
unknown word comes out capitalised ("esgrimía The étendard"); it is put back
in lower case when it is an ordinary English word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..quality.lexicons import is_english
from ..quality.morphology import escape_reading, transducer, translations
from ..quality.words import has_word

#: A marked word: the mark, then the word (letters first; hyphens and apostrophes inside).
MARKED = re.compile(r"(?<![\w*#@])(\*\*|\*|#|@)([^\W_](?:[\w'’]|[-‑](?=\w))*)")
_PLACEHOLDER = re.compile(r"[Zz][XxYy]\d+[Qq]")
#: Placeholders are unknown words to Apertium too: their marks go, the word after them counts.
_MARKED_PLACEHOLDER = re.compile(r"(?<![\w*#@])[*#@]{1,2}([Zz][XxYy]\d+[Qq])\b")
_PLACEHOLDER_WORD = re.compile(r"\b[Zz][XxYy]\d+[Qq]\b")
_UNMARKED_WORD = re.compile(r"(?<![\w*#@])([^\W\d_](?:[\w'’]|[-‑](?=\w))*)")
#: What a generator gap sometimes leaves: a mark and bare tags, no word ("no #<prn> there").
_GENERATION_DEBRIS = re.compile(r"\s*[#@](?:<\*?\w+>)+")
#: Subject pronouns a route adds to a finite verb translated alone ("ralentit" → "it slows").
_SUBJECT = re.compile(r"^(?:it|he|she|they|we|you|i|one)\s+(?=\w)", re.IGNORECASE)
_FINITE = re.compile(r"<(?:vblex|vbser|vbhaver|vbmod|vaux)>.*<p[123]>")

#: Translates French words alone, one result per word ("" when the route fails).
WordRoute = Callable[[Sequence[str]], list[str]]


@dataclass(frozen=True, slots=True)
class Leftover:
    """A marked word in the engine output: ``marked[start:end]`` is mark + word (the mark is
    empty for a Spanish name the pivot let through unmarked)."""

    start: int
    end: int
    mark: str
    word: str


def find_marked(output: str) -> list[Leftover]:
    """The marked words of one engine output (placeholders excepted).

    >>> [(m.mark, m.word) for m in find_marked("a *veintena of **pannes, **Zy1q #Mrs")]
    [('*', 'veintena'), ('**', 'pannes'), ('#', 'Mrs')]
    """
    return [
        Leftover(found.start(), found.end(), found.group(1), found.group(2))
        for found in MARKED.finditer(output)
        if not _PLACEHOLDER.fullmatch(found.group(2))
    ]


def _spanish_names(source: str, output: str) -> list[Leftover]:
    """Capitalised words the pivot let through unmarked that are neither English nor in the
    source: Spanish forms of names ("le Nil" → "Nilo", "le mont Kenya" → "Kenia"), with no mark.

    >>> [m.word for m in _spanish_names("Le Nil et le Kenya.", "The Nilo and Kenia. The Nil.")]
    ['Nilo', 'Kenia']
    """
    return [
        Leftover(found.start(), found.end(), "", found.group(1))
        for found in _UNMARKED_WORD.finditer(output)
        if found.group(1)[:1].isupper()
        and not _PLACEHOLDER.fullmatch(found.group(1))
        and not has_word(source, found.group(1))
        and is_english(found.group(1)) is False
    ]


def unmark(output: str) -> str:
    """The output without Apertium's marks.

    >>> unmark("The tram of *Burdeos and **pannes, #Mrs **Zy1q")
    'The tram of Burdeos and pannes, Mrs Zy1q'
    """
    return MARKED.sub(lambda found: found.group(2), output)


def spanish_origins(words: Sequence[str]) -> dict[str, list[str]]:
    """The French words each Spanish word may translate, through Apertium's es→fr lexicon.

    >>> origins = spanish_origins(["ralentiza", "Burdeos", "zzq"])
    >>> "ralentit" in origins["ralentiza"], origins["Burdeos"], origins["zzq"]
    (True, ['Bordeaux'], [])
    """
    spanish, bidix, generator = transducer("es"), transducer("es-fr"), transducer("fr-generator")
    if spanish is None or bidix is None or generator is None:
        return {word: [] for word in words}
    analyses = spanish.analyse(words)
    readings = {reading for a in analyses.values() for reading in a.readings}
    translated = bidix.lookup(f"^{escape_reading(r)}$" for r in readings)
    french_readings: dict[str, list[str]] = {}
    for reading in readings:
        unit = translated[f"^{escape_reading(reading)}$"]
        french_readings[reading] = [r for r in translations(unit) if r[0] not in "@*#"]
    wanted = {f"^{r}$" for rs in french_readings.values() for r in rs}
    generated = generator.lookup(wanted)
    origins: dict[str, list[str]] = {}
    for word, analysis in analyses.items():
        forms = []
        for reading in analysis.readings:
            for french in french_readings.get(reading, []):
                form = generated.get(f"^{french}$", "").replace("\\", "")
                if form and form[0] not in "#@*" and form not in forms:
                    forms.append(form)
        origins[word] = forms
    return origins


def repair(
    sources: Sequence[str], outputs: Sequence[str], route: WordRoute | None
) -> list[str]:
    """Unmarked outputs with the pivot's leftovers put right (see the module docstring).

    ``sources`` are the texts the engine was given, ``outputs`` its marked translations, and
    ``route`` translates French words alone (``None``: no second route installed).
    """
    outputs = [
        _GENERATION_DEBRIS.sub("", _MARKED_PLACEHOLDER.sub(r"\1", output)) for output in outputs
    ]
    marked = [
        sorted(find_marked(output) + _spanish_names(source, output), key=lambda m: m.start)
        for source, output in zip(sources, outputs, strict=True)
    ]
    spanish = sorted(
        {m.word for source, found in zip(sources, marked, strict=True) for m in found
         if m.mark in ("*", "@", "") and not has_word(source, m.word)}
    )
    origins = spanish_origins(spanish) if spanish else {}
    # what each leftover becomes before the route: a name as written, or a French word
    plans: list[dict[tuple[int, int], tuple[str, bool]]] = []  # span → (text, needs route)
    french_words: set[str] = set()
    for source, found in zip(sources, marked, strict=True):
        plan: dict[tuple[int, int], tuple[str, bool]] = {}
        for leftover in found:
            word = leftover.word
            if leftover.mark == "#":
                continue
            if has_word(source, word):
                if not word[:1].isupper():
                    plan[leftover.start, leftover.end] = (word, True)
                    french_words.add(word)
                continue
            candidates = origins.get(word, [])
            in_source = [c for c in candidates if has_word(source, c)]
            if in_source:
                french = in_source[0]
            elif candidates and word[:1].islower():
                french = candidates[0]
            else:
                continue  # nothing leads back: the word stays, the QA check flags it
            needs_route = not french[:1].isupper()
            plan[leftover.start, leftover.end] = (french, needs_route)
            if needs_route:
                french_words.add(french)
        plans.append(plan)
    english = _route_words(sorted(french_words), route)
    return [
        _rebuild(output, found, plan, english)
        for output, found, plan in zip(outputs, marked, plans, strict=True)
    ]


def _route_words(words: list[str], route: WordRoute | None) -> dict[str, str]:
    """English for each French word that the route knows (words it does not know are absent)."""
    if not words or route is None:
        return {}
    french = transducer("fr")
    analyses = french.analyse(words) if french is not None else {}
    english: dict[str, str] = {}
    for word, translation in zip(words, route(words), strict=True):
        if not translation or MARKED.search(translation) or "\n" in translation:
            continue
        analysis = analyses.get(word)
        if _SUBJECT.match(translation):
            # a finite verb comes with a subject the sentence already has; anything else read
            # as a verb by the route ("étendard" → "it teaches") is a misreading: rejected
            if analysis is None or not any(_FINITE.search(r) for r in analysis.readings):
                continue
            translation = _SUBJECT.sub("", translation)
        translation = translation.strip(" .")
        if not translation:
            continue
        if all(is_english(part) is not False for part in re.findall(r"[^\W\d_]+", translation)):
            english[word] = translation
    return english


def _rebuild(
    output: str,
    found: list[Leftover],
    plan: dict[tuple[int, int], tuple[str, bool]],
    english: dict[str, str],
) -> str:
    parts: list[str] = []
    position = 0
    after_unknown: list[int] = []  # where each word following a marked one now starts
    for leftover in found:
        text, needs_route = plan.get((leftover.start, leftover.end), (leftover.word, False))
        if needs_route and text in english:
            text = english[text]
        if leftover.word[:1].isupper() and text[:1].islower():
            text = text[0].upper() + text[1:]
        parts += [output[position : leftover.start], text]
        position = leftover.end
        if leftover.mark not in ("#", ""):
            after_unknown.append(sum(map(len, parts)))
    parts.append(output[position:])
    text = "".join(parts)
    after_unknown += [found.end() for found in _PLACEHOLDER_WORD.finditer(text)]
    return _lower_after_unknown(text, sorted(after_unknown))


def _lower_after_unknown(text: str, positions: list[int]) -> str:
    """Undo the capital Apertium puts on the word after an unknown one, mid-sentence.

    >>> _lower_after_unknown("Zuckerberg brandished The étendard.", [10])
    'Zuckerberg brandished The étendard.'
    >>> _lower_after_unknown("the riverside Complain of the failures", [13])
    'the riverside complain of the failures'
    """
    chars = list(text)
    for position in positions:
        following = re.match(r"(\s+)([A-Z][a-z]+)\b", text[position:])
        if not following:
            continue
        word = following.group(2)
        if is_english(word.lower()) and not is_english_name(word):
            index = position + following.start(2)
            chars[index] = chars[index].lower()
    return "".join(chars)


def is_english_name(word: str) -> bool:
    """Whether the English list has ``word`` only capitalised ("London", not "Complain")."""
    from ..quality.lexicons import lexicon

    english = lexicon("en")
    return word in english.words and word.lower() not in english.words
