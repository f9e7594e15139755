"""What every ``bilingual`` command shares: help options, progress on stderr, terminal-safe text."""

from __future__ import annotations

import re
import sys
from typing import Any

import click

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

    def __init__(self, enabled: bool) -> None:
        self.notes = enabled
        self.enabled = enabled and sys.stderr.isatty()
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
            click.echo(printable(message), err=True)
