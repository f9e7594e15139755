"""``bilingual validate``: check exchange files (TMX 1.4, XLIFF 1.2, XLIFF 2.x).

``bilingual tmx validate`` is the same command under its first name.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import exchange
from .errors import FormatError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.command("validate", context_settings=CONTEXT_SETTINGS)
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", *exchange.names("units")]),
    default="auto",
    show_default=True,
    help="Format to check against; auto: from the extension (.tmx; .xlf/.xliff of any version).",
)
def validate_command(files: tuple[Path, ...], file_format: str) -> None:
    """Check that each FILE is valid TMX 1.4, XLIFF 1.2 or XLIFF 2.x, printing FILE:LINE: problem.

    Every file is checked, and each gets a line; exits with status 1 when any file has a
    problem. Files that declare entities are refused unread (entity-expansion bombs, external
    entities).

    Example:

        bilingual validate output/memory.tmx output/chapitre-1.xlf

        bilingual validate --format tmx exported.xml
    """
    failed = False
    for path in files:
        try:
            checked = exchange.validate(path, None if file_format == "auto" else file_format)
        except FormatError as error:
            click.echo(str(error))
            failed = True
            continue
        for problem in checked.problems:
            where = f"{path}:{problem.line}" if problem.line is not None else str(path)
            click.echo(f"{where}: {problem.message}")
        if checked.problems:
            failed = True
        else:
            click.echo(f"{path}: valid {checked.label} ({checked.units} units)")
    if failed:
        raise SystemExit(1)


@click.group("tmx", context_settings=CONTEXT_SETTINGS)
def tmx_group() -> None:
    """Check exchange files (the first name of `bilingual validate`).

    Example:

        bilingual tmx validate output/memory.tmx
    """


tmx_group.add_command(validate_command)
