"""Engine batches on a Dask cluster (``bilingual build --workers N`` or ``--scheduler ADDRESS``).

Only the engine runs on the workers: the build's client keeps reading, segmentation, memory
recall, glossary protection and checks, and writing (see the README's "Scaling out" for the
measurements behind this split). The unit of work is one engine batch, the same batches an
in-process build makes, so a cluster build writes the same outputs.

* Each worker process builds its engine once, on its first batch, and keeps it (keyed by the
  engine name and options), never one per batch.
* The client stores every batch in the memory as it comes back, so a worker that dies loses
  nothing stored (Dask runs its batches again on another worker) and a build cut short by a lost
  scheduler resumes from the memory when it is run again.
* At most a few batches per worker thread are in flight, so a 30 MB book is not shipped to the
  scheduler at once.

Dask is imported only here, and only when a build asks for a cluster.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any

from ..document import EngineInfo
from ..engines import Engine, get_engine
from ..engines.base import TermProtection
from ..errors import BilingualError, EngineError, EngineUnavailable

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

#: Batches in flight per worker thread: one running, one waiting to start when it ends.
BATCHES_PER_THREAD = 2
#: How long to wait for a scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT_SECONDS = 10
INSTALL_HINT = "install it with: pip install 'bilingual[cluster]'"

logger = logging.getLogger(__name__)

_engines: dict[tuple[str, tuple[tuple[str, Any], ...]], Engine] = {}
_engines_lock = threading.Lock()


def _spec(name: str, options: Mapping[str, Any]) -> tuple[str, tuple[tuple[str, Any], ...]]:
    return name, tuple(sorted(options.items()))


def worker_engine(name: str, options: Mapping[str, Any]) -> Engine:
    """This process's engine for ``name`` and ``options``, built on first use and kept."""
    key = _spec(name, options)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = get_engine(name, **options)
        return engine


def engines_built() -> int:
    """How many engines this process has built (one per engine spec it was asked for)."""
    return len(_engines)


def describe_engine(
    name: str, options: Mapping[str, Any]
) -> tuple[EngineInfo, int, TermProtection]:
    """Run on every worker at start: its engine's info, batch size and term protection."""
    engine = worker_engine(name, options)
    return engine.info(), engine.batch_chars, engine.term_protection


def translate_on_worker(
    name: str, options: Mapping[str, Any], texts: list[str]
) -> tuple[str, list[str]]:
    """One batch, run on a worker: its engine's signature and the translations."""
    engine = worker_engine(name, options)
    return engine.info().signature(), engine.translate(texts)


class DaskTranslator:
    """Runs the engine batches of a build on the workers of a Dask cluster.

    Build one with :meth:`start`; :meth:`close` shuts down a cluster it started itself.
    """

    def __init__(
        self,
        client: Client,
        cluster: LocalCluster | None,
        engine: str,
        options: Mapping[str, Any],
        note: Callable[[str], None],
    ) -> None:
        self.client = client
        self.cluster = cluster
        self.options = dict(options)
        self.note = note
        self.closed = False
        self.address = client.scheduler.address if client.scheduler else "?"
        self.workers = self._worker_addresses()
        self._info, self.batch_chars, self.term_protection = self._agreed_engine(engine)
        self.engine = self._info.name  # "auto" resolved by the workers

    @classmethod
    def start(
        cls,
        engine: str,
        options: Mapping[str, Any],
        workers: int = 0,
        scheduler: str | None = None,
        note: Callable[[str], None] = logger.info,
    ) -> DaskTranslator:
        """Start a LocalCluster of ``workers`` processes, or connect to ``scheduler``; ``note``
        hears where the build runs and which workers leave or join."""
        client, cluster = connect(scheduler, workers)
        try:
            translator = cls(client, cluster, engine, options, note)
        except BaseException:
            disconnect(client, cluster)
            raise
        dashboard = translator.dashboard()
        note(
            f"Dask: {translator.describe()} at {translator.address}"
            + (f", dashboard {dashboard}" if dashboard else "")
        )
        return translator

    def _worker_addresses(self) -> set[str]:
        return set(self.client.nthreads())

    def dashboard(self) -> str | None:
        """The Dask dashboard's address, when the scheduler serves one."""
        info = self.client.scheduler_info(n_workers=1)
        port = info.get("services", {}).get("dashboard")
        if not port:
            return None
        host = self.address.split("://", 1)[-1].rsplit(":", 1)[0]
        return f"http://{host}:{port}/status"

    def _agreed_engine(self, engine: str) -> tuple[EngineInfo, int, TermProtection]:
        """The engine every worker runs; an error naming the worker if one lacks it or runs
        another version (their translations would differ)."""
        answers = self.client.run(describe_engine, engine, self.options, on_error="return")
        described: dict[tuple[EngineInfo, int, TermProtection], list[str]] = {}
        for worker, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                raise EngineUnavailable(f"Dask worker {worker}: {answer}") from None
            described.setdefault(answer, []).append(worker)
        if len(described) > 1:
            versions = "; ".join(
                f"{info.signature()} on {', '.join(workers)}"
                for (info, _, _), workers in described.items()
            )
            raise EngineUnavailable(
                f"the Dask workers run different engines ({versions}); "
                "install the same engine and models on every worker"
            )
        (found,) = described
        return found

    def info(self) -> EngineInfo:
        return self._info

    def describe(self) -> str:
        threads = self._threads()
        count = len(self.workers)
        return (
            f"{self.engine} on {count} Dask worker{'s' * (count != 1)}"
            + (f" ({threads} threads)" if threads != count else "")
        )

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
        from distributed import as_completed

        build = uuid.uuid4().hex[:12]
        todo = enumerate(batches)
        index_of: dict[str, int] = {}
        completed = as_completed()

        def top_up() -> None:
            """Keep a few batches per worker thread in flight (workers may come and go)."""
            while len(index_of) < BATCHES_PER_THREAD * max(1, self._threads()):
                item = next(todo, None)
                if item is None:
                    return
                index, texts = item
                future = self.client.submit(
                    translate_on_worker,
                    self.engine,
                    self.options,
                    texts,
                    key=f"bilingual-translate-{build}-{index}",
                    pure=False,
                )
                index_of[future.key] = index
                completed.add(future)

        try:
            top_up()
            for future in completed:
                signature, outputs = self._result(future)
                if signature != self._info.signature():
                    raise EngineError(
                        f"a Dask worker translated with {signature}, not "
                        f"{self._info.signature()}; install the same engine and models on "
                        "every worker"
                    )
                index = index_of.pop(future.key)
                future.release()
                self._note_worker_changes()
                yield index, outputs
                top_up()
        except (CancelledError, OSError) as error:  # the scheduler is gone (CommClosedError...)
            raise self._lost(error) from None

    def _lost(self, error: BaseException) -> BilingualError:
        return BilingualError(
            f"lost the Dask scheduler at {self.address} ({type(error).__name__}); finished "
            "batches are stored in the memory: rerun the build to resume"
        )

    def _threads(self) -> int:
        return sum(self.client.nthreads().values())

    def _result(self, future: Future) -> tuple[str, list[str]]:
        from distributed.scheduler import KilledWorker

        try:
            result: tuple[str, list[str]] = future.result()
        except BilingualError:
            raise
        except KilledWorker as error:
            raise EngineError(
                f"Dask workers kept dying on one batch ({error}); finished batches are stored "
                "in the memory: rerun the build to resume"
            ) from None
        except CancelledError as error:  # Dask cancels every future when the scheduler is gone
            raise self._lost(error) from None
        except Exception as error:  # noqa: BLE001 - a worker's failure, reported in one line
            raise EngineError(
                f"a Dask worker failed on a batch ({type(error).__name__}: {error}); finished "
                "batches are stored in the memory: rerun the build to resume"
            ) from None
        return result

    def _note_worker_changes(self) -> None:
        current = self._worker_addresses()
        for worker in sorted(self.workers - current):
            self.note(f"Dask: worker {worker} left; its batches run again elsewhere")
        for worker in sorted(current - self.workers):
            self.note(f"Dask: worker {worker} joined")
        self.workers = current

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            disconnect(self.client, self.cluster)


