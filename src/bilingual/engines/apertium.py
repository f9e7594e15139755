"""Apertium through Debian's packages: French→Spanish→English pivot.

One ``apertium -u fr-es | apertium -u spa-eng`` process pair per batch (start-up dominates
otherwise). Segments travel separated by blank lines, which Apertium keeps; if a batch ever comes
back with a different number of segments, it is split in halves and retried, so the count is
always preserved.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from ..document import EngineInfo
from ..errors import EngineError, EngineUnavailable
from .base import Engine, ProgressCallback

MODES = ("fr-es", "spa-eng")
MODES_DIR = Path("/usr/share/apertium/modes")
INSTALL_HINT = "install it with: apt-get install apertium apertium-fr-es apertium-eng-spa"
PACKAGES = ("apertium", "apertium-fr-es", "apertium-eng-spa")

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_WHITESPACE = re.compile(r"\s+")


class ApertiumEngine(Engine):
    name = "apertium"
    options = ("executable",)
    #: Large batches keep the start-up of the process pair small beside the work.
    batch_chars = 200_000
    #: Apertium passes unknown words through unchanged and in place, through both legs.
    term_protection = "placeholders"

    def __init__(self, executable: str | None = None) -> None:
        found = executable or shutil.which("apertium")
        if not found or not self.modes_installed():
            raise EngineUnavailable(f"Apertium fr→es→en is not installed; {INSTALL_HINT}")
        self.executable = found

    @classmethod
    def modes_installed(cls) -> bool:
        return all((MODES_DIR / f"{mode}.mode").is_file() for mode in MODES)

    @classmethod
    def is_available(cls) -> bool:
        return shutil.which("apertium") is not None and cls.modes_installed()

    @cached_property
    def _versions(self) -> dict[str, str]:
        try:
            result = subprocess.run(
                ["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *PACKAGES],
                capture_output=True,
                text=True,
                check=False,
            )
            return dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
        except OSError:
            return {}

    def info(self) -> EngineInfo:
        versions = self._versions
        model = "+".join(
            f"{pair}@{versions.get(package, 'unknown')}"
            for pair, package in zip(MODES, PACKAGES[1:], strict=True)
        )
        return EngineInfo(self.name, versions.get("apertium", "unknown"), model)

    def translate(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        # Blank lines separate segments in transit, so no segment may contain one.
        clean = [_WHITESPACE.sub(" ", text).strip() for text in texts]
        results = [""] * len(clean)
        todo = [index for index, text in enumerate(clean) if text]
        for index, translation in zip(todo, self._translate_nonempty([clean[i] for i in todo])):
            results[index] = translation
        if progress:
            progress(len(texts))
        return results

    def _translate_nonempty(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        output = self._pipe("\n\n".join(texts) + "\n")
        parts = [_WHITESPACE.sub(" ", part).strip() for part in _BLANK_LINES.split(output.strip())]
        if len(parts) == len(texts):
            return parts
        if len(texts) == 1:
            return [" ".join(part for part in parts if part)]
        middle = len(texts) // 2
        return self._translate_nonempty(texts[:middle]) + self._translate_nonempty(texts[middle:])

    def _pipe(self, text: str) -> str:
        """Run the two-stage pivot as one OS pipeline (both stages run in parallel)."""
        first = subprocess.Popen(
            [self.executable, "-u", MODES[0]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        second = subprocess.Popen(
            [self.executable, "-u", MODES[1]],
            stdin=first.stdout,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert first.stdin is not None and first.stdout is not None
        first.stdout.close()  # the second process owns the read end now
        stdin = first.stdin

        def feed() -> None:
            try:
                stdin.write(text.encode("utf-8"))
                stdin.close()
            except BrokenPipeError:  # the first stage died: its exit code says why
                pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        output, second_err = second.communicate()
        feeder.join()
        first_err = first.stderr.read() if first.stderr else b""
        first.wait()
        if first.stderr:
            first.stderr.close()
        for mode, process, err in ((MODES[0], first, first_err), (MODES[1], second, second_err)):
            if process.returncode != 0:
                message = err.decode("utf-8", "replace").strip().splitlines()
                detail = message[-1] if message else f"exit code {process.returncode}"
                raise EngineError(f"apertium -u {mode} failed: {detail}")
        return output.decode("utf-8", "replace")
