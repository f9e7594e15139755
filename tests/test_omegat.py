"""Our TMX in a real OmegaT 3.6 project: its console mode must fill segments from it.

OmegaT segments the seed texts with its own SRX rules; the TMX can only fill the segments whose
source text is exactly one of ours. OmegaT's pseudo-translation export lists its segments, so the
test knows exactly which segments must be filled, and checks that every one of them is.
OmegaT exits 0 even when it cannot load a TMX, hence the checks on its log.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bilingual.export.tmx import write_memory_tmx
from bilingual.document import Document, EngineInfo, Segment, Unit
from bilingual.textio import read_source
from bilingual.validate import load_xml_safely

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.skipif(JAVA is None, reason="java is not installed"),
    pytest.mark.skipif(not OMEGAT_JAR.is_file(), reason="OmegaT is not installed"),
    pytest.mark.skipif(not list(SEEDS.glob("*.txt")), reason="no seed texts"),
]

#: A sentence ends after . ! ? or … (and closing quotes) before a space and a capital.
SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\"]*\s+(?=[«“\"(]?[A-ZÀ-Ý0-9])")

PROJECT_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{source}</source_lang>
        <target_lang>{target}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneFrenchTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


def fake_translation(source: str) -> str:
    return f"EN: {source}"


def split_sentences(text: str) -> list[Segment]:
    """Lines, then sentences: a stand-in segmenter, so this test does not depend on ours."""
    segments = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for piece in [*SENTENCE_END.split(line.group()), ""]:
            if piece.strip():
                offset = text.index(piece, start)
                segments.append(Segment(offset, offset + len(piece), piece))
                start = offset + len(piece)
    return segments


def seed_documents() -> list[Document]:
    engine = EngineInfo("test-double", "1", "prefix-EN")
    documents = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_source(path).text
        units = [Unit(s, fake_translation(s.text)) for s in split_sentences(text)]
        for unit in units:
            assert text[unit.segment.start : unit.segment.end] == unit.source
        documents.append(Document(path.stem, text, source_path=path, units=units, engine=engine))
    return documents


def make_project(root: Path, source_lang: str, target_lang: str) -> Path:
    project = root / "project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(
        PROJECT_FILE.format(source=source_lang, target=target_lang), encoding="utf-8"
    )
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, project / "source" / path.name)
    return project


def run_omegat(project: Path, *options: str) -> str:
    assert JAVA is not None
    result = subprocess.run(
        [
            JAVA,
            "-Djava.awt.headless=true",
            # OmegaT keeps preferences and logs under the home folder: keep them in the test's
            f"-Duser.home={project.parent / 'home'}",
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
    """OmegaT's own segmentation of the project's sources, from its pseudo-translation TMX."""
    pseudo = project.parent / "pseudo.tmx"
    run_omegat(
        project,
        "--mode=console-createpseudotranslatetmx",
        f"--pseudotranslatetmx={pseudo}",
        "--pseudotranslatetype=equal",
    )
    tree = load_xml_safely(pseudo)
    return [tu.findtext("tuv[1]/seg") or "" for tu in tree.getroot().iter("tu")]


@pytest.mark.parametrize(
    ("source_lang", "target_lang"), [("fr", "en"), ("FR-FR", "EN-GB")], ids=["bare", "regional"]
)
def test_omegat_fills_every_segment_it_shares_with_our_tmx(
    tmp_path: Path, source_lang: str, target_lang: str
) -> None:
    documents = seed_documents()
    project = make_project(tmp_path, source_lang, target_lang)
    memory = project / "tm" / "auto" / "memory.tmx"
    write_memory_tmx(documents, memory)

    log = run_omegat(project, "--mode=console-translate")

    assert f"Reading TMX file {memory}" in log
    assert "TMXR_INFO_READING_COMPLETE" in log
    errors = [line for line in log.splitlines() if "Error:" in line or "TF_TM_LOAD_ERROR" in line]
    assert errors == []

    ours = {unit.source for document in documents for unit in document.units}
    theirs = omegat_segments(project)
    shared = [segment for segment in theirs if segment in ours]
    targets = "\n".join(
        (project / "target" / path.name).read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))
    )
    filled = [segment for segment in theirs if fake_translation(segment) in targets]
    assert filled == shared
    # the stand-in segmenter agrees with OmegaT on most sentences of the seeds
    assert len(shared) >= 0.8 * len(theirs)
