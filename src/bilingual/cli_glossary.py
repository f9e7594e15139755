"""``bilingual glossary …``: list, add, remove, lint, import and export glossary entries.

A thin layer over :mod:`bilingual.glossary`; library errors propagate to the main CLI, which
prints them as ``Error: …``.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import exchange
from .document import Severity
from .errors import GlossaryError
from .glossary import (
    EntryKind,
    add_entry,
    default_glossary_path,
    export_entries,
    glossary_files,
    import_entries,
    lint_files,
    load_glossary,
    make_entry,
    read_journal,
    remove_entries,
    undo_import,
)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

glossary_option = click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Glossary file or folder (default: ./glossary when present).",
)
format_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(exchange.names("terms")),
    default=None,
    help="File format (default: from the extension: .utf8/.tsv/.txt/.tab, .csv, .tbx).",
)


def _existing(glossary_path: Path | None) -> Path:
    path = glossary_path or default_glossary_path()
    if path is None:
        raise GlossaryError("glossary", "no ./glossary folder here; pass --glossary PATH")
    return path


def _for_editing(glossary_path: Path | None) -> Path:
    if glossary_path is not None:
        return glossary_path
    path = default_glossary_path() or Path("glossary")
    path.mkdir(exist_ok=True)
    return path


@click.group("glossary", context_settings=CONTEXT_SETTINGS)
def glossary_group() -> None:
    """Edit and check the domain glossary (OmegaT tab-separated format).

    Example:

        bilingual glossary add "puce" "chip" --comment "semiconductor"
    """


@glossary_group.command("list", context_settings=CONTEXT_SETTINGS)
@glossary_option
def list_command(glossary_path: Path | None) -> None:
    """List entries: file:line, source, target, kind, comment (tab-separated).

    Example:

        bilingual glossary list --glossary glossary/ai.utf8
    """
    glossary = load_glossary(_existing(glossary_path))
    for entry in glossary.entries:
        click.echo(
            f"{entry.where}\t{entry.source}\t{entry.target}\t{entry.kind.value}\t{entry.comment}"
        )


@glossary_group.command("add", context_settings=CONTEXT_SETTINGS)
@click.argument("source")
@click.argument("target", required=False, default="")
@click.option("--comment", default="", help="Free text shown to translators.")
@click.option(
    "--status",
    type=click.Choice([kind.value for kind in EntryKind]),
    default=None,
    help="Entry kind (default: do-not-translate when TARGET equals SOURCE, else preferred).",
)
@click.option(
    "--case",
    "case",
    type=click.Choice(["auto", "sensitive", "insensitive"]),
    default="auto",
    help="Letter case when matching (auto: capitals in the entry must be in the text).",
)
@click.option("--variant", "variants", multiple=True, help="Another source spelling (repeatable).")
@click.option(
    "--target-variant",
    "target_variants",
    multiple=True,
    help="Another accepted English rendering (repeatable).",
)
@click.option("--pos", default="", help="noun, uncountable, adjective, name, verb or phrase.")
@glossary_option
def add_command(
    source: str,
    target: str,
    comment: str,
    status: str | None,
    case: str,
    variants: tuple[str, ...],
    target_variants: tuple[str, ...],
    pos: str,
    glossary_path: Path | None,
) -> None:
    """Add an entry (TARGET defaults to SOURCE: a name not to translate).

    Example:

        bilingual glossary add "modèle de base" "foundation model" --pos noun

        bilingual glossary add CES --case sensitive

        bilingual glossary add Meta Dip --status forbidden
    """
    attributes = {"case": case, "pos": pos}
    if status:
        attributes["status"] = status
    if variants:
        attributes["variants"] = "|".join(variants)
    if target_variants:
        attributes["target-variants"] = "|".join(target_variants)
    entry = make_entry(source, target or source, comment, attributes, path="command line")
    written = add_entry(_for_editing(glossary_path), entry)
    click.echo(f"Added {entry.source} → {entry.target} ({entry.kind.value}) to {written}")


@glossary_group.command("remove", context_settings=CONTEXT_SETTINGS)
@click.argument("source")
@click.argument("target", required=False)
@glossary_option
def remove_command(source: str, target: str | None, glossary_path: Path | None) -> None:
    """Remove the entries for SOURCE (any inflection), or only the one with TARGET.

    Example:

        bilingual glossary remove "puce"

        bilingual glossary remove Meta Dip
    """
    removed = remove_entries(_existing(glossary_path), source, target)
    for entry in removed:
        click.echo(f"Removed {entry.where}: {entry.source} → {entry.target}")


@glossary_group.command("lint", context_settings=CONTEXT_SETTINGS)
@glossary_option
def lint_command(glossary_path: Path | None) -> None:
    """Report duplicates, conflicts, empty fields, stray columns and dead entries.

    Exits with status 1 when there is at least one error.

    Example:

        bilingual glossary lint --glossary glossary/
    """
    issues = lint_files(glossary_files(_existing(glossary_path)))
    for issue in issues:
        click.echo(str(issue))
    errors = sum(issue.severity is Severity.ERROR for issue in issues)
    warnings = len(issues) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)


@glossary_group.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@format_option
@click.option("--dry-run", is_flag=True, help="Say what would be added; write nothing.")
@glossary_option
def import_command(
    file: Path, format_name: str | None, dry_run: bool, glossary_path: Path | None
) -> None:
    """Add the entries of FILE (TSV, CSV or TBX) that the glossary lacks.

    FILE is read completely before anything is written: a bad file changes nothing. Every
    import is recorded: `bilingual glossary undo ID` takes its lines out again.

    Example:

        bilingual glossary import terms.tbx
    """
    result = import_entries(_for_editing(glossary_path), file, format_name, dry_run=dry_run)
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {len(result.added)} entries into {result.glossary}, skipped "
        f"{len(result.skipped)} already present"
        + (f", left out {len(result.refused)} that cannot be entries:" if result.refused else "")
    )
    for problem in result.refused:
        where = f"{file}:{problem.line}" if problem.line else str(file)
        click.echo(f"  {where}: {problem.message}")
    if result.record is not None:
        click.echo(
            f"Recorded as import #{result.record.id}; "
            f"`bilingual glossary undo {result.record.id}` takes it back."
        )


@glossary_group.command("imports", context_settings=CONTEXT_SETTINGS)
@glossary_option
def imports_command(glossary_path: Path | None) -> None:
    """List the recorded imports into the glossary: id, file, date, entries added.

    Example:

        bilingual glossary imports
    """
    records = read_journal(_existing(glossary_path))
    if not records:
        click.echo("No import yet.")
    for record in records:
        undone = f"  [undone {record.undone}]" if record.undone else ""
        click.echo(f"#{record.id}  {record.time}  {record.file}  {len(record.lines)} entries{undone}")


@glossary_group.command("undo", context_settings=CONTEXT_SETTINGS)
@click.argument("import_id", metavar="IMPORT_ID", type=int)
@glossary_option
def undo_command(import_id: int, glossary_path: Path | None) -> None:
    """Take out the entries a recorded import added (ids from `bilingual glossary imports`).

    Example:

        bilingual glossary undo 2
    """
    record, removed = undo_import(_existing(glossary_path), import_id)
    left = len(record.lines) - removed
    click.echo(
        f"Undid import #{record.id} ({record.file}): removed {removed} entries"
        + (f"; {left} had been edited or removed since and were left as they are" if left else "")
    )


@glossary_group.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@format_option
@glossary_option
def export_command(file: Path, format_name: str | None, glossary_path: Path | None) -> None:
    """Write the glossary to FILE as TSV, CSV, TBX (v2, for OmegaT) or TBX v3 (--format tbx3).

    Example:

        bilingual glossary export glossary.tbx
    """
    glossary = load_glossary(_existing(glossary_path))
    export_entries(glossary.entries, file, format_name)
    click.echo(f"Exported {len(glossary.entries)} entries to {file}")
