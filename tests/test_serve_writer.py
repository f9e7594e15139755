"""The debounced output writer: many edits, few writes, and every edit written in the end."""

from __future__ import annotations

import threading
import time

import pytest

from bilingual.serve.writer import OutputWriter

pytestmark = pytest.mark.timeout(60)


class Recorder:
    """Snapshots are the edit counter; writes record which snapshot they wrote."""

    def __init__(self, fail: bool = False) -> None:
        self.edits = 0
        self.written: list[int] = []
        self.fail = fail
        self.lock = threading.Lock()

    def take(self) -> int:
        with self.lock:
            return self.edits

    def write(self, snapshot: int) -> None:
        if self.fail:
            raise OSError(f"disk full at snapshot {snapshot}")
        time.sleep(0.02)
        self.written.append(snapshot)


def test_fast_edits_are_written_together_and_none_is_lost() -> None:
    recorder = Recorder()
    writer = OutputWriter(recorder.take, recorder.write, delay=0.2, longest=5.0)
    for _ in range(50):
        with recorder.lock:
            recorder.edits += 1
        writer.schedule()
        time.sleep(0.002)
    assert writer.status().pending
    assert writer.flush(10)
    assert recorder.written[-1] == 50
    assert len(recorder.written) <= 3
    status = writer.status()
    assert not status.pending and status.written is not None and status.error is None
    writer.close(10)


def test_edits_that_never_pause_are_written_at_least_every_longest_seconds() -> None:
    recorder = Recorder()
    writer = OutputWriter(recorder.take, recorder.write, delay=0.3, longest=0.5)
    deadline = time.monotonic() + 1.6
    while time.monotonic() < deadline:
        with recorder.lock:
            recorder.edits += 1
        writer.schedule()
        time.sleep(0.05)
    assert len(recorder.written) >= 2  # written while the edits went on
    writer.close(10)
    assert recorder.written[-1] == recorder.edits


def test_a_failing_write_is_reported_and_the_next_edit_retries() -> None:
    recorder = Recorder(fail=True)
    writer = OutputWriter(recorder.take, recorder.write, delay=0.05)
    writer.schedule()
    writer.flush(10)
    assert writer.status().error == "disk full at snapshot 0"
    recorder.fail = False
    writer.schedule()
    writer.flush(10)
    assert writer.status().error is None and recorder.written == [0]
    writer.close(10)


def test_close_writes_what_waits() -> None:
    recorder = Recorder()
    writer = OutputWriter(recorder.take, recorder.write, delay=30.0, longest=60.0)
    recorder.edits = 7
    writer.schedule()
    writer.close(10)
    assert recorder.written == [7]
