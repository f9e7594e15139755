"""Our TMX in a real OmegaT 3.6 project: its console mode must fill segments from it.

OmegaT segments the seed texts with its own SRX rules; the TMX can only fill the segments whose
source text is exactly one of ours. OmegaT's pseudo-translation export lists its segments, so the
test knows exactly which segments must be filled, and checks that every one of them is.
OmegaT exits 0 even when it cannot load a TMX, hence the checks on its log.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from omegat_helpers import make_project, needs_omegat, omegat_segments, run_omegat

from bilingual.document import Document, EngineInfo, Segment, Unit
from bilingual.export.exchange import write_memory_tmx
from bilingual.textio import read_source

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

pytestmark = [
    needs_omegat,
    pytest.mark.skipif(not list(SEEDS.glob("*.txt")), reason="no seed texts"),
]

#: A sentence ends after . ! ? or … (and closing quotes) before a space and a capital.
SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\"]*\s+(?=[«“\"(]?[A-ZÀ-Ý0-9])")


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


@pytest.mark.parametrize(
    ("source_lang", "target_lang"), [("fr", "en"), ("FR-FR", "EN-GB")], ids=["bare", "regional"]
)
def test_omegat_fills_every_segment_it_shares_with_our_tmx(
    tmp_path: Path, source_lang: str, target_lang: str
) -> None:
    documents = seed_documents()
    project = make_project(tmp_path, sorted(SEEDS.glob("*.txt")), source_lang, target_lang)
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
