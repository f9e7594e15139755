"""Apertium through Debian's packages: French→Spanish→English pivot.

``apertium fr-es | apertium spa-eng`` starts once per process and stays running
(:mod:`.apertium_stream`): each segment travels numbered, so the count and order of
translations are always those of the segments, and a batch costs no start-up.

Around the pivot: names, titles and literals are shielded by placeholders
(:mod:`.apertium_names`), and the words the pivot leaves untranslated, which Apertium marks when
run without ``-u``, are translated again through ``fra-cat | cat-eng``
(:mod:`.apertium_leftovers`). That second route starts with the first batch, so its start-up
overlaps the pivot's work, and the leftovers of the first segments are repaired while the pivot
translates the next ones.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import Future
from functools import cached_property, partial

from ..document import EngineInfo
from ..errors import EngineUnavailable
from .apertium_leftovers import repair
from .apertium_names import shield_names
from .apertium_stream import MODES_DIR, Stream, StreamLost, stop, stream
from .base import Engine, ProgressCallback

logger = logging.getLogger(__name__)

MODES = ("fr-es", "spa-eng")
#: The second route, for the words the pivot did not know.
REPAIR_MODES = ("fra-cat", "cat-eng")
INSTALL_HINT = "install it with: apt-get install apertium apertium-fr-es apertium-eng-spa"
PACKAGES = ("apertium", "apertium-fr-es", "apertium-eng-spa")
REPAIR_PACKAGES = ("apertium-fra-cat", "apertium-eng-cat")

#: Auxiliaries and modals French inverts with a subject pronoun ("a-t-il déclaré", "Avait-il
#: vu ?"); Apertium's transfer breaks these ("hadeclarado", "Had- seen"), so they reach it in
#: the plain order.
_INVERTED = re.compile(
    r"(?<![\w-])(?:(y) )?(a|ai|as|avons|avez|ont|avait|avaient|aura|auront|aurait|auraient|est|sont|"
    r"était|étaient|sera|seront|serait|seraient|va|vont|peut|peuvent|doit|doivent|faut|fait)"
    r"(?:-t)?-(il|elle|on|ils|elles)(?![\w-])",
    re.IGNORECASE,
)
#: Segments whose leftovers are repaired together, as the pivot returns them.
REPAIR_CHUNK = 200
_WHITESPACE = re.compile(r"\s+")


class ApertiumEngine(Engine):
    name = "apertium"
    #: Apertium's programs stay running between batches (:mod:`.apertium_stream`): batches of
    #: this size let the build check one while the next is translated.
    batch_chars = 25_000
    #: While one batch waits for the second route, the pivot already translates the next.
    concurrent_batches = 2
    #: Apertium passes unknown words through unchanged and in place, through both legs.
    term_protection = "placeholders"

    def __init__(self) -> None:
        if not self.is_available():
            raise EngineUnavailable(f"Apertium fr→es→en is not installed; {INSTALL_HINT}")

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
        # the modes' programs are started directly, as this tool of the apertium package lists them
        return shutil.which("apertium-wblank-mode") is not None and cls.modes_installed()

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
        # one line per segment in transit
        clean = [_WHITESPACE.sub(" ", text).strip() for text in texts]
        results = [""] * len(clean)
        todo = [index for index, text in enumerate(clean) if text]
        for index, translation in zip(todo, self._translate_nonempty([clean[i] for i in todo])):
            results[index] = translation
        if progress:
            progress(len(texts))
        return results

    def close(self) -> None:
        # both routes' fifty programs hold their dictionaries: ~1 GB resident between them
        stop(MODES)
        stop(REPAIR_MODES)

    def _translate_nonempty(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        started = time.perf_counter()
        # on the first batch, the programs load their dictionaries while the names are found
        pivot = stream(MODES)
        route = stream(REPAIR_MODES) if self.repair_route else None
        shields = shield_names([uninvert(text) for text in texts])
        shielded = [shield.text for shield in shields]
        shielded_at = time.perf_counter()
        chunks = [shielded[i : i + REPAIR_CHUNK] for i in range(0, len(shielded), REPAIR_CHUNK)]
        translations = [pivot.submit(chunk) for chunk in chunks]
        words = partial(_route_words, route) if route is not None else None
        repaired: list[str] = []
        waited = 0.0
        for chunk, translation in zip(chunks, translations, strict=True):
            before = time.perf_counter()
            marked = self._pivot(chunk, translation)
            waited += time.perf_counter() - before
            repaired += repair(chunk, marked, words)
        logger.debug(
            "apertium batch of %d: names %.3f s, waiting for the pivot %.3f s, leftovers %.3f s",
            len(texts),
            shielded_at - started,
            waited,
            time.perf_counter() - shielded_at - waited,
        )
        return [shield.restore(text) for shield, text in zip(shields, repaired, strict=True)]

    def _pivot(self, texts: list[str], translation: Future[list[str]]) -> list[str]:
        """The pivot's translations of ``texts``, with Apertium's unknown-word marks; texts a
        lost stream dropped are sent once more on a fresh one."""
        try:
            return [_WHITESPACE.sub(" ", text).strip() for text in translation.result()]
        except StreamLost as lost:
            logger.warning("%s; sending %d segments again", lost, len(texts))
        again = stream(MODES).translate(texts)
        return [_WHITESPACE.sub(" ", text).strip() for text in again]


def _route_words(route: Stream, words: Sequence[str]) -> list[str]:
    """Each word translated alone by the second route ("" for all if the route failed)."""
    try:
        return [_WHITESPACE.sub(" ", text).strip() for text in route.translate(words)]
    except StreamLost as lost:
        logger.warning("%s: the pivot's leftovers stay in French and are flagged", lost)
        return [""] * len(words)


def uninvert(text: str) -> str:
    """Subject pronoun and auxiliary in the plain order, which Apertium translates.

    >>> uninvert("« Non », a-t-il déclaré. Avait-elle vu le film ? Y a-t-il un problème ?")
    '« Non », il a déclaré. Elle avait vu le film ? Il y a un problème ?'
    """

    def plain(found: re.Match[str]) -> str:
        there, verb, pronoun = found.group(1), found.group(2), found.group(3)
        first = there or verb
        words = [pronoun, *(["y"] if there else []), verb.lower() if first == verb else verb]
        if first[:1].isupper():
            words[0] = words[0][:1].upper() + words[0][1:].lower()
        return " ".join(words)

    return _INVERTED.sub(plain, text)
