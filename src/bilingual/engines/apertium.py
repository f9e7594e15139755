"""Apertium through Debian's packages: French→Spanish→English pivot.

One ``apertium fr-es | apertium spa-eng`` process pair per batch (start-up dominates
otherwise). Segments travel separated by blank lines, which Apertium keeps; if a batch ever comes
back with a different number of segments, it is split in halves and retried, so the count is
always preserved.

Around the pivot: names, titles and literals are shielded by placeholders
(:mod:`.apertium_names`), and the words the pivot leaves untranslated, which Apertium marks when
run without ``-u``, are translated again through ``fra-cat | cat-eng``
(:mod:`.apertium_leftovers`); that second route starts with the batch, so its start-up overlaps
the pivot's work.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from ..document import EngineInfo
from ..errors import EngineError, EngineUnavailable
from .apertium_leftovers import repair
from .apertium_names import shield_names
from .base import Engine, ProgressCallback

logger = logging.getLogger(__name__)

MODES = ("fr-es", "spa-eng")
#: The second route, for the words the pivot did not know.
REPAIR_MODES = ("fra-cat", "cat-eng")
MODES_DIR = Path("/usr/share/apertium/modes")
INSTALL_HINT = "install it with: apt-get install apertium apertium-fr-es apertium-eng-spa"
PACKAGES = ("apertium", "apertium-fr-es", "apertium-eng-spa")
REPAIR_PACKAGES = ("apertium-fra-cat", "apertium-eng-cat")

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
    def modes_installed(cls, modes: Sequence[str] = MODES) -> bool:
        return all((MODES_DIR / f"{mode}.mode").is_file() for mode in modes)

    @cached_property
    def repair_route(self) -> bool:
        """Whether the second route is installed (one warning when it is not)."""
        if self.modes_installed(REPAIR_MODES):
            return True
        logger.warning(
            "Apertium's fra-cat/cat-eng route is not installed: words the pivot leaves "
            "untranslated stay in French and are flagged; install it with: apt-get install %s",
            " ".join(REPAIR_PACKAGES),
        )
        return False

    @classmethod
    def is_available(cls) -> bool:
        return shutil.which("apertium") is not None and cls.modes_installed()

    @cached_property
    def _versions(self) -> dict[str, str]:
        try:
            result = subprocess.run(
                ["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *PACKAGES, *REPAIR_PACKAGES],
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
        if self.repair_route:
            model += ";repair:" + "+".join(
                f"{pair}@{versions.get(package, 'unknown')}"
                for pair, package in zip(REPAIR_MODES, REPAIR_PACKAGES, strict=True)
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
        shields = shield_names(texts)
        shielded = [shield.text for shield in shields]
        # started now, the second route loads its dictionaries while the pivot works
        route = _Pipe(self.executable, REPAIR_MODES, marked=True) if self.repair_route else None
        try:
            marked = self._pivot(shielded)
            repaired = repair(shielded, marked, route.translate_words if route else None)
        finally:
            if route is not None:
                route.close()
        return [shield.restore(text) for shield, text in zip(shields, repaired, strict=True)]

    def _pivot(self, texts: list[str]) -> list[str]:
        """The pivot's translations, with Apertium's unknown-word marks."""
        output = _Pipe(self.executable, MODES, marked=True).run("\n\n".join(texts) + "\n")
        parts = [_WHITESPACE.sub(" ", part).strip() for part in _BLANK_LINES.split(output.strip())]
        if len(parts) == len(texts):
            return parts
        if len(texts) == 1:
            return [" ".join(part for part in parts if part)]
        middle = len(texts) // 2
        return self._pivot(texts[:middle]) + self._pivot(texts[middle:])


class _Pipe:
    """Apertium modes chained as one OS pipeline (all stages run in parallel), started at once.

    Without ``-u`` (``marked``), Apertium marks the words it did not know.
    """

    def __init__(self, executable: str, modes: Sequence[str], marked: bool) -> None:
        self.modes = tuple(modes)
        flags = [] if marked else ["-u"]
        self.processes: list[subprocess.Popen[bytes]] = []
        upstream = subprocess.PIPE
        for mode in self.modes:
            process = subprocess.Popen(
                [executable, *flags, mode],
                stdin=upstream,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            if self.processes:
                previous = self.processes[-1].stdout
                assert previous is not None
                previous.close()  # the next process owns the read end now
            self.processes.append(process)
            upstream = process.stdout  # type: ignore[assignment]
        self.done = False

    def run(self, text: str) -> str:
        """Feed ``text``, wait for the whole pipeline, and return the last stage's output."""
        first, last = self.processes[0], self.processes[-1]
        stdin = first.stdin
        assert stdin is not None

        def feed() -> None:
            try:
                stdin.write(text.encode("utf-8"))
                stdin.close()
            except BrokenPipeError:  # the first stage died: its exit code says why
                pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        output, last_err = last.communicate()
        feeder.join()
        errors = []
        for process in self.processes[:-1]:
            errors.append(process.stderr.read() if process.stderr else b"")
            process.wait()
            if process.stderr:
                process.stderr.close()
        errors.append(last_err)
        self.done = True
        for mode, process, err in zip(self.modes, self.processes, errors, strict=True):
            if process.returncode != 0:
                message = err.decode("utf-8", "replace").strip().splitlines()
                detail = message[-1] if message else f"exit code {process.returncode}"
                raise EngineError(f"apertium {mode} failed: {detail}")
        return output.decode("utf-8", "replace")

    def translate_words(self, words: Sequence[str]) -> list[str]:
        """Each word translated alone, one result per word ("" if the count came back wrong)."""
        output = self.run("\n\n".join(words) + "\n")
        parts = [_WHITESPACE.sub(" ", part).strip() for part in _BLANK_LINES.split(output.strip())]
        return parts if len(parts) == len(words) else [""] * len(words)

    def close(self) -> None:
        """End a pipeline that was never fed (nothing to repair)."""
        if not self.done:
            self.run("")
