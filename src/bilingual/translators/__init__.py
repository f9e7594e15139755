"""Where the translate stage's engine batches run: here, or on a cluster.

The translate stage prepares batches of engine texts (glossary-protected, normalised) and
finishes each translated batch itself (restores terms, English typography, stores it in the
memory); a :class:`Translator` only runs the engine on them. :class:`LocalTranslator` runs an
engine in this process; :class:`bilingual.translators.cluster.DaskTranslator` sends the batches
to the workers of a Dask cluster.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from ..document import EngineInfo
from ..engines.base import Engine, TermProtection


class Translator(Protocol):
    """Runs an engine over batches of texts.

    ``batch_chars`` and ``term_protection`` are the engine's (see
    :class:`bilingual.engines.base.Engine`): the stage cuts and protects batches by them, so a
    build gives the same batches, hence the same translations, wherever they run.
    """

    batch_chars: int
    term_protection: TermProtection

    def info(self) -> EngineInfo:
        """The engine that translates, recorded in every output."""

    def describe(self) -> str:
        """Where the batches run, for progress messages ("apertium", "apertium on 4 workers")."""

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
        """Translate ``batches``; yield ``(index in batches, translations)`` as each finishes.

        Batches are taken from ``batches`` only as fast as they can run, so the caller can
        prepare them lazily; between two yields, the caller's work overlaps the engine's.
        """

    def close(self) -> None:
        """Release what the translator holds (a cluster it started, the engine's model or
        programs); closing twice is fine."""


class LocalTranslator:
    """An engine in this process, run in worker threads ``engine.concurrent_batches`` batches
    ahead of the caller.

    The engine waits on a subprocess (Apertium) or on CTranslate2, both free of the GIL, so
    while it translates the caller finishes the previous batch.

    >>> from bilingual.engines.base import Engine
    >>> class Upper(Engine):
    ...     name = "upper"
    ...     @classmethod
    ...     def is_available(cls): return True
    ...     def info(self): return EngineInfo("upper", "1", "-")
    ...     def translate(self, texts, progress=None): return [t.upper() for t in texts]
    >>> list(LocalTranslator(Upper()).translate_batches([["a"], ["b", "c"]]))
    [(0, ['A']), (1, ['B', 'C'])]
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.batch_chars = engine.batch_chars
        self.term_protection = engine.term_protection

    def info(self) -> EngineInfo:
        return self.engine.info()

    def describe(self) -> str:
        return self.engine.name

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
        in_flight: deque[tuple[int, Future[list[str]]]] = deque()
        ahead = self.engine.concurrent_batches
        with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="bilingual-engine") as worker:
            for index, texts in enumerate(batches):
                in_flight.append((index, worker.submit(self.engine.translate, texts)))
                if len(in_flight) > ahead:
                    done, future = in_flight.popleft()
                    yield done, future.result()
            while in_flight:
                done, future = in_flight.popleft()
                yield done, future.result()

    def close(self) -> None:
        self.engine.close()
