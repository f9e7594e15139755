"""Argos Translate model packages: find, list, install and remove them.

A package is a ``.argosmodel`` zip holding one folder with ``metadata.json``, a CTranslate2
model in ``model/`` and ``sentencepiece.model``. Installed packages are folders in the packages
folder, which is, in order: the ``packages_dir`` argument, ``$ARGOS_PACKAGES_DIR``,
``ARGOS_PACKAGES_DIR`` in Argos's ``settings.json``, or ``$XDG_DATA_HOME/argos-translate/packages``
(``~/.local/share/...``), the places argostranslate itself looks.

Everything but :func:`install_from_index` works on files only: argostranslate (and torch with
it) is imported only to reach the online package index.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ModelError
from ..userdirs import xdg_home

logger = logging.getLogger(__name__)

INSTALL_HINT = "`bilingual models install FILE.argosmodel`"

#: Files every package must have, relative to its folder.
REQUIRED_FILES = ("metadata.json", "model/config.json", "model/model.bin", "sentencepiece.model")

# A Stanza sentence splitter inside a package makes argostranslate download Stanza's resources
# on first use; bilingual segments text itself, so such folders are dropped on install.
STRIPPED_FOLDERS = ("stanza",)


class _NotTranslationPackage(ModelError):
    """Argos also has other package types (e.g. sentence splitters): not errors in a listing."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """An installed (or about to be installed) Argos package."""

    from_code: str
    to_code: str
    path: Path
    package_version: str = ""
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""

    @property
    def name(self) -> str:
        """The package folder name, e.g. ``translate-fr_en-1_9``."""
        return self.path.name

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    def describe(self) -> str:
        """One line for people.

        >>> ModelInfo("fr", "en", Path("/p/translate-fr_en-1_9"), "1.9").describe()
        'fr→en  translate-fr_en-1_9  version 1.9  /p/translate-fr_en-1_9'
        """
        version = f"version {self.package_version}" if self.package_version else "no version"
        return f"{self.pair}  {self.name}  {version}  {self.path}"

    def to_json(self) -> dict[str, str]:
        return {
            "from": self.from_code,
            "to": self.to_code,
            "name": self.name,
            "version": self.package_version,
            "path": str(self.path),
        }


def resolve_packages_dir(packages_dir: Path | str | None = None) -> Path:
    """The packages folder to use (not created).

    >>> resolve_packages_dir("/srv/argos")
    PosixPath('/srv/argos')
    """
    if packages_dir is not None:
        return Path(packages_dir).expanduser()
    from_environment = os.environ.get("ARGOS_PACKAGES_DIR")
    if from_environment:
        return Path(from_environment).expanduser()
    from_settings = _argos_settings().get("ARGOS_PACKAGES_DIR")
    if isinstance(from_settings, str) and from_settings:
        return Path(from_settings).expanduser()
    return xdg_home("XDG_DATA_HOME", ".local/share") / "argos-translate" / "packages"


def list_models(packages_dir: Path | str | None = None) -> list[ModelInfo]:
    """Installed translation packages, sorted by language pair then folder name.

    Folders that are not readable packages are skipped with a warning.
    """
    folder = resolve_packages_dir(packages_dir)
    if not folder.is_dir():
        return []
    models: list[ModelInfo] = []
    for candidate in sorted(folder.iterdir()):
        if not candidate.is_dir() or candidate.name.startswith("."):
            continue
        try:
            models.append(read_package(candidate))
        except _NotTranslationPackage as error:
            logger.debug("skipping %s", error)
        except ModelError as error:
            logger.warning("skipping %s", error)
    return sorted(models, key=lambda model: (model.from_code, model.to_code, model.name))


def find_model(
    from_code: str, to_code: str, packages_dir: Path | str | None = None
) -> ModelInfo | None:
    """The installed package for a language pair (the newest one if several), else None.

    Cheap: reads only ``metadata.json`` files.
    """
    candidates = [
        model
        for model in list_models(packages_dir)
        if (model.from_code, model.to_code) == (from_code, to_code)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda model: (_version_key(model.package_version), model.name))


def read_package(folder: Path) -> ModelInfo:
    """Read an installed package's metadata; ModelError if it is not a translation package."""
    try:
        raw = (folder / "metadata.json").read_bytes()
    except OSError:
        raise ModelError(f"{folder}: not an Argos package (no readable metadata.json)") from None
    return _model_info(_parse_metadata(raw, folder), folder)


