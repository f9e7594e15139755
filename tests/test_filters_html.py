"""HTML: blocks from lxml, NAME.en.html rebuilt in the source tree, --main-content."""

from __future__ import annotations

from pathlib import Path

import pytest
from filter_helpers import same, segmented, shout, translate_coded
from lxml import html as lxml_html

from bilingual.document import BlockKind, CodeKind
from bilingual.errors import InputError
from bilingual.filters import ReadOptions, read_document
from bilingual.filters.html import FILTER

ARTICLE = [
    "Alibaba a lancé cette semaine sa série Qwen en tant que famille de modèles à poids ouvert.",
    "Cette décision a déjà stimulé la création de plus de 100 000 modèles dérivés.",
    "Ce développement met en évidence une volonté majeure des entreprises chinoises.",
    "Le PDG de Nvidia, Jensen Huang, a soutenu cette tendance lors de son discours.",
    "L'événement comprenait également la CES Asia Night, au cours de laquelle ils ont discuté.",
    "De plus, Nvidia a contribué à l'écosystème ouvert en annonçant ses modèles Alpamayo.",
]
BOILERPLATE = [
    "Accueil", "Nous utilisons des cookies pour améliorer votre expérience.",
    "Chargement du thread…", "Récupération des tweets originaux depuis X pour offrir une lecture épurée.",
    "Cela ne prend généralement que quelques secondes.", "Tous droits réservés.",
]
SCRIPT = 'var tracking = "<p>pas du texte</p>";'
STYLE = "body { font-family: serif; }"


