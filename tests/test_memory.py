"""The translation memory: exact reuse, fuzzy matches, post-edit import/export, never losing work."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from memory_helpers import (
    ENGINE,
    SHARED,
    batch_rows,
    machine_rows,
    post_edits,
    shared_sources,
)

from bilingual.document import EngineInfo, Origin
from bilingual.errors import BilingualError, FormatError, TranslationMemoryError
from bilingual.memory import (
    SCHEMA_VERSION,
    TranslationMemory,
    default_memory_path,
    export_file,
    import_file,
    open_memory,
    similarity,
    word_diff,
)
from bilingual.memory.sqlite import APPLICATION_ID, SQLiteMemory

HELPER = Path(__file__).with_name("memory_helpers.py")
TMX_DTD = Path("/work/shared/schemas/tmx14.dtd")
APERTIUM = EngineInfo("apertium", "3.8.3", "fr-en")
ARGOS = EngineInfo("argos", "1.11.0", "translate-fr_en-1_9")


def snapshot(memory: TranslationMemory) -> list[object]:
    return [entry.to_json() for entry in memory.iter_entries()]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- location and opening -------------------------------------------------------------------


def test_default_path_follows_xdg(tmp_path: Path) -> None:
    assert default_memory_path({"XDG_DATA_HOME": str(tmp_path)}) == (
        tmp_path / "bilingual" / "memory.sqlite"
    )
    assert default_memory_path({"HOME": "/home/ana"}) == Path(
        "/home/ana/.local/share/bilingual/memory.sqlite"
    )
    # A relative XDG_DATA_HOME is invalid per the spec and ignored.
    assert default_memory_path({"XDG_DATA_HOME": "data", "HOME": "/home/ana"}) == Path(
        "/home/ana/.local/share/bilingual/memory.sqlite"
    )


def test_creates_database_and_parent_folders_with_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "memory.sqlite"
    SQLiteMemory(path).close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_reopening_keeps_the_data(locations) -> None:
    location = locations.new()
    with open_memory(location) as memory:
        memory.store_human("doc", [("Bonjour.", "Hello.")])
    with open_memory(location) as memory:
        hit = memory.lookup("Bonjour.", None, "")
    assert hit is not None and hit.target == "Hello."


def test_a_non_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    before = file_digest(path)
    with pytest.raises(TranslationMemoryError, match=str(path)):
        SQLiteMemory(path)
    assert file_digest(path) == before


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.execute("INSERT INTO invoices (total) VALUES (12.5)")
    connection.commit()
    connection.close()
    before = file_digest(path)
    with pytest.raises(TranslationMemoryError, match="another program.*invoices"):
        SQLiteMemory(path)
    assert file_digest(path) == before


def test_another_application_id_is_refused_even_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 1234")
    connection.close()
    with pytest.raises(TranslationMemoryError, match="another program"):
        SQLiteMemory(path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    SQLiteMemory(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(TranslationMemoryError, match="newer bilingual"):
        SQLiteMemory(path)


def test_a_corrupt_database_is_detected_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    with SQLiteMemory(path) as memory:
        memory.store_machine("doc", batch_rows("doc", 0, 2000), ENGINE)
    data = bytearray(path.read_bytes())
    # Keep the 100-byte header (so it still looks like SQLite) and wreck the first pages.
    data[100:20000] = os.urandom(19900)
    path.write_bytes(bytes(data))
    before = file_digest(path)
    sources = [source for source, _, _ in batch_rows("doc", 0, 2000)]
    with pytest.raises(TranslationMemoryError, match=str(path)), SQLiteMemory(path) as memory:
        memory.stats()
        memory.lookup_many(sources, ENGINE, ["g"] * 2000)
    assert file_digest(path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TranslationMemoryError, match="folder"):
        SQLiteMemory(tmp_path)


# -- exact lookups ----------------------------------------------------------------------------


def test_machine_translation_is_reused_for_the_same_engine_and_glossary(memory) -> None:
    memory.store_machine("doc", [("Le chat dort.", "The cat sleeps.", "g1")], APERTIUM)
    hit = memory.lookup("Le chat dort.", APERTIUM, "g1")
    assert hit is not None
    assert (hit.target, hit.origin, hit.engine, hit.document) == (
        "The cat sleeps.",
        Origin.MEMORY,
        APERTIUM.signature(),
        "doc",
    )


def test_changing_engine_or_glossary_misses_only_the_dependent_translations(memory) -> None:
    memory.store_machine("doc", [("Le chat dort.", "The cat sleeps.", "g1")], APERTIUM)
    memory.store_human("doc", [("Bonjour.", "Good morning.")])
    assert memory.lookup("Le chat dort.", ARGOS, "g1") is None
    assert memory.lookup("Le chat dort.", APERTIUM, "g2") is None
    newer = EngineInfo("apertium", "3.9.0", "fr-en")
    assert memory.lookup("Le chat dort.", newer, "g1") is None
    # Human translations do not depend on engine or glossary.
    for engine, key in ((ARGOS, "g2"), (newer, ""), (None, "anything")):
        hit = memory.lookup("Bonjour.", engine, key)
        assert hit is not None and hit.origin is Origin.HUMAN
    # The old machine translation is still there for its own engine.
    assert memory.lookup("Le chat dort.", APERTIUM, "g1") is not None


def test_human_translation_wins_over_machine(memory) -> None:
    memory.store_machine("doc", [("Bonjour.", "Hello.", "g1")], APERTIUM)
    memory.store_human(None, [("Bonjour.", "Good morning.")])
    memory.store_machine("doc", [("Bonjour.", "Hi.", "g1")], APERTIUM)
    hit = memory.lookup("Bonjour.", APERTIUM, "g1")
    assert hit is not None and (hit.target, hit.origin) == ("Good morning.", Origin.HUMAN)


def test_storing_again_updates_the_translation(memory) -> None:
    memory.store_machine("doc", [("Bonjour.", "Hello.", "g")], APERTIUM)
    memory.store_machine("doc", [("Bonjour.", "Hi.", "g")], APERTIUM)
    memory.store_human(None, [("Bonjour.", "Good day.")])
    memory.store_human(None, [("Bonjour.", "Good morning.")])
    stats = memory.stats()
    assert (stats.segments, stats.machine, stats.human, stats.human_versions) == (1, 1, 1, 2)
    assert memory.lookup("Bonjour.", None, "").target == "Good morning."
    assert memory.lookup_many(["Bonjour."], ARGOS, ["g"])[0].target == "Good morning."


def test_lookup_many_keeps_order_duplicates_and_per_segment_glossary_keys(memory) -> None:
    rows = [
        (f"Phrase {number}.", f"Sentence {number}.", f"g{number % 2}") for number in range(1200)
    ]
    memory.store_machine("doc", rows, APERTIUM)
    sources = ["Phrase 3.", "Inconnue.", "Phrase 3.", "Phrase 1100."]
    hits = memory.lookup_many(sources, APERTIUM, ["g1", "g1", "g0", "g0"])
    assert [hit.target if hit else None for hit in hits] == [
        "Sentence 3.",
        None,
        None,
        "Sentence 1100.",
    ]
    all_sources = [source for source, _, _ in rows]
    all_hits = memory.lookup_many(all_sources, APERTIUM, [key for _, _, key in rows])
    assert [hit.target for hit in all_hits] == [target for _, target, _ in rows]
    with pytest.raises(ValueError):
        memory.lookup_many(["a"], APERTIUM, [])


def test_without_an_engine_only_human_translations_are_found(memory) -> None:
    memory.store_machine("doc", [("Bonjour.", "Hello.", "")], APERTIUM)
    assert memory.lookup("Bonjour.", None, "") is None


def test_empty_human_pairs_are_skipped(memory) -> None:
    assert memory.store_human(None, [("Bonjour.", " "), ("", "x"), ("Oui.", "Yes.")]) == 1


# -- fuzzy matches ----------------------------------------------------------------------------


def test_fuzzy_offers_a_similar_segment_with_a_word_diff(memory) -> None:
    memory.store_machine(
        "doc",
        [("Le petit chat dort sur le tapis rouge.", "The little cat sleeps on the red mat.", "")],
        APERTIUM,
    )
    suggestion = memory.fuzzy("Le petit chien dort sur le tapis rouge.")
    assert suggestion is not None
    assert suggestion.source == "Le petit chat dort sur le tapis rouge."
    assert suggestion.target == "The little cat sleeps on the red mat."
    assert suggestion.origin is Origin.MEMORY
    assert 0.75 <= suggestion.similarity < 1
    assert suggestion.diff == (
        (0, "Le petit "),
        (-1, "chat"),
        (1, "chien"),
        (0, " dort sur le tapis rouge."),
    )


def test_fuzzy_below_the_threshold_offers_nothing(memory) -> None:
    memory.store_human(None, [("Le petit chat dort sur le tapis rouge.", "The little cat sleeps.")])
    assert memory.fuzzy("Le grand chien mange dans le jardin vert.") is None
    assert memory.fuzzy("...") is None
    assert memory.fuzzy("") is None


def test_fuzzy_excludes_the_exact_match_unless_asked(memory) -> None:
    memory.store_human(None, [("Le chat dort.", "The cat sleeps.")])
    assert memory.fuzzy("Le chat dort.") is None
    exact = memory.fuzzy("Le chat dort.", exclude_exact=False)
    assert exact is not None and exact.similarity == 1.0 and exact.diff == ((0, "Le chat dort."),)


def test_fuzzy_prefers_the_most_similar_and_the_human_translation(memory) -> None:
    memory.store_machine(
        "doc",
        [
            ("Le chat noir dort sur le grand tapis.", "The black cat sleeps on the big mat.", ""),
            (
                "Le chat noir dort sous le grand tapis.",
                "The black cat sleeps under the big mat.",
                "",
            ),
        ],
        APERTIUM,
    )
    memory.store_human(
        None, [("Le chat noir dort sur le grand tapis.", "The black cat sleeps on the large rug.")]
    )
    suggestion = memory.fuzzy("Le chat blanc dort sur le grand tapis.")
    assert suggestion is not None
    assert suggestion.source == "Le chat noir dort sur le grand tapis."
    assert (suggestion.target, suggestion.origin) == (
        "The black cat sleeps on the large rug.",
        Origin.HUMAN,
    )


def test_fuzzy_ignores_recorded_segments_without_translation(memory) -> None:
    memory.record_document("doc", ["Le chat noir dort sur le grand tapis."])
    assert memory.fuzzy("Le chat blanc dort sur le grand tapis.") is None


def test_fuzzy_many_answers_each_source(memory) -> None:
    memory.store_human(None, [("Le chat noir dort sur le grand tapis.", "The black cat sleeps.")])
    results = memory.fuzzy_many(["Le chat blanc dort sur le grand tapis.", "Rien à voir ici."])
    assert results[0] is not None and results[1] is None


def test_fuzzy_finds_near_duplicates_among_many_segments(memory) -> None:
    rows = [
        (
            f"Le document {number} décrit la procédure numéro {number * 7} du service.",
            f"Doc {number}.",
            "",
        )
        for number in range(3000)
    ]
    memory.store_machine("doc", rows, APERTIUM)
    suggestion = memory.fuzzy("Le document 1234 décrit la procédure numéro 8638 du bureau.")
    assert suggestion is not None
    assert suggestion.source == rows[1234][0]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_reconstructs_both_texts(old: str, new: str) -> None:
    diff = word_diff(old, new)
    assert "".join(text for op, text in diff if op <= 0) == old
    assert "".join(text for op, text in diff if op >= 0) == new


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_similarity_is_a_ratio(a: str, b: str) -> None:
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, a) == 1.0


def test_word_diff_never_splits_words() -> None:
    diff = word_diff("Elle mangeait une pomme.", "Elle mange une poire.")
    assert (-1, "mangeait") in diff and (1, "mange") in diff
    assert (-1, "pomme") in diff and (1, "poire") in diff


# -- documents, search, stats -----------------------------------------------------------------


def test_record_document_and_iterate_one_document_in_order(memory) -> None:
    memory.store_machine(
        "a", [("Un.", "One.", ""), ("Deux.", "Two.", ""), ("Trois.", "Three.", "")], APERTIUM
    )
    memory.record_document("a", ["Trois.", "Un.", "Trois."])
    memory.record_document("b", ["Deux."])
    assert [entry.source for entry in memory.iter_current("a")] == ["Trois.", "Un.", "Trois."]
    memory.record_document("a", ["Un."])
    assert [entry.source for entry in memory.iter_current("a")] == ["Un."]
    assert memory.documents() == ["a", "b"]
    with pytest.raises(BilingualError, match="no document named 'c'.*a, b"):
        list(memory.iter_current("c"))


def test_search_finds_exact_first_and_escapes_wildcards(memory) -> None:
    memory.store_human(
        None, [("Le chat dort.", "The cat sleeps."), ("chat", "cat"), ("100% sûr.", "100% sure.")]
    )
    results = memory.search("chat")
    assert [entry.source for entry in results] == ["chat", "Le chat dort."]
    assert [entry.source for entry in memory.search("0%")] == ["100% sûr."]
    assert memory.search("_") == []
    assert [entry.source for entry in memory.search("sleeps")] == ["Le chat dort."]


def test_stats_count_everything(memory) -> None:
    memory.store_machine("a", [("Un.", "One.", ""), ("Deux.", "Two.", "")], APERTIUM)
    memory.store_machine("a", [("Un.", "One!", "")], ARGOS)
    memory.store_human(None, [("Un.", "One.")])
    memory.record_document("a", ["Un.", "Deux.", "Quatre."])
    stats = memory.stats()
    assert (
        stats.segments,
        stats.translated_segments,
        stats.human,
        stats.machine,
        stats.documents,
    ) == (
        3,
        2,
        1,
        3,
        1,
    )
    assert stats.engines == ((APERTIUM.signature(), 2), (ARGOS.signature(), 1))
    assert stats.to_json()["engines"] == {APERTIUM.signature(): 2, ARGOS.signature(): 1}


# -- import -----------------------------------------------------------------------------------

OMEGAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="6.0.0" segtype="sentence" srclang="FR-FR"/>
  <body>
    <tu>
      <tuv lang="FR-FR"><seg>Le chat dort.</seg></tuv>
      <tuv lang="EN-GB" changeid="ana"><seg>The cat is asleep.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr"><seg>Il est <bpt i="1">&lt;b&gt;</bpt>très<ept i="1">&lt;/b&gt;</ept> tard.</seg></tuv>
      <tuv xml:lang="en"><seg>It is <bpt i="1">&lt;b&gt;</bpt>very<ept i="1">&lt;/b&gt;</ept> late.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="chapitre.txt" source-language="fr-FR" target-language="en-US" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>Le chat dort.</source><target state="translated">The cat is asleep.</target></trans-unit>
      <trans-unit id="2"><source>Il <g id="1">pleut</g>.</source><target state="final">It is <g id="1">raining</g>.</target></trans-unit>
      <trans-unit id="3"><source>Pas encore.</source><target state="needs-translation">Not yet.</target></trans-unit>
      <trans-unit id="4"><source>Sans cible.</source></trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment state="final"><source>Le chat dort.</source><target>The cat is asleep.</target></segment>
      <segment state="initial"><source>Il pleut.</source><target>It rains.</target></segment>
    </unit>
    <unit id="u2">
      <segment><source>Il <pc id="1">neige</pc><ph id="2"/>.</source><target>It is <pc id="1">snowing</pc><ph id="2"/>.</target></segment>
    </unit>
  </file>
</xliff>
"""


