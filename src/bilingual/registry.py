"""Name → implementation registries, resolved lazily.

Engines and exporters are looked up by name; the import path is only imported when the
implementation is first asked for, so ``bilingual --help`` never imports torch.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from .errors import BilingualError


def resolve(registry: Mapping[str, str], name: str, kind: str) -> Any:
    """Import and return ``registry[name]`` (a ``"module:attribute"`` path).

    >>> resolve({"join": "os.path:join"}, "join", "function").__name__
    'join'
    >>> resolve({"join": "os.path:join"}, "nope", "function")
    Traceback (most recent call last):
    ...
    bilingual.errors.BilingualError: unknown function 'nope'; choose one of: join
    """
    try:
        target = registry[name]
    except KeyError:
        raise BilingualError(
            f"unknown {kind} {name!r}; choose one of: {', '.join(sorted(registry))}"
        ) from None
    return load(target)


def load(target: str) -> Any:
    """Import and return the object a ``"module:attribute"`` path names.

    >>> load("os.path:join").__name__
    'join'
    """
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
