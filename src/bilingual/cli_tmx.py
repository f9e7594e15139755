"""``bilingual tmx``: commands about exchange files (added to the main CLI by ``cli.py``).

Library errors (:class:`~bilingual.errors.BilingualError`, e.g. a malformed or unsafe file)
propagate to the main CLI, which prints them as ``Error: FILE:LINE: message``.
"""

from __future__ import annotations

from pathlib import Path

import click

from .validate import XLIFF_NS, load_xml_safely, tmx_problems, xliff_problems

XLIFF_SUFFIXES = (".xlf", ".xliff")


@click.group("tmx", context_settings={"help_option_names": ["-h", "--help"]})
def tmx_group() -> None:
    """Check translation-memory and exchange files (TMX 1.4, XLIFF 2).

    Example:

        bilingual tmx validate output/memory.tmx
    """


@tmx_group.command("validate")
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", "tmx", "xliff"]),
    default="auto",
    show_default=True,
    help="Format to check against; auto: XLIFF for .xlf/.xliff files, TMX otherwise.",
)
def validate_command(files: tuple[Path, ...], file_format: str) -> None:
    """Check that each FILE is valid TMX 1.4 (or XLIFF 2), printing FILE:LINE: problem.

    Exits with status 1 when any file has a problem. Files that declare entities are refused
    unread (entity-expansion bombs, external entities).

    Example:

        bilingual tmx validate output/memory.tmx output/chapitre-1.tmx

        bilingual tmx validate --format xliff output/chapitre-1.xlf
    """
    failed = False
    for path in files:
        is_xliff = file_format == "xliff" or (
            file_format == "auto" and path.suffix.lower() in XLIFF_SUFFIXES
        )
        tree = load_xml_safely(path)
        if is_xliff:
            problems = xliff_problems(tree)
            kind, unit_tag = f"XLIFF {tree.getroot().get('version')}", f"{{{XLIFF_NS}}}unit"
        else:
            problems = tmx_problems(tree)
            kind, unit_tag = "TMX 1.4", "tu"
        for problem in problems:
            where = f"{path}:{problem.line}" if problem.line is not None else str(path)
            click.echo(f"{where}: {problem.message}")
        if problems:
            failed = True
        else:
            units = sum(1 for _ in tree.getroot().iter(unit_tag))
            click.echo(f"{path}: valid {kind} ({units} units)")
    if failed:
        raise SystemExit(1)
