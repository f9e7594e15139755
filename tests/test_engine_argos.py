"""The Argos engine, on a model built by the tests that copies its input."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import NoReturn

import pytest

pytest.importorskip("ctranslate2", reason="the Argos extra is not installed")

from argos_model import PACKAGE_NAME, french_sentences

from bilingual.document import EngineInfo
from bilingual.engines import get_engine
from bilingual.engines.argos import ArgosEngine
from bilingual.engines.argos_packages import ModelInfo, install_model_file, remove_model
from bilingual.errors import EngineUnavailable, ModelError

SENTENCE = "Le modèle de Meta est ouvert."


def engine_for(model: ModelInfo, **options: object) -> ArgosEngine:
    return ArgosEngine(packages_dir=model.path.parent, intra_threads=1, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("beam_size", [1, 4])
def test_copies_a_batch_in_order(
    copy_model: ModelInfo, no_network: list[str], beam_size: int
) -> None:
    sentences = [SENTENCE, *french_sentences(70, seed=3)]
    engine = engine_for(copy_model, beam_size=beam_size, max_batch_size=16)

    assert engine.translate(sentences) == sentences


def test_closing_unloads_the_model_until_the_next_batch(
    copy_model: ModelInfo, no_network: list[str]
) -> None:
    engine = engine_for(copy_model)
    assert engine.translate([SENTENCE]) == [SENTENCE]
    engine.close()
    assert engine._loaded is None
    assert engine.translate([SENTENCE]) == [SENTENCE]


def test_parallel_batches_keep_order_and_report_progress_in_order(
    copy_model: ModelInfo, no_network: list[str]
) -> None:
    # More batches than the engine queues at once, decoded two at a time.
    sentences = french_sentences(70, seed=6)
    engine = engine_for(copy_model, max_batch_size=4, inter_threads=2)
    reported: list[int] = []

    assert engine.translate(sentences, reported.append) == sentences
    assert reported == [4] * 17 + [2]


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (16, 2)])
def test_inter_threads_default_to_the_usable_cores_up_to_two(
    copy_model: ModelInfo, monkeypatch: pytest.MonkeyPatch, cores: int, expected: int
) -> None:
    monkeypatch.setattr("bilingual.engines.argos.usable_cores", lambda: cores)

    assert engine_for(copy_model).inter_threads == expected
    assert engine_for(copy_model, inter_threads=3).inter_threads == 3


def test_invalid_thread_counts_are_refused(copy_model: ModelInfo) -> None:
    with pytest.raises(ValueError, match="inter_threads"):
        engine_for(copy_model, inter_threads=0)


def test_empty_and_blank_segments_are_not_sent(
    copy_model: ModelInfo, no_network: list[str]
) -> None:
    engine = engine_for(copy_model)
    reported: list[int] = []

    translations = engine.translate(["", SENTENCE, "   ", "\n", "Bonjour !"], reported.append)

    assert translations == ["", SENTENCE, "", "", "Bonjour !"]
    assert sum(reported) == 5
    assert engine.translate([]) == []
    assert engine.translate(["", " "]) == ["", ""]


def test_progress_is_reported_per_batch(copy_model: ModelInfo, no_network: list[str]) -> None:
    engine = engine_for(copy_model, max_batch_size=8)
    reported: list[int] = []

    engine.translate(french_sentences(20, seed=4), reported.append)

    assert reported == [8, 8, 4]


def test_wrapped_lines_are_one_sentence(copy_model: ModelInfo, no_network: list[str]) -> None:
    engine = engine_for(copy_model)

    assert engine.translate(["  Le modèle\nde Meta\test ouvert.  "]) == [SENTENCE]


def test_unknown_characters_are_carried_over(copy_model: ModelInfo, no_network: list[str]) -> None:
    # "☃" is not in the vocabulary: replace_unknowns puts the source piece back.
    engine = engine_for(copy_model)

    assert engine.translate(["Un ☃ inconnu."]) == ["Un ☃ inconnu."]


def test_info_names_the_package(copy_model: ModelInfo) -> None:
    assert engine_for(copy_model).info() == EngineInfo(
        "argos", importlib.metadata.version("argostranslate"), f"{PACKAGE_NAME} 0.1"
    )


def test_get_engine_passes_known_options(copy_model: ModelInfo, no_network: list[str]) -> None:
    engine = get_engine(
        "argos",
        beam_size=1,
        inter_threads=1,
        packages_dir=copy_model.path.parent,
        executable="ignored",
    )

    assert isinstance(engine, ArgosEngine)
    assert engine.beam_size == 1
    assert engine.inter_threads == 1
    assert engine.translate([SENTENCE]) == [SENTENCE]


def test_target_prefix_is_forced_and_removed(copy_model: ModelInfo, no_network: list[str]) -> None:
    metadata_path = copy_model.path / "metadata.json"
    metadata = json.loads(metadata_path.read_text())
    metadata["target_prefix"] = "▁Le"
    metadata_path.write_text(json.dumps(metadata))

    # The copy model emits the forced "▁Le" at step 0 and then copies from step 1 on; the
    # prefix must not reach the translation.
    assert engine_for(copy_model).translate([SENTENCE]) == ["modèle de Meta est ouvert."]


def test_no_model_is_unavailable_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable) as raised:
        ArgosEngine(packages_dir=tmp_path)

    message = str(raised.value)
    assert str(tmp_path) in message
    assert "`bilingual models install FILE.argosmodel`" in message


def test_corrupted_model_raises_model_error(copy_model: ModelInfo) -> None:
    (copy_model.path / "model" / "model.bin").write_bytes(b"garbage")
    engine = engine_for(copy_model)

    with pytest.raises(ModelError, match=r"model: cannot load the model"):
        engine.translate([SENTENCE])


def test_decoding_errors_raise_model_error(
    copy_model: ModelInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Queued batches report their errors only when their results are collected.
    engine = engine_for(copy_model)
    _, tokenizer = engine._load()

    class Failed:
        def result(self) -> NoReturn:
            raise RuntimeError("out of memory")

    def translate_batch(sources: list[list[str]], **options: object) -> list[Failed]:
        assert options["asynchronous"] is True
        return [Failed() for _ in sources]

    monkeypatch.setattr(
        engine, "_loaded", (SimpleNamespace(translate_batch=translate_batch), tokenizer)
    )

    with pytest.raises(ModelError, match="CTranslate2 failed: out of memory"):
        engine.translate([SENTENCE])


def test_is_available_follows_install_and_remove(
    copy_model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path))
    assert not ArgosEngine.is_available()

    install_model_file(copy_model_file)
    assert ArgosEngine.is_available()

    remove_model("fr", "en")
    assert not ArgosEngine.is_available()


@pytest.fixture
def argos_installed_copy_model(copy_model_file: Path) -> Iterator[None]:
    """The copy model installed the way argostranslate itself does it (into the sandbox that
    tests/conftest.py set up), removed afterwards."""
    from argostranslate import package, settings

    package.install_from_path(copy_model_file)
    yield
    remove_model("fr", "en", settings.package_data_dir)  # also clears argostranslate's caches


def test_argostranslate_translates_the_copy_model_offline(
    argos_installed_copy_model: None, copy_model: ModelInfo, no_network: list[str]
) -> None:
    """The reference the benchmark compares against works here, and agrees with the engine."""
    from argostranslate import translate

    paragraph = f"{SENTENCE} Il est prêt ! Vraiment…"
    sentences = french_sentences(5, seed=5)

    assert translate.translate(paragraph, "fr", "en") == paragraph
    reference = [translate.translate(sentence, "fr", "en") for sentence in sentences]
    assert reference == sentences
    assert engine_for(copy_model).translate(sentences) == reference


def test_engine_ignores_the_package_sentence_splitter(
    copy_model: ModelInfo, no_network: list[str]
) -> None:
    shutil.rmtree(copy_model.path / "minisbd")

    assert engine_for(copy_model).translate([SENTENCE]) == [SENTENCE]
