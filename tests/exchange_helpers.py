"""Shorthands for the tests that check exchange files."""

from __future__ import annotations

from pathlib import Path

from bilingual import exchange
from bilingual.exchange import Problem


def tmx_problems(path: Path) -> list[Problem]:
    return exchange.validate(path, "tmx").problems


def xliff_problems(path: Path) -> list[Problem]:
    return exchange.validate(path, "xliff").problems