def install_model_file(path: Path | str, packages_dir: Path | str | None = None) -> ModelInfo:
    """Install a local ``.argosmodel`` file and return the installed package.

    The archive is checked before anything is written: a zip with a single top folder,
    ``metadata.json`` naming ``from_code`` and ``to_code``, ``model/config.json``,
    ``model/model.bin`` and ``sentencepiece.model``, and no member escaping the folder. A
    ``stanza/`` folder is left out (it would make argostranslate download Stanza resources).
    Packages already installed for the same language pair are replaced.
    """
    archive = Path(path)
    if not archive.is_file():
        raise ModelError(f"{archive}: no such file")
    destination_root = resolve_packages_dir(packages_dir)
    try:
        with zipfile.ZipFile(archive) as bundle:
            top, members = _checked_members(bundle, archive)
            metadata = _parse_metadata(bundle.read(f"{top}/metadata.json"), archive)
            model = _model_info(metadata, Path(top))
            destination_root.mkdir(parents=True, exist_ok=True)
            installed = _extract(bundle, top, members, destination_root)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as error:
        raise ModelError(f"{archive}: not a valid .argosmodel zip archive ({error})") from None
    except OSError as error:
        raise ModelError(
            f"{archive}: cannot install into {destination_root}: {error.strerror or error}"
        ) from None
    replaced = [
        other
        for other in list_models(destination_root)
        if (other.from_code, other.to_code) == (model.from_code, model.to_code)
        and other.path != installed
    ]
    for other in replaced:
        logger.info("replacing %s with %s", other.name, installed.name)
        shutil.rmtree(other.path)
    _forget_argos_caches()
    logger.info("installed %s %s into %s", model.pair, installed.name, destination_root)
    return read_package(installed)


def remove_model(
    from_code: str, to_code: str, packages_dir: Path | str | None = None
) -> list[ModelInfo]:
    """Remove every installed package for a language pair and return what was removed."""
    removed = [
        model
        for model in list_models(packages_dir)
        if (model.from_code, model.to_code) == (from_code, to_code)
    ]
    if not removed:
        folder = resolve_packages_dir(packages_dir)
        raise ModelError(f"no {from_code}→{to_code} model is installed in {folder}")
    for model in removed:
        shutil.rmtree(model.path)
        logger.info("removed %s from %s", model.name, model.path.parent)
    _forget_argos_caches()
    return removed


def install_from_index(
    from_code: str, to_code: str, packages_dir: Path | str | None = None
) -> ModelInfo:
    """Download a package from the Argos package index and install it.

    Raises ModelError when the index cannot be reached (air-gapped machines install a
    ``.argosmodel`` file downloaded elsewhere instead) or has no such package.
    """
    import urllib.parse

    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings

    def offline() -> ModelError:
        return ModelError(
            f"cannot reach the Argos package index: download the {from_code}→{to_code} "
            f".argosmodel on a connected machine and install it with {INSTALL_HINT}"
        )

    index_url = urllib.parse.urlsplit(argos_settings.remote_package_index)
    default_port = 443 if index_url.scheme == "https" else 80
    # argostranslate swallows download errors and may wait on the network for a long time;
    # a short connection test gives a prompt, clear answer instead.
    if not _reachable(index_url.hostname or "", index_url.port or default_port):
        raise offline()
    argos_package.update_package_index()
    # Without an index file get_available_packages() retries forever.
    if not Path(argos_settings.local_package_index).is_file():
        raise offline()
    available = [
        candidate
        for candidate in argos_package.get_available_packages()
        if (candidate.from_code, candidate.to_code) == (from_code, to_code)
    ]
    if not available:
        raise ModelError(f"the Argos package index has no {from_code}→{to_code} package")
    newest = max(available, key=lambda candidate: _version_key(candidate.package_version))
    try:
        download = Path(newest.download())
    except Exception as error:  # argostranslate raises a bare Exception on download failure
        raise offline() from error
    try:
        return install_model_file(download, packages_dir)
    finally:
        download.unlink(missing_ok=True)


