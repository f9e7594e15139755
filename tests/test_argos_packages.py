"""Argos package management: install from a file, list, remove, refuse bad archives."""

from __future__ import annotations

import json
import logging
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2", reason="the Argos extra is not installed")

from argos_model import PACKAGE_NAME, build_copy_model, write_package_zip

from bilingual.engines.argos_packages import (
    ModelInfo,
    find_model,
    install_from_index,
    install_model_file,
    list_models,
    remove_model,
    resolve_packages_dir,
)
from bilingual.errors import ModelError


def package_files(archive: Path) -> dict[str, bytes]:
    """The copy model's files, relative to its top folder."""
    with zipfile.ZipFile(archive) as bundle:
        return {
            name.split("/", 1)[1]: bundle.read(name)
            for name in bundle.namelist()
            if not name.endswith("/")
        }


def repack(
    copy_model_file: Path,
    destination: Path,
    changes: dict[str, bytes | None] | None = None,
    top: str = PACKAGE_NAME,
) -> Path:
    """A variant of the copy model: ``changes`` maps a file to new content, or to None to
    leave it out."""
    files = package_files(copy_model_file)
    for name, content in (changes or {}).items():
        if content is None:
            files.pop(name)
        else:
            files[name] = content
    write_package_zip(destination, {f"{top}/{name}": data for name, data in files.items()})
    return destination


