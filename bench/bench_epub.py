"""A multi-chapter EPUB end to end, beside the same text as plain text, in one run.

The book (EPUB 3 written by ebooklib: nav, NCX, chapters of sections with emphasis, links and
lists) holds about ``--size`` characters of French made from the sentences of the French
segmentation suites in ../shared/eval/seg (distinct sentences, each paragraph a new draw; see
bench_page.py). The same text is also written as a plain ``.txt``. Both are built with Apertium
(no memory, no glossary), alternately, ``--rounds`` times each: the EPUB with its reading page,
TMX, ``NAME.en.epub`` and ``NAME.bilingual.epub``, the text with its page, TMX and ``NAME.en.txt``.
Then the EPUB's own work, without the engine: reading the book into blocks and segments, and
writing both books (the French as translation), beside the same for the text, in processor
time (the engine's work is in subprocesses, so builds are timed by the clock). Last, epubcheck
on the two books the build wrote, when it is installed.

Run: .venv/bin/python bench/bench_epub.py [--size CHARACTERS] [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_page import SUITES, sentences

from bilingual.filters import read_document, write_translation
from bilingual.filters.epub import write_bilingual
from bilingual.pipeline import BuildConfig, build
from bilingual.segment.blocks import document_units


def chapters(size: int) -> list[tuple[str, list[str]]]:
    """(title, XHTML body parts) of chapters holding about ``size`` characters of French."""
    pool = sentences()
    rng = random.Random(7)
    order: list[str] = []
    found: list[tuple[str, list[str]]] = []
    length = 0
    while length < size:
        body: list[str] = []
        for section in range(6):
            if len(order) < 100:
                order.extend(rng.sample(pool, len(pool)))
            heading = order.pop()[:60].rstrip(" ,;:")
            body.append(f"<h{1 if section == 0 else 2}>{escape(heading)}</h{1 if section == 0 else 2}>")
            length += len(heading)
            for paragraph in range(6):
                chosen = [escape(order.pop()) for _ in range(rng.randint(3, 6))]
                length += sum(map(len, chosen))
                if paragraph == 2:
                    body.append("<ul>" + "".join(f"<li>{s}</li>" for s in chosen) + "</ul>")
                    continue
                first = chosen[0].split(" ", 1)
                chosen[0] = f"<em>{first[0]}</em> {first[1] if len(first) > 1 else ''}"
                if paragraph == 4:
                    chosen[-1] = f'<a href="https://example.org/{len(found)}">{chosen[-1]}</a>'
                body.append("<p>" + " ".join(chosen) + "</p>")
        found.append((f"Chapitre {len(found) + 1}", body))
    return found


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_epub(path: Path, book: list[tuple[str, list[str]]]) -> None:
    from ebooklib import epub

    made = epub.EpubBook()
    made.set_identifier("urn:uuid:0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f")
    made.set_title("Un livre pour mesurer")
    made.set_language("fr")
    made.add_author("Bilingual")
    items = []
    for number, (title, body) in enumerate(book, start=1):
        chapter = epub.EpubHtml(title=title, file_name=f"ch{number:03}.xhtml", lang="fr")
        chapter.content = "<html><body>" + "\n".join(body) + "</body></html>"
        made.add_item(chapter)
        items.append(chapter)
    made.toc = items
    made.add_item(epub.EpubNcx())
    made.add_item(epub.EpubNav())
    made.spine = ["nav", *items]
    epub.write_epub(str(path), made)


def write_text(path: Path, book: list[tuple[str, list[str]]]) -> None:
    import re

    paragraphs = []
    for _, body in book:
        for part in body:
            plain = re.sub(r"<[^>]+>", " ", part.replace("</li>", "\n"))
            plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            paragraphs.append("\n".join(" ".join(line.split()) for line in plain.splitlines() if line.strip()))
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu(action: Callable[[], object]) -> float:
    """Processor time of ``action`` in this process: what a loaded machine's clock hides."""
    started = time.process_time()
    action()
    return time.process_time() - started


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--size", type=int, default=300_000)
    options.add_argument("--rounds", type=int, default=2)
    args = options.parse_args()
    if not SUITES.is_dir():
        sys.exit(f"needs {SUITES}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        book = chapters(args.size)
        source, plain = work / "livre.epub", work / "livre.txt"
        write_epub(source, book)
        write_text(plain, book)
        units = len(document_units(read_document(source)))
        print(f"book: {len(book)} chapters, {len(read_document(source).text) / 1e3:.0f} K characters of "
              f"French in {units} segments; EPUB {source.stat().st_size / 1e3:.0f} KB")
        runs: dict[str, list[float]] = {"epub": [], "txt": []}
        formats = {"epub": ("html", "tmx", "doc", "bilingual-epub"), "txt": ("html", "tmx", "doc")}
        for _ in range(args.rounds):  # alternately: both see the same machine load
            for name, path in (("epub", source), ("txt", plain)):
                config = BuildConfig(output_dir=work / f"out-{name}", engine="apertium", formats=formats[name])
                runs[name].append(timed(lambda path=path, config=config: build([path], config)))
        for name, seconds in runs.items():
            print(f"build {name} with Apertium: median {statistics.median(seconds):.1f} s "
                  f"(runs: {', '.join(f'{t:.1f}' for t in seconds)})")
        print(f"ratio epub/txt: {statistics.median(runs['epub']) / statistics.median(runs['txt']):.2f}")

        def read(path: Path) -> object:
            document = read_document(path)
            document.units = document_units(document)
            return document

        documents = {"epub": read(source), "txt": read(plain)}
        for document in documents.values():
            for unit in document.units:  # type: ignore[attr-defined]
                unit.target = unit.source
        own: dict[str, list[tuple[float, float]]] = {"epub": [], "txt": []}
        for _ in range(5):
            own["epub"].append((
                cpu(lambda: read(source)),
                cpu(lambda: (write_translation(documents["epub"], work / "x.en.epub"),  # type: ignore[arg-type]
                             write_bilingual(documents["epub"], work / "x.bilingual.epub"))),  # type: ignore[arg-type]
            ))
            own["txt"].append((
                cpu(lambda: read(plain)),
                cpu(lambda: write_translation(documents["txt"], work / "x.en.txt")),  # type: ignore[arg-type]
            ))
        for name, times in own.items():
            reading = statistics.median(t[0] for t in times)
            writing = statistics.median(t[1] for t in times)
            print(f"{name} without the engine, processor time: read and segment {reading:.2f} s, "
                  f"write {'both books' if name == 'epub' else 'the text'} {writing:.2f} s")
        epubcheck = Path("/usr/bin/epubcheck")
        if epubcheck.exists():
            for name in ("livre.en.epub", "livre.bilingual.epub"):
                run = subprocess.run(
                    ["java", "-XX:TieredStopAtLevel=1", "-jar", str(epubcheck), str(work / "out-epub" / name)],
                    check=False, capture_output=True, text=True,
                )
                verdict = next((line for line in run.stdout.splitlines() if line.startswith("Messages:")), "no verdict")
                print(f"epubcheck {name}: {verdict}")


if __name__ == "__main__":
    main()
