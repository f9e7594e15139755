"""``bilingual align``: a French text and its human English translation side by side, in the
outputs of ``build`` and in the translation memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .cli_common import (
    CONTEXT_SETTINGS,
    ProgressBar,
    memory_option,
    printable,
    translation_config,
)
from .engines import ENGINES


def _input_formats() -> list[str]:
    from .filters import names

    return names()


@click.command("align", context_settings=CONTEXT_SETTINGS)
@click.argument("french", type=click.Path(path_type=Path))
@click.argument("english", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path),
              default=Path("output"), show_default=True, help="Folder for the outputs.")
@click.option("--format", "formats", default="html,tmx,doc", show_default=True,
              help="Comma-separated, as for build: html, doc, bilingual-epub, tmx, xliff, "
                   "xliff12, json, or all.")
@click.option("--input-format", type=click.Choice(_input_formats()),
              help="Read every text, French and English, as this format "
                   "[default: by each file's suffix].")
@click.option("--main-content", is_flag=True,
              help="HTML: keep only the article of a saved web page (no menus, banners...).")
@click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="apertium",
              show_default=True,
              help="The engine whose translation of the French helps find the links.")
@click.option("--no-mt", is_flag=True,
              help="Align without machine translation (lengths, numbers, names, cognates).")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary file or folder: its terms anchor the alignment and are checked "
                   "[default: ./glossary when present].")
@click.option("--no-glossary", is_flag=True, help="Use no glossary.")
@memory_option
@click.option("--no-memory", is_flag=True, help="Store nothing in a translation memory.")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1, nothing written) when texts do not look like translations "
                   "of each other, instead of warning.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, notes or report.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def align_command(french: Path, english: Path, output_dir: Path, formats: str,
                  input_format: str | None, main_content: bool, engine: str, no_mt: bool,
                  glossary_path: Path | None, no_glossary: bool, memory_location: str | None,
                  no_memory: bool, strict: bool, quiet: bool, as_json: bool) -> None:
    """Align a French text with its human English translation, sentence by sentence.

    FRENCH and ENGLISH are two files, or two folders whose texts are matched by name
    (fr/chapitre1.txt with en/chapitre1.txt or en/chapitre1.en.txt), in any format build
    reads. Writes the outputs of build (the reading page shows the English as "human,
    aligned"; sentences left out or added, and uncertain links, are flagged on the page and
    in the TMX) and stores the aligned pairs in the translation memory as human translations:
    one import per text, listed by `bilingual memory imports`, taken back by
    `bilingual memory undo ID`. A later build of the French reuses them.

    Prints one line per text. Texts that do not look like translations of each other get a
    warning on stderr (exit 0; --strict makes it an error) and nothing of them is stored.

    Example:

    \b
        bilingual align roman.txt novel.txt -o output
        bilingual align fr/ en/ -o output --json
    """
    from .align.build import AlignConfig, align_texts, pair_texts
    from .export import parse_formats

    build = translation_config(
        engine=engine, beam_size=4, glossary_path=glossary_path, no_glossary=no_glossary,
        memory_location=memory_location, no_memory=no_memory, retranslate=False,
        output_dir=output_dir, formats=parse_formats(formats), input_format=input_format,
        main_content=main_content,
    )
    config = AlignConfig(build, machine_translation=not no_mt, strict=strict)
    reporter = ProgressBar(enabled=not quiet and not as_json, notes=not quiet)
    result = align_texts(pair_texts(french, english, input_format), config, reporter)
    for warning in result.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    if as_json:
        click.echo(json.dumps(_summary(result, output_dir), ensure_ascii=False, indent=2))
        return
    if quiet:
        return
    for text in result.texts:
        click.echo(printable(text.line()))
        for conflict in text.conflicts:
            click.echo(printable(
                f"  conflict: {conflict.source!r} keeps its human translation "
                f"{conflict.memory_target!r}, not the aligned {conflict.file_target!r}"
            ))
    click.echo(f"→ {output_dir / 'index.html'}", err=True)


def _summary(result: Any, output_dir: Path) -> dict[str, Any]:
    return {
        "output_dir": str(output_dir),
        "engine": result.engine.signature() if result.engine else None,
        "texts": [text.to_json() for text in result.texts],
        "unmatched": [str(path) for path in result.unmatched],
        "skipped": [str(path) for path in result.skipped],
        "warnings": result.warnings,
        "notes": result.notes,
    }
