"""Helpers shared by the segmentation tests: the offsets contract and the public suites."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from bilingual.document import Segment

SUITES = Path(__file__).parents[2] / "shared" / "eval" / "seg"
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def texts(segments: list[Segment]) -> list[str]:
    return [segment.text for segment in segments]


def assert_contract(text: str, segments: list[Segment]) -> None:
    """Offsets, order, trimming, whitespace-only gaps, line breaks and paragraph numbers."""
    position = 0
    paragraph = 0
    for index, segment in enumerate(segments):
        assert text[segment.start : segment.end] == segment.text
        assert segment.text and segment.text == segment.text.strip()
        assert not any(mark in segment.text for mark in LINE_BREAKS)
        gap = text[position : segment.start]
        assert position <= segment.start and gap.strip() == ""
        blank_line = sum(gap.replace("\r\n", "\n").count(mark) for mark in LINE_BREAKS) >= 2
        expected = paragraph + 1 if index and blank_line else paragraph
        assert segment.paragraph == expected
        paragraph = segment.paragraph
        position = segment.end
    assert text[position:].strip() == ""


def load_scorer() -> ModuleType:
    """../shared/eval/seg/score.py, the scorer of every segmentation suite."""
    spec = importlib.util.spec_from_file_location("seg_score", SUITES / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
