"""Publishing a build's files together: all of them or none, one build at a time per folder.

A build holds the folder's lock (``.bilingual.lock``) for its write stage and writes every output
into a staging folder inside it (``.bilingual-staging.*``: the same file system, so a rename
publishes a file at once). Then it records the renames to make in a journal
(``.bilingual-journal.json``, written atomically), makes them, and removes the journal. A build
killed before the journal exists leaves the previous outputs untouched; killed after, it leaves a
journal that the next build into the folder completes before anything else, so a text's page,
TMX, XLIFF, the index, ``memory.tmx`` and the manifest always come from the same build.

The next build also removes what a killed build left behind: staging folders, and the temporary
files of :func:`bilingual.textio.atomic_output` (``.NAME.SUFFIX.XXXXXXXX.tmp``) of any of our
output suffixes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from filelock import FileLock, Timeout

from ..errors import ExportError
from ..export import output_suffixes
from ..textio import atomic_write, cannot_write
from .manifest import JOURNAL_NAME, LOCK_NAME, plain_file_name

STAGING_PREFIX = ".bilingual-staging."
JOURNAL_FORMAT = "bilingual-journal"

#: A temporary file of :func:`bilingual.textio.atomic_output` (mkstemp's eight random characters).
_TEMPORARY_FILE = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")

#: The crash tests set this variable to a point of the write stage (``pages``, ``staged``,
#: ``publishing``) at which the build is then killed with SIGKILL; see :func:`fault_point`.
KILL_AT_VARIABLE = "BILINGUAL_TEST_KILL_AT"


def fault_point(point: str, build: int | None = None) -> None:
    """Kill the build (this process, or the process ``build``) with SIGKILL if the crash tests
    asked for it at ``point``: the one way to make a kill land at a known moment of the write
    stage. Without ``BILINGUAL_TEST_KILL_AT`` this does nothing.

    A child that kills its build waits a moment before carrying on, as a writer that outlived
    the build would: time enough for the kernel to kill it too, as it should.
    """
    if os.environ.get(KILL_AT_VARIABLE) == point:
        os.kill(os.getpid() if build is None else build, signal.SIGKILL)
        if build is not None:
            time.sleep(1)


class OutputFolder:
    """An output folder held by one build's write stage (a context manager).

    Entering it creates the folder, takes its lock (``note`` says so when another build holds
    it), completes the journal of a killed build, removes stale temporary files and makes a
    fresh staging folder; :meth:`publish` moves staged files into place; leaving it removes the
    staging folder and releases the lock.
    """

    def __init__(self, path: Path, note: Callable[[str], None]) -> None:
        self.path = path
        self._note = note
        self._staging: Path | None = None
        self._lock = FileLock(str(path / LOCK_NAME))

    @property
    def staging(self) -> Path:
        assert self._staging is not None, "use OutputFolder as a context manager"
        return self._staging

    def __enter__(self) -> Self:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                self._lock.acquire(timeout=0)
            except Timeout:
                self._note(f"{self.path}: waiting for another build to finish writing there")
                self._lock.acquire()
        except OSError as error:
            raise cannot_write(self.path, error) from None
        try:
            self._complete_journal()
            self._remove_leftovers()
            self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            # a journal still there names files of the staging folder: the next build needs them
            if self._staging is not None and not (self.path / JOURNAL_NAME).exists():
                shutil.rmtree(self._staging, ignore_errors=True)
        finally:
            self._lock.release()

    def publish(self, names: Sequence[str]) -> None:
        """Move the staged files ``names`` into the folder, all of them or (killed before the
        journal is written) none."""
        fault_point("staged")
        for name in names:
            if (self.path / name).is_dir():
                raise ExportError(f"{self.path / name}: a folder is where this output goes; "
                                  "move it away")
        journal = self.path / JOURNAL_NAME
        atomic_write(
            journal,
            json.dumps({"format": JOURNAL_FORMAT, "staging": self.staging.name, "files": names}),
        )
        _sync(self.path)
        self._rename(self.staging, names)
        journal.unlink()

    def _rename(self, staging: Path, names: Iterable[str]) -> None:
        for name in names:
            staged = staging / name
            if staged.exists():  # else already moved, by the build that wrote the journal
                os.replace(staged, self.path / name)
                fault_point("publishing")
        _sync(self.path)

    def _complete_journal(self) -> None:
        """Finish publishing what a killed build had started to (see the module's docstring)."""
        journal = self.path / JOURNAL_NAME
        try:
            data = json.loads(journal.read_bytes())
            staging = plain_file_name(data["staging"])
            names = [plain_file_name(name) for name in data["files"]]
            if data["format"] != JOURNAL_FORMAT or not staging.startswith(STAGING_PREFIX):
                raise ValueError("not a bilingual journal")
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ExportError(
                f"{journal}: unreadable ({error}); delete it and build again"
            ) from None
        self._note(f"{self.path}: completing the publication of a build that was interrupted")
        self._rename(self.path / staging, names)
        journal.unlink()

    def _remove_leftovers(self) -> None:
        """Remove the staging folders and temporary files that killed builds left behind."""
        suffixes = output_suffixes()
        for entry in os.scandir(self.path):
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                continue
            match = _TEMPORARY_FILE.fullmatch(entry.name)
            if match and match["target"].endswith(suffixes) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


def _sync(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the platform can sync a folder)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def refuse_to_overwrite_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise :class:`ExportError` if one of ``outputs`` is one of ``inputs``, by whatever path
    (``-o .``, a symbolic or hard link): a build never writes over what it reads."""
    identities: dict[tuple[int, int], Path] = {}
    for path in inputs:
        with contextlib.suppress(OSError):
            status = path.stat()
            identities[(status.st_dev, status.st_ino)] = path
    for path in outputs:
        try:
            status = path.stat()
        except OSError:
            continue  # not there yet: not an input
        source = identities.get((status.st_dev, status.st_ino))
        if source is not None:
            raise ExportError(
                f"{path}: this output would overwrite the input {source}; "
                "choose another output folder with -o"
            )