def saved_page(charset: str = "utf-8") -> str:
    dash = "–" if charset == "utf-8" else "-"
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="{charset}"><title>Qwen au CES {dash} Le Journal</title>
<style>{STYLE}</style><script>{SCRIPT}</script></head>
<body>
<header><nav><ul><li><a href="/">{BOILERPLATE[0]}</a></li><li><a href="/tech">Technologie</a></li></ul></nav></header>
<div class="cookie-banner" id="cookies"><p>{BOILERPLATE[1]} <a href="/privacy">En savoir plus</a></p><button>Accepter</button></div>
<main><article>
<h1>Alibaba lance Qwen au CES</h1>
<p>{ARTICLE[0]} {ARTICLE[1]}<br>
<strong>{ARTICLE[2]}</strong></p>
<p data-x="1">{ARTICLE[3]} Voir <a href="https://example.com/ces?x=1&amp;y=2" title="Le salon">le site du salon</a>. {ARTICLE[4]}</p>
<figure><img src="qwen.png" alt="Le logo de Qwen"><figcaption>Le logo de la famille Qwen.</figcaption></figure>
<ul><li>{ARTICLE[5]} Appelez <code>qwen.load()</code> pour commencer.</li></ul>
<!-- fin de l'article -->
</article></main>
<div class="thread-loader"><p>{BOILERPLATE[2]}</p><p>{BOILERPLATE[3]}</p><p>{BOILERPLATE[4]}</p></div>
<footer><p>© 2025 Le Journal. {BOILERPLATE[5]}</p></footer>
</body></html>
"""


def write_page(tmp_path: Path, text: str | None = None, encoding: str = "utf-8") -> Path:
    path = tmp_path / "page.html"
    path.write_bytes((text or saved_page(encoding)).encode(encoding, "xmlcharrefreplace"))
    return path


def test_blocks_codes_title_and_attributes(tmp_path: Path) -> None:
    document = segmented(write_page(tmp_path))
    assert document.title == "Qwen au CES – Le Journal"
    texts = {document.text[b.start : b.end]: b for b in document.blocks}
    assert texts["Alibaba lance Qwen au CES"].kind is BlockKind.HEADING
    assert texts["Le logo de Qwen"].kind is BlockKind.ATTRIBUTE
    assert texts["Le salon"].kind is BlockKind.ATTRIBUTE
    assert texts["Le logo de la famille Qwen."].kind is BlockKind.CAPTION
    assert "tracking" not in document.text and "font-family" not in document.text
    assert "Accepter" not in texts  # a control, no prose
    kinds = {code.kind for code in document.codes}
    assert {CodeKind.BOLD, CodeKind.LINK, CodeKind.CODE, CodeKind.BREAK} <= kinds
    assert all(sentence in [unit.source for unit in document.units] for sentence in ARTICLE)


def test_english_page_keeps_everything_that_is_not_prose(tmp_path: Path) -> None:
    document = translate_coded(segmented(write_page(tmp_path)), shout)
    FILTER.write_translation(document, tmp_path / "page.en.html")
    english = (tmp_path / "page.en.html").read_text("utf-8")
    assert f"<script>{SCRIPT}</script>" in english and f"<style>{STYLE}</style>" in english
    assert "<!-- fin de l'article -->" in english and english.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in english
    assert '<a href="https://example.com/ces?x=1&amp;y=2" title="LE SALON">LE SITE DU SALON</a>' in english
    assert '<img src="qwen.png" alt="LE LOGO DE QWEN">' in english
    assert "<code>qwen.load()</code>" in english and '<p data-x="1">' in english
    assert f"<br><strong>{ARTICLE[2].upper()}</strong>" in english
    assert "<title>QWEN AU CES – LE JOURNAL</title>" in english


def test_the_french_as_translation_changes_only_the_language(tmp_path: Path) -> None:
    source = write_page(tmp_path)
    document = translate_coded(segmented(source), same)
    FILTER.write_translation(document, tmp_path / "page.en.html")
    english = (tmp_path / "page.en.html").read_text("utf-8")
    # only the white space inside a paragraph may change (a browser shows it as one space)
    expected = saved_page().replace('<html lang="fr">', '<html lang="en">')
    assert english == expected.replace("<br>\n<strong>", "<br><strong>")


def test_the_pages_encoding_is_honoured(tmp_path: Path) -> None:
    source = write_page(tmp_path, encoding="iso-8859-1")
    document = translate_coded(segmented(source), same)
    assert "Accueil" in document.text and "évidence" in document.text
    FILTER.write_translation(document, tmp_path / "page.en.html")
    data = (tmp_path / "page.en.html").read_bytes()
    assert "évidence".encode("iso-8859-1") in data and b'charset="iso-8859-1"' in data


def test_main_content_keeps_only_the_article(tmp_path: Path) -> None:
    document = segmented(write_page(tmp_path), main_content=True)
    sources = [unit.source for unit in document.units]
    assert all(sentence in sources for sentence in ARTICLE)
    for line in BOILERPLATE:
        assert not any(line in source for source in sources), line
    document = translate_coded(document, shout)
    FILTER.write_translation(document, tmp_path / "page.en.html")
    english = (tmp_path / "page.en.html").read_text("utf-8")
    assert "thread" not in english.lower() and "cookie" not in english.lower()
    assert ARTICLE[3].upper() in english and f"<script>{SCRIPT}</script>" in english


def test_broken_html_is_read_as_a_browser_would(tmp_path: Path) -> None:
    path = write_page(tmp_path, "<p>Un paragraphe <b>non fermé.<p>Un autre <i>aussi</b>.</div>")
    document = segmented(path)
    assert [unit.source for unit in document.units] == ["Un paragraphe non fermé.", "Un autre aussi."]


def test_entities_are_not_expanded_and_nothing_is_fetched(tmp_path: Path) -> None:
    path = write_page(
        tmp_path,
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<p>Texte &xxe; et <img src="http://127.0.0.1:9/x.png" alt="Une image"> fin.</p>',
    )
    document = segmented(path)
    assert "root:" not in document.text


@pytest.mark.parametrize("text", ["", "<html><body>  </body></html>", "<script>var a = 1;</script>"])
def test_a_page_without_text_is_one_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "vide.html"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="vide.html: "):
        read_document(path, options=ReadOptions())


def test_reparsed_english_page_has_the_same_structure(tmp_path: Path) -> None:
    document = translate_coded(segmented(write_page(tmp_path)), shout)
    FILTER.write_translation(document, tmp_path / "page.en.html")
    before = lxml_html.fromstring(saved_page().encode())
    after = lxml_html.fromstring((tmp_path / "page.en.html").read_bytes())
    assert [e.tag for e in before.iter()] == [e.tag for e in after.iter()]
    assert [dict(e.attrib) for e in before.iter() if e.tag != "html" and "alt" not in e.attrib
            and "title" not in e.attrib] == [
        dict(e.attrib) for e in after.iter() if e.tag != "html" and "alt" not in e.attrib
        and "title" not in e.attrib]


def test_a_page_nested_without_bound_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "profond.html"
    path.write_text("<p>Début.</p>\n" + "<div>" * 5000 + "Texte." + "</div>" * 5000, "utf-8")
    with pytest.raises(InputError, match=r"profond.html:2: is nested deeper"):
        read_document(path, options=ReadOptions())
