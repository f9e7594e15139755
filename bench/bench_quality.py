"""English quality of the build against the raw Apertium pivot, side by side in one run.

For each text of bench/data/quality (news with place and person names, a contract, a novel
excerpt; one sentence per line, with a careful human reference ``*.en.txt``):

* chrF (sacrebleu) of the raw ``apertium -u fr-es | apertium -u spa-eng`` and of
  ``bilingual build`` (engine apertium), against the reference;
* leaked words: the share of English word tokens that are not English (Debian's word lists),
  names kept as written (capitalised words of the French line) excepted, and French forms of
  address before a name excepted too: English legal and press usage keeps them ("Maître Sophie
  Bernard" for "Me Sophie Bernard", as the human reference of the contract writes), so a title
  rendered that way is a translation, not a leak (the QA check agrees: ``KEPT_TITLES``);
* for the build, how many of those leaked tokens a QA finding flags (foreign-word,
  untranslated-word), which must be all of them.

Targets: build chrF >= raw chrF on every text; build leaked < 1.5 %, every one flagged.
Run: .venv/bin/python bench/bench_quality.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import sacrebleu
from common import ROOT

sys.path.insert(0, str(ROOT / "src"))

from bilingual.document import Unit
from bilingual.pipeline import BuildConfig, build
from bilingual.qa.language import KEPT_TITLES
from bilingual.quality.lexicons import is_english

DATA = ROOT / "bench" / "data" / "quality"
TOKEN = re.compile(r"(?<!\w)[^\W\d_]+(?:['’-][^\W\d_]+)*")
URLISH = re.compile(r"\S+@\S+|https?://\S+")
FLAGS = {"foreign-word", "untranslated-word"}


def raw_pivot(lines: list[str]) -> list[str]:
    done = subprocess.run(
        "apertium -u fr-es | apertium -u spa-eng",
        shell=True,
        input="\n\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    parts = [" ".join(part.split()) for part in re.split(r"\n\s*\n", done.stdout.strip())]
    assert len(parts) == len(lines), "the pivot lost a line"
    return parts


def built(path: Path) -> tuple[list[str], list[list[Unit]]]:
    """The build's English per line of ``path``, and the units of each line."""
    with tempfile.TemporaryDirectory() as folder:
        result = build([path], BuildConfig(output_dir=Path(folder), engine="apertium",
                                           formats=("json",)))
    document = result.documents[0]
    starts = [match.start() for match in re.finditer(r"^", document.text, re.MULTILINE)]
    per_line: list[list[Unit]] = [[] for _ in document.text.splitlines()]
    for unit in document.units:
        line = sum(1 for start in starts if start <= unit.segment.start) - 1
        per_line[line].append(unit)
    return [" ".join(unit.target for unit in units) for units in per_line], per_line


def leaked(source: str, target: str) -> tuple[int, list[tuple[int, int]]]:
    """Word tokens of ``target`` and the spans of those that are not English (names excepted)."""
    masked = URLISH.sub(lambda found: " " * len(found.group()), target)
    tokens = list(TOKEN.finditer(masked))
    spans = []
    for token in tokens:
        word = re.sub(r"['’]s$", "", token.group())
        if word[:1].isupper() and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", source):
            continue
        if word in KEPT_TITLES:
            continue
        if is_english(word) is False:
            spans.append(token.span())
    return len(tokens), spans


def main() -> None:
    print(f"{'text':8} {'chrF raw':>9} {'chrF build':>11} {'leaked raw':>11} "
          f"{'leaked build':>13} {'flagged':>8}")
    for french in sorted(DATA.glob("*.fr.txt")):
        name = french.name.split(".")[0]
        lines = french.read_text(encoding="utf-8").splitlines()
        reference = (DATA / f"{name}.en.txt").read_text(encoding="utf-8").splitlines()
        raw = raw_pivot(lines)
        ours, units = built(french)
        raw_chrf = sacrebleu.corpus_chrf(raw, [reference]).score
        our_chrf = sacrebleu.corpus_chrf(ours, [reference]).score
        raw_tokens = raw_leaks = build_tokens = build_leaks = flagged = 0
        unflagged: list[str] = []
        for line, raw_line, line_units in zip(lines, raw, units, strict=True):
            count, spans = leaked(line, raw_line)
            raw_tokens, raw_leaks = raw_tokens + count, raw_leaks + len(spans)
            for unit in line_units:
                count, spans = leaked(unit.source, unit.target)
                build_tokens, build_leaks = build_tokens + count, build_leaks + len(spans)
                covered = [f.target_span for f in unit.findings if f.kind in FLAGS and f.target_span]
                for start, end in spans:
                    if any(a <= start and end <= b for a, b in covered):
                        flagged += 1
                    else:
                        unflagged.append(unit.target[start:end])
        print(f"{name:8} {raw_chrf:9.1f} {our_chrf:11.1f} {raw_leaks / raw_tokens:10.1%} "
              f"{build_leaks / build_tokens:12.1%} {flagged:4d}/{build_leaks:<3d}"
              + (f"  unflagged: {', '.join(unflagged)}" if unflagged else ""))


if __name__ == "__main__":
    main()
