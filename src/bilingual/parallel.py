"""Run two lists of independent jobs on two cores: one in a forked child, one here.

The output writers are plain Python and hold the GIL, so threads would not overlap; a forked
child shares the built documents without pickling them (pickling a 1 MB text's units costs
as much as writing its page). The child dies with its parent (on Linux): a build that is killed
must not leave a writer running behind it.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence

from .errors import ExportError

Job = Callable[[], None]

_MAX_MESSAGE = 4000


def usable_cores() -> int:
    """Cores this process may run on (a container or ``taskset`` may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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
    parent = os.getpid()
    # The child must never collect what this process made: garbage holding native threads (an
    # unloaded CTranslate2 model) would wait forever there for threads fork did not copy, and
    # a collection would touch, hence copy, every page the two share.
    gc.freeze()
    child = os.fork()
    if child != 0:
        gc.unfreeze()
    if child == 0:  # pragma: no cover - runs in the child, reported through the pipe
        os.close(read_end)
        status = 0
        try:
            _die_with(parent)
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


def _die_with(parent: int) -> None:
    """Have the kernel kill this (forked) process when ``parent`` dies, on Linux; exit at once if
    it is already dead (it may have died before the request was made)."""
    if sys.platform.startswith("linux"):
        set_parent_death_signal = 1  # PR_SET_PDEATHSIG, <linux/prctl.h>
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(set_parent_death_signal, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)
