"""The Apertium engine, run for real (CI installs the Debian packages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bilingual.engines import get_engine
from bilingual.engines.apertium import ApertiumEngine
from bilingual.errors import EngineUnavailable
from bilingual.qa.literals import EMAIL, URL

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

needs_apertium = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Debian's apertium fr-es/spa-eng not installed"
)


@needs_apertium
def test_translates_a_batch_in_order() -> None:
    engine = ApertiumEngine()
    sources = ["Le chat dort.", "", "Il fait beau aujourd'hui.", "   ", "Merci beaucoup."]
    result = engine.translate(sources)
    assert len(result) == len(sources)
    assert result[1] == "" and result[3] == ""
    assert "cat" in result[0].lower()
    assert "today" in result[2].lower()
    assert "thank" in result[4].lower()


@needs_apertium
def test_closing_stops_the_programs_until_the_next_batch() -> None:
    from bilingual.engines import apertium_stream

    engine = ApertiumEngine()
    first = engine.translate(["Le chat dort."])
    running = apertium_stream.stream(("fr-es", "spa-eng"))
    programs = [process.pid for process in running._processes]
    engine.close()
    assert not running.alive and all(p.poll() is not None for p in running._processes)
    assert engine.translate(["Le chat dort."]) == first  # started again
    assert programs != [p.pid for p in apertium_stream.stream(("fr-es", "spa-eng"))._processes]


@needs_apertium
def test_segment_count_survives_the_seeds() -> None:
    from bilingual.segment import segment_text

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    segments = [s.text for text in texts for s in segment_text(text)]
    result = ApertiumEngine().translate(segments)
    assert len(result) == len(segments)
    assert all(translation.strip() for translation in result)


@needs_apertium
def test_internal_blank_lines_cannot_split_a_segment() -> None:
    result = ApertiumEngine().translate(["Un chat.\n\nDeux chats.", "Trois chats."])
    assert len(result) == 2
    assert "three" in result[1].lower()


@needs_apertium
def test_info_records_versions() -> None:
    info = ApertiumEngine().info()
    assert info.name == "apertium"
    assert info.version != "unknown"
    assert "fr-es@" in info.model and "spa-eng@" in info.model


@needs_apertium
def test_progress_callback_counts_segments() -> None:
    seen: list[int] = []
    ApertiumEngine().translate(["Bonjour.", "Au revoir."], progress=seen.append)
    assert sum(seen) == 2


def test_missing_packages_give_the_apt_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bilingual.engines.apertium.MODES_DIR", Path("/nonexistent"))
    with pytest.raises(EngineUnavailable, match="apt-get install apertium apertium-fr-es"):
        get_engine("apertium")


# ---------- names, leftovers, normalisation ----------

NEWS = (
    "Le tramway de Bordeaux longe la Garonne et le Rhône ; une vingtaine de riverains se "
    "plaignent des pannes, selon Mme Dupont, qui veut moderniser la Part-Dieu."
)


@needs_apertium
def test_names_survive_the_pivot() -> None:
    (english,) = ApertiumEngine().translate([NEWS])
    for name in ("Bordeaux", "Garonne", "Rhône", "Dupont", "Part-Dieu"):
        assert name in english, english
    for spanish in ("Burdeos", "Garona", "Ródano", "Sra", "God"):
        assert spanish not in english, english
    assert "Ms Dupont" in english


@needs_apertium
def test_leftovers_are_translated_by_the_second_route_or_kept_in_french() -> None:
    (english,) = ApertiumEngine().translate([NEWS])
    assert "veintena" not in english and "pannes" not in english, english
    assert "*" not in english and "@" not in english and "#" not in english


@needs_apertium
def test_urls_and_emails_come_back_byte_for_byte() -> None:
    url, mail = "https://www.bordeaux-metropole.fr/Plan-Tram-2030.pdf", "tram@bordeaux.fr"
    (english,) = ApertiumEngine().translate([f"Voir {url} ou écrire à {mail}."])
    assert url in english and mail in english


@needs_apertium
def test_ordinary_capitalised_words_after_an_article_are_translated() -> None:
    (english,) = ApertiumEngine().translate(["Le Sénat et les frères Lumière sont en Allemagne."])
    assert "Senate" in english and "Lumière" in english and "Germany" in english


@needs_apertium
def test_decomposed_french_translates_like_composed() -> None:
    import unicodedata

    from bilingual.quality.normalize import engine_text

    sentence = "La thèse a été soutenue par l'étudiante à Orléans."
    engine = ApertiumEngine()
    composed, decomposed = engine.translate(
        [sentence, engine_text(unicodedata.normalize("NFD", sentence))]
    )
    assert composed == decomposed


@needs_apertium
def test_a_sentence_opener_after_a_code_placeholder_is_no_name() -> None:
    """A capitalised word after an inline code's placeholder still opens its sentence: taken
    for a name, it used to shield every sentence-initial "Le" of the batch."""
    english = ApertiumEngine().translate(["Zx1q Le capitaine Zx2q observait la mer.", "Le départ"])
    assert "Le" not in " ".join(english).split() and english[1] == "The start"


# ---------- a text the engine was never tuned on ----------

REGIONAL_NEWS = """\
Lyon : la ligne T9 du tramway sera prolongée jusqu'à la Part-Dieu d'ici 2030.

