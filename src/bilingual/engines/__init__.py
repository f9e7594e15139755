"""Translation engines, chosen by name from a registry.

``auto`` picks Argos when a French→English Argos package is installed, else Apertium.
Implementations are imported only when asked for: Argos imports torch.
"""

from __future__ import annotations

from typing import Any

from ..errors import EngineUnavailable
from ..registry import resolve
from .base import Engine, ProgressCallback

ENGINES: dict[str, str] = {
    "argos": "bilingual.engines.argos:ArgosEngine",
    "apertium": "bilingual.engines.apertium:ApertiumEngine",
}

#: ``auto`` tries these in order.
AUTO_ORDER = ("argos", "apertium")

__all__ = ["AUTO_ORDER", "ENGINES", "Engine", "ProgressCallback", "engine_class", "get_engine"]


def engine_class(name: str) -> type[Engine]:
    engine: type[Engine] = resolve(ENGINES, name, "engine")
    return engine


def get_engine(name: str = "auto", **options: Any) -> Engine:
    """Build the engine called ``name`` (or the first available one for ``auto``).

    ``options`` go to the engine's constructor (e.g. ``beam_size`` for Argos); an engine
    ignores options it does not know.
    """
    if name == "auto":
        for candidate in AUTO_ORDER:
            if engine_class(candidate).is_available():
                return _build(candidate, options)
        raise EngineUnavailable(
            "no offline engine is available: install an Argos fr→en model with "
            "`bilingual models install FILE.argosmodel`, or Apertium with "
            "`apt-get install apertium apertium-fr-es apertium-eng-spa`"
        )
    return _build(name, options)


def _build(name: str, options: dict[str, Any]) -> Engine:
    cls = engine_class(name)
    return cls(**{key: value for key, value in options.items() if key in cls.options})
