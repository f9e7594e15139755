"""What every ``bilingual`` command shares: help options, progress on stderr, terminal-safe text."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from .engines import ENGINES

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

#: Characters a terminal would act on instead of showing: C0 and C1 controls, DEL, and the
#: bidirectional overrides that can make shown text read differently from what it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes, never sent to the terminal.

    >>> printable("rouge\\x1b[31m\\x07 ok\\tfin")
    'rouge\\\\x1b[31m\\\\x07 ok\\tfin'
    """
    return _CONTROL.sub(
        lambda match: (
            f"\\x{ord(match.group()):02x}"
            if ord(match.group()) < 0x100
            else f"\\u{ord(match.group()):04x}"
        ),
        text,
    )


class ProgressBar:
    """A progress bar on stderr, drawn only when stderr is a terminal; notes on stderr."""

    def __init__(self, enabled: bool, notes: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.notes = notes
        self._bar: Any = None

    def start(self, total: int, label: str) -> None:
        if self.enabled:
            self._bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_pos=True
            )
            self._bar.__enter__()

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def note(self, message: str) -> None:
        if self.notes:
            if self._bar is not None:  # a line of its own, not inside the bar
                click.echo(file=sys.stderr)
            click.echo(f"note: {printable(message)}", err=True)


def _default_glossary() -> Path | None:
    from .glossary import default_glossary_path

    return default_glossary_path()


#: The memory every command uses when --memory is not given: a path or a postgresql:// URL.
MEMORY_ENVIRONMENT = "BILINGUAL_MEMORY_URL"

memory_option = click.option(
    "--memory",
    "memory_location",
    metavar="PATH|URL",
    envvar=MEMORY_ENVIRONMENT,
    default=None,
    help="Translation memory: an SQLite file or a postgresql://USER@HOST/DB URL "
    f"[default: ${MEMORY_ENVIRONMENT}, else $XDG_DATA_HOME/bilingual/memory.sqlite].",
)


def resolve_memory(value: str | None) -> str | Path:
    """Where the memory is: the ``--memory`` value (or ``$BILINGUAL_MEMORY_URL``, which click
    reads into it), else the default file."""
    if value:
        return value
    from .memory import default_memory_path

    return default_memory_path()


_TRANSLATION_OPTIONS = (
    click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="auto",
                 show_default=True,
                 help="auto: Argos when a fr→en model is installed, else Apertium."),
    click.option("--beam-size", type=click.IntRange(1, 16), default=4, show_default=True,
                 help="Beam size for Argos."),
    click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
                 help="Glossary file or folder [default: ./glossary when present]."),
    click.option("--no-glossary", is_flag=True, help="Do not check or protect glossary terms."),
    memory_option,
    click.option("--no-memory", is_flag=True, help="Neither reuse nor store translations."),
    click.option("--retranslate", is_flag=True, help="Ignore stored machine translations."),
)


def translation_options(command: Any) -> Any:
    """Add the engine, glossary and memory options of the commands that translate."""
    for option in reversed(_TRANSLATION_OPTIONS):
        command = option(command)
    return command


def translation_config(engine: str, beam_size: int, glossary_path: Path | None,
                       no_glossary: bool, memory_location: str | None, no_memory: bool,
                       retranslate: bool, **build_options: Any) -> Any:
    """The BuildConfig of the options added by :func:`translation_options`."""
    from .pipeline import BuildConfig

    if no_glossary and glossary_path:
        raise click.UsageError("use either --glossary or --no-glossary")
    given = click.get_current_context().get_parameter_source("memory_location")
    if no_memory and given is ParameterSource.COMMANDLINE:
        raise click.UsageError("use either --memory or --no-memory")
    return BuildConfig(
        engine=engine,
        beam_size=beam_size,
        glossary_path=None if no_glossary else (glossary_path or _default_glossary()),
        memory_path=None if no_memory else resolve_memory(memory_location),
        retranslate=retranslate,
        **build_options,
    )
