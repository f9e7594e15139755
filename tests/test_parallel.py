"""Jobs run side by side in a forked child; failures there reach the parent as one error."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from bilingual.errors import ExportError
from bilingual.parallel import run_side_by_side


def test_both_sides_run(tmp_path: Path) -> None:
    def touch(name: str) -> None:
        (tmp_path / name).write_text(name)

    run_side_by_side([lambda: touch("child")], [lambda: touch("parent")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child", "parent"]


def test_child_failure_is_reported_after_the_parent_finishes(tmp_path: Path) -> None:
    def fail() -> None:
        raise ExportError("page.html: disk full")

    with pytest.raises(ExportError, match="page.html: disk full"):
        run_side_by_side([fail], [lambda: (tmp_path / "done").write_text("x")])
    assert (tmp_path / "done").is_file()


def test_parent_failure_still_waits_for_the_child(tmp_path: Path) -> None:
    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_side_by_side([lambda: (tmp_path / "child").write_text("x")], [fail])
    assert (tmp_path / "child").is_file()


class _Finaliser:
    """Cyclic garbage whose finaliser notes the process that ran it (as an unloaded CTranslate2
    model joins its threads: in a forked child, which has none, that waits forever)."""

    def __init__(self, notes: Path) -> None:
        self.notes = notes
        self.cycle = self

    def __del__(self) -> None:
        with self.notes.open("a") as notes:
            notes.write(f"{os.getpid()}\n")


def test_the_child_never_collects_the_parents_garbage(tmp_path: Path) -> None:
    notes = tmp_path / "finalised"
    gc.disable()  # the garbage must still be there when the child starts
    try:
        _Finaliser(notes)
        run_side_by_side([gc.collect], [lambda: None])
    finally:
        gc.enable()
    gc.collect()
    assert notes.read_text().split() == [str(os.getpid())]  # here, and only here
