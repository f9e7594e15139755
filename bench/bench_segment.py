"""Speed of the segmenters on about 1 MB of French, side by side, in one process.

    .venv/bin/python bench/bench_segment.py [--size 1000000] [--repeat 5] [--file TEXT]
                                            [--single-line-mb 50]

The text is the evaluation suites' French (../shared/eval/seg) when that folder exists, else
the seed texts in seeds/, repeated up to --size characters with their paragraphs kept. Each
segmenter gets one warm-up call (imports, rule loading, regex compilation), then --repeat timed
runs; the median is reported. Rows:

- rules:       bilingual's French rule engine, segment_text(text)
- srx:         LanguageTool's SRX rules through choppa-srx, mapped to offsets,
               segment_text(text, "srx")
- choppa-srx:  choppa's SrxTextIterator alone with the same rules ("fr_one": a line break
               ends a segment), as scored by ../shared/eval/seg/score.py (srx-lt-one)

--single-line-mb N also times the rule engine once on N MB of the text joined into one line.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.segment import segment_text
from bilingual.segment.srx import languagetool_rules

if TYPE_CHECKING:
    from choppa import SrxDocument

PROJECT = Path(__file__).resolve().parents[1]
SUITES = PROJECT.parent / "shared" / "eval" / "seg"


def french_sample() -> str:
    """Paragraphs of real French: the evaluation suites if present, else the seed texts."""
    suites = sorted(SUITES.glob("ud_fr_*.json")) if SUITES.is_dir() else []
    if suites:
        return "\n\n".join(case["text"] for path in suites for case in json.loads(path.read_text()))
    return "\n\n".join(
        path.read_text(encoding="utf-8") for path in sorted(PROJECT.glob("seeds/*.txt"))
    )


def repeat_to_size(sample: str, size: int) -> str:
    copies = size // (len(sample) + 2) + 1
    return ((sample + "\n\n") * copies)[:size]


def choppa_segments(text: str) -> list[str]:
    from choppa import SrxTextIterator

    return list(SrxTextIterator(_languagetool_document(), "fr_one", text))


@functools.lru_cache(maxsize=1)
def _languagetool_document() -> SrxDocument:
    from choppa import SrxDocument

    return SrxDocument(ruleset=str(languagetool_rules()))


def time_runs(segment: Callable[[str], list], text: str, repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` runs after a warm-up, and the number of segments."""
    segment(text[:2000])
    durations = []
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = len(segment(text))
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of French")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--srx-repeat", type=int, default=3, help="runs of the slower SRX rows")
    parser.add_argument("--file", type=Path, help="a UTF-8 text to use instead of the samples")
    parser.add_argument(
        "--single-line-mb", type=float, default=0, help="also time N MB on one line"
    )
    args = parser.parse_args()

    sample = args.file.read_text(encoding="utf-8") if args.file else french_sample()
    text = repeat_to_size(sample, args.size)
    print(f"{len(text):,} characters of French, {text.count(chr(10)):,} line breaks")
    rows: list[tuple[str, Callable[[str], list], int]] = [
        ("rules", segment_text, args.repeat),
        ("srx", lambda t: segment_text(t, "srx"), args.srx_repeat),
        ("choppa-srx", choppa_segments, args.srx_repeat),
    ]
    print(f"{'segmenter':<12} {'chars/s':>12} {'seconds':>8} {'segments':>9}")
    for name, segment, repeat in rows:
        seconds, count = time_runs(segment, text, repeat)
        print(f"{name:<12} {len(text) / seconds:>12,.0f} {seconds:>8.3f} {count:>9,}")

    if args.single_line_mb:
        line = repeat_to_size(sample, int(args.single_line_mb * 1_000_000)).replace("\n", " ")
        started = time.perf_counter()
        count = len(segment_text(line))
        seconds = time.perf_counter() - started
        print(
            f"rules, {len(line):,} characters on one line: {seconds:.1f} s, "
            f"{len(line) / seconds:,.0f} chars/s, {count:,} segments"
        )


if __name__ == "__main__":
    main()
