"""The engine contract: translate a batch of French segments into as many English ones."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import ClassVar, Literal

from ..document import EngineInfo

TermProtection = Literal["placeholders", "inline"]

#: Called with the number of segments just finished, for progress bars.
ProgressCallback = Callable[[int], None]


class Engine(ABC):
    """A French→English translator.

    The contract every engine declares:

    * ``name``: its registry name, recorded in every output with :meth:`info`;
    * ``options``: the keyword arguments its constructor accepts; :func:`get_engine` passes only
      these from a build's settings (``beam_size`` means nothing to Apertium);
    * ``batch_chars``: how many source characters the pipeline sends per :meth:`translate` call
      (large for an engine whose start-up dominates, small for steady progress);
    * ``concurrent_batches``: how many batches the pipeline may have in :meth:`translate` at
      once (more than one only for an engine whose ``translate`` is thread-safe and waits on
      other processes, so one batch's own work overlaps the next batch's translation);
    * ``term_protection``: how glossary terms survive it (see :mod:`bilingual.glossary.protect`):
      ``"placeholders"`` for an engine that passes unknown tokens through in place, so each
      term is replaced by a token and restored afterwards; ``"inline"`` for an engine that
      copies foreign words, so the approved English term is written into the French.

    ``translate`` takes a batch and returns exactly one translation per input, in order;
    implementations batch internally and never touch the network.
    """

    name: ClassVar[str]
    options: ClassVar[tuple[str, ...]] = ()
    batch_chars: ClassVar[int] = 20_000
    concurrent_batches: ClassVar[int] = 1
    term_protection: ClassVar[TermProtection] = "inline"

    @classmethod
    @abstractmethod
    def is_available(cls) -> bool:
        """True when this engine can translate on this machine (cheap: no model load)."""

    @abstractmethod
    def info(self) -> EngineInfo:
        """Name, version and model, recorded in every output."""

    @abstractmethod
    def translate(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        """Translate ``texts``; the result has the same length and order."""

    def close(self) -> None:
        """Let go of what the engine keeps loaded between batches (a model, running programs):
        the build's later stages need the memory. The engine loads it again if asked."""