def test_import_tmx_from_omegat(memory, tmp_path: Path) -> None:
    path = tmp_path / "project_save.tmx"
    path.write_text(OMEGAT_TMX, encoding="utf-8")
    assert import_file(memory, path).stored == 2
    assert memory.lookup("Le chat dort.", APERTIUM, "g").target == "The cat is asleep."
    hit = memory.lookup("Il est très tard.", None, "")
    assert (hit.target, hit.origin) == ("It is very late.", Origin.HUMAN)


def test_import_xliff_12_and_20(memory, tmp_path: Path) -> None:
    (tmp_path / "a.xlf").write_text(XLIFF12, encoding="utf-8")
    (tmp_path / "b.xliff").write_text(XLIFF20, encoding="utf-8")
    assert import_file(memory, tmp_path / "a.xlf").stored == 2
    assert memory.lookup("Il pleut.", None, "").target == "It is raining."
    assert memory.lookup("Pas encore.", None, "") is None
    report = import_file(memory, tmp_path / "b.xliff")
    assert (report.stored, report.machine_marked, report.unchanged_human) == (1, 1, 1)
    assert memory.lookup("Il pleut.", None, "").target == "It is raining."  # initial: skipped
    assert memory.lookup("Il neige.", None, "").target == "It is snowing."


