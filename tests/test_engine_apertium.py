"""The Apertium engine, run for real (CI installs the Debian packages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.engines import get_engine
from bilingual.engines.apertium import ApertiumEngine
from bilingual.errors import EngineUnavailable

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
