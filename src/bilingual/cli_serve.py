"""``bilingual serve``: build texts, then post-edit them in the browser (a thin click layer over
:mod:`bilingual.serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .cli_common import CONTEXT_SETTINGS, ProgressBar, translation_config, translation_options


@click.command("serve", context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path),
              help="Folder for the outputs [default: output; an OUTDIR given: itself].")
@click.option("--format", "formats",
              help="Outputs rewritten after each edit: html, doc, tmx, xliff, xliff12, json, or "
                   "all [default: html,tmx,doc; an OUTDIR given: the formats it holds].")
@translation_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; other than loopback only with --allow-remote.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--allow-remote", is_flag=True,
              help="Let --host be an address other machines reach: whoever reaches it can edit.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def serve_command(paths: tuple[Path, ...], output_dir: Path | None, formats: str | None,
                  host: str, port: int, allow_remote: bool, open_browser: bool, quiet: bool,
                  **translation: Any) -> None:
    """Post-edit in the browser: build the texts (or the texts of an output folder of
    bilingual build) again from the memory, then serve their reading pages, editable.

    Click an English cell (or press Enter) to edit it, Ctrl+Enter saves and goes on, Esc
    cancels. Every edit goes to the translation memory (history, undo), is checked against the
    glossary and QA at once, and rewrites the text's files in the output folder.

    Example:

        bilingual serve chapitre.txt -o out --glossary glossary --open
        bilingual serve out
    """
    from .export import parse_formats
    from .serve.app import Session
    from .serve.security import is_loopback
    from .serve.server import listen, run
    from .serve.workspace import built_folder

    if translation["no_memory"]:
        raise click.UsageError("post-editing stores every edit in the memory: drop --no-memory")
    if not is_loopback(host) and not allow_remote:
        raise click.UsageError(
            f"--host {host} lets other machines reach the editor; add --allow-remote to mean it"
        )
    folder = built_folder(paths[0]) if len(paths) == 1 and paths[0].is_dir() else None
    if folder is not None:
        if output_dir is not None and output_dir.resolve() != folder.path.resolve():
            raise click.UsageError(f"{folder.path} is served in place: drop -o {output_dir}")
        output_dir, sources = folder.path, folder.sources
        formats = formats or ",".join(folder.formats)
        if not translation["glossary_path"] and not translation["no_glossary"]:
            translation["glossary_path"] = folder.glossary
    else:
        output_dir, sources = output_dir or Path("output"), list(paths)
    config = translation_config(
        **translation, output_dir=output_dir, formats=parse_formats(formats or "html,tmx,doc")
    )
    sock = listen(host, port)
    try:
        session = Session.build(sources, config, ProgressBar(enabled=not quiet))
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
