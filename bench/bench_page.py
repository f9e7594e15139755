"""How fast a book-sized reading page opens: DOMContentLoaded in headless Chromium.

The book is about 2 MB of French in chapters, sections, lists and quotes, made from the
sentences of the French segmentation suites in ../shared/eval/seg (4,600 distinct sentences from
news, Wikipedia, Europarl and reviews; each paragraph a different draw of them). It is built with
Apertium and the project glossary, and its page is opened three times in a fresh browser context.

With ``--against SRC`` (another checkout's ``src``, e.g. an older version), the same book as
plain text is also built by that version, through the same translation memory (so it translates
nothing again), and the two pages are opened alternately: before and after, side by side.

Run: .venv/bin/python bench/bench_page.py [--size BYTES] [--against ../main/src]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

SUITES = ROOT.parent / "shared" / "eval" / "seg"
CHROMIUM = Path("/usr/bin/chromium")


def sentences() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted(SUITES.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            for sentence in case["expected"]:
                if len(sentence.split()) > 3:
                    found.setdefault(" ".join(sentence.split()), None)
    return list(found)


def book(size: int, markdown: bool) -> str:
    """About ``size`` bytes of French: chapters of sections of paragraphs, lists and quotes."""
    pool = sentences()
    rng = random.Random(9)
    order: list[str] = []
    parts: list[str] = []
    length = 0
    chapter = 0
    while length < size:
        chapter += 1
        for section in range(1, 13):
            if len(order) < 200:
                order.extend(rng.sample(pool, len(pool)))
            heading = order.pop()[:60].rstrip(" ,;:")
            title = f"Chapitre {chapter}. {heading}" if section == 1 else heading
            parts.append(("# " if section == 1 else "## ") * markdown + title)
            for paragraph in range(8):
                count = rng.randint(3, 7)
                chosen = [order.pop() for _ in range(count)]
                if markdown and paragraph == 3:
                    parts.append("\n".join(f"- {sentence}" for sentence in chosen))
                elif markdown and paragraph == 6:
                    parts.append("> " + " ".join(chosen))
                else:
                    if markdown:
                        words = chosen[0].split()
                        chosen[0] = " ".join([f"**{words[0]}**", *words[1:]])
                    parts.append(" ".join(chosen))
            length = sum(len(part.encode("utf-8")) + 2 for part in parts)
    return "\n\n".join(parts) + "\n"


BUILD = """
import sys
from pathlib import Path
from bilingual.pipeline import BuildConfig, build
build([Path(sys.argv[1])], BuildConfig(output_dir=Path(sys.argv[2]), engine="apertium",
      glossary_path=Path(sys.argv[3]), memory_path=Path(sys.argv[4]), formats=("html",)))
"""


def build_page(source: Path, out: Path, memory: Path, src: Path | None = None) -> float:
    import os
    import subprocess

    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", BUILD, str(source), str(out), str(ROOT / "glossary"), str(memory)],
        check=True,
        env=env,
    )
    return time.perf_counter() - started


def open_times(page: Path, runs: int = 3) -> list[tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.goto(page.as_uri(), wait_until="load", timeout=120_000)
            timing = tab.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"
            )
            times.append((timing[0] / 1000, timing[1] / 1000))
            context.close()
        browser.close()
    return times


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--size", type=int, default=2_000_000)
    options.add_argument("--against", type=Path, help="another version's src folder")
    args = options.parse_args()
    if not SUITES.is_dir() or not CHROMIUM.exists():
        sys.exit(f"needs {SUITES} and {CHROMIUM}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        memory = work / "memory.sqlite"
        pages: dict[str, Path] = {}
        if args.against is not None:
            plain = work / "livre.txt"
            plain.write_text(book(args.size, markdown=False), encoding="utf-8")
            build_page(plain, work / "this-plain", memory)  # translates, for both versions
            seconds = build_page(plain, work / "against", memory, args.against)
            pages["before (--against, .txt)"] = work / "against" / "livre.html"
            print(f"{args.against} built the plain book in {seconds:.0f} s")
        source = work / "livre.md"
        source.write_text(book(args.size, markdown=True), encoding="utf-8")
        seconds = build_page(source, work / "out", memory)
        pages["this version (.md)"] = work / "out" / "livre.html"
        print(f"book: {source.stat().st_size / 1e6:.2f} MB of French in Markdown, built in "
              f"{seconds:.0f} s")
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(3):  # alternately, so that both see the same machine load
            for name, page in pages.items():
                times[name].append(open_times(page, 1)[0][0])
        for name, page in pages.items():
            print(f"{name}: page {page.stat().st_size / 1e6:.1f} MB, DOMContentLoaded median "
                  f"{statistics.median(times[name]):.2f} s (runs: "
                  f"{', '.join(f'{t:.2f}' for t in times[name])}; target < 2 s)")


if __name__ == "__main__":
    main()
