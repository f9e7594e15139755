"""The installed version of bilingual, recorded in every output it writes."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bilingual")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
