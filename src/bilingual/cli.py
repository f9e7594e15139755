"""The ``bilingual`` command: a thin click layer over the library.

Library errors (:class:`bilingual.errors.BilingualError`) become one ``Error: ...`` line and exit
code 1; nothing here does real work itself.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from .cli_common import CONTEXT_SETTINGS, ProgressBar, translation_config, translation_options
from .engines import ENGINES
from .errors import BilingualError
from .segment.lexicon import LEXICONS
from .version import __version__


class BilingualGroup(click.Group):
    """Turns library errors into a one-line message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BilingualError as error:
            raise click.ClickException(str(error)) from None
        except BrokenPipeError:
            # The reader went away (`... | head`): stop quietly, as Unix tools do; pointing
            # stdout at /dev/null keeps Python's exit-time flush from failing again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except OSError as error:  # disk full, permission changed mid-run...
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None


@click.group(cls=BilingualGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="bilingual")
def cli() -> None:
    """Offline French→English translation and bilingual reading.

    Example:

        bilingual build seeds -o output
    """


def _input_formats() -> list[str]:
    from .filters import names

    return names()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path),
              default=Path("output"), show_default=True, help="Folder for the outputs.")
@click.option("--format", "formats", default="html,tmx,doc", show_default=True,
              help="Comma-separated: html (reading page), doc (the English document, "
                   "NAME.en.md...), bilingual-epub (EPUB sources: each French paragraph "
                   "followed by its English), tmx, xliff (2.1), xliff12 (1.2), json, or all.")
@click.option("--input-format", type=click.Choice(_input_formats()),
              help="Read every source as this format [default: by each file's suffix].")
@click.option("--main-content", is_flag=True,
              help="HTML: keep only the article of a saved web page (no menus, banners...).")
@translation_options
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Translate on a local Dask cluster of this many worker processes.")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Translate on the Dask cluster of this scheduler, whose workers have the "
                   "engine installed [default: $DASK_SCHEDULER_ADDRESS unless --workers].")
@click.option("--batch-chars", type=click.IntRange(1), default=None,
              help="Source characters per engine batch (the unit of work on a cluster) "
                   "[default: the engine's].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, notes or summary.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def build(paths: tuple[Path, ...], output_dir: Path, formats: str, input_format: str | None,
          main_content: bool, workers: int | None, scheduler: str | None,
          batch_chars: int | None, quiet: bool, as_json: bool, **translation: Any) -> None:
    """Translate French documents (or folders of them) into side-by-side pages, the English
    document and TMX.

    Reads plain text (.txt), Markdown (.md), HTML (.html, .htm) and the other formats of the
    README's table; a folder gives every file of a supported format.

    Example:

        bilingual build seeds -o output --engine apertium

        bilingual build corpus/ -o output --workers 4
    """
    from .export import parse_formats
    from .pipeline import build as run_build

    if workers and scheduler:
        raise click.UsageError("use either --workers or --scheduler")
    if not workers:
        scheduler = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    config = translation_config(
        **translation,
        output_dir=output_dir,
        formats=parse_formats(formats),
        input_format=input_format,
        main_content=main_content,
        workers=workers or 0,
        scheduler=scheduler,
        batch_chars=batch_chars,
    )
    reporter = ProgressBar(enabled=not quiet and not as_json, notes=not quiet)
    result = run_build(list(paths), config, reporter)
    if as_json:
        click.echo(json.dumps(_result_summary(result, config), ensure_ascii=False, indent=2))
        return
    if quiet:
        return
    from .glossary import findings_summary

    for document in result.documents:
        line = f"{document.name}: {len(document.units)} segments"
        if document.glossary is not None:
            line += "; glossary " + findings_summary([unit.findings for unit in document.units])
        click.echo(line, err=True)
    click.echo(
        f"{result.translated} translated, {result.recalled} from memory → {output_dir / 'index.html'}",
        err=True,
    )


def _result_summary(result: Any, config: Any) -> dict[str, Any]:
    return {
        "output_dir": str(config.output_dir),
        "translated": result.translated,
        "recalled": result.recalled,
        "notes": result.notes,
        "skipped": [str(path) for path in result.skipped],
        "documents": [
            {
                "name": document.name,
                "source": str(document.source_path),
                "segments": len(document.units),
                "engine": document.engine.signature() if document.engine else None,
                "files": result.files[document.name],
                "findings": sum(len(unit.findings) for unit in document.units),
            }
            for document in result.documents
        ],
    }


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True), default="-")
@click.option("--jsonl", is_flag=True,
              help="Read one JSON string per line; print one JSON array of segments per line.")
@click.option("--offsets", is_flag=True, help="Print start<TAB>end<TAB>segment.")
@click.option("--language", type=click.Choice(sorted(LEXICONS)), default="fr", show_default=True,
              help="The language of the text.")
def segment(file: Path, jsonl: bool, offsets: bool, language: str) -> None:
    """Split French (or English) text into sentences, one per line.

    Example:

        echo "M. Dupont est arrivé. Il pleut." | bilingual segment
        echo "Mr. Smith arrived. It rained." | bilingual segment --language en
    """
    from .segment import segment_text
    from .textio import decode_text, read_bytes

    name = "<stdin>" if str(file) == "-" else str(file)
    stream = sys.stdin.buffer if str(file) == "-" else io.BytesIO(read_bytes(file))
    out = sys.stdout
    if jsonl:
        for number, line in enumerate(_lines(stream, name), start=1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)
            except json.JSONDecodeError as error:
                raise BilingualError(f"{name}:{number}: not a JSON string ({error.msg})") from None
            if not isinstance(text, str):
                raise BilingualError(f"{name}:{number}: expected a JSON string")
            segments = [s.text for s in segment_text(text, language=language)]
            out.write(json.dumps(segments, ensure_ascii=False) + "\n")
        return
    text = decode_text(stream.read(), name)
    for item in segment_text(text, language=language):
        out.write(f"{item.start}\t{item.end}\t{item.text}\n" if offsets else item.text + "\n")


def _lines(stream: Any, name: str) -> Iterator[str]:
    from .errors import InputError

    for number, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(name, "not valid UTF-8", line=number) from None


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def engines(as_json: bool) -> None:
    """List the translation engines and whether each can run here.

    Example:

        bilingual engines
    """
    from .engines import engine_class

    rows = [(name, engine_class(name).is_available()) for name in sorted(ENGINES)]
    if as_json:
        click.echo(json.dumps({name: available for name, available in rows}))
        return
    for name, available in rows:
        click.echo(f"{name}\t{'available' if available else 'not installed'}")


def _register_groups(group: click.Group) -> None:
    from .cli_align import align_command
    from .cli_glossary import glossary_group
    from .cli_memory import memory_group
    from .cli_models import models_group
    from .cli_omegat import omegat_group
    from .cli_qa import qa_command
    from .cli_serve import serve_command
    from .cli_validate import tmx_group, validate_command

    commands = (
        align_command, glossary_group, memory_group, models_group, omegat_group, qa_command,
        serve_command, tmx_group, validate_command,
    )
    for command in commands:
        group.add_command(command)


_register_groups(cli)


def main(args: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code."""
    try:
        cli.main(args=args, prog_name="bilingual", standalone_mode=True)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0
