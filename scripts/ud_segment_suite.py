#!/usr/bin/env python3
"""Turn a Universal Dependencies CoNLL-U file into a sentence-segmentation suite (JSON).

    python3 scripts/ud_segment_suite.py en_ewt-ud-test.conllu > tests/cases/segment/ud_en_ewt_test.json

One case per document (``# newdoc``); its text is rebuilt from the ``# text =`` lines the way
the French suites in ../shared/eval/seg were: sentences joined with a space after a
sentence-final mark (closing quotes and brackets allowed), with a line break otherwise
(headings, list items and unpunctuated lines stood on their own line). Output is compact JSON
in the shape ``[{"id": ..., "text": ..., "expected": [...]}, ...]``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


def documents(lines: list[str]) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("# newdoc"):
            found.append((line.partition("=")[2].strip(), []))
        elif line.startswith("# text ="):
            if not found:
                found.append(("doc", []))
            found[-1][1].append(line.partition("=")[2].strip())
    return [(name, sentences) for name, sentences in found if sentences]


def rebuild(sentences: list[str]) -> str:
    text = sentences[0]
    for previous, sentence in zip(sentences, sentences[1:]):
        text += (" " if FINAL.search(previous) else "\n") + sentence
    return text


def main() -> None:
    lines = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
    cases = [
        {"id": name, "text": rebuild(sentences), "expected": sentences}
        for name, sentences in documents(lines)
    ]
    json.dump(cases, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
