"""Plain text: NAME.en.txt keeps the source's layout exactly."""

from __future__ import annotations

from pathlib import Path

from filter_helpers import segmented, shout, translate_coded

from bilingual.filters.text import FILTER

SOURCE = (
    "Titre du texte\n\n"
    "Première ligne d'un paragraphe.\nDeuxième ligne. Encore une phrase.\nTroisième ligne.\n"
    "\n\n\n    Un paragraphe indenté.  Avec deux espaces.\n"
)


def test_english_text_keeps_paragraphs_lines_and_spacing(tmp_path: Path) -> None:
    source = tmp_path / "texte.txt"
    source.write_text(SOURCE, encoding="utf-8")
    document = translate_coded(segmented(source), shout)
    assert len(document.blocks) == 3
    assert [unit.segment.paragraph for unit in document.units] == [0, 1, 1, 1, 1, 2, 2]
    FILTER.write_translation(document, tmp_path / "texte.en.txt")
    assert (tmp_path / "texte.en.txt").read_text("utf-8") == SOURCE.upper()


def test_seed_lines_come_back_as_lines(tmp_path: Path) -> None:
    seed = next(Path(__file__).parents[1].glob("seeds/004_*.txt"))
    document = translate_coded(segmented(seed), shout)
    FILTER.write_translation(document, tmp_path / "seed.en.txt")
    english = (tmp_path / "seed.en.txt").read_text("utf-8")
    assert english.splitlines() == seed.read_text("utf-8").upper().splitlines()
    assert len([line for line in english.splitlines() if line.strip()]) == 3
