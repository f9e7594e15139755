"""Run two lists of independent jobs on two cores: one in a forked child, one here.

The output writers are plain Python and hold the GIL, so threads would not overlap; a forked
child shares the built documents without pickling them (pickling a 1 MB text's units costs
as much as writing its page).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from .errors import ExportError

Job = Callable[[], None]

_MAX_MESSAGE = 4000


def run_side_by_side(background: Sequence[Job], foreground: Sequence[Job]) -> None:
    """Run ``background`` in a child process while this process runs ``foreground``.

    A failure in the child becomes an :class:`ExportError` with the child's message; a failure
    here propagates once the child has finished. Without ``os.fork`` everything runs here.

    >>> done = []
    >>> run_side_by_side([], [lambda: done.append("a")])
    >>> done
    ['a']
    """
    if not background or not foreground or not hasattr(os, "fork"):
        for job in (*foreground, *background):
            job()
        return
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, reported through the pipe
        os.close(read_end)
        status = 0
        try:
            for job in background:
                job()
        except BaseException as error:  # noqa: BLE001 - every failure must reach the parent
            os.write(write_end, (str(error) or type(error).__name__).encode()[:_MAX_MESSAGE])
            status = 1
        finally:
            # _exit: no atexit handlers, no flushing of buffers the parent also holds
            os._exit(status)
    os.close(write_end)
    try:
        for job in foreground:
            job()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(child, 0)
    if status != 0:
        raise ExportError(message or f"an output writer died (status {status})")