def connect(scheduler: str | None, workers: int = 0) -> tuple[Client, LocalCluster | None]:
    """A client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``
    processes (returned too, for :func:`disconnect` to shut down); it has a worker at least.

    Dask's own log lines are silenced meanwhile: a build reports through its reporter, and
    a lost scheduler must end in one error line, not in Dask's tracebacks.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineUnavailable(f"Dask is not installed; {INSTALL_HINT}") from None
    dask_logger = logging.getLogger("distributed")
    _silenced.append(dask_logger.level)
    dask_logger.setLevel(logging.CRITICAL)
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_SECONDS)
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.CRITICAL,
            )
            client = Client(cluster)
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        dask_logger.setLevel(_silenced.pop())
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise BilingualError(
            f"cannot reach {where}, or it has no worker ({error}); start one with "
            "`dask scheduler` and `dask worker ADDRESS`, or check the address"
        ) from None
    return client, cluster


def disconnect(client: Client, cluster: LocalCluster | None) -> None:
    """Close what :func:`connect` opened (a lost scheduler is not waited for)."""
    try:
        client.close(timeout=CONNECT_TIMEOUT_SECONDS)
        if cluster is not None:
            cluster.close(timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError):
        pass  # the scheduler is gone already: nothing is left to close
    finally:
        if _silenced:
            logging.getLogger("distributed").setLevel(_silenced.pop())


_silenced: list[int] = []  # the Dask logger's levels before each open connect()


def install_model_on_worker(data: bytes, file_name: str) -> str:
    """Run on every worker: install an ``.argosmodel`` sent as bytes into the worker's
    packages folder; workers sharing a folder (one machine) install one after the other."""
    import tempfile
    from pathlib import Path

    from filelock import FileLock

    from ..engines.argos_packages import install_model_file, resolve_packages_dir

    folder = resolve_packages_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (
        FileLock(str(folder.parent / f".{folder.name}.bilingual-install.lock")),
        tempfile.TemporaryDirectory() as scratch,
    ):
        archive = Path(scratch) / Path(file_name).name
        archive.write_bytes(data)
        model = install_model_file(archive)
    with _engines_lock:
        _engines.clear()  # an engine built before holds the model this one replaced
    return model.describe()


def install_model_on_cluster(data: bytes, file_name: str, scheduler: str) -> dict[str, str]:
    """Install an Argos model on every worker of the cluster at ``scheduler``; return what
    each worker installed, by worker address."""
    from ..errors import ModelError

    client, cluster = connect(scheduler)
    try:
        answers = client.run(install_model_on_worker, data, file_name, on_error="return")
    finally:
        disconnect(client, cluster)
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            raise ModelError(f"Dask worker {worker}: {answer}")
    return dict(sorted(answers.items()))
