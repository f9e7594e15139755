"""bilingual: offline French→English translation and bilingual reading.

The library API (no click, no work at import time)::

    from bilingual import build, BuildConfig
    result = build([Path("seeds")], BuildConfig(output_dir=Path("output"), engine="apertium"))

Heavy parts (engines, exporters) are imported lazily by name through registries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["BilingualError", "BuildConfig", "BuildResult", "__version__", "build"]

if TYPE_CHECKING:
    from .errors import BilingualError
    from .pipeline import BuildConfig, BuildResult, build


def __getattr__(name: str) -> Any:
    if name == "BilingualError":
        from .errors import BilingualError

        return BilingualError
    if name in ("BuildConfig", "BuildResult", "build"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'bilingual' has no attribute {name!r}")
