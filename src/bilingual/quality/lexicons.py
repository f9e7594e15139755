"""Which language a word belongs to, from Debian's word lists.

English comes from ``wamerican`` and ``wbritish`` (the standard size: the ``-large`` lists hold
rare words such as "panne" that would hide French leftovers), French from ``wfrench`` and Spanish
from ``wspanish``. The lists hold inflected forms for English and French but mostly lemmas for
Spanish, so Spanish endings are undone before a look-up, and Apertium's Spanish analyser
(:mod:`bilingual.quality.morphology`) has the last word when installed.

Lists load on first use and stay for the process. Sorting a million words took 1.3 s of
processor time per process, a tenth of a 200 KB build, so the sorted lists are kept in the user's
cache folder (``$XDG_CACHE_HOME/bilingual/word-lists``), one file per language, named after the
word lists' paths, sizes and times: an upgraded list is read afresh, and a cache that cannot be
read or written is only slower. When a
list is missing, the check that needs it is skipped and one warning says which Debian package
brings it back: a machine without word lists still translates, it just flags less.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import struct
import sys
import threading
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path

from ..userdirs import xdg_home
from .morphology import analyser

logger = logging.getLogger(__name__)

DICT_DIR = Path("/usr/share/dict")
#: Word list files per language (all present ones are read: American and British spellings are
#: both English) and the Debian packages that ship them.
WORD_LISTS: dict[str, tuple[tuple[str, ...], str]] = {
    "en": (("american-english", "british-english"), "wamerican wbritish"),
    # exact spellings only: "tramway" is English, "pannes" must not pass as a plural of "panne"
    "en-large": (
        ("american-english-large", "british-english-large"),
        "wamerican-large wbritish-large",
    ),
    "fr": (("french",), "wfrench"),
    "es": (("spanish",), "wspanish"),
}


#: Answers kept per question (is_english, is_french...): a long text asks about the same words
#: again and again, and a look-up through word endings and analysers costs far more than a hit.
WORDS_REMEMBERED = 1 << 16


class SortedWords:
    """Words in one sorted string, looked up by bisection.

    The words are sorted (a list of 300,000 words sorts several times faster than it hashes
    into a set) and then kept as one newline-separated string with the offset of each word: a
    list of separate string objects took ~170 MB for the five word lists, this takes ~20 MB.
    The checks ask about a few thousand distinct words per text and memoise the answers, so
    the slower look-up costs a build nothing it would notice.

    >>> words = SortedWords("pomme poire abricot".split())
    >>> "poire" in words, "prune" in words, "pom" in words, len(words)
    (True, False, False, 3)
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, words: list[str]) -> None:
        words.sort()
        self._text = "\n".join(words) + "\n"
        self._starts = array("I", [0])
        self._starts.extend(accumulate(len(word) + 1 for word in words))

    @classmethod
    def from_parts(cls, text: str, starts: array[int]) -> SortedWords:
        """The words of :meth:`parts` again, as a cache kept them."""
        words = cls.__new__(cls)
        words._text, words._starts = text, starts
        return words

    def parts(self) -> tuple[str, array[int]]:
        """The joined words and their offsets, for a cache."""
        return self._text, self._starts

    def __getitem__(self, index: int) -> str:
        return self._text[self._starts[index] : self._starts[index + 1] - 1]

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        index = bisect_left(self, word)
        return index < len(self) and self[index] == word

    def __len__(self) -> int:
        return len(self._starts) - 1


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The words of one language: exact spellings, and lower-cased ones for case-blind look-up."""

    language: str
    words: SortedWords
    folded: SortedWords

    def __bool__(self) -> bool:
        return bool(self.words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.words or word.lower() in self.folded)

    @classmethod
    def parse(cls, language: str, text: str) -> Lexicon:
        """The lexicon of a word list's text (whitespace-separated words).

        Normalised and lower-cased as one string, not word by word, and kept in sorted lists
        rather than sets: a list of 300,000 words then loads in a fraction of the time.

        >>> "école" in Lexicon.parse("fr", "E\u0301cole lycée")
        True
        """
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return cls(language, SortedWords(text.split()), SortedWords(text.lower().split()))


_LOADING = threading.Lock()


def lexicon(language: str) -> Lexicon:
    """The word list of ``language`` (``en``, ``en-large``, ``fr``, ``es``), read on first call.

    An empty lexicon (falsy) means the list is not installed; one warning names the package.
    Threads asking at the same time wait for one reading.
    """
    with _LOADING:
        return _read_lexicon(language)


def load_word_lists() -> None:
    """Read every word list now (each is read once per process)."""
    for language in WORD_LISTS:
        lexicon(language)


def forget_word_lists() -> None:
    """Drop the word lists and the answers remembered from them, and hand the memory back to
    the system: a build that has checked everything needs them no more (~35 MB, and up to as
    much again of answers). A later question reads the lists again, from the cache."""
    with _LOADING:
        _read_lexicon.cache_clear()
    for remembered in (is_english, is_spanish, is_french):
        remembered.cache_clear()
    gc.collect()
    # glibc keeps freed blocks of its heap for the process: the lists' big strings would stay
    # in the build's resident memory without this (measured: 73 MB resident before, 30 after)
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):  # not glibc
        pass


@cache
def _read_lexicon(language: str) -> Lexicon:
    names, package = WORD_LISTS[language]
    sources = [path for path in (DICT_DIR / name for name in names) if path.is_file()]
    cached = _cache_file(language, sources)
    found = _read_cache(language, cached) if cached else None
    if found is None:
        texts = [path.read_text(encoding="utf-8", errors="replace") for path in sources]
        found = Lexicon.parse(language, "\n".join(texts))
        if cached and found:
            _write_cache(found, cached)
    if not found:
        logger.warning(
            "no %s word list in %s: foreign-word checks are skipped; install it with: "
            "apt-get install %s",
            language,
            DICT_DIR,
            package,
        )
    return found


#: Bump when the cache files' layout or :meth:`Lexicon.parse` changes.
CACHE_LAYOUT = 1
_CACHE_MAGIC = b"bilingual-words\n"
_LENGTHS = struct.Struct("<4Q")


def _cache_file(language: str, sources: list[Path]) -> Path | None:
    """Where the sorted lists of ``sources`` are cached (``None``: a list cannot be read)."""
    try:
        states = [(path, path.stat()) for path in sources]
    except OSError:
        return None
    stamps = [(str(path), state.st_size, state.st_mtime_ns) for path, state in states]
    key = repr((CACHE_LAYOUT, sys.byteorder, array("I").itemsize, language, stamps))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    folder = xdg_home("XDG_CACHE_HOME", ".cache") / "bilingual" / "word-lists"
    return folder / f"{language}.{digest}.words"


def _read_cache(language: str, path: Path) -> Lexicon | None:
    """The lexicon cached in ``path``, or ``None`` when there is none or it is damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = len(_CACHE_MAGIC) + _LENGTHS.size
    if not data.startswith(_CACHE_MAGIC) or len(data) < header:
        return None
    lengths = _LENGTHS.unpack_from(data, len(_CACHE_MAGIC))
    if header + sum(lengths) != len(data):
        return None
    parts, position = [], header
    try:
        for text_length, starts_length in (lengths[:2], lengths[2:]):
            text = data[position : position + text_length].decode("utf-8")
            starts = array("I")
            starts.frombytes(data[position + text_length : position + text_length + starts_length])
            if not starts or starts[-1] != len(text):
                return None
            parts.append(SortedWords.from_parts(text, starts))
            position += text_length + starts_length
    except (UnicodeDecodeError, ValueError):
        return None
    return Lexicon(language, *parts)


