"""``bilingual memory``: import post-edits, export for CAT tools, inspect the translation memory."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import TranslationMemoryError
from .memory import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    MemoryEntry,
    TranslationMemory,
    default_memory_path,
    export_file,
    import_file,
)

memory_option = click.option(
    "--memory",
    "memory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Translation memory database [default: $XDG_DATA_HOME/bilingual/memory.sqlite].",
)


def _memory_path(memory_path: Path | None) -> Path:
    return memory_path if memory_path is not None else default_memory_path()


def _existing_memory(memory_path: Path | None) -> TranslationMemory:
    """Open a memory that must already exist: reading commands never create one."""
    path = _memory_path(memory_path)
    if not path.exists():
        raise TranslationMemoryError(
            f"{path}: no translation memory here yet; run `bilingual build` or "
            "`bilingual memory import` first, or pass --memory"
        )
    return TranslationMemory(path)


@click.group("memory")
def memory_group() -> None:
    """The translation memory: every translated segment, reused by every build.

    Example:

        bilingual memory import project_save.tmx
        bilingual memory stats
    """


@memory_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    default=None,
    help="File format [default: from the extension: .tmx, .xlf/.xliff, .tsv].",
)
@memory_option
def import_command(file: Path, fmt: str | None, memory_path: Path | None) -> None:
    """Store the translations in FILE (TMX, XLIFF or TSV) as human translations.

    The next build uses them instead of the engine. The whole file is stored in one
    transaction: a malformed file changes nothing.

    Example:

        bilingual memory import omegat/project_save.tmx
        bilingual memory import corrections.tsv --format tsv --memory team.sqlite
    """
    path = _memory_path(memory_path)
    with TranslationMemory(path) as memory:
        stored = import_file(memory, file, fmt)
    click.echo(f"Stored {stored} human translation(s) from {file} in {path}.")


@memory_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="tmx (TMX 1.4), xliff (XLIFF 1.2) or tsv.",
)
@click.option("--document", default=None, help="Export only the segments of this document.")
@memory_option
def export_command(file: Path, fmt: str, document: str | None, memory_path: Path | None) -> None:
    """Write the whole memory (or one document) to FILE for a CAT tool.

    Every stored translation is written, human ones first, with its origin, engine and
    document. Machine translations are marked, so importing the file back unedited adds none.

    Example:

        bilingual memory export memory.tmx --format tmx
        bilingual memory export chapitre1.xlf --format xliff --document chapitre1
    """
    with _existing_memory(memory_path) as memory:
        written = export_file(memory, file, fmt, document)
    click.echo(f"Wrote {written} translation(s) to {file}.")


@memory_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@memory_option
def stats_command(as_json: bool, memory_path: Path | None) -> None:
    """Count the segments and translations in the memory.

    Example:

        bilingual memory stats
        bilingual memory stats --json --memory team.sqlite
    """
    with _existing_memory(memory_path) as memory:
        stats = memory.stats()
    if as_json:
        click.echo(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Memory:       {stats.path}")
    click.echo(f"Segments:     {stats.segments} ({stats.translated_segments} translated)")
    click.echo(f"Human:        {stats.human}")
    click.echo(f"Machine:      {stats.machine}")
    for signature, count in stats.engines:
        click.echo(f"  {signature}: {count}")
    click.echo(f"Documents:    {stats.documents}")
    if stats.oldest is not None:
        click.echo(f"From {stats.oldest} to {stats.newest}")


@memory_group.command("lookup")
@click.argument("phrase")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--limit", default=20, show_default=True, help="At most this many matches.")
@memory_option
def lookup_command(phrase: str, as_json: bool, limit: int, memory_path: Path | None) -> None:
    """Show the stored translations of PHRASE, its best fuzzy match, and the segments
    containing it.

    Example:

        bilingual memory lookup "Le chat dort."
        bilingual memory lookup "chat" --json
    """
    with _existing_memory(memory_path) as memory:
        matches = memory.search(phrase, limit)
        suggestion = memory.fuzzy(phrase)
    exact = [entry for entry in matches if entry.source == phrase]
    containing = [entry for entry in matches if entry.source != phrase]
    if as_json:
        report = {
            "phrase": phrase,
            "exact": [entry.to_json() for entry in exact],
            "fuzzy": suggestion.to_json() if suggestion is not None else None,
            "matches": [entry.to_json() for entry in containing],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if not matches and suggestion is None:
        click.echo(f"Nothing in the memory matches {phrase!r}.")
        return
    for entry in exact:
        click.echo(f"{_describe(entry)}: {entry.target}")
    if suggestion is not None:
        click.echo(
            f"Fuzzy {suggestion.similarity:.0%} ({suggestion.origin.value}): {suggestion.source}"
        )
        click.echo(f"  differences: {render_diff(suggestion.diff)}")
        click.echo(f"  translation: {suggestion.target}")
    for entry in containing:
        click.echo(f"{entry.source}\n  {_describe(entry)}: {entry.target}")


def _describe(entry: MemoryEntry) -> str:
    return entry.origin.value if entry.engine is None else f"{entry.origin.value} ({entry.engine})"


def render_diff(diff: tuple[tuple[int, str], ...]) -> str:
    """A word diff in ``git diff --word-diff`` style.

    >>> render_diff(((0, "Le "), (-1, "chat"), (1, "chien"), (0, " dort.")))
    'Le [-chat-]{+chien+} dort.'
    """
    marks = {-1: "[-{}-]", 0: "{}", 1: "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in diff)