def test_import_tsv_with_escapes(memory, tmp_path: Path) -> None:
    path = tmp_path / "post-edits.tsv"
    path.write_text(
        "\ufeffLe chat dort.\tThe cat is asleep.\n\nUn\\tdeux\tOne\\ttwo\tnote\n", encoding="utf-8"
    )
    assert import_file(memory, path).stored == 2
    assert memory.lookup("Un\tdeux", None, "").target == "One\ttwo"


def test_import_format_option_overrides_the_extension(memory, tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text("Oui.\tYes.\n", encoding="utf-8")
    with pytest.raises(FormatError, match="--format"):
        import_file(memory, path)
    assert import_file(memory, path, "tsv").stored == 1


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        (
            "bad.tmx",
            OMEGAT_TMX.replace(
                "</seg></tuv>\n    </tu>\n    <tu>", "</tuv>\n    </tu>\n    <tu>", 1
            ),
            9,
            "not well-formed",
        ),
        (
            "bad.tmx",
            OMEGAT_TMX.replace('<tuv xml:lang="en">', '<tuv xml:lang="de">'),
            11,
            "English",
        ),
        ("bad.tmx", OMEGAT_TMX.replace("<seg>The cat is asleep.</seg>", ""), 9, "without <seg>"),
        ("bad.tmx", "<tmx version='1.4'>\n<header/>\n</tmx>", 1, "no <body>"),
        ("bad.tmx", "<?xml version='1.0'?>\n<html/>", 2, "not <tmx>"),
        (
            "bad.xlf",
            XLIFF12.replace('source-language="fr-FR"', 'source-language="de"'),
            3,
            "not French",
        ),
        ("bad.xlf", XLIFF12.replace("<source>Sans cible.</source>", ""), 8, "without <source>"),
        ("bad.tsv", "Oui.\tYes.\nNon sans tabulation\n", 2, "tab-separated"),
        ("bad.tsv", "Oui.\tYes.\nd\xe9j\xe0\tready\n".encode("latin-1"), 2, "UTF-8"),
    ],
)
def test_a_malformed_import_changes_nothing_and_names_the_line(
    memory, tmp_path: Path, name: str, content: str | bytes, line: int, message: str
) -> None:
    memory.store_human(None, [("Déjà là.", "Already there.")])
    before = snapshot(memory)
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message) as caught:
        import_file(memory, path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert snapshot(memory) == before


def test_a_file_that_fails_late_stores_none_of_its_earlier_units(memory, tmp_path: Path) -> None:
    units = "".join(
        f'<tu><tuv xml:lang="fr"><seg>Phrase {number}.</seg></tuv><tuv xml:lang="en"><seg>Sentence {number}.</seg></tuv></tu>\n'
        for number in range(500)
    )
    broken = '<tu><tuv xml:lang="fr"><seg>Dernière.</seg></tuv></tu>\n'
    path = tmp_path / "late.tmx"
    path.write_text(
        f"<tmx version='1.4'><header/><body>\n{units}{broken}</body></tmx>", encoding="utf-8"
    )
    with pytest.raises(FormatError) as caught:
        import_file(memory, path)
    assert caught.value.line == 502
    assert memory.stats().segments == 0


def test_entity_declarations_are_refused_never_expanded(memory, tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY a "aaaaaaaaaa">\n'
        + "".join(
            f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8)
        )
        + "]>\n<tmx version='1.4'><header/><body><tu><tuv xml:lang='fr'><seg>&i;</seg></tuv>"
        "<tuv xml:lang='en'><seg>x</seg></tuv></tu></body></tmx>"
    )
    path = tmp_path / "bomb.tmx"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(FormatError, match="entities") as caught:
        import_file(memory, path)
    assert caught.value.line == 3
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    external = (
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        "<tmx version='1.4'><header/><body><tu><tuv xml:lang='fr'><seg>&s;</seg></tuv>"
        "<tuv xml:lang='en'><seg>x</seg></tuv></tu></body></tmx>"
    )
    path.write_text(external, encoding="utf-8")
    with pytest.raises(FormatError, match="entities"):
        import_file(memory, path)
    assert memory.stats().segments == 0


