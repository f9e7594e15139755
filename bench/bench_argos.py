"""Throughput of the Argos engine against argostranslate's own per-sentence ``translate()``.

Both run the copy model that the tests build (tests/argos_model.py) on the same generated French
sentences, after a warm-up call that loads the models; the contenders take turns, so a busy
machine slows them alike, and the best run of each counts. CPU time is shown too: on a shared
machine it is the steadier measure for the one-thread contenders. Argos's files go to a
temporary folder; nothing touches the network.

    .venv/bin/python bench/bench_argos.py                       # tiny model, 500 sentences
    .venv/bin/python bench/bench_argos.py --layers 6 --ffn 2048 --sentences 100
        # same copy behaviour at the computing cost of a base-sized Transformer
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEAM_SIZE = 4

Translate = Callable[[list[str]], list[str]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--layers", type=int, default=1, help="encoder and decoder layers")
    parser.add_argument("--ffn", type=int, default=1, help="feed-forward width")
    arguments = parser.parse_args()

    sandbox = Path(tempfile.mkdtemp(prefix="bilingual-bench-argos-"))
    try:
        run(sandbox, arguments)
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)


def run(sandbox: Path, arguments: argparse.Namespace) -> None:
    # argostranslate reads these once, when first imported.
    os.environ.update(
        {
            "ARGOS_PACKAGES_DIR": str(sandbox / "argos-packages"),
            "XDG_DATA_HOME": str(sandbox / "data"),
            "XDG_CONFIG_HOME": str(sandbox / "config"),
            "XDG_CACHE_HOME": str(sandbox / "cache"),
            "ARGOS_BEAM_SIZE": str(BEAM_SIZE),
            "ARGOS_INTRA_THREADS": "1",
        }
    )
    sys.path.insert(0, str(ROOT / "tests"))
    from argos_model import build_copy_model, french_sentences

    from bilingual.engines.argos import ArgosEngine
    from bilingual.models import install_model_file

    layers = (arguments.layers, arguments.layers)
    archive = build_copy_model(sandbox / "model", num_layers=layers, ffn_dim=arguments.ffn)
    packages = sandbox / "engine-packages"
    install_model_file(archive, packages)
    sentences = french_sentences(arguments.sentences, seed=2024)

    started = time.perf_counter()
    from argostranslate import package, translate

    package.install_from_path(archive)
    argos_import = time.perf_counter() - started

    def argos_per_sentence(texts: list[str]) -> list[str]:
        return [translate.translate(text, "fr", "en") for text in texts]

    same_settings = ArgosEngine(beam_size=BEAM_SIZE, packages_dir=packages, intra_threads=1)
    defaults = ArgosEngine(packages_dir=packages)
    cores = len(os.sched_getaffinity(0))
    all_cores = ArgosEngine(beam_size=BEAM_SIZE, packages_dir=packages, intra_threads=cores)
    contenders: dict[str, Translate] = {
        f"argostranslate translate() per sentence, beam {BEAM_SIZE}, 1 thread": argos_per_sentence,
        f"bilingual ArgosEngine, beam {BEAM_SIZE}, 1 thread": same_settings.translate,
        f"bilingual ArgosEngine, defaults (beam {defaults.beam_size}, "
        f"{defaults.intra_threads} thread(s), batches of {defaults.max_batch_size})": (
            defaults.translate
        ),
        f"bilingual ArgosEngine, beam {BEAM_SIZE}, {cores} threads (all cores)": (
            all_cores.translate
        ),
    }

    print(
        f"{len(sentences)} sentences, copy model with {arguments.layers}+{arguments.layers} "
        f"layers and feed-forward width {arguments.ffn}, best of {arguments.repeats} runs"
    )
    print(f"(importing argostranslate, torch included: {argos_import:.1f} s, not counted)")
    wall, cpu = best_times(contenders, sentences, arguments.repeats)
    for label in contenders:
        print(
            f"  {label}: {len(sentences) / wall[label]:,.0f} sentences/s "
            f"(wall {wall[label]:.3f} s, CPU {cpu[label]:.3f} s)"
        )
    argos, ours, *_ = contenders
    print(
        f"speed-up at the same settings: {wall[argos] / wall[ours]:.2f}x wall time, "
        f"{cpu[argos] / cpu[ours]:.2f}x CPU time (target: 1.5x or more)"
    )


def best_times(
    contenders: dict[str, Translate], sentences: list[str], repeats: int
) -> tuple[dict[str, float], dict[str, float]]:
    """The shortest wall and CPU times of ``repeats`` runs of each contender, taking turns."""
    for translate in contenders.values():
        translate(["Le modèle de Meta est ouvert."])  # loads the models: not what is measured
    wall = dict.fromkeys(contenders, float("inf"))
    cpu = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeats):
        for label, translate in contenders.items():
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            output = translate(sentences)
            wall[label] = min(wall[label], time.perf_counter() - wall_start)
            cpu[label] = min(cpu[label], time.process_time() - cpu_start)
            if output != sentences:
                raise SystemExit(f"{label}: the copy model did not copy its input")
    return wall, cpu


if __name__ == "__main__":
    main()
