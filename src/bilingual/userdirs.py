"""Where bilingual keeps its files under the user's home: the XDG base directories."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def xdg_home(variable: str, fallback: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The base directory named by ``variable``, else ``fallback`` under the home folder.

    >>> xdg_home("XDG_CACHE_HOME", ".cache", {"XDG_CACHE_HOME": "/c", "HOME": "/home/ana"})
    PosixPath('/c')
    >>> xdg_home("XDG_CACHE_HOME", ".cache", {"XDG_CACHE_HOME": "c", "HOME": "/home/ana"})
    PosixPath('/home/ana/.cache')
    """
    # The XDG spec says a relative value is invalid and must be ignored.
    value = environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home) / fallback
