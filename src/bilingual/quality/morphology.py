"""Apertium's transducers, asked about single words: analysers, bilingual dictionaries, generators.

A word list cannot tell "Bordeaux" (a place) from "Lumière" (a noun used as a name), nor know
every Spanish verb form; the analysers Apertium ships with each language pair can. The
Spanish→French dictionary and generator lead a Spanish word the pivot left behind back to the
French word it came from ("ralentiza" → ``ralentizar<vblex><pri><p3><sg>`` → "ralentit"). One
``lt-proc -z`` process per transducer stays open for the whole run (start-up ~0.1 s, a query
well under a millisecond) and answers are cached.
"""

from __future__ import annotations

import atexit
import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

APERTIUM_DATA = Path("/usr/share/apertium")
#: Transducer name → (file inside APERTIUM_DATA, lt-proc mode, Debian package that ships it).
TRANSDUCERS: dict[str, tuple[str, str, str]] = {
    "fr": ("apertium-fr-es/fr-es.automorf.bin", "-w", "apertium-fr-es"),
    "es": ("apertium-fr-es/es-fr.automorf.bin", "-w", "apertium-fr-es"),
    "es-fr": ("apertium-fr-es/es-fr.autobil.bin", "-b", "apertium-fr-es"),
    "fr-es": ("apertium-fr-es/fr-es.autobil.bin", "-b", "apertium-fr-es"),
    "fr-generator": ("apertium-fr-es/es-fr.autogen.bin", "-g", "apertium-fr-es"),
}
_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_SPECIAL = re.compile(r"([\^$/\\\[\]<>@{}*#+~])")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analyser made of one word: its readings (``lemma<tag><tag>``), empty if unknown.

    A word the analyser splits ("Part-Dieu" → "Part", "-", "Dieu") is known when every part is.
    """

    word: str
    readings: tuple[str, ...]

    @property
    def known(self) -> bool:
        return bool(self.readings)

    @property
    def proper_noun(self) -> bool:
        return any("<np>" in reading for reading in self.readings)


def parse_analysis(word: str, line: str) -> Analysis:
    """Read ``lt-proc`` output for one word.

    >>> parse_analysis("Bordeaux", "^Bordeaux/Bordeaux<np><loc>$").proper_noun
    True
    >>> parse_analysis("pannes", "^pannes/*pannes$").known
    False
    >>> parse_analysis("Part-Dieu", "^Part/part<n><f><sg>$-^Dieu/dieu<n><m><sg>$").readings
    ('part<n><f><sg>', 'dieu<n><m><sg>')
    """
    readings: list[str] = []
    units = _UNIT.findall(line)
    for unit in units:
        surface_and_readings = re.split(r"(?<!\\)/", unit)
        found = [r for r in surface_and_readings[1:] if r and not r.startswith("*")]
        if not found:
            return Analysis(word, ())
        readings.extend(found)
    return Analysis(word, tuple(readings) if units else ())


def escape(word: str) -> str:
    """A word as Apertium's stream format needs it.

    >>> escape("a/b^c")
    'a\\\\/b\\\\^c'
    """
    return _SPECIAL.sub(r"\\\1", word)


def escape_reading(reading: str) -> str:
    """A reading (``lemma<tags>``) with the lemma escaped for the stream format."""
    lemma, angle, tags = reading.partition("<")
    return escape(lemma.replace("\\", "")) + angle + tags


def translations(unit: str) -> list[str]:
    """The target readings of a bilingual dictionary's answer (``^src/tgt1/tgt2$``).

    >>> translations("^Bordeaux<np><loc>/Burdeos<np><loc>$")
    ['Burdeos<np><loc>']
    """
    return [r for r in re.split(r"(?<!\\)/", unit.strip("^$"))[1:] if r]


class Transducer:
    """One long-lived ``lt-proc -z`` process; thread-safe; answers cached per input line."""

    def __init__(self, path: Path, mode: str) -> None:
        self.path = path
        self.mode = mode
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None

    def lookup(self, lines: Iterable[str]) -> dict[str, str]:
        """The transducer's output for each one-line input (one query for all new ones).

        An input it could not process comes back as an empty string.
        """
        wanted = list(dict.fromkeys(lines))
        with self._lock:
            new = [line for line in wanted if line not in self._cache]
            new = [line for line in new if line.strip() and "\n" not in line and "\0" not in line]
            if new:
                answers = self._query("\n".join(new)).split("\n")
                if len(answers) != len(new):  # never expected: know nothing rather than guess
                    answers = [""] * len(new)
                self._cache.update(zip(new, answers, strict=True))
            return {line: self._cache.get(line, "") for line in wanted}

    def analyse(self, words: Iterable[str]) -> dict[str, Analysis]:
        """An :class:`Analysis` of each word (for an analyser)."""
        words = list(words)
        found = self.lookup(escape(word) for word in words)
        return {word: parse_analysis(word, found[escape(word)]) for word in words}

    def _query(self, text: str) -> str:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                ["lt-proc", "-z", self.mode, str(self.path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            atexit.register(self.close)
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        # the bilingual dictionary and the generator answer only once the line is complete
        process.stdin.write(text.encode("utf-8") + b"\n\0")
        process.stdin.flush()
        output = bytearray()
        while not output.endswith(b"\0"):
            chunk = process.stdout.read1(65536)  # type: ignore[attr-defined]
            if not chunk:
                break
            output += chunk
        return output.rstrip(b"\0").decode("utf-8", "replace").removesuffix("\n")

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=5)


@cache
def transducer(name: str) -> Transducer | None:
    """The transducer called ``name`` (see :data:`TRANSDUCERS`), or ``None`` when it is not
    installed (one warning names the package)."""
    path, mode, package = TRANSDUCERS[name]
    file = APERTIUM_DATA / path
    if shutil.which("lt-proc") is None or not file.is_file():
        logger.warning(
            "Apertium's %s transducer is not installed (%s): name and leftover handling is "
            "reduced; install it with: apt-get install lttoolbox %s",
            name,
            file,
            package,
        )
        return None
    return Transducer(file, mode)


def analyser(language: str) -> Transducer | None:
    """The morphological analyser of ``language`` (``fr``, ``es``)."""
    return transducer(language)
