"""English sentence segmentation on public suites: bilingual's rules and pySBD, side by side.

    .venv/bin/python bench/bench_segment_english.py [--suite FILE.json | --conllu FILE.conllu]...
                                                    [--errors N]

Suites default to tests/cases/segment/*_en_*.json (pySBD's English golden rules, UD English
EWT test); ``--conllu`` adds a UD CoNLL-U file converted on the fly by
scripts/ud_segment_suite.py (e.g. UD English GUM's test set, whose licence keeps it out of the
repository). Scoring is ../shared/eval/seg/score.py: exact cases and boundary P/R/F1. Rows:

- rules:  segment_text(text, language="en")
- srx:    LanguageTool's English SRX rules through choppa-srx, segment_text(text, "srx", "en")
- pysbd:  pysbd.Segmenter(language="en", clean=False), on each line (a line break is a
          boundary in every suite), when the bench extra is installed
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from bilingual.segment import segment_text

PROJECT = Path(__file__).resolve().parents[1]
SCORER = PROJECT.parent / "shared" / "eval" / "seg" / "score.py"
CASES = PROJECT / "tests" / "cases" / "segment"


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def suites(args: argparse.Namespace) -> list[tuple[str, list[dict[str, Any]]]]:
    found = [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in args.suite]
    converter = load_module(PROJECT / "scripts" / "ud_segment_suite.py", "ud_segment_suite")
    for path in args.conllu:
        lines = path.read_text(encoding="utf-8").splitlines()
        cases = [
            {"id": name, "text": converter.rebuild(sentences), "expected": sentences}
            for name, sentences in converter.documents(lines)
        ]
        found.append((path.name, cases))
    return found


def segmenters(scorer: ModuleType) -> list[tuple[str, Callable[[str], list[str]]]]:
    rows: list[tuple[str, Callable[[str], list[str]]]] = [
        ("rules", lambda text: [s.text for s in segment_text(text, language="en")]),
        ("srx", lambda text: [s.text for s in segment_text(text, "srx", "en")]),
    ]
    try:
        import pysbd
    except ImportError:
        print("pysbd is not installed (pip install -e '.[bench]'): its row is skipped")
    else:
        pysbd_segmenter = pysbd.Segmenter(language="en", clean=False)
        rows.append(("pysbd", scorer.presplit(pysbd_segmenter.segment)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, action="append", default=[])
    parser.add_argument("--conllu", type=Path, action="append", default=[])
    parser.add_argument("--errors", type=int, default=0, help="show N wrong cases per suite")
    args = parser.parse_args()
    if not SCORER.exists():
        print(f"{SCORER} is missing: the scorer lives in the shared evaluation folder")
        return 1
    if not args.suite:
        args.suite = sorted(CASES.glob("*_en_*.json"))
    scorer = load_module(SCORER, "seg_score")
    print(
        f"{'suite':<26} {'segmenter':<8} {'cases':>6} {'exact':>7} {'P':>6} {'R':>6} "
        f"{'F1':>6} {'seconds':>8}"
    )
    for name, cases in suites(args):
        for label, segment in segmenters(scorer):
            started = time.perf_counter()
            result, errors = scorer.score_suite(segment, cases, args.errors, name)
            seconds = time.perf_counter() - started
            print(
                f"{name:<26} {label:<8} {result['cases']:>6} {result['exact_pct']:>6.1f}% "
                f"{result['precision']:>6.3f} {result['recall']:>6.3f} {result['f1']:>6.3f} "
                f"{seconds:>8.2f}"
            )
            if errors:
                print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