Mme Martin, adjointe aux mobilités, a présenté le projet le 15 mars devant une centaine \
d'habitants réunis à Villeurbanne. Selon elle, les travaux coûteront 240 millions d'euros et \
dureront trois ans. Le dossier complet est consultable sur https://www.sytral.fr/Plan-Tram-2030.pdf \
et les questions peuvent être envoyées à concertation@sytral.fr avant le 30 avril.

M. Dupont, président de l'association des riverains du quai du Rhône, redoute des nuisances \
pendant les travaux. « Nous demandons des garanties sur le bruit et sur les livraisons », \
a-t-il déclaré. Les commerçants de la rue de la République craignent une baisse de leur chiffre \
d'affaires de 15 %.

À Bordeaux, où le tramway longe la Garonne depuis 2003, la fréquentation a progressé de 12 % en \
un an. La métropole prévoit d'y ajouter 8 km de voies et une vingtaine de rames supplémentaires. \
Les premiers essais auront lieu le 2 septembre, sous réserve des intempéries.
"""


LITERALS = re.compile(f"{URL.pattern}|{EMAIL.pattern}")


@needs_apertium
def test_regional_news_keeps_names_and_flags_every_leftover(tmp_path: Path) -> None:
    """A news text written after the engine work was done: names, titles, literals, dates and
    numbers come through, and every word that is not English carries a QA flag."""
    from bilingual.pipeline import BuildConfig, build
    from bilingual.qa.language import KEPT_TITLES
    from bilingual.quality.lexicons import is_english, lexicon

    source = tmp_path / "lyon.txt"
    source.write_text(REGIONAL_NEWS, encoding="utf-8")
    result = build([source], BuildConfig(output_dir=tmp_path / "out", engine="apertium",
                                         formats=("json",)))
    units = result.documents[0].units
    english = " ".join(unit.target for unit in units)
    for kept in ("Lyon", "Part-Dieu", "Ms Martin", "Villeurbanne", "Mr Dupont", "Rhône",
                 "Bordeaux", "Garonne", "https://www.sytral.fr/Plan-Tram-2030.pdf",
                 "concertation@sytral.fr", "15 March", "30 April", "2 September",
                 "240 million", "15%", "12%", "8 km", "2030", "2003"):
        assert kept in english, (kept, english)
    for pivot_form in ("Burdeos", "Garona", "Ródano", "Sra", "Sr ", "God", "hadeclarado"):
        assert pivot_form not in english, (pivot_form, english)
    assert not any(finding.severity.value == "error" for unit in units for finding in unit.findings)
    if not lexicon("en") or not lexicon("fr"):
        return
    for unit in units:
        flagged = [f.target_span for f in unit.findings
                   if f.kind in ("foreign-word", "untranslated-word") and f.target_span]
        words = LITERALS.sub(lambda found: " " * len(found.group()), unit.target)
        for word in re.finditer(r"(?<!\w)[^\W\d_]+(?:['’-][^\W\d_]+)*", words):
            text = word.group()
            if is_english(text) is not False or text in KEPT_TITLES:
                continue
            if text[:1].isupper() and text in unit.source:
                continue  # a name kept as written
            assert any(a <= word.start() and word.end() <= b for a, b in flagged), (text, unit.target)
