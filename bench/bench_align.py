"""Sentence alignment against a gold standard: bilingual's aligner and galechurch, side by side.

    .venv/bin/python bench/bench_align.py [--seed 1] [--no-mt] [--write DIR] [--novel]

The gold comes from bench/data (see its README): public-domain French texts and their English
translations, aligned line by line by hand. Each line pair is a gold unit once both sides are
segmented (bilingual's French and English segmenters). The English side is then made harder
in code, with the gold updated to match: sentences merged across units (gold 2-1), sentences
split at a comma or semicolon (1-2), English sentences dropped (1-0) and French sentences
dropped (0-1), and paragraphs reflowed (a French paragraph is one source line; English
paragraphs are merged with the previous one or split inside, at random).

The texts are written out (sentences of a paragraph joined by a space, or a line break after a
sentence without final punctuation; paragraphs by a blank line) and segmented again, which
must give the gold's sentences: every aligner gets the same segments, those a user's files
would give. Rows:

- bilingual+mt:  align_segments with Apertium's translation of the French (Bleualign's idea)
- bilingual:     align_segments with lengths, anchors, cognates and paragraphs only
- galechurch:    galechurch.align (PyPI, the bench extra) on the whole texts

Scores: ``exact`` is the share of gold units that the aligner output as one link, exactly
(the issue's measure); ``P``/``R`` are link precision and recall (a link is right when it is a
gold unit); ``pair P/R`` compare the sentence pairs that links connect. Gold units with two or
more sentences on both sides come from the source's line alignment and may hide finer links:
they are left out of the scores, and so are predicted links that fall wholly inside them.
Seconds are the aligner's alone (Apertium's time is printed apart), per 1,000 sentences
(French + English).

--novel also times the aligner on novel-size input: the stored texts, perturbed with
different seeds, concatenated to about 6,000 French sentences (the French repeats; the English
perturbations differ; the timing, not the score, is the point).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bilingual.align import Alignment, align_segments
from bilingual.document import Segment, text_digest
from bilingual.segment import segment_text
from bilingual.segment.english import SENTENCE_OPENERS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
CACHE = ROOT / "bench" / ".data"
TEXTS = ("discours_de_la_methode", "the_canterville_ghost")
_MARKUP = re.compile(r"</?(?:h1|b|i)>")
_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")

Unit = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class Source:
    """One gold unit of the source: French sentences, English sentences, a heading or not."""

    french: list[str]
    english: list[str]
    heading: bool = False


@dataclass
class Case:
    name: str
    french: list[Segment]
    english: list[Segment]
    gold: list[Unit]
    #: indices into ``gold`` of the units that are scored (see the module's docstring)
    scored: list[int] = field(default_factory=list)
    texts: tuple[str, str] = ("", "")


def read_sources(name: str) -> list[Source]:
    """Line pairs of one text, segmented; markup dropped, ``<delimiter>`` is a line break."""
    french = (DATA / f"{name}_fr.txt").read_text(encoding="utf-8-sig").splitlines()
    english = (DATA / f"{name}_en.txt").read_text(encoding="utf-8-sig").splitlines()
    if len(french) != len(english):
        raise SystemExit(f"{name}: {len(french)} French lines for {len(english)} English lines")
    sources = []
    for french_line, english_line in zip(french[1:], english[1:]):  # line 1: the author
        heading = french_line.startswith("<h1>")
        french_text = _MARKUP.sub("", french_line).replace("<delimiter>", "\n")
        english_text = _MARKUP.sub("", english_line).replace("<delimiter>", "\n")
        sources.append(
            Source(
                [s.text for s in segment_text(french_text)],
                [s.text for s in segment_text(english_text, language="en")],
                heading,
            )
        )
    return sources


def merge_sentences(first: str, second: str) -> str | None:
    """Two English sentences as one: "He left. She stayed." → "He left; she stayed.", when
    the first ends with a plain period (else None: no natural way to merge them)."""
    if not first.endswith(".") or first.endswith("..") or not second[:1].isalpha():
        return None
    opener = second.split(" ", 1)[0]
    lower = opener in SENTENCE_OPENERS and opener != "I"  # "He" → "he", not "Mrs." or "I"
    return first[:-1] + "; " + (second[0].lower() + second[1:] if lower else second)


def split_sentence(sentence: str) -> list[str]:
    """One English sentence as two, at a comma or semicolon near its middle, if there is one."""
    cuts = [m.start() for m in re.finditer(r"[,;] ", sentence)]
    middle = [
        c for c in cuts if 0.3 * len(sentence) < c < 0.7 * len(sentence) and _balanced(sentence[:c])
    ]
    if not middle or len(sentence) < 60:
        return [sentence]
    cut = middle[len(middle) // 2]
    second = sentence[cut + 2 :]
    return [sentence[:cut] + ".", second[0].upper() + second[1:]]


def _balanced(text: str) -> bool:
    """Whether no bracket or quotation is left open: a cut there leaves both halves whole."""
    return all(text.count(o) == text.count(c) for o, c in ("()", "[]", "“”", "«»")) and (
        text.count('"') % 2 == 0
    )


def perturb(sources: list[Source], rng: random.Random) -> list[Source]:
    """The harder English: merges across units, splits, omissions on both sides."""
    result: list[Source] = []
    index = 0
    while index < len(sources):
        unit = Source(
            list(sources[index].french), list(sources[index].english), sources[index].heading
        )
        index += 1
        simple = len(unit.french) == 1 and len(unit.english) == 1 and not unit.heading
        roll = rng.random()
        if simple and roll < 0.04:
            unit.english = []  # the translator left a sentence out
        elif simple and roll < 0.08:
            unit.french = []  # the translator added one
        elif (
            simple
            and roll < 0.16
            and index < len(sources)
            and len(sources[index].french) == 1
            and len(sources[index].english) == 1
            and not sources[index].heading
            and (merged := merge_sentences(unit.english[0], sources[index].english[0]))
        ):
            unit.french += sources[index].french
            unit.english = [merged]
            index += 1
        elif simple and roll < 0.26:
            unit.english = split_sentence(unit.english[0])
        result.append(unit)
    return result


def build_case(name: str, sources: list[Source], rng: random.Random) -> Case:
    """Segments with offsets and paragraphs, and the gold units, from perturbed sources."""
    french = _Writer()
    english = _Writer()
    gold: list[Unit] = []
    for number, unit in enumerate(sources):
        french_indices = tuple(
            french.add(s, new_paragraph=k == 0) for k, s in enumerate(unit.french)
        )
        english_indices: list[int] = []
        for k, sentence in enumerate(unit.english):
            if k == 0:
                new_paragraph = unit.heading or rng.random() < 0.75 or number == 0
            else:
                new_paragraph = rng.random() < 0.1  # a paragraph split inside the unit
            english_indices.append(english.add(sentence, new_paragraph))
        if french_indices and english_indices:
            gold.append((french_indices, tuple(english_indices)))
        else:  # an omission: one gold unit per sentence, as aligners link them
            gold.extend(((i,), ()) for i in french_indices)
            gold.extend(((), (j,)) for j in english_indices)
    scored = [k for k, (f, e) in enumerate(gold) if len(f) < 2 or len(e) < 2]
    return Case(name, french.segments, english.segments, gold, scored, (french.text, english.text))


class _Writer:
    """Builds a text from sentences and paragraphs, with each segment's offsets. A sentence
    without final punctuation (a heading, a line of verse) ends its line, so that segmenting
    the text finds the same sentences again."""

    def __init__(self) -> None:
        self.text = ""
        self.segments: list[Segment] = []
        self.paragraph = -1

    def add(self, sentence: str, new_paragraph: bool) -> int:
        if new_paragraph or self.paragraph < 0:
            self.paragraph += 1
            self.text += "\n\n" if self.text else ""
        else:
            self.text += " " if _FINAL.search(self.segments[-1].text) else "\n"
        start = len(self.text)
        self.text += sentence
        self.segments.append(Segment(start, len(self.text), sentence, self.paragraph))
        return len(self.segments) - 1


@dataclass
class Score:
    exact: float
    precision: float
    recall: float
    pair_precision: float
    pair_recall: float


def score(case: Case, links: Sequence[Unit]) -> Score:
    scored_units = {case.gold[k] for k in case.scored}
    coarse = [case.gold[k] for k in range(len(case.gold)) if k not in set(case.scored)]
    coarse_french = {i for f, _ in coarse for i in f}
    coarse_english = {j for _, e in coarse for j in e}
    kept = [(f, e) for f, e in links if not (set(f) <= coarse_french and set(e) <= coarse_english)]
    right = len(scored_units & set(kept))
    gold_pairs = {(i, j) for f, e in scored_units for i in f for j in e}
    predicted_pairs = {(i, j) for f, e in kept for i in f for j in e}
    right_pairs = len(gold_pairs & predicted_pairs)
    return Score(
        exact=right / len(scored_units),
        precision=right / len(kept) if kept else 0.0,
        recall=right / len(scored_units),
        pair_precision=right_pairs / len(predicted_pairs) if predicted_pairs else 0.0,
        pair_recall=right_pairs / len(gold_pairs) if gold_pairs else 0.0,
    )


def translate(texts: list[str]) -> tuple[list[str], float]:
    """Apertium's translations, cached in bench/.data by the texts' digest."""
    key = text_digest("\x1e".join(texts))
    cached = CACHE / f"apertium-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8")), 0.0
    from bilingual.engines import get_engine

    started = time.perf_counter()
    translations = get_engine("apertium").translate(texts)
    seconds = time.perf_counter() - started
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(translations, ensure_ascii=False), encoding="utf-8")
    return translations, seconds


def links_of(alignment: Alignment) -> list[Unit]:
    return [(link.french, link.english) for link in alignment.links]


def galechurch_links(case: Case) -> list[Unit]:
    import galechurch

    block = galechurch.align([s.text for s in case.french], [s.text for s in case.english])
    return [
        (tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end)))
        for b in block.beads
    ]


def timed(run: Callable[[], list[Unit]]) -> tuple[list[Unit], float]:
    started = time.perf_counter()
    links = run()
    return links, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-mt", action="store_true", help="skip the Apertium row")
    parser.add_argument("--write", type=Path, help="also write each case's texts and gold here")
    parser.add_argument("--novel", action="store_true", help="also time novel-size input")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    cases = [build_case(name, perturb(read_sources(name), rng), rng) for name in TEXTS]
    header = (
        f"{'text':<24} {'aligner':<14} {'units':>5} {'exact':>6} {'P':>6} {'R':>6} "
        f"{'pair P':>7} {'pair R':>7} {'s/1k sent':>9}"
    )
    print(header)
    for case in cases:
        if args.write:
            write_case(case, args.write)
        sentences = len(case.french) + len(case.english)
        rows: list[tuple[str, Callable[[], list[Unit]]]] = []
        if not args.no_mt:
            translations, mt_seconds = translate([s.text for s in case.french])
            rows.append(
                (
                    "bilingual+mt",
                    lambda c=case, t=translations: links_of(align_segments(c.french, c.english, t)),
                )
            )
        rows.append(("bilingual", lambda c=case: links_of(align_segments(c.french, c.english))))
        rows.append(("galechurch", lambda c=case: galechurch_links(c)))
        for label, run in rows:
            links, seconds = timed(run)
            result = score(case, links)
            print(
                f"{case.name:<24} {label:<14} {len(case.scored):>5} {result.exact:>6.1%} "
                f"{result.precision:>6.3f} {result.recall:>6.3f} {result.pair_precision:>7.3f} "
                f"{result.pair_recall:>7.3f} {1000 * seconds / sentences:>9.3f}"
            )
        if not args.no_mt and mt_seconds:
            print(
                f"  (Apertium translated {len(case.french)} French segments in "
                f"{mt_seconds:.1f} s; cached in bench/.data for the next run)"
            )
    if args.novel:
        time_novel(args.seed)


def time_novel(seed: int, target: int = 6000) -> None:
    rng = random.Random(seed + 1)
    french: list[Segment] = []
    english: list[Segment] = []
    while len(french) < target:
        for name in TEXTS:
            case = build_case(name, perturb(read_sources(name), rng), rng)
            french += _shifted(case.french, french)
            english += _shifted(case.english, english)
    for label, run in (
        ("bilingual", lambda: links_of(align_segments(french, english))),
        ("galechurch", lambda: galechurch_links(Case("novel", french, english, []))),
    ):
        links, seconds = timed(run)
        print(
            f"novel size: {len(french):,} French + {len(english):,} English sentences, "
            f"{label}: {seconds:.1f} s ({len(links):,} links)"
        )


def _shifted(segments: list[Segment], before: list[Segment]) -> list[Segment]:
    offset = before[-1].end + 2 if before else 0
    paragraph = before[-1].paragraph + 1 if before else 0
    return [
        Segment(s.start + offset, s.end + offset, s.text, s.paragraph + paragraph) for s in segments
    ]


def write_case(case: Case, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for side, text in zip(("fr", "en"), case.texts):
        (folder / f"{case.name}.{side}.txt").write_text(text + "\n", encoding="utf-8")
    gold = [
        {"fr": list(f), "en": list(e), "scored": k in case.scored}
        for k, (f, e) in enumerate(case.gold)
    ]
    (folder / f"{case.name}.gold.json").write_text(json.dumps(gold), encoding="utf-8")


if __name__ == "__main__":
    main()
