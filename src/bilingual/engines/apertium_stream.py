"""Apertium modes as one long-lived pipeline: texts in, translations out, in order.

Starting ``apertium fr-es | apertium spa-eng`` costs about a second of processor time (each
mode is a dozen programs loading their dictionaries), the second route as much again; a build
sent several batches, each paying it anew. Here each chain of modes starts once per process and
stays: its programs run in null-flush mode (``-z``), so every request (the texts sent together)
written with a NUL comes back followed by a NUL, while later requests are already on their way.

A NUL resets the programs' context, so a text's translation depends only on the texts of its
own request (a build sends the same requests wherever it runs, so the results are the same).
A NUL after every text instead would make each one independent of all the others, but flushing
two dozen programs per text costs a quarter more processor time than the pipeline's work.

The programs are those of each mode file, as ``apertium-wblank-mode -z`` lists them, started
directly and chained: the ``apertium`` script's own wrappers wait for the end of their input
before they pass anything on. Texts travel in Apertium's stream format, which this module writes
and reads itself (``apertium-destxt`` drops NULs): special characters escaped, and each text
closed by a sentence end and a blank carrying its number (``.[][7\n]``), which also separates
the texts of a request when they come back. A translation that comes back with another
number than expected means the stream lost its place: the stream is
closed and the texts still waiting fail with :class:`StreamLost`, for the caller to send again
on a fresh one.
"""

from __future__ import annotations

import atexit
import queue
import re
import shlex
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import IO

from ..errors import EngineError

MODES_DIR = Path("/usr/share/apertium/modes")

#: What ``apertium-destxt`` escapes; it puts ``~`` in a blank of its own.
_SPECIAL = re.compile(r"([\[\]^$@/\\<>{}])")
#: A text's closing: the sentence end the format adds, then a blank with the text's number.
_CLOSING = re.compile(r"\.?\[\]\[(\d+)\n\]")
#: A blank (``[...]``, brackets not escaped) or an escaped character.
_BLANK_OR_ESCAPE = re.compile(r"\[((?:\\.|[^\]\\])*)\]|\\(.)", re.DOTALL)


class StreamLost(EngineError):
    """The pipeline's output no longer lines up with its input (or the pipeline ended)."""


def deformat(text: str, number: int) -> str:
    """``text`` (one line) in Apertium's stream format, closed with its number.

    >>> deformat("Le site <www.a.fr/b> coûte 10 $ ~ 5 €", 7)
    'Le site \\\\<www.a.fr\\\\/b\\\\> coûte 10 \\\\$ [~] 5 €.[][7\\n]'
    """
    return _SPECIAL.sub(r"\\\1", text).replace("~", "[~]") + f".[][{number}\n]"


def reformat(unit: str) -> list[tuple[int | None, str]]:
    """The number and plain text of each translated text in one unit of the stream (what
    came back before a NUL); text after the last closing has no number.

    >>> reformat("Site \\\\<www.a.fr\\\\/b\\\\> costs \\\\$10 [~] 5 €..[][7\\n] It rains..[][8\\n]")
    [(7, 'Site <www.a.fr/b> costs $10 ~ 5 €.'), (8, 'It rains.')]
    >>> reformat("")
    []
    """
    texts: list[tuple[int | None, str]] = []
    start = 0
    for closing in _CLOSING.finditer(unit):
        texts.append((int(closing.group(1)), _plain(unit[start : closing.start()])))
        start = closing.end()
    if rest := _plain(unit[start:]):
        texts.append((None, rest))
    return texts


def _plain(body: str) -> str:
    return _BLANK_OR_ESCAPE.sub(
        lambda found: found.group(2) if found.group(2) is not None else found.group(1), body
    ).strip()


