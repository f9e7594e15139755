"""The engine contract: translate a batch of French segments into as many English ones."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import ClassVar

from ..document import EngineInfo

#: Called with the number of segments just finished, for progress bars.
ProgressCallback = Callable[[int], None]


class Engine(ABC):
    """A French→English translator.

    ``translate`` takes a batch and returns exactly one translation per input, in order;
    implementations batch internally and never touch the network.
    """

    name: ClassVar[str]

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
