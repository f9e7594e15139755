"""``bilingual memory``: import post-edits, export for CAT tools, inspect, undo."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from . import exchange
from .cli_common import CONTEXT_SETTINGS, memory_option, printable, resolve_memory
from .errors import BilingualError
from .memory import (
    MemoryEntry,
    TranslationMemory,
    export_file,
    import_file,
    open_memory,
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
UNIT_FORMATS = exchange.names("units")


def _existing_memory(value: str | None) -> TranslationMemory:
    """Open a memory that must already exist: reading commands never create one."""
    return open_memory(resolve_memory(value), create=False)


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group("memory", context_settings=CONTEXT_SETTINGS)
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
    type=click.Choice(UNIT_FORMATS),
    default=None,
    help="File format [default: from the extension: .tmx, .xlf/.xliff, .tsv].",
)
@click.option(
    "--as-human",
    is_flag=True,
    help="Store units the file marks as machine translation too, where the memory "
    "has nothing to compare them with.",
)
@click.option("--dry-run", is_flag=True, help="Report what the import would do; store nothing.")
@json_option
@memory_option
def import_command(
    file: Path,
    fmt: str | None,
    as_human: bool,
    dry_run: bool,
    as_json: bool,
    memory_location: str | None,
) -> None:
    """Store the post-edits in FILE (TMX, XLIFF 1.2/2.x or TSV) as human translations.

    Each unit is decided by its content: a target equal to a machine translation the memory
    holds is skipped, one that differs is a post-edit, whatever the file's markers say. A
    human translation is never overwritten: each version is kept and the newer one is used.
    The whole file is one recorded import (`bilingual memory undo ID` takes it back); a
    malformed file changes nothing.

    Example:

        bilingual memory import omegat/project_save.tmx
        bilingual memory import chapitre1.xlf --dry-run
    """
    with open_memory(resolve_memory(memory_location)) as memory:
        report = import_file(memory, file, fmt, as_human=as_human, dry_run=dry_run)
    if as_json:
        _echo_json(report.to_json())
        return
    for line in report.lines():
        click.echo(printable(line))
    for conflict in report.conflicts:
        where = f"{file}:{conflict.line}" if conflict.line else str(file)
        used = "file's" if conflict.winner == "file" else "memory's"
        click.echo(
            printable(
                f"  conflict at {where}: {conflict.source!r}: memory "
                f"{conflict.memory_target!r}, file {conflict.file_target!r} "
                f"({used} used)"
            )
        )


@memory_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(UNIT_FORMATS),
    default=None,
    help="tmx (TMX 1.4), xliff (XLIFF 2.1), xliff12 (XLIFF 1.2) or tsv "
    "[default: from the extension].",
)
@click.option("--document", default=None, help="Export only this document, in its order.")
@memory_option
def export_command(
    file: Path, fmt: str | None, document: str | None, memory_location: str | None
) -> None:
    """Write the memory's current translations (or one document's) to FILE for a CAT tool.

    One unit per segment: its newest human translation, else the machine translation a
    build would use. Machine translations are marked as unreviewed, so importing the file
    back unedited adds nothing.

    Example:

        bilingual memory export memory.tmx
        bilingual memory export chapitre1.xlf --format xliff12 --document chapitre1
    """
    with _existing_memory(memory_location) as memory:
        written = export_file(
            memory, file, fmt or exchange.format_for(file, "units").name, document
        )
    click.echo(f"Wrote {written} translation(s) to {file}.")


@memory_group.command("stats")
@json_option
@memory_option
def stats_command(as_json: bool, memory_location: str | None) -> None:
    """Count the segments and translations in the memory.

    Example:

        bilingual memory stats
        bilingual memory stats --json --memory team.sqlite
    """
    with _existing_memory(memory_location) as memory:
        stats = memory.stats()
    if as_json:
        _echo_json(stats.to_json())
        return
    click.echo(f"Memory:       {stats.memory}")
    click.echo(f"Segments:     {stats.segments} ({stats.translated_segments} translated)")
    click.echo(f"Human:        {stats.human} ({stats.human_versions} versions kept)")
    click.echo(f"Machine:      {stats.machine}")
    for signature, count in stats.engines:
        click.echo(printable(f"  {signature}: {count}"))
    click.echo(f"Documents:    {stats.documents}")
    click.echo(f"Operations:   {stats.operations}")
    if stats.oldest is not None:
        click.echo(f"From {stats.oldest} to {stats.newest}")


@memory_group.command("lookup")
@click.argument("phrase")
@json_option
@click.option("--limit", default=20, show_default=True, help="At most this many matches.")
@memory_option
def lookup_command(phrase: str, as_json: bool, limit: int, memory_location: str | None) -> None:
    """Show the stored translations of PHRASE, its best fuzzy match, and the segments
    containing it.

    Example:

        bilingual memory lookup "Le chat dort."
        bilingual memory lookup "chat" --json
    """
    with _existing_memory(memory_location) as memory:
        matches = memory.search(phrase, limit)
        suggestion = memory.fuzzy(phrase)
    exact = [entry for entry in matches if entry.source == phrase]
    containing = [entry for entry in matches if entry.source != phrase]
    if as_json:
        _echo_json(
            {
                "phrase": phrase,
                "exact": [entry.to_json() for entry in exact],
                "fuzzy": suggestion.to_json() if suggestion is not None else None,
                "matches": [entry.to_json() for entry in containing],
            }
        )
        return
    if not matches and suggestion is None:
        click.echo(printable(f"Nothing in the memory matches {phrase!r}."))
        return
    for entry in exact:
        click.echo(printable(f"{_describe(entry)}: {entry.target}"))
    if suggestion is not None:
        click.echo(
            printable(
                f"Fuzzy {suggestion.similarity:.0%} ({suggestion.origin.value}): {suggestion.source}"
            )
        )
        click.echo(printable(f"  differences: {render_diff(suggestion.diff)}"))
        click.echo(printable(f"  translation: {suggestion.target}"))
    for entry in containing:
        click.echo(printable(f"{entry.source}\n  {_describe(entry)}: {entry.target}"))


@memory_group.command("history")
@click.argument("source", required=False)
@click.option("--id", "segment_id", type=int, default=None, help="The segment's id instead.")
@json_option
@memory_option
def history_command(
    source: str | None, segment_id: int | None, as_json: bool, memory_location: str | None
) -> None:
    """List every version of a segment's translation: origin, engine or import, date.

    Example:

        bilingual memory history "Le chat dort."
    """
    with _existing_memory(memory_location) as memory:
        source = _one_source(memory, source, segment_id)
        versions = memory.history(source)
    if as_json:
        _echo_json({"source": source, "versions": [version.to_json() for version in versions]})
        return
    if not versions:
        raise BilingualError(f"{memory.name}: no translation of {source!r} in the memory")
    click.echo(printable(source))
    for version in versions:
        by = (
            version.operation.describe()
            if version.operation
            else (
                version.engine or "a build"
                if version.origin.value == "machine"
                else "an earlier import"
            )
        )
        flags = " (current)" if version.current else ""
        if version.removed_by is not None:
            flags += f" (removed by #{version.removed_by})"
        click.echo(
            printable(
                f"  #{version.id} {version.origin.value:7} {version.changed}  {by}{flags}\n"
                f"      {version.target}"
            )
        )


@memory_group.command("imports")
@json_option
@memory_option
def imports_command(as_json: bool, memory_location: str | None) -> None:
    """List the recorded imports, edits and removals, oldest first, with what each did.

    Example:

        bilingual memory imports
        bilingual memory undo 3
    """
    with _existing_memory(memory_location) as memory:
        operations = memory.operations()
    if as_json:
        _echo_json([operation.to_json() for operation in operations])
        return
    if not operations:
        click.echo("No import yet.")
    for operation in operations:
        counts = ", ".join(
            f"{value} {name.replace('_', ' ')}" for name, value in operation.counts.items()
        )
        undone = f"  [undone {operation.undone}]" if operation.undone else ""
        click.echo(
            printable(
                f"#{operation.id}  {operation.created}  {operation.kind:6}  {operation.subject}"
                f"  {counts}{undone}"
            )
        )


@memory_group.command("undo")
@click.argument("operation_id", metavar="IMPORT_ID", type=int)
@memory_option
def undo_command(operation_id: int, memory_location: str | None) -> None:
    """Take back one import, edit or removal (ids from `bilingual memory imports`).

    Example:

        bilingual memory undo 3
    """
    with _existing_memory(memory_location) as memory:
        operation, changed = memory.undo(operation_id)
    what = "restored" if operation.kind == "remove" else "removed"
    click.echo(printable(f"Undid {operation.describe()}: {changed} translation(s) {what}."))


@memory_group.command("remove")
@click.argument("source", required=False)
@click.option("--id", "segment_id", type=int, default=None, help="The segment's id instead.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@memory_option
def remove_command(
    source: str | None, segment_id: int | None, yes: bool, memory_location: str | None
) -> None:
    """Remove every translation of one segment (recorded: `bilingual memory undo` restores it).

    Example:

        bilingual memory remove "Le chat dort." --yes
    """
    with _existing_memory(memory_location) as memory:
        source = _one_source(memory, source, segment_id)
        live = [version for version in memory.history(source) if version.removed_by is None]
        if not live:
            raise BilingualError(f"{memory.name}: no translation of {source!r} to remove")
        if not yes:
            click.echo(
                printable(f"{source}\n  {len(live)} translation(s) would be removed."), err=True
            )
            if not sys.stdin.isatty():
                raise BilingualError("not confirmed: pass --yes to remove without a question")
            click.confirm("Remove them?", abort=True, err=True)
        operation, count = memory.remove(source)
    click.echo(
        printable(
            f"Removed {count} translation(s) of {source!r} ({operation.describe()}; "
            f"`bilingual memory undo {operation.id}` restores them)."
        )
    )


def _one_source(memory: TranslationMemory, source: str | None, segment_id: int | None) -> str:
    if (source is None) == (segment_id is None):
        raise click.UsageError("give either SOURCE or --id")
    return source if source is not None else memory.segment_source(segment_id or 0)


def _describe(entry: MemoryEntry) -> str:
    return entry.origin.value if entry.engine is None else f"{entry.origin.value} ({entry.engine})"


def render_diff(diff: Iterable[tuple[int, str]]) -> str:
    """A word diff in ``git diff --word-diff`` style.

    >>> render_diff(((0, "Le "), (-1, "chat"), (1, "chien"), (0, " dort.")))
    'Le [-chat-]{+chien+} dort.'
    """
    marks = {-1: "[-{}-]", 0: "{}", 1: "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in diff)