def mode_commands(mode: str, marked: bool) -> list[list[str]]:
    """The programs of Apertium's ``mode`` in null-flush mode, as argument lists.

    Without ``marked``, the generator drops the marks of unknown words (``apertium -u``).
    """
    listed = subprocess.run(
        ["apertium-wblank-mode", "-z", str(MODES_DIR / f"{mode}.mode")],
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0 or not listed.stdout.strip():
        raise EngineError(f"cannot read Apertium's {mode} mode: {listed.stderr.strip()}")
    lexer = shlex.shlex(listed.stdout, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token == "|":
            commands.append([])
        elif token == "$1":
            commands[-1].append("-g" if marked else "-n")
        elif token != "$2":  # the tagger's optional flag
            commands[-1].append(token)
    return [command for command in commands if command]


class _Request:
    """Texts sent together: the number of the first, and their translations as they come."""

    __slots__ = ("first", "future", "results", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.first = 0
        self.results: list[str] = []
        self.future: Future[list[str]] = Future()


class Stream:
    """One chain of Apertium modes, running until :meth:`close`; thread-safe.

    Without ``marked``, Apertium drops its unknown-word marks (``apertium -u``).
    """

    def __init__(self, modes: Sequence[str], marked: bool) -> None:
        self.modes = tuple(modes)
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._processes: list[subprocess.Popen[bytes]] = []
        self._names: list[str] = []
        upstream: int | IO[bytes] = subprocess.PIPE
        for mode in self.modes:
            for command in mode_commands(mode, marked):
                process = subprocess.Popen(
                    command, stdin=upstream, stdout=subprocess.PIPE, stderr=self._errors
                )
                if self._processes:
                    previous = self._processes[-1].stdout
                    assert previous is not None
                    previous.close()  # the next program owns the read end now
                self._processes.append(process)
                self._names.append(f"{mode}: {command[0]}")
                assert process.stdout is not None
                upstream = process.stdout
        self._lock = threading.Lock()
        self._pending: deque[_Request] = deque()
        self._written: queue.Queue[bytes | None] = queue.Queue()
        self._count = 0
        self._lost: StreamLost | None = None
        self._writer = threading.Thread(target=self._write, daemon=True, name="apertium-in")
        self._reader = threading.Thread(target=self._read, daemon=True, name="apertium-out")
        self._writer.start()
        self._reader.start()

    @property
    def alive(self) -> bool:
        return self._lost is None

    def submit(self, texts: Sequence[str]) -> Future[list[str]]:
        """Send ``texts`` (one line each); the future gives their translations, in order."""
        request = _Request(len(texts))
        if not texts:
            request.future.set_result([])
            return request.future
        with self._lock:
            if self._lost is not None:
                raise self._lost
            request.first = self._count + 1
            data = []
            for text in texts:
                self._count += 1
                data.append(deformat(text, self._count))
            self._pending.append(request)
            self._written.put("".join(data).encode("utf-8") + b"\0")
        return request.future

    def translate(self, texts: Sequence[str]) -> list[str]:
        """The translation of each text, in order (waits for them)."""
        return self.submit(texts).result()

    def close(self) -> None:
        """End the pipeline (waiting texts fail) and wait for its programs."""
        self._written.put(None)
        self._writer.join()
        self._reader.join()
        for process in self._processes:
            process.wait()
        self._errors.close()

    def _write(self) -> None:
        stdin = self._processes[0].stdin
        assert stdin is not None
        while (data := self._written.get()) is not None:
            try:
                stdin.write(data)
                stdin.flush()
            except OSError:  # the first program ended: the reader reports why
                break
        try:
            stdin.close()
        except OSError:
            pass

    def _read(self) -> None:
        stdout = self._processes[-1].stdout
        assert stdout is not None
        buffer = b""
        while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
            buffer += chunk
            *units, buffer = buffer.split(b"\0")
            for unit in units:
                self._receive(unit.decode("utf-8", "replace"))
        stdout.close()
        failure = StreamLost(self._failure())
        with self._lock:
            if self._pending:
                self._fail(failure)
            elif self._lost is None:
                self._lost = StreamLost("the Apertium pipeline was closed")

    def _receive(self, unit: str) -> None:
        # programs add NULs of their own when their input ends: empty units
        for number, text in reformat(unit):
            if not self._receive_text(number, text):
                return

    def _receive_text(self, number: int | None, text: str) -> bool:
        """Hand one text to its request; false once the stream has lost its place."""
        with self._lock:
            if not self._pending:
                return True
            request = self._pending[0]
            expected = request.first + len(request.results)
            if number != expected:
                self._fail(
                    StreamLost(
                        f"apertium {'|'.join(self.modes)} lost its place "
                        f"(text {number} came back for {expected})"
                    )
                )
                self._written.put(None)
                return False
            request.results.append(text)
            if len(request.results) < request.size:
                return True
            self._pending.popleft()
        request.future.set_result(request.results)
        return True

    def _fail(self, error: StreamLost) -> None:
        """Fail every waiting request (the lock is held)."""
        self._lost = error
        while self._pending:
            self._pending.popleft().future.set_exception(error)

    def _failure(self) -> str:
        for name, process in zip(self._names, self._processes, strict=True):
            process.wait()
            if process.returncode != 0:
                self._errors.seek(0)
                lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
                detail = lines[-1] if lines else f"exit code {process.returncode}"
                return f"apertium {name} failed: {detail}"
        return f"apertium {'|'.join(self.modes)} ended before translating everything"


_STREAMS: dict[tuple[tuple[str, ...], bool], Stream] = {}
_STREAMS_LOCK = threading.Lock()


def stream(modes: Sequence[str], marked: bool = True) -> Stream:
    """The running stream of ``modes`` for this process (started, or restarted, on demand)."""
    key = (tuple(modes), marked)
    with _STREAMS_LOCK:
        running = _STREAMS.get(key)
        if running is None or not running.alive:
            if running is not None:
                running.close()
            else:
                atexit.register(_close, key)
            running = _STREAMS[key] = Stream(modes, marked)
        return running


def stop(modes: Sequence[str], marked: bool = True) -> None:
    """End the running stream of ``modes`` in this process, if any (:func:`stream` starts it
    again when asked)."""
    _close((tuple(modes), marked))


def _close(key: tuple[tuple[str, ...], bool]) -> None:
    with _STREAMS_LOCK:
        running = _STREAMS.pop(key, None)
    if running is not None:
        running.close()
