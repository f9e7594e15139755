"""One big book on one machine: a build of ``--large`` bytes against one of ``--small`` bytes
(time per MB and peak RSS), on distinct prose and on near-duplicate clauses, side by side.

For each text kind and size, two builds in a fresh process each, with Apertium, the repository's
glossary and a fresh SQLite memory:

* ``first``: everything ``bilingual build`` does (reading, segmentation, recall, translation,
  storing every batch, glossary and QA checks, fuzzy suggestions for every new segment, the
  HTML page, TMX, ``memory.tmx`` and ``index.html``);
* ``rebuild``: the same text again, every segment recalled from the memory (no engine work, no
  suggestions: the path whose cost is the pipeline's own).

Peak RSS is the largest of the build process and its children (the page writer runs in a forked
child). The ratio line says how much more each MB of the large text costs than each MB of the
small one: 1.00 means linear.

Run: .venv/bin/python bench/bench_bigbook.py [--small 1000000] [--large 30000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT
from texts import french_clauses, french_prose

BUILD = """
import json, resource, sys, time, logging
from pathlib import Path
from bilingual.pipeline import BuildConfig, build
stages = {}
class Stages(logging.Handler):
    def emit(self, record):
        name, _, seconds = record.getMessage().partition(": ")
        if name.startswith("stage "):
            stages[name[6:]] = float(seconds.split()[0])
log = logging.getLogger("bilingual.pipeline")
log.setLevel(logging.DEBUG)
log.addHandler(Stages())
text, work, glossary = map(Path, sys.argv[1:4])
started = time.perf_counter()
result = build([text], BuildConfig(output_dir=work / "out", engine="apertium",
               glossary_path=glossary, memory_path=work / "memory.sqlite"))
seconds = time.perf_counter() - started
peak = max(resource.getrusage(who).ru_maxrss for who in
           (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "stages": stages,
                  "translated": result.translated, "recalled": result.recalled}))
"""


def run(text: Path, work: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(text), str(work), str(ROOT / "glossary")],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--large", type=int, default=30_000_000)
    parser.add_argument("--kinds", default="prose,clauses")
    args = parser.parse_args()
    makers = {"prose": french_prose, "clauses": french_clauses}
    rows: dict[tuple[str, int, str], dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in (args.small, args.large):
            for kind in args.kinds.split(","):
                work = Path(folder) / f"{kind}-{size}"
                work.mkdir()
                text = work / f"{kind}.txt"
                text.write_text(makers[kind](size), encoding="utf-8")
                for build in ("first", "rebuild"):
                    rows[(kind, size, build)] = run(text, work)
                    rows[(kind, size, build)]["bytes"] = text.stat().st_size
    print(f"{'text':<8} {'MB':>6} {'build':<8} {'seconds':>8} {'s/MB':>7} {'peak MB':>8}  stages (s)")
    for (kind, size, build), row in rows.items():
        megabytes = float(row["bytes"]) / 1e6  # type: ignore[arg-type]
        seconds = float(row["seconds"])  # type: ignore[arg-type]
        stages = " ".join(f"{name} {value:.1f}" for name, value in row["stages"].items())  # type: ignore[attr-defined]
        print(f"{kind:<8} {megabytes:6.2f} {build:<8} {seconds:8.1f} {seconds / megabytes:7.1f} "
              f"{float(row['peak_mb']):8.0f}  {stages}")  # type: ignore[arg-type]
    for kind in args.kinds.split(","):
        for build in ("first", "rebuild"):
            small, large = rows[(kind, args.small, build)], rows[(kind, args.large, build)]
            per_mb = [float(r["seconds"]) / float(r["bytes"]) for r in (small, large)]  # type: ignore[arg-type]
            print(f"{kind} {build}: {args.large / 1e6:g} MB costs {per_mb[1] / per_mb[0]:.2f}x "
                  f"per MB what {args.small / 1e6:g} MB costs (1.00 = linear)")
    if "prose" in args.kinds and "clauses" in args.kinds:
        for size in (args.small, args.large):
            prose, clauses = rows[("prose", size, "first")], rows[("clauses", size, "first")]
            ratio = (float(clauses["seconds"]) / float(clauses["bytes"])) / (  # type: ignore[arg-type]
                float(prose["seconds"]) / float(prose["bytes"]))  # type: ignore[arg-type]
            print(f"{size / 1e6:g} MB first build: clauses cost {ratio:.2f}x per MB what prose "
                  "costs")


if __name__ == "__main__":
    main()
