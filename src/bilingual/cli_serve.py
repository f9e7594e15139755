"""``bilingual serve``: build texts, then post-edit them in the browser (a thin click layer over
:mod:`bilingual.serve`)."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import CONTEXT_SETTINGS, ProgressBar
from .engines import ENGINES


@click.command("serve", context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path),
              default=Path("output"), show_default=True, help="Folder for the outputs.")
@click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="auto",
              show_default=True, help="For segments the memory has no translation of.")
@click.option("--format", "formats", default="html,tmx", show_default=True,
              help="Outputs rewritten after each edit: html, tmx, xliff, xliff12, json, or all.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary file or folder to check and edit [default: ./glossary when present].")
@click.option("--no-glossary", is_flag=True, help="No glossary.")
@click.option("--memory", "memory_path", type=click.Path(path_type=Path),
              help="Translation memory database [default: $XDG_DATA_HOME/bilingual/memory.sqlite].")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; other than loopback only with --allow-remote.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--allow-remote", is_flag=True,
              help="Let --host be an address other machines reach: whoever reaches it can edit.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def serve_command(paths: tuple[Path, ...], output_dir: Path, engine: str, formats: str,
                  glossary_path: Path | None, no_glossary: bool, memory_path: Path | None,
                  host: str, port: int, allow_remote: bool, open_browser: bool,
                  quiet: bool) -> None:
    """Post-edit in the browser: build the texts, then serve their reading pages, editable.

    Click an English cell (or press Enter) to edit it, Ctrl+Enter saves and goes on, Esc
    cancels. Every edit goes to the translation memory (history, undo), is checked against the
    glossary and QA at once, and rewrites the text's files in the output folder.

    Example:

        bilingual serve chapitre.txt -o out --glossary glossary --open
    """
    from .export import parse_formats
    from .glossary import default_glossary_path
    from .memory import default_memory_path
    from .pipeline import BuildConfig
    from .serve.app import Session
    from .serve.security import is_loopback
    from .serve.server import listen, run

    if no_glossary and glossary_path:
        raise click.UsageError("use either --glossary or --no-glossary")
    if not is_loopback(host) and not allow_remote:
        raise click.UsageError(
            f"--host {host} lets other machines reach the editor; add --allow-remote to mean it"
        )
    config = BuildConfig(
        output_dir=output_dir,
        engine=engine,
        formats=parse_formats(formats),
        glossary_path=None if no_glossary else (glossary_path or default_glossary_path()),
        memory_path=memory_path or default_memory_path(),
    )
    sock = listen(host, port)
    try:
        session = Session.build(list(paths), config, ProgressBar(enabled=not quiet))
    except BaseException:
        sock.close()
        raise
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on port "
            f"{sock.getsockname()[1]} can read and edit these texts, the memory and the glossary",
            err=True,
        )
    texts = len(session.workspace.documents)

    def announce(url: str) -> None:
        click.echo(f"Serving {texts} text{'s' if texts != 1 else ''} from {output_dir} at {url}")
        click.echo("Press Ctrl+C to stop.", err=True)

    run(session, sock, open_browser, announce)
