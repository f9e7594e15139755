"""Long-lived Apertium streams: order and count under concurrency, Apertium's special characters,
restarts, and a clear error when the programs die."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from bilingual.engines.apertium import ApertiumEngine
from bilingual.engines.apertium_stream import Stream, StreamLost, deformat, reformat, stream

needs_apertium = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Debian's apertium fr-es/spa-eng not installed"
)


def test_stream_format_round_trip_without_apertium() -> None:
    text = r"[a] {b} <c> d/e \ f ~ g $ ^ @h"
    ((number, back),) = reformat(deformat(text, 41).replace(".[][", "..[]["))
    assert (number, back) == (41, text + ".")


def test_texts_sent_together_come_back_apart_without_apertium() -> None:
    sent = "".join(deformat(text, number) for number, text in ((5, "[a] b"), (6, "c \\ d")))
    assert reformat(sent.replace(".[][", "..[][")) == [(5, "[a] b."), (6, "c \\ d.")]


@needs_apertium
def test_every_text_comes_back_in_order_from_concurrent_callers() -> None:
    pivot = stream(("fr-es", "spa-eng"), marked=False)

    def send(offset: int) -> list[str]:
        return pivot.translate([f"Il y a {offset + n} chats." for n in range(60)])

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(send, (1000, 2000, 3000)))
    for offset, translations in zip((1000, 2000, 3000), results, strict=True):
        assert len(translations) == 60
        for n, translation in enumerate(translations):
            assert str(offset + n) in translation and "cats" in translation


@needs_apertium
def test_special_characters_survive() -> None:
    text = r"Voir [note 1] {x} <b> a/b \ c ~ d 10 $ ^ @jean."
    (back,) = stream(("fr-es",), marked=False).translate([text])
    for kept in ("[", "]", "{", "}", "<b>", "/", "\\", "~", "$", "^", "@"):
        assert kept in back, (kept, back)


@needs_apertium
def test_a_dead_stream_fails_clearly_and_the_next_call_restarts_it() -> None:
    dying = Stream(("fr-es",), marked=False)
    dying._processes[0].send_signal(signal.SIGKILL)
    with pytest.raises(StreamLost):
        dying.translate(["Le chat dort."])
    dying.close()
    running = stream(("fr-es",), marked=False)
    running.close()  # closed: the next request starts a fresh one
    assert stream(("fr-es",), marked=False).translate(["Le chat dort."]) == ["El gato duerme."]