def test_install_list_find_and_remove(copy_model_file: Path, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    installed = install_model_file(copy_model_file, packages)

    assert installed == ModelInfo(
        from_code="fr",
        to_code="en",
        path=packages / PACKAGE_NAME,
        package_version="0.1",
        from_name="French",
        to_name="English",
    )
    assert installed.name == PACKAGE_NAME
    assert (installed.path / "model" / "model.bin").is_file()
    assert list_models(packages) == [installed]
    assert find_model("fr", "en", packages) == installed
    assert find_model("en", "fr", packages) is None
    assert [path.name for path in packages.iterdir()] == [PACKAGE_NAME]  # no staging left

    assert remove_model("fr", "en", packages) == [installed]
    assert list_models(packages) == []
    with pytest.raises(ModelError, match=f"no fr→en model is installed in {packages}"):
        remove_model("fr", "en", packages)


def test_missing_packages_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_models(tmp_path / "absent") == []
    assert find_model("fr", "en", tmp_path / "absent") is None


def test_reinstall_replaces_the_pair(copy_model_file: Path, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    install_model_file(copy_model_file, packages)
    install_model_file(copy_model_file, packages)
    newer = repack(
        copy_model_file,
        tmp_path / "newer.argosmodel",
        {
            "metadata.json": json.dumps(
                {"from_code": "fr", "to_code": "en", "package_version": "2.0"}
            ).encode()
        },
        top="translate-fr_en-2_0",
    )

    installed = install_model_file(newer, packages)

    assert list_models(packages) == [installed]
    assert (installed.name, installed.package_version) == ("translate-fr_en-2_0", "2.0")


def test_find_model_prefers_the_newest_version(copy_model_file: Path, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    for version in ("1.10", "1.9"):
        folder = packages / f"translate-fr_en-{version}"
        folder.mkdir(parents=True)
        metadata = {"from_code": "fr", "to_code": "en", "package_version": version}
        (folder / "metadata.json").write_text(json.dumps(metadata))

    found = find_model("fr", "en", packages)

    assert found is not None and found.package_version == "1.10"


def test_list_skips_folders_that_are_not_packages(
    copy_model_file: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    packages = tmp_path / "packages"
    installed = install_model_file(copy_model_file, packages)
    (packages / "leftovers").mkdir()
    (packages / "broken").mkdir()
    (packages / "broken" / "metadata.json").write_text("{not json")
    (packages / ".hidden").mkdir()
    (packages / "splitter").mkdir()
    (packages / "splitter" / "metadata.json").write_text(
        json.dumps({"from_code": "fr", "to_code": "fr", "type": "sbd"})
    )

    with caplog.at_level(logging.WARNING, logger="bilingual.engines.argos_packages"):
        assert list_models(packages) == [installed]

    assert "broken" in caplog.text and "leftovers" in caplog.text
    assert "splitter" not in caplog.text  # another kind of Argos package, not a problem


def test_stanza_folder_is_left_out(
    copy_model_file: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    archive = repack(
        copy_model_file, tmp_path / "with-splitter.argosmodel", {"stanza/resources.json": b"{}"}
    )

    with caplog.at_level(logging.WARNING, logger="bilingual.engines.argos_packages"):
        installed = install_model_file(archive, tmp_path / "packages")

    assert not (installed.path / "stanza").exists()
    assert (installed.path / "minisbd").is_dir()
    assert "stanza" in caplog.text


def test_not_a_zip_names_the_file(tmp_path: Path) -> None:
    archive = tmp_path / "broken.argosmodel"
    archive.write_bytes(b"this is not a zip archive")

    with pytest.raises(ModelError, match=r"broken\.argosmodel: not a valid \.argosmodel zip"):
        install_model_file(archive, tmp_path / "packages")
    assert not (tmp_path / "packages").exists()


def test_truncated_zip_is_refused(copy_model_file: Path, tmp_path: Path) -> None:
    archive = tmp_path / "truncated.argosmodel"
    archive.write_bytes(copy_model_file.read_bytes()[:-100])

    with pytest.raises(ModelError, match=r"truncated\.argosmodel"):
        install_model_file(archive, tmp_path / "packages")


def test_corrupted_member_is_refused_and_nothing_is_left(
    copy_model_file: Path, tmp_path: Path
) -> None:
    data = bytearray(copy_model_file.read_bytes())
    with zipfile.ZipFile(copy_model_file) as bundle:
        member = bundle.getinfo(f"{PACKAGE_NAME}/model/model.bin")
    middle = member.header_offset + 100 + member.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    archive = tmp_path / "damaged.argosmodel"
    archive.write_bytes(bytes(data))
    packages = tmp_path / "packages"

    with pytest.raises(ModelError, match=r"damaged\.argosmodel"):
        install_model_file(archive, packages)
    assert list(packages.iterdir()) == []


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"nothing\.argosmodel: no such file"):
        install_model_file(tmp_path / "nothing.argosmodel", tmp_path / "packages")


@pytest.mark.parametrize(
    "evil_name",
    [
        f"{PACKAGE_NAME}/../escaped.txt",
        "/tmp/absolute.txt",
        f"{PACKAGE_NAME}\\..\\escaped.txt",
        "C:/escaped.txt",
    ],
)
def test_path_traversal_is_refused(copy_model_file: Path, tmp_path: Path, evil_name: str) -> None:
    archive = tmp_path / "evil.argosmodel"
    files = {
        f"{PACKAGE_NAME}/{name}": data for name, data in package_files(copy_model_file).items()
    }
    files[evil_name] = b"gotcha"
    with zipfile.ZipFile(archive, "w") as bundle:
        for name, data in files.items():
            bundle.writestr(zipfile.ZipInfo(name), data)  # ZipInfo keeps the name as given

    with pytest.raises(ModelError, match=r"evil\.argosmodel: unsafe path"):
        install_model_file(archive, tmp_path / "packages")
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "packages").exists()


def test_symbolic_link_is_refused(copy_model_file: Path, tmp_path: Path) -> None:
    archive = repack(copy_model_file, tmp_path / "link.argosmodel")
    link = zipfile.ZipInfo(f"{PACKAGE_NAME}/model/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "a") as bundle:
        bundle.writestr(link, "/etc/passwd")

    with pytest.raises(ModelError, match=r"link\.argosmodel: symbolic link"):
        install_model_file(archive, tmp_path / "packages")


def test_missing_metadata_is_refused(copy_model_file: Path, tmp_path: Path) -> None:
    archive = repack(copy_model_file, tmp_path / "nometa.argosmodel", {"metadata.json": None})

    with pytest.raises(
        ModelError, match=r"nometa\.argosmodel: not an Argos model, missing metadata"
    ):
        install_model_file(archive, tmp_path / "packages")


@pytest.mark.parametrize(
    ("metadata", "problem"),
    [
        (b"{oops", "metadata.json is not valid JSON"),
        (b"[]", "metadata.json is not a JSON object"),
        (json.dumps({"from_code": "fr"}).encode(), "metadata.json has no to_code"),
        (json.dumps({"to_code": "en"}).encode(), "metadata.json has no from_code"),
        (
            json.dumps({"from_code": "fr", "to_code": "en", "type": "sbd"}).encode(),
            "not a translation package",
        ),
    ],
)
def test_bad_metadata_is_refused(
    copy_model_file: Path, tmp_path: Path, metadata: bytes, problem: str
) -> None:
    archive = repack(copy_model_file, tmp_path / "badmeta.argosmodel", {"metadata.json": metadata})

    with pytest.raises(ModelError, match=rf"badmeta\.argosmodel: {problem}"):
        install_model_file(archive, tmp_path / "packages")


@pytest.mark.parametrize(
    "required", ["model/model.bin", "model/config.json", "sentencepiece.model"]
)
def test_missing_model_files_are_refused(
    copy_model_file: Path, tmp_path: Path, required: str
) -> None:
    archive = repack(copy_model_file, tmp_path / "partial.argosmodel", {required: None})

    with pytest.raises(ModelError, match=r"partial\.argosmodel: not an Argos model, missing"):
        install_model_file(archive, tmp_path / "packages")


def test_two_top_folders_are_refused(copy_model_file: Path, tmp_path: Path) -> None:
    archive = repack(copy_model_file, tmp_path / "two.argosmodel")
    with zipfile.ZipFile(archive, "a") as bundle:
        bundle.writestr("other/README.md", "hello")

    with pytest.raises(ModelError, match=r"two\.argosmodel: expected exactly one top folder"):
        install_model_file(archive, tmp_path / "packages")


def test_packages_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert resolve_packages_dir() == tmp_path / "data" / "argos-translate" / "packages"

    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-settings")}))
    assert resolve_packages_dir() == tmp_path / "from-settings"

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "from-env"))
    assert resolve_packages_dir() == tmp_path / "from-env"
    assert resolve_packages_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_install_from_index_offline_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def unreachable(address: object, *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)

    with pytest.raises(ModelError) as raised:
        install_from_index("fr", "en", tmp_path / "packages")

    message = str(raised.value)
    assert "\n" not in message
    assert "cannot reach the Argos package index" in message
    assert "`bilingual models install FILE.argosmodel`" in message
    assert attempts, "the index host should have been tried"
    assert not (tmp_path / "packages").exists()


def test_library_import_is_light() -> None:
    """Importing the model and engine modules, and asking for availability, loads no ML."""
    code = (
        "import sys, bilingual.engines.argos_packages, bilingual.engines.argos as argos\n"
        "argos.ArgosEngine.is_available()\n"
        "heavy = [m for m in ('torch', 'argostranslate', 'ctranslate2', 'sentencepiece')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_copy_model_builds_quickly_and_reproducibly(copy_model_file: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    rebuilt = build_copy_model(tmp_path)
    elapsed = time.perf_counter() - started

    assert rebuilt.read_bytes() == copy_model_file.read_bytes()
    assert elapsed < 5