def _checked_members(bundle: zipfile.ZipFile, archive: Path) -> tuple[str, list[zipfile.ZipInfo]]:
    """The archive's single top folder and the members to extract, or ModelError."""
    tops: set[str] = set()
    members: list[zipfile.ZipInfo] = []
    for member in bundle.infolist():
        name = member.filename
        parts = PurePosixPath(name).parts
        if (
            not parts
            or name.startswith("/")
            or "\\" in name
            or ":" in parts[0]
            or any(part in ("..", ".") for part in parts)
        ):
            raise ModelError(f"{archive}: unsafe path {name!r} in archive")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise ModelError(f"{archive}: symbolic link {name!r} in archive")
        tops.add(parts[0])
        if len(parts) > 1 and parts[1] in STRIPPED_FOLDERS:
            continue
        members.append(member)
    if len(tops) != 1:
        found = ", ".join(sorted(tops)) or "nothing"
        raise ModelError(
            f"{archive}: expected exactly one top folder in the archive, found {found}"
        )
    top = tops.pop()
    names = {member.filename for member in members}
    missing = [required for required in REQUIRED_FILES if f"{top}/{required}" not in names]
    if missing:
        raise ModelError(f"{archive}: not an Argos model, missing {', '.join(missing)}")
    if len(members) < len(bundle.infolist()):
        logger.warning("%s: leaving out its stanza/ folder (it would download data)", archive)
    return top, members


def _extract(
    bundle: zipfile.ZipFile, top: str, members: list[zipfile.ZipInfo], destination_root: Path
) -> Path:
    """Unpack into a staging folder, then move it into place, so no half package is visible."""
    destination = destination_root / top
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=destination_root))
    try:
        for member in members:
            target = staging / member.filename
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
        if destination.exists():
            shutil.rmtree(destination)
        (staging / top).rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination


def _parse_metadata(raw: bytes, where: Path) -> dict[str, object]:
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{where}: metadata.json is not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise ModelError(f"{where}: metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise ModelError(f"{where}: metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise _NotTranslationPackage(
            f"{where}: not a translation package (type {metadata['type']!r})"
        )
    return metadata


def _model_info(metadata: dict[str, object], path: Path) -> ModelInfo:
    def text(key: str) -> str:
        value = metadata.get(key, "")
        return value if isinstance(value, str) else str(value)

    return ModelInfo(
        from_code=text("from_code"),
        to_code=text("to_code"),
        path=path,
        package_version=text("package_version"),
        from_name=text("from_name"),
        to_name=text("to_name"),
        target_prefix=text("target_prefix"),
    )


def _version_key(version: str) -> tuple[int, ...]:
    """Order package versions such as ``1.9`` < ``1.10``; unparsable parts count as 0.

    >>> _version_key("1.10") > _version_key("1.9")
    True
    """
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def _forget_argos_caches() -> None:
    """Make an already imported argostranslate see the change of packages."""
    translate = sys.modules.get("argostranslate.translate")
    if translate is None:
        return
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()


def _argos_settings() -> dict[str, object]:
    settings_file = xdg_home("XDG_CONFIG_HOME", ".config") / "argos-translate" / "settings.json"
    try:
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def _reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=10):
            return True
    except OSError:
        return False
