"""Argos Translate models, run directly with CTranslate2 and SentencePiece.

An installed Argos package is a CTranslate2 model plus a SentencePiece model. Going through
argostranslate's ``translate()`` would split sentences again (bilingual has already segmented),
risk network downloads for its sentence splitter, and call CTranslate2 once per paragraph; here
the whole batch is encoded at once and decoded in length-sorted batches. The decoding settings
are argostranslate's (``replace_unknowns``, length penalty 0.2), so translations match it.
"""

from __future__ import annotations

import importlib.metadata
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import EngineUnavailable, ModelError
from ..model import EngineInfo
from ..models import INSTALL_HINT, ModelInfo, find_model, resolve_packages_dir
from .base import Engine, ProgressCallback

SOURCE_LANGUAGE = "fr"
TARGET_LANGUAGE = "en"

#: argostranslate's value; kept so that both give the same translations.
LENGTH_PENALTY = 0.2
#: Longest output, in tokens, for any input: a runaway decoder stops here.
MAX_DECODING_LENGTH = 512


class ArgosEngine(Engine):
    name = "argos"
    OPTIONS = (
        "beam_size",
        "packages_dir",
        "max_batch_size",
        "intra_threads",
        "compute_type",
    )
    #: The pipeline sends this many characters per call: enough for full decoding batches,
    #: small enough for steady progress reports.
    batch_chars = 4000

    def __init__(
        self,
        beam_size: int = 4,
        packages_dir: Path | str | None = None,
        max_batch_size: int = 32,
        intra_threads: int = 1,
        compute_type: str = "auto",
    ) -> None:
        """``intra_threads`` is CTranslate2's threads per batch: on 2-core machines one thread
        measured 1.4-2x faster than two (bench/bench_argos.py). ``compute_type`` is
        CTranslate2's too: ``auto`` picks the fastest the CPU supports, e.g. int8."""
        if beam_size < 1 or max_batch_size < 1:
            raise ValueError("beam_size and max_batch_size must be at least 1")
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
        for start in range(0, len(order), self.max_batch_size):
            batch = order[start : start + self.max_batch_size]
            sources = [tokens[position] for position in batch]
            longest = max(len(source) for source in sources)
            try:
                outputs = translator.translate_batch(
                    sources,
                    target_prefix=[[prefix]] * len(sources) if prefix else None,
                    beam_size=self.beam_size,
                    max_batch_size=self.max_batch_size,
                    batch_type="examples",
                    max_decoding_length=min(2 * longest + 10, MAX_DECODING_LENGTH),
                    length_penalty=LENGTH_PENALTY,
                    replace_unknowns=True,
                )
            except RuntimeError as error:
                raise ModelError(f"{self.package.path}: CTranslate2 failed: {error}") from None
            hypotheses = [output.hypotheses[0] for output in outputs]
            if prefix:
                hypotheses = [
                    hypothesis[1:] if hypothesis[:1] == [prefix] else hypothesis
                    for hypothesis in hypotheses
                ]
            for position, translation in zip(batch, tokenizer.decode(hypotheses), strict=True):
                results[todo[position]] = translation.strip()
            if progress:
                progress(len(batch))
        return results

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
                inter_threads=1,
                intra_threads=self.intra_threads,
            )
        except (OSError, RuntimeError, ValueError) as error:
            raise ModelError(f"{path / 'model'}: cannot load the model: {error}") from None
        return translator, tokenizer
