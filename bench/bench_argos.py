"""Throughput of the Argos engine against argostranslate's own per-sentence ``translate()``.

Both run the copy model that the tests build (tests/argos_model.py) on the same generated French
sentences at beam size 4, after a warm-up call that loads the models. The contenders take turns,
so a busy machine slows them alike; each one's best and median runs are shown, with CPU time
(the steadier measure on a shared machine, and the fair one when contenders use different
numbers of cores). The baseline is argostranslate pinned to one CTranslate2 thread, the fairest
setting for it: at its default thread count it is many times slower per sentence on a few
cores (timed once, on a sample). Argos's files go to a temporary folder; nothing touches the
network.

    .venv/bin/python bench/bench_argos.py                       # tiny model, 500 sentences
    .venv/bin/python bench/bench_argos.py --layers 6 --ffn 2048 --sentences 100
        # same copy behaviour at the computing cost of a base-sized Transformer
    .venv/bin/python bench/bench_argos.py --sweep               # also other engine settings
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEAM_SIZE = 4
#: Sentences given to argostranslate at its default thread count (tens of times slower).
PROBE_SENTENCES = 20

Translate = Callable[[list[str]], list[str]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--layers", type=int, default=1, help="encoder and decoder layers")
    parser.add_argument("--ffn", type=int, default=1, help="feed-forward width")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="also time the engine at other batch sizes, thread counts and compute types",
    )
    arguments = parser.parse_args()

    sandbox = Path(tempfile.mkdtemp(prefix="bilingual-bench-argos-"))
    try:
        run(sandbox, arguments)
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)


def run(sandbox: Path, arguments: argparse.Namespace) -> None:
    # argostranslate reads these once, when first imported; the caller's own Argos settings
    # would change the baseline.
    for variable in [name for name in os.environ if name.startswith("ARGOS_")]:
        del os.environ[variable]
    os.environ.update(
        {
            "ARGOS_PACKAGES_DIR": str(sandbox / "argos-packages"),
            "XDG_DATA_HOME": str(sandbox / "data"),
            "XDG_CONFIG_HOME": str(sandbox / "config"),
            "XDG_CACHE_HOME": str(sandbox / "cache"),
            "ARGOS_BEAM_SIZE": str(BEAM_SIZE),
        }
    )
    sys.path.insert(0, str(ROOT / "tests"))
    from argos_model import build_copy_model, french_sentences

    from bilingual.engines.argos import ArgosEngine
    from bilingual.engines.argos_packages import install_model_file

    layers = (arguments.layers, arguments.layers)
    archive = build_copy_model(sandbox / "model", num_layers=layers, ffn_dim=arguments.ffn)
    packages = sandbox / "engine-packages"
    install_model_file(archive, packages)
    sentences = french_sentences(arguments.sentences, seed=2024)

    started = time.perf_counter()
    from argostranslate import package

    package.install_from_path(archive)
    argos_import = time.perf_counter() - started

    defaults = ArgosEngine(packages_dir=packages)
    assert defaults.beam_size == BEAM_SIZE
    baseline = "argostranslate translate() per sentence, 1 thread"
    contenders: dict[str, Translate] = {baseline: argos_per_sentence(intra_threads=1)}
    ours = (
        f"ArgosEngine, project defaults ({defaults.inter_threads} batch(es) of "
        f"{defaults.max_batch_size} at once, {defaults.intra_threads} thread(s) each, "
        f"{defaults.compute_type})"
    )
    contenders[ours] = defaults.translate
    in_pipeline = f"ArgosEngine, defaults, in the pipeline's {defaults.batch_chars}-character calls"
    contenders[in_pipeline] = in_calls_of(defaults.translate, defaults.batch_chars)
    one_core = "ArgosEngine, defaults on one core (inter_threads=1)"
    contenders[one_core] = ArgosEngine(packages_dir=packages, inter_threads=1).translate
    if arguments.sweep:
        for label, options in sweep(len(os.sched_getaffinity(0))):
            engine = ArgosEngine(packages_dir=packages, **options)
            contenders[f"ArgosEngine, {label}"] = engine.translate

    print(
        f"{len(sentences)} sentences, copy model with {arguments.layers}+{arguments.layers} "
        f"layers and feed-forward width {arguments.ffn}, beam {BEAM_SIZE}, "
        f"{len(os.sched_getaffinity(0))} usable core(s), {arguments.repeats} runs each"
    )
    print(f"(importing argostranslate, torch included: {argos_import:.1f} s, not counted)")
    # At its default thread count argostranslate is too slow per sentence to run in full.
    sample = sentences[:PROBE_SENTENCES]
    probe_wall, probe_cpu = timings(
        {"default threads": argos_per_sentence(intra_threads=None)}, sample, repeats=1
    )
    wall, cpu = timings(contenders, sentences, arguments.repeats)
    count = len(sentences)
    default_rate = len(sample) / probe_wall["default threads"][0]
    print(
        f"  argostranslate translate() per sentence, its default threads, on {len(sample)} "
        f"sentences: {default_rate:,.0f} sentences/s (CPU {probe_cpu['default threads'][0]:.3f} s)"
    )
    for label in contenders:
        print(
            f"  {label}: best {count / min(wall[label]):,.0f} sentences/s, "
            f"median {count / statistics.median(wall[label]):,.0f} "
            f"(wall {min(wall[label]):.3f} s, CPU {min(cpu[label]):.3f} s)"
        )
    if default_rate > count / min(wall[baseline]):
        print("warning: argostranslate was faster at its default threads, the fairer baseline")
    for label, settings in ((ours, "at the project defaults"), (one_core, "on one core")):
        best = min(wall[baseline]) / min(wall[label])
        median = statistics.median(wall[baseline]) / statistics.median(wall[label])
        print(
            f"speed-up {settings}: {best:.2f}x best wall time, {median:.2f}x median, "
            f"{min(cpu[baseline]) / min(cpu[label]):.2f}x CPU time (target: 1.5x or more)"
        )


def argos_per_sentence(intra_threads: int | None) -> Translate:
    """argostranslate's ``translate()`` called once per sentence, its CTranslate2 translator
    built with ``intra_threads`` (``None``: argostranslate's default)."""
    from argostranslate import settings, translate

    # argostranslate builds its translator on first use, from its settings at that moment;
    # each contender keeps its own and puts it back before its runs.
    underlying: Any = translate.get_translation_from_codes("fr", "en").underlying
    if intra_threads is not None:
        settings.intra_threads, default = intra_threads, settings.intra_threads
    underlying.translator = None
    underlying.hypotheses("Bonjour.", 1)  # translate() might answer from its cache instead
    translator = underlying.translator
    if intra_threads is not None:
        settings.intra_threads = default

    def run(texts: list[str]) -> list[str]:
        underlying.translator = translator
        return [translate.translate(text, "fr", "en") for text in texts]

    return run


def in_calls_of(translate: Translate, batch_chars: int) -> Translate:
    """``translate`` called on successive slices of at most ``batch_chars`` characters, as
    bilingual's pipeline does."""

    def run(texts: list[str]) -> list[str]:
        results: list[str] = []
        start = 0
        while start < len(texts):
            end, size = start + 1, len(texts[start])
            while end < len(texts) and size + len(texts[end]) <= batch_chars:
                size += len(texts[end])
                end += 1
            results += translate(texts[start:end])
            start = end
        return results

    return run


def sweep(cores: int) -> list[tuple[str, dict[str, Any]]]:
    """Engine settings around the defaults: batch sizes, thread layouts, compute types."""
    settings: list[tuple[str, dict[str, Any]]] = []
    for inter_threads in sorted({1, cores}):
        for max_batch_size in (4, 16, 32, 64):
            settings.append(
                (
                    f"batches of {max_batch_size}, inter_threads={inter_threads}",
                    {"max_batch_size": max_batch_size, "inter_threads": inter_threads},
                )
            )
    if cores > 1:
        settings.append(
            (
                f"one batch at a time on {cores} threads",
                {"inter_threads": 1, "intra_threads": cores},
            )
        )
    for compute_type in ("int8", "float32", "int16"):
        settings.append((f"compute_type={compute_type}", {"compute_type": compute_type}))
    return settings


def timings(
    contenders: dict[str, Translate], sentences: list[str], repeats: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU times of ``repeats`` runs of each contender, taking turns."""
    for translate in contenders.values():
        translate(["Le modèle de Meta est ouvert."])  # loads the models: not what is measured
    wall: dict[str, list[float]] = {label: [] for label in contenders}
    cpu: dict[str, list[float]] = {label: [] for label in contenders}
    for _ in range(repeats):
        for label, translate in contenders.items():
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            output = translate(sentences)
            wall[label].append(time.perf_counter() - wall_start)
            cpu[label].append(time.process_time() - cpu_start)
            if output != sentences:
                raise SystemExit(f"{label}: the copy model did not copy its input")
    return wall, cpu


if __name__ == "__main__":
    main()
