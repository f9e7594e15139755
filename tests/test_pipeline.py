"""Orchestration of the build stages, with a test double engine (the real engines have their
own tests and the end-to-end tests use Apertium)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bilingual.document import EngineInfo, Origin, Segment, Unit
from bilingual.engines.base import Engine, ProgressCallback
from bilingual.pipeline import STAGES, BuildConfig, batches, build


class UppercaseEngineDouble(Engine):
    """Test double: "translates" by upper-casing, and records every batch it is sent."""

    name = "double"
    batch_chars = 40

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    @classmethod
    def is_available(cls) -> bool:
        return True

    def info(self) -> EngineInfo:
        return EngineInfo("double", "1", "upper")

    def translate(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        self.batches.append(list(texts))
        return [text.upper() for text in texts]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Il y a 100 000 modèles. Deux !\n\nTroisième paragraphe.", "utf-8"
    )
    (folder / "b.txt").write_text("Une seule phrase : « oui ».", "utf-8")
    return folder


def test_stages_are_named_and_ordered() -> None:
    assert [name for name, _ in STAGES] == [
        "read",
        "glossary",
        "segment",
        "engine",
        "memory",
        "recall",
        "translate",
        "check",
        "write",
    ]


def test_build_aligns_every_segment_and_writes_outputs(tmp_path: Path, sources: Path) -> None:
    engine = UppercaseEngineDouble()
    out = tmp_path / "out"
    result = build([sources], BuildConfig(output_dir=out), engine=engine)
    names = [document.name for document in result.documents]
    assert names == ["a", "b"]
    a = result.documents[0]
    assert [unit.source for unit in a.units] == [
        "Il y a 100 000 modèles.",
        "Deux !",
        "Troisième paragraphe.",
    ]
    assert [unit.segment.paragraph for unit in a.units] == [0, 0, 1]
    # typography after the engine: numbers and punctuation in English style
    assert [unit.target for unit in a.units] == [
        "IL Y A 100,000 MODÈLES.",
        "DEUX!",
        "TROISIÈME PARAGRAPHE.",
    ]
    assert result.documents[1].units[0].target == "UNE SEULE PHRASE: “OUI”."
    assert all(unit.engine == engine.info() for unit in a.units)
    assert a.engine == engine.info()
    assert result.translated == 4
    for name in ("a.html", "a.tmx", "b.html", "b.tmx", "memory.tmx", "index.html"):
        assert (out / name).is_file(), name
    assert result.files["a"] == {"html": "a.html", "tmx": "a.tmx", "doc": "a.en.txt"}
    # the English document keeps the source's layout
    assert (out / "a.en.txt").read_text("utf-8") == (
        "IL Y A 100,000 MODÈLES. DEUX!\n\nTROISIÈME PARAGRAPHE."
    )


def test_engine_receives_bounded_batches(tmp_path: Path, sources: Path) -> None:
    engine = UppercaseEngineDouble()
    build([sources], BuildConfig(output_dir=tmp_path / "out"), engine=engine)
    assert len(engine.batches) > 1
    assert sum(len(batch) for batch in engine.batches) == 4


def test_batches_never_empty_and_keep_order() -> None:
    units = [Unit(Segment(0, n, "x" * n)) for n in (5, 50, 5, 5)]
    grouped = list(batches(units, 20))
    assert [[len(u.source) for u in batch] for batch in grouped] == [[5], [50], [5, 5]]


def test_duplicate_stems_get_distinct_outputs(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"Texte {folder}.", "utf-8")
    result = build(
        [tmp_path / "x", tmp_path / "y"],
        BuildConfig(output_dir=tmp_path / "out"),
        engine=UppercaseEngineDouble(),
    )
    assert [d.name for d in result.documents] == ["same", "same-2"]


def test_memory_reuses_translations_and_human_wins(tmp_path: Path, sources: Path) -> None:
    from bilingual.memory import open_memory

    config = BuildConfig(output_dir=tmp_path / "out", memory_path=tmp_path / "tm.sqlite")
    first = UppercaseEngineDouble()
    build([sources], config, engine=first)
    with open_memory(tmp_path / "tm.sqlite") as memory:
        memory.store_human(None, [("Deux !", "Two!")])
    second = UppercaseEngineDouble()
    result = build([sources], config, engine=second)
    assert second.batches == []
    assert result.recalled == 4
    units = {unit.source: unit for doc in result.documents for unit in doc.units}
    assert units["Deux !"].target == "Two!" and units["Deux !"].origin is Origin.HUMAN
    assert units["Troisième paragraphe."].origin is Origin.MEMORY

    third = UppercaseEngineDouble()
    build(
        [sources],
        BuildConfig(output_dir=tmp_path / "out", memory_path=config.memory_path, retranslate=True),
        engine=third,
    )
    assert sorted(text for batch in third.batches for text in batch) == sorted(
        ["Il y a 100 000 modèles.", "Troisième paragraphe.", "Une seule phrase : « oui »."]
    )


def test_glossary_matches_follow_an_edited_glossary() -> None:
    from bilingual.document import Document
    from bilingual.glossary import Entry, Glossary
    from bilingual.pipeline import BuildState, SilentReporter, match_glossary

    document = Document("chats", "Le chat dort. Il pleut.")
    document.units = [Unit(Segment(0, 13, "Le chat dort.")), Unit(Segment(14, 23, "Il pleut."))]
    state = BuildState(BuildConfig(), [], SilentReporter())
    state.glossary = Glossary.from_entries([Entry("chat", "cat")])
    match_glossary(state, document)
    cat, rain = document.units
    assert [m.entry.source for m in state.term_matches(cat)] == ["chat"]
    assert state.term_matches(rain) == [] and state.glossary_key(rain) == state.unmatched_key
    assert state.glossary_key(cat) != state.unmatched_key
    state.glossary = Glossary.from_entries([Entry("pleuvoir", "rain")])  # "chat" removed
    match_glossary(state, document)
    assert state.term_matches(cat) == [] and state.glossary_key(cat) == state.unmatched_key


def test_a_big_build_drops_the_word_lists_once_checked(
    tmp_path: Path, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bilingual import pipeline
    from bilingual.quality import lexicons

    def findings(result: pipeline.BuildResult) -> list[list[str]]:
        return [[f.kind for f in unit.findings] for doc in result.documents for unit in doc.units]

    small = build(
        [sources], BuildConfig(output_dir=tmp_path / "small"), engine=UppercaseEngineDouble()
    )
    assert lexicons._read_lexicon.cache_info().currsize > 0  # kept for the next build
    monkeypatch.setattr(pipeline, "BIG_BUILD_UNITS", 4)
    big = build([sources], BuildConfig(output_dir=tmp_path / "big"), engine=UppercaseEngineDouble())
    assert lexicons._read_lexicon.cache_info().currsize == 0
    assert findings(big) == findings(small) and any(findings(big))
