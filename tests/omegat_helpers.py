"""Running the real OmegaT 3.6 (Debian ``omegat``) from tests.

:func:`translate_project` runs its console mode on a project and returns what OmegaT produced:
its segment counts (``omegat/project_stats.txt``), the translated files in ``target/`` and an
``omegat/project_save.tmx``, which console modes never write on their own (a Groovy script run
by OmegaT itself saves the project memory exactly as OmegaT's "Save" does).
:func:`segment_with_omegat` runs OmegaT's own segmenter class on paragraphs.

OmegaT exits 0 even when it cannot load a TMX: :func:`translate_project` reads its log.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from bilingual.exchange.xml import load_xml_safely
from bilingual.omegat_project import PROJECT_XML

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
JAVA = shutil.which("java")

needs_omegat = pytest.mark.skipif(
    JAVA is None or not OMEGAT_JAR.is_file(), reason="OmegaT 3.6 (Debian omegat) is not installed"
)

# Console modes load and compile a project but never save it; this script, run by OmegaT after
# compiling, writes the project memory the way RealProject.saveProject does.
_SAVE_SCRIPT = """\
import org.omegat.util.OConsts
if (eventType.toString() == "COMPILE") {
    def properties = project.getProjectProperties()
    def path = properties.getProjectInternal() + OConsts.STATUS_EXTENSION
    project.@projectTMX.save(properties, path, true)
}
"""

# OmegaT's Segmenter on one paragraph per input line; prints the number of segments, then them.
_SEGMENTER_JAVA = """\
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.omegat.core.segmentation.SRX;
import org.omegat.core.segmentation.Segmenter;
import org.omegat.util.Language;

public class SegmentWithOmegaT {
    public static void main(String[] args) throws Exception {
        SRX srx = SRX.loadSRX(new File(args[0]));
        Segmenter segmenter = new Segmenter();
        segmenter.setSRX(srx);
        Language french = new Language("fr");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                 new FileInputStream(args[1]), StandardCharsets.UTF_8));
             Writer out = new BufferedWriter(new OutputStreamWriter(
                 new FileOutputStream(args[2]), StandardCharsets.UTF_8))) {
            String paragraph;
            while ((paragraph = in.readLine()) != null) {
                StringBuilder kept = new StringBuilder();
                int count = 0;
                for (String segment : segmenter.segment(french, paragraph, null, null)) {
                    if (segment.trim().isEmpty()) continue;  // as ParseEntry drops them
                    kept.append(segment).append('\\n');
                    count++;
                }
                out.write(count + "\\n" + kept);
            }
        }
    }
}
"""


def make_project(
    root: Path, sources: Sequence[Path], source_lang: str = "fr", target_lang: str = "en"
) -> Path:
    """An OmegaT project with OmegaT's default settings and copies of ``sources``."""
    project = root / "project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(
        PROJECT_XML.format(source=source_lang, target=target_lang), encoding="utf-8"
    )
    for path in sources:
        shutil.copy(path, project / "source" / path.name)
    return project


def run_omegat(project: Path, *options: str) -> str:
    """Run OmegaT's console on ``project``; its log (stdout and stderr)."""
    assert JAVA is not None
    result = subprocess.run(
        [
            JAVA,
            "-Djava.awt.headless=true",
            # OmegaT keeps preferences and logs under the home folder: keep them in the test's
            f"-Duser.home={project.parent / 'omegat-home'}",
            "-jar",
            str(OMEGAT_JAR),
            str(project),
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,  # asserted below, with OmegaT's log as the message
    )
    assert result.returncode == 0, result.stdout
    return result.stdout


def omegat_segments(project: Path) -> list[str]:
    """OmegaT's own segmentation of the project's sources, from its pseudo-translation TMX
    (each distinct segment once).
    """
    pseudo = project.parent / "pseudo.tmx"
    run_omegat(
        project,
        "--mode=console-createpseudotranslatetmx",
        f"--pseudotranslatetmx={pseudo}",
        "--pseudotranslatetype=equal",
    )
    tree = load_xml_safely(pseudo)
    return [tu.findtext("tuv[1]/seg") or "" for tu in tree.getroot().iter("tu")]


@dataclass(frozen=True)
class OmegatRun:
    """What OmegaT's console-translate produced for a project."""

    log: str
    segments: int  # OmegaT's segments in the source files, repeats included
    remaining: int  # those it has no translation for
    files: dict[str, tuple[int, int]]  # source file name → (segments, remaining)
    project_save: Path  # omegat/project_save.tmx
    target: Path  # the translated files

    @property
    def filled(self) -> int:
        return self.segments - self.remaining


def translate_project(project: Path, *options: str) -> OmegatRun:
    """Run ``--mode=console-translate`` on ``project``; fail on any TMX OmegaT could not load."""
    script = project.parent / "save-project.groovy"
    script.write_text(_SAVE_SCRIPT, encoding="utf-8")
    log = run_omegat(project, "--mode=console-translate", f"--script={script}", *options)
    problems = [
        line
        for line in log.splitlines()
        if "Error:" in line or "TF_TM_LOAD_ERROR" in line or "Exception" in line
    ]
    assert problems == [], log
    stats = (project / "omegat" / "project_stats.txt").read_text("utf-8")
    total = re.search(r"^Total:\s+(\d+)", stats, re.MULTILINE)
    remaining = re.search(r"^Remaining:\s+(\d+)", stats, re.MULTILINE)
    assert total and remaining, stats
    # "Individual File Statistics": name, total segments, remaining segments, ... (tabs)
    rows = [line.split("\t") for line in stats.split("Individual File Statistics:")[1].splitlines()]
    files = {
        row[0].strip(): (int(row[1]), int(row[2]))
        for row in rows
        if len(row) > 2 and row[1].strip().isdigit()
    }
    return OmegatRun(
        log=log,
        segments=int(total.group(1)),
        remaining=int(remaining.group(1)),
        files=files,
        project_save=project / "omegat" / "project_save.tmx",
        target=project / "target",
    )


@functools.cache
def java_runs_source_files() -> bool:
    """Whether ``java File.java`` works: it needs a JDK (the jdk.compiler module)."""
    if JAVA is None:
        return False
    modules = subprocess.run(
        [JAVA, "--list-modules"], capture_output=True, text=True, check=False
    ).stdout
    return "jdk.compiler" in modules


def segment_with_omegat(
    segmentation_conf: Path, paragraphs: Sequence[str], work: Path
) -> list[list[str]]:
    """OmegaT's Segmenter, with the rules of ``segmentation_conf``, on each paragraph."""
    assert JAVA is not None
    program = work / "SegmentWithOmegaT.java"
    program.write_text(_SEGMENTER_JAVA, encoding="utf-8")
    given, found = work / "paragraphs.txt", work / "segments.txt"
    given.write_text("".join(paragraph + "\n" for paragraph in paragraphs), encoding="utf-8")
    result = subprocess.run(
        [
            JAVA,
            "-cp",
            str(OMEGAT_JAR),
            str(program),
            str(segmentation_conf),
            str(given),
            str(found),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # SRX.loadSRX falls back to OmegaT's default rules on a rule Java cannot compile
    assert "CORE_SRX_EXC_LOADING_SEG_RULES" not in result.stdout + result.stderr, result.stderr
    lines = found.read_text("utf-8").split("\n")
    segments: list[list[str]] = []
    index = 0
    while index < len(lines) - 1:
        count = int(lines[index])
        segments.append(lines[index + 1 : index + 1 + count])
        index += 1 + count
    assert len(segments) == len(paragraphs)
    return segments
