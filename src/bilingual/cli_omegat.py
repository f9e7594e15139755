"""``bilingual omegat``: OmegaT projects (added to the main CLI by ``cli.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .cli_common import CONTEXT_SETTINGS, ProgressBar, translation_config, translation_options


@click.group("omegat", context_settings=CONTEXT_SETTINGS)
def omegat_group() -> None:
    """Hand texts over to OmegaT 3.6 with our translations and our segmentation.

    Example:

        bilingual omegat init project seeds --engine apertium
    """


@omegat_group.command("init", context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("texts", nargs=-1, required=True, type=click.Path(path_type=Path))
@translation_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def init_command(
    project: Path, texts: tuple[Path, ...], quiet: bool, as_json: bool, **translation: Any
) -> None:
    """Make PROJECT an OmegaT project for TEXTS (.txt files or folders of them).

    It holds copies of the texts in source/, our translations of them in tm/auto/ (OmegaT
    fills every segment from it), the glossary in glossary/, and segmentation rules with which
    OmegaT splits the texts exactly as bilingual does. Run it again on the same PROJECT to add
    texts; it refuses to replace a source text or a file edited since it wrote it.

    Example:

        bilingual omegat init ~/omegat/chapitres seeds --engine apertium
    """
    from .omegat_project import init_project

    config = translation_config(**translation)
    result = init_project(project, list(texts), config, ProgressBar(not quiet and not as_json))
    if as_json:
        summary = {
            "project": str(result.project),
            "sources": list(result.sources),
            "added": list(result.added),
            "segments": result.segments,
            "exceptions": result.exceptions,
            "unmatched": list(result.unmatched),
            "translated": result.translated,
            "recalled": result.recalled,
            "glossary": str(result.glossary) if result.glossary else None,
        }
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    for segment in result.unmatched:
        click.echo(f"warning: OmegaT will see a segment the TMX cannot fill: {segment!r}", err=True)
    if quiet:
        return
    filled = result.segments - len(result.unmatched)
    texts_count = f"{len(result.sources)} text{'s' if len(result.sources) != 1 else ''}"
    click.echo(
        f"{result.project}: {texts_count} ({len(result.added)} new), "
        f"{filled} of {result.segments} OmegaT segments filled from tm/auto/bilingual.tmx "
        f"({result.translated} translated, {result.recalled} from memory)",
        err=True,
    )