def _write_cache(found: Lexicon, path: Path) -> None:
    from ..errors import BilingualError
    from ..textio import atomic_write

    pieces, lengths = [], []
    for words in (found.words, found.folded):
        text, starts = words.parts()
        pieces += [text.encode("utf-8"), starts.tobytes()]
        lengths += [len(pieces[-2]), len(pieces[-1])]
    try:
        atomic_write(path, b"".join([_CACHE_MAGIC, _LENGTHS.pack(*lengths), *pieces]))
        for older in path.parent.glob(f"{found.language}.*.words"):  # of word lists since upgraded
            if older != path:
                older.unlink(missing_ok=True)
    except (BilingualError, OSError) as error:
        logger.debug("word lists not cached in %s: %s", path, error)


def _english_stems(word: str) -> list[str]:
    """Forms ``word`` may be inflected from: plural, past, -ing, comparative, adverb, genitive."""
    stems: list[str] = []
    for suffix, replacements in (
        ("'s", ("",)),
        ("’s", ("",)),
        ("ies", ("y",)),
        ("ied", ("y",)),
        ("es", ("", "e")),
        ("s", ("",)),
        ("ed", ("", "e")),
        ("ing", ("", "e")),
        ("ers", ("", "e")),
        ("er", ("", "e")),
        ("est", ("", "e")),
        ("ly", ("", "le")),
        ("ily", ("y",)),
        ("ness", ("",)),
        ("ment", ("",)),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)]
            stems.extend(base + replacement for replacement in replacements)
            doubled = len(base) > 2 and base[-1] == base[-2]
            if doubled and suffix in ("ed", "ing", "er", "ers", "est"):  # stopped, biggest
                stems.append(base[:-1])
    for prefix in ("re", "un", "non", "pre", "co", "over", "under", "sub", "inter", "multi"):
        if word.startswith(prefix) and len(word) > len(prefix) + 3:
            stems.append(word[len(prefix) :].lstrip("-"))
    return stems


@lru_cache(maxsize=WORDS_REMEMBERED)
def is_english(word: str) -> bool | None:
    """Whether ``word`` is English (``None``: no English word list on this machine).

    Hyphenated and apostrophe compounds are English when every part is; regular inflections
    of listed words count ("reviewers", "unbundled").

    >>> [is_english(w) for w in ("reviewers", "open-source", "don't", "Bordeaux", "veintena")]
    [True, True, True, True, False]
    """
    english = lexicon("en")
    if not english:
        return None
    return _known_english(unicodedata.normalize("NFC", word), english)


