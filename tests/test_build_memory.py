"""A build never loses work: killed midway it resumes, and concurrent builds share the memory.

The builds run in subprocesses with a slow test double engine, so the kill lands mid-build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bilingual.document import EngineInfo
from bilingual.memory import open_memory

BUILD_SCRIPT = """
import sys, time
from pathlib import Path
from bilingual.engines.base import Engine
from bilingual.document import EngineInfo
from bilingual.pipeline import BuildConfig, build

class SlowEngineDouble(Engine):
    '''Test double: upper-cases, slowly, a few segments per batch.'''
    name = "double"
    batch_chars = 60
    @classmethod
    def is_available(cls): return True
    def info(self): return EngineInfo("double", "1", "upper")
    def translate(self, texts, progress=None):
        time.sleep(float(sys.argv[4]))
        return [t.upper() for t in texts]

result = build([Path(sys.argv[1])], BuildConfig(output_dir=Path(sys.argv[2]),
               memory_path=Path(sys.argv[3])), engine=SlowEngineDouble())
print(result.translated, result.recalled)
"""

INFO = EngineInfo("double", "1", "upper")


def make_text(path: Path, count: int) -> list[str]:
    sentences = [f"Phrase numéro {n} du texte." for n in range(count)]
    path.write_text(" ".join(sentences), encoding="utf-8")
    return sentences


def run_build(text: Path, out: Path, memory: Path, delay: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", BUILD_SCRIPT, str(text), str(out), str(memory), str(delay)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def stored(memory_path: Path, sentences: list[str]) -> int:
    with open_memory(memory_path) as memory:
        hits = memory.lookup_many(sentences, INFO, [""] * len(sentences))
    return sum(hit is not None for hit in hits)


def test_sigkill_midway_loses_nothing_and_the_next_build_resumes(tmp_path: Path) -> None:
    text, memory = tmp_path / "long.txt", tmp_path / "tm.sqlite"
    sentences = make_text(text, 60)
    process = run_build(text, tmp_path / "out", memory, delay=0.3)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if memory.exists() and stored(memory, sentences) >= 6:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = stored(memory, sentences)
    assert 6 <= done_before < len(sentences)

    resumed = run_build(text, tmp_path / "out", memory, delay=0.0)
    output, errors = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, errors
    translated, recalled = map(int, output.split())
    assert recalled >= done_before
    assert translated + recalled == len(sentences)
    assert stored(memory, sentences) == len(sentences)


def test_two_builds_at_once_share_the_memory(tmp_path: Path) -> None:
    memory = tmp_path / "tm.sqlite"
    first = make_text(tmp_path / "one.txt", 40)
    second = [f"Autre phrase {n}." for n in range(40)]
    (tmp_path / "two.txt").write_text(" ".join(second), encoding="utf-8")
    processes = [
        run_build(tmp_path / name, tmp_path / f"out-{name}", memory, delay=0.02)
        for name in ("one.txt", "two.txt")
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert stored(memory, first) == 40
    assert stored(memory, second) == 40
    import sqlite3

    with sqlite3.connect(memory) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
