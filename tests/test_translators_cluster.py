"""Builds on a Dask cluster: the same outputs as in-process, a killed worker loses nothing, a
lost scheduler ends in one error line and a rerun resumes from the memory, Argos models
installed through the cluster. Apertium is the engine on the workers (a real one)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual.cli import cli
from bilingual.engines.apertium import ApertiumEngine
from bilingual.engines.argos_packages import ModelInfo
from bilingual.errors import BilingualError, EngineUnavailable
from bilingual.pipeline import BuildConfig, build

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
needs_apertium = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Apertium fr→es→en is not installed"
)
#: Small batches, so that a few short texts make many units of work.
BATCH_CHARS = 1000

_TIMESTAMPS = re.compile(
    r"\d{8}T\d{6}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)?|\d{4}-\d\d-\d\d \d\d:\d\d UTC"
)


def outputs(folder: Path) -> dict[str, str]:
    """Every output file's text, timestamps blanked."""
    return {
        path.name: _TIMESTAMPS.sub("TIME", path.read_text("utf-8"))
        for path in sorted(folder.iterdir())
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class NotingReporter:
    """Records notes; calls ``on_batch(batches done)`` after every finished batch."""

    def __init__(self, on_batch: Callable[[int], None] | None = None) -> None:
        self.notes: list[str] = []
        self.done = 0
        self.on_batch = on_batch

    def start(self, total: int, label: str) -> None:
        self.notes.append(label)

    def advance(self, count: int) -> None:
        self.done += 1
        if self.on_batch is not None:
            self.on_batch(self.done)

    def finish(self) -> None:
        pass

    def note(self, message: str) -> None:
        self.notes.append(message)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three short texts: the seeds and a third one made of their paragraphs."""
    folder = tmp_path_factory.mktemp("corpus")
    texts = [path.read_text("utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    for number, text in enumerate(texts):
        (folder / f"text{number}.txt").write_text(text, "utf-8")
    mixed = "\n\n".join(part for text in reversed(texts) for part in text.split("\n\n")[:2])
    (folder / "mixed.txt").write_text(mixed, "utf-8")
    return folder


def config(work: Path, **changes: object) -> BuildConfig:
    settings: dict[str, object] = {
        "output_dir": work / "out",
        "engine": "apertium",
        "glossary_path": ROOT / "glossary",
        "memory_path": work / "memory.sqlite",
        "batch_chars": BATCH_CHARS,
        "formats": ("html", "tmx", "xliff", "json"),
    }
    settings.update(changes)
    return BuildConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def in_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("in-process")
    build([corpus], config(work))
    return outputs(work / "out")


class HandStartedCluster:
    """``dask scheduler`` and ``dask worker --no-nanny`` processes, as a user starts them:
    a killed worker stays dead."""

    def __init__(self, workers: int) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        port = self.address.rsplit(":", 1)[1]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", port, "--dashboard-address", "127.0.0.1:0"], **quiet,
        )
        self.workers = [
            subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", self.address,
                 "--nworkers", "1", "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1"],
                **quiet,
            )
            for _ in range(workers)
        ]
        self.client = distributed.Client(self.address, timeout=60)
        self.client.wait_for_workers(workers, timeout=120)

    def pids(self) -> dict[str, int]:
        return self.client.run(os.getpid)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.client.close(timeout=10)
        for process in (*self.workers, self.scheduler):
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


@pytest.fixture
def hand_started() -> Iterator[Callable[[int], HandStartedCluster]]:
    started: list[HandStartedCluster] = []

    def start(workers: int) -> HandStartedCluster:
        started.append(HandStartedCluster(workers))
        return started[-1]

    yield start
    for cluster in started:
        cluster.close()


@needs_apertium
@pytest.mark.timeout(1500)
def test_a_local_cluster_build_writes_the_same_outputs(
    corpus: Path, in_process: dict[str, str], tmp_path: Path
) -> None:
    reporter = NotingReporter()
    result = build([corpus], config(tmp_path, workers=2), reporter)
    assert outputs(tmp_path / "out") == in_process
    assert reporter.done > 3  # the texts went out as several units of work
    assert result.translated == sum(len(document.units) for document in result.documents)
    where = next(note for note in reporter.notes if note.startswith("Dask:"))
    assert re.fullmatch(
        r"Dask: apertium on 2 Dask workers at tcp://127\.0\.0\.1:\d+"
        r"(, dashboard http://127\.0\.0\.1:\d+/status)?",
        where,
    ), where


@needs_apertium
@pytest.mark.timeout(1500)
def test_a_worker_killed_mid_build_loses_nothing(
    corpus: Path,
    in_process: dict[str, str],
    tmp_path: Path,
    hand_started: Callable[[int], HandStartedCluster],
) -> None:
    from bilingual.translators.cluster import engines_built

    cluster = hand_started(2)
    killed: list[str] = []

    def kill_a_busy_worker(done: int) -> None:
        if done != 1:
            return
        busy = [worker for worker, tasks in cluster.client.processing().items() if tasks]
        victim = busy[0]
        os.kill(cluster.pids()[victim], signal.SIGKILL)
        killed.append(victim)

    reporter = NotingReporter(kill_a_busy_worker)
    result = build([corpus], config(tmp_path, scheduler=cluster.address), reporter)
    assert killed
    assert outputs(tmp_path / "out") == in_process
    assert f"Dask: worker {killed[0]} left; its batches run again elsewhere" in reporter.notes
    # every batch is in the memory: a rebuild translates nothing
    rebuild = build([corpus], config(tmp_path, output_dir=tmp_path / "again"))
    assert (rebuild.translated, rebuild.recalled) == (0, result.translated)
    # the surviving worker built its engine once for all its batches
    assert list(cluster.client.run(engines_built).values()) == [1]


@needs_apertium
@pytest.mark.timeout(1500)
def test_a_lost_scheduler_is_one_error_and_a_rerun_resumes(
    corpus: Path,
    in_process: dict[str, str],
    tmp_path: Path,
    hand_started: Callable[[int], HandStartedCluster],
) -> None:
    cluster = hand_started(1)

    def kill_the_scheduler(done: int) -> None:
        if done == 1:
            cluster.scheduler.send_signal(signal.SIGKILL)

    reporter = NotingReporter(kill_the_scheduler)
    with pytest.raises(BilingualError) as lost:
        build([corpus], config(tmp_path, scheduler=cluster.address), reporter)
    message = str(lost.value)
    assert "\n" not in message
    assert message.startswith(f"lost the Dask scheduler at {cluster.address}")
    assert "rerun the build to resume" in message
    rerun = build([corpus], config(tmp_path))
    assert rerun.recalled >= 1  # the batches finished before the loss were kept
    total = sum(len(document.units) for document in rerun.documents)
    assert rerun.recalled + rerun.translated == total


@pytest.mark.timeout(120)
def test_no_scheduler_there_is_one_error_line(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bilingual.translators.cluster

    monkeypatch.setattr(bilingual.translators.cluster, "CONNECT_TIMEOUT_SECONDS", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)
    result = CliRunner().invoke(
        cli, ["build", str(corpus), "-o", str(tmp_path / "out"), "--no-memory", "--no-glossary"]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: cannot reach the Dask scheduler at {address}")


@pytest.mark.timeout(1500)
def test_argos_models_are_installed_on_every_worker_through_the_cluster(
    copy_model_file: Path,
    copy_model: ModelInfo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers with an empty packages folder cannot build; ``bilingual models install FILE
    --scheduler`` installs the model on each, and the build then matches the in-process one
    (the copy model, installed here by the ``copy_model`` fixture)."""
    from argos_model import french_sentences

    corpus = tmp_path / "corpus"  # sentences the copy model's vocabulary and length cover
    corpus.mkdir()
    for number in range(2):
        sentences = french_sentences(40, seed=number)
        (corpus / f"text{number}.txt").write_text(
            " ".join(sentences[:20]) + "\n\n" + " ".join(sentences[20:]), "utf-8"
        )
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(copy_model.path.parent))
    reference = build([corpus], config(tmp_path / "here", engine="argos", glossary_path=None))
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, env={"ARGOS_PACKAGES_DIR": str(tmp_path / "worker-packages")},
    )
    try:
        there = config(tmp_path / "there", engine="argos", glossary_path=None,
                       scheduler=cluster.scheduler_address)
        with pytest.raises(EngineUnavailable, match=r"^Dask worker tcp://127\.0\.0\.1:\d+: "):
            build([corpus], there)
        installed = CliRunner().invoke(
            cli, ["models", "install", str(copy_model_file), "--scheduler",
                  cluster.scheduler_address],
        )
        assert installed.exit_code == 0, installed.output
        assert installed.output.count("installed fr→en") == 2
        assert (tmp_path / "worker-packages").is_dir()
        build([corpus], there)
    finally:
        cluster.close()
    assert reference.translated > 0
    assert outputs(tmp_path / "there" / "out") == outputs(tmp_path / "here" / "out")


def test_the_cluster_extra_is_not_imported_by_an_in_process_build() -> None:
    code = (
        "import sys\nfrom bilingual.pipeline import build\n"
        "print('distributed' in sys.modules, 'dask' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]


def test_workers_and_scheduler_exclude_each_other() -> None:
    with pytest.raises(BilingualError, match="either a number of workers or a scheduler"):
        BuildConfig(workers=2, scheduler="tcp://127.0.0.1:8786")
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["build", "x.txt", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"]
    )
    assert result.exit_code == 2
    assert "use either --workers or --scheduler" in result.output
    assert time.monotonic() - started < 30