def _known_english(word: str, english: Lexicon) -> bool:
    # A lower-case word must be listed in lower case: "avis" is not English because "Avis" is.
    if word in english.words or word.lower() in english.words:
        return True
    if word.isupper() and word in english:
        return True
    for separator in ("-", "‑", "/"):
        if separator in word:
            parts = [part for part in word.split(separator) if part]
            return bool(parts) and all(_known_english(part, english) for part in parts)
    lower = word.lower()
    if lower.endswith(("'", "’")):  # plural genitive: the engineers'
        return _known_english(word[:-1], english)
    if any(stem in english.words for stem in _english_stems(lower)):
        return True
    large = lexicon("en-large")
    return word in large.words or lower in large.words


#: Spanish endings → the lemma endings they may come from (verbs, then nouns and adjectives).
_SPANISH_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ábamos", ("ar",)),
    ("aban", ("ar",)),
    ("aba", ("ar",)),
    ("aron", ("ar",)),
    ("ando", ("ar",)),
    ("ado", ("ar",)),
    ("ada", ("ar",)),
    ("ados", ("ar",)),
    ("adas", ("ar",)),
    ("ó", ("ar",)),
    ("ían", ("er", "ir")),
    ("ía", ("er", "ir")),
    ("ieron", ("er", "ir")),
    ("iendo", ("er", "ir")),
    ("ido", ("er", "ir")),
    ("ida", ("er", "ir")),
    ("ió", ("er", "ir")),
    ("an", ("ar",)),
    ("en", ("er", "ir")),
    ("a", ("ar", "o", "")),
    ("e", ("er", "ir", "ar")),
    ("as", ("o", "a", "ar")),
    ("os", ("o",)),
    ("es", ("", "e")),
    ("s", ("",)),
)


@lru_cache(maxsize=WORDS_REMEMBERED)
def is_spanish(word: str) -> bool:
    """Whether ``word`` is a Spanish word or a regular inflection of one.

    >>> [is_spanish(w) for w in ("veintena", "ribereños", "ralentiza", "esgrimía", "ciudad")]
    [True, True, True, True, True]
    >>> is_spanish("moderniser")
    False

    Spanish forms of names that French spells otherwise, and what Apertium's generator writes
    as one word (an auxiliary or "se" fused with the verb) count too:

    >>> [is_spanish(w) for w in ("Nilo", "Kenia", "hadeclarado", "seconfirma", "Lyon")]
    [True, True, True, True, False]
    """
    written = unicodedata.normalize("NFC", word)
    word = written.lower()
    if _spanish_word(word):
        return True
    if written[:1].isupper() and _spanish_name(written):
        return True
    for fused in _FUSED_PREFIXES:
        rest = word.removeprefix(fused)
        if rest != word and len(rest) > 3 and _spanish_verb(rest):
            return True
    return False


#: What Apertium's Spanish generator fuses with the next verb ("ha declarado" → "hadeclarado").
_FUSED_PREFIXES = ("ha", "han", "he", "hemos", "había", "habían", "se")


def _spanish_word(word: str) -> bool:
    spanish = lexicon("es")
    if word in spanish:
        return True
    for ending, lemma_endings in _SPANISH_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            if any(stem + lemma in spanish for lemma in lemma_endings):
                return True
    spanish_analyser = analyser("es")
    return spanish_analyser is not None and spanish_analyser.analyse([word])[word].known


def _spanish_verb(word: str) -> bool:
    spanish_analyser = analyser("es")
    if spanish_analyser is None:
        return False
    return any("<vblex>" in reading for reading in spanish_analyser.analyse([word])[word].readings)


def _spanish_name(word: str) -> bool:
    """A name Apertium's Spanish analyser knows and its French analyser does not ("Nilo")."""
    spanish_analyser, french_analyser = analyser("es"), analyser("fr")
    if spanish_analyser is None or french_analyser is None:
        return False
    if not spanish_analyser.analyse([word])[word].proper_noun:
        return False
    return not french_analyser.analyse([word])[word].known


@lru_cache(maxsize=WORDS_REMEMBERED)
def is_french(word: str) -> bool:
    """Whether ``word`` is in the French word list (which holds inflected forms).

    Apertium's French analyser, when installed, knows words the list lacks; names excepted.

    >>> [is_french(w) for w in ("pannes", "bondées", "prévisionnel", "veintena")]
    [True, True, True, False]
    >>> [is_french(w) for w in ("transfrontalier", "Lyon")]
    [True, False]
    """
    word = unicodedata.normalize("NFC", word)
    if word in lexicon("fr"):
        return True
    french_analyser = analyser("fr")
    if french_analyser is None:
        return False
    analysis = french_analyser.analyse([word])[word]
    return analysis.known and not analysis.proper_noun
