"""Incremental rebuild with the translation memory: first build of 1 MB vs a rebuild after
editing one paragraph, side by side in one run, with Apertium.

Run: .venv/bin/python bench/bench_rebuild.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import ROOT
from texts import french_prose

from bilingual.pipeline import BuildConfig, build


def timed_build(text: Path, config: BuildConfig) -> tuple[float, int, int]:
    start = time.perf_counter()
    result = build([text], config)
    return time.perf_counter() - start, result.translated, result.recalled


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        text = work / "fr1m.txt"
        paragraphs = french_prose(1_000_000).split("\n\n")  # distinct: none can be recalled
        text.write_text("\n\n".join(paragraphs), encoding="utf-8")
        config = BuildConfig(output_dir=work / "out", engine="apertium",
                             glossary_path=ROOT / "glossary", memory_path=work / "tm.sqlite")
        first, translated, _ = timed_build(text, config)
        paragraphs[len(paragraphs) // 2] = "Ce paragraphe a été modifié par un relecteur. " \
            "Il contient deux phrases nouvelles."
        text.write_text("\n\n".join(paragraphs), encoding="utf-8")
        second, retranslated, recalled = timed_build(text, config)
        print(f"first build of {text.stat().st_size / 1e6:.2f} MB: {first:.1f} s "
              f"({translated} segments translated)")
        print(f"rebuild after editing one paragraph: {second:.1f} s "
              f"({retranslated} translated, {recalled} from memory)")
        print(f"ratio rebuild/first = {second / first:.1%} (target <= 10%)")


if __name__ == "__main__":
    main()