def test_a_missing_import_file_is_reported(memory, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        import_file(memory, tmp_path / "absent.tmx")


# -- export -----------------------------------------------------------------------------------


@pytest.fixture
def filled(memory):
    memory.store_machine(
        "chapitre1",
        [
            ("Le chat dort.", "The cat sleeps.", "g1"),
            ("Il pleut\tbeaucoup.", "It rains\na lot.", "g1"),
        ],
        APERTIUM,
    )
    memory.store_machine("chapitre2", [("Bonjour & adieu <3.", "Hello & goodbye <3.", "")], ARGOS)
    memory.store_human("chapitre1", [("Le chat dort.", "The cat is asleep.")])
    memory.record_document("chapitre1", ["Il pleut\tbeaucoup.", "Le chat dort."])
    memory.record_document("chapitre2", ["Bonjour & adieu <3."])
    return memory


def test_tmx_export_is_valid_tmx_14(filled, tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    assert export_file(filled, path, "tmx") == 3  # one per segment: its current translation
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    header = tree.find("header")
    assert header.get("srclang") == "fr" and header.get("segtype") == "sentence"
    for attribute in ("creationtool", "creationtoolversion", "o-tmf", "adminlang", "datatype"):
        assert header.get(attribute)
    if not TMX_DTD.exists():
        pytest.skip(f"{TMX_DTD} is absent: DTD validation skipped")
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_tmx_export_loads_in_translate_toolkit(filled, tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    path = tmp_path / "memory.tmx"
    export_file(filled, path, "tmx")
    store = tmx.tmxfile.parsefile(str(path))
    pairs = [(unit.source, unit.target) for unit in store.units]
    assert ("Le chat dort.", "The cat is asleep.") in pairs
    assert ("Bonjour & adieu <3.", "Hello & goodbye <3.") in pairs
    assert ("Il pleut\tbeaucoup.", "It rains\na lot.") in pairs
    assert ("Le chat dort.", "The cat sleeps.") not in pairs  # the human translation replaces it


def test_xliff_export_loads_in_translate_toolkit(filled, tmp_path: Path) -> None:
    xliff = pytest.importorskip("translate.storage.xliff")
    path = tmp_path / "memory.xlf"
    assert export_file(filled, path, "xliff12", document="chapitre1") == 2
    store = xliff.xlifffile.parsefile(str(path))
    assert [(unit.source, unit.target) for unit in store.units] == [
        ("Il pleut\tbeaucoup.", "It rains\na lot."),
        ("Le chat dort.", "The cat is asleep."),
    ]


def test_tsv_export_escapes_tabs_and_newlines(filled, tmp_path: Path) -> None:
    path = tmp_path / "memory.tsv"
    assert export_file(filled, path, "tsv", document="chapitre2") == 1
    assert path.read_text(encoding="utf-8") == (
        f"Bonjour & adieu <3.\tHello & goodbye <3.\tmachine\t{ARGOS.signature()}\tchapitre2\t\n"
    )
    export_file(filled, path, "tsv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert "Il pleut\\tbeaucoup.\tIt rains\\na lot.\tmachine" in "\n".join(lines)


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "xliff12", "tsv"])
def test_reimporting_an_export_adds_only_the_human_translations(
    filled, locations, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"memory.{fmt}"
    export_file(filled, path, fmt)
    with open_memory(locations.new("other")) as other:
        assert import_file(other, path, fmt).stored == 1
        assert [(entry.source, entry.target) for entry in other.iter_entries()] == [
            ("Le chat dort.", "The cat is asleep.")
        ]


def test_post_edited_export_round_trips_as_human(filled, tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    export_file(filled, path, "tmx")
    # What a CAT tool does after post-editing: the machine marks are gone, the targets edited.
    edited = (
        path.read_text(encoding="utf-8")
        .replace('<prop type="x-origin">machine</prop>', "")
        .replace("It rains\na lot.", "It is pouring.")
    )
    path.write_text(edited, encoding="utf-8")
    import_file(filled, path)
    hit = filled.lookup("Il pleut\tbeaucoup.", APERTIUM, "g1")
    assert (hit.target, hit.origin) == ("It is pouring.", Origin.HUMAN)


def test_a_failed_export_leaves_the_previous_file(filled, tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text("previous")
    with pytest.raises(BilingualError, match="no document named"):
        export_file(filled, path, "tmx", document="nope")
    with pytest.raises(BilingualError, match="unknown format 'csv'"):
        export_file(filled, path, "csv")
    assert path.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".memory.tmx")] == []


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "xliff12", "tsv"])
def test_characters_xml_cannot_carry_round_trip_through_every_format(
    memory, locations, tmp_path: Path, fmt: str
) -> None:
    pairs = [("Page\x0csuivante\x1b[1m.", "Next\x0cpage\x07\x1b[1m.")]
    memory.store_human(None, pairs)
    export_file(memory, tmp_path / "m.out", fmt)
    with open_memory(locations.new("other")) as other:
        assert import_file(other, tmp_path / "m.out", fmt).stored == 1
        assert [(entry.source, entry.target) for entry in other.iter_entries()] == pairs


# -- never lose work ----------------------------------------------------------------------------


def run_writer(
    role: str, location: str | Path, name: str, batches: int, size: int
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPER), role, str(location), name, str(batches), str(size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_midway_loses_no_committed_batch(locations) -> None:
    location = locations.new()
    writer = run_writer("machine", location, "livre", 100_000, 50)
    committed = -1
    try:
        for line in writer.stdout:
            committed = int(line.split()[1])
            if committed >= 20:
                writer.send_signal(signal.SIGKILL)
                break
    finally:
        writer.kill()
        writer.wait(timeout=30)
        writer.stdout.close()
        writer.stderr.close()
    assert writer.returncode == -signal.SIGKILL
    assert committed >= 20
    with open_memory(location) as memory:
        assert memory.integrity_check() == "ok"
        for batch in range(committed + 1):
            rows = machine_rows("livre", batch, 50)
            hits = memory.lookup_many([source for source, _, _ in rows], ENGINE, ["g"] * len(rows))
            assert [hit.target if hit else None for hit in hits] == [
                target for _, target, _ in rows
            ]
        # Resuming: the next run stores the remaining batches on top.
        resumed_from = memory.stats().segments // (50 + SHARED)
        assert resumed_from >= committed + 1
        memory.store_machine("livre", machine_rows("livre", resumed_from, 50), ENGINE)
        assert memory.integrity_check() == "ok"


def test_four_writers_at_once_lose_nothing_and_readers_see_whole_batches(locations) -> None:
    """Two builds storing engine batches and two imports of post-edits, in four processes at
    once, writing some of the same segments; meanwhile every lookup sees each batch whole or
    not at all, and at the end every count is exact."""
    location = locations.new()
    open_memory(location).close()  # the schema: created once here, raced below
    batches, size = 12, 20
    writers = [
        run_writer(role, location, name, batches, size)
        for role, name in (("machine", "m0"), ("import", "i0"), ("machine", "m1"), ("import", "i1"))
    ]
    expected: list[tuple[list[str], list[str], EngineInfo | None]] = []
    for batch in range(batches):
        for name in ("m0", "m1"):
            rows = batch_rows(name, batch, size)
            expected.append(([r[0] for r in rows], [r[1] for r in rows], ENGINE))
        for name in ("i0", "i1"):
            edits = post_edits(name, batch, size)[:size]
            expected.append(([e[0] for e in edits], [e[1] for e in edits], None))
    looks = 0
    with open_memory(location) as memory:
        while any(writer.poll() is None for writer in writers) or not looks:
            looks += 1
            for sources, targets, engine in expected:
                hits = memory.lookup_many(sources, engine, ["g"] * len(sources))
                found = [hit.target if hit else None for hit in hits]
                assert found in ([None] * len(sources), targets)
            time.sleep(0.2)  # leave the two cores to the writers most of the time
    for writer in writers:
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
    with open_memory(location) as memory:
        assert memory.integrity_check() == "ok"
        stats = memory.stats()
        assert stats.segments == 4 * batches * size + batches * SHARED
        assert stats.machine == 2 * batches * size + batches * SHARED
        assert stats.human_versions == 2 * batches * (size + SHARED)
        assert stats.human == 2 * batches * size + batches * SHARED
        assert stats.operations == 2 * batches
        for sources, targets, engine in expected:
            hits = memory.lookup_many(sources, engine, ["g"] * len(sources))
            assert [hit.target if hit else None for hit in hits] == targets
        shared = shared_sources(batches - 1)[0]
        versions = {version.target for version in memory.history(shared)}
        assert versions == {
            post_edits("i0", batches - 1, 0)[0][1],
            post_edits("i1", batches - 1, 0)[0][1],
            machine_rows("m0", batches - 1, 0)[0][1],
        }
    assert looks > 1


def test_clients_creating_the_schema_at_once_all_succeed(locations) -> None:
    # Many rounds on SQLite: it refused a journal-mode switch without waiting in ~5 % of them.
    for round_ in range(40 if locations.server is None else 3):
        location = locations.new(f"new{round_}")
        start = threading.Barrier(4)
        failures: list[BaseException] = []

        def client(number: int, location: str = location, start=start, failures=failures) -> None:
            start.wait()
            try:
                with open_memory(location) as memory:
                    memory.store_machine(
                        "d", [(f"Client {number}.", f"Client {number}.", "")], ENGINE
                    )
            except BaseException as error:  # noqa: BLE001 - collected and reported below
                failures.append(error)

        threads = [threading.Thread(target=client, args=(number,)) for number in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        with open_memory(location) as memory:
            assert memory.stats().machine == 4
            assert memory.integrity_check() == "ok"


def test_a_build_tmx_imports_only_its_human_units(memory, tmp_path: Path) -> None:
    from bilingual.document import Document, Segment, Unit
    from bilingual.export.exchange import write_tmx

    text = "Il pleut. Il neige."
    document = Document(
        "meteo",
        text,
        units=[
            Unit(Segment(0, 9, "Il pleut."), "It rains.", Origin.MACHINE, APERTIUM),
            Unit(Segment(10, 19, "Il neige."), "It is snowing.", Origin.HUMAN),
        ],
    )
    path = tmp_path / "meteo.tmx"
    write_tmx(document, path)
    report = import_file(memory, path)
    assert (report.stored, report.machine_marked) == (1, 1)
    assert memory.lookup("Il pleut.", None, "") is None
    assert memory.lookup("Il neige.", None, "").target == "It is snowing."


# -- versions, operations, undo, upgrade --------------------------------------------------------

SCHEMA_1 = """
CREATE TABLE segment (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL, fuzzy_indexed INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE TABLE translation (id INTEGER PRIMARY KEY, segment_id INTEGER NOT NULL REFERENCES segment(id),
    target TEXT NOT NULL, origin TEXT NOT NULL CHECK (origin IN ('machine', 'human')),
    engine TEXT NOT NULL, glossary_key TEXT NOT NULL, document TEXT, created TEXT NOT NULL,
    updated TEXT NOT NULL, UNIQUE (segment_id, origin, engine, glossary_key));
CREATE TABLE document_segment (document TEXT NOT NULL, position INTEGER NOT NULL,
    segment_id INTEGER NOT NULL REFERENCES segment(id), PRIMARY KEY (document, position)) WITHOUT ROWID;
CREATE TABLE fuzzy_token (token TEXT NOT NULL, length INTEGER NOT NULL, segment_id INTEGER NOT NULL,
    PRIMARY KEY (token, length, segment_id)) WITHOUT ROWID;
CREATE TABLE token_df (token TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE checked (key TEXT PRIMARY KEY, findings TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO segment VALUES (1, 'Bonjour.', 8, 0, '2024-01-01T00:00:00Z');
INSERT INTO translation VALUES (1, 1, 'Hello.', 'machine', 'apertium:3.8.3:fr-en', '', 'a',
    '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
INSERT INTO translation VALUES (2, 1, 'Good day.', 'human', '', '', NULL,
    '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z');
INSERT INTO document_segment VALUES ('a', 0, 1);
"""


def test_a_version_1_memory_is_upgraded_in_place_keeping_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA_1)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    with SQLiteMemory(path) as memory:
        assert memory.lookup("Bonjour.", APERTIUM, "").target == "Good day."
        memory.store_human(None, [("Bonjour.", "Good morning.")])
        assert [v.target for v in memory.history("Bonjour.")] == [
            "Good morning.", "Good day.", "Hello."
        ]
        assert [entry.target for entry in memory.iter_current("a")] == ["Good morning."]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_clients_upgrading_a_version_1_memory_at_once_upgrade_it_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA_1)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    start = threading.Barrier(4)
    found: list[object] = []

    def client() -> None:
        start.wait()
        try:
            with SQLiteMemory(path) as memory:
                found.append(memory.lookup("Bonjour.", APERTIUM, "").target)
        except BaseException as error:  # noqa: BLE001 - collected and reported below
            found.append(error)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert found == ["Good day."] * 4
    with SQLiteMemory(path) as memory:
        assert [v.target for v in memory.history("Bonjour.")] == ["Good day.", "Hello."]


def test_human_versions_are_kept_and_the_newest_is_used(memory) -> None:
    memory.store_human(None, [("Oui.", "Yes.")])
    memory.store_human(None, [("Oui.", "Yes indeed.")])
    assert memory.store_human(None, [("Oui.", "Yes indeed.")]) == 0  # the same: nothing new
    history = memory.history("Oui.")
    assert [(v.target, v.current) for v in history] == [("Yes indeed.", True), ("Yes.", False)]
    assert [op.kind for op in memory.operations()] == ["edit", "edit", "edit"]


def test_undoing_an_import_drops_the_segments_only_it_brought(memory, tmp_path: Path) -> None:
    memory.store_machine("d", [("Le chat dort bien.", "The cat sleeps well.", "")], APERTIUM)
    path = tmp_path / "new.tsv"
    path.write_text(
        "Le chat dort bien.\tThe cat sleeps soundly.\nLe chien aboie fort.\tThe dog barks.\n",
        encoding="utf-8",
    )
    report = import_file(memory, path)
    assert report.stored == 2
    assert memory.fuzzy("Le chien aboie très fort.") is not None
    operation, changed = memory.undo(report.operation)
    assert changed == 2 and operation.kind == "import"
    assert memory.history("Le chien aboie fort.") == []
    assert memory.fuzzy("Le chien aboie très fort.") is None
    assert memory.lookup("Le chat dort bien.", APERTIUM, "").target == "The cat sleeps well."
    assert memory.stats().segments == 1


def test_removal_retires_every_translation_and_undo_restores_them(memory) -> None:
    memory.store_machine("d", [("Le chat dort bien.", "The cat sleeps well.", "")], APERTIUM)
    memory.store_human(None, [("Le chat dort bien.", "The cat sleeps soundly.")])
    operation, count = memory.remove("Le chat dort bien.")
    assert count == 2
    assert memory.lookup("Le chat dort bien.", APERTIUM, "") is None
    assert memory.fuzzy("Le chat dort très bien.") is None  # nothing left to offer
    assert all(v.removed_by == operation.id for v in memory.history("Le chat dort bien."))
    memory.undo(operation.id)
    assert memory.lookup("Le chat dort bien.", APERTIUM, "").target == "The cat sleeps soundly."
    with pytest.raises(BilingualError, match="no translation of 'Absent.'"):
        memory.remove("Absent.")


def test_a_segment_over_ten_megabytes_round_trips_through_tmx_and_xliff(
    memory, locations, tmp_path: Path
) -> None:
    source = "Une phrase très longue. " * 450_000
    memory.store_human(None, [(source, "A very long sentence. " * 450_000)])
    for fmt in ("tmx", "xliff", "xliff12"):
        path = tmp_path / f"huge.{fmt}"
        export_file(memory, path, fmt)
        with open_memory(locations.new(fmt)) as other:
            assert import_file(other, path, fmt).stored == 1
            assert next(other.iter_entries()).source == source


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ("", "has no source-language"),
        ('source-language="fr"', "has no target-language"),
        ('source-language="fr" target-language="de"', "not English"),
    ],
)
def test_an_xliff_1_2_must_say_it_is_french_to_english(
    memory, tmp_path: Path, attributes: str, message: str
) -> None:
    path = tmp_path / "unknown.xlf"
    path.write_text(
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="a.txt" datatype="plaintext" {attributes}><body>\n'
        '<trans-unit id="1"><source>Oui.</source><target state="translated">Ja.</target>'
        "</trans-unit></body></file></xliff>\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match=message) as caught:
        import_file(memory, path)
    assert caught.value.line == 2
    assert memory.stats().segments == 0
