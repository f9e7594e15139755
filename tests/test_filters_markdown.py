"""Markdown: blocks and inline codes from markdown-it-py, NAME.en.md spliced into the source."""

from __future__ import annotations

import re
from pathlib import Path

from filter_helpers import same, segmented, shout, translate_coded

from bilingual.document import BlockKind, CodeKind
from bilingual.filters.markdown import FILTER, render
from bilingual.pipeline import BuildConfig, build

FRONT_MATTER = '---\ntitle: "Les modèles ouverts"\ntags: [ia, *gras*]\n---\n'
FENCE = "```python\n# Un commentaire en français.\nprint(\"Bonjour, le monde.\")\n```\n"
POST = (
    FRONT_MATTER
    + "# Les modèles **ouverts** ##\n\n"
    + "Alibaba a publié [la famille Qwen](https://example.com/qwen_(modèles)?a=1&b=2 \"Qwen\") "
    "cette semaine. Le *modèle de base* se charge avec `qwen.load(\"a. b\")` en une ligne.\n\n"
    + FENCE
    + "\n> Une citation **importante**.\n>\n> - un point dans la citation\n\n"
    + "1. Premier point avec un lien [ici][ref].\n2. Second point\\\n   sur deux lignes.\n\n"
    + "| Modèle | Licence |\n|---|:---:|\n| Qwen | ouverte |\n\n"
    + "    code indenté, jamais traduit\n\n"
    + "<div class=\"note\">\nBloc HTML gardé tel quel.\n</div>\n\n"
    + "![Le logo](logo.png) Voir la note[^1].\n\n"
    + "[ref]: https://example.com/ref \"Référence\"\n[^1]: La note de bas de page.\n"
)


def write_post(tmp_path: Path, text: str = POST) -> Path:
    path = tmp_path / "billet.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_blocks_and_codes(tmp_path: Path) -> None:
    document = segmented(write_post(tmp_path))
    kinds = [(block.kind, block.level) for block in document.blocks]
    assert kinds[0] == (BlockKind.HEADING, 1)
    assert (BlockKind.QUOTE, 1) in kinds and (BlockKind.LIST_ITEM, 1) in kinds
    assert (BlockKind.TABLE_CELL, 1) in kinds and (BlockKind.TABLE_CELL, 0) in kinds
    assert document.title == "Les modèles ouverts"
    assert "Bonjour" not in document.text and "indenté" not in document.text
    assert "Bloc HTML" not in document.text and "tags" not in document.text
    codes = {code.kind for code in document.codes}
    assert {CodeKind.BOLD, CodeKind.ITALIC, CodeKind.LINK, CodeKind.CODE, CodeKind.BREAK,
            CodeKind.IMAGE, CodeKind.FOOTNOTE} <= codes
    # the inline code holds a full stop, but no segment cuts it
    assert any('qwen.load("a. b")' in unit.source for unit in document.units)


def test_the_french_as_translation_gives_the_source_back_byte_for_byte(tmp_path: Path) -> None:
    document = translate_coded(segmented(write_post(tmp_path)), same)
    assert render(document) == POST


def test_everything_but_prose_is_kept_byte_for_byte(tmp_path: Path) -> None:
    document = translate_coded(segmented(write_post(tmp_path)), shout)
    FILTER.write_translation(document, tmp_path / "billet.en.md")
    english = (tmp_path / "billet.en.md").read_text("utf-8")
    assert english.startswith(FRONT_MATTER + "# LES MODÈLES **OUVERTS** ##\n\n")
    assert FENCE in english
    assert "    code indenté, jamais traduit\n" in english
    assert "<div class=\"note\">\nBloc HTML gardé tel quel.\n</div>\n" in english
    assert english.endswith('[ref]: https://example.com/ref "Référence"\n[^1]: LA NOTE DE BAS DE PAGE.\n')
    urls = re.compile(r"\]\([^)]*\)[^ ]*|\]\[\w+\]")
    assert urls.findall(english) == urls.findall(POST)
    assert '`qwen.load("a. b")`' in english and "[LA FAMILLE QWEN](" in english
    assert "2. SECOND POINT\\\n   SUR DEUX LIGNES." in english
    assert "| QWEN | OUVERTE |" in english and "|---|:---:|" in english
    assert "> UNE CITATION **IMPORTANTE**.\n>\n> - UN POINT" in english


def test_english_text_that_looks_like_markup_is_escaped(tmp_path: Path) -> None:
    document = translate_coded(
        segmented(write_post(tmp_path, "Deux fois trois.\n")), lambda _: "2 * 3 = [6] <b>_x_</b>"
    )
    assert render(document) == "2 \\* 3 = \\[6\\] \\<b>\\_x\\_\\</b>\n"


def test_crlf_source_comes_back_with_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"# Titre\r\n\r\nUn texte.\r\n")
    document = translate_coded(segmented(path), shout)
    assert render(document) == "# TITRE\r\n\r\nUN TEXTE.\r\n"


def test_build_keeps_glossary_terms_inside_bold_and_links(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.utf8"
    glossary.write_text("modèle de base\tfoundation model\nQwen\tQwen\n", encoding="utf-8")
    path = write_post(
        tmp_path,
        "Le **modèle de base** de [Qwen](https://qwen.ai/a_b) est ouvert.\n\n"
        "Un *modèle de base* chinois.\n",
    )
    result = build(
        [path],
        BuildConfig(output_dir=tmp_path / "out", engine="apertium", glossary_path=glossary,
                    formats=("html", "doc", "tmx")),
    )
    english = (tmp_path / "out" / "billet.en.md").read_text("utf-8")
    assert "**foundation model**" in english and "*foundation model*" in english
    assert "[Qwen](https://qwen.ai/a_b)" in english
    findings = [f.kind for unit in result.documents[0].units for f in unit.findings]
    assert "term-missing" not in findings and "markup-lost" not in findings
    assert findings.count("term-ok") >= 3
