"""Rewriting a workspace's outputs after edits: in a thread of its own, debounced.

Edits ask for a rewrite (:meth:`OutputWriter.schedule`); the writer waits until edits have paused
for ``delay`` seconds (or ``longest`` seconds have passed since the first one waiting), takes one
snapshot of the texts and writes every output from it. Each file is replaced atomically, and one
write runs at a time, so a reader of the folder always finds whole files from one snapshot, however
fast the translator types.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from ..document import utc_now

logger = logging.getLogger(__name__)

Snapshot = TypeVar("Snapshot")


@dataclass(frozen=True, slots=True)
class WriterStatus:
    pending: bool  # edits wait to be written
    written: datetime | None  # when the last write finished
    error: str | None  # why the last write failed (the next edit tries again)

    def to_json(self) -> dict[str, object]:
        return {
            "pending": self.pending,
            "written": self.written.isoformat() if self.written else None,
            "error": self.error,
        }


class OutputWriter(Generic[Snapshot]):
    """Calls ``write(take())`` in its own thread once edits pause (see the module's docstring).

    ``take`` makes the snapshot (the caller runs it wherever the texts may be read safely);
    ``write`` writes it.
    """

    def __init__(
        self,
        take: Callable[[], Snapshot],
        write: Callable[[Snapshot], None],
        delay: float = 0.5,
        longest: float = 5.0,
    ) -> None:
        self._take, self._write = take, write
        self.delay, self.longest = delay, longest
        self._condition = threading.Condition()
        self._requested = 0  # how many rewrites were asked for
        self._done = 0  # the request count the last finished write covered
        self._first_waiting = 0.0
        self._last_request = 0.0
        self._written: datetime | None = None
        self._error: str | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="bilingual-writer", daemon=True)
        self._thread.start()

    def schedule(self) -> None:
        """Ask for the outputs to be written again, once edits pause."""
        with self._condition:
            now = time.monotonic()
            if self._requested == self._done:
                self._first_waiting = now
            self._requested += 1
            self._last_request = now
            self._condition.notify_all()

    def status(self) -> WriterStatus:
        with self._condition:
            return WriterStatus(self._requested != self._done, self._written, self._error)

    def flush(self, timeout: float | None = None) -> bool:
        """Write what is waiting now, without the pause; wait until it is written. Return
        False if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            wanted = self._requested
            self._first_waiting = self._last_request = float("-inf")
            self._condition.notify_all()
            while self._done < wanted:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._condition.wait(left)
        return True

    def close(self, timeout: float | None = None) -> None:
        """Write what is waiting, then stop the thread."""
        self.flush(timeout)
        with self._condition:
            self._closing = True
            self._condition.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._closing and not self._due():
                    self._condition.wait(self._wait_time())
                if self._closing and self._requested == self._done:
                    return
                covered = self._requested
            error = None
            try:
                self._write(self._take())
            except Exception as failure:  # reported in the status, and retried by the next edit
                logger.exception("writing the outputs failed")
                error = str(failure) or type(failure).__name__
            with self._condition:
                self._done = covered
                self._error = error
                if error is None:
                    self._written = utc_now()
                self._condition.notify_all()

    def _due(self) -> bool:
        if self._requested == self._done:
            return False
        now = time.monotonic()
        return now - self._last_request >= self.delay or now - self._first_waiting >= self.longest

    def _wait_time(self) -> float | None:
        if self._requested == self._done:
            return None
        now = time.monotonic()
        return max(
            0.0,
            min(self._last_request + self.delay, self._first_waiting + self.longest) - now,
        )
