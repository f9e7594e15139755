"""Subtitles (SRT, WebVTT): sentences over several cues, cues and timecodes kept byte for byte."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from ebook_helpers import missing_sentences, page_sources, tmx_sources
from filter_helpers import same, segmented, shout, translate_coded

from bilingual.cli import cli
from bilingual.document import BlockKind
from bilingual.errors import InputError
from bilingual.filters import read_document
from bilingual.filters.subtitles import SRT, VTT
from bilingual.inline import coded_source, set_target

#: (timing, text lines): two sentences over three cues each, a dialogue, music, italics.
CUES = [
    ("00:00:01,000 --> 00:00:03,500", ["Bonjour à tous, je m'appelle Marie"]),
    ("00:00:03,600 --> 00:00:06,000", ["et je viens d'une petite ville", "au bord de la mer."]),
    ("00:00:06,500 --> 00:00:09,000", ["Aujourd'hui, nous allons parler"]),
    ("00:00:09,100 --> 00:00:12,000", ["de la <i>cuisine française</i>"]),
    ("00:00:12,100 --> 00:00:14,000", ["et de ses secrets les mieux gardés."]),
    ("00:00:15,000 --> 00:00:16,000", ["♪♪"]),
    ("00:00:16,500 --> 00:00:18,000", ["- Tu viens avec nous ?", "- Oui, j'arrive tout de suite."]),
    ("00:01:02,003 --> 01:00:00,000", ["{\\an8}Le marché ouvre à huit heures."]),
]
SENTENCES = [
    "Bonjour à tous, je m'appelle Marie et je viens d'une petite ville au bord de la mer.",
    "Aujourd'hui, nous allons parler de la cuisine française et de ses secrets les mieux gardés.",
    "- Tu viens avec nous ?", "- Oui, j'arrive tout de suite.", "Le marché ouvre à huit heures.",
]


def srt(newline: str = "\n", bom: str = "") -> str:
    blocks = [newline.join([str(n), timing, *lines]) for n, (timing, lines) in enumerate(CUES, start=1)]
    return bom + (newline * 2).join(blocks) + newline


def vtt() -> str:
    cues = [
        f"{'intro' + chr(10) if n == 1 else ''}{timing.replace(',', '.')}{' line:0' if n == 2 else ''}\n" + "\n".join(lines)
        for n, (timing, lines) in enumerate(CUES, start=1)
        if "{" not in lines[0]
    ]
    return "WEBVTT\nKind: captions\n\nNOTE une note\n\nSTYLE\n::cue { color: yellow }\n\n" + "\n\n".join(cues).replace(
        "<i>cuisine française</i>", "<c.jaune>cuisine &amp; française</c>"
    ) + "\n"


def written(tmp_path: Path, text: str, name: str = "film.srt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def not_text(text: str) -> list[str]:
    """Every line of a subtitle file that is no cue text: numbers, timings, blank lines."""
    return [line for line in text.splitlines() if not line.strip() or line.strip().isdigit() or "-->" in line]


def english(document_path: Path, translate: Callable[[str], str] = shout) -> str:
    document = translate_coded(segmented(document_path), translate)
    target = document_path.with_suffix(".en" + document_path.suffix)
    (SRT if document.format == "srt" else VTT).write_translation(document, target)
    return target.read_bytes().decode(document.metadata["encoding"])


def test_a_sentence_over_several_cues_is_one_unit(tmp_path: Path) -> None:
    document = segmented(written(tmp_path, srt()))
    assert all(block.kind is BlockKind.CUE for block in document.blocks)
    assert [unit.source for unit in document.units] == SENTENCES
    assert [block.handle for block in document.blocks] == [(0, 1), (2, 4), (6, 6), (7, 7)]
    codes = coded_source(document.units[1])
    assert codes == "Aujourd'hui, nous allons parler <x1/>de la <g2>cuisine française</g2> <x3/>et de ses secrets les mieux gardés."


@pytest.mark.parametrize(("newline", "bom"), [("\n", ""), ("\r\n", "\ufeff")])
def test_the_french_as_translation_gives_the_file_back_byte_for_byte(tmp_path: Path, newline: str, bom: str) -> None:
    path = written(tmp_path, srt(newline, bom))
    assert english(path, same) == srt(newline, bom)


def test_utf16_comes_back_in_utf16(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_bytes(srt("\r\n", "\ufeff").encode("utf-16-le"))
    document = read_document(path)
    assert document.metadata["read-as"] == "UTF-16LE text"
    text = english(path)
    assert (tmp_path / "film.en.srt").read_bytes().startswith(b"\xff\xfe1\x00\r\x00\n\x00")
    assert not_text(text) == not_text(srt("\r\n", "\ufeff"))


def test_cues_numbers_and_timecodes_are_kept_and_the_english_spread_over_the_same_cues(tmp_path: Path) -> None:
    text = english(written(tmp_path, srt("\r\n")))
    assert not_text(text) == not_text(srt("\r\n"))
    assert "\r\n" in text and "\n\n" not in text.replace("\r\n", "")
    assert text.split("\r\n")[2:5] == ["BONJOUR À TOUS, JE M'APPELLE MARIE", "", "2"]
    assert "DE LA <i>CUISINE FRANÇAISE</i>\r\n" in text
    assert "- TU VIENS AVEC NOUS ?\r\n- OUI, J'ARRIVE TOUT DE SUITE.\r\n" in text
    assert "{\\an8}LE MARCHÉ" in text and "♪♪" in text


def test_lost_cue_marks_spread_the_english_by_length_at_word_boundaries(tmp_path: Path) -> None:
    document = segmented(written(tmp_path, srt()))
    for unit in document.units:
        findings = set_target(unit, shout(re.sub(r"<x\d+/>", "", coded_source(unit))))
        assert [f.kind for f in findings] == (["markup-lost"] if "<x" in coded_source(unit) else [])
    SRT.write_translation(document, tmp_path / "film.en.srt")
    text = (tmp_path / "film.en.srt").read_text("utf-8")
    assert not_text(text) == not_text(srt())
    cue_texts = [block.split("\n", 2)[2] for block in text.strip().split("\n\n")]
    assert all(re.search(r"\w", cue) for cue in cue_texts if cue != "♪♪")
    def words(text: str) -> list[str]:
        return re.sub(r"<[^>]+>|\{[^}]+\}", " ", text).split()

    assert words(" ".join(cue_texts)) == words(" ".join(line for _, lines in CUES for line in lines).upper())


def test_a_cue_mark_that_lands_with_the_next_leaves_no_cue_empty(tmp_path: Path) -> None:
    document = segmented(written(tmp_path, srt()))
    unit = document.units[1]  # three cues: both marks put together at the end
    coded = shout(re.sub(r"<x\d+/>", "", coded_source(unit))).replace("GARDÉS.", "<x1/><x3/>GARDÉS.")
    set_target(unit, coded)
    for other in document.units:
        if other is not unit:
            set_target(other, coded_source(other))
    SRT.write_translation(document, tmp_path / "film.en.srt")
    cue_texts = [b.split("\n", 2)[2] for b in (tmp_path / "film.en.srt").read_text("utf-8").strip().split("\n\n")]
    # the English is as long as the French here: cut in proportion, it falls where the French did
    assert cue_texts[2:5] == [
        "AUJOURD'HUI, NOUS ALLONS PARLER", "DE LA <i>CUISINE FRANÇAISE</i>", "ET DE SES SECRETS LES MIEUX GARDÉS."
    ]


def test_a_tag_open_at_a_cue_boundary_is_closed_and_opened_again(tmp_path: Path) -> None:
    document = segmented(written(tmp_path, srt()))
    unit = document.units[1]
    set_target(unit, "Today we talk <g2>about French <x1/>cooking</g2> <x3/>and its secrets.")
    for other in document.units:
        if other is not unit:
            set_target(other, coded_source(other))
    SRT.write_translation(document, tmp_path / "film.en.srt")
    text = (tmp_path / "film.en.srt").read_text("utf-8")
    assert "Today we talk <i>about French</i>\n\n4\n00:00:09,100 --> 00:00:12,000\n<i>cooking</i>\n\n5" in text


def test_webvtt_keeps_header_notes_styles_identifiers_and_settings(tmp_path: Path) -> None:
    path = written(tmp_path, vtt(), "film.vtt")
    assert english(path, same) == vtt()
    text = english(path)
    assert not_text(text) == not_text(vtt())
    assert text.startswith("WEBVTT\nKind: captions\n\nNOTE une note\n\nSTYLE\n::cue { color: yellow }\n\nintro\n")
    assert "00:00:03.600 --> 00:00:06.000 line:0\n" in text
    assert "DE LA <c.jaune>CUISINE &amp; FRANÇAISE</c>" in text
    document = segmented(path)
    assert "cuisine & française" in document.text


@pytest.mark.parametrize(
    ("change", "line", "says"),
    [
        (("00:00:03,600 --> 00:00:06,000", "00:00:03,600 -> 00:00:06,000"), 6, "bad timecodes '00:00:03,600 -> 00:00:06,000': a cue needs HH:MM:SS,mmm --> HH:MM:SS,mmm"),
        (("00:00:06,500", "00:00:6,500"), 11, "bad timecodes"),
        (("00:00:09,100 --> 00:00:12,000", "00:00:09,100 --> 00:61:12,000"), 15, "minutes and seconds go up to 59"),
        (("00:00:12,100 --> 00:00:14,000", "00:00:14,100 --> 00:00:12,000"), 19, "the cue ends before it starts"),
        (("\n5\n", "\ncinq\n"), 18, "expected the number of a cue, found 'cinq'"),
    ],
)
def test_bad_cues_are_one_error_with_the_line(tmp_path: Path, change: tuple[str, str], line: int, says: str) -> None:
    path = written(tmp_path, srt().replace(*change))
    with pytest.raises(InputError) as raised:
        read_document(path)
    assert str(raised.value).startswith(f"{path}:{line}: ")
    assert says in str(raised.value)


def test_bad_timecodes_through_the_command_line(tmp_path: Path) -> None:
    path = written(tmp_path, srt().replace("00:00:06,500 --> 00:00:09,000", "6,5 --> 9"))
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out"), "--engine", "apertium",
                                      "--no-memory", "--no-glossary"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {path}:11: bad timecodes '6,5 --> 9': a cue needs HH:MM:SS,mmm --> HH:MM:SS,mmm; correct that line"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "says"),
    [("WEBVT\n\n00:01.000 --> 00:02.000\nBonjour.\n", "is not WebVTT: its first line must be WEBVTT"),
     ("WEBVTT\n\n00:01.000 --> 00:02.000\n♪\n", "holds no text to translate"),
     ("WEBVTT\n\nNOTE rien\n", "holds no subtitles")],
)
def test_webvtt_refusals(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(InputError, match=re.escape(says)):
        read_document(written(tmp_path, text, "film.vtt"))


def test_build_with_apertium_keeps_every_cue_and_every_sentence(tmp_path: Path) -> None:
    from bilingual.engines.apertium import ApertiumEngine

    if not ApertiumEngine.is_available():
        pytest.skip("Apertium is not installed")
    srt_library = pytest.importorskip("srt")
    webvtt = pytest.importorskip("webvtt")
    folder = tmp_path / "films"
    folder.mkdir()
    written(folder, srt())
    written(folder, vtt(), "clip.vtt")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--engine", "apertium",
                                      "--no-memory", "--no-glossary", "--quiet"])
    assert result.exit_code == 0, result.output
    french = list(srt_library.parse(srt()))
    translated = list(srt_library.parse((out / "film.en.srt").read_text("utf-8")))
    assert [(c.index, c.start, c.end) for c in translated] == [(c.index, c.start, c.end) for c in french]
    assert all(cue.content.strip() for cue in translated)
    assert not_text((out / "film.en.srt").read_text("utf-8")) == not_text(srt())
    captions = webvtt.read(str(out / "clip.en.vtt"))
    originals = webvtt.read(str(folder / "clip.vtt"))
    assert [(c.start, c.end) for c in captions] == [(c.start, c.end) for c in originals]
    for name in ("film", "clip"):
        expected = SENTENCES if name == "film" else [
            s.replace("cuisine française", "cuisine & française") for s in SENTENCES[:4]
        ]
        assert missing_sentences(expected, page_sources(out / f"{name}.html")) == []
        assert missing_sentences(expected, tmx_sources(out / f"{name}.tmx")) == []
