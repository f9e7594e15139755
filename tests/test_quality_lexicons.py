"""Word lists: sorted look-up, and the cache that spares each process sorting them again."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.quality import lexicons
from bilingual.quality.lexicons import Lexicon, SortedWords


@pytest.fixture
def word_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dictionary folder of our own with a French list, and an empty cache folder."""
    folder = tmp_path / "dict"
    folder.mkdir()
    (folder / "french").write_text("poire\nÉcole\npomme\nabricot\n", encoding="utf-8")
    monkeypatch.setattr(lexicons, "DICT_DIR", folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lexicons._read_lexicon.cache_clear()
    yield folder
    lexicons._read_lexicon.cache_clear()


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "bilingual" / "word-lists").glob("*.words"))


def read_fresh(language: str = "fr") -> Lexicon:
    lexicons._read_lexicon.cache_clear()
    return lexicons._read_lexicon(language)


def test_sorted_words_answer_membership() -> None:
    words = SortedWords(["pomme", "Poire", "abricot", "abricots"])
    assert [w in words for w in ("Poire", "poire", "abricot", "abrico", "zzz", 3)] == [
        True, False, True, False, False, False,
    ]
    assert list(words) == ["Poire", "abricot", "abricots", "pomme"]


def test_a_second_process_reads_the_cache_not_the_list(
    word_lists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = read_fresh()
    assert [path.name.split(".")[0] for path in cache_files(tmp_path)] == ["fr"]

    def not_again(*_: object) -> Lexicon:
        raise AssertionError("the word list was parsed again")

    monkeypatch.setattr(Lexicon, "parse", not_again)
    second = read_fresh()
    assert list(second.words) == list(first.words) == ["abricot", "poire", "pomme", "École"]
    assert "école" in second and "Poire" in second and "prune" not in second


def test_an_upgraded_list_replaces_its_cache(word_lists: Path, tmp_path: Path) -> None:
    read_fresh()
    (tmp_path / "dict" / "french").write_text("prune\npoire\nfraise\nkiwi\n", encoding="utf-8")
    assert "prune" in read_fresh()
    assert len(cache_files(tmp_path)) == 1  # the older list's cache is gone


def test_a_damaged_cache_is_read_as_missing(word_lists: Path, tmp_path: Path) -> None:
    read_fresh()
    (cached,) = cache_files(tmp_path)
    for damage in (b"", cached.read_bytes()[:-3], b"not a cache at all" * 10):
        cached.write_bytes(damage)
        assert list(read_fresh().words) == ["abricot", "poire", "pomme", "École"]


def test_an_unwritable_cache_only_costs_time(word_lists: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder would go")
    assert "pomme" in read_fresh()


def test_languages_sharing_a_prefix_keep_their_own_caches(word_lists: Path, tmp_path: Path) -> None:
    (word_lists / "american-english").write_text("pear\n", encoding="utf-8")
    (word_lists / "american-english-large").write_text("pear\npanne\n", encoding="utf-8")
    assert "panne" in read_fresh("en-large")
    assert "panne" not in read_fresh("en")
    assert sorted(path.name.split(".")[0] for path in cache_files(tmp_path)) == ["en", "en-large"]


def test_forgotten_word_lists_come_back_from_the_cache(
    word_lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lexicons.is_french("poire") is True
    lexicons.forget_word_lists()
    assert lexicons._read_lexicon.cache_info().currsize == 0
    assert lexicons.is_french.cache_info().currsize == 0

    def not_again(*_: object) -> Lexicon:
        raise AssertionError("the word list was parsed again")

    monkeypatch.setattr(Lexicon, "parse", not_again)
    assert lexicons.is_french("poire") is True and lexicons.is_french("zzqx") is False
