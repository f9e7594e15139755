"""Argos Translate models, run directly with CTranslate2 and SentencePiece.

An installed Argos package is a CTranslate2 model plus a SentencePiece model. Going through
argostranslate's ``translate()`` would split sentences again (bilingual has already segmented),
risk network downloads for its sentence splitter, and call CTranslate2 once per paragraph; here
the whole batch is encoded at once and decoded in length-sorted batches, several at a time on
machines with more than one core. The decoding settings are argostranslate's
(``replace_unknowns``, length penalty 0.2), so translations match it.
"""

from __future__ import annotations

import importlib.metadata
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..document import EngineInfo
from ..errors import EngineUnavailable, ModelError
from ..parallel import usable_cores
from .argos_packages import INSTALL_HINT, ModelInfo, find_model, resolve_packages_dir
from .base import Engine, ProgressCallback

SOURCE_LANGUAGE = "fr"
TARGET_LANGUAGE = "en"

#: argostranslate's value; kept so that both give the same translations.
LENGTH_PENALTY = 0.2
#: Longest output, in tokens, for any input: a runaway decoder stops here.
MAX_DECODING_LENGTH = 512
#: Default cap on batches decoded in parallel (``inter_threads``): measured on 2 cores only.
MAX_DEFAULT_INTER_THREADS = 2


class ArgosEngine(Engine):
    name = "argos"
    options = (
        "beam_size",
        "packages_dir",
        "max_batch_size",
        "inter_threads",
        "intra_threads",
        "compute_type",
    )
    #: The pipeline sends this many characters per call: enough for several decoding batches
    #: per worker, small enough for steady progress reports.
    batch_chars = 4000

    def __init__(
        self,
        beam_size: int = 4,
        packages_dir: Path | str | None = None,
        max_batch_size: int = 8,
        inter_threads: int | None = None,
        intra_threads: int = 1,
        compute_type: str = "auto",
    ) -> None:
        """The speed settings are CTranslate2's. The defaults were the fastest measured by
        bench/bench_argos.py on a 2-core machine, on the tests' copy model and on a base-sized
        (6+6 layers) one:

        * ``max_batch_size`` (sentences per batch) 8: on the base-sized model 10% faster than
          16 and 25% faster than 32, as the beam search's per-step state fits the CPU caches;
          as fast as 16 on the copy model;
        * ``inter_threads`` (batches decoded at once) the usable cores, at most 2, with
          ``intra_threads`` (threads per batch) 1: two batches at once nearly double the
          throughput, while two threads on one small batch were several times slower than one;
        * ``compute_type`` ``auto``: int8 weights where the CPU supports them, 1.6x (copy
          model) to 3.4x (base-sized) faster than float32.
        """
        if beam_size < 1 or max_batch_size < 1:
            raise ValueError("beam_size and max_batch_size must be at least 1")
        if inter_threads is None:
            inter_threads = min(MAX_DEFAULT_INTER_THREADS, usable_cores())
        if inter_threads < 1 or intra_threads < 0:
            raise ValueError("inter_threads must be at least 1 and intra_threads at least 0")
        self.packages_dir = resolve_packages_dir(packages_dir)
        package = find_model(SOURCE_LANGUAGE, TARGET_LANGUAGE, self.packages_dir)
        if package is None:
            raise EngineUnavailable(
                f"no Argos {SOURCE_LANGUAGE}→{TARGET_LANGUAGE} model is installed in "
                f"{self.packages_dir}; install one with {INSTALL_HINT}"
            )
        self.package: ModelInfo = package
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.compute_type = compute_type
        self._loaded: tuple[Any, Any] | None = None  # (Translator, SentencePieceProcessor)
        self._load_lock = threading.Lock()

    @classmethod
    def is_available(cls) -> bool:
        return find_model(SOURCE_LANGUAGE, TARGET_LANGUAGE) is not None

    def info(self) -> EngineInfo:
        try:
            version = importlib.metadata.version("argostranslate")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        model = self.package.name
        if self.package.package_version:
            model = f"{model} {self.package.package_version}"
        return EngineInfo(self.name, version, model)

    def translate(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        results = [""] * len(texts)
        # A segment is one sentence even if the source wrapped it over several lines.
        clean = [" ".join(text.split()) for text in texts]
        todo = [index for index, text in enumerate(clean) if text]
        if progress and len(todo) < len(texts):
            progress(len(texts) - len(todo))
        if not todo:
            return results
        translator, tokenizer = self._load()
        tokens = tokenizer.encode([clean[index] for index in todo], out_type=str)
        # Similar lengths in one batch waste less padding, and each batch gets a decoding bound
        # that fits its own inputs.
        order = sorted(range(len(todo)), key=lambda position: len(tokens[position]))
        prefix = self.package.target_prefix

        def submit(batch: list[int]) -> tuple[list[int], list[Any]]:
            sources = [tokens[position] for position in batch]
            longest = max(len(source) for source in sources)
            try:
                return batch, translator.translate_batch(
                    sources,
                    target_prefix=[[prefix]] * len(sources) if prefix else None,
                    asynchronous=True,
                    beam_size=self.beam_size,
                    max_decoding_length=min(2 * longest + 10, MAX_DECODING_LENGTH),
                    length_penalty=LENGTH_PENALTY,
                    replace_unknowns=True,
                )
            except RuntimeError as error:
                raise self._failed(error) from None

        def collect(batch: list[int], outputs: list[Any]) -> None:
            try:
                hypotheses = [output.result().hypotheses[0] for output in outputs]
            except RuntimeError as error:  # the decoding's own error, raised when waited for
                raise self._failed(error) from None
            if prefix:
                hypotheses = [
                    hypothesis[1:] if hypothesis[:1] == [prefix] else hypothesis
                    for hypothesis in hypotheses
                ]
            for position, translation in zip(batch, tokenizer.decode(hypotheses), strict=True):
                results[todo[position]] = translation.strip()
            if progress:
                progress(len(batch))

        # Batches are queued asynchronously, so that each of the translator's inter_threads
        # workers always has one to decode, and collected in order. The window is bounded so
        # that progress reports keep coming while later batches wait to be queued.
        window = 2 * self.inter_threads
        queued: deque[tuple[list[int], list[Any]]] = deque()
        for start in range(0, len(order), self.max_batch_size):
            queued.append(submit(order[start : start + self.max_batch_size]))
            if len(queued) > window:
                collect(*queued.popleft())
        while queued:
            collect(*queued.popleft())
        return results

    def close(self) -> None:
        with self._load_lock:
            self._loaded = None

    def _failed(self, error: RuntimeError) -> ModelError:
        return ModelError(f"{self.package.path}: CTranslate2 failed: {error}")

    def _load(self) -> tuple[Any, Any]:
        with self._load_lock:
            if self._loaded is None:
                self._loaded = self._load_package()
            return self._loaded

    def _load_package(self) -> tuple[Any, Any]:
        import ctranslate2
        import sentencepiece

        path = self.package.path
        try:
            tokenizer = sentencepiece.SentencePieceProcessor(
                model_file=str(path / "sentencepiece.model")
            )
        except (OSError, RuntimeError) as error:
            raise ModelError(f"{path / 'sentencepiece.model'}: unreadable: {error}") from None
        try:
            translator = ctranslate2.Translator(
                str(path / "model"),
                device="cpu",
                compute_type=self.compute_type,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (OSError, RuntimeError, ValueError) as error:
            raise ModelError(f"{path / 'model'}: cannot load the model: {error}") from None
        return translator, tokenizer
